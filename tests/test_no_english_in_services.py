"""Services return codes and values, never English sentences (issue 13): a ratchet.

The scan reads src/gvia/services, core, store and imports (not migrations) and finds every string
literal or f-string that is an English sentence (three words of letters or more, with a space)
and is

- an argument of a raised exception (``raise Refused("...")``), except a coded one
  (:class:`gvia.core.errors.RefusedFor`, ``NotFoundFor``, or any exception given ``code=``,
  whose text is for logs only);
- a problem's message (``FieldProblem(...)`` or a ``_problem``/``problem`` helper) given without
  a ``code=``;
- returned (``return "..."``; not by ``__repr__``/``__str__``, which are for logs).

A raise that only a bug can reach — a caller breaking a function's contract (a float where money
needs a Decimal, a currency that is not ISO 4217 inside the core), never a person's input — may
keep its English for the developer who reads the traceback: its first line then ends with the
comment ``# not shown: <why no person reads it>`` (``NOT_SHOWN``), which names the reason and
makes the scan skip it. Never to shrink the list: anything a page, a command or a document could
show gets a code.

Each is named ``path:function:first 40 characters`` (no line numbers, so moving code does not
churn the list). ``tools/english-in-services.txt`` lists those there were when the ratchet began;
it may only shrink. A new sentence fails — give the refusal a code (``RefusedFor("code", detail,
**values)``) or the problem a ``code=`` and ``params=``, and word it in the web and cli catalogs
(``refusal.<code>`` / ``problem.<code>``; :mod:`gvia.web.words`, :mod:`gvia.cli.words`). A
converted one must leave the baseline (the failure names the lines to delete), so the list
keeps counting what is left. ``python tests/test_no_english_in_services.py --write`` rewrites the
baseline from the tree (for the first time only; never to hide a new sentence).
"""

from __future__ import annotations

import ast
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("src/gvia/services", "src/gvia/core", "src/gvia/store", "src/gvia/imports")
BASELINE = ROOT / "tools" / "english-in-services.txt"
CODED = {"RefusedFor", "NotFoundFor"}
PROBLEM_CALLS = {"FieldProblem", "_problem", "problem"}
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
NOT_SHOWN = re.compile(r"#\s*not shown:\s*\S")


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _text(node: ast.expr) -> str | None:
    """The text of a string literal or f-string (each ``{value}`` as ``{}``), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def is_sentence(text: str) -> bool:
    """Three words of letters or more with a space between: not a key, an identifier, a format."""
    return " " in text.strip() and len(WORD.findall(text)) >= 3


def _sentences(node: ast.expr) -> list[str]:
    """The sentences in an expression: its strings, through +, conditionals, parentheses,
    lists and tuples — not inside another call (a problem call is checked on its own)."""
    found: list[str] = []
    stack = [node]
    while stack:
        n = stack.pop()
        text = _text(n)
        if text is not None:
            if is_sentence(text):
                found.append(text)
            continue
        if isinstance(n, ast.Call):
            continue
        stack.extend(reversed([c for c in ast.iter_child_nodes(n) if isinstance(c, ast.expr)]))
    return found


class Scan(ast.NodeVisitor):
    def __init__(self, path: str, lines: list[str] | None = None) -> None:
        self.path = path
        self.lines = lines or []
        self.where: list[str] = []
        self.found: list[str] = []

    def _add(self, texts: list[str]) -> None:
        where = ".".join(self.where) or "<module>"
        for text in texts:
            self.found.append(f"{self.path}:{where}:{' '.join(text.split())[:40]}")

    def _scope(self, node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.where.append(node.name)
        self.generic_visit(node)
        self.where.pop()

    visit_ClassDef = visit_FunctionDef = visit_AsyncFunctionDef = _scope

    def _not_shown(self, node: ast.stmt) -> bool:
        """The statement's first line ends with ``# not shown: <why>`` (see the module doc)."""
        return 0 < node.lineno <= len(self.lines) and bool(NOT_SHOWN.search(self.lines[node.lineno - 1]))

    def visit_Raise(self, node: ast.Raise) -> None:
        exc = node.exc
        if (isinstance(exc, ast.Call) and _name(exc.func) not in CODED | PROBLEM_CALLS
                and not self._not_shown(node)
                and not any(k.arg == "code" for k in exc.keywords)):
            for arg in [*exc.args, *(k.value for k in exc.keywords)]:
                self._add(_sentences(arg))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        if _name(node.func) in PROBLEM_CALLS and not any(k.arg == "code" for k in node.keywords):
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                self._add(_sentences(arg))
        self.generic_visit(node)

    def visit_Return(self, node: ast.Return) -> None:
        if node.value is not None and self.where[-1:] not in (["__repr__"], ["__str__"]):
            self._add(_sentences(node.value))
        self.generic_visit(node)


def scan(root: Path = ROOT) -> list[str]:
    """Every sentence found under ``root``'s scanned folders, named as the baseline names them."""
    found: list[str] = []
    for folder in SCANNED:
        for path in sorted((root / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            source = path.read_text(encoding="utf-8")
            s = Scan(path.relative_to(root).as_posix(), source.splitlines())
            s.visit(ast.parse(source, filename=str(path)))
            found.extend(s.found)
    return found


def baseline() -> list[str]:
    return [ln for ln in BASELINE.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]


def test_the_scan_finds_sentences_and_leaves_codes_alone(tmp_path):
    folder = tmp_path / "src" / "gvia" / "services"
    folder.mkdir(parents=True)
    (folder / "x.py").write_text(
        'def f(name, today):\n'
        '    """A docstring is not a sentence returned or raised."""\n'
        '    if name:\n'
        '        raise Refused(f"{name} has nothing overdue on {today}: nothing to remind of")\n'
        '    if today:\n'
        '        raise RefusedFor("nothing_overdue", f"{name} has nothing overdue", name=name)\n'
        '        raise BadSetting("a whole number is needed", code="whole_number")\n'
        '    problems = [FieldProblem(None, "due_date", "", "no such date in the file"),\n'
        '                FieldProblem(None, "due_date", "", "no such date in the file", code="no_such_date")]\n'
        '    log.info("this is a logged sentence, not shown")\n'
        '    if not name:\n'
        '        raise TypeError(f"money needs a Decimal, not {name}")  # not shown: a caller\'s bug\n'
        '        raise TypeError(f"money needs a Decimal, not {name}")  # not shown:\n'
        '    return "customer_ref" if problems else "one two three words"\n', encoding="utf-8")
    assert scan(tmp_path) == [
        "src/gvia/services/x.py:f:{} has nothing overdue on {}: nothing to",
        "src/gvia/services/x.py:f:no such date in the file",
        "src/gvia/services/x.py:f:money needs a Decimal, not {}",       # a marker without its reason
        "src/gvia/services/x.py:f:one two three words",
    ]


def test_no_new_english_sentence_and_the_baseline_only_shrinks():
    now, before = Counter(scan()), Counter(baseline())
    new = sorted((now - before).elements())
    gone = sorted((before - now).elements())
    assert not new, (
        "services return codes and values, not English sentences (issue 13). New here:\n  "
        + "\n  ".join(new)
        + "\nRaise RefusedFor('code', detail, **values) (or give the FieldProblem code= and params=) "
          "and word it as refusal.<code> / problem.<code> in the web and cli catalogs.")
    assert not gone, (
        "these sentences are gone from the services (converted to codes, or moved): delete these "
        f"lines from {BASELINE.relative_to(ROOT)}:\n  " + "\n  ".join(gone))


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    BASELINE.write_text(
        "# English sentences still raised or returned by the services (tests/test_no_english_in_services.py).\n"
        "# This list may only shrink: convert one to a code, then delete its line.\n"
        + "".join(f"{line}\n" for line in sorted(scan())), encoding="utf-8")

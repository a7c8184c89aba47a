"""House rules for silencing the checkers (issue 11): every ``noqa`` names its rule and says why,
``# noqa: E402 — reason``, and every ``type: ignore`` names its error code and says why,
``# type: ignore[attr-defined]  # reason``. Checked in src, tests, tools and bench; the migrations
Django writes are left as they are."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ("src", "tests", "tools", "bench")

_NOQA = re.compile(r"#\s*noqa\b", re.IGNORECASE)
_GOOD_NOQA = re.compile(r"#\s*noqa: [A-Z]+[0-9]+(?:, ?[A-Z]+[0-9]+)* — \S.{2,}")
_IGNORE = re.compile(r"#\s*type:\s*ignore\b")
_GOOD_IGNORE = re.compile(r"#\s*type: ignore\[[a-z-]+(?:, ?[a-z-]+)*\]\s+#\s*\S.{2,}")


def unexplained(source: str) -> list[tuple[int, str]]:
    """(line, comment) of each ``noqa`` or ``type: ignore`` comment in ``source`` without its
    code and reason. Only comments count: the words in a string are not silencing anything."""
    found = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type != tokenize.COMMENT:
            continue
        text = tok.string
        if (_NOQA.search(text) and not _GOOD_NOQA.search(text)) or \
                (_IGNORE.search(text) and not _GOOD_IGNORE.search(text)):
            found.append((tok.start[0], text))
    return found


def _checked_files() -> list[Path]:
    files = []
    for top in CHECKED:
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT)
            if "migrations" in rel.parts or ".venv" in rel.parts:
                continue
            files.append(path)
    return files


def test_every_noqa_and_type_ignore_names_its_rule_and_says_why():
    files = _checked_files()
    assert len(files) > 100    # the walk found the code
    bad = [f"{path.relative_to(ROOT)}:{line}: {comment}"
           for path in files for line, comment in unexplained(path.read_text(encoding="utf-8"))]
    assert bad == [], "write '# noqa: CODE — reason' and '# type: ignore[code]  # reason':\n" + "\n".join(bad)


@pytest.mark.parametrize("line", [
    "import x  # noqa\n",
    "import x  # noqa: E402\n",
    "import x  # noqa: E402  (bench)\n",
    "import x  # NOQA: E402\n",
    "f = lambda: 0  # noqa: E731 -\n",
    "x = y  # type: ignore\n",
    "x = y  # type: ignore[assignment]\n",
    "x = y  # type: ignore  # because\n",
    "x = y  # the reason first # type: ignore[assignment]\n",
])
def test_a_silenced_line_without_its_rule_or_reason_is_found(line):
    assert unexplained(line) == [(1, line[line.index("#"):].rstrip("\n"))]


@pytest.mark.parametrize("line", [
    "import x  # noqa: E402 — tests/ is not installed\n",
    "import x, y  # noqa: F401, E402 — registers the commands\n",
    "x = y  # type: ignore[assignment]  # list is invariant\n",
    "x = y  # type: ignore[attr-defined, return-value]  # gettext has no public iterator\n",
    "s = '# noqa'  # a string, not a comment\n",
    "x = 1  # no quality assurance here\n",
])
def test_a_silenced_line_with_its_rule_and_reason_passes(line):
    assert unexplained(line) == []

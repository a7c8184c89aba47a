"""Every code the pure core and the importers give a refusal or a problem is worded (issue 13).

The core and the importers say what is wrong with a code and its values (``RefusedFor("code", …)``,
``NotFoundFor``, ``FieldProblem(code=…)``, ``BadValue(…, code=…)``, ``ValidationFailed(…, code=…)``);
the edges word them from ``refusal.<code>`` / ``problem.<code>`` / ``summary.<code>`` of the web and
the cli catalogs. This scan reads every literal code in src/gvia/core and src/gvia/imports and
fails when a catalog (he or en, web or cli) has no words for it — a code without words would reach
the reader as its English log text.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from gvia import locale

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("src/gvia/core", "src/gvia/imports")
REFUSALS = {"RefusedFor", "NotFoundFor"}
# Words kept elsewhere on purpose: the risk weights are read only by the command line (``gvia risk
# load``); the decision after a rejected message is worded by its page under its own prefix
# (gvia.web.words.refusal_text's ``prefix``).
ONLY_CLI = ("problem.risk_",)
WEB_PREFIX = {"refusal.no_rejected_stage": "rejection.refused.no_rejected_stage",
              "refusal.unknown_choice": "rejection.refused.unknown_choice"}
READERS = {"BadValue", "_Why"}     # an importer's reader: BadValue(message, code)
# calls whose code= words a value's problem (problem.<code>); any other exception given code= is a
# refusal the edges word as refusal.<code>
PROBLEMS = {"FieldProblem", "_problem", "problem", "bad", "add", "_refuse", "refuse", "_too_big", "Worded", *READERS}


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def codes() -> set[tuple[str, str, str]]:
    """``(kind, code, where)``: each literal code given in the scanned code; kind is refusal,
    problem or summary (the catalog key's first part)."""
    found: set[tuple[str, str, str]] = set()
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            where = path.relative_to(ROOT).as_posix()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                name = _name(node.func)
                if name in REFUSALS and node.args and isinstance(node.args[0], ast.Constant):
                    found.add(("refusal", str(node.args[0].value), where))
                if name in READERS and len(node.args) > 1 and isinstance(node.args[1], ast.Constant):
                    found.add(("problem", str(node.args[1].value), where))   # (message, code)
                for k in node.keywords:
                    if k.arg == "code" and isinstance(k.value, ast.Constant) and k.value.value:
                        kind = ("summary" if name == "ValidationFailed" else
                                "problem" if name in PROBLEMS else "refusal")
                        found.add((kind, str(k.value.value), where))
    return found


def test_the_scan_finds_the_codes_of_the_importers_readers():
    found = {(kind, code) for kind, code, _ in codes()}
    assert ("problem", "not_an_amount") in found and ("problem", "no_such_date") in found


@pytest.mark.parametrize("domain", ["web", "cli"])
def test_every_code_has_words_in_hebrew_and_english(domain):
    catalogs = locale.domain(domain)
    missing = []
    for kind, code, where in sorted(codes()):
        for lang in ("he", "en"):
            key = f"{kind}.{code}"
            if domain == "web" and key.startswith(ONLY_CLI):
                continue
            key = WEB_PREFIX.get(key, key) if domain == "web" else key
            worded = (catalogs.plural(key, lang, 2) if kind == "summary" else catalogs.text(key, lang))
            if worded is None:
                missing.append(f"{where}: {key} ({lang})")
    assert not missing, f"codes without words in the {domain} catalog:\n  " + "\n  ".join(missing)


@pytest.mark.parametrize("what", ["document_kind", "payment_method", "language", "customer_type"])
def test_an_unknown_word_is_worded_with_what_the_reader_may_write(what):
    from gvia.imports import values

    parse = {"document_kind": values.parse_kind, "payment_method": values.parse_method,
             "language": values.parse_language, "customer_type": values.parse_customer_type}[what]
    with pytest.raises(values.BadValue) as bad:
        parse("zzz")
    assert bad.value.code == f"unknown_{what}"
    for domain in ("web", "cli"):
        he = locale.domain(domain).text(f"problem.unknown_{what}", "he")
        assert he and not any("a" <= ch.lower() <= "z" for ch in he), he   # Hebrew words only

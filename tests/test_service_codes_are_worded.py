"""Every code the services and the store give a refusal, a problem or a summary is worded (issue 13).

The services say what is wrong with a code and its values (``RefusedFor("code", …)``,
``NotFoundFor``, ``FieldProblem(code=…)``, ``BadSetting(…, code=…)``, ``ValidationFailed(…, code=…)``);
the edges word them from ``refusal.<code>`` / ``problem.<code>`` / ``summary.<code>`` of the web
and the cli catalogs (:mod:`gvia.web.words`, :mod:`gvia.cli.words`). This scan reads every literal
code in src/gvia/services and src/gvia/store and fails when a catalog (he or en, web or cli) has
no words for it, or when the Hebrew and the English name different values — a code without words
would reach the reader as its English log text. (The core's and the importers' codes:
tests/test_core_codes_are_worded.py.)
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from gvia import locale
from gvia.core.errors import FieldProblem, RefusedFor, ValidationFailed

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("src/gvia/services", "src/gvia/store")
REFUSALS = {"RefusedFor", "NotFoundFor"}
# A page that words a refusal under its own prefix (gvia.web.words.refusal_text's ``prefix``).
WEB_PREFIX = {"refusal.no_rejected_stage": "rejection.refused.no_rejected_stage",
              "refusal.unknown_choice": "rejection.refused.unknown_choice",
              "refusal.pause_needs_until": "rejection.refused.pause_needs_until"}
# Codes that are not a catalog's refusal or problem: a fault's (gvia.services.faults, fault.<code>),
# Django's own ValidationError (the admin's login form words it from its error_messages); the
# gateways' notification log (services/gateways/notify.py _log: its code is a column of
# `gvia gateway log`, worded there as gateway.outcome.*).
NOT_WORDS = {"Fault", "ValidationError", "_log"}
# Codes a machine reads, not a person: the answer to a payment gateway's notification (JSON).
FOR_MACHINES = {"gateway_account", "gateway_too_large"}
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def codes() -> set[tuple[str, str, str]]:
    """``(kind, code, where)``: each literal code given in the scanned code; kind is refusal,
    problem or summary (the catalog key's first part)."""
    found: set[tuple[str, str, str]] = set()
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            where = path.relative_to(ROOT).as_posix()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call) or _name(node.func) in NOT_WORDS:
                    continue
                if node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value in FOR_MACHINES:
                    continue
                name = _name(node.func)
                if name in REFUSALS and node.args and isinstance(node.args[0], ast.Constant):
                    found.add(("refusal", str(node.args[0].value), where))
                for k in node.keywords:
                    if k.arg == "code" and isinstance(k.value, ast.Constant) and k.value.value:
                        kind = ("summary" if name == "ValidationFailed" else
                                "refusal" if name in REFUSALS else "problem")
                        found.add((kind, str(k.value.value), where))
    return found


def test_the_scan_finds_the_services_codes():
    found = {(kind, code) for kind, code, _ in codes()}
    assert {("refusal", "credit_note_exists"), ("problem", "one_of"), ("summary", "problems")} <= found


def _forms(catalogs: locale.Domain, kind: str, key: str, lang: str) -> list[str] | None:
    if kind != "summary":
        text = catalogs.text(key, lang)
        return None if text is None else [text]
    forms = [catalogs.plural(key, lang, n) for n in (1, 2, 5)]
    return None if any(f is None for f in forms) else [f for f in forms if f is not None]


@pytest.mark.parametrize("domain", ["web", "cli"])
def test_every_code_has_words_in_hebrew_and_english(domain):
    catalogs = locale.domain(domain)
    missing, differ = [], []
    for kind, code, where in sorted(codes()):
        key = f"{kind}.{code}"
        key = WEB_PREFIX.get(key, key) if domain == "web" else key
        worded = {lang: _forms(catalogs, kind, key, lang) for lang in ("he", "en")}
        missing += [f"{where}: {key} ({lang})" for lang, forms in worded.items() if forms is None]
        if all(worded.values()):
            names = {lang: set().union(*(PLACEHOLDER.findall(f) for f in forms or []))
                     for lang, forms in worded.items()}
            if names["he"] != names["en"]:
                differ.append(f"{key}: he {sorted(names['he'])}, en {sorted(names['en'])}")
    assert not missing, f"codes without words in the {domain} catalog:\n  " + "\n  ".join(missing)
    assert not differ, "the Hebrew and the English name different values:\n  " + "\n  ".join(differ)


def test_a_summary_counts_its_problems_in_each_language():
    from gvia.cli import words as cli_words
    from gvia.web import words as web_words

    def failed(n: int) -> ValidationFailed:
        return ValidationFailed([FieldProblem(None, "amount", "x", "not an amount", code="not_an_amount")] * n)

    assert [web_words.summary_text(failed(n), "he") for n in (1, 2, 3)] == [
        "נמצאה בעיה אחת; דבר לא שונה", "נמצאו שתי בעיות; דבר לא שונה", "נמצאו 3 בעיות; דבר לא שונה"]
    assert [web_words.summary_text(failed(n), "en") for n in (1, 3)] == [
        "1 problem found; nothing was changed", "3 problems found; nothing was changed"]
    cli_words.use("he")
    try:
        assert cli_words.summary_text(failed(2)) == "נמצאו שתי בעיות; דבר לא שונה"
    finally:
        cli_words.use("en")
    # a summary written without a code (not converted yet) is shown as it was written
    assert web_words.summary_text(ValidationFailed([], "as written"), "he") == "as written"


def test_a_currency_is_named_in_the_readers_language():
    from gvia.web import words as web_words

    refused = RefusedFor("promise_nothing_owed", "", customer="Gilboa", ref="C1", currency="ILS")
    he, en = web_words.refusal_text(refused, "he"), web_words.refusal_text(refused, "en")
    assert "ILS" not in he and "שקל" in he and "Gilboa (C1)" in he
    assert en.startswith("Gilboa (C1) owes nothing in Israeli New Shekel")

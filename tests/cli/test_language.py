"""The command line speaks the acting user's language (--as), or --lang's; its words are in the cli
catalogs; --format json keeps its keys."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from gvia.cli import words
from gvia.cli.state import split_globals

CLI = Path(__file__).resolve().parents[2] / "src" / "gvia" / "cli"

INVOICES = """customer_ref,customer_name,invoice_number,issue_date,due_date,amount,currency
C1,Gal-Or Productions,1001,2026-09-01,2026-10-01,2000.00,ILS
"""


def test_lang_is_global_except_after_a_command_with_its_own():
    assert split_globals(["aging", "--lang", "he", "--format", "json"]) == (["aging", "--format", "json"],
                                                                            {"lang": "he"})
    assert split_globals(["--lang=en", "policy", "load", "p.toml"]) == (["policy", "load", "p.toml"], {"lang": "en"})
    # letter, casefile, explain, policy show and demo have a --lang of their own after their name
    assert split_globals(["letter", "1001", "--lang", "en", "--as", "a@b.co"]) == (
        ["letter", "1001", "--lang", "en"], {"as_user": "a@b.co"})
    assert split_globals(["--lang", "he", "letter", "1001", "--lang", "en"]) == (
        ["letter", "1001", "--lang", "en"], {"lang": "he"})
    assert split_globals(["policy", "show", "--lang", "he"]) == (["policy", "show", "--lang", "he"], {})


def test_every_word_the_commands_use_is_in_every_language():
    used, columns = set(), set()
    for path in CLI.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bt\(\s*\"([a-z_.]+)\"", source))
        used |= set(re.findall(r"\btn\(\s*\"([a-z_.]+)\"", source))
        for a, b in re.findall(r"\bt\(\"([a-z_.]+)\" if [^\"]*? else \"([a-z_.]+)\"", source):
            used |= {a, b}
        for m in re.finditer(r"(?:print_rows\(|headers = )\s*(\[[^\]]*\])", source):
            columns |= set(ast.literal_eval(m.group(1)))
    # keys built from a value
    used |= {f"progress.{p}" for p in ("read", "write", "ledger", "decide", "apply", "render")}
    used |= {f"activity.recorded_{k}" for k in ("reply", "note")}
    used |= {f"dispute.valid_{k}" for k in ("credit_note", "write_off")}
    used |= {f"rule.{a}_{b}" for a in ("removed", "none") for b in ("org", "customer")}
    used |= {f"policy.when.{w}.{k}" for w in ("after_due", "before_due", "after_previous")
             for k in ("calendar", "business")}
    from gvia.cli.commands_engine import WORKLIST_COLUMNS
    from gvia.services.engine.worklist import section_names

    used |= {f"worklist.section.{name}" for name in section_names()}
    columns |= {c for shown in WORKLIST_COLUMNS.values() for c in shown}
    used |= {f"col.{c}" for c in columns | {"not_due", "total"}}
    c = words.catalogs()
    for lang in c.languages:
        assert sorted(k for k in used if not c.has(k, lang)) == [], lang
    assert len(used) > 150


def test_no_sentence_left_in_the_commands():
    """What the commands print is words from the catalog: no string literal of three English
    words outside docstrings and --help texts (those stay English: Typer reads them before anyone
    is known). A service's own refusal is worded by the service, with the action named for it
    (``ctx.require("viewer", "reading the interest rule")``): a later change makes those codes."""
    found = []
    for path in CLI.glob("*.py"):
        if path.name == "words.py":             # the catalog's reader: its errors are for developers
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = {id(n.body[0].value) for n in ast.walk(tree)
                if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef)) and n.body
                and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for n in ast.walk(tree):                 # help="..." of options, and the app's own help
            if isinstance(n, ast.keyword) and n.arg == "help":
                skip |= {id(c) for c in ast.walk(n.value) if isinstance(c, ast.Constant)}
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "require":
                skip |= {id(c) for c in n.args if isinstance(c, ast.Constant)}
            if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id.endswith("_HELP") for t in n.targets):
                skip.add(id(n.value))
        found += [f"{path.name}:{n.lineno}: {n.value!r}" for n in ast.walk(tree)
                  if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in skip
                  and re.search(r"\b[A-Za-z][a-z]+ [a-z]+ [a-z]+\b", n.value)]
    assert found == []


@pytest.fixture
def books(gvia_org):
    (gvia_org.tmp / "invoices.csv").write_text(INVOICES, encoding="utf-8")
    r = gvia_org("import", "invoices", str(gvia_org.tmp / "invoices.csv"), "--today", "2026-10-05")
    assert r.code == 0, r.err
    return gvia_org


def test_the_acting_user_is_spoken_to_in_their_language(books):
    g = books        # an Israeli organization: its owner reads Hebrew
    r = g("aging", "--as-of", "2026-11-01", "--as", "owner@demo.co.il")
    assert r.code == 0, r.err
    assert "גיול חובות נכון ל-2026-11-01" in r.out and "מטבע" in r.out
    r = g("aging", "--as-of", "2026-11-01", "--as", "owner@demo.co.il", "--lang", "en")
    assert "Aging as of 2026-11-01" in r.out and "currency" in r.out
    r = g("aging", "--as-of", "2026-11-01")                      # nobody named: English
    assert "Aging as of 2026-11-01" in r.out
    r = g("--lang", "he", "cheque", "bounce", "nope")
    assert r.code == 1 and r.err.startswith("לא בוצע:")


def test_json_keeps_its_keys_in_every_language(books):
    g = books
    he = g("customers", "--format", "json", "--as-of", "2026-11-01", "--as", "owner@demo.co.il")
    en = g("customers", "--format", "json", "--as-of", "2026-11-01", "--lang", "en")
    assert he.code == en.code == 0
    assert json.loads(he.out) == json.loads(en.out)
    assert set(json.loads(he.out)["customers"][0]) >= {"ref", "name", "open", "overdue", "oldest_days_overdue"}


def test_an_unknown_language_is_wrong_usage(gvia):
    r = gvia("--lang", "fr", "aging")
    assert r.code == 2 and "--lang takes one of he, en, not fr" in r.err

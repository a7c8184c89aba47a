"""`gvia import statement` and `gvia matches …` as a person runs them (issue 18), in he and en."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

DATA = Path(__file__).parents[1] / "imports" / "data" / "statements"
INVOICES = ("customer_ref,customer_name,invoice_number,issue_date,due_date,amount\n"
            '1001,"אלון ציוד בע""מ",5001,2026-09-01,2026-10-01,1000\n'
            '1001,"אלון ציוד בע""מ",5002,2026-09-01,2026-10-01,2500\n'
            "1003,כהן ובניו,8801,2026-09-01,2026-10-01,777.70\n")


def test_import_statement_then_matches_confirm_and_undo(gvia_org, tmp_path) -> None:
    f = tmp_path / "invoices.csv"
    f.write_text(INVOICES, encoding="utf-8")
    assert gvia_org("import", "invoices", str(f)).code == 0
    r = gvia_org("import", "statement", str(DATA / "hapoalim_shekel.csv"), "--bank", "hapoalim", "--format", "json")
    assert r.code == 0, r.err
    report = json.loads(r.out)
    assert (report["lines"], report["new"], report["applied"], report["suggested"]) == (3, 3, 1, 1)
    r = gvia_org("import", "statement", str(DATA / "hapoalim_shekel.csv"), "--lang", "en")
    assert r.code == 0 and "0 new, 3 already imported" in r.out, r.out + r.err
    r = gvia_org("matches", "list", "--lang", "he")
    assert r.code == 0 and "כהן ובניו" in r.out and "8801" in r.out, r.out + r.err
    waiting = json.loads(gvia_org("matches", "list", "--format", "json").out)
    assert waiting[0]["reasons"][0]["text"].startswith("Customer 1003")
    assert gvia_org("matches", "confirm", str(waiting[0]["id"]), "--lang", "en").code == 0
    con = sqlite3.connect(gvia_org.tmp / "gvia.db")
    assert con.execute("select open_minor from gvia_invoice where number='8801'").fetchone() == (0,)
    applied = json.loads(gvia_org("matches", "list", "--status", "applied", "--format", "json").out)
    assert len(applied) == 2
    for m in applied:
        assert gvia_org("matches", "undo", str(m["id"])).code == 0
    assert con.execute("select sum(open_minor) from gvia_invoice").fetchone() == (427770,)
    r = gvia_org("matches", "undo", str(applied[0]["id"]), "--lang", "en")
    assert r.code == 1 and "is not applied" in r.err


def test_unknown_bank_and_bad_file_are_refused_in_hebrew(gvia_org) -> None:
    r = gvia_org("import", "statement", str(DATA / "leumi.csv"), "--bank", "nosuch", "--lang", "he")
    assert r.code == 1 and "אין מבנה קובץ לבנק nosuch" in r.err, r.err
    r = gvia_org("import", "statement", str(DATA / "hapoalim_broken.csv"), "--lang", "he")
    assert r.code == 1 and "hapoalim_broken.csv" in r.err and "abc" in r.err, r.err

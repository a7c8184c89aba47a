"""The arrangement commands, run as the real `gvia` command against a fresh SQLite database:
each way out of a debt from the command line, refusals with exit 1 and nothing changed."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from tests.cli.conftest import Gvia

INVOICES = """customer_ref,customer_name,invoice_number,issue_date,due_date,amount,currency
C1,Gal-Or Productions,1001,2026-09-01,2026-10-01,2000.00,ILS
C1,Gal-Or Productions,1002,2026-09-01,2026-10-01,500.00,ILS
C2,Blue Ocean Ltd,2001,2026-08-01,2026-09-01,6000.00,ILS
C3,Alon Systems Ltd,3001,2026-08-01,2026-09-01,6000.00,ILS
"""


def _add_collector(g: Gvia) -> None:
    code = ("from gvia.cli.bootstrap import setup_django; setup_django(); "
            "from gvia.services.context import resolve; from gvia.services.org.organizations import add_member; "
            "add_member(resolve(), 'dana@demo.co.il', 'Gvia-test-2026!', 'collector')")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GVIA_")}
    env.update(GVIA_DATABASE_URL=g.db, GVIA_HOME=str(g.tmp))
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=g.tmp, timeout=120)


def _count(g: Gvia, sql: str):
    con = sqlite3.connect(g.tmp / "gvia.db")
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture
def books(gvia_org):
    g = gvia_org
    (g.tmp / "invoices.csv").write_text(INVOICES, encoding="utf-8")
    r = g("import", "invoices", str(g.tmp / "invoices.csv"), "--today", "2026-10-05")
    assert r.code == 0, r.err
    _add_collector(g)
    return g


def test_promise_plan_and_refusals(books):
    g = books
    r = g("promise", "C1", "--amount", "2000", "--date", "2026-10-20", "--source", "call", "--now", "2026-10-12")
    assert r.code == 0, r.err
    assert "Promise 1: 2000.00 ILS by 2026-10-20 (call); C1 is paused through 2026-10-23." in r.out
    r = g("promise", "C1", "--amount", "2000", "--date", "2026-10-01", "--now", "2026-10-12")
    assert r.code == 1 and "is in the past" in r.err
    assert _count(g, "select count(*) from gvia_promise") == [(1,)]

    # 12 months is beyond what a collector may agree: refused, nothing written
    r = g("plan", "create", "C3", "--installments", "12", "--first", "2026-10-15", "--now", "2026-10-12",
          "--as", "dana@demo.co.il")
    assert r.code == 1 and "ודורשת בעלים" in r.err and "יותר מ־6 חודשים" in r.err     # dana reads Hebrew
    assert _count(g, "select count(*) from gvia_paymentplan") == [(0,)]
    r = g("plan", "create", "C3", "--installments", "3", "--first", "2026-10-15", "--now", "2026-10-12",
          "--as", "dana@demo.co.il", "--format", "json")
    assert r.code == 0, r.err
    shown = json.loads(r.out)
    assert [(i["due"], i["amount"]) for i in shown["installments"]] == [
        ("2026-10-15", "2000.00"), ("2026-11-15", "2000.00"), ("2026-12-15", "2000.00")]
    r = g("plan", "show", str(shown["id"]))
    assert r.code == 0 and "6000.00 ILS" in r.out
    r = g("letter", "--document", "payment_plan", "--id", str(shown["id"]), "--out", str(g.tmp / "plan.pdf"),
          "--lang", "en")
    assert r.code == 0, r.err
    assert (g.tmp / "plan.pdf").read_bytes()[:5] == b"%PDF-"
    r = g("plan", "cancel", str(shown["id"]), "--now", "2026-10-13")
    assert r.code == 0 and "escalation resumes for C3" in r.out
    assert _count(g, "select status from gvia_paymentplan") == [("cancelled",)]
    r = g("plan", "create", "C3", "--installments", "0", "--first", "2026-10-15", "--now", "2026-10-12")
    assert r.code == 1 and "at least one installment" in r.err


def test_settlement_dispute_writeoff_and_interest(books, tmp_path):
    g = books
    r = g("settle", "C2", "--amount", "6000.01", "--deadline", "2026-11-15", "--now", "2026-10-12")
    assert r.code == 1 and "The agreed amount (₪6,000.01) is more than the debt (₪6,000.00)" in r.err
    r = g("--lang", "he", "settle", "C2", "--amount", "6000.01", "--deadline", "2026-11-15", "--now", "2026-10-12")
    assert r.code == 1 and "הסכום המוסכם (₪6,000.01) גדול מהחוב (₪6,000.00)" in r.err
    r = g("settle", "C2", "--amount", "5000", "--deadline", "2026-11-15", "--reason", "hardship",
          "--now", "2026-10-12", "--as", "dana@demo.co.il", "--lang", "en")   # dana reads Hebrew
    assert r.code == 0, r.err
    assert "Settlement 1 offered: 5000.00 ILS of 6000.00 ILS by 2026-11-15" in r.out
    r = g("settle", "approve", "1", "--now", "2026-10-12", "--as", "dana@demo.co.il")
    assert r.code == 1 and "לפעולה הזו נדרש התפקיד בעלים; dana@demo.co.il הוא גובה." in r.err
    assert _count(g, "select status, approved_by from gvia_settlement") == [("offered", "")]
    r = g("settle", "approve", "1", "--now", "2026-10-13", "--as", "owner@demo.co.il")
    assert r.code == 0, r.err
    assert _count(g, "select status, approved_by from gvia_settlement") == [("approved", "owner@demo.co.il")]

    r = g("dispute", "open", "C1", "--invoice", "1002", "--reason", "wrong_amount", "--note", "4 trays, not 5",
          "--now", "2026-10-12")
    assert r.code == 0 and "Dispute 1 opened on 1002" in r.out
    assert g("dispute", "resolve", "1", "--valid").code == 2          # valid needs --credit-note or --write-off
    r = g("dispute", "resolve", "1", "--rejected", "--now", "2026-10-14")
    assert r.code == 0 and "go back on the ladder" in r.out

    r = g("writeoff", "C1", "--invoice", "1001", "--reason", "bad debt", "--amount", "100", "--now", "2026-10-12",
          "--as", "dana@demo.co.il")
    assert r.code == 0, r.err
    r = g("writeoff", "approve", "1", "--as", "dana@demo.co.il", "--lang", "en")
    assert r.code == 1 and "This needs the owner role; dana@demo.co.il is collector." in r.err
    assert _count(g, "select status from gvia_writeoff") == [("requested",)]
    assert g("writeoff", "approve", "1", "--now", "2026-10-13").code == 0
    assert _count(g, "select open_minor from gvia_invoice where number = '1001'") == [(190000,)]
    r = g("writeoff", "list", "--format", "json")
    assert json.loads(r.out)["approved"] == {"ILS": "100.00"}

    r = g("interest-rule", "set", "contractual", "-o", "percent=4")
    assert r.code == 0, r.err
    r = g("interest", "C1", "--as-of", "2026-12-01")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    # interest from 2 October to 1 December 2026: 30 + 30 + 1 = 61 days at 4% a year
    #   1001: 2,000.00 less the 100.00 written off = 1,900.00: 1900 × 0.04 × 61 / 365 = 4636 / 365 = 12.7013… → 12.70
    #   1002:   500.00: 500 × 0.04 × 61 / 365 = 1220 / 365 = 3.3424… → 3.34
    assert [(i["invoice"], i["days"], i["principal"], i["interest"]) for i in data["invoices"]] == [
        ("1001", 61, "1900.00", "12.70"), ("1002", 61, "500.00", "3.34")]
    assert data["totals"]["ILS"]["interest"] == "16.04"
    assert data["invoices"][0]["periods"][0]["rate"] == "4"

    bad = tmp_path / "cpi.csv"
    bad.write_text("# name: il_cpi\n# kind: index\n# source: test\n# base: test\nmonth,value\n2026-13,100\n",
                   encoding="utf-8")
    r = g("rates", "import", str(bad))
    assert r.code == 1 and "cpi.csv, row 6, column 'month': Not a month (write YYYY-MM)" in r.err
    r = g("rates", "show", "--format", "json")
    assert {t["name"] for t in json.loads(r.out)} >= {"gb_boe_base_rate", "il_cpi"}


def test_gvia_rates_import_reads_the_cbs_json_as_downloaded(gvia_org, tmp_path):
    """The real command with the CBS CPI in the API's layout (month[0].code 120010, date[] with
    currBase; see gvia.core.rate_downloads): kept on the CPI's base in use, shown by rates show."""
    g = gvia_org
    f = tmp_path / "price.json"
    f.write_text(json.dumps({"month": [{"code": 120010, "name": "Consumer Price Index - General", "date": [
        {"year": 2024, "month": 11, "currBase": {"baseDesc": "Average 2022", "value": 107.37}}]}]}),
        encoding="utf-8")
    r = g("rates", "import", str(f))
    assert r.code == 0, r.err
    shown = {t["name"]: t for t in json.loads(g("rates", "show", "--format", "json").out)}
    assert shown["il_cpi"]["first"] == "2024-11" and shown["il_cpi"]["base"] == "average 2022 = 100"
    r = g("rates", "import", str(tmp_path / "nothing.json"))
    assert r.code != 0

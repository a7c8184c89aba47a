"""`gvia explain` says until when the earliest open invoice can be claimed in court and from what
the period was counted; `gvia plan sign` puts the signed plan on file, which restarts it (the real
`gvia` command against a fresh SQLite database)."""

from __future__ import annotations

import json

from tests.cli.conftest import Gvia  # the fixtures gvia, gvia_org: tests/arrangements/conftest.py

INVOICES = """customer_ref,customer_name,invoice_number,issue_date,due_date,amount,currency
C9,Old Debt Ltd,9001,2019-05-01,2019-06-01,1200.00,ILS
"""


def test_explain_shows_the_limitation_date_and_a_signed_plan_restarts_it(gvia_org):
    g: Gvia = gvia_org
    (g.tmp / "invoices.csv").write_text(INVOICES, encoding="utf-8")
    assert g("import", "invoices", str(g.tmp / "invoices.csv"), "--today", "2026-05-04").code == 0
    r = g("explain", "C9", "--now", "2026-05-05", "--lang", "en")
    assert r.code == 0, r.err
    assert ("Limitation: invoice 9001, the earliest, can be claimed in court until 2026-06-01 (27 days left), "
            "counted from 2019-06-01 (its due date).") in " ".join(r.out.split())
    r = g("explain", "C9", "--now", "2026-05-05", "--lang", "he")
    assert "התיישנות: חשבונית 9001" in r.out and "01/06/2026" in r.out
    r = g("plan", "create", "C9", "--installments", "3", "--first", "2026-05-15", "--now", "2026-05-04",
          "--format", "json")
    assert r.code == 0, r.err
    plan_id = str(json.loads(r.out)["id"])
    # neither a file nor a document: refused; a plan not yet signed restarts nothing
    assert g("plan", "sign", plan_id, "--now", "2026-05-05").code == 2
    r = g("explain", "C9", "--now", "2026-05-05", "--lang", "en")
    assert "until 2026-06-01" in " ".join(r.out.split())
    (g.tmp / "signed.pdf").write_bytes(b"%PDF-1.4 signed by the customer")
    r = g("plan", "sign", plan_id, str(g.tmp / "signed.pdf"), "--signed-on", "2026-05-04", "--now", "2026-05-05")
    assert r.code == 0, r.err
    assert "signed on 2026-05-04" in " ".join(r.out.split())
    r = g("explain", "C9", "--now", "2026-05-05", "--lang", "en")
    assert ("can be claimed in court until 2033-05-04 (2556 days left), counted from 2026-05-04 (the signed "
            "payment plan).") in " ".join(r.out.split())
    shown = json.loads(g("plan", "show", plan_id, "--format", "json").out)
    assert shown["signed_on"] == "2026-05-04" and shown["signed_agreement"]

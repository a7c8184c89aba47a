"""`gvia customer law REF` (issue 15): Israel's suppliers' payment law on a customer's open invoices
— the legal day and why, in Hebrew and English, JSON for scripts — and --large-business yes|no,
which records the customer's size first (a refused word is refused)."""

from __future__ import annotations

import json


def _books(gvia_org, tmp_path):
    f = tmp_path / "inv.csv"
    f.write_text("customer_ref,customer_name,customer_type,invoice_number,issue_date,due_date,amount\n"
                 "B1,Alon Ltd,business,7001,2026-01-15,2026-05-31,1180.00\n"
                 "G1,Town Council,public body,7002,2026-01-15,2026-05-31,2360.00\n", encoding="utf-8")
    assert gvia_org("import", "invoices", str(f)).code == 0


def test_the_days_and_the_large_business_mark(gvia_org, tmp_path):
    _books(gvia_org, tmp_path)
    r = gvia_org("--lang", "en", "customer", "law", "G1", "--as-of", "2026-04-01", "--format", "json")
    assert r.code == 0, r.err
    got = json.loads(r.out)
    (inv,) = got["invoices"]
    assert (inv["invoice"], inv["law_day"], inv["legal_day"], inv["reason"]) == (
        "7002", "2026-03-17", "2026-03-17", "public_body_yields")
    assert got["applies"] and got["unsourced"]          # the arrears method is named as not found
    r = gvia_org("--lang", "he", "customer", "law", "B1", "--as-of", "2026-04-01")
    assert r.code == 0, r.err
    assert "חוק מוסר תשלומים לספקים" in r.out and "יש להחליט" in r.out
    r = gvia_org("--lang", "en", "customer", "law", "B1", "--large-business", "yes", "--as-of", "2026-04-01",
                 "--format", "csv")
    assert r.code == 0, r.err
    assert "Customer B1 is marked a large business" in r.out and "so the law's day applies" in r.out
    bad = gvia_org("--lang", "en", "customer", "law", "B1", "--large-business", "maybe")
    assert bad.code != 0 and "Write yes or no" in bad.err

"""`gvia customer predict` (issue 17): the open invoices' predicted payment dates, as JSON and as a
table in the reader's language."""

from __future__ import annotations

import json


def test_predict_json_and_table(gvia_org, tmp_path):
    inv = tmp_path / "inv.csv"
    inv.write_text("customer_ref,customer_name,invoice_number,issue_date,due_date,amount\n"
                   "C1,Alon Ltd,5001,2026-01-01,2026-02-01,1000.00\n"
                   "C1,Alon Ltd,5002,2026-03-01,2026-04-01,1000.00\n"
                   "C1,Alon Ltd,5003,2026-05-01,2026-06-01,1000.00\n"
                   "C1,Alon Ltd,5004,2026-11-20,2026-12-20,700.00\n", encoding="utf-8")
    pay = tmp_path / "pay.csv"
    pay.write_text("customer_ref,date,amount,invoice_number,reference\n"
                   "C1,2026-02-16,1000.00,5001,r1\nC1,2026-04-16,1000.00,5002,r2\nC1,2026-06-16,1000.00,5003,r3\n",
                   encoding="utf-8")
    assert gvia_org("import", "invoices", str(inv), "--today", "2026-12-07").code == 0
    r = gvia_org("import", "payments", str(pay), "--today", "2026-12-07")
    assert r.code == 0, r.err
    data = json.loads(gvia_org("customer", "predict", "C1", "--as-of", "2026-12-07", "--format", "json").out)
    assert data["customer"] == {"ref": "C1", "name": "Alon Ltd"} and data["as_of"] == "2026-12-07"
    assert data["invoices"] == [{"invoice": "5004", "due": "2026-12-20",
                                 "open": {"amount": "700.00", "currency": "ILS"},
                                 "predicted": "2027-01-04", "low": "2027-01-04", "high": "2027-01-04",
                                 "basis": "customer", "own_paid_invoices": 3}]
    he = gvia_org("--lang", "he", "customer", "predict", "C1", "--as-of", "2026-12-07")
    assert he.code == 0, he.err
    assert "מועדי תשלום צפויים של Alon Ltd (C1)" in he.out and "היסטוריית התשלומים של הלקוח" in he.out
    en = gvia_org("--lang", "en", "customer", "predict", "C1", "--as-of", "2026-12-07")
    assert "Expected payment dates of Alon Ltd (C1)" in en.out and "the customer's payment history" in en.out
    missing = gvia_org("--lang", "en", "customer", "predict", "NOPE")
    assert missing.code != 0

"""`gvia customer hold|holds|reason` and the credit hold in `gvia customers` (issue 17)."""

from __future__ import annotations

import json


def test_hold_holds_reason_and_the_customer_list(gvia_org, tmp_path):
    f = tmp_path / "inv.csv"
    f.write_text("customer_ref,customer_name,invoice_number,issue_date,due_date,amount\n"
                 "C1,Alon Ltd,5001,2026-09-01,2026-10-01,12000.00\n"
                 "C2,Beta Ltd,6001,2026-11-01,2026-11-20,500.00\n", encoding="utf-8")
    assert gvia_org("import", "invoices", str(f), "--today", "2026-12-07").code == 0
    data = json.loads(gvia_org("customer", "holds", "--as-of", "2026-12-07", "--format", "json").out)
    assert data["as_of"] == "2026-12-07"
    assert [(c["customer"], c["days_overdue"], c["overdue"], c["above"]) for c in data["customers"]] == [
        ("C1", 67, {"amount": "12000.00", "currency": "ILS"}, {"amount": "10000.00", "currency": "ILS"})]

    both = gvia_org("--lang", "en", "customer", "hold", "C1", "--reason", "x", "--lift")
    assert both.code != 0 and "--lift" in both.err
    r = gvia_org("--lang", "en", "customer", "hold", "C1", "--reason", "sixty days, no answer")
    assert r.code == 0, r.err
    assert "Alon Ltd (C1) is on credit hold: sixty days, no answer" in r.out
    rows = json.loads(gvia_org("customers", "--as-of", "2026-12-07", "--format", "json").out)["customers"]
    assert {r["ref"]: r["credit_hold"] for r in rows} == {
        "C1": {"reason": "sixty days, no answer", "since": rows[0]["credit_hold"]["since"]}, "C2": None}
    csv_out = gvia_org("--lang", "en", "customers", "--as-of", "2026-12-07", "--format", "csv").out
    assert csv_out.splitlines()[0].endswith("credit_hold") and "sixty days, no answer" in csv_out
    assert json.loads(gvia_org("customer", "holds", "--as-of", "2026-12-07", "--format", "json").out)["customers"] == []

    r = gvia_org("--lang", "he", "customer", "hold", "C2", "--lift")
    assert r.code != 0 and "אינו בעצירת אשראי" in r.err
    r = gvia_org("--lang", "he", "customer", "reason", "C1", "cash_flow", "--note", "מחכים ללקוח שלהם")
    assert r.code == 0, r.err
    assert "נשמר למה C1 לא שילם: תזרים מזומנים" in r.out
    bad = gvia_org("--lang", "en", "customer", "reason", "C1", "lazy")
    assert bad.code != 0 and "not a known reason; one of: cash_flow" in bad.err

"""`gvia call log REF --outcome O --nonpayment CODE` records why the customer has not paid (issue 17)."""

from __future__ import annotations


def test_call_log_with_a_reason(gvia_org, tmp_path):
    f = tmp_path / "inv.csv"
    f.write_text("customer_ref,customer_name,invoice_number,issue_date,due_date,amount\n"
                 "C1,Alon Ltd,5001,2026-09-01,2026-10-01,12000.00\n", encoding="utf-8")
    assert gvia_org("import", "invoices", str(f), "--today", "2026-12-07").code == 0
    r = gvia_org("--lang", "he", "call", "log", "C1", "--outcome", "no-answer", "--nonpayment", "forgot",
                 "--note", "שכחו, ישלמו השבוע")
    assert r.code == 0, r.err
    assert "נשמרה הסיבה לאי-התשלום: שכחו" in r.out or "נשמרה הסיבה לאי-התשלום:" in r.out
    shares = gvia_org("report", "reasons", "--format", "json")
    assert shares.code == 0 and "forgot" in shares.out
    bad = gvia_org("--lang", "en", "call", "log", "C1", "--outcome", "no-answer", "--nonpayment", "lazy")
    assert bad.code != 0 and "not a known reason" in bad.err

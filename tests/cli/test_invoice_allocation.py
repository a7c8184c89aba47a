"""`gvia invoice allocation` (issue 15): records an invoice's allocation number, or a person's
confirmation that its case goes on without one; exactly one of the two is asked for."""

from __future__ import annotations


def test_the_number_or_the_confirmation(gvia_org, tmp_path):
    f = tmp_path / "inv.csv"
    f.write_text("customer_ref,customer_name,invoice_number,issue_date,due_date,amount\n"
                 "C1,Alon Ltd,5001,2026-10-01,2026-11-01,11800.00\n"
                 "C1,Alon Ltd,5002,2026-10-01,2026-11-01,23600.00\n", encoding="utf-8")
    assert gvia_org("import", "invoices", str(f)).code == 0
    r = gvia_org("--lang", "en", "invoice", "allocation", "5001", "--number", "123456789")
    assert r.code == 0, r.err
    assert "Invoice 5001: allocation number 123456789 saved" in r.out
    r = gvia_org("--lang", "he", "invoice", "allocation", "5002", "--confirm-without")
    assert r.code == 0, r.err
    assert "חשבונית 5002: התיק ממשיך בלי מספר הקצאה" in r.out
    both = gvia_org("--lang", "en", "invoice", "allocation", "5002", "--number", "1", "--confirm-without")
    assert both.code != 0 and "--confirm-without" in both.err
    unknown = gvia_org("--lang", "en", "invoice", "allocation", "9999", "--number", "1")
    assert unknown.code != 0 and "There is no invoice 9999" in unknown.err

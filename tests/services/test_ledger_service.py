"""The ledger service over the database: open amounts, aging, statement, bounced cheques."""

from datetime import date

import pytest

from gvia.core.errors import NotFound, Refused
from gvia.services.ledger import books as ledger
from gvia.store.models import Allocation, AuditRecord, UnappliedCredit

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 23)


def test_recompute_applies_payments_oldest_first_and_keeps_overpayment_as_credit(ctx, books):
    c = books.customer("C1")
    a = books.invoice(c, "1001", "1000.00", date(2026, 9, 1))
    b = books.invoice(c, "1002", "500.00", date(2026, 10, 1))
    books.payment(c, "1200.00", date(2026, 11, 1))          # covers 1001 fully, 200 of 1002
    books.payment(c, "400.00", date(2026, 11, 10))           # 300 to 1002, 100 left over
    ledger.recompute(ctx, [c.id])
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.open_minor, b.open_minor) == (0, 0)
    assert UnappliedCredit.objects.get(customer=c).amount_minor == 10000
    assert Allocation.objects.filter(customer=c).count() == 3


def test_withholding_counts_as_paid_and_tolerance_settles_small_remainder(ctx, books):
    c = books.customer("C2")
    inv = books.invoice(c, "2001", "11700.00", date(2026, 10, 1))
    # 11,000 received + 699.40 withheld at source = 11,699.40; the 0.60 left is within ₪1 tolerance
    books.payment(c, "11000.00", date(2026, 10, 20), withholding="699.40")
    ledger.recompute(ctx, [c.id])
    inv.refresh_from_db()
    assert inv.open_minor == 0
    tol = Allocation.objects.get(customer=c, source="tolerance")
    assert tol.amount_minor == 60


def test_aging_buckets_and_unapplied_credit(ctx, books):
    c = books.customer("C3")
    books.invoice(c, "3001", "100.00", date(2026, 12, 1))      # not due
    books.invoice(c, "3002", "200.00", date(2026, 11, 13))     # 10 days
    books.invoice(c, "3003", "300.00", date(2026, 9, 24))      # 60 days → 31-60
    books.invoice(c, "3004", "400.00", date(2026, 9, 23))      # 61 days → 61-90
    books.invoice(c, "3005", "50.00", date(2025, 1, 1), currency="USD")  # 691 days → 180+
    d = books.customer("D1")
    books.payment(d, "75.50", date(2026, 11, 1))               # no invoices: unapplied credit
    ledger.recompute(ctx, [c.id, d.id])
    report, unapplied = ledger.aging(ctx, AS_OF)
    data = report.to_json_dict(unapplied)
    assert data["as_of"] == "2026-11-23"
    assert data["currencies"]["ILS"] == {"not_due": "100.00", "1-30": "200.00", "31-60": "300.00",
                                         "61-90": "400.00", "91-180": "0.00", "180+": "0.00", "total": "1000.00"}
    assert data["currencies"]["USD"]["180+"] == "50.00"
    assert data["currencies"]["USD"]["total"] == "50.00"
    assert data["unapplied_credit"] == {"ILS": "75.50"}


def test_bounced_cheque_reopens_invoice_and_is_audited(ctx, books):
    c = books.customer("C4")
    inv = books.invoice(c, "4001", "2500.00", date(2026, 10, 1))
    books.payment(c, "2500.00", date(2026, 10, 5), method="cheque", cheque="000123")
    ledger.recompute(ctx, [c.id])
    inv.refresh_from_db()
    assert inv.open_minor == 0
    ledger.bounce_cheque(ctx, "000123")
    inv.refresh_from_db()
    assert inv.open_minor == 250000
    assert AuditRecord.objects.filter(action="cheque.bounced").count() == 1
    with pytest.raises(Refused) as refused:
        ledger.bounce_cheque(ctx, "000123")
    assert (refused.value.code, refused.value.params) == ("cheque_already_bounced", {"number": "000123"})
    with pytest.raises(NotFound) as missing:
        ledger.bounce_cheque(ctx, "999")
    assert (missing.value.code, missing.value.params) == ("cheque_unknown", {"number": "999"})


def test_pending_post_dated_cheque_covers_but_is_flagged(ctx, books):
    c = books.customer("C5")
    inv = books.invoice(c, "5001", "3000.00", date(2026, 10, 1))
    books.payment(c, "1000.00", date(2026, 11, 1), method="cheque", cheque="77", status="pending",
                  value_date=date(2027, 1, 1))
    ledger.recompute(ctx, [c.id])
    inv.refresh_from_db()
    assert inv.open_minor == 200000
    assert Allocation.objects.get(customer=c).pending is True


def test_statement_closing_balance_and_as_of(ctx, books):
    c = books.customer("C6", "לקוח שישי")
    books.invoice(c, "6001", "1000.00", date(2026, 10, 1), issue=date(2026, 9, 1))
    books.invoice(c, "6002", "500.00", date(2026, 12, 1), issue=date(2026, 11, 1))
    books.payment(c, "300.00", date(2026, 10, 15))
    customer, st = ledger.statement(ctx, "C6", AS_OF)
    data = st.to_json_dict()
    assert data["closing_balance"] == {"ILS": "1200.00"}
    # As of 20 October the second invoice did not exist yet
    _, early = ledger.statement(ctx, "C6", date(2026, 10, 20))
    assert early.to_json_dict()["closing_balance"] == {"ILS": "700.00"}
    with pytest.raises(NotFound):
        ledger.statement(ctx, "nope", AS_OF)


def test_viewer_cannot_bounce_cheques(ctx, books):
    from gvia.services.context import resolve
    from gvia.services.org.organizations import add_member

    add_member(ctx, "viewer@gilboa.co.il", "Gvia-test-2026!", "viewer")
    viewer = resolve(None, "viewer@gilboa.co.il")
    with pytest.raises(Refused, match="collector role"):
        ledger.bounce_cheque(viewer, "1")

"""A customer's payment record read from the books (issue 17): invoices paid through the ledger's
allocation (the day of the last payment allocated), a plan completed, a bounced cheque."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gvia.services.engine import payment_record
from gvia.services.ledger import books as ledger
from gvia.store.models import PaymentPlan

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 7)


def test_the_record_of_a_customer(ctx, books):
    c = books.customer("C1", "אלון")
    a = books.invoice(c, "1", "1000.00", date(2026, 3, 1))
    b = books.invoice(c, "2", "1000.00", date(2026, 6, 1))
    books.invoice(c, "3", "1000.00", date(2026, 11, 1))                   # still open
    books.payment(c, "1000.00", date(2026, 2, 25), invoice=a)            # early
    books.payment(c, "1000.00", date(2026, 6, 21), invoice=b)            # 20 days late
    books.payment(c, "300.00", date(2026, 7, 1), method="cheque", cheque="77", status="bounced")
    ledger.recompute(ctx, [c.id])
    PaymentPlan.objects.create(organization=ctx.org, customer=c, total_minor=100_00, currency="ILS",
                               installments_count=2, frequency="monthly", first_date=date(2025, 1, 1),
                               agreed_on=date(2024, 12, 1), status=PaymentPlan.Status.COMPLETED,
                               ended_on=date(2025, 2, 1))
    r = payment_record.of_customer(ctx, c.id, TODAY)
    assert (r.paid, r.on_time, r.on_time_percent, r.average_days_late) == (2, 1, 50, Decimal("10.0"))
    assert (r.plans_completed, r.plans_ended, r.bounced_cheques) == (1, 1, 1)
    assert [(y.year, y.paid) for y in r.years] == [(2026, 2)]

"""The collection reports over the books (issue 17): receivables at each month's end from the
allocations, DSO by countback and the CEI worked by hand, the promise and plan rates, refusals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gvia.core.errors import ValidationFailed
from gvia.services.ledger import books as ledger
from gvia.services.ledger import reports
from gvia.store.models import PaymentPlan, Promise

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(ctx, books):
    c = books.customer("C1", "אלון")
    a = books.invoice(c, "A", "1000.00", date(2026, 2, 10), issue=date(2026, 1, 10))
    b = books.invoice(c, "B", "2000.00", date(2026, 3, 5), issue=date(2026, 2, 5))
    books.payment(c, "1000.00", date(2026, 2, 20), invoice=a)
    books.payment(c, "500.00", date(2026, 3, 10), invoice=b)
    ledger.recompute(ctx, [c.id])
    for status in (Promise.Status.KEPT, Promise.Status.BROKEN):
        Promise.objects.create(organization=ctx.org, customer=c, amount_minor=100_00, currency="ILS",
                               due=date(2026, 3, 1), made_on=date(2026, 2, 20), pause_until=date(2026, 3, 1),
                               status=status, closed_on=date(2026, 3, 2))
    for status in (PaymentPlan.Status.COMPLETED, PaymentPlan.Status.DEFAULTED):
        PaymentPlan.objects.create(organization=ctx.org, customer=c, total_minor=100_00, currency="ILS",
                                   installments_count=2, frequency="monthly", first_date=date(2026, 1, 1),
                                   agreed_on=date(2025, 12, 1), status=status, ended_on=date(2026, 3, 20))
    return c


def test_dso_by_countback(ctx, history):
    r = reports.report(ctx, "dso", date(2026, 1, 1), date(2026, 3, 31))
    got = [(m.month, str(ar.amount), days) for m, cur, ar, sales, days in r.rows]
    # Jan: 1,000 owed, all of January's sales: 31 days; Feb: 2,000 owed, all of February's sales:
    # 28 days; Mar: 1,500 owed, no sales in March (31) then 1,500 of February's 2,000 (21 days)
    assert got == [(1, "1000.00", Decimal("31.0")), (2, "2000.00", Decimal("28.0")), (3, "1500.00", Decimal("52.0"))]


def test_cei(ctx, history):
    r = reports.report(ctx, "cei", date(2026, 2, 1), date(2026, 3, 31))
    assert [(m.month, row[-1]) for m, *row in r.rows] == [(2, Decimal("100.0")), (3, Decimal("25.0"))]
    feb = r.rows[0]
    assert [str(v.amount) for v in feb[2:6]] == ["1000.00", "2000.00", "2000.00", "2000.00"]


def test_rates_and_reasons(ctx, history):
    [march] = reports.report(ctx, "promise_kept_rate", date(2026, 3, 1), date(2026, 3, 31)).rows
    assert march[1:] == (1, 0, 1, 50)
    [march] = reports.report(ctx, "plan_success_rate", date(2026, 3, 1), date(2026, 3, 31)).rows
    assert march[1:] == (1, 1, 0, 50)
    data = reports.as_json(reports.report(ctx, "reasons", date(2026, 3, 1), date(2026, 3, 31)))
    assert data["columns"] == ["reason", "cases", "share"] and data["rows"][0] == {
        "reason": "cash_flow", "cases": 0, "share": None}


def test_an_unknown_report_or_a_reversed_period_is_refused(ctx):
    with pytest.raises(ValidationFailed) as err:
        reports.report(ctx, "profit", date(2026, 3, 1), date(2026, 1, 1))
    assert [p.code for p in err.value.problems] == ["report_unknown", "report_period"]

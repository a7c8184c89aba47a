"""Overdue has one home, `gvia.core.aging` (issue 13): the totals summed in the database — the
customer list (web and command line), the dashboard, the credit-hold scan — follow
`aging.overdue_bound`, so they agree with the core's `is_overdue` and would all move with it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from gvia.core import aging
from gvia.services.ledger import customers as customer_service
from gvia.web import queries

pytestmark = pytest.mark.django_db
DAY = date(2026, 12, 7)


@pytest.fixture
def owing(books):
    c = books.customer("C1", "לקוח")
    books.invoice(c, "1", "100.00", DAY - timedelta(days=1))      # due yesterday: overdue
    books.invoice(c, "2", "20.00", DAY)                           # due today: not yet overdue
    books.invoice(c, "3", "3.00", DAY + timedelta(days=1))        # due tomorrow
    return c


def test_the_core_rule():
    assert aging.is_overdue(DAY - timedelta(days=1), DAY)
    assert not aging.is_overdue(DAY, DAY)
    assert not aging.is_overdue(DAY + timedelta(days=1), DAY)
    assert aging.bucket_name((DAY - DAY).days) == aging.NOT_DUE          # the aging buckets agree


def _figures(ctx, owner):
    [listed] = customer_service.list_customers(ctx, DAY)
    board = queries.dashboard(ctx, DAY)
    [balance] = queries.customer_balances(ctx, [owner.id], DAY).values()
    return listed["overdue"], board.overdue_invoices, board.customers_overdue, balance.overdue.as_strings()


def test_database_totals_follow_the_core_boundary(ctx, owing, monkeypatch):
    assert _figures(ctx, owing) == ({"ILS": "100.00"}, 1, 1, {"ILS": "100.00"})
    # move the boundary in the core only: every database total moves with it
    monkeypatch.setattr(aging, "overdue_bound", lambda as_of: as_of + timedelta(days=1))
    assert _figures(ctx, owing) == ({"ILS": "120.00"}, 2, 1, {"ILS": "120.00"})

"""Predicted payment dates read from the books (issue 17): the customer's own invoices paid in full
through the ledger, the organization's for a customer with little history, and nothing of another
organization's."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from gvia.services.context import resolve
from gvia.services.engine import prediction
from gvia.services.ledger import books as ledger
from gvia.services.org.organizations import init_organization

from .conftest import Books

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 7)


def paid_late(books: Books, customer, first: int, count: int, late: int) -> None:
    for k in range(count):
        due = date(2026, 1, 10) + timedelta(days=30 * k)
        inv = books.invoice(customer, f"{first + k}", "1000.00", due)
        books.payment(customer, "1000.00", due + timedelta(days=late), invoice=inv)


def test_the_customers_own_history_and_the_organizations(ctx, books):
    regular = books.customer("C1", "אלון")
    paid_late(books, regular, 100, 8, 20)
    open_due = TODAY + timedelta(days=5)
    books.invoice(regular, "900", "2500.00", open_due, issue=TODAY - timedelta(days=25))
    newcomer = books.customer("C2", "בטא")
    books.invoice(newcomer, "901", "400.00", open_due, issue=TODAY - timedelta(days=25))
    others = books.customer("C3", "גמא")
    paid_late(books, others, 200, 8, 40)
    ledger.recompute(ctx, [regular.id, newcomer.id, others.id])

    [p] = prediction.of_customer(ctx, regular.id, TODAY)
    assert (p.number, p.due, str(p.open.amount)) == ("900", open_due, "2500.00")
    assert p.prediction.basis == "customer" and p.prediction.own == 8
    assert p.prediction.day == open_due + timedelta(days=20)

    [n] = prediction.of_customer(ctx, newcomer.id, TODAY)
    assert n.prediction.basis == "organization" and n.prediction.own == 0
    assert (n.prediction.day - open_due).days in (20, 40)          # the business's: half at 20, half at 40
    assert n.prediction.low == open_due + timedelta(days=20) and n.prediction.high == open_due + timedelta(days=40)

    assert prediction.of_customer(ctx, others.id, TODAY) == []       # nothing open, nothing predicted
    [row] = prediction.as_json(prediction.of_customer(ctx, regular.id, TODAY))
    assert row == {"invoice": "900", "due": open_due.isoformat(), "open": {"amount": "2500.00", "currency": "ILS"},
                   "predicted": (open_due + timedelta(days=20)).isoformat(),
                   "low": (open_due + timedelta(days=20)).isoformat(),
                   "high": (open_due + timedelta(days=40)).isoformat(),   # the business's 40 days in the tail
                   "basis": "customer", "own_paid_invoices": 8}


def test_another_organizations_history_counts_for_nothing(ctx, books):
    newcomer = books.customer("C2", "בטא")
    open_due = TODAY + timedelta(days=5)
    books.invoice(newcomer, "901", "400.00", open_due, issue=TODAY - timedelta(days=25))
    mine = books.customer("C3", "גמא")
    paid_late(books, mine, 200, 6, 10)
    ledger.recompute(ctx, [newcomer.id, mine.id])
    before = prediction.of_customer(ctx, newcomer.id, TODAY)

    init_organization("Other Ltd", country="IL", admin_email="owner@other.co.il", admin_password="Gvia-test-2026!")
    other = resolve("Other Ltd", "owner@other.co.il")
    theirs = Books(other)
    late = theirs.customer("X1", "זר")
    paid_late(theirs, late, 300, 30, 90)
    ledger.recompute(other, [late.id])

    assert prediction.of_customer(ctx, newcomer.id, TODAY) == before
    assert before[0].prediction.day == open_due + timedelta(days=10)
    assert prediction.organization_pool(other, TODAY).points == ((90, pytest.approx(
        prediction.organization_pool(other, TODAY).total)),)
    assert prediction.of_customer(other, newcomer.id, TODAY) == []    # not their customer: nothing read

"""A business with a customer owing two invoices, and a Stripe account at a local fake of
Stripe's API, for the gateway tests."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from gvia.core.money import Money
from gvia.services.gateways import accounts
from gvia.store.models import Customer, Invoice
from tests.fakes.stripe import FakeStripe

TODAY = date(2026, 11, 10)            # a Tuesday
NOW = datetime(2026, 11, 10, 9, 30, tzinfo=timezone.utc)


def invoice(org, customer, number: str, amount: str, due: date, currency: str = "ILS") -> Invoice:
    m = Money.of(amount, currency)
    return Invoice.objects.create(organization=org, customer=customer, number=number, kind="invoice",
                                  issue_date=due, due_date=due, amount_minor=m.minor, currency=currency,
                                  open_minor=m.minor)


@pytest.fixture
def debtor(ctx):
    """Customer C1 with invoices 1001 (1,000.00, oldest) and 1002 (500.50), both overdue."""
    c = Customer.objects.create(organization=ctx.org, ref="C1", name="אבגד בע\"מ", email="ap@abgad.co.il",
                                phone="0541234567")
    first = invoice(ctx.org, c, "1001", "1000.00", date(2026, 10, 1))
    second = invoice(ctx.org, c, "1002", "500.50", date(2026, 10, 20))
    return c, first, second


@pytest.fixture
def stripe(ctx):
    """The organization's Stripe account, at a local fake of Stripe's API (tests/fakes/stripe.py)."""
    with FakeStripe() as fake:
        accounts.set_account(ctx, "stripe", {"secret_key": fake.secret_key, "webhook_secret": fake.webhook_secret,
                                             "api_base": fake.url})
        yield fake

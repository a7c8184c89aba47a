from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gvia.core.money import Money
from gvia.store.models import Customer, Invoice, Payment


class Books:
    """Build a small business's books directly, for service tests."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.org = ctx.org
        self._n = 0

    def customer(self, ref: str, name: str = "", **kw) -> Customer:
        return Customer.objects.create(organization=self.org, ref=ref, name=name or f"Customer {ref}", **kw)

    def invoice(self, customer: Customer, number: str, amount: str, due: date, issue: date | None = None,
                currency: str = "ILS", kind: str = "invoice", applies_to: Invoice | None = None,
                settled: str = "0") -> Invoice:
        m = Money.of(amount, currency)
        s = Money.of(settled, currency)
        return Invoice.objects.create(organization=self.org, customer=customer, number=number, kind=kind,
                                      applies_to=applies_to, issue_date=issue or due, due_date=due,
                                      amount_minor=m.minor, currency=currency, settled_outside_minor=s.minor,
                                      open_minor=(m.minor - s.minor) if kind == "invoice" else 0)

    def payment(self, customer: Customer, amount: str, on: date, currency: str = "ILS", method: str = "transfer",
                cheque: str = "", status: str = "cleared", value_date: date | None = None,
                withholding: str = "0", invoice: Invoice | None = None, rate: str | None = None) -> Payment:
        self._n += 1
        m = Money.of(amount, currency)
        return Payment.objects.create(organization=self.org, customer=customer, date=on, value_date=value_date,
                                      amount_minor=m.minor, currency=currency, method=method, cheque_number=cheque,
                                      status=status, withholding_minor=Money.of(withholding, currency).minor,
                                      invoice=invoice, rate=Decimal(rate) if rate else None,
                                      import_key=f"test:{self._n}")


@pytest.fixture
def books(ctx) -> Books:
    return Books(ctx)

"""Prepared queries (gvia.store.prepared): made once, run with each id, and giving what the ORM
gives — the same instances, their fields converted (dates, moments, JSON, money in minor units),
what ``select_related`` reads attached, annotations set — on SQLite and on PostgreSQL. They are
built from Django's compiler (pinned to 5.2): a Django that changes those parts fails here first."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import F

from gvia.store import prepared
from gvia.store.models import Customer, Invoice, Membership

pytestmark = pytest.mark.django_db


def _invoices(customer_id: int):
    return (Invoice.objects.filter(customer_id=customer_id).select_related("customer")
            .annotate(owed=F("amount_minor")).order_by("number"))


def _fields(inv: Invoice) -> tuple:
    return (inv.id, inv.number, inv.issue_date, inv.due_date, inv.amount_minor, inv.currency, inv.customer.ref,
            inv.customer.name, inv.customer.organization_id, inv.owed)


def _invoice(customer: Customer, number: str, minor: int, due: date) -> None:
    Invoice.objects.create(organization=customer.organization, customer=customer, number=number, kind="invoice",
                           issue_date=due, due_date=due, amount_minor=minor, currency="ILS", open_minor=minor)


def test_models_are_the_orms_for_each_id(ctx) -> None:
    a = Customer.objects.create(organization=ctx.org, ref="P-1", name="Alef Ltd")
    b = Customer.objects.create(organization=ctx.org, ref="P-2", name="Bet Ltd")
    _invoice(a, "A-1", 10050, date(2026, 3, 1))
    _invoice(a, "A-2", 20000, date(2026, 4, 1))
    _invoice(b, "B-1", 700, date(2026, 5, 1))
    for customer in (a, b, a):                       # the query made once, run with each customer's id
        got = prepared.models(("test.invoices",), Invoice, _invoices, customer.id)
        assert [_fields(i) for i in got] == [_fields(i) for i in _invoices(customer.id)]
        assert all(isinstance(i.issue_date, date) for i in got)
        assert all(Invoice.customer.is_cached(i) for i in got)       # read with it, not read again
    assert prepared.models(("test.invoices",), Invoice, _invoices, 999_999) == []


def test_rows_and_a_related_organization(ctx) -> None:
    def build(user_id: int):
        return Membership.objects.filter(user_id=user_id).select_related("organization")

    user_id = Membership.objects.get(organization=ctx.org, role="owner").user_id
    [m] = prepared.models(("test.memberships",), Membership, build, user_id)
    assert (m.role, m.organization.name, m.organization.settings) == (
        "owner", ctx.org.name, type(ctx.org).objects.get(id=ctx.org.id).settings)   # JSON as the ORM reads it
    rows = prepared.rows(("test.membership_rows",), lambda uid: build(uid).values_list("role", "organization_id"),
                         user_id)
    assert rows == [("owner", ctx.org.id)]


def test_a_query_without_the_id_or_of_another_model_is_refused(ctx) -> None:
    with pytest.raises(RuntimeError):
        prepared.models(("test.no_id",), Invoice, lambda _id: Invoice.objects.filter(number="x"), 1)
    with pytest.raises(TypeError):
        prepared.models(("test.invoices_as",), Membership, _invoices, 1)

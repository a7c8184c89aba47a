"""Predicted payment dates of a customer's open invoices (issue 17): the rule is
:func:`gvia.core.prediction.predict`; this reads what it needs.

- The customer's own invoices paid in full and the day each was (the latest payment allocated to
  it), from the history the early-warning signals read
  (:func:`gvia.services.engine.signals.history_of`: the last three years; the customer page reads
  it once and passes it).
- The organization's lateness distribution (:func:`organization_pool`): the invoices paid in full
  in those three years of :data:`POOL_CUSTOMERS` of its customers, in one grouped query through
  the invoices' (customer, due date) index, so a page at a million invoices reads a few thousand
  rows (about 1,750 invoices, 11-21 ms on SQLite at 1,000,000 invoices on this loaded machine;
  reading the business's most recently due paid invoices instead took 1.5-2 s: no index reads
  them in that order).
- The customer's open invoices (kind ``invoice``, something open, issued by ``today``), the oldest
  due first, unless the caller gives those it shows.

:func:`of_customer` returns an :class:`InvoicePrediction` per open invoice (codes and values:
``basis`` one of :data:`gvia.core.prediction.BASES`); the customer page and ``gvia customer
predict`` word them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Max, Subquery

from gvia.core.money import Money
from gvia.core.prediction import Paid, Pool, Prediction, pool, predict
from gvia.core.signals import History
from gvia.services.context import Ctx
from gvia.services.engine import signals
from gvia.store.models import Allocation, Customer, Invoice

#: How many of the organization's customers make its distribution: the first the database lists,
#: in no particular order (ordering them would sort every customer: 25-50 ms at 100,000 on SQLite);
#: their paid invoices are a sample of the business's, and the distribution weighs half an invoice
#: (:data:`gvia.core.prediction.TUNING`).
POOL_CUSTOMERS = 200


@dataclass(frozen=True)
class InvoicePrediction:
    invoice_id: int
    number: str
    due: date
    open: Money
    prediction: Prediction


def own_paid(history: History) -> list[Paid]:
    """The customer's invoices paid in full, from their early-warning history."""
    return [Paid(inv.due, inv.paid) for inv in history.invoices if inv.paid is not None]


def organization_pool(ctx: Ctx, today: date) -> Pool:
    """The organization's lateness distribution on ``today`` (see the module's text): one grouped
    query over the invoices paid in full in the last three years of :data:`POOL_CUSTOMERS` of its
    customers, read through the invoices' (customer, due date) index."""
    start = today - timedelta(days=365 * signals.YEARS_READ)
    some = Customer.objects.filter(organization=ctx.org).order_by().values("id")[:POOL_CUSTOMERS]
    last = (Allocation.objects.filter(organization=ctx.org, source=Allocation.Source.PAYMENT,
                                      invoice__customer_id__in=Subquery(some), invoice__organization=ctx.org,
                                      invoice__kind=Invoice.Kind.INVOICE, invoice__open_minor=0,
                                      invoice__due_date__gte=start, invoice__due_date__lte=today)
            .values("invoice_id", "invoice__due_date").annotate(day=Max("payment__date"))
            .values_list("invoice__due_date", "day").order_by())
    return pool((Paid(due, day) for due, day in last if day is not None), today)


def open_invoices(ctx: Ctx, customer_id: int, today: date) -> list[tuple[int, str, date, Money]]:
    """The customer's open invoices on ``today`` (id, number, due date, open amount), oldest due first."""
    return [(iid, number, due, Money.from_minor(open_minor, currency))
            for iid, number, due, open_minor, currency in Invoice.objects.filter(
                organization=ctx.org, customer_id=customer_id, kind=Invoice.Kind.INVOICE,
                issue_date__lte=today).exclude(open_minor=0)
            .order_by("due_date", "id").values_list("id", "number", "due_date", "open_minor", "currency")]


def of_customer(ctx: Ctx, customer_id: int, today: date, history: History | None = None,
                invoices: list[tuple[int, str, date, Money]] | None = None,
                org: Pool | None = None) -> list[InvoicePrediction]:
    """The predicted payment date of each of the customer's open invoices on ``today``;
    ``history``: theirs (:func:`gvia.services.engine.signals.history_of`) and ``invoices``: the
    open ones to predict (:func:`open_invoices`' rows, all of them by default), when the caller
    has read them (the customer page: the invoices it shows); ``org``: the organization's
    :func:`organization_pool` when the caller keeps it."""
    ctx.require("viewer", "reading predicted payment dates")
    rows = open_invoices(ctx, customer_id, today) if invoices is None else invoices
    if not rows:
        return []
    if history is None:
        history = signals.history_of(ctx, customer_id, today)
    own = own_paid(history)
    org = organization_pool(ctx, today) if org is None else org
    return [InvoicePrediction(iid, number, due, amount, predict(due, today, own, org))
            for iid, number, due, amount in rows]


def as_json(rows: list[InvoicePrediction]) -> list[dict]:
    """The predictions as ``gvia customer predict --format json`` prints them."""
    return [{"invoice": r.number, "due": r.due.isoformat(),
             "open": {"amount": str(r.open.amount), "currency": r.open.currency},
             "predicted": r.prediction.day.isoformat(), "low": r.prediction.low.isoformat(),
             "high": r.prediction.high.isoformat() if r.prediction.high else None,
             "basis": r.prediction.basis, "own_paid_invoices": r.prediction.own} for r in rows]

"""Predicted payment dates of a customer's open invoices (issue 17): the rule is
:func:`gvia.core.prediction.predict`; this reads what it needs.

- The customer's own invoices paid in full and the day each was (the latest payment allocated to
  it), from the history the early-warning signals read
  (:func:`gvia.services.engine.signals.history_of`: the last three years; the customer page reads
  it once and passes it).
- The organization's lateness distribution (:func:`organization_pool`): its :data:`POOL_SIZE`
  invoices paid in full most recently due in those three years, in two queries (the invoices by
  the due-date index, their payments' last day grouped: one query), so a page at a million
  invoices reads a few thousand rows.
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
from gvia.store.models import Allocation, Invoice

#: How many of the organization's paid invoices make its distribution (the most recently due).
POOL_SIZE = 5000


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
    query over the payments of its :data:`POOL_SIZE` paid invoices most recently due."""
    start = today - timedelta(days=365 * signals.YEARS_READ)
    recent = (Invoice.objects.filter(organization=ctx.org, kind=Invoice.Kind.INVOICE, open_minor=0,
                                     due_date__gte=start, due_date__lte=today)
              .order_by("-due_date", "-id").values("id")[:POOL_SIZE])
    last = (Allocation.objects.filter(organization=ctx.org, source=Allocation.Source.PAYMENT,
                                      invoice_id__in=Subquery(recent))
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
                invoices: list[tuple[int, str, date, Money]] | None = None) -> list[InvoicePrediction]:
    """The predicted payment date of each of the customer's open invoices on ``today``;
    ``history``: theirs (:func:`gvia.services.engine.signals.history_of`) and ``invoices``: the
    open ones to predict (:func:`open_invoices`' rows, all of them by default), when the caller
    has read them (the customer page: the invoices it shows)."""
    ctx.require("viewer", "reading predicted payment dates")
    rows = open_invoices(ctx, customer_id, today) if invoices is None else invoices
    if not rows:
        return []
    if history is None:
        history = signals.history_of(ctx, customer_id, today)
    own = own_paid(history)
    org = organization_pool(ctx, today)
    return [InvoicePrediction(iid, number, due, amount, predict(due, today, own, org))
            for iid, number, due, amount in rows]


def as_json(rows: list[InvoicePrediction]) -> list[dict]:
    """The predictions as ``gvia customer predict --format json`` prints them."""
    return [{"invoice": r.number, "due": r.due.isoformat(),
             "open": {"amount": str(r.open.amount), "currency": r.open.currency},
             "predicted": r.prediction.day.isoformat(), "low": r.prediction.low.isoformat(),
             "high": r.prediction.high.isoformat() if r.prediction.high else None,
             "basis": r.prediction.basis, "own_paid_invoices": r.prediction.own} for r in rows]

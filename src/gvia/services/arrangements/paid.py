"""The money an arrangement counts, and the balance and currency it is built on.

Money paid (:func:`received`)
=============================

What counts as paid towards an arrangement is the same as what the ledger counts: cleared
payments (a pending post-dated cheque is not money yet, a bounced one never was), each worth
its amount plus the tax withheld at source, on its value date when it has one (the day the
money is there), else its date. A payment that names an invoice outside the arrangement does
not count towards it. A plan or a settlement is built from the balance in the books when it
is agreed, so only payments that were not yet in the books then count towards it
(:func:`counted`); a promise counts the payments dated from the day it was made.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Iterable

from gvia.core.demand import demand, open_totals
from gvia.core.errors import FieldProblem, UnknownCurrency, ValidationFailed
from gvia.core.money import Money, normalize_currency
from gvia.services.context import Ctx
from gvia.services.engine.pauses import disputed_invoice_ids
from gvia.services.ledger.books import unapplied_totals
from gvia.store.ledger_store import chunks
from gvia.store.models import Customer, Invoice, Payment


@dataclass(frozen=True)
class Received:
    """One cleared payment as arrangements count it."""

    day: date
    amount: Money
    invoice_id: int | None
    payment_id: int


def received(customer_ids: Iterable[int]) -> dict[int, list[Received]]:
    """Cleared payments of the customers, oldest first (rules in the module docstring)."""
    out: dict[int, list[Received]] = defaultdict(list)
    ids = sorted(set(customer_ids))
    for part in chunks(ids):
        rows = (Payment.objects.filter(customer_id__in=list(part), status=Payment.Status.CLEARED)
                .values_list("id", "customer_id", "date", "value_date", "amount_minor", "withholding_minor",
                             "currency", "invoice_id"))
        for pid, cid, d, vd, amount, wh, cur, inv in rows:
            day = vd or d
            if not isinstance(day, date):
                day = date.fromisoformat(str(day))
            out[cid].append(Received(day, Money.from_minor(amount + wh, cur), inv, pid))
    for items in out.values():
        items.sort(key=lambda r: (r.day, r.payment_id))
    return out


def counted(payments: Iterable[Received], currency: str, *, after_payment_id: int = 0,
            invoice_ids: Iterable[int] | None = None) -> list[tuple[date, Money]]:
    """The payments that count towards an arrangement in ``currency``: those not yet in the
    books when it was agreed (id above ``after_payment_id``: the ones before are already in
    the balance it was built from); with ``invoice_ids``, a payment that names another invoice
    does not count."""
    allowed = set(invoice_ids) if invoice_ids is not None else None
    out = []
    for r in payments:
        if r.amount.currency != currency or r.payment_id <= after_payment_id:
            continue
        if allowed is not None and r.invoice_id is not None and r.invoice_id not in allowed:
            continue
        out.append((r.day, r.amount))
    return out


def last_payment_id(customer: Customer) -> int:
    """The id of the customer's latest payment row (0 when none): the cut for :func:`counted`."""
    return Payment.objects.filter(customer=customer).order_by("-id").values_list("id", flat=True).first() or 0


@dataclass(frozen=True)
class _OpenInvoice:
    id: int
    due_date: date
    open: Money


def open_balance(ctx: Ctx, customer: Customer, currency: str,
                 due_by: date | None = None) -> tuple[Money, list[int]]:
    """What the customer owes in ``currency`` that an arrangement may cover, and the invoices
    it is made of: open invoices not under an open dispute, less unapplied credit. With
    ``due_by`` (a settlement offer, which demands payment), only the invoices due on or before
    that day (:func:`gvia.core.demand.demand`)."""
    disputed = disputed_invoice_ids(customer)
    lines = [_OpenInvoice(iid, due, Money.from_minor(open_minor, currency))
             for iid, due, open_minor in (
                 Invoice.objects.filter(customer=customer, kind=Invoice.Kind.INVOICE, currency=currency)
                 .exclude(open_minor=0).order_by("due_date", "id").values_list("id", "due_date", "open_minor"))
             if iid not in disputed]
    if due_by is not None:
        lines = list(demand(lines, due_by, "omit").demanded)
    total = open_totals(lines).get_or_zero(currency)
    credit = unapplied_totals(ctx, customer.id).get_or_zero(currency)
    return total - credit, [ln.id for ln in lines]


def customer_currency(ctx: Ctx, customer: Customer, currency: str | None = None) -> str:
    """The currency an arrangement is in: ``currency`` when given, else the one currency of the
    customer's open invoices, else the organization's. Refused when the customer owes in
    several currencies and none is named (amounts of two currencies are never added)."""
    if currency:
        try:
            return normalize_currency(currency)
        except UnknownCurrency as exc:
            raise ValidationFailed([FieldProblem(None, "currency", currency, str(exc),
                                                 code="unknown_currency")]) from None
    found = sorted(set(Invoice.objects.filter(customer=customer, kind=Invoice.Kind.INVOICE).exclude(open_minor=0)
                       .values_list("currency", flat=True).distinct()))
    if len(found) > 1:
        raise ValidationFailed([FieldProblem(None, "currency", "", "owes in several currencies",
                                             code="several_currencies", params={"currencies": tuple(found)})])
    return found[0] if found else ctx.org.default_currency

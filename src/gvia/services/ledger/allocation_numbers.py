"""Israel's allocation numbers (מספר הקצאה) on invoices: record one, or confirm going on without.

An overdue invoice that needs a number and has none holds its case's next step
(:mod:`gvia.core.allocation`, :mod:`gvia.core.escalation` hold ``allocation_number_missing``):
the customer cannot deduct its VAT without the number and may be waiting for it. A person lifts
the hold by recording the number (:func:`set_number`, ``gvia invoice allocation N --number``, the
invoice page) or by confirming that the case goes on without it (:func:`confirm_without`,
``--confirm-without``). :func:`flagged` lists the invoices that hold a case today: the worklist's
``allocation_numbers`` section, the customer page and the invoice page read it.

Refusals are codes (``refusal.<code>`` in the catalogs): ``invoice_unknown``,
``allocation_number_empty``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from gvia.core import aging
from gvia.core.allocation import (
    ALLOCATION_THRESHOLDS,
    MISSING,
    InvoiceFacts,
    amount_before_vat,
    needs_allocation_number,
    threshold_on,
)
from gvia.core.errors import NotFoundFor, RefusedFor
from gvia.core.money import Money
from gvia.services import audit
from gvia.services.context import Ctx
from gvia.store.models import Invoice

__all__ = ["Flag", "flagged", "set_number", "confirm_without", "facts_of"]


@dataclass(frozen=True, slots=True)
class Flag:
    """One overdue invoice that needs an allocation number and has none."""

    invoice_id: int
    number: str
    customer_id: int
    customer_ref: str
    customer_name: str
    issue_date: date
    due_date: date
    amount: Money
    before_vat: Decimal
    threshold: Decimal


def facts_of(inv: Invoice) -> InvoiceFacts:
    """What the rule reads of a stored invoice."""
    return InvoiceFacts(number=inv.number, issue_date=inv.issue_date, currency=inv.currency,
                        amount_minor=inv.amount_minor, amount_before_vat_minor=inv.amount_before_vat_minor,
                        allocation_number=inv.allocation_number, confirmed_without=inv.allocation_confirmed_without,
                        kind=inv.kind)


def flagged(ctx: Ctx, today: date, customer_id: int | None = None) -> list[Flag]:
    """The open invoices overdue on ``today`` that need an allocation number and have none (and
    no person confirmed going on without it), oldest due first; one customer's when given. Read as
    plain values (no model instances: at 100,000 customers thousands of invoices are candidates)."""
    lowest = int(min(r.value for r in ALLOCATION_THRESHOLDS) * 100)
    q = (Invoice.objects.filter(organization=ctx.org, kind=Invoice.Kind.INVOICE, currency="ILS", allocation_number="",
                                allocation_confirmed_without=False, due_date__lt=aging.overdue_bound(today),
                                issue_date__gte=min(r.start for r in ALLOCATION_THRESHOLDS))
         .exclude(open_minor=0)
         .filter(Q(amount_minor__gt=lowest) | Q(amount_before_vat_minor__gt=lowest))
         .order_by("due_date", "number"))
    if customer_id is not None:
        q = q.filter(customer_id=customer_id)
    out = []
    for (iid, number, issue, due, currency, amount, before, cid, ref, name, kind,
         exempt) in q.values_list("id", "number", "issue_date", "due_date", "currency", "amount_minor",
                                  "amount_before_vat_minor", "customer_id", "customer__ref", "customer__name",
                                  "customer__kind", "customer__vat_exempt"):
        facts = InvoiceFacts(number=number, issue_date=issue, currency=currency, amount_minor=amount,
                             amount_before_vat_minor=before, allocation_number="", confirmed_without=False,
                             kind=Invoice.Kind.INVOICE)
        if needs_allocation_number(facts, kind, exempt) != MISSING:
            continue
        out.append(Flag(iid, number, cid, ref, name, issue, due, Money.from_minor(amount, currency),
                        amount_before_vat(facts) or Decimal(0), threshold_on(issue) or Decimal(0)))
    return out


def _invoice(ctx: Ctx, number: str) -> Invoice:
    inv = Invoice.objects.filter(organization=ctx.org, kind=Invoice.Kind.INVOICE, number=number.strip()).first()
    if inv is None:
        raise NotFoundFor("invoice_unknown", f"no invoice {number!r}", number=number)
    return inv


@transaction.atomic
def set_number(ctx: Ctx, invoice_number: str, allocation_number: str) -> Invoice:
    """Record the invoice's allocation number (the hold it caused lifts at the next run)."""
    ctx.require("collector", "recording an allocation number")
    inv = _invoice(ctx, invoice_number)
    value = allocation_number.strip()
    if not value:
        raise RefusedFor("allocation_number_empty", "an allocation number cannot be empty")
    if len(value) > Invoice._meta.get_field("allocation_number").max_length:  # type: ignore[operator]  # CharField
        raise RefusedFor("allocation_number_too_long", "an allocation number is at most 32 characters")
    old = inv.allocation_number
    inv.allocation_number = value
    inv.source_digest = None   # a row for it again is compared afresh, not skipped (imports/digests.py)
    inv.save(update_fields=["allocation_number", "source_digest", "updated_at"])
    audit.record(ctx, "invoice.allocation_number", inv, number=inv.number, old=old, new=value)
    return inv


@transaction.atomic
def confirm_without(ctx: Ctx, invoice_number: str) -> Invoice:
    """A person confirms that the case goes on although the invoice has no allocation number."""
    ctx.require("collector", "going on without an allocation number")
    inv = _invoice(ctx, invoice_number)
    if not inv.allocation_confirmed_without:
        inv.allocation_confirmed_without = True
        inv.save(update_fields=["allocation_confirmed_without", "updated_at"])
        audit.record(ctx, "invoice.allocation_confirmed_without", inv, number=inv.number)
    return inv

"""Write-offs: giving up part of a debt, with a reason, an owner's approval and a record.

A write-off is never a deletion: it is a :class:`~gvia.store.models.WriteOff` row on one
invoice, and an *approved* one reduces that invoice's open amount through the ledger
(``InvoiceRec.written_off``, loaded by :func:`gvia.store.ledger_store.load_records`), so it
shows as its own line on the statement and in :func:`report`.

* ``gvia writeoff CUSTOMER_REF --invoice N --reason R`` asks for one (a collector may);
  the amount is the invoice's open amount unless a smaller one is given.
* ``gvia writeoff approve ID`` approves it - **owners only** (a collector is refused and
  nothing changes). The amount is checked again against what is open on that day.
* ``gvia writeoff reject ID`` refuses it (owners only).

A paid settlement and a dispute found valid write off through :func:`write_off_now` with
the approval recorded where it was given (the settlement's approver, the owner who resolved
the dispute).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q

from gvia.core.errors import FieldProblem, NotFoundFor, RefusedFor, ValidationFailed
from gvia.core.money import Money, Totals
from gvia.services import audit, clock
from gvia.services.arrangements.typed import parse_money
from gvia.services.context import Ctx
from gvia.services.engine.activities import timeline
from gvia.services.ledger import books as ledger
from gvia.services.lookup import owned
from gvia.store.models import Activity, Customer, Invoice, WriteOff

__all__ = ["request_writeoff", "approve_writeoff", "reject_writeoff", "write_off_now", "list_writeoffs",
           "report", "WriteOffReport"]


def _invoice(ctx: Ctx, customer: Customer, number: str) -> Invoice:
    inv = Invoice.objects.filter(organization=ctx.org, customer=customer, kind=Invoice.Kind.INVOICE,
                                 number=number).first()
    if inv is None:
        raise NotFoundFor("invoice_not_of_customer", f"{customer.ref} has no invoice {number!r}",
                          ref=customer.ref, number=number)
    return inv


def request_writeoff(ctx: Ctx, customer_ref: str, invoice_number: str, reason: str, amount: str | None = None,
                     now: datetime | None = None) -> WriteOff:
    """Ask to write off (part of) an invoice's open amount. Refused: no reason, nothing open,
    an amount above what is open, a request already waiting for the same invoice."""
    ctx.require("collector", "asking for a write-off")
    now = now or clock.now_utc()
    today = clock.org_today(ctx.org, now)
    customer = ledger.get_customer(ctx, customer_ref)
    inv = _invoice(ctx, customer, invoice_number)
    if not reason.strip():
        raise ValidationFailed([FieldProblem(None, "reason", reason, "needs a reason", code="writeoff_needs_reason")])
    open_ = Money.from_minor(inv.open_minor, inv.currency)
    money = parse_money(amount, inv.currency) if amount not in (None, "") else open_
    if open_.amount <= 0:
        raise RefusedFor("writeoff_nothing_open", f"invoice {inv.number} has nothing open", number=inv.number)
    if money.amount <= 0 or money > open_:
        raise RefusedFor("writeoff_amount", f"write-off {money} of {open_} open", amount=money, number=inv.number,
                         open=open_)
    with transaction.atomic():
        if WriteOff.objects.filter(invoice=inv, status=WriteOff.Status.REQUESTED).exists():
            raise RefusedFor("writeoff_already_waiting", f"a write-off of {inv.number} waits", number=inv.number)
        w = WriteOff.objects.create(organization=ctx.org, customer=customer, invoice=inv, amount_minor=money.minor,
                                    currency=money.currency, reason=reason.strip(), requested_by=ctx.actor,
                                    requested_on=today)
        timeline(ctx.org, customer.id, Activity.Kind.WRITEOFF, today, now,
                 f"Write-off {w.id} of {money} on invoice {inv.number} requested: {reason.strip()}", ctx.actor,
                 writeoff=w.id, status=w.status, event="writeoff.requested", amount=str(money.amount),
                 currency=money.currency, invoice=inv.number, note=reason.strip())
        audit.record(ctx, "writeoff.requested", w, customer=customer.ref, invoice=inv.number,
                     amount=str(money.amount), currency=money.currency, reason=reason.strip())
    return w


def _get(ctx: Ctx, writeoff_id: int | str) -> WriteOff:
    return owned(ctx, WriteOff, writeoff_id, "write-off", lock=True, related=("invoice", "customer"))


def approve_writeoff(ctx: Ctx, writeoff_id: int | str, note: str = "", now: datetime | None = None) -> WriteOff:
    """Approve a requested write-off (owners only); the invoice's open amount goes down by it."""
    ctx.require("owner", "approving a write-off")
    now = now or clock.now_utc()
    today = clock.org_today(ctx.org, now)
    with transaction.atomic():
        w = _get(ctx, writeoff_id)
        if w.status != WriteOff.Status.REQUESTED:
            raise RefusedFor("writeoff_decided", f"write-off {w.id} is {w.status}", writeoff=w.id)
        ledger.recompute(ctx, [w.customer_id])
        inv = Invoice.objects.get(id=w.invoice_id)
        if w.amount_minor > inv.open_minor:
            raise RefusedFor("writeoff_more_than_open", f"write-off {w.id} is more than is open",
                             writeoff=w.id, amount=Money.from_minor(w.amount_minor, w.currency),
                             open=Money.from_minor(inv.open_minor, inv.currency), number=inv.number)
        w.status = WriteOff.Status.APPROVED
        w.approved_by = ctx.actor
        w.decided_on = today
        w.decision_note = note.strip()
        w.save(update_fields=["status", "approved_by", "decided_on", "decision_note"])
        ledger.recompute(ctx, [w.customer_id])
        money = Money.from_minor(w.amount_minor, w.currency)
        timeline(ctx.org, w.customer_id, Activity.Kind.WRITEOFF, today, now,
                 f"Write-off {w.id} of {money} on invoice {inv.number} approved by {ctx.actor}: {w.reason}",
                 ctx.actor, writeoff=w.id, status=w.status, event="writeoff.approved", by=ctx.actor,
                 amount=str(money.amount), currency=money.currency, invoice=inv.number, note=w.reason)
        audit.record(ctx, "writeoff.approved", w, invoice=inv.number, amount=str(money.amount),
                     currency=money.currency, reason=w.reason, note=note.strip())
    return w


def reject_writeoff(ctx: Ctx, writeoff_id: int | str, note: str = "", now: datetime | None = None) -> WriteOff:
    """Refuse a requested write-off (owners only); nothing changes in the ledger."""
    ctx.require("owner", "rejecting a write-off")
    now = now or clock.now_utc()
    today = clock.org_today(ctx.org, now)
    with transaction.atomic():
        w = _get(ctx, writeoff_id)
        if w.status != WriteOff.Status.REQUESTED:
            raise RefusedFor("writeoff_decided", f"write-off {w.id} is {w.status}", writeoff=w.id)
        w.status = WriteOff.Status.REJECTED
        w.approved_by = ctx.actor
        w.decided_on = today
        w.decision_note = note.strip()
        w.save(update_fields=["status", "approved_by", "decided_on", "decision_note"])
        timeline(ctx.org, w.customer_id, Activity.Kind.WRITEOFF, today, now,
                 f"Write-off {w.id} on invoice {w.invoice.number} rejected by {ctx.actor}"
                 + (f": {note.strip()}" if note.strip() else ""), ctx.actor, writeoff=w.id, status=w.status,
                 event="writeoff.rejected", by=ctx.actor, invoice=w.invoice.number, note=note.strip())
        audit.record(ctx, "writeoff.rejected", w, note=note.strip())
    return w


def write_off_now(org, customer_id: int, invoices: list[tuple[Invoice, int]], reason: str, approved_by: str,
                  today: date, origin: str, settlement=None, dispute=None) -> list[WriteOff]:
    """Approved write-offs for (invoice, amount in minor units) pairs, approval given elsewhere
    (a settlement's approver, the owner resolving a dispute). The caller recomputes the ledger."""
    rows = [WriteOff(organization=org, customer_id=customer_id, invoice=inv, amount_minor=amount,
                     currency=inv.currency, reason=reason, status=WriteOff.Status.APPROVED, origin=origin,
                     settlement=settlement, dispute=dispute, requested_by=approved_by, requested_on=today,
                     approved_by=approved_by, decided_on=today)
            for inv, amount in invoices if amount > 0]
    return WriteOff.objects.bulk_create(rows)


def list_writeoffs(ctx: Ctx, status: str | None = None, customer_ref: str | None = None) -> list[WriteOff]:
    ctx.require("viewer", "listing write-offs")
    qs = WriteOff.objects.filter(organization=ctx.org).select_related("customer", "invoice").order_by("id")
    if status:
        if status not in WriteOff.Status.values:
            raise ValidationFailed([FieldProblem(None, "status", status, "not a status", code="one_of",
                                                 params={"choices": tuple(WriteOff.Status.values)})])
        qs = qs.filter(status=status)
    if customer_ref:
        qs = qs.filter(customer=ledger.get_customer(ctx, customer_ref))
    return list(qs)


@dataclass
class WriteOffReport:
    """Write-offs between two days (by the day decided), reported apart from payments."""

    since: date | None
    until: date | None
    approved: Totals
    by_origin: dict[str, Totals]
    rows: list[dict]

    def as_dict(self) -> dict:
        return {"since": self.since.isoformat() if self.since else None,
                "until": self.until.isoformat() if self.until else None,
                "approved": self.approved.as_strings(),
                "by_origin": {k: v.as_strings() for k, v in sorted(self.by_origin.items())},
                "write_offs": self.rows}


def report(ctx: Ctx, since: date | None = None, until: date | None = None) -> WriteOffReport:
    """Approved write-offs decided between ``since`` and ``until`` (inclusive), totals per
    currency and per origin (by hand, settlement, dispute), and every write-off in that time."""
    ctx.require("viewer", "reading the write-off report")
    qs = WriteOff.objects.filter(organization=ctx.org).select_related("customer", "invoice").order_by("id")
    if since:
        qs = qs.filter(Q(decided_on__gte=since) | Q(decided_on__isnull=True, requested_on__gte=since))
    if until:
        qs = qs.filter(Q(decided_on__lte=until) | Q(decided_on__isnull=True, requested_on__lte=until))
    rows: list[dict] = []
    approved = Totals()
    by_origin: dict[str, Totals] = {}
    for w in qs:
        money = Money.from_minor(w.amount_minor, w.currency)
        if w.status == WriteOff.Status.APPROVED:
            approved.add(money)
            by_origin.setdefault(w.origin, Totals()).add(money)
        rows.append({"id": w.id, "customer": w.customer.ref, "invoice": w.invoice.number, "amount": str(money.amount),
                     "currency": w.currency, "status": w.status, "origin": w.origin, "reason": w.reason,
                     "requested_by": w.requested_by, "requested_on": w.requested_on.isoformat(),
                     "approved_by": w.approved_by, "decided_on": w.decided_on.isoformat() if w.decided_on else None})
    return WriteOffReport(since, until, approved, by_origin, rows)

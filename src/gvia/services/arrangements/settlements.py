"""Settlements: a reduced amount accepted if paid by a deadline, approved by an owner.

* ``gvia settle CUSTOMER_REF --amount A --deadline D`` records the offer (a collector may):
  the **debt** is what the customer owes in one currency and is due on the day of the offer
  (as for a payment plan: open invoices not under dispute, less unapplied credit, but only
  those due on or before that day: an offer demands payment, and a demand asks only for what
  is due, :mod:`gvia.core.demand`), the **agreed** amount must be more than
  zero and less than the debt, the deadline not in the past
  (:class:`gvia.core.settlements.Settlement` refuses the rest). One offer per customer at a
  time, and none while a payment plan runs.
* ``gvia settle approve ID`` - **owners only**, always: the offer is approved (who, when,
  why), and the case pauses through the deadline (a Pause of kind "settlement").
  ``gvia settle reject ID`` declines it.
* The daily run (:func:`follow_settlement`) counts the payments received
  (:func:`gvia.core.settlements.evaluate`). **Paid in time**: the rest of the debt is written
  off - approved write-offs on the settlement's invoices, oldest first, each recording who
  approved the settlement and why - and the pause ends. **Not paid by the deadline**: the
  offer lapses, the pause ends and the full debt stands (less what was paid). An offer never
  approved lapses at its deadline too.

Interest and fees are never part of the debt; ``waives_interest`` (default yes) records that
the settlement waives them, so letters and ``gvia interest`` leave the settled invoices out.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction

from gvia.core import settlements as core
from gvia.core.errors import FieldProblem, RefusedFor, ValidationFailed
from gvia.core.money import Money
from gvia.services import audit, clock
from gvia.services.arrangements.paid import Received, counted, customer_currency, last_payment_id, open_balance
from gvia.services.arrangements.typed import parse_day, parse_money
from gvia.services.arrangements.writeoffs import write_off_now
from gvia.services.context import Ctx
from gvia.services.engine.activities import timeline
from gvia.services.engine.pauses import end_pause, open_pause
from gvia.services.ledger import books as ledger
from gvia.services.lookup import owned
from gvia.store.models import Activity, Customer, Invoice, Pause, PaymentPlan, Settlement, WriteOff

__all__ = ["offer_settlement", "approve_settlement", "reject_settlement", "get_settlement", "follow_settlement",
           "to_core", "waived_invoice_ids"]


def to_core(s: Settlement) -> core.Settlement:
    return core.Settlement(Money.from_minor(s.debt_minor, s.currency), Money.from_minor(s.agreed_minor, s.currency),
                           s.deadline, s.offered_on, s.waives_interest)


def offer_settlement(ctx: Ctx, customer_ref: str, amount: str, deadline: date | str, reason: str = "",
                     currency: str | None = None, waives_interest: bool = True,
                     now: datetime | None = None) -> Settlement:
    """Record a settlement offer (rules in the module docstring); it needs an owner's approval."""
    ctx.require("collector", "offering a settlement")
    now = now or clock.now_utc()
    today = clock.org_today(ctx.org, now)
    customer = ledger.get_customer(ctx, customer_ref)
    deadline_day = parse_day(deadline, "deadline")
    code = customer_currency(ctx, customer, currency)
    agreed = parse_money(amount, code)
    if deadline_day < today:
        raise ValidationFailed([FieldProblem(None, "deadline", deadline_day.isoformat(),
                                             f"is before today ({today.isoformat()})", code="before_today",
                                             params={"today": today})])
    with transaction.atomic():
        Customer.objects.select_for_update().filter(id=customer.id).first()
        pending = Settlement.objects.filter(customer=customer, status__in=(Settlement.Status.OFFERED,
                                                                           Settlement.Status.APPROVED)).first()
        if pending is not None:
            raise RefusedFor("settlement_already_open",
                             f"{customer.ref} already has settlement {pending.id} ({pending.status}); "
                             "it must end first",
                             ref=customer.ref, settlement=pending.id)
        plan = PaymentPlan.objects.filter(customer=customer, status=PaymentPlan.Status.ACTIVE).first()
        if plan is not None:
            raise RefusedFor("settlement_plan_running",
                             f"{customer.ref} has payment plan {plan.id} running for the same debt; cancel it first "
                             f"(gvia plan cancel {plan.id})", ref=customer.ref, plan=plan.id)
        debt, invoice_ids = open_balance(ctx, customer, code, due_by=today)
        if debt.amount <= 0:
            raise RefusedFor("settlement_nothing_due",
                             f"{customer.name} ({customer.ref}) owes nothing in {code} that is due on "
                             f"{today.isoformat()}: there is nothing to settle",
                             customer=customer.name, ref=customer.ref, currency=code, today=today)
        offer = core.Settlement(debt, agreed, deadline_day, today, waives_interest)   # refuses agreed > debt
        if agreed == debt:
            raise RefusedFor("settlement_whole_debt",
                             f"the agreed amount {agreed} is the whole debt: that is not a settlement", agreed=agreed)
        row = Settlement.objects.create(
            organization=ctx.org, customer=customer, debt_minor=debt.minor, agreed_minor=agreed.minor, currency=code,
            deadline=deadline_day, offered_on=today, invoices=invoice_ids,
            payments_known_through=last_payment_id(customer), waives_interest=waives_interest,
            reason=reason.strip(), created_by=ctx.actor)
        timeline(ctx.org, customer.id, Activity.Kind.SETTLEMENT, today, now,
                 f"Settlement {row.id} offered: {agreed} of {debt} by {deadline_day.isoformat()} "
                 f"({offer.discount} to be written off if paid in time); awaiting an owner's approval"
                 + (f" — {reason.strip()}" if reason.strip() else ""), ctx.actor, settlement=row.id, status=row.status,
                 event="settlement.offered", agreed=str(agreed.amount), debt=str(debt.amount), currency=agreed.currency,
                 deadline=deadline_day.isoformat(), note=reason.strip())
        audit.record(ctx, "settlement.offered", row, customer=customer.ref, debt=str(debt.amount),
                     agreed=str(agreed.amount), currency=code, deadline=deadline_day.isoformat(), reason=reason.strip())
    return row


def get_settlement(ctx: Ctx, settlement_id: int | str, lock: bool = False) -> Settlement:
    return owned(ctx, Settlement, settlement_id, "settlement", lock=lock)


def approve_settlement(ctx: Ctx, settlement_id: int | str, reason: str = "", now: datetime | None = None) -> Settlement:
    """Approve an offered settlement (owners only) and pause the case through its deadline."""
    ctx.require("owner", "approving a settlement")
    now = now or clock.now_utc()
    today = clock.org_today(ctx.org, now)
    with transaction.atomic():
        row = get_settlement(ctx, settlement_id, lock=True)
        if row.status != Settlement.Status.OFFERED:
            raise RefusedFor("settlement_not_offered", f"settlement {row.id} is {row.status}", settlement=row.id)
        if row.deadline < today:
            raise RefusedFor("settlement_expired", f"settlement {row.id} expired", settlement=row.id,
                             deadline=row.deadline)
        why = "; ".join(x for x in (row.reason, reason.strip()) if x)
        if not why:
            raise ValidationFailed([FieldProblem(None, "reason", "", "needs a reason", code="settlement_needs_reason")],
                                   "approving a settlement needs a reason", code="problems")
        row.status = Settlement.Status.APPROVED
        row.approved_by = ctx.actor
        row.approved_at = now
        row.reason = why
        agreed = Money.from_minor(row.agreed_minor, row.currency)
        row.pause = open_pause(ctx, row.customer, Pause.Kind.SETTLEMENT, row.deadline,
                               f"settlement {row.id}: {agreed} by {row.deadline.isoformat()}", source_id=row.id)
        row.save(update_fields=["status", "approved_by", "approved_at", "reason", "pause"])
        timeline(ctx.org, row.customer_id, Activity.Kind.SETTLEMENT, today, now,
                 f"Settlement {row.id} approved by {ctx.actor}: {agreed} by {row.deadline.isoformat()} — {why}",
                 ctx.actor, settlement=row.id, status=row.status, event="settlement.approved", by=ctx.actor,
                 agreed=str(agreed.amount), currency=agreed.currency, deadline=row.deadline.isoformat(), note=why)
        audit.record(ctx, "settlement.approved", row, reason=why)
    return row


def reject_settlement(ctx: Ctx, settlement_id: int | str, reason: str = "", now: datetime | None = None) -> Settlement:
    """Decline an offered settlement (owners only); the full debt stands."""
    ctx.require("owner", "rejecting a settlement")
    now = now or clock.now_utc()
    today = clock.org_today(ctx.org, now)
    with transaction.atomic():
        row = get_settlement(ctx, settlement_id, lock=True)
        if row.status != Settlement.Status.OFFERED:
            raise RefusedFor("settlement_not_offered", f"settlement {row.id} is {row.status}", settlement=row.id)
        row.status = Settlement.Status.REJECTED
        row.closed_on = today
        row.save(update_fields=["status", "closed_on"])
        timeline(ctx.org, row.customer_id, Activity.Kind.SETTLEMENT, today, now,
                 f"Settlement {row.id} rejected by {ctx.actor}" + (f": {reason.strip()}" if reason.strip() else ""),
                 ctx.actor, settlement=row.id, status=row.status, event="settlement.rejected", by=ctx.actor,
                 note=reason.strip())
        audit.record(ctx, "settlement.rejected", row, reason=reason.strip())
    return row


def follow_settlement(ctx: Ctx, row: Settlement, payments: list[Received], today: date, now: datetime) -> str:
    """Bring one offered or approved settlement up to date on ``today``; returns its status.
    A settlement paid in time writes off the rest and recomputes the customer's ledger."""
    if row.status == Settlement.Status.OFFERED:
        if today > row.deadline:
            row.status = Settlement.Status.LAPSED
            row.closed_on = today
            row.save(update_fields=["status", "closed_on"])
            timeline(ctx.org, row.customer_id, Activity.Kind.SETTLEMENT, today, now,
                     f"Settlement offer {row.id} lapsed on {row.deadline.isoformat()} without an owner's approval; "
                     "the full debt stands", "system", settlement=row.id, status=row.status,
                     event="settlement.offer_lapsed", deadline=row.deadline.isoformat())
        return row.status
    pays = counted(payments, row.currency, after_payment_id=row.payments_known_through, invoice_ids=row.invoices)
    status = core.evaluate(to_core(row), pays, today)
    row.paid_minor = status.paid.minor
    fields = ["paid_minor"]
    if status.state == core.PAID_IN_TIME:
        assert status.paid_on is not None   # core.evaluate gives the day it was paid in full
        ledger.recompute(ctx, [row.customer_id])
        left = status.write_off.minor
        pairs: list[tuple[Invoice, int]] = []
        for inv in Invoice.objects.filter(id__in=row.invoices, currency=row.currency).exclude(open_minor=0).order_by(
                "due_date", "id"):
            take = min(inv.open_minor, left)
            if take > 0:
                pairs.append((inv, take))
                left -= take
        written = write_off_now(ctx.org, row.customer_id, pairs, f"settlement {row.id}: {row.reason}",
                                row.approved_by, today, WriteOff.Origin.SETTLEMENT, settlement=row)
        if written:
            ledger.recompute(ctx, [row.customer_id])
        row.written_off_minor = sum(w.amount_minor for w in written)
        row.status = Settlement.Status.PAID
        row.paid_on = status.paid_on
        row.closed_on = today
        fields += ["written_off_minor", "status", "paid_on", "closed_on"]
        end_pause(row.pause_id)
        off = Money.from_minor(row.written_off_minor, row.currency)
        timeline(ctx.org, row.customer_id, Activity.Kind.SETTLEMENT, today, now,
                 f"Settlement {row.id} paid in time ({status.paid} by {status.paid_on.isoformat()}); {off} written off "
                 f"as approved by {row.approved_by}: {row.reason}", "system", settlement=row.id, status=row.status,
                 written_off=str(off.amount), write_offs=[w.id for w in written], event="settlement.paid",
                 paid=str(status.paid.amount), currency=row.currency, paid_on=status.paid_on.isoformat(),
                 by=row.approved_by, note=row.reason)
    elif status.state == core.LAPSED:
        row.status = Settlement.Status.LAPSED
        row.closed_on = today
        fields += ["status", "closed_on"]
        end_pause(row.pause_id)
        timeline(ctx.org, row.customer_id, Activity.Kind.SETTLEMENT, today, now,
                 f"Settlement {row.id} lapsed: {status.paid} of {Money.from_minor(row.agreed_minor, row.currency)} "
                 f"paid by {row.deadline.isoformat()}; the full debt stands and escalation resumes", "system",
                 settlement=row.id, status=row.status, signal="settlement_lapsed", event="settlement.lapsed",
                 paid=str(status.paid.amount), agreed=str(Money.from_minor(row.agreed_minor, row.currency).amount),
                 currency=row.currency, deadline=row.deadline.isoformat())
    row.save(update_fields=fields)
    return row.status


def waived_invoice_ids(customer: Customer) -> set[int]:
    """Invoices whose interest and fees a settlement waives (approved or paid, waiving)."""
    out: set[int] = set()
    for ids in Settlement.objects.filter(customer=customer, waives_interest=True, status__in=(
            Settlement.Status.APPROVED, Settlement.Status.PAID)).values_list("invoices", flat=True):
        out.update(int(i) for i in ids or [])
    return out

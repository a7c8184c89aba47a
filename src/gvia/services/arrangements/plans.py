"""Payment plans: create one from the open balance, show it, cancel it, and follow it day by day.

Creating (``gvia plan create``)
===============================

The plan covers the customer's **open balance** in one currency: the open invoices (less any
under an open dispute, which are settled separately) less the customer's unapplied credit.
:func:`gvia.core.plans.build_plan` splits it (down payment first, dates moved off days off,
amounts to the agora summing exactly to the balance); :func:`gvia.core.plans.check_limits`
compares it with the organization's limits (``plan_max_months``, ``plan_min_installment``,
``plan_max_installments``, see :mod:`gvia.services.arrangements.limits`). A collector may agree a
plan within the limits; a plan beyond them needs the owner - a collector asking for one is
refused with the reasons and nothing is written, an owner's plan records that the owner
approved it and how it went beyond the limits. One plan per customer runs at a time, and not
while a settlement of the same debt is offered or approved. The plan
pauses the whole case (a Pause of kind "plan") through its last date plus the grace period.

Following (the daily run, :func:`follow_plan`)
==============================================

Payments received that were not yet in the books when the plan was agreed (see
:func:`gvia.services.arrangements.paid.counted`) are applied to the installments in order
(:func:`gvia.core.plans.apply_payments_to_plan`): a bounced cheque is simply not money, so
the installment it paid is open again. An installment still unpaid when its grace period ends
is **missed**: the customer gets a reminder about that installment alone, queued in the outbox
with the idempotency key ``plan:<id>:installment:<n>`` (so it is planned once, however often
the run repeats), and the timeline says so. When ``plan_default_after_missed`` installments
are missed at once the plan **defaults**: it ends, its pause ends, escalation resumes where it
stood, and the timeline records the warning signal. A plan still not paid in full when the
grace period of its last installment is over defaults too (it would otherwise never end). When
everything is paid the plan is **completed** and its pause ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction

from gvia.core import plans as core
from gvia.core.errors import FieldProblem, RefusedFor, ValidationFailed, Worded
from gvia.core.formatting import format_date, format_money
from gvia.core.money import Money
from gvia.services import audit, clock, files
from gvia.services.arrangements.limits import arrangement_settings
from gvia.services.arrangements.paid import Received, counted, customer_currency, last_payment_id, open_balance
from gvia.services.arrangements.typed import parse_day, parse_money
from gvia.services.context import Ctx
from gvia.services.engine.activities import timeline
from gvia.services.engine.pauses import end_pause, open_pause
from gvia.services.ledger import books as ledger
from gvia.services.locality import org_calendar
from gvia.services.lookup import owned
from gvia.store.models import Activity, Case, Customer, OutboxMessage, Pause, PaymentPlan, PlanInstallment, Settlement

__all__ = ["PlanCreated", "create_plan", "get_plan", "show_plan", "cancel_plan", "sign_plan", "follow_plan",
           "installment_key", "reminder_still_wanted"]


#: No plan has more installments than this (30 years of monthly payments), whoever agrees it.
MAX_INSTALLMENTS = 360


@dataclass
class PlanCreated:
    plan: PaymentPlan
    installments: list[PlanInstallment]
    limits_exceeded: list[str]


def installment_key(plan_id: int, number: int) -> str:
    """The idempotency key of the reminder about installment ``number`` of plan ``plan_id``."""
    return core.Installment(number, date.min, Money.zero("ILS")).key(f"plan:{plan_id}")


def create_plan(ctx: Ctx, customer_ref: str, installments: int, frequency: str, first: date | str,
                down: str | None = None, cheques: bool = False, currency: str | None = None,
                now: datetime | None = None) -> PlanCreated:
    """Agree a payment plan for the customer's open balance (rules in the module docstring)."""
    ctx.require("collector", "agreeing a payment plan")
    now = now or clock.now_utc()
    today = clock.org_today(ctx.org, now)
    customer = ledger.get_customer(ctx, customer_ref)
    first_day = parse_day(first, "first")
    code = customer_currency(ctx, customer, currency)
    down_money = parse_money(down, code, "down") if down not in (None, "") else None
    if isinstance(installments, int) and installments > MAX_INSTALLMENTS:
        raise ValidationFailed([FieldProblem(None, "installments", str(installments),
                                             f"at most {MAX_INSTALLMENTS}", code="installments_at_most",
                                             params={"most": MAX_INSTALLMENTS})])
    if first_day < today:
        raise ValidationFailed([FieldProblem(None, "first", first_day.isoformat(),
                                             f"is before today ({today.isoformat()})", code="before_today",
                                             params={"today": today})])
    settings = arrangement_settings(ctx.org)
    with transaction.atomic():
        Customer.objects.select_for_update().filter(id=customer.id).first()
        running = PaymentPlan.objects.filter(customer=customer, status=PaymentPlan.Status.ACTIVE).first()
        if running is not None:
            raise RefusedFor("plan_already_running",
                             f"{customer.ref} already has payment plan {running.id} running; cancel it first "
                             f"(gvia plan cancel {running.id})", ref=customer.ref, plan=running.id)
        offer = Settlement.objects.filter(customer=customer, status__in=(Settlement.Status.OFFERED,
                                                                         Settlement.Status.APPROVED)).first()
        if offer is not None:
            raise RefusedFor("plan_settlement_open",
                             f"{customer.ref} has settlement {offer.id} ({offer.status}) for the same debt; it must "
                             "end before a plan is agreed", ref=customer.ref, settlement=offer.id)
        total, invoice_ids = open_balance(ctx, customer, code)
        if total.amount <= 0:
            raise RefusedFor("plan_nothing_owed",
                             f"{customer.name} ({customer.ref}) owes nothing in {code} that a plan could cover",
                             customer=customer.name, ref=customer.ref, currency=code)
        schedule = core.build_plan(total, installments, frequency, first_day, down_money, org_calendar(ctx.org),
                                   cheques=cheques)
        beyond = core.check_limits(schedule, settings.plan_limits, agreed_on=today)
        if beyond and ctx.role != "owner":
            raise RefusedFor("plan_needs_owner", "beyond a collector's limits: " + "; ".join(beyond),
                             beyond=tuple(beyond))
        plan = PaymentPlan.objects.create(
            organization=ctx.org, customer=customer, total_minor=total.minor, currency=code,
            installments_count=installments, frequency=frequency, first_date=first_day,
            down_payment_minor=down_money.minor if down_money else 0, cheques=cheques,
            grace_days=settings.plan_grace_days, default_after_missed=settings.plan_default_after_missed,
            agreed_on=today, invoices=invoice_ids, payments_known_through=last_payment_id(customer),
            limits_exceeded=beyond,
            approved_by=ctx.actor if beyond else "", created_by=ctx.actor)
        rows = PlanInstallment.objects.bulk_create([
            PlanInstallment(plan=plan, number=i.number, kind=i.kind, due=i.due, scheduled=i.scheduled,
                            amount_minor=i.amount.minor, cheque=i.cheque) for i in schedule])
        last = max(i.due for i in schedule)
        until = date.fromordinal(last.toordinal() + plan.grace_days)
        plan.pause = open_pause(ctx, customer, Pause.Kind.PLAN, until,
                                f"payment plan {plan.id}: {len(schedule)} payments of {total} to {last.isoformat()}",
                                source_id=plan.id)
        plan.save(update_fields=["pause"])
        amounts = ", ".join(f"{i.due.isoformat()} {i.amount.amount}" for i in schedule)
        timeline(ctx.org, customer.id, Activity.Kind.PLAN, today, now,
                 f"Payment plan {plan.id} agreed: {total} in {len(schedule)} payments ({amounts})"
                 + (f"; approved by the owner beyond the limits: {'; '.join(beyond)}" if beyond else ""),
                 ctx.actor, plan=plan.id, status=plan.status, event="plan.agreed", total=str(total.amount),
                 currency=total.currency, count=len(schedule), beyond_limits=bool(beyond))
        audit.record(ctx, "plan.created", plan, customer=customer.ref, total=str(total.amount), currency=code,
                     installments=installments, frequency=frequency, first=first_day.isoformat(),
                     down=str(down_money.amount) if down_money else None, cheques=cheques,
                     limits_exceeded=beyond)
    return PlanCreated(plan, rows, beyond)


def get_plan(ctx: Ctx, plan_id: int | str) -> PaymentPlan:
    return owned(ctx, PaymentPlan, plan_id, "payment plan")


def show_plan(ctx: Ctx, plan_id: int | str) -> dict:
    """The plan and its installments, JSON-ready."""
    ctx.require("viewer", "reading a payment plan")
    plan = get_plan(ctx, plan_id)

    def m(minor: int) -> str:
        return str(Money.from_minor(minor, plan.currency).amount)

    return {
        "id": plan.id, "customer": plan.customer.ref, "name": plan.customer.name, "status": plan.status,
        "currency": plan.currency, "total": m(plan.total_minor), "paid": m(plan.paid_minor),
        "frequency": plan.frequency, "agreed_on": plan.agreed_on.isoformat(), "grace_days": plan.grace_days,
        "default_after_missed": plan.default_after_missed, "missed": plan.missed, "cheques": plan.cheques,
        "approved_by": plan.approved_by, "limits_exceeded": plan.limits_exceeded,
        "ended_on": plan.ended_on.isoformat() if plan.ended_on else None, "end_reason": plan.end_reason,
        "signed_on": plan.signed_on.isoformat() if plan.signed_on else None,
        "signed_agreement": plan.signed_agreement_id,
        "installments": [{
            "number": i.number, "kind": i.kind, "due": i.due.isoformat(),
            "scheduled": i.scheduled.isoformat() if i.scheduled else None, "amount": m(i.amount_minor),
            "paid": m(i.paid_minor), "status": i.status, "paid_on": i.paid_on.isoformat() if i.paid_on else None,
            "cheque": i.cheque, "cheque_number": i.cheque_number,
        } for i in plan.installments.order_by("due", "number")],
    }


def cancel_plan(ctx: Ctx, plan_id: int | str, reason: str = "", now: datetime | None = None) -> PaymentPlan:
    """End an active plan by hand; its pause ends and escalation resumes where it stood."""
    ctx.require("collector", "cancelling a payment plan")
    now = now or clock.now_utc()
    today = clock.org_today(ctx.org, now)
    with transaction.atomic():
        plan = PaymentPlan.objects.select_for_update().filter(organization=ctx.org, id=get_plan(ctx, plan_id).id).get()
        if plan.status != PaymentPlan.Status.ACTIVE:
            raise RefusedFor("plan_not_active", f"payment plan {plan.id} is {plan.status}", plan=plan.id)
        plan.status = PaymentPlan.Status.CANCELLED
        plan.ended_on = today
        plan.end_reason = reason.strip() or "cancelled"
        plan.save(update_fields=["status", "ended_on", "end_reason"])
        end_pause(plan.pause_id)
        timeline(ctx.org, plan.customer_id, Activity.Kind.PLAN, today, now,
                 f"Payment plan {plan.id} cancelled" + (f": {reason.strip()}" if reason.strip() else ""),
                 ctx.actor, plan=plan.id, status=plan.status, event="plan.cancelled", note=reason.strip())
        audit.record(ctx, "plan.cancelled", plan, reason=reason.strip())
    return plan


def sign_plan(ctx: Ctx, plan_id: int | str, *, source=None, file_name: str = "", document_id: int | None = None,
              signed_on: date | str | None = None, now: datetime | None = None) -> PaymentPlan:
    """Put the plan as the customer signed it on file: a new file (``source``, ``file_name``), kept
    as the customer's signed agreement, or one of the customer's documents already kept
    (``document_id``). ``signed_on`` is the day the customer signed (default: the day the plan was
    agreed; never after today). From then on the plan is a written, signed acknowledgment of the
    invoices it covers: it restarts their limitation period as the country's law says
    (:mod:`gvia.services.legal.limitation`). A plan is signed once."""
    ctx.require("collector", "recording a signed payment plan")
    now = now or clock.now_utc()
    today = clock.org_today(ctx.org, now)
    with transaction.atomic():
        plan = (PaymentPlan.objects.select_for_update().select_related("customer")
                .filter(organization=ctx.org, id=get_plan(ctx, plan_id).id).get())
        if plan.signed_agreement_id is not None:
            raise RefusedFor("plan_already_signed", f"payment plan {plan.id} is signed", plan=plan.id,
                             day=plan.signed_on)
        day = parse_day(signed_on, "signed_on") if signed_on not in (None, "") else plan.agreed_on
        if day > today:
            raise ValidationFailed([FieldProblem(None, "signed_on", day.isoformat(), "after today",
                                                 code="after_today", params={"today": today})])
        if (source is None) == (document_id is None):
            raise RefusedFor("plan_file_or_document", "the signed file or a kept document's id, one of them")
        if document_id is not None:
            doc = files.get_document(ctx, document_id)
            if doc.customer_id != plan.customer_id:
                raise RefusedFor("document_of_another_customer", f"document {doc.id} is not {plan.customer.ref}'s",
                                 document=doc.id, ref=plan.customer.ref)
            if doc.kind != doc.Kind.AGREEMENT:
                raise RefusedFor("document_not_agreement", f"document {doc.id} is kept as {doc.kind!r}",
                                 document=doc.id)
        else:
            doc = files.upload_document(ctx, plan.customer, "agreement", source, file_name or f"plan-{plan.id}")
        plan.signed_agreement, plan.signed_on = doc, day
        plan.save(update_fields=["signed_agreement", "signed_on"])
        timeline(ctx.org, plan.customer_id, Activity.Kind.PLAN, today, now,
                 f"Payment plan {plan.id} signed by the customer on {day.isoformat()} ({doc.file_name})",
                 ctx.actor, plan=plan.id, status=plan.status, event="plan.signed", signed_on=day.isoformat(),
                 document=doc.id)
        audit.record(ctx, "plan.signed", plan, signed_on=day.isoformat(), document=doc.id)
    return plan


# --- following ---------------------------------------------------------------------------------

@dataclass
class PlanFollowed:
    state: str                      # active, completed, defaulted
    newly_missed: list[int]
    reminders: list[OutboxMessage]


def follow_plan(org, plan: PaymentPlan, rows: list[PlanInstallment], payments: list[Received], today: date,
                now: datetime, language: str, cycle: int, sending_mode: str) -> PlanFollowed:
    """Bring one active plan up to date on ``today`` (rules in the module docstring). Writes the
    installments, the plan, the pause and the timeline; returns the reminders to queue (the
    caller inserts them with ``ignore_conflicts``)."""

    schedule = [core.Installment(r.number, r.due, Money.from_minor(r.amount_minor, plan.currency), r.kind,
                                 r.scheduled, r.cheque) for r in rows]
    pays = counted(payments, plan.currency, after_payment_id=plan.payments_known_through,
                   invoice_ids=plan.invoices)
    status = core.apply_payments_to_plan(schedule, pays, today, plan.grace_days, plan.default_after_missed,
                                         plan_ref=f"plan:{plan.id}")
    by_number = {r.number: r for r in rows}
    changed: list[PlanInstallment] = []
    newly_missed: list[int] = []
    for s in status.installments:
        row = by_number[s.installment.number]
        new = (s.state, s.paid.minor, s.paid_on)
        if (row.status, row.paid_minor, row.paid_on) != new:
            if s.state == core.MISSED and row.status != core.MISSED:
                newly_missed.append(row.number)
            row.status, row.paid_minor, row.paid_on = new
            changed.append(row)
    if changed:
        PlanInstallment.objects.bulk_update(changed, ["status", "paid_minor", "paid_on"])
    plan.paid_minor = status.paid.minor
    plan.missed = status.missed
    fields = ["paid_minor", "missed"]
    for number in newly_missed:
        row = by_number[number]
        timeline(org, plan.customer_id, Activity.Kind.PLAN, today, now,
                 f"Installment {number} of payment plan {plan.id} "
                 f"({Money.from_minor(row.amount_minor, plan.currency)}, due {row.due.isoformat()}) missed: "
                 f"{Money.from_minor(row.amount_minor - row.paid_minor, plan.currency)} unpaid after the grace period",
                 "system", plan=plan.id, installment=number, signal="missed_installment",
                 event="plan.installment_missed", amount=str(Money.from_minor(row.amount_minor, plan.currency).amount),
                 unpaid=str(Money.from_minor(row.amount_minor - row.paid_minor, plan.currency).amount),
                 currency=plan.currency, due=row.due.isoformat())
    reminders: list[OutboxMessage] = []
    state = "active"
    ran_out = not status.completed and today > max(s.grace_until for s in status.installments)
    if status.in_default or ran_out:
        state = "defaulted"
        plan.status = PaymentPlan.Status.DEFAULTED
        plan.ended_on = today
        plan.end_reason = (f"{status.missed} installments missed" if status.in_default
                           else f"the plan's last date has passed with {status.open} unpaid")
        fields += ["status", "ended_on", "end_reason"]
        end_pause(plan.pause_id)
        timeline(org, plan.customer_id, Activity.Kind.PLAN, today, now,
                 f"Payment plan {plan.id} defaulted: {plan.end_reason}; escalation resumes",
                 "system", plan=plan.id, status=plan.status, signal="plan_defaulted",
                 **({"event": "plan.defaulted", "missed": status.missed} if status.in_default else
                    {"event": "plan.expired", "unpaid": str(status.open.amount), "currency": status.open.currency}))
    elif status.completed:
        state = "completed"
        plan.status = PaymentPlan.Status.COMPLETED
        plan.ended_on = today
        plan.end_reason = "paid in full"
        fields += ["status", "ended_on", "end_reason"]
        end_pause(plan.pause_id)
        timeline(org, plan.customer_id, Activity.Kind.PLAN, today, now,
                 f"Payment plan {plan.id} paid in full", "system", plan=plan.id, status=plan.status,
                 event="plan.completed")
    elif sending_mode != "off":
        # the words of the reminder (payment_plan.missed_installment, documents catalog); imported
        # here because gvia.documents loads Typst, which nothing else in this module needs
        from gvia.documents.wording import texts

        lang = "he" if language == "he" else "en"
        locale = "he" if lang == "he" else "en-GB"
        for r in status.reminders:
            reminders.append(OutboxMessage(
                organization_id=org.id, customer_id=plan.customer_id, idempotency_key=r.key, cycle=cycle,
                stage_key="", channel="email", document="reminder", language=lang,
                status=(OutboxMessage.Status.QUEUED if sending_mode == "automatic"
                        else OutboxMessage.Status.AWAITING_APPROVAL),
                needs_approval=False, planned_for=today, created_at=now, updated_at=now,
                free_text=texts(lang)("payment_plan.missed_installment", number=r.installment.number,
                                      total=format_money(r.open, locale), date=format_date(r.installment.due, locale)),
                reasons=[["plan_installment_missed", {"plan": plan.id, "installment": r.installment.number,
                                                      "open": str(r.open.amount), "currency": r.open.currency,
                                                      "due": r.installment.due.isoformat(),
                                                      "grace_until": r.grace_until.isoformat()}]]))
    plan.save(update_fields=fields)
    return PlanFollowed(state, newly_missed, reminders)


def reminder_still_wanted(idempotency_key: str) -> str | None:
    """For the dispatcher: why an installment reminder (key ``plan:<id>:installment:<n>``)
    must not go out any more (the installment was paid since, the plan ended), or None."""
    parts = idempotency_key.split(":")
    if len(parts) != 4 or parts[0] != "plan" or parts[2] != "installment":
        return None
    plan = PaymentPlan.objects.filter(id=int(parts[1])).first()
    if plan is None or plan.status != PaymentPlan.Status.ACTIVE:
        return Worded(f"the payment plan is {plan.status if plan else 'gone'}", code="plan_reminder_plan_ended")
    row = PlanInstallment.objects.filter(plan=plan, number=int(parts[3])).first()
    if row is None or row.status == PlanInstallment.Status.PAID:
        return Worded("the installment has been paid", code="plan_reminder_paid")
    return None


def case_cycles(customer_ids: list[int]) -> dict[int, int]:
    return dict(Case.objects.filter(customer_id__in=customer_ids).values_list("customer_id", "cycle"))

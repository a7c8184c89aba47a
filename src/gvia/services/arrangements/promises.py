"""Promises to pay: record one (``gvia promise``), follow it (the daily run), list them.

A promise pauses the whole case through its due date plus the organization's
``promise_grace_days`` (a Pause of kind "promise"). The daily run
(:func:`gvia.services.arrangements.daily.apply_arrangements`) checks it against the payments
received (:func:`gvia.core.promises.evaluate_promise`): kept, still open (paid so far shown),
or - once the grace period is over - partially kept or broken, which ends the pause so the
ladder resumes where it stood and leaves a warning signal on the customer's timeline.

A new promise replaces an open one of the same customer only when the person recording it says
so (``replace_open``; refused with code ``promise_already_open`` otherwise): the old one is marked
cancelled and its pause ends. A promise larger than what the customer owes in its currency (the
open balance an arrangement may cover) is refused (``promise_over_balance``). Refusals carry
their code and values (:class:`gvia.core.errors.RefusedFor`) for the edges to word.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction

from gvia.core import promises as core
from gvia.core.errors import FieldProblem, RefusedFor, ValidationFailed
from gvia.core.money import Money
from gvia.documents.model import PromiseRecord
from gvia.services import audit, clock
from gvia.services.arrangements.limits import arrangement_settings
from gvia.services.arrangements.paid import Received, counted, customer_currency, last_payment_id, open_balance
from gvia.services.arrangements.typed import parse_day, parse_money
from gvia.services.context import Ctx
from gvia.services.engine.activities import timeline
from gvia.services.engine.pauses import end_pause, open_pause
from gvia.services.ledger import books as ledger
from gvia.services.lookup import owned
from gvia.services.webhooks import events as webhook_events
from gvia.store.models import Activity, Customer, Pause, Promise

__all__ = ["record_promise", "cancel_promise", "list_promises", "promise_records", "to_core", "follow_promise"]


def to_core(p: Promise) -> core.Promise:
    return core.Promise(Money.from_minor(p.amount_minor, p.currency), p.due, p.source, p.made_on)


def record_promise(ctx: Ctx, customer_ref: str, amount: str | None, due: date | str, source: str = "manual",
                   currency: str | None = None, note: str = "", now: datetime | None = None,
                   replace_open: bool = False) -> Promise:
    """Record the customer's promise to pay ``amount`` (None: the whole open balance, as a
    call often ends: "I'll pay it all by Friday") by ``due`` and pause the case.

    Refused (nothing changed): an amount that is not positive or not exact to the currency's
    minor unit, a date in the past, an unknown source; an amount larger than the open balance
    (``promise_over_balance``); an open promise already there unless ``replace_open``
    (``promise_already_open``)."""
    ctx.require("collector", "recording a promise to pay")
    now = now or clock.now_utc()
    today = clock.org_today(ctx.org, now)
    customer = ledger.get_customer(ctx, customer_ref)
    due_day = parse_day(due, "date")
    code = customer_currency(ctx, customer, currency)
    balance = open_balance(ctx, customer, code)[0]
    if amount in (None, ""):
        money = balance
        if money.amount <= 0:
            raise RefusedFor("promise_nothing_owed", f"{customer.ref} owes nothing in {code}",
                             customer=customer.name, ref=customer.ref, currency=code)
    else:
        money = parse_money(amount, code)
        if money.amount > 0 and money > balance:
            raise RefusedFor("promise_over_balance", f"the promise ({money}) is larger than the open balance "
                             f"({balance})", amount=money, balance=balance)
    if source not in core.SOURCES:
        raise ValidationFailed([FieldProblem(None, "source", source, "not a source", code="one_of",
                                             params={"choices": tuple(core.SOURCES)})])
    promise = core.new_promise(money, due_day, source, today)   # refuses the past, non-positive
    grace = arrangement_settings(ctx.org).promise_grace_days
    until = promise.pause_until(grace)
    with transaction.atomic():
        replaced = list(Promise.objects.select_for_update().filter(customer=customer, status=Promise.Status.OPEN))
        if replaced and not replace_open:
            old = replaced[0]
            raise RefusedFor("promise_already_open", f"promise {old.id} is open: confirm to replace it",
                             promise=old.id, amount=Money.from_minor(old.amount_minor, old.currency), due=old.due)
        for old in replaced:
            old.status = Promise.Status.CANCELLED
            old.closed_on = today
            old.save(update_fields=["status", "closed_on"])
            end_pause(old.pause_id)
        row = Promise.objects.create(organization=ctx.org, customer=customer, amount_minor=money.minor,
                                     currency=money.currency, due=due_day, source=source, made_on=today,
                                     grace_days=grace, pause_until=until, note=note.strip(), created_by=ctx.actor,
                                     payments_known_through=last_payment_id(customer))
        row.pause = open_pause(ctx, customer, Pause.Kind.PROMISE, until,
                               f"promise {row.id}: {money} by {due_day.isoformat()} ({source})", source_id=row.id)
        row.save(update_fields=["pause"])
        text = (f"Promise to pay {money} by {due_day.isoformat()} ({source}); paused through {until.isoformat()}"
                + (f" — {note.strip()}" if note.strip() else "")
                + (f"; replaces promise {', '.join(str(o.id) for o in replaced)}" if replaced else ""))
        timeline(ctx.org, customer.id, Activity.Kind.PROMISE, today, now, text, ctx.actor, promise=row.id,
                 status=row.status, amount=str(money.amount), currency=money.currency, due=due_day.isoformat(),
                 event="promise.recorded", until=until.isoformat(), note=note.strip())
        audit.record(ctx, "promise.recorded", row, customer=customer.ref, amount=str(money.amount),
                     currency=money.currency, due=due_day.isoformat(), source=source,
                     replaced=[o.id for o in replaced])
        webhook_events.emit(ctx.org, "payment.promised", f"promise:{row.id}", {
            "customer": webhook_events.customer_data(customer), "promise": row.id, "amount": str(money.amount),
            "currency": money.currency, "due": due_day.isoformat(), "source": source,
            "replaces": [o.id for o in replaced]}, now)
    return row


def cancel_promise(ctx: Ctx, promise_id: int, now: datetime | None = None) -> Promise:
    """Withdraw an open promise (entered by mistake): its pause ends."""
    ctx.require("collector", "cancelling a promise")
    now = now or clock.now_utc()
    today = clock.org_today(ctx.org, now)
    with transaction.atomic():
        row = owned(ctx, Promise, promise_id, "promise", lock=True, related=())
        if row.status != Promise.Status.OPEN:
            raise RefusedFor("promise_not_open", f"promise {promise_id} is {row.status}", promise=row.id)
        row.status = Promise.Status.CANCELLED
        row.closed_on = today
        row.save(update_fields=["status", "closed_on"])
        end_pause(row.pause_id)
        timeline(ctx.org, row.customer_id, Activity.Kind.PROMISE, today, now, f"Promise {row.id} withdrawn",
                 ctx.actor, promise=row.id, status=row.status, event="promise.withdrawn")
        audit.record(ctx, "promise.cancelled", row)
    return row


def list_promises(ctx: Ctx, customer_ref: str | None = None) -> list[Promise]:
    ctx.require("viewer", "listing promises")
    qs = Promise.objects.filter(organization=ctx.org).select_related("customer").order_by("due", "id")
    if customer_ref:
        qs = qs.filter(customer=ledger.get_customer(ctx, customer_ref))
    return list(qs)


def promise_records(customer: Customer) -> tuple[PromiseRecord, ...]:
    """The customer's promises for the case file, cancelled ones left out: one partly kept counts as
    broken there, with what was paid of it (``PromiseRecord.paid``)."""

    out = []
    promises = Promise.objects.filter(customer=customer).exclude(status=Promise.Status.CANCELLED)
    for p in promises.order_by("made_on", "id"):
        status = {"open": "open", "kept": "kept"}.get(p.status, "broken")
        paid = Money.from_minor(p.paid_minor, p.currency) if p.status == Promise.Status.PARTIALLY_KEPT else None
        out.append(PromiseRecord(made_on=p.made_on, amount=Money.from_minor(p.amount_minor, p.currency),
                                 due_date=p.due, status=status, note=p.note, paid=paid))
    return tuple(out)



_OUTCOME_TEXT = {
    core.KEPT: "Promise {id} kept: {paid} paid by {day}",
    core.PARTIALLY_KEPT: "Promise {id} partially kept: {paid} of {amount} paid by {until}; escalation resumes",
    core.BROKEN: "Promise {id} broken: nothing of {amount} paid by {until}; escalation resumes",
}


def follow_promise(org, promise: Promise, payments: list[Received], today: date, now: datetime) -> str:
    """Bring one open promise up to date on ``today`` and return its state (see the module
    docstring). A promise that ends kept, partially kept or broken ends its pause; the last two
    leave a warning signal (``signal: broken_promise``) on the timeline."""

    pays = counted(payments, promise.currency, after_payment_id=promise.payments_known_through)
    status = core.evaluate_promise(to_core(promise), pays, today, promise.grace_days)
    fields = []
    if status.paid.minor != promise.paid_minor:
        promise.paid_minor = status.paid.minor
        fields.append("paid_minor")
    if status.state != core.OPEN:
        promise.status = status.state
        promise.kept_on = status.kept_on
        promise.closed_on = today
        fields += ["status", "kept_on", "closed_on"]
        end_pause(promise.pause_id)
        data = {"promise": promise.id, "status": status.state, "paid": str(status.paid.amount),
                "currency": promise.currency, "event": f"promise.{status.state}",
                "amount": str(Money.from_minor(promise.amount_minor, promise.currency).amount),
                "day": (status.kept_on or today).isoformat(), "until": status.pause_until.isoformat()}
        if status.resumes_ladder:
            data["signal"] = "broken_promise"
        text = _OUTCOME_TEXT[status.state].format(
            id=promise.id, paid=status.paid, amount=Money.from_minor(promise.amount_minor, promise.currency),
            day=(status.kept_on or today).isoformat(), until=status.pause_until.isoformat())
        timeline(org, promise.customer_id, Activity.Kind.PROMISE, today, now, text, "system", **data)
    if fields:
        promise.save(update_fields=fields)
    return status.state

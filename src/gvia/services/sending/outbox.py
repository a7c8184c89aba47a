"""The outbox as people see it: listing messages, deciding about uncertain or failed ones, and
recording the posting of registered letters.

* ``resolve(…, sent=True)``: a person checked that an uncertain (or failed) message reached the
  customer — it is marked sent; ``sent=False``: it did not — it is queued again (attempts
  start over). Nothing is ever re-sent without this decision.
* ``record_registered``: the registered-mail number of a letter, the day it was posted and the
  day it was delivered (or refused: a refusal to accept counts as service). The posting day
  starts the warning's deadline, the delivery day the notice period before legal steps (the
  filing clock, :func:`gvia.core.legal_rules.earliest_filing`), see
  :func:`gvia.core.escalation.record_warning_sent`.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from django.db import transaction

from gvia.core import aging
from gvia.core.errors import FieldProblem, NotFoundFor, RefusedFor, ValidationFailed, Worded
from gvia.core.message_log import added, english
from gvia.core.policy import DEADLINE_DOCUMENTS, PAPER_CHANNELS
from gvia.services import audit, clock
from gvia.services.context import Ctx
from gvia.services.engine import debt_notices
from gvia.services.engine.cases import note_warning_sent
from gvia.services.sending import journal
from gvia.services.sending.dispatch import start_warning_clock
from gvia.store.models import Activity, Customer, Invoice, OutboxMessage, Task

STATUSES = tuple(OutboxMessage.Status.values)


def list_messages(ctx: Ctx, status: str | None = None, customer_ref: str | None = None,
                  limit: int = 500) -> list[OutboxMessage]:
    ctx.require("viewer", "listing the outbox")
    qs = OutboxMessage.objects.filter(organization=ctx.org).select_related("customer")
    if status:
        if status not in STATUSES:
            raise ValidationFailed([FieldProblem(None, "status", status, "not a status", code="one_of",
                                                 params={"choices": tuple(STATUSES)})])
        qs = qs.filter(status=status)
    if customer_ref:
        qs = qs.filter(customer__ref=customer_ref)
    return list(qs.order_by("-id")[:limit])


def _get(ctx: Ctx, message_id: int) -> OutboxMessage:
    msg = OutboxMessage.objects.select_for_update().filter(organization=ctx.org, id=message_id).first()
    if msg is None:
        raise NotFoundFor("message_unknown", f"no message {message_id} in {ctx.org.name}", message=message_id)
    return msg


def resolve(ctx: Ctx, message_id: int, sent: bool, now: datetime | None = None) -> OutboxMessage:
    """A person says whether an uncertain (or failed) message reached the customer. A message that
    failed before it left (``send_started_at`` empty: its document could not be produced, or its
    e-mail written) is never marked sent (``message_never_left``); it may be queued again."""
    ctx.require("collector", "resolving a message")
    now = now or clock.now_utc()
    with transaction.atomic():
        msg = _get(ctx, message_id)
        if msg.status not in (OutboxMessage.Status.UNCERTAIN, OutboxMessage.Status.FAILED):
            raise RefusedFor("message_not_unresolved", f"message {message_id} is {msg.status}", message=message_id)
        if sent and msg.status == OutboxMessage.Status.FAILED and msg.send_started_at is None:
            # it failed before it could leave (its document could not be produced, its e-mail not
            # written): it cannot have reached anyone
            raise RefusedFor("message_never_left", f"message {message_id} failed before it left: it was never sent",
                             message=message_id)
        if sent:
            msg.status = OutboxMessage.Status.SENT
            msg.sent_at = msg.sent_at or now
            msg.server_reply = (msg.server_reply + "\n" if msg.server_reply else "") + f"marked sent by {ctx.actor}"
            msg.log = added(msg.log, now, Worded(f"marked sent by {ctx.actor}", "outbox_marked_sent", by=ctx.actor))
        else:
            msg.status = OutboxMessage.Status.QUEUED
            msg.next_attempt_at = now
            msg.attempts = 0
            msg.send_started_at = None
            msg.log = added(msg.log, now, Worded(f"marked not sent by {ctx.actor}; queued again",
                                                 "outbox_marked_not_sent", by=ctx.actor))
        msg.save()
        Task.objects.filter(message=msg, open=True).update(open=False, closed_at=now,
                                                           outcome="sent" if sent else "not_sent")
        Activity.objects.create(organization=ctx.org, customer_id=msg.customer_id, kind=Activity.Kind.SYSTEM,
                                date=clock.org_today(ctx.org, now), at=now, actor=ctx.actor,
                                text=f"message {msg.id} ({msg.document}) marked "
                                     + ("sent" if sent else "not sent; queued again"),
                                data={"message": msg.id, "sent": sent, "document": msg.document,
                                      "event": "message.marked_sent" if sent else "message.marked_not_sent"})
        audit.record(ctx, "outbox.resolved", msg, sent=sent)
        if sent:
            start_warning_clock(msg, clock.org_today(ctx.org, msg.sent_at), now)
        # the journal too: a database put back from an older backup must learn this decision
        journal.note_once("marked_sent" if sent else "marked_not_sent", msg, now, by=ctx.actor)
    return msg


def record_registered(ctx: Ctx, message_id: int, number: str, posted: date | None = None,
                      delivered: date | None = None, now: datetime | None = None) -> OutboxMessage:
    """Record a letter's registered-mail number, posting and delivery; the posting day starts a
    warning's deadline, the delivery day its notice period."""
    ctx.require("collector", "recording a registered letter")
    now = now or clock.now_utc()
    today = clock.org_today(ctx.org, now)
    problems = []
    if not number.strip():
        problems.append(FieldProblem(None, "number", number, "needed", code="registered_number_needed"))
    if posted and posted > today:
        problems.append(FieldProblem(None, "posted", posted.isoformat(), "after today", code="after_today",
                                     params={"today": today}))
    if delivered and posted and delivered < posted:
        problems.append(FieldProblem(None, "delivered", delivered.isoformat(), "before posting",
                                     code="delivered_before_posted", params={"posted": posted}))
    if problems:
        raise ValidationFailed(problems)
    with transaction.atomic():
        msg = _get(ctx, message_id)
        if msg.channel not in PAPER_CHANNELS:
            raise RefusedFor("message_not_a_letter", f"message {message_id} is an {msg.channel}", message=message_id)
        if msg.status != OutboxMessage.Status.SENT:
            raise RefusedFor("letter_not_produced", f"message {message_id} is {msg.status} ({english(msg.log)})",
                             message=message_id)
        msg.registered_number = number.strip()
        msg.posted_date = posted or msg.posted_date
        msg.delivered_date = delivered or msg.delivered_date
        msg.save(update_fields=["registered_number", "posted_date", "delivered_date", "updated_at"])
        parts = [f"registered mail no. {msg.registered_number}"]
        if msg.posted_date:
            parts.append(f"posted {msg.posted_date.isoformat()}")
        if msg.delivered_date:
            parts.append(f"delivered {msg.delivered_date.isoformat()}")
        Activity.objects.create(organization=ctx.org, customer_id=msg.customer_id, kind=Activity.Kind.LETTER,
                                date=today, at=now, actor=ctx.actor, text=f"{msg.document}: " + ", ".join(parts),
                                data={"message": msg.id, "registered_number": msg.registered_number,
                                      "event": "letter.registered", "document": msg.document,
                                      "posted": msg.posted_date.isoformat() if msg.posted_date else None,
                                      "delivered": msg.delivered_date.isoformat() if msg.delivered_date else None})
        audit.record(ctx, "letter.registered", msg, number=msg.registered_number,
                     posted=msg.posted_date.isoformat() if msg.posted_date else None,
                     delivered=msg.delivered_date.isoformat() if msg.delivered_date else None)
        if msg.posted_date and msg.document in DEADLINE_DOCUMENTS:
            note_warning_sent(msg.customer_id, msg.cycle, msg.stage_key, msg.posted_date, now,
                              how=f"by registered mail no. {msg.registered_number}", delivered_on=msg.delivered_date)
    return msg


def _past_reminders(ctx: Ctx, customer: Customer) -> str | None:
    """The case's current stage when the open cycle has reached its warning: a stage that sets a
    deadline or gives notice, or one after it; None while the case is still at the reminders."""
    from gvia.core.escalation import CaseState
    from gvia.services.engine.policies import policy_for_customer
    from gvia.store.models import Case

    case = Case.objects.filter(customer=customer).first()
    state = CaseState.from_dict(case.state) if case is not None and case.state else CaseState()
    if not state.cycle_open or state.stage_key is None:
        return None
    _version, policy = policy_for_customer(ctx, customer)
    idx = policy.index_of(state.stage_key)
    warnings = [i for i, st in enumerate(policy.stages) if st.deadline_days is not None or st.notice_days]
    if idx is None or not warnings or idx < warnings[0]:
        return None
    return state.stage_key


def check_send_now(ctx: Ctx, customer_ref: str, now: datetime | None = None) -> tuple[Customer, date]:
    """What :func:`send_now` checks before it queues anything, alone (the page asks for a
    confirmation only when the reminder could go): the customer and the business day; refused
    with the same codes."""
    ctx.require("collector", "sending a reminder")
    today = clock.org_today(ctx.org, now or clock.now_utc())
    customer = Customer.objects.filter(organization=ctx.org, ref=customer_ref).first()
    if customer is None:
        raise NotFoundFor("no_customer", f"no customer {customer_ref!r}", ref=customer_ref)
    if customer.do_not_chase:
        raise RefusedFor("send_now_do_not_chase" if customer.do_not_chase_reason else "send_now_do_not_chase_plain",
                         f"{customer.name} is on 'do not chase'" +
                         (f" ({customer.do_not_chase_reason})" if customer.do_not_chase_reason else ""),
                         customer=customer.name, reason=customer.do_not_chase_reason)
    if not Invoice.objects.filter(customer=customer, kind=Invoice.Kind.INVOICE, due_date__lt=aging.overdue_bound(today)
                                  ).exclude(open_minor=0).exists():
        raise RefusedFor("send_now_nothing_overdue",
                         f"{customer.name} has nothing overdue on {today.isoformat()}: there is nothing to remind of",
                         customer=customer.name, today=today)
    # an Israeli consumer: not before the debt notice's 14 days are over (refusal.letter_debt_notice_*)
    debt_notices.require_allowed(ctx.org, customer, today)
    deciding = OutboxMessage.objects.filter(customer=customer, status__in=[
        OutboxMessage.Status.AWAITING_APPROVAL, OutboxMessage.Status.HELD]).order_by("id").first()
    if deciding is not None:
        raise RefusedFor("send_now_awaiting_approval",
                         f"message {deciding.id} to {customer.name} awaits a decision: approve or reject it first",
                         customer=customer.name, message=deciding.id)
    past = _past_reminders(ctx, customer)
    if past is not None:
        raise RefusedFor("send_now_past_reminders",
                         f"{customer.name}'s case is at stage {past}, past the reminders", customer=customer.name,
                         stage=past)
    waiting = OutboxMessage.objects.filter(customer=customer, idempotency_key__startswith="manual:",
                                           status__in=[OutboxMessage.Status.QUEUED, OutboxMessage.Status.SENDING])
    first_waiting = waiting.first()
    if first_waiting is not None:
        raise RefusedFor("send_now_already_waiting",
                         f"a reminder to {customer.name} is already waiting to be sent (message {first_waiting.id})",
                         customer=customer.name, message=first_waiting.id)
    return customer, today


def send_now(ctx: Ctx, customer_ref: str, document: str | None = None, now: datetime | None = None) -> OutboxMessage:
    """A person's "send a reminder now", outside the ladder: an e-mail listing what is overdue.

    The click is the approval, so it is queued at once (the worker sends it within the sending
    hours). Its idempotency key is new each time (``manual:<uuid>``), so two clicks are two
    messages — but a second click while one is still waiting is refused, so a double click
    never sends twice. Refused too while a message of the customer awaits approval or is held
    (``send_now_awaiting_approval``: decide on it first), and once the case has reached its
    warning (``send_now_past_reminders``: a stage that sets a deadline or gives notice, or any
    stage after it — a friendly reminder would contradict the warning)."""

    now = now or clock.now_utc()
    customer, today = check_send_now(ctx, customer_ref, now)
    with transaction.atomic():
        msg = OutboxMessage.objects.create(
            organization=ctx.org, customer=customer, idempotency_key=f"manual:{uuid.uuid4()}", channel="email",
            document=document or "reminder", language=customer.language or ctx.org.default_language,
            status=OutboxMessage.Status.QUEUED, approved_by=ctx.actor, approved_at=now, planned_for=today,
            reasons=[["sent_by_hand", {"by": ctx.actor}]])
        Activity.objects.create(organization=ctx.org, customer=customer, kind=Activity.Kind.MESSAGE_OUT, date=today,
                                at=now, actor=ctx.actor, text=f"reminder queued by {ctx.actor}",
                                data={"message": msg.id, "manual": True, "event": "message.queued_by_hand",
                                      "document": msg.document, "by": ctx.actor})
        audit.record(ctx, "outbox.send_now", msg, customer=customer.ref, document=msg.document)
    return msg

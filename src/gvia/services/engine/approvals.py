"""Approving or rejecting planned messages before they go out.

A message waits for approval for one of two reasons: its stage needs a person's approval
(``needs_approval``: the policy says ``approval = true``, e.g. the warning letter), or the
organization sends in "approve every message" mode. The first kind is serious and only an
owner may approve it; a collector may approve the second kind. Approval queues the message
for the worker; rejection keeps it, marked rejected with the reason, and it never goes out; a
rejected message of the case's current stage holds the case until a person chooses to plan it
again, skip the stage or pause (:mod:`gvia.services.engine.rejections`).
A message held for details (:mod:`gvia.services.engine.holds`) is checked again when someone
approves it: refused, naming what to fill in, while a detail is missing; a held message may be
rejected.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from gvia.core.errors import NotFoundFor, RefusedFor, Worded
from gvia.core.message_log import added
from gvia.services import audit, clock
from gvia.services.context import ROLE_RANK, Ctx
from gvia.services.engine import holds, rejections
from gvia.store.models import Activity, OutboxMessage, Task


def pending(ctx: Ctx) -> list[OutboxMessage]:
    """Messages awaiting approval, oldest first."""
    ctx.require("viewer", "listing approvals")
    return list(OutboxMessage.objects.filter(organization=ctx.org, status=OutboxMessage.Status.AWAITING_APPROVAL)
                .select_related("customer").order_by("planned_for", "id"))


def stage_needs_owner(msg: OutboxMessage) -> bool:
    """Whether only an owner may approve: the stage itself asks for approval (a serious step),
    not merely the organization's "approve every message" mode."""
    return msg.needs_approval


def _get(ctx: Ctx, message_id: int) -> OutboxMessage:
    msg = OutboxMessage.objects.select_for_update().filter(organization=ctx.org, id=message_id).first()
    if msg is None:
        raise NotFoundFor("message_unknown", f"no message {message_id} in {ctx.org.name}", message=message_id)
    if msg.status == OutboxMessage.Status.HELD and holds.held_codes(msg):
        return msg                   # held for details: approving checks them again; rejecting needs none
    if msg.status != OutboxMessage.Status.AWAITING_APPROVAL:
        raise RefusedFor("message_not_awaiting", f"message {message_id} is {msg.status}, not awaiting approval",
                         message=str(message_id))
    return msg


def _decide(ctx: Ctx, message_id: int, status: str, now: datetime) -> OutboxMessage:
    """The waiting message, marked approved or rejected by this user, when this user may decide on it.
    Approving checks a formal letter once more, as it would be produced today
    (:mod:`gvia.services.engine.holds`): refused, naming what to fill in, while a detail is missing."""
    msg = _get(ctx, message_id)
    if stage_needs_owner(msg) and ROLE_RANK[ctx.role] < ROLE_RANK["owner"]:
        raise RefusedFor("message_needs_owner",
                         f"message {message_id} ({msg.stage_key}) is a stage that needs approval: only an owner "
                         f"may decide on it; {ctx.actor} is {ctx.role}", message=str(message_id))
    if status == OutboxMessage.Status.QUEUED:
        today = clock.org_today(ctx.org, now)
        if msg.status == OutboxMessage.Status.HELD:
            holds.release_or_refuse(ctx, msg, today, now)
        else:
            holds.before_approval(ctx, msg, today, now)
    msg.status = status
    msg.approved_by = ctx.actor
    msg.approved_at = now
    return msg


def approve(ctx: Ctx, message_id: int, now: datetime | None = None) -> OutboxMessage:
    """Queue a message awaiting approval (an owner's decision when its stage needs approval)."""
    ctx.require("collector", "approving a message")
    now = now or clock.now_utc()
    with transaction.atomic():
        msg = _decide(ctx, message_id, OutboxMessage.Status.QUEUED, now)
        msg.next_attempt_at = None
        msg.save(update_fields=["status", "approved_by", "approved_at", "next_attempt_at", "updated_at"])
        _close_tasks(msg, now, "approved")
        _timeline(msg, ctx, now, f"{msg.document} ({msg.channel}) approved by {ctx.actor}", "message.approved")
        audit.record(ctx, "outbox.approved", msg, stage=msg.stage_key, channel=msg.channel)
        return msg


def reject(ctx: Ctx, message_id: int, reason: str = "", now: datetime | None = None) -> OutboxMessage:
    """Refuse a message: it never goes out. The case holds until a person chooses what happens
    (:func:`gvia.services.engine.rejections.choose`)."""
    ctx.require("collector", "rejecting a message")
    now = now or clock.now_utc()
    with transaction.atomic():
        msg = _decide(ctx, message_id, OutboxMessage.Status.REJECTED, now)
        msg.log = added(msg.log, now, Worded(f"rejected by {ctx.actor}" + (f": {reason}" if reason else ""),
                                             "outbox_rejected" if reason else "outbox_rejected_plain",
                                             by=ctx.actor, reason=reason or ""))
        msg.save(update_fields=["status", "approved_by", "approved_at", "log", "updated_at"])
        _close_tasks(msg, now, "rejected")
        rejections.note_rejected(msg)
        _timeline(msg, ctx, now, f"{msg.document} ({msg.channel}) rejected by {ctx.actor}"
                  + (f": {reason}" if reason else ""), "message.rejected", note=reason)
        audit.record(ctx, "outbox.rejected", msg, stage=msg.stage_key, channel=msg.channel, reason=reason)
        return msg


def _close_tasks(msg: OutboxMessage, now: datetime, outcome: str) -> None:
    Task.objects.filter(message=msg, kind=Task.Kind.APPROVAL, open=True).update(open=False, closed_at=now,
                                                                                  outcome=outcome)


def _timeline(msg: OutboxMessage, ctx: Ctx, now: datetime, text: str, event: str, **data) -> None:
    Activity.objects.create(organization=ctx.org, customer_id=msg.customer_id, kind=Activity.Kind.SYSTEM,
                            date=clock.org_today(ctx.org, now), at=now, text=text, actor=ctx.actor,
                            data={"message": msg.id, "stage": msg.stage_key, "event": event, "document": msg.document,
                                  "channel": msg.channel, "by": ctx.actor, **data})


def edit_free_text(ctx: Ctx, message_id: int, text: str) -> OutboxMessage:
    """Change the free paragraph of a message that waits for approval (it is printed in the
    letter and the e-mail). Only what waits may change: a sent message is proof, never edited."""
    ctx.require("collector", "editing a message")
    text = (text or "").strip()
    if len(text) > 4000:
        raise RefusedFor("free_text_too_long", "the free text is limited to 4,000 characters", most="4,000")
    with transaction.atomic():
        msg = OutboxMessage.objects.select_for_update().filter(organization=ctx.org, id=message_id).first()
        if msg is None:
            raise NotFoundFor("message_unknown", f"no message {message_id}", message=message_id)
        if msg.status != OutboxMessage.Status.AWAITING_APPROVAL:
            raise RefusedFor("message_not_editable",
                             f"message {message_id} is {msg.status}; only a message awaiting approval can be edited",
                             message=str(message_id))
        before = msg.free_text
        msg.free_text = text
        msg.save(update_fields=["free_text", "updated_at"])
        audit.record(ctx, "outbox.free_text_edited", msg, before=before, after=text)
    return msg

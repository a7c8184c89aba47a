"""``/messages``: the outbox — what gvia planned, sent, holds or failed to send — listed (paged;
filters ``customer_id``, ``status``, ``channel``), one. Read only: approving and sending stay with
people (the approvals page, ``gvia approvals``)."""

from __future__ import annotations

from typing import Any

from ninja import Field, Query, Router, Schema

from gvia.core.errors import NotFoundFor
from gvia.store.models import OutboxMessage

from ..common import MAX_ID, Day, Id, KeyCtx, Page, ShortText, ctx_of, paged

router = Router()


class MessageOut(Schema):
    id: int
    customer_id: int
    channel: str
    document: str
    stage: str
    cycle: int
    language: str
    status: str
    needs_approval: bool
    planned_for: Day
    sent_at: str | None
    subject: str
    to: list[str]
    registered_number: str
    delivered_date: Day | None


class MessagePage(Schema):
    items: list[MessageOut]
    next_after: int | None


class MessageFilter(Page):
    customer_id: int | None = Field(None, ge=1, le=MAX_ID)
    status: ShortText | None = None
    channel: ShortText | None = None


def message_json(m: OutboxMessage) -> dict:
    return {"id": m.id, "customer_id": m.customer_id, "channel": m.channel, "document": m.document,
            "stage": m.stage_key, "cycle": m.cycle, "language": m.language, "status": m.status,
            "needs_approval": m.needs_approval, "planned_for": m.planned_for,
            "sent_at": m.sent_at.isoformat() if m.sent_at else None, "subject": m.subject,
            "to": [str(a) for a in (m.to_addrs or [])], "registered_number": m.registered_number,
            "delivered_date": m.delivered_date}


def message_of(ctx: KeyCtx, message_id: int) -> OutboxMessage:
    msg = OutboxMessage.objects.filter(organization=ctx.org, id=message_id).first()
    if msg is None:
        raise NotFoundFor("message_unknown", f"no message {message_id}", message=message_id)
    return msg


@router.get("/", response=MessagePage, summary="List the outbox's messages")
def list_messages(request, filters: Query[MessageFilter]) -> Any:
    ctx = ctx_of(request)
    qs = OutboxMessage.objects.filter(organization=ctx.org)
    for name in ("customer_id", "status", "channel"):
        value = getattr(filters, name)
        if value is not None:
            qs = qs.filter(**{name: value})
    return paged(qs, filters, lambda rows: [message_json(m) for m in rows])


@router.get("/{int:message_id}", response=MessageOut, summary="One message")
def get_message(request, message_id: Id) -> Any:
    return message_json(message_of(ctx_of(request), message_id))

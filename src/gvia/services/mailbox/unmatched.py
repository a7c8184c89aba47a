"""Messages from nobody known (see :mod:`gvia.services.mailbox`): a person assigns one to a
customer — it is then placed as the placing would have (a reply pauses and may suggest a
promise) — or dismisses it. Both audited; an assigned or dismissed message is decided."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from gvia.core.errors import RefusedFor
from gvia.services import audit, clock
from gvia.services.context import Ctx
from gvia.services.ledger import books as ledger
from gvia.services.lookup import owned
from gvia.services.mailbox.placing import act_on, ask_for_contact
from gvia.store.models_inbound import InboundMail


def unmatched(ctx: Ctx):
    """The messages waiting for a person, oldest first."""
    ctx.require("viewer", "reading the unmatched replies")
    return InboundMail.objects.filter(organization=ctx.org, status=InboundMail.Status.UNMATCHED).order_by(
        "read_at", "id")


def _pending(ctx: Ctx, inbound_id: int | str) -> InboundMail:
    row = owned(ctx, InboundMail, inbound_id, "message", lock=True, related=())   # its customer may be none
    if row.status != InboundMail.Status.UNMATCHED:
        raise RefusedFor("inbound_decided", f"message {row.id} is {row.status}", message=row.id)
    return row


def assign(ctx: Ctx, inbound_id: int | str, customer_ref: str, now: datetime | None = None) -> InboundMail:
    ctx.require("collector", "assigning a reply to a customer")
    now = now or clock.now_utc()
    with transaction.atomic():
        row = _pending(ctx, inbound_id)
        customer = ledger.get_customer(ctx, customer_ref)
        row.customer, row.status, row.matched_by = customer, InboundMail.Status.ASSIGNED, "person"
        row.save(update_fields=["customer", "status", "matched_by"])
        act_on(ctx, row, customer, min(row.sent_at, now) if row.sent_at else now, now)
        if row.kind == InboundMail.Kind.BOUNCE:
            ask_for_contact(ctx, row, customer, clock.org_today(ctx.org, now))
        audit.record(ctx, "mailbox.assigned", row, customer=customer.ref)
    return row


def dismiss(ctx: Ctx, inbound_id: int | str) -> InboundMail:
    ctx.require("collector", "dismissing an unmatched reply")
    with transaction.atomic():
        row = _pending(ctx, inbound_id)
        row.status = InboundMail.Status.DISMISSED
        row.save(update_fields=["status"])
        audit.record(ctx, "mailbox.dismissed", row)
    return row

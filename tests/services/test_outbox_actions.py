"""A person's actions on the outbox: send a reminder now, edit the free text before approving."""

from datetime import date, datetime, timezone

import pytest

from gvia.core.errors import Refused
from gvia.services.engine import approvals, daily_run
from gvia.services.sending import outbox
from gvia.store.models import AuditRecord, OutboxMessage

pytestmark = pytest.mark.django_db


def at(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 8, 0, tzinfo=timezone.utc)


def test_send_now_queues_one_reminder_and_refuses_a_double_click(ctx, books):
    c = books.customer("S1", email="s1@example.com")
    books.invoice(c, "S-1", "700.00", date(2026, 11, 1))
    msg = outbox.send_now(ctx, "S1", now=at(date(2026, 11, 10)))
    assert (msg.status, msg.channel, msg.document) == ("queued", "email", "reminder")
    assert msg.idempotency_key.startswith("manual:") and msg.approved_by == ctx.actor
    with pytest.raises(Refused, match="already waiting"):
        outbox.send_now(ctx, "S1", now=at(date(2026, 11, 10)))
    assert OutboxMessage.objects.filter(customer=c).count() == 1
    assert AuditRecord.objects.filter(action="outbox.send_now").count() == 1


def test_send_now_refuses_when_nothing_is_overdue_or_on_hold(ctx, books):
    c = books.customer("S2")
    books.invoice(c, "S-2", "700.00", date(2026, 12, 1))
    with pytest.raises(Refused, match="nothing overdue"):
        outbox.send_now(ctx, "S2", now=at(date(2026, 11, 10)))
    c.do_not_chase, c.do_not_chase_reason = True, "lawyer handles it"
    c.save()
    with pytest.raises(Refused, match="do not chase"):
        outbox.send_now(ctx, "S2", now=at(date(2026, 11, 10)))


def test_free_text_is_edited_only_while_awaiting_approval(ctx, books):
    c = books.customer("S3", email="s3@example.com")
    books.invoice(c, "S-3", "900.00", date(2026, 11, 1))
    daily_run.run(ctx, at(date(2026, 11, 10)))
    [msg] = OutboxMessage.objects.filter(customer=c)
    assert msg.status == "awaiting_approval"
    approvals.edit_free_text(ctx, msg.id, "  We spoke on Monday; thank you for your patience.  ")
    msg.refresh_from_db()
    assert msg.free_text == "We spoke on Monday; thank you for your patience."
    approvals.approve(ctx, msg.id, now=at(date(2026, 11, 10)))
    with pytest.raises(Refused, match="only a message awaiting approval"):
        approvals.edit_free_text(ctx, msg.id, "changed after approval")

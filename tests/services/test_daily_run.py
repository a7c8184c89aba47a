"""The daily run over the database: idempotent, account level, approvals, explain."""

from datetime import date, datetime, timezone

import pytest

from gvia.services import daily_run
from gvia.store.models import Activity, AgingSnapshot, Case, OutboxMessage, RunRecord

pytestmark = pytest.mark.django_db


def at(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 7, 0, tzinfo=timezone.utc)   # 09:00 in Israel


def test_one_message_per_customer_listing_all_overdue_invoices_and_second_run_changes_nothing(ctx, books):
    c = books.customer("C1", "לקוח א", email="a@c1.co.il")
    books.invoice(c, "1001", "1000.00", date(2026, 11, 1))
    books.invoice(c, "1002", "500.00", date(2026, 11, 5))
    books.invoice(c, "1003", "700.00", date(2026, 11, 12))
    # 2026-11-10 is a Tuesday: 9 days after the oldest due date; the reminder is due (7 days)
    first = daily_run.run(ctx, at(date(2026, 11, 10)))
    assert first.counts.get("enter_stage") == 1
    [msg] = OutboxMessage.objects.filter(customer=c)
    assert (msg.stage_key, msg.channel, msg.document, msg.cycle) == ("reminder", "email", "reminder", 1)
    # a new organization approves every message
    assert msg.status == OutboxMessage.Status.AWAITING_APPROVAL
    case = Case.objects.get(customer=c)
    assert (case.stage_key, case.active, case.cycle) == ("reminder", True, 1)
    second = daily_run.run(ctx, at(date(2026, 11, 10)))
    assert second.counts.get("enter_stage") is None
    assert OutboxMessage.objects.filter(customer=c).count() == 1
    assert RunRecord.objects.filter(organization=ctx.org).count() == 2
    assert Activity.objects.filter(customer=c, kind="stage").count() == 1
    assert AgingSnapshot.objects.get(organization=ctx.org, date=date(2026, 11, 10), currency="ILS").overdue_minor == 150000


def test_dry_run_writes_nothing(ctx, books):
    c = books.customer("C2")
    books.invoice(c, "2001", "1000.00", date(2026, 10, 1))
    rep = daily_run.run(ctx, at(date(2026, 11, 10)), dry_run=True)
    assert rep.counts.get("enter_stage") == 1
    assert OutboxMessage.objects.count() == 0 and Case.objects.count() == 0 and RunRecord.objects.count() == 0


def test_automatic_mode_queues_and_explain_speaks(ctx, books):
    ctx.org.settings["sending_mode"] = "automatic"
    ctx.org.save()
    c = books.customer("C3", "Acme Ltd", language="en")
    books.invoice(c, "3001", "1000.00", date(2026, 11, 1))
    daily_run.run(ctx, at(date(2026, 11, 10)))
    assert OutboxMessage.objects.get(customer=c).status == OutboxMessage.Status.QUEUED
    text = daily_run.explain(ctx, "C3", at(date(2026, 11, 10)))
    assert "3001" in text and "9 days overdue" in text

"""The dispatcher against real SMTP servers on loopback: success with proof, 451 retried with
backoff, a connection dropped mid-message retried, a drop after the final dot uncertain, 550
failed with a task; sending hours and business days; the local catcher; recovery after a crash."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from gvia.core.message_log import said
from gvia.services.engine import daily_run
from gvia.services.sending.dispatch import (
    BACKOFF,
    SEND,
    Facts,
    Verdict,
    dispatch_due,
    read_raw,
    recover_stale,
    still_wanted,
)
from gvia.store.models import Activity, OutboxMessage, Task
from tests.support.smtpd import DroppingServer, start_smtp

pytestmark = pytest.mark.django_db
IL = ZoneInfo("Asia/Jerusalem")
MON = date(2026, 11, 9)     # a Monday: reminders of invoices due Mon 2 Nov are due


def at(d: date, hour: int, minute: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=IL).astimezone(timezone.utc)


@pytest.fixture
def smtp():
    s = start_smtp()
    yield s
    s.stop()


def plan(ctx, books, host=None, port=None, n=1, **extra):
    cfg = {"sending_mode": "automatic", "send_rate_per_minute": 0, **extra}
    if host:
        cfg["smtp"] = {"host": host, "port": port}
    ctx.org.settings.update(cfg)
    ctx.org.email = "billing@gilboa.co.il"
    ctx.org.save()
    for i in range(n):
        c = books.customer(f"C{i}", f"לקוח {i}", language="he", email=f"c{i}@example.co.il")
        books.invoice(c, f"{1000 + i}", "1250.00", date(2026, 11, 2))
    daily_run.run(ctx, at(MON, 8))
    return list(OutboxMessage.objects.order_by("id"))


def test_sent_with_proof_and_timeline(ctx, books, smtp, settings):
    [msg] = plan(ctx, books, smtp.host, smtp.port)
    rep = dispatch_due(lambda: at(MON, 10), "w1")
    assert rep.sent == 1
    msg.refresh_from_db()
    assert msg.status == "sent" and msg.server_reply.startswith("250 2.0.0 Ok")
    raw = read_raw(msg.raw_path)
    [got] = smtp.handler.received
    assert got.data.replace(b"\r\n", b"\n") == raw.replace(b"\r\n", b"\n")   # the proof is what was sent
    assert got.message["X-Gvia-Message"] == str(msg.id)
    assert got.message["Message-ID"] == msg.message_id
    assert Activity.objects.get(kind="message_out").data["message"] == msg.id
    assert dispatch_due(lambda: at(MON, 11), "w1").sent == 0           # nothing twice


def test_451_is_retried_with_backoff_then_sent(ctx, books, smtp):
    [msg] = plan(ctx, books, smtp.host, smtp.port)
    smtp.handler.data_reply = "451 4.3.0 Try again later"
    rep = dispatch_due(lambda: at(MON, 10), "w1")
    assert rep.retried == 1
    msg.refresh_from_db()
    assert msg.status == "queued" and msg.next_attempt_at == at(MON, 10) + BACKOFF[0]
    assert msg.log[-1]["code"] == "outbox_attempt_failed" and "451" in msg.log[-1]["params"]["reply"]
    assert dispatch_due(lambda: at(MON, 10, 0) + timedelta(seconds=30), "w1").sent == 0   # not yet
    smtp.handler.data_reply = None
    assert dispatch_due(lambda: at(MON, 10, 2), "w1").sent == 1
    msg.refresh_from_db()
    assert (msg.status, msg.attempts) == ("sent", 2)
    assert len(smtp.handler.received) == 1


def big(msg, org, today):
    """The real message with 4 MB more attached: far more than fits in the sockets' buffers."""
    from dataclasses import replace

    from gvia.channels.mime import Attachment
    from gvia.services.sending.compose import compose_message

    composed = compose_message(msg, org, today)
    return replace(composed, email=replace(composed.email, attachments=[
        *composed.email.attachments, Attachment("case-file.pdf", b"%PDF" + bytes(4 * 1024 * 1024))]))


def test_drop_mid_message_is_retried_drop_after_dot_is_uncertain(ctx, books):
    mid = DroppingServer("mid_data")
    try:
        plan(ctx, books, mid.host, mid.port)
        rep = dispatch_due(lambda: at(MON, 10), "w1", composer=big)     # cut off in the middle

        assert rep.retried == 1 and mid.completed_messages == 0
    finally:
        mid.stop()
    after = DroppingServer("after_dot")
    try:
        ctx.org.settings["smtp"] = {"host": after.host, "port": after.port}
        ctx.org.save()
        rep = dispatch_due(lambda: at(MON, 10, 5), "w1")
        assert rep.uncertain == 1 and after.completed_messages == 1
    finally:
        after.stop()
    msg = OutboxMessage.objects.get()
    assert msg.status == "uncertain"
    assert Task.objects.get(message=msg).kind == "uncertain_message"
    assert dispatch_due(lambda: at(MON, 12), "w1").handled == 0          # never re-sent by itself


def test_550_fails_with_a_task(ctx, books, smtp):
    plan(ctx, books, smtp.host, smtp.port)
    smtp.handler.rcpt_reply = "550 5.1.1 No such user"
    rep = dispatch_due(lambda: at(MON, 10), "w1")
    assert rep.failed == 1
    msg = OutboxMessage.objects.get()
    assert msg.status == "failed" and said(msg.log[-1]).params["reply"].startswith("550")
    assert Task.objects.get(message=msg).kind == "failed_message"


def test_no_address_and_no_sms_provider_fail_permanently(ctx, books, smtp):
    [msg] = plan(ctx, books, smtp.host, smtp.port)
    msg.customer.email = ""
    msg.customer.save()
    assert dispatch_due(lambda: at(MON, 10), "w1").failed == 1
    why = said(OutboxMessage.objects.get().log[-1])
    assert (why.code, why.params["reply"].code) == ("outbox_attempt_failed", "outbox_no_email")


def test_only_within_sending_hours_on_business_days(ctx, books, smtp):
    plan(ctx, books, smtp.host, smtp.port, sending_hours="09:00-17:00")
    assert dispatch_due(lambda: at(MON, 8, 59), "w1").sent == 0
    assert dispatch_due(lambda: at(MON, 17, 0), "w1").sent == 0
    assert dispatch_due(lambda: at(date(2026, 11, 13), 10), "w1").sent == 0      # Friday
    assert dispatch_due(lambda: at(MON, 16, 59), "w1").sent == 1
    ctx.org.settings["sending_mode"] = "off"
    ctx.org.save()
    OutboxMessage.objects.update(status="queued")
    assert dispatch_due(lambda: at(MON, 12), "w1").sent == 0                   # switched off


def test_without_smtp_mail_goes_to_the_catcher(ctx, books, settings):
    plan(ctx, books)
    assert dispatch_due(lambda: at(MON, 10), "w1").sent == 1
    [eml] = list(Path(settings.MAIL_CATCHER_DIR).glob("*.eml"))
    assert b"c0@example.co.il" in eml.read_bytes()
    assert "local mail catcher" in OutboxMessage.objects.get().server_reply


def test_rate_limit_spaces_messages(ctx, books, smtp):
    import time

    plan(ctx, books, smtp.host, smtp.port, n=3, send_rate_per_minute=600)    # one every 0.1 s
    t0 = time.monotonic()
    assert dispatch_due(lambda: at(MON, 10), "w1").sent == 3
    assert time.monotonic() - t0 >= 0.2


def test_recovery_requeues_unstarted_and_marks_started_uncertain(ctx, books, smtp):
    a, b = plan(ctx, books, smtp.host, smtp.port, n=2)
    now = at(MON, 10)
    OutboxMessage.objects.filter(id=a.id).update(status="sending", worker="dead:1", lease_until=now)
    OutboxMessage.objects.filter(id=b.id).update(status="sending", worker="dead:1", lease_until=now,
                                                 send_started_at=now)
    assert (recover_stale(now).requeued, recover_stale(now).uncertain) == (0, 0)     # leases not over
    got = recover_stale(now + timedelta(minutes=1))
    assert (got.requeued, got.uncertain) == (1, 1)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == ("queued", "uncertain")
    assert Task.objects.get(message=b).kind == "uncertain_message"


def test_cancelled_when_the_customer_goes_on_do_not_chase(ctx, books, smtp):
    [msg] = plan(ctx, books, smtp.host, smtp.port)
    msg.customer.do_not_chase = True
    msg.customer.save()
    assert dispatch_due(lambda: at(MON, 10), "w1").cancelled == 1
    assert smtp.handler.received == []


@pytest.mark.parametrize("due, verdict", [
    (MON - timedelta(days=1), SEND),                                             # due yesterday: overdue
    (MON, "nothing is overdue any more"),                                        # due today: not overdue yet
    (MON + timedelta(days=1), "nothing is overdue any more"),
])
def test_a_reminder_goes_out_only_for_an_invoice_due_before_today(ctx, due, verdict):
    # the overdue boundary is "due < today": an invoice due today is not late on its due day
    msg = OutboxMessage(organization=ctx.org, customer_id=7, idempotency_key="stage:7:1:reminder",
                        stage_key="reminder", cycle=1)
    facts = Facts(cases={7: (1, True)}, invoices={7: [(70, due)]})
    got = still_wanted(msg, ctx.org, MON, facts=facts)
    assert got == (SEND if verdict is SEND else Verdict(cancel=verdict))
    # a courtesy note (before the due date) is for any open invoice, due or not
    courtesy = OutboxMessage(organization=ctx.org, customer_id=7, idempotency_key="stage:7:1:courtesy",
                             stage_key="courtesy", cycle=1)
    assert still_wanted(courtesy, ctx.org, MON, facts=facts) == SEND

"""The outbox journal and its reconciliation (issue 14, finding 2), in process: messages are sent
to a real SMTP server on loopback, then the database is wound back the way a restored backup
would have it, and :func:`reconcile` must make it agree with what the journal saw — sent stays
sent, handed over becomes uncertain, a person's decision stands — and nothing goes out twice.
(The whole path with `gvia backup`/`gvia restore` and a server in its own process is
tests/engine/test_restore.py.)"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from gvia.core.message_log import english
from gvia.services.engine import daily_run
from gvia.services.sending import outbox
from gvia.services.sending.dispatch import claim_batch, dispatch_due
from gvia.services.sending.journal import Journal, reconcile
from gvia.store.models import Activity, OutboxJournalMark, OutboxMessage, Task
from tests.services.test_dispatch import MON, at, plan
from tests.support.smtpd import DroppingServer, start_smtp

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp():
    s = start_smtp()
    yield s
    s.stop()


def wind_back(ids, **state):
    """The database as a backup taken before these messages were sent would have it."""
    values = {"status": OutboxMessage.Status.QUEUED, "sent_at": None, "send_started_at": None, "server_reply": "",
              "raw_path": "", "lease_until": None, "attempts": 0, **state}
    OutboxMessage.objects.filter(id__in=ids).update(**values)
    Activity.objects.filter(kind=Activity.Kind.MESSAGE_OUT).delete()
    Task.objects.all().delete()
    OutboxJournalMark.objects.all().delete()


def test_what_the_journal_shows_sent_after_the_backup_is_marked_sent_never_sent_again(ctx, books, smtp):
    msgs = plan(ctx, books, smtp.host, smtp.port, n=3)
    assert dispatch_due(lambda: at(MON, 10), "w1").sent == 3
    wind_back([m.id for m in msgs])
    rec = reconcile(at(MON, 11), everything=True)
    assert sorted(rec.marked_sent) == sorted(m.id for m in msgs) and not rec.marked_uncertain
    for m in OutboxMessage.objects.all():
        assert m.status == "sent" and m.server_reply.startswith("250") and m.raw_path and m.sent_at == at(MON, 10)
    assert Activity.objects.filter(kind=Activity.Kind.MESSAGE_OUT).count() == 3      # back on the timeline
    assert dispatch_due(lambda: at(MON, 12), "w2").sent == 0
    assert len(smtp.handler.received) == 3
    assert reconcile(at(MON, 13), everything=True).events == 0                      # read once


def test_a_message_handed_over_after_the_backup_becomes_uncertain_not_queued(ctx, books, settings):
    server = DroppingServer("after_dot")          # the server may or may not have it
    try:
        [msg] = plan(ctx, books, server.host, server.port)
        assert dispatch_due(lambda: at(MON, 10), "w1").uncertain == 1
        wind_back([msg.id])
        rec = reconcile(at(MON, 11), everything=True)
        assert rec.marked_uncertain == [msg.id]
        msg.refresh_from_db()
        assert msg.status == "uncertain" and msg.log[-1]["code"] == "outbox_journal_uncertain" \
            and "may have reached the customer" in english(msg.log)
        assert Task.objects.filter(message=msg, kind=Task.Kind.UNCERTAIN_MESSAGE, open=True).exists()
        assert dispatch_due(lambda: at(MON, 12), "w2").handled == 0
        assert server.completed_messages == 1
        # a person checks and says it did not arrive: queued again, and the journal agrees
        outbox.resolve(ctx, msg.id, sent=False, now=at(MON, 13))
        assert reconcile(at(MON, 13, 30), everything=True).changed is False
        OutboxJournalMark.objects.all().delete()           # even reading the whole journal again
        assert reconcile(at(MON, 13, 30), everything=True).changed is False
        msg.refresh_from_db()
        assert msg.status == "queued"
    finally:
        server.stop()


def test_a_message_the_restored_database_never_had_is_written_back_and_not_planned_again(ctx, books, smtp):
    msgs = plan(ctx, books, smtp.host, smtp.port, n=2)
    keys = sorted(m.idempotency_key for m in msgs)
    assert dispatch_due(lambda: at(MON, 10), "w1").sent == 2
    # a backup from before the daily run: no message, no run, no case
    from gvia.store.models import Case, RunRecord

    OutboxMessage.objects.all().delete()
    Case.objects.all().delete()
    RunRecord.objects.all().delete()
    wind_back([])
    rec = reconcile(at(MON, 11), everything=True)
    assert len(rec.written_back) == 2 and len(rec.marked_sent) == 2
    assert sorted(OutboxMessage.objects.values_list("idempotency_key", flat=True)) == keys
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
    daily_run.run(ctx, at(MON, 12))                  # plans the same reminders: already there
    assert OutboxMessage.objects.count() == 2
    assert dispatch_due(lambda: at(MON, 12, 30), "w2").sent == 0
    assert len(smtp.handler.received) == 2


def test_a_message_another_worker_is_sending_is_left_to_it(ctx, books, smtp):
    [msg] = plan(ctx, books, smtp.host, smtp.port)
    [claimed] = claim_batch(at(MON, 10), "other-worker")
    journal = Journal("other-worker")
    journal.note("started", claimed, at(MON, 10))
    journal.close()
    rec = reconcile(at(MON, 10, 1))                       # PostgreSQL: other workers may be alive
    assert not rec.changed
    msg.refresh_from_db()
    assert msg.status == "sending"
    [mark] = OutboxJournalMark.objects.all()
    assert mark.offset == 0                               # that line is read again next time
    rec = reconcile(at(MON, 10) + timedelta(minutes=11))  # its lease ran out: the worker died
    assert rec.marked_uncertain == [msg.id]


def test_journal_lines_name_the_message_and_its_cause(ctx, books, smtp, settings):
    import json

    [msg] = plan(ctx, books, smtp.host, smtp.port)
    dispatch_due(lambda: at(MON, 10), "w1")
    [path] = list((settings.STORAGE_ROOT / "outbox").glob("*/*/*.journal"))
    lines = [json.loads(x) for x in path.read_text().splitlines()]
    assert [x["ev"] for x in lines] == ["started", "sent"]
    assert {x["key"] for x in lines} == {msg.idempotency_key}
    assert lines[1]["reply"].startswith("250") and lines[1]["raw_path"] and lines[0]["to"] == ["c0@example.co.il"]
    assert date.fromisoformat(lines[0]["planned_for"]) == msg.planned_for

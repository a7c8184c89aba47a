"""Nothing that misfires (issue 13): "send a reminder now" is refused while a message awaits a
decision and once the case has reached its warning; each refusal carries its code and values."""

from datetime import date, datetime, timezone

import pytest

from gvia.core.errors import RefusedFor
from gvia.services.engine import approvals, daily_run
from gvia.services.sending import outbox
from gvia.store.models import Case, OutboxMessage

pytestmark = pytest.mark.django_db


def at(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 8, 0, tzinfo=timezone.utc)


def test_send_now_is_refused_while_a_message_awaits_approval(ctx, books):
    c = books.customer("N1", email="n1@example.com")
    books.invoice(c, "N-1", "900.00", date(2026, 11, 1))
    daily_run.run(ctx, at(date(2026, 11, 10)))
    [msg] = OutboxMessage.objects.filter(customer=c)
    assert msg.status == "awaiting_approval"
    with pytest.raises(RefusedFor) as e:
        outbox.send_now(ctx, "N1", now=at(date(2026, 11, 10)))
    assert e.value.code == "send_now_awaiting_approval" and e.value.params["message"] == msg.id
    with pytest.raises(RefusedFor):
        outbox.check_send_now(ctx, "N1", now=at(date(2026, 11, 10)))
    assert OutboxMessage.objects.filter(customer=c).count() == 1
    approvals.approve(ctx, msg.id, now=at(date(2026, 11, 10)))
    assert outbox.check_send_now(ctx, "N1", now=at(date(2026, 11, 10)))[0] == c
    assert outbox.send_now(ctx, "N1", now=at(date(2026, 11, 10))).status == "queued"


def test_send_now_is_refused_once_the_case_reached_its_warning(ctx, books):
    c = books.customer("N2", email="n2@example.com")
    books.invoice(c, "N-2", "900.00", date(2026, 9, 1))
    state = {"cycle": 1, "cycle_open": True, "cycle_started": "2026-09-02", "stage_key": "call",
             "stage_entered": "2026-10-20", "history": [["reminder", "2026-09-08"], ["call", "2026-10-20"]]}
    Case.objects.create(organization=ctx.org, customer=c, cycle=1, stage_key="call", active=True, state=state)
    # at the call, before the warning: a reminder may still go
    assert outbox.check_send_now(ctx, "N2", now=at(date(2026, 11, 10)))[0] == c
    state = {**state, "stage_key": "warning_letter", "stage_entered": "2026-11-01", "deadline_stage": "warning_letter",
             "history": state["history"] + [["warning_letter", "2026-11-01"]]}
    Case.objects.filter(customer=c).update(stage_key="warning_letter", state=state)
    with pytest.raises(RefusedFor) as e:
        outbox.send_now(ctx, "N2", now=at(date(2026, 11, 10)))
    assert e.value.code == "send_now_past_reminders" and e.value.params["stage"] == "warning_letter"
    assert not OutboxMessage.objects.filter(customer=c).exists()

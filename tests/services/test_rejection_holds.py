"""Rejecting a message holds the case until a person chooses (issue 13): plan it again, skip the
stage, or pause. The ladder never moves on as if the rejected message had been sent."""

from datetime import date, datetime, timezone

import pytest

from gvia.core.errors import Refused, RefusedFor, ValidationFailed
from gvia.services.engine import approvals, daily_run, rejections
from gvia.store.models import AuditRecord, Case, OutboxMessage, Pause

pytestmark = pytest.mark.django_db


def at(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 8, 0, tzinfo=timezone.utc)


def _rejected_reminder(ctx, books, ref: str):
    c = books.customer(ref, email=f"{ref.lower()}@example.com")
    books.invoice(c, f"{ref}-1", "900.00", date(2026, 11, 1))
    daily_run.run(ctx, at(date(2026, 11, 10)))
    [msg] = OutboxMessage.objects.filter(customer=c)
    assert msg.status == "awaiting_approval"
    approvals.reject(ctx, msg.id, "wrong contact", now=at(date(2026, 11, 10)))
    return c, msg


def _stages(c) -> list[str]:
    return list(OutboxMessage.objects.filter(customer=c).order_by("id").values_list("stage_key", flat=True))


def test_the_ladder_holds_after_a_rejection_until_a_person_chooses(ctx, books):
    c, msg = _rejected_reminder(ctx, books, "R1")
    assert rejections.waiting_choice(c) == msg.stage_key
    for day in (date(2026, 11, 20), date(2026, 12, 1), date(2026, 12, 20)):
        daily_run.run(ctx, at(day))
    assert _stages(c) == [msg.stage_key]          # nothing further planned
    text = daily_run.explain(ctx, "R1", now=at(date(2026, 12, 21)), lang="en")
    assert "was rejected: a person chooses whether to plan it again, skip the stage or pause" in text


def test_skip_moves_on_to_the_next_stage(ctx, books):
    c, msg = _rejected_reminder(ctx, books, "R2")
    rejections.choose(ctx, c, "skip", now=at(date(2026, 11, 20)))
    assert rejections.waiting_choice(c) is None
    daily_run.run(ctx, at(date(2026, 12, 1)))
    stages = _stages(c)
    assert len(stages) == 2 and stages[1] != msg.stage_key
    assert AuditRecord.objects.filter(action="case.rejection_resolved").count() == 1


def test_replan_asks_for_approval_of_the_same_message_again(ctx, books):
    c, msg = _rejected_reminder(ctx, books, "R3")
    rejections.choose(ctx, c, "replan", now=at(date(2026, 11, 12)))
    msg.refresh_from_db()
    assert msg.status == "awaiting_approval" and msg.planned_for == date(2026, 11, 12)
    assert Case.objects.get(customer=c).stage_entered == date(2026, 11, 12)
    approvals.approve(ctx, msg.id, now=at(date(2026, 11, 12)))
    msg.refresh_from_db()
    assert msg.status == "queued"


def test_pause_then_the_stage_is_planned_afresh(ctx, books):
    c, msg = _rejected_reminder(ctx, books, "R4")
    with pytest.raises(RefusedFor) as e:
        rejections.choose(ctx, c, "pause", now=at(date(2026, 11, 11)))
    assert e.value.code == "pause_needs_until"
    with pytest.raises(ValidationFailed):   # a pause says why
        rejections.choose(ctx, c, "pause", until=date(2026, 11, 20), reason=" ", now=at(date(2026, 11, 11)))
    assert rejections.waiting_choice(c) == msg.stage_key   # nothing changed
    rejections.choose(ctx, c, "pause", until=date(2026, 11, 20), reason="customer in hospital",
                      now=at(date(2026, 11, 11)))
    assert Pause.objects.filter(customer=c, active=True, until=date(2026, 11, 20)).exists()
    daily_run.run(ctx, at(date(2026, 11, 19)))
    assert _stages(c) == [msg.stage_key]
    daily_run.run(ctx, at(date(2026, 11, 22)))
    new = OutboxMessage.objects.filter(customer=c).exclude(id=msg.id)
    assert [m.stage_key for m in new] == [msg.stage_key]     # the same stage, planned afresh
    msg.refresh_from_db()
    assert msg.status == "rejected" and msg.idempotency_key.endswith(f":rejected:{msg.id}")


def test_no_choice_without_a_rejection(ctx, books):
    c = books.customer("R5")
    with pytest.raises(Refused):
        rejections.choose(ctx, c, "skip", now=at(date(2026, 11, 11)))

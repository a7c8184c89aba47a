"""The demo is ready to try (issue 13): creating it runs the daily run of its day, so the outbox
and the worklist have something the moment a person signs in; creating it again runs nothing."""

from __future__ import annotations

from datetime import date

import pytest

from gvia.store.models import OutboxMessage, RunRecord, Task

pytestmark = pytest.mark.django_db


def test_the_demo_runs_its_day_once():
    from gvia.services.org.demo import load_demo

    day = date(2026, 3, 15)
    result = load_demo(customers=40, language="he", seed=1, as_of=day)
    org = result.org
    assert result.created and result.run is not None and result.run.run_date == day
    assert RunRecord.objects.filter(organization=org, run_date=day, dry_run=False).count() == 1
    messages = OutboxMessage.objects.filter(organization=org)
    counts = result.run.counts
    planned = counts.get("messages_awaiting_approval", 0) + counts.get("messages_queued", 0)
    assert planned > 0 and messages.count() == planned
    assert messages.filter(status="awaiting_approval").exists()        # the approvals page has rows
    assert Task.objects.filter(organization=org, kind="call").count() == counts.get("call_tasks", 0)
    again = load_demo(customers=40, language="he", seed=1, as_of=day)
    assert not again.created and again.run is None
    assert RunRecord.objects.filter(organization=org).count() == 1

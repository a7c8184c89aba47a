"""Claims and their leases (issue 14, finding 8). On PostgreSQL several workers share the outbox:
a worker that stops — however it stops — gives back what it claimed and did not start, and a
killed worker's claims come back to the others about a minute later (the lease is one minute and
a living worker renews it while it works), not ten. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gvia.services.sending.compose import compose_message
from gvia.services.sending.dispatch import LEASE, claim_batch, dispatch_due, recover_stale
from gvia.store.models import OutboxMessage
from tests.services.test_dispatch import MON, at, plan
from tests.support.smtpd import start_smtp

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp():
    s = start_smtp()
    yield s
    s.stop()


def test_a_killed_workers_claims_come_back_in_about_a_minute(ctx, books, smtp):
    plan(ctx, books, smtp.host, smtp.port, n=3)
    t0 = at(MON, 10)
    assert len(claim_batch(t0, "killed:1")) == 3          # then it dies: nothing renews, nothing releases
    assert LEASE <= timedelta(minutes=1)
    assert recover_stale(t0 + timedelta(seconds=30)).requeued == 0     # maybe still alive
    assert recover_stale(t0 + timedelta(seconds=61)).requeued == 3     # about a minute later: back
    rep = dispatch_due(lambda: t0 + timedelta(seconds=62), "other:2")
    assert rep.sent == 3 and len(smtp.handler.received) == 3


def test_a_living_worker_keeps_its_claims_by_renewing_them(ctx, books, smtp):
    plan(ctx, books, smtp.host, smtp.port, n=4)
    clock = {"now": at(MON, 10)}
    stolen = []

    def slow_composer(msg, org, today):
        clock["now"] += timedelta(seconds=25)             # each message takes 25 s to prepare
        stolen.append(recover_stale(clock["now"]).requeued + recover_stale(clock["now"]).uncertain)
        return compose_message(msg, org, today)

    rep = dispatch_due(lambda: clock["now"], "slow:1", composer=slow_composer)
    assert clock["now"] - at(MON, 10) > LEASE                # the batch outlived one lease…
    assert stolen == [0, 0, 0, 0]                            # …and no other worker took any of it
    assert rep.sent == 4 and len(smtp.handler.received) == 4


def test_a_worker_that_stops_gives_back_what_it_did_not_start(ctx, books, smtp):
    plan(ctx, books, smtp.host, smtp.port, n=3)
    calls = []

    def stopped_on_the_second(msg, org, today):
        calls.append(msg.id)
        if len(calls) == 2:
            raise KeyboardInterrupt      # Ctrl+C, or anything else that ends the worker
        return compose_message(msg, org, today)

    with pytest.raises(KeyboardInterrupt):
        dispatch_due(lambda: at(MON, 10), "stopping:1", composer=stopped_on_the_second)
    statuses = list(OutboxMessage.objects.order_by("id").values_list("status", "attempts", "lease_until"))
    assert statuses == [("sent", 1, statuses[0][2]), ("queued", 0, None), ("queued", 0, None)]
    # another worker takes them at once, with no lease to wait for
    assert dispatch_due(lambda: at(MON, 10, 1), "other:2").sent == 2
    assert len(smtp.handler.received) == 3

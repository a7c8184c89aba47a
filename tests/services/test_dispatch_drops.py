"""The dispatcher retries a message whose connection a real aiosmtpd server dropped in the middle
of DATA, before the final dot was sent (issue 14, finding 8), and it is then sent exactly once;
a drop after the dot stays uncertain (tests/services/test_dispatch.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gvia.services.sending.dispatch import BACKOFF, dispatch_due
from gvia.store.models import OutboxMessage
from tests.services.test_dispatch import MON, at, plan
from tests.support.smtpd import DroppingAiosmtpd, start_smtp

pytestmark = pytest.mark.django_db


def test_a_drop_before_the_final_dot_is_retried_then_sent_once(ctx, books):
    dropping = DroppingAiosmtpd(drop_after=200)
    dropping.start()
    try:
        [msg] = plan(ctx, books, dropping.hostname, dropping.port)

        def checkpoint(name: str) -> None:
            if name == "body_sent":
                assert dropping.dropped.wait(10)

        rep = dispatch_due(lambda: at(MON, 10), "w1", checkpoint=checkpoint)
        assert (rep.retried, rep.uncertain) == (1, 0)
    finally:
        dropping.stop()
    msg.refresh_from_db()
    assert msg.status == "queued" and msg.next_attempt_at == at(MON, 10) + BACKOFF[0]
    good = start_smtp()
    try:
        ctx.org.settings["smtp"] = {"host": good.host, "port": good.port}
        ctx.org.save()
        assert dispatch_due(lambda: at(MON, 10) + BACKOFF[0] + timedelta(seconds=1), "w1").sent == 1
        assert dispatch_due(lambda: at(MON, 12), "w1").sent == 0
        assert len(good.handler.received) == 1
    finally:
        good.stop()
    assert OutboxMessage.objects.get().status == "sent"

"""The webhook rules in the core (issue 18): the signature a receiver checks, and the retry schedule."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from gvia.core import webhooks as rules

BODY = b'{"id":"e1","type":"payment.promised"}'
T = 1_796_000_000


def test_a_signature_verifies_only_for_its_body_secret_and_time():
    header = rules.signature("whsec_x", T, BODY)
    assert header.startswith(f"t={T},v1=") and len(header.split("v1=")[1]) == 64
    assert rules.verify("whsec_x", header, BODY, now=T + 10)
    assert not rules.verify("whsec_x", header, BODY + b" ", now=T + 10)          # the body changed
    assert not rules.verify("whsec_y", header, BODY, now=T + 10)                 # another secret
    assert not rules.verify("whsec_x", header, BODY, now=T + 301)                # replayed too late
    assert rules.verify("whsec_x", header, BODY, now=T + 300)
    assert not rules.verify("whsec_x", "t=abc,v1=00", BODY, now=T)
    assert not rules.verify("whsec_x", "", BODY, now=T)


def test_the_tries_back_off_then_give_up():
    at = datetime(2026, 12, 7, 12, 0, tzinfo=timezone.utc)
    waits = [rules.next_attempt(n, at) for n in range(1, rules.MAX_ATTEMPTS + 1)]
    assert [w - at for w in waits[:7] if w] == [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
                                                 timedelta(hours=2), timedelta(hours=6), timedelta(hours=12),
                                                 timedelta(hours=24)]
    assert waits[7] - at == waits[8] - at == timedelta(hours=24)                # the last wait repeats
    assert waits[-1] is None                                                     # the tenth try was the last


def test_kinds_are_checked():
    assert rules.check_kinds(["payment.promised", "stage.changed"]) == ()
    assert rules.check_kinds(["payment.promised", "invoice.paid"]) == ("invoice.paid",)

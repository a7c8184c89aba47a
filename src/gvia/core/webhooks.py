"""Webhooks as rules: which events there are, how a payload is signed, when a failed delivery is
tried again (issue 18). Plain Python; the deliveries themselves are :mod:`gvia.services.webhooks`.

* **Events** (:data:`EVENT_KINDS`): ``payment.promised``, ``dispute.opened``, ``stage.changed``,
  ``message.failed``, ``payment.matched``. Each event has a unique id (a UUID), and one *fact*
  gives at most one event: the service names the fact (``promise:<id>``, ``dispute:<id>``,
  ``stage:<case>:<cycle>:<stage>``, ``message:<id>``, ``match:<id>``), unique per organization,
  so a second call for the same fact adds nothing. A receiver that sees an id twice (a retry
  after a lost answer) drops the second: delivery is *at least once*.
* **Signature** (:func:`signature`, :func:`verify`): the header
  ``Gvia-Signature: t=<unix seconds>,v1=<hex>``, where ``<hex>`` is HMAC-SHA256 with the
  endpoint's secret over ``"<t>." + body`` — the scheme Stripe documents for its own webhooks,
  so receivers can reuse their code: check the HMAC in constant time, and refuse a timestamp
  older than a tolerance (:data:`TOLERANCE_SECONDS`) so a captured delivery cannot be replayed.
* **Retries** (:func:`next_attempt`): a delivery that fails (no answer, or any answer but 2xx)
  is tried again after 1 minute, 5, 30, 2 hours, 6, 12, then every 24 hours, at most
  :data:`MAX_ATTEMPTS` times in all (about four days); then it is given up and shown as failed.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

__all__ = ["EVENT_KINDS", "MAX_ATTEMPTS", "TOLERANCE_SECONDS", "BACKOFF", "signature", "verify",
           "next_attempt", "check_kinds"]

EVENT_KINDS: tuple[str, ...] = ("payment.promised", "dispute.opened", "stage.changed", "message.failed",
                                "payment.matched")
MAX_ATTEMPTS = 10
TOLERANCE_SECONDS = 300
#: the wait after the n-th failed attempt (n = 1, 2, …); the last figure repeats
BACKOFF: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
                                  timedelta(hours=2), timedelta(hours=6), timedelta(hours=12),
                                  timedelta(hours=24))


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Gvia-Signature`` header's value for ``body`` sent at ``timestamp`` (unix seconds)."""
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, header: str, body: bytes, now: int, tolerance: int = TOLERANCE_SECONDS) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` and was made at most ``tolerance``
    seconds before ``now`` (what a receiver checks; gvia's tests check with it too)."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def next_attempt(attempts: int, failed_at: datetime) -> datetime | None:
    """When to try again after the ``attempts``-th attempt failed at ``failed_at``; None when
    :data:`MAX_ATTEMPTS` have been made (the delivery is given up)."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return failed_at + BACKOFF[min(attempts, len(BACKOFF)) - 1]


def check_kinds(kinds: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The event kinds an endpoint subscribes to, checked: every kind known, none twice; an empty
    list means every kind. Returns the unknown ones (empty when all are known)."""
    return tuple(k for k in kinds if k not in EVENT_KINDS)

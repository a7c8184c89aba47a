"""The worker's part: POST every due delivery, signed, and try again with backoff until the
receiver answers 2xx (:mod:`gvia.core.webhooks`: the signature and the schedule).

A delivery is *claimed* before it is sent: its try is counted and its next try set in one short
transaction, so a worker that dies in the middle of a POST leaves a delivery that is simply tried
again later — at least once, never lost. An endpoint that fails once in a round is not tried again
in that round (its other deliveries wait for the next one), so a receiver that is down costs the
worker one timeout, not one per event. Redirects are not followed (a 3xx is a failed try: the
owner gives the final address). A receiver that takes longer than :data:`TIMEOUT_SECONDS` is a
failed try too.
"""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Callable
from urllib.parse import urlsplit

from django.db import transaction

from gvia.core import webhooks as rules
from gvia.services import sealed
from gvia.services.webhooks.events import body_of
from gvia.store.models_webhooks import WebhookDelivery

TIMEOUT_SECONDS = 10
USER_AGENT = "gvia-webhooks/1"

#: (url, body, headers) → (HTTP status or None, error code or "")
Post = Callable[[str, bytes, dict[str, str]], tuple[int | None, str]]


def http_post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    """POST ``body`` to ``url``; the answer's status, or None and why there was none."""
    parts = urlsplit(url)
    conn_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = conn_class(parts.hostname or "", parts.port, timeout=TIMEOUT_SECONDS)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        conn.request("POST", path, body=body, headers=headers)
        status = conn.getresponse().status
    except TimeoutError:
        return None, "timeout"
    except (OSError, http.client.HTTPException):
        return None, "no_answer"
    finally:
        conn.close()
    return status, "" if 200 <= status < 300 else "http_status"


@dataclass
class DeliveryReport:
    delivered: int = 0
    retrying: int = 0
    given_up: int = 0

    @property
    def tried(self) -> int:
        return self.delivered + self.retrying + self.given_up


def _claim(d: WebhookDelivery, now: datetime) -> int | None:
    """Count this try and set the next one before sending; the try's number, or None when another
    worker took it first."""
    attempt = d.attempts + 1
    later = rules.next_attempt(attempt, now) or now + rules.BACKOFF[-1]
    with transaction.atomic():
        taken = WebhookDelivery.objects.filter(id=d.id, status=WebhookDelivery.Status.PENDING,
                                               attempts=d.attempts).update(attempts=attempt, next_attempt_at=later)
    return attempt if taken else None


def deliver_due(now: datetime, post: Post = http_post, limit: int = 200) -> DeliveryReport:
    """Send what is due at ``now`` (at most ``limit``), every organization's."""
    report = DeliveryReport()
    due = list(WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now,
                                              endpoint__active=True)
               .select_related("event", "endpoint").order_by("next_attempt_at", "id")[:limit])
    down: set[int] = set()
    for d in due:
        if d.endpoint_id in down:
            continue
        attempt = _claim(d, now)
        if attempt is None:
            continue
        body = json.dumps(body_of(d.event), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
        secret = sealed.unseal(d.endpoint.sealed_secret, "the webhook secret")
        headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT,
                   "Gvia-Event-Id": str(d.event.event_id), "Gvia-Event-Type": d.event.kind,
                   "Gvia-Signature": rules.signature(secret, int(now.timestamp()), body)}
        status, error = post(d.endpoint.url, body, headers)
        if not error:
            WebhookDelivery.objects.filter(id=d.id).update(status=WebhookDelivery.Status.DELIVERED, delivered_at=now,
                                                           last_status=status, last_error="", next_attempt_at=None)
            report.delivered += 1
            continue
        down.add(d.endpoint_id)
        later = rules.next_attempt(attempt, now)
        WebhookDelivery.objects.filter(id=d.id).update(
            last_status=status, last_error=error, next_attempt_at=later,
            status=WebhookDelivery.Status.PENDING if later else WebhookDelivery.Status.FAILED)
        if later:
            report.retrying += 1
        else:
            report.given_up += 1
    return report

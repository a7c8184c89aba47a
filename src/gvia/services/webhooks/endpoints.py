"""The webhook endpoints of an organization (owners only), and what became of their deliveries.

The signing secret is made here (``whsec_`` and 32 random bytes, URL-safe), returned once by
:func:`add_endpoint` and stored sealed; nobody can read it again — a lost secret means removing
the endpoint and adding it again. An address must be ``https://`` (or ``http://`` to this machine
itself, for a program running beside gvia): events carry customers' names and amounts.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from gvia.core import webhooks as rules
from gvia.core.errors import FieldProblem, NotFoundFor, RefusedFor, ValidationFailed
from gvia.services import audit, clock, sealed
from gvia.services.context import Ctx
from gvia.store.models_webhooks import WebhookDelivery, WebhookEndpoint

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def _check_url(url: str) -> list[FieldProblem]:
    parts = urlsplit(url.strip())
    if len(url) > 2000 or parts.scheme not in ("https", "http") or not parts.hostname:
        return [FieldProblem(None, "url", url, "not an http(s) address", code="webhook_url_bad", place="setting")]
    if parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS:
        return [FieldProblem(None, "url", url, "http only to this machine; use https", code="webhook_url_https",
                             place="setting")]
    return []


def add_endpoint(ctx: Ctx, url: str, kinds: list[str] | None = None,
                 now: datetime | None = None) -> tuple[WebhookEndpoint, str]:
    """Add an endpoint; returns it and its signing secret (shown once)."""
    ctx.require("owner", "adding a webhook")
    kinds = [k.strip() for k in (kinds or []) if k.strip()]
    problems = _check_url(url)
    unknown = rules.check_kinds(kinds)
    if unknown:
        problems.append(FieldProblem(None, "events", ", ".join(unknown), "unknown event kinds",
                                     code="webhook_kind_unknown", place="setting",
                                     params={"kinds": ", ".join(unknown), "known": ", ".join(rules.EVENT_KINDS)}))
    if problems:
        raise ValidationFailed(problems)
    secret = "whsec_" + secrets.token_urlsafe(32)
    endpoint = WebhookEndpoint.objects.create(organization=ctx.org, url=url.strip(), kinds=sorted(set(kinds)),
                                              sealed_secret=sealed.seal(secret), created_by=ctx.actor,
                                              created_at=now or clock.now_utc())
    audit.record(ctx, "webhook.add", endpoint, url=endpoint.url, kinds=endpoint.kinds)
    return endpoint, secret


def _endpoint(ctx: Ctx, endpoint_id: int) -> WebhookEndpoint:
    found = WebhookEndpoint.objects.filter(organization=ctx.org, id=endpoint_id).first()
    if found is None:
        raise NotFoundFor("webhook_not_found", f"no webhook {endpoint_id}", id=endpoint_id)
    return found


def remove_endpoint(ctx: Ctx, endpoint_id: int) -> WebhookEndpoint:
    """Stop sending to an endpoint (its log stays)."""
    ctx.require("owner", "removing a webhook")
    endpoint = _endpoint(ctx, endpoint_id)
    if not endpoint.active:
        raise RefusedFor("webhook_already_removed", f"webhook {endpoint_id} was removed already", id=endpoint_id)
    endpoint.active = False
    endpoint.save(update_fields=["active"])
    audit.record(ctx, "webhook.remove", endpoint, url=endpoint.url)
    return endpoint


def list_endpoints(ctx: Ctx) -> list[dict[str, Any]]:
    ctx.require("owner", "listing webhooks")
    rows = []
    for e in WebhookEndpoint.objects.filter(organization=ctx.org).order_by("id"):
        counts = {s: e.deliveries.filter(status=s).count() for s in WebhookDelivery.Status.values}
        rows.append({"id": e.id, "url": e.url, "events": list(e.kinds) or list(rules.EVENT_KINDS),
                     "active": e.active, "created_at": e.created_at, **counts})
    return rows


def delivery_log(ctx: Ctx, limit: int = 50) -> list[dict[str, Any]]:
    """The latest deliveries, newest first: the event, the address, where it stands."""
    ctx.require("owner", "reading the webhook log")
    qs = (WebhookDelivery.objects.filter(organization=ctx.org).select_related("event", "endpoint")
          .order_by("-event__created_at", "-id")[:limit])
    return [{"id": d.id, "event_id": str(d.event.event_id), "event": d.event.kind, "fact": d.event.fact,
             "endpoint": d.endpoint.url, "status": d.status, "attempts": d.attempts,
             "last_status": d.last_status, "last_error": d.last_error, "created_at": d.event.created_at,
             "next_attempt_at": d.next_attempt_at, "delivered_at": d.delivered_at} for d in qs]


def retry(ctx: Ctx, delivery_id: int, now: datetime | None = None) -> WebhookDelivery:
    """Try a given-up delivery again now (its tries start again)."""
    ctx.require("owner", "retrying a webhook delivery")
    d = WebhookDelivery.objects.filter(organization=ctx.org, id=delivery_id).first()
    if d is None:
        raise NotFoundFor("webhook_delivery_not_found", f"no delivery {delivery_id}", id=delivery_id)
    if d.status != WebhookDelivery.Status.FAILED:
        raise RefusedFor("webhook_delivery_not_failed", f"delivery {delivery_id} is {d.status}", id=delivery_id,
                         status=d.status)
    d.status, d.attempts, d.next_attempt_at = WebhookDelivery.Status.PENDING, 0, now or clock.now_utc()
    d.save(update_fields=["status", "attempts", "next_attempt_at"])
    audit.record(ctx, "webhook.retry", d, event=str(d.event.event_id))
    return d

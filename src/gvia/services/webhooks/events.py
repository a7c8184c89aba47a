"""One event per fact, written in the transaction of the fact itself (the outbox pattern): if the
fact is rolled back, so is its event; once it is committed, the event will be delivered.

:func:`emit` stores nothing when no active endpoint of the organization wants the kind (an
endpoint added later is told of what happens after it was added, not before). The payloads carry
references and values, never a sentence: ``{"customer": {"ref", "name"}, …}``.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction

from gvia.core.webhooks import EVENT_KINDS
from gvia.services import clock
from gvia.store.models import Customer, Organization
from gvia.store.models_webhooks import WebhookDelivery, WebhookEndpoint, WebhookEvent


def customer_data(customer: Customer) -> dict[str, str]:
    return {"ref": customer.ref, "name": customer.name}


def emit(org: Organization, kind: str, fact: str, data: dict[str, Any],
         now: datetime | None = None) -> WebhookEvent | None:
    """Record that ``fact`` happened (an event of ``kind`` with ``data``) for every active endpoint
    of ``org`` that wants it. A fact already recorded adds nothing and returns its event; with
    no endpoint wanting it, nothing is stored and None is returned."""
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown webhook event kind {kind!r}")  # not shown: a caller's bug, never input
    endpoints = [e for e in WebhookEndpoint.objects.filter(organization=org, active=True) if e.wants(kind)]
    if not endpoints:
        return None
    now = now or clock.now_utc()
    try:
        with transaction.atomic():
            event, created = WebhookEvent.objects.get_or_create(
                organization=org, fact=fact,
                defaults={"event_id": uuid.uuid4(), "kind": kind, "payload": data, "created_at": now})
    except IntegrityError:          # the same fact recorded at the same moment by another process
        return WebhookEvent.objects.get(organization=org, fact=fact)
    if created:
        WebhookDelivery.objects.bulk_create(
            [WebhookDelivery(organization=org, event=event, endpoint=e, next_attempt_at=now) for e in endpoints],
            ignore_conflicts=True)
    return event


def body_of(event: WebhookEvent) -> dict[str, Any]:
    """What is POSTed: the same bytes on every try (only the signature's time changes)."""
    return {"id": str(event.event_id), "type": event.kind, "created": event.created_at.isoformat(),
            "data": event.payload}


def emit_many(org: Organization, kind: str, facts: list[tuple[str, dict[str, Any]]], now: datetime) -> int:
    """:func:`emit` for many facts of one kind at once (the daily run's stage changes), in bulk;
    returns the events added. Nothing is read or written when no endpoint wants the kind."""
    endpoints = [e for e in WebhookEndpoint.objects.filter(organization=org, active=True) if e.wants(kind)]
    if not endpoints or not facts:
        return 0
    keys = [fact for fact, _ in facts]
    known = set(WebhookEvent.objects.filter(organization=org, fact__in=keys).values_list("fact", flat=True))
    new = [WebhookEvent(organization=org, event_id=uuid.uuid4(), kind=kind, fact=fact, payload=data, created_at=now)
           for fact, data in facts if fact not in known]
    WebhookEvent.objects.bulk_create(new, ignore_conflicts=True)
    mine = WebhookEvent.objects.filter(organization=org, event_id__in=[e.event_id for e in new])
    WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(organization=org, event_id=event_id, endpoint=e, next_attempt_at=now)
         for event_id in mine.values_list("id", flat=True) for e in endpoints], ignore_conflicts=True)
    return mine.count()


#: the daily run's decisions that change a case's stage
STAGE_DECISIONS = ("enter_stage", "start_cycle", "end_cycle")


def stage_changes(org: Organization, decisions: list, snapshots: dict, today: date, now: datetime) -> int:
    """``stage.changed`` for each decision of the daily run that moved a case (fact
    ``stage:<customer>:<cycle>:<stage>``; a cycle's end is the stage ``end``)."""
    facts = []
    for d in decisions:
        if d.kind not in STAGE_DECISIONS or not d.changes_state:
            continue
        snap = snapshots[d.customer_id]
        stage = d.state.stage_key if d.kind != "end_cycle" else ""
        facts.append((f"stage:{d.customer_id}:{d.state.cycle}:{stage or 'end'}", {
            "customer": {"ref": snap.ref, "name": snap.name}, "cycle": d.state.cycle, "stage": stage or None,
            "decision": d.kind, "date": today.isoformat(),
            "reasons": [r.code for r in d.reasons]}))
    return emit_many(org, "stage.changed", facts, now)

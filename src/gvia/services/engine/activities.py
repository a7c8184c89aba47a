"""Adding to a customer's timeline by hand: a note, or a reply from the customer.

A reply (recorded by hand until inbound e-mail is read automatically) pauses automatic
messages for the policy's ``reply_pause_days`` (or the organization's setting) from its date,
so that a person reads it first; it also opens a task to read it.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction

from gvia.core.errors import FieldProblem, ValidationFailed
from gvia.services import audit, clock
from gvia.services.context import Ctx
from gvia.services.ledger import books as ledger
from gvia.store.models import Activity, Customer, Organization, Task

KINDS = {"reply": Activity.Kind.MESSAGE_IN, "note": Activity.Kind.NOTE}


def add(ctx: Ctx, customer_ref: str, kind: str, text: str, now: datetime | None = None, by: str = "") -> Activity:
    """``by``: who at the customer answered (a reply's ``data["from"]``; the early-warning
    signals notice replies from different people)."""
    ctx.require("collector", "adding to a customer's timeline")
    now = now or clock.now_utc()
    today = clock.org_today(ctx.org, now)
    problems = []
    if kind not in KINDS:
        problems.append(FieldProblem(None, "kind", kind, "not a kind", code="one_of",
                                     params={"choices": ("reply", "note")}))
    if not text.strip():
        problems.append(FieldProblem(None, "text", text, "is empty", code="setting_empty"))
    if problems:
        raise ValidationFailed(problems)
    customer = ledger.get_customer(ctx, customer_ref)
    data = {"recorded_by_hand": True, **({"from": by.strip()} if by.strip() and kind == "reply" else {})}
    if kind == "reply":
        return record_reply(ctx, customer, text, now, data)
    with transaction.atomic():
        activity = Activity.objects.create(organization=ctx.org, customer=customer, kind=KINDS[kind], date=today,
                                           at=now, text=text.strip(), actor=ctx.actor, data=data)
        audit.record(ctx, f"activity.{kind}", activity, customer=customer.ref)
    return activity


def record_reply(ctx: Ctx, customer: Customer, text: str, now: datetime, data: dict) -> Activity:
    """The one way an answer from the customer reaches the timeline (by hand, or from their
    page, or read from the reply mailbox): an inbound message, which pauses automatic messages for
    the reply days (the daily run and the dispatcher read the latest one), a task to read it (the
    worklist's replies), and a suggested promise when its words hold one
    (:mod:`gvia.services.arrangements.suggestions`)."""
    today = clock.org_today(ctx.org, now)
    with transaction.atomic():
        activity = Activity.objects.create(organization=ctx.org, customer=customer, kind=Activity.Kind.MESSAGE_IN,
                                           date=today, at=now, text=text.strip(), actor=ctx.actor, data=data)
        Task.objects.get_or_create(
            organization=ctx.org, key=f"reply:{activity.id}",
            defaults={"customer": customer, "kind": Task.Kind.REPLY, "due_date": today,
                      "data": {"text": text.strip()[:2000], "activity": activity.id,
                               **({"source": data["source"]} if data.get("source") else {}),
                               **({"nonpayment": data["nonpayment"]} if data.get("nonpayment") else {})}})
        audit.record(ctx, "activity.reply", activity, customer=customer.ref)
        # a promise in the reply's words, for a person to confirm (issue 16); imported here because
        # the promise service records its own timeline lines through this module
        from gvia.services.arrangements.suggestions import suggest

        suggest(ctx, customer, text, today, "portal" if data.get("source") == "portal" else "reply", activity)
    return activity


def timeline(org: Organization, customer_id: int, kind: str, today: date, now: datetime, text: str,
             actor: str, **data) -> Activity:
    """A line on the customer's timeline."""
    return Activity.objects.create(organization=org, customer_id=customer_id, kind=kind, date=today, at=now,
                                   text=text, actor=actor, data=data)

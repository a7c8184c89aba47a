"""Pausing a customer's case by hand: no stage fires and nothing automatic goes out until the
pause ends (through its ``until`` date inclusive), for a stated reason.

Pauses made by other use cases (a promise or a dispute logged on a call, see
:mod:`gvia.services.engine.calls`) are the same records with another kind. The daily run honours them
(:mod:`gvia.store.engine_store`) and so does the dispatcher for messages already queued.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Iterable

from django.db import transaction

from gvia.core.errors import FieldProblem, NotFoundFor, ValidationFailed
from gvia.services import audit, clock
from gvia.services.context import Ctx
from gvia.services.ledger import books as ledger
from gvia.store.models import Activity, Customer, Pause


def pause(ctx: Ctx, customer_ref: str, until: date, reason: str, now: datetime | None = None) -> Pause:
    """Pause the customer's case through ``until`` for ``reason``."""
    ctx.require("collector", "pausing a customer")
    now = now or clock.now_utc()
    today = clock.org_today(ctx.org, now)
    customer = ledger.get_customer(ctx, customer_ref)
    problems = []
    if not reason.strip():
        problems.append(FieldProblem(None, "reason", reason, "say why the customer is paused",
                                     code="pause_needs_reason"))
    if until < today:
        problems.append(FieldProblem(None, "until", until.isoformat(), f"is before today ({today.isoformat()})",
                                     code="before_today", params={"today": today}))
    if problems:
        raise ValidationFailed(problems)
    with transaction.atomic():
        p = Pause.objects.create(organization=ctx.org, customer=customer, kind=Pause.Kind.MANUAL, until=until,
                                 reason=reason.strip(), created_by=ctx.actor)
        Activity.objects.create(organization=ctx.org, customer=customer, kind=Activity.Kind.PAUSE, date=today, at=now,
                                text=f"Paused until {until.isoformat()}: {reason.strip()}", actor=ctx.actor,
                                data={"pause": p.id, "until": until.isoformat(), "kind": p.kind,
                                      "event": "pause.set", "note": reason.strip()})
        audit.record(ctx, "pause.created", p, customer=customer.ref, until=until.isoformat(), reason=reason.strip())
    return p


def lift(ctx: Ctx, pause_id: int, now: datetime | None = None) -> Pause:
    """End a pause now (the ladder resumes on the next run)."""
    ctx.require("collector", "lifting a pause")
    now = now or clock.now_utc()
    with transaction.atomic():
        p = Pause.objects.select_for_update().filter(organization=ctx.org, id=pause_id, active=True).first()
        if p is None:
            raise NotFoundFor("pause_unknown", f"no active pause {pause_id}", pause=pause_id)
        p.active = False
        p.save(update_fields=["active"])
        Activity.objects.create(organization=ctx.org, customer_id=p.customer_id, kind=Activity.Kind.PAUSE,
                                date=clock.org_today(ctx.org, now), at=now, text=f"Pause lifted: {p.reason}",
                                actor=ctx.actor, data={"pause": p.id, "lifted": True, "event": "pause.lifted",
                                                       "note": p.reason})
        audit.record(ctx, "pause.lifted", p)
    return p


def active_pauses(ctx: Ctx, customer_ref: str | None = None, today: date | None = None) -> list[Pause]:
    ctx.require("viewer", "listing pauses")
    today = today or clock.org_today(ctx.org)
    qs = Pause.objects.filter(organization=ctx.org, active=True).select_related("customer").order_by("until", "id")
    if customer_ref:
        qs = qs.filter(customer=ledger.get_customer(ctx, customer_ref))
    return [p for p in qs if p.until is None or p.until >= today]


# --- pauses made by arrangements ---------------------------------------------------------------


def open_pause(ctx: Ctx, customer: Customer, kind: str, until: date | None, reason: str,
               source_id: int | None = None, invoices: Iterable[int] = ()) -> Pause:
    """A pause the engine honours (see :mod:`gvia.store.engine_store`): the whole case through
    ``until`` for a promise, plan or settlement; only ``invoices`` for a dispute."""
    return Pause.objects.create(organization=ctx.org, customer=customer, kind=kind, until=until,
                                reason=reason[:500], invoices=sorted(set(invoices)), source_id=source_id,
                                created_by=ctx.actor)


def end_pause(pause_id: int | None) -> None:
    """End a pause (the ladder resumes where it stood on the next run)."""
    if pause_id is not None:
        Pause.objects.filter(id=pause_id, active=True).update(active=False)


def disputed_invoice_ids(customer: Customer) -> set[int]:
    """Invoices of the customer taken off the ladder by an active dispute pause."""
    out: set[int] = set()
    for invoices in Pause.objects.filter(customer=customer, kind=Pause.Kind.DISPUTE, active=True).values_list(
            "invoices", flat=True):
        out.update(int(i) for i in invoices or [])
    return out

"""Why a customer has not paid: the case's reason for non-payment (issue 17).

The first question in collecting. A case carries one reason of :data:`gvia.core.nonpayment.REASONS`
with a note, the day it was learnt and where from (``source``: ``person`` — a collector on the
customer page or ``gvia customer reason`` —, ``call``, ``reply``, ``portal``). :func:`set_reason`
records it (audited; on the timeline as ``timeline.event.nonpayment.set``); :func:`shares` counts
the open cases by reason for the reports.

A reason outside the list is the problem ``nonpayment_unknown`` (with the list).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from django.db import transaction

from gvia.core.errors import FieldProblem, ValidationFailed
from gvia.core.nonpayment import REASONS
from gvia.services import audit, clock
from gvia.services.context import Ctx
from gvia.services.engine.activities import timeline
from gvia.services.ledger.books import get_customer
from gvia.store.models import Activity, Case

__all__ = ["SOURCES", "reason_checked", "set_reason", "shares"]

#: Where a reason was learnt.
SOURCES = ("person", "call", "reply", "portal")
NOTE_MAX = Case._meta.get_field("nonpayment_note").max_length or 500


def reason_checked(reason: str, field: str = "reason") -> str:
    """``reason`` when it is one of :data:`REASONS`, else the problem ``nonpayment_unknown``
    (a caller that records other things first checks before writing anything)."""
    if reason not in REASONS:
        raise ValidationFailed([FieldProblem(None, field, reason, "not a reason for non-payment",
                                             code="nonpayment_unknown", params={"choices": REASONS})])
    return reason


def set_reason(ctx: Ctx, customer_ref: str, reason: str, note: str = "", source: str = "person",
               now: datetime | None = None) -> Case:
    """Record why the customer has not paid (replacing the reason known before)."""
    ctx.require("collector", "recording why a customer has not paid")
    reason_checked(reason)
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")   # not shown: the callers pass one of SOURCES
    customer = get_customer(ctx, customer_ref)
    now = now or clock.now_utc()
    today = clock.org_today(ctx.org, now)
    note = " ".join(note.split())[:NOTE_MAX]
    with transaction.atomic():
        case, _ = Case.objects.get_or_create(customer=customer, defaults={"organization": ctx.org})
        case.nonpayment_reason = reason
        case.nonpayment_note = note
        case.nonpayment_on = today
        case.nonpayment_source = source
        case.save(update_fields=["nonpayment_reason", "nonpayment_note", "nonpayment_on", "nonpayment_source",
                                 "updated_at"])
        timeline(ctx.org, customer.id, Activity.Kind.NOTE, today, now, "", ctx.actor, event="nonpayment.set",
                 nonpayment=reason, source=source, **({"note": note} if note else {}))
        audit.record(ctx, "case.nonpayment_reason", case, customer=customer.ref, reason=reason, source=source)
    return case


def shares(ctx: Ctx, active_only: bool = True) -> dict[str, int]:
    """How many cases carry each reason (every reason listed, 0 when none; ``""``: not known),
    of the running cases unless ``active_only`` is False."""
    ctx.require("viewer", "reading the reasons for non-payment")
    qs = Case.objects.filter(organization=ctx.org)
    if active_only:
        qs = qs.filter(active=True)
    found = Counter(qs.values_list("nonpayment_reason", flat=True))
    return {**{r: found.get(r, 0) for r in REASONS}, "": found.get("", 0)}

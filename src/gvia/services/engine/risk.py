"""Customers at risk (the dashboard shows them): the facts each sign of :mod:`gvia.core.risk`
looks at, read for the whole organization, and the signs the core finds in them.

Each sign's facts are one or two grouped queries over the organization (never one per
customer), and only of the customers who may have it: promises closed since the core's
:func:`~gvia.core.risk.promise_window_start`; customers sent two messages or more; customers
with an open invoice fallen due in every one of the core's :func:`~gvia.core.risk.growth_periods`.
The first ``shown`` customers are listed, those with the most signs first, then by name.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Mapping

from django.db.models import Case, Count, IntegerField, Max, Value, When

from gvia.core import risk as rules
from gvia.services.context import Ctx
from gvia.store.models import Activity, Customer, Invoice, OutboxMessage, Promise

SHOWN = 10


@dataclass(frozen=True)
class AtRiskRow:
    customer_id: int
    ref: str
    name: str
    signs: tuple[str, ...]


@dataclass(frozen=True)
class AtRisk:
    rows: list[AtRiskRow]
    total: int                                  # customers with at least one sign
    counts: dict[str, int] = field(default_factory=dict)     # customers with each sign


def _broken_promises(ctx: Ctx, today: date) -> dict[int, list[date]]:
    out: dict[int, list[date]] = defaultdict(list)
    for cid, closed in Promise.objects.filter(
            organization=ctx.org, status__in=(Promise.Status.BROKEN, Promise.Status.PARTIALLY_KEPT),
            closed_on__gte=rules.promise_window_start(today)).values_list("customer_id", "closed_on").order_by():
        if closed is not None:           # always: the filter above asks for a closing day
            out[cid].append(closed)
    return out


def _messages(ctx: Ctx) -> dict[int, tuple[int, tuple[datetime, ...], datetime | None]]:
    """(messages sent, the last two sending times, the last reply) of each customer sent two
    messages or more; the sending times only of those who replied at some time."""
    sent = OutboxMessage.objects.filter(organization=ctx.org, status=OutboxMessage.Status.SENT)
    counts = dict(sent.values("customer_id").annotate(n=Count("id")).filter(n__gte=2)
                  .values_list("customer_id", "n").order_by())
    if not counts:
        return {}
    replied = dict(Activity.objects.filter(organization=ctx.org, kind=Activity.Kind.MESSAGE_IN)
                   .values("customer_id").annotate(last=Max("at")).values_list("customer_id", "last").order_by())
    replied = {cid: at for cid, at in replied.items() if cid in counts}
    times: dict[int, list[datetime]] = defaultdict(list)
    if replied:
        for cid, at in sent.filter(customer_id__in=list(replied)).values_list("customer_id", "sent_at"):
            if at is not None:
                times[cid].append(at)
    return {cid: (n, tuple(sorted(times.get(cid, ()))[-2:]), replied.get(cid)) for cid, n in counts.items()}


def _growing(ctx: Ctx, today: date, currencies: list[str] | None) -> dict[int, list[date]]:
    """For each customer with an open invoice fallen due in every period, the latest such due
    date in each."""
    starts = rules.growth_periods(today)
    period = Case(*(When(due_date__gte=start, then=Value(k)) for k, start in enumerate(starts, start=1)),
                  default=Value(0), output_field=IntegerField())
    late = Invoice.objects.filter(organization=ctx.org, kind=Invoice.Kind.INVOICE, due_date__gte=starts[-1],
                                  due_date__lt=today).exclude(open_minor=0)
    if currencies is not None:      # lets the open invoices' index (organization, kind, currency, ...) answer
        late = late.filter(currency__in=currencies)
    late = late.annotate(period=period)
    every = (late.values("customer_id").annotate(periods=Count("period", distinct=True))
             .filter(periods=len(starts)).values("customer_id").order_by())
    out: dict[int, list[date]] = defaultdict(list)
    for cid, last in (late.filter(customer_id__in=every).values("customer_id", "period")
                      .annotate(last=Max("due_date")).values_list("customer_id", "last").order_by()):
        out[cid].append(last if isinstance(last, date) else date.fromisoformat(str(last)))
    return out


def _overdue_now(ctx: Ctx, ids: set[int], today: date) -> set[int]:
    if not ids:
        return set()
    return set(Invoice.objects.filter(organization=ctx.org, kind=Invoice.Kind.INVOICE, customer_id__in=list(ids),
                                      due_date__lt=today).exclude(open_minor=0)
               .values_list("customer_id", flat=True).distinct().order_by())


def facts(ctx: Ctx, today: date, currencies: list[str] | None = None) -> dict[int, rules.RiskFacts]:
    """The facts of every customer who may have a sign on ``today``. ``currencies``: the
    currencies of the organization's open invoices, when the caller knows them."""
    broken = _broken_promises(ctx, today)
    messages = _messages(ctx)
    growing = _growing(ctx, today, currencies)
    late = _overdue_now(ctx, set(broken) | set(messages), today) | set(growing)
    out = {}
    for cid in set(broken) | set(messages) | set(growing):
        n, last_two, reply = messages.get(cid, (0, (), None))
        out[cid] = rules.RiskFacts(overdue=cid in late, broken_promises=tuple(broken.get(cid, ())),
                                   messages_sent=n, last_two_sent=last_two, last_reply=reply,
                                   open_overdue_due_dates=tuple(growing.get(cid, ())))
    return out


def at_risk(ctx: Ctx, today: date, shown: int = SHOWN, currencies: list[str] | None = None) -> AtRisk:
    """The customers at risk on ``today``: the first ``shown`` of them (most signs first, then by
    name), how many there are and how many have each sign."""
    ctx.require("viewer", "reading the customers at risk")
    signs = {cid: found for cid, f in facts(ctx, today, currencies).items() if (found := rules.signs(f, today))}
    counts = {s: sum(s in found for found in signs.values()) for s in rules.SIGNS}
    if not signs:
        return AtRisk([], 0, counts)
    names: dict[int, Mapping[str, Any]] = {}
    picked: list[int] = []
    for n in range(max(len(found) for found in signs.values()), 0, -1):
        need = shown - len(picked)
        if need <= 0:
            break
        ids = [cid for cid, found in signs.items() if len(found) == n]
        for c in (Customer.objects.filter(organization=ctx.org, id__in=ids).order_by("name", "id")
                  .values("id", "ref", "name")[:need]):
            names[c["id"]] = c
            picked.append(c["id"])
    rows = [AtRiskRow(cid, names[cid]["ref"], names[cid]["name"], signs[cid]) for cid in picked]
    return AtRisk(rows, len(signs), counts)

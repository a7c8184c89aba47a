"""Customers at risk, for the dashboard. For now three plain signs (the early-warning signals of
a later issue will replace them), each shown as the reason a customer is listed:

* ``broken_promise`` — a promise to pay broken or only partly kept in the last
  :data:`PROMISE_DAYS` days;
* ``no_answer`` — the last two messages sent to the customer have had no answer: no reply
  recorded after the earlier of them;
* ``overdue_growing`` — the overdue amount grew in each of the last three months: in each of
  the three 30-day periods before today an invoice of theirs fell due and is still open (a
  payment goes to the oldest invoices first, so an earlier invoice still open means nothing
  paid caught up with the new debt).

Only customers with something overdue today are listed. Each sign is one or two grouped
queries over the organization (never one per customer); the page shows the first
:data:`SHOWN` customers, those with the most signs first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Case, Count, IntegerField, Max, Value, When

from gvia.services.context import Ctx
from gvia.store.models import Activity, Customer, Invoice, OutboxMessage, Promise

from .queries import Balance, currencies_in_use, customer_balances

SIGNS = ("broken_promise", "no_answer", "overdue_growing")
PROMISE_DAYS = 90
PERIOD_DAYS = 30
SHOWN = 10


@dataclass(frozen=True)
class AtRiskRow:
    customer_id: int
    ref: str
    name: str
    signs: tuple[str, ...]
    balance: Balance


@dataclass(frozen=True)
class AtRisk:
    rows: list[AtRiskRow]
    total: int
    counts: dict[str, int] = field(default_factory=dict)


def broken_promises(ctx: Ctx, today: date) -> set[int]:
    return set(Promise.objects.filter(
        organization=ctx.org, status__in=(Promise.Status.BROKEN, Promise.Status.PARTIALLY_KEPT),
        closed_on__gte=today - timedelta(days=PROMISE_DAYS)).values_list("customer_id", flat=True).distinct())


def unanswered(ctx: Ctx) -> set[int]:
    """Customers whose last two sent messages have no reply after the earlier of them."""
    sent = OutboxMessage.objects.filter(organization=ctx.org, status=OutboxMessage.Status.SENT)
    twice = set(sent.values("customer_id").annotate(n=Count("id")).filter(n__gte=2)
                .values_list("customer_id", flat=True).order_by())
    if not twice:
        return set()
    replied = dict(Activity.objects.filter(organization=ctx.org, kind=Activity.Kind.MESSAGE_IN)
                   .values("customer_id").annotate(last=Max("at")).values_list("customer_id", "last").order_by())
    out = {cid for cid in twice if cid not in replied}
    again = [cid for cid in twice if cid in replied]
    if again:
        times: dict[int, list] = defaultdict(list)
        for cid, at in sent.filter(customer_id__in=again).values_list("customer_id", "sent_at"):
            if at is not None:
                times[cid].append(at)
        for cid, moments in times.items():
            last_two = sorted(moments)[-2:]
            if len(last_two) == 2 and replied[cid] < last_two[0]:
                out.add(cid)
    return out


def overdue_growing(ctx: Ctx, today: date) -> set[int]:
    starts = [today - timedelta(days=PERIOD_DAYS * k) for k in (1, 2, 3)]
    period = Case(When(due_date__gte=starts[0], then=Value(1)), When(due_date__gte=starts[1], then=Value(2)),
                  default=Value(3), output_field=IntegerField())
    rows = (Invoice.objects.filter(organization=ctx.org, kind=Invoice.Kind.INVOICE,
                                   currency__in=currencies_in_use(ctx), due_date__gte=starts[2], due_date__lt=today)
            .exclude(open_minor=0).annotate(period=period).values("customer_id")
            .annotate(periods=Count("period", distinct=True)).filter(periods=3).values_list("customer_id", flat=True)
            .order_by())
    return set(rows)


def _overdue_now(ctx: Ctx, ids: set[int], today: date) -> set[int]:
    if not ids:
        return set()
    return set(Invoice.objects.filter(organization=ctx.org, kind=Invoice.Kind.INVOICE, customer_id__in=list(ids),
                                      due_date__lt=today).exclude(open_minor=0)
               .values_list("customer_id", flat=True).distinct().order_by())


def at_risk(ctx: Ctx, today: date, shown: int = SHOWN) -> AtRisk:
    found = {"broken_promise": broken_promises(ctx, today), "no_answer": unanswered(ctx)}
    late = _overdue_now(ctx, found["broken_promise"] | found["no_answer"], today)
    found = {k: v & late for k, v in found.items()}
    found["overdue_growing"] = overdue_growing(ctx, today)   # overdue by construction
    signs: dict[int, list[str]] = defaultdict(list)
    for sign in SIGNS:
        for cid in found[sign]:
            signs[cid].append(sign)
    if not signs:
        return AtRisk([], 0, {s: 0 for s in SIGNS})
    names = {}
    # the customers with the most signs first, then by name: read only the ones shown
    by_count = sorted(signs, key=lambda cid: -len(signs[cid]))
    most = len(signs[by_count[0]])
    picked: list[int] = []
    for n in range(most, 0, -1):
        ids = [cid for cid in by_count if len(signs[cid]) == n]
        need = shown - len(picked)
        if need <= 0:
            break
        for c in (Customer.objects.filter(organization=ctx.org, id__in=ids).order_by("name", "id")
                  .values("id", "ref", "name")[:need]):
            names[c["id"]] = c
            picked.append(c["id"])
    balances = customer_balances(ctx, picked, today)
    rows = [AtRiskRow(cid, names[cid]["ref"], names[cid]["name"], tuple(signs[cid]), balances.get(cid, Balance()))
            for cid in picked]
    return AtRisk(rows, len(signs), {s: len(found[s]) for s in SIGNS})

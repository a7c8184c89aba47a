"""Credit hold: a flag on a customer, with a reason and a date, telling whoever sells to them to
talk about the debt before taking more work (issue 17).

A person sets it (:func:`set_hold`: ``gvia customer hold REF --reason``, the customer page) and
lifts it (:func:`lift_hold`: ``--lift``); each is audited and on the customer's timeline
(``timeline.event.credit_hold.set|lifted``). The rule of the customer's policy
(``[credit_hold]``, :mod:`gvia.core.credit_hold`) only suggests one: :func:`suggestions` lists the
customers it calls for who are not on hold yet — the worklist's ``credit_hold`` section — each with
the facts (days overdue, the overdue amount, the rule's figures). The hold itself is shown wherever
the customer appears: the customer list and page, ``gvia customers --format csv|json``.

Refusals are codes: ``credit_hold_reason_required`` (a hold needs its reason),
``credit_hold_not_set`` (nothing to lift); an unknown customer is ``no_customer``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import BigIntegerField, Case, F, Min, Sum, When

from gvia.core import aging
from gvia.core.credit_hold import Suggestion, suggest
from gvia.core.errors import FieldProblem, RefusedFor, ValidationFailed
from gvia.core.money import Money
from gvia.services import audit, clock
from gvia.services.context import Ctx
from gvia.services.engine import policies
from gvia.services.engine.activities import timeline
from gvia.services.ledger.books import get_customer
from gvia.store.models import Activity, Customer, Invoice

__all__ = ["HoldSuggestion", "set_hold", "lift_hold", "suggestions"]

REASON_MAX = Customer._meta.get_field("credit_hold_reason").max_length or 300


@dataclass(frozen=True, slots=True)
class HoldSuggestion:
    """A customer the policy's rule suggests putting on credit hold, with the rule's facts."""

    customer_id: int
    customer_ref: str
    customer_name: str
    days_overdue: int
    overdue: Money
    after_days: int
    above: Money | None


def set_hold(ctx: Ctx, customer_ref: str, reason: str, now: datetime | None = None) -> Customer:
    """Put the customer on credit hold from today with ``reason`` (required); a customer already
    on hold gets the new reason, keeping the day it started."""
    ctx.require("collector", "putting a customer on credit hold")
    reason = " ".join(reason.split())[:REASON_MAX]
    if not reason:
        raise ValidationFailed([FieldProblem(None, "reason", "", "a credit hold needs its reason",
                                             code="credit_hold_reason_required")])
    now = now or clock.now_utc()
    today = clock.org_today(ctx.org, now)
    customer = get_customer(ctx, customer_ref)
    with transaction.atomic():
        customer.credit_hold = True
        customer.credit_hold_reason = reason
        customer.credit_hold_since = customer.credit_hold_since or today
        customer.credit_hold_by = ctx.actor
        customer.save(update_fields=["credit_hold", "credit_hold_reason", "credit_hold_since", "credit_hold_by"])
        timeline(ctx.org, customer.id, Activity.Kind.NOTE, today, now, "", ctx.actor,
                 event="credit_hold.set", note=reason)
        audit.record(ctx, "customer.credit_hold", customer, customer=customer.ref, reason=reason)
    return customer


def lift_hold(ctx: Ctx, customer_ref: str, now: datetime | None = None) -> Customer:
    """Lift the customer's credit hold; refused (``credit_hold_not_set``) when there is none."""
    ctx.require("collector", "lifting a credit hold")
    now = now or clock.now_utc()
    today = clock.org_today(ctx.org, now)
    customer = get_customer(ctx, customer_ref)
    if not customer.credit_hold:
        raise RefusedFor("credit_hold_not_set", customer=customer.ref)
    with transaction.atomic():
        since = customer.credit_hold_since
        customer.credit_hold = False
        customer.credit_hold_reason = ""
        customer.credit_hold_since = None
        customer.credit_hold_by = ""
        customer.save(update_fields=["credit_hold", "credit_hold_reason", "credit_hold_since", "credit_hold_by"])
        timeline(ctx.org, customer.id, Activity.Kind.NOTE, today, now, "", ctx.actor, event="credit_hold.lifted",
                 since=since.isoformat() if since else None)
        audit.record(ctx, "customer.credit_hold_lifted", customer, customer=customer.ref)
    return customer


def suggestions(ctx: Ctx, day: date, customer_id: int | None = None) -> list[HoldSuggestion]:
    """The customers not on hold whose policy's ``[credit_hold]`` rule calls for one on ``day``,
    the oldest debt first (one grouped query over the open invoices, one over the customers)."""
    ctx.require("viewer", "reading credit-hold suggestions")
    default, versions = policies.policies_in_force(ctx)
    consumer = policies.consumer_version(ctx, versions)
    in_force = {default, *versions.values(), *([consumer] if consumer else [])}
    rules = {v.id: policies.parse(v).credit_hold for v in in_force}
    if not any(rules.values()):
        return []
    invoices = Invoice.objects.filter(organization=ctx.org, kind=Invoice.Kind.INVOICE,
                                      due_date__lt=aging.overdue_bound(day),
                                      customer__credit_hold=False).exclude(open_minor=0)
    if customer_id is not None:
        invoices = invoices.filter(customer_id=customer_id)
    per: dict[int, tuple[dict[str, Decimal], date]] = {}
    for r in (invoices.values("customer_id", "currency")
              .annotate(overdue=Sum(Case(When(open_minor__gt=0, then=F("open_minor")), default=0,
                                         output_field=BigIntegerField())),
                        oldest=Min("due_date"))
              .order_by()):
        totals, oldest = per.get(r["customer_id"], ({}, r["oldest"]))
        if r["overdue"]:
            totals[r["currency"]] = Money.from_minor(r["overdue"], r["currency"]).amount
        per[r["customer_id"]] = (totals, min(oldest, r["oldest"]))
    out: list[HoldSuggestion] = []
    customers = Customer.objects.filter(organization=ctx.org, id__in=list(per)).values(
        "id", "ref", "name", "kind", "policy_id")
    for c in customers.iterator(chunk_size=2000):
        version = policies.choose_version(c["policy_id"], policies.takes_consumer_ladder(ctx.org.country, c["kind"]),
                                          versions, consumer, default)
        totals, oldest = per[c["id"]]
        found: Suggestion | None = suggest(rules.get(version.id), totals, (day - oldest).days)
        if found is None:
            continue
        out.append(HoldSuggestion(
            c["id"], c["ref"], c["name"], found.days_overdue, Money.of(found.overdue, found.currency),
            found.after_days, None if found.above is None else Money.of(found.above, found.currency)))
    out.sort(key=lambda s: (-s.days_overdue, s.customer_ref))
    return out

"""Early-warning signals and the risk score of customers (issue 17): the histories the rules of
:mod:`gvia.core.signals` look at, read in bulk, and what the core finds in them.

:func:`histories` reads the histories of many customers in a few grouped queries (never one per
customer): the messages sent (the outbox's ``sent``), the replies (the timeline's
``message_in``; who answered is the activity's ``data["from"]`` when recorded), the contacts
added (the audit's ``contact.added``), the payments (bounced; partial: a payment that left an
invoice it paid still open, or shared an invoice with other payments), the promises closed, the
plan instalments missed, the disputes opened and the invoices with the day each was paid in full
(the latest payment allocated to it). Nothing after ``today`` counts.

:func:`customer_signals` (``gvia signals``, the customer page) and :func:`at_risk` (``gvia
customers --at-risk``, the dashboard's panel) return codes and values; the edges word them from
their catalogs (``signal.<code>``, ``fact.<code>``). The weights (:func:`weights`) are the
organization's latest version loaded by :func:`load` (``gvia risk load FILE``; each changed text
a new :class:`~gvia.store.models.RiskWeights` version), else the shipped ``gvia/policies/risk.toml``.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone
from functools import lru_cache
from typing import NamedTuple

from django.db import transaction
from django.db.models import Max, Q, QuerySet

from gvia.core import aging
from gvia.core import signals as rules
from gvia.core.errors import NotFoundFor
from gvia.policies import default_risk, default_risk_text
from gvia.services import audit, clock
from gvia.services.context import Ctx
from gvia.services.ledger import books as ledger
from gvia.store import prepared
from gvia.store.models import (
    Activity,
    Allocation,
    AuditRecord,
    Customer,
    Dispute,
    Invoice,
    OutboxMessage,
    Payment,
    PlanInstallment,
    Promise,
    RiskWeights,
)

#: How far back a history is read: the longest window the signals compare against.
YEARS_READ = 3


@dataclass(frozen=True)
class CustomerRisk:
    customer_id: int
    ref: str
    name: str
    score: int
    signals: tuple[rules.Signal, ...]


class RiskRow(NamedTuple):
    """A customer at risk as the lists keep it (the worklist's section, the dashboard's panel):
    its signals' codes only, the most points first — a plain tuple that the web's cache keeps and
    reads back in milliseconds, where the signals with their evidence took seconds at 100,000
    customers. The evidence is the customer page's (:func:`customer_signals`)."""
    customer_id: int
    ref: str
    name: str
    score: int
    codes: tuple[str, ...]


@dataclass(frozen=True)
class WeightsInUse:
    version: int                # 0: the shipped file, no version loaded
    text: str
    weights: rules.Weights
    created_by: str = ""


def weights(ctx: Ctx) -> rules.Weights:
    """The weights in use: the organization's latest loaded version, else the shipped ``risk.toml``."""
    return in_use(ctx).weights


def in_use(ctx: Ctx, version: int | None = None) -> WeightsInUse:
    """The weights in use (or the organization's ``version`` of them) with their text."""
    if version:
        row = RiskWeights.objects.filter(organization=ctx.org, version=version).first()
    else:           # every customer page asks: compiled once in the process (the organization's id in place)
        found = prepared.models(("risk.latest",), RiskWeights, lambda oid: RiskWeights.objects.filter(
            organization_id=oid).order_by("-version")[:1], ctx.org.pk)
        row = found[0] if found else None
    if row is None:
        if version:
            raise NotFoundFor("risk_version_unknown", f"no version {version} of the risk weights", version=version)
        return _shipped()
    return WeightsInUse(row.version, row.text, _parsed(row.text, f"v{row.version}"), row.created_by)


@lru_cache(maxsize=1)
def _shipped() -> WeightsInUse:
    """The shipped weights, read and checked once per process (a file of the installed package)."""
    return WeightsInUse(0, default_risk_text(), default_risk())


@lru_cache(maxsize=16)
def _parsed(text: str, source: str) -> rules.Weights:
    """A stored version's weights, parsed once per process (a version's text never changes; a new
    text is a new version, a new key here)."""
    return rules.load_weights(text, source)


@transaction.atomic
def load(ctx: Ctx, text: str, source: str = "<risk>") -> tuple[int, bool]:
    """Check and keep a risk TOML as the organization's weights: (its version, whether it is a
    new one; the same text as the latest keeps that version)."""
    ctx.require("owner", "changing the risk weights")
    rules.load_weights(text, source)            # raises ValidationFailed, one problem per mistake
    fingerprint = hashlib.sha256(text.encode("utf-8")).hexdigest()
    last = RiskWeights.objects.select_for_update().filter(organization=ctx.org).order_by("-version").first()
    if last is not None and last.fingerprint == fingerprint:
        return last.version, False
    row = RiskWeights.objects.create(organization=ctx.org, version=(last.version + 1) if last else 1, text=text,
                                     fingerprint=fingerprint, created_by=ctx.actor)
    audit.record(ctx, "risk.weights_loaded", row, version=row.version, fingerprint=fingerprint, source=source)
    return row.version, True


def _day(ctx: Ctx, moment) -> date:
    return clock.org_today(ctx.org, moment)


def _reads(ctx: Ctx, today: date, scoped) -> dict[str, QuerySet]:
    """The queries of :func:`histories` (rows of plain values), each narrowed by ``scoped``."""
    start = today - timedelta(days=365 * YEARS_READ)
    payment = Allocation.objects.filter(organization=ctx.org, source=Allocation.Source.PAYMENT)
    return {
        "sent": scoped(OutboxMessage.objects.filter(organization=ctx.org, status=OutboxMessage.Status.SENT,
                                                    sent_at__isnull=False)).values_list(
            "customer_id", "sent_at").order_by(),
        "replies": scoped(Activity.objects.filter(organization=ctx.org, kind=Activity.Kind.MESSAGE_IN,
                                                  date__gte=start, date__lte=today)).values_list(
            "customer_id", "date", "data").order_by(),
        "contacts": scoped(AuditRecord.objects.filter(organization=ctx.org, action="contact.added",
                                                      object_type="customer"), "object_id").values_list(
            "object_id", "at").order_by(),
        "payments": scoped(Payment.objects.filter(organization=ctx.org, date__gte=start, date__lte=today))
        .values_list("id", "customer_id", "date", "status").order_by(),
        "allocated": scoped(payment.filter(payment__date__gte=start, payment__date__lte=today))
        .values_list("payment_id", "invoice_id", "invoice__open_minor").order_by(),
        "promises": scoped(Promise.objects.filter(
            organization=ctx.org, closed_on__gte=start, closed_on__lte=today,
            status__in=(Promise.Status.KEPT, Promise.Status.BROKEN, Promise.Status.PARTIALLY_KEPT))).values_list(
            "customer_id", "closed_on", "status").order_by(),
        "missed": scoped(PlanInstallment.objects.filter(plan__organization=ctx.org,
                                                        status=PlanInstallment.Status.MISSED,
                                                        due__gte=start, due__lte=today),
                         "plan__customer_id").values_list("plan__customer_id", "due").order_by(),
        "disputes": scoped(Dispute.objects.filter(organization=ctx.org, opened_on__gte=start,
                                                  opened_on__lte=today)).values_list(
            "customer_id", "opened_on").order_by(),
        "paid_on": scoped(payment.filter(invoice__due_date__gte=start, invoice__open_minor=0))
        .values("invoice_id").annotate(last=Max("payment__date")).values_list("invoice_id", "last").order_by(),
        "invoices": scoped(Invoice.objects.filter(Q(due_date__gte=start) | ~Q(open_minor=0), organization=ctx.org,
                                                  kind=Invoice.Kind.INVOICE, issue_date__lte=today))
        .values_list("id", "customer_id", "due_date", "amount_minor", "currency", "open_minor").order_by(),
    }


def histories(ctx: Ctx, today: date, ids: list[int] | None = None, among=None) -> dict[int, rules.History]:
    """The history of each customer (of ``ids``, or of the customers the query ``among`` names,
    or all the organization's) up to ``today``."""
    chosen = ids if ids is not None else among

    def scoped(qs, field: str = "customer_id"):
        if chosen is None or (field == "object_id" and ids is None):
            return qs                   # the audit's ids are text: those of `among` are kept below
        return qs.filter(**{f"{field}__in": chosen})

    reads = _reads(ctx, today, scoped)
    found = _made(ctx, today, lambda name: reads[name])
    if ids is not None:
        return {cid: h for cid, h in found.items() if cid in set(ids)}
    if among is not None:               # everyone `among` has an invoice (open or recent)
        return {cid: h for cid, h in found.items() if h.invoices}
    return found


def _made(ctx: Ctx, today: date, rows: Callable[[str], Iterable[tuple]]) -> dict[int, rules.History]:
    """The histories made of the rows of :func:`_reads` (``rows(name)``: its rows, read when asked;
    a date may come as ISO text, a moment without its zone (UTC): see :func:`_one`)."""
    start = today - timedelta(days=365 * YEARS_READ)
    sent: dict[int, list[date]] = defaultdict(list)
    for cid, at in rows("sent"):
        day = _day(ctx, _moment(at))
        if start <= day <= today:
            sent[cid].append(day)
    replies: dict[int, list[rules.Reply]] = defaultdict(list)
    for cid, day, data in rows("replies"):
        by = data.get("from", "") if isinstance(data, dict) else ""
        replies[cid].append(rules.Reply(_date(day), str(by or "")))
    contacts: dict[int, list[date]] = defaultdict(list)
    for oid, at in rows("contacts"):
        if oid.isdigit() and (day := _day(ctx, _moment(at))) <= today:
            contacts[int(oid)].append(day)
    payments = _payments(rows)
    promises: dict[int, list[rules.Promise]] = defaultdict(list)
    for cid, closed, status in rows("promises"):
        promises[cid].append(rules.Promise(_date(closed), status == Promise.Status.KEPT))
    missed: dict[int, list[date]] = defaultdict(list)
    for cid, due in rows("missed"):
        missed[cid].append(_date(due))
    disputes: dict[int, list[date]] = defaultdict(list)
    for cid, opened in rows("disputes"):
        disputes[cid].append(_date(opened))
    invoices = _invoices(today, rows)
    every = set(sent) | set(replies) | set(contacts) | set(payments) | set(promises) | set(missed) | set(disputes) \
        | set(invoices)
    return {cid: rules.History(tuple(sent.get(cid, ())), tuple(replies.get(cid, ())), tuple(contacts.get(cid, ())),
                               tuple(payments.get(cid, ())), tuple(promises.get(cid, ())),
                               tuple(missed.get(cid, ())), tuple(disputes.get(cid, ())),
                               tuple(invoices.get(cid, ())))
            for cid in every}


def _payments(rows: Callable[[str], Iterable[tuple]]) -> dict[int, list[rules.Payment]]:
    paid = list(rows("payments"))
    if not paid:
        return {}
    allocated = list(rows("allocated"))
    shared = Counter(inv for _, inv, _ in allocated)
    partial = {pid for pid, inv, open_minor in allocated if open_minor or shared[inv] > 1}
    out: dict[int, list[rules.Payment]] = defaultdict(list)
    for pid, cid, day, status in paid:
        bounced = status == Payment.Status.BOUNCED
        out[cid].append(rules.Payment(_date(day), partial=pid in partial and not bounced, bounced=bounced))
    return out


def _invoices(today: date, rows: Callable[[str], Iterable[tuple]]) -> dict[int, list[rules.Invoice]]:
    paid_on = {iid: _date(last) for iid, last in rows("paid_on") if last is not None}
    out: dict[int, list[rules.Invoice]] = defaultdict(list)
    for iid, cid, due, amount, currency, open_minor in rows("invoices"):
        due = _date(due)
        paid = paid_on.get(iid) if open_minor == 0 else None
        if open_minor == 0 and paid is None:
            paid = due                  # settled by a credit note or written off: not late
        out[cid].append(rules.Invoice(due, amount, currency, paid if paid is not None and paid <= today else None))
    return out


def _date(v) -> date:
    """A day read from the database: a date, or ISO text (an aggregate's, or a raw row's)."""
    return v if isinstance(v, date) else date.fromisoformat(str(v)[:10])


def _moment(v) -> datetime:
    """A moment read from the database: aware; one read raw from SQLite comes without its zone (UTC)."""
    if not isinstance(v, datetime):
        v = datetime.fromisoformat(str(v))
    return v if v.tzinfo is not None else v.replace(tzinfo=dt_timezone.utc)


def _one(ctx: Ctx, today: date, customer_id: int) -> rules.History:
    """One customer's history: the queries of :func:`_reads` compiled once per organization and day
    in the process (:mod:`gvia.store.prepared`: making them cost ten times running them, and the
    customer page reads a history on every visit), their rows read raw."""

    def build(name: str):
        def scoped(cid: int):
            return lambda qs, field="customer_id": qs.filter(**{f"{field}__in": [cid]})
        return lambda cid: _reads(ctx, today, scoped(cid))[name]

    def rows(name: str) -> list[tuple]:
        found = prepared.rows(("signals", name, ctx.org.pk, today), build(name), customer_id)
        if name == "replies":           # the activity's data is JSON text here, not yet read
            return [(cid, day, json.loads(data) if isinstance(data, (str, bytes)) else data)
                    for cid, day, data in found]
        return found

    return _made(ctx, today, rows).get(customer_id, rules.History())


def _risk(cid: int, ref: str, name: str, h: rules.History, today: date, w: rules.Weights) -> CustomerRisk:
    found = tuple(rules.signals(h, today, w))
    return CustomerRisk(cid, ref, name, rules.score(found), found)


def at_risk_rows(ctx: Ctx, today: date) -> list[RiskRow]:
    """:func:`at_risk` as the lists keep it (:class:`RiskRow`)."""
    return [RiskRow(c.customer_id, c.ref, c.name, c.score, tuple(s.code for s in c.signals))
            for c in at_risk(ctx, today)]


def customer_signals(ctx: Ctx, customer_ref: str, today: date) -> CustomerRisk:
    """One customer's signals and score on ``today``."""
    ctx.require("viewer", "reading a customer's signals")
    customer = ledger.get_customer(ctx, customer_ref)
    return of_customer(ctx, customer.id, customer.ref, customer.name, today)


def history_of(ctx: Ctx, customer_id: int, today: date) -> rules.History:
    """One customer's history (the customer page reads it once for the signals and the payment
    record)."""
    return _one(ctx, today, customer_id)


def of_customer(ctx: Ctx, customer_id: int, ref: str, name: str, today: date,
                history: rules.History | None = None, w: rules.Weights | None = None) -> CustomerRisk:
    """The signals of a customer the caller already has (the customer page); ``history`` and
    ``w`` (the weights in use): theirs, when the caller has read them."""
    h = history if history is not None else history_of(ctx, customer_id, today)
    return _risk(customer_id, ref, name, h, today, w if w is not None else weights(ctx))


def is_at_risk(h: rules.History, score: int, w: rules.Weights, today: date) -> bool:
    """Whether a customer is at risk on ``today``: something overdue and a score of the weights'
    ``at_risk_from`` or more (the list's rule; the worklist's ``chase_first`` groups by it too)."""
    return rules.overdue_today(h, today) and score >= w.at_risk_from


def overdue_histories(ctx: Ctx, today: date) -> dict[int, rules.History]:
    """The histories of the customers who may have something overdue on ``today``: looking from
    today (or later), only those with an invoice open and overdue now are read."""
    among = None
    if today >= clock.org_today(ctx.org):
        among = Invoice.objects.filter(organization=ctx.org, kind=Invoice.Kind.INVOICE,
                                       due_date__lt=aging.overdue_bound(today)).exclude(
            open_minor=0).values("customer_id")
    return histories(ctx, today, among=among)


def at_risk(ctx: Ctx, today: date, limit: int | None = None) -> list[CustomerRisk]:
    """The customers at risk on ``today`` (:func:`is_at_risk`); the highest score first, then by
    name. Looking from today (or later), only the histories of customers with an invoice open and
    overdue now are read."""
    ctx.require("viewer", "reading the customers at risk")
    w = weights(ctx)
    found: list[tuple[int, rules.History, tuple[rules.Signal, ...], int]] = []
    for cid, h in overdue_histories(ctx, today).items():
        if not rules.overdue_today(h, today):
            continue
        sig = tuple(rules.signals(h, today, w))
        if is_at_risk(h, s := rules.score(sig), w, today):
            found.append((cid, h, sig, s))
    names = {c["id"]: c for c in Customer.objects.filter(organization=ctx.org, id__in=[f[0] for f in found])
             .values("id", "ref", "name")}
    rows = [CustomerRisk(cid, names[cid]["ref"], names[cid]["name"], s, sig) for cid, _, sig, s in found]
    rows.sort(key=lambda r: (-r.score, r.name, r.customer_id))
    return rows if limit is None else rows[:limit]

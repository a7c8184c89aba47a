"""Bulk reads and writes for the daily run: database rows <-> the escalation core's types.

``load_snapshots`` reads what :func:`gvia.core.escalation.decide` needs for every customer
that has something open or a case running, in a fixed number of grouped queries (never one
per customer). ``save_decisions`` writes what the decisions changed, idempotently: outbox rows
and tasks are keyed by the decision's idempotency keys under unique constraints.

How the records become the core's inputs:

* an open invoice (``open_minor`` not 0) due on or before ``today + pre_due_days`` is an
  :class:`OverdueItem`; the part of it that pending post-dated cheques cover (pending
  allocations) is ``covered_by_pending_cheque``, and its ``open`` is the amount before them
  (``open_minor`` plus that part: the ledger has taken the cheques off ``open_minor``, the core
  takes them off once), so the ladder's overdue amount is the ledger's open amount;
* an active :class:`~gvia.store.models.Pause` of kind ``dispute`` takes its invoices off the
  ladder while it lasts; any other pause that names invoices does the same for them; a pause
  that names none pauses the whole case (promise, payment plan, manual, call-back…) through
  its ``until`` date;
* the latest reply (an activity ``message_in``) dated on or before ``today`` is the
  customer's ``last_reply_date``;
* a message of the stage the case stands at that has not gone out yet (awaiting approval,
  queued, or held until details are filled in) pauses the case until it has: the ladder never
  runs ahead of what the customer was actually sent.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Callable
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import CharField, Max, Q, Sum
from django.db.models.constants import OnConflict
from django.db.models.functions import Cast

from gvia.core.allocation import ALLOCATION_THRESHOLDS, InvoiceFacts
from gvia.core.customer_kinds import CONSUMER, is_individual
from gvia.core.debt_notice import SentNotice
from gvia.core.errors import Worded
from gvia.core.escalation import CaseState, CustomerSnapshot, Decision, OverdueItem
from gvia.core.escalation import Pause as CorePause
from gvia.core.message_log import added
from gvia.core.money import Money

from . import bulk, prepared
from .ledger_store import chunks
from .models import Activity, Allocation, Case, Contact, Customer, Invoice, Organization, OutboxMessage, Pause, Task
from .models_portal_requests import ASKED_KINDS, PortalRequest

#: Pause kinds of the database -> pause kinds of the core.
PAUSE_KIND = {"manual": "manual", "promise": "promise", "plan": "payment_plan", "settlement": "other",
              "call_back": "call_back"}
#: Messages of a stage not gone out yet: the next stage waits for them.
UNSENT_STATES = (OutboxMessage.Status.AWAITING_APPROVAL, OutboxMessage.Status.QUEUED, OutboxMessage.Status.HELD)
UNSENT_WORDS = {"awaiting_approval": "awaiting approval", "queued": "waiting to be sent",
                "held": "held until the details it needs are filled in"}
#: Outbox states a message may still leave from; a cycle that ends cancels them.
PENDING_STATES = (OutboxMessage.Status.AWAITING_APPROVAL, OutboxMessage.Status.QUEUED, OutboxMessage.Status.HELD)


@dataclass
class SnapshotSet:
    snapshots: list[CustomerSnapshot]
    policy_of: dict[int, int | None]       # customer id -> assigned policy id
    consumer: set[int]                     # individuals (consumers and sole traders): customer_kinds.is_individual
    cases: dict[int, int]                  # customer id -> case id
    collector_of: dict[int, int | None] = field(default_factory=dict)
    consumers: set[int] = field(default_factory=set)    # kind consumer only (Israel's consumer ladder)


def _scoped(qs, customer_ids: list[int] | None):
    return qs if customer_ids is None else qs.filter(customer_id__in=customer_ids)


def _rows(qs, *fields, chunk: int = 20000):
    """The rows of ``qs.values_list(*fields)`` straight from the database cursor, without the
    ORM's per-value converters (dates may come back as ISO text, JSON as text, booleans as 0/1:
    see :func:`_day`, :func:`_json`)."""
    sql, params = qs.values_list(*fields).query.sql_with_params()
    with connection.cursor() as c:
        c.execute(sql, params)
        while True:
            rows = c.fetchmany(chunk)
            if not rows:
                return
            yield from rows


@lru_cache(maxsize=8192)
def _iso(text: str) -> date:
    return date.fromisoformat(text)


def _day(v) -> date | None:
    if v is None or isinstance(v, date):
        return v
    return _iso(str(v))


def _required_day(v) -> date:
    """A date from a column that is never null (an invoice's due date)."""
    return v if isinstance(v, date) else _iso(str(v))


def _json(v):
    return json.loads(v) if isinstance(v, (str, bytes)) else v


def _allocation_facts(inv) -> dict[int, InvoiceFacts]:
    """What the allocation-number rule (core/allocation.py) reads of the open invoices that could
    need a number: in shekels, without one, issued since the rule began, above its lowest
    threshold. A second small query, so the snapshot's own stays on its covering index."""
    start = min(r.start for r in ALLOCATION_THRESHOLDS)
    lowest = int(min(r.value for r in ALLOCATION_THRESHOLDS) * 100)
    rows = (inv.filter(currency="ILS", allocation_number="", issue_date__gte=start)
            .filter(Q(amount_minor__gt=lowest) | Q(amount_before_vat_minor__gt=lowest)))
    return {iid: InvoiceFacts(number=number, issue_date=issue, currency="ILS", amount_minor=amount,
                              amount_before_vat_minor=before, confirmed_without=bool(confirmed))
            for iid, number, issue, amount, before, confirmed in rows.values_list(
                "id", "number", "issue_date", "amount_minor", "amount_before_vat_minor",
                "allocation_confirmed_without")}


def _asked_on(org_id: int, customer_ids: list[int] | None, today: date) -> dict[int, date]:
    """Customer -> the day (the organization's) of the latest promise or plan they asked for on
    their page that still waits for a person, up to ``today``."""
    latest = dict(_scoped(PortalRequest.objects.filter(organization_id=org_id, status=PortalRequest.Status.PENDING,
                                                       kind__in=ASKED_KINDS), customer_ids)
                  .values_list("customer_id").annotate(m=Max("at")).order_by())
    if not latest:
        return {}
    zone = ZoneInfo(Organization.objects.only("time_zone").get(id=org_id).time_zone)
    days = {cid: at.astimezone(zone).date() for cid, at in latest.items()}
    return {cid: day for cid, day in days.items() if day <= today}


def load_snapshots(org_id: int, today: date, pre_due_days: int = 0,
                   customer_ids: list[int] | None = None,
                   written_basis: Callable[[int, str], bool] | None = None,
                   debt_notices: Callable[[int, str], tuple[SentNotice, ...] | None] | None = None) -> SnapshotSet:
    """Every customer with something open (due by ``today + pre_due_days``) or an open case.
    ``written_basis(customer_id, language)``: whether the customer's debt rests on a written
    basis a letter in their language can name (the snapshot's ``written_basis``; None when not
    given). ``debt_notices(customer_id, kind)``: the consumer debt notices sent to the customer,
    None when the law of the notice does not govern their debts (the snapshot's ``debt_notices``;
    None for everyone when not given)."""
    horizon = today + timedelta(days=max(0, pre_due_days))

    def open_due(ids: list[int] | None):
        inv = _scoped(Invoice.objects.filter(organization_id=org_id, kind=Invoice.Kind.INVOICE,
                                             due_date__lte=horizon).exclude(open_minor=0), ids)
        # the due date as text: the SQLite driver would otherwise parse every one (a hundred thousand
        # rows carry a few hundred distinct days, parsed once each by _day's cache)
        return inv.annotate(due_text=Cast("due_date", CharField()))

    def cases(ids: list[int] | None):
        return _scoped(Case.objects.filter(organization_id=org_id), ids)

    case_fields = ("customer_id", "id", "state", "active")
    inv_fields = ("customer_id", "id", "number", "due_text", "open_minor", "currency")
    if customer_ids is not None and len(customer_ids) == 1:     # a customer's page, on every visit:
        one = customer_ids[0]                                   # compiled once (store.prepared)
        found_cases = prepared.rows(("snapshots.cases", org_id), lambda c: cases([c]).values_list(*case_fields),
                                        one)
        inv_rows = prepared.rows(("snapshots.invoices", org_id, horizon),
                                     lambda c: open_due([c]).values_list(*inv_fields), one)
    else:
        found_cases = _rows(cases(customer_ids), *case_fields)
        inv_rows = None
    case_rows = {cid: (case_id, state, bool(active)) for cid, case_id, state, active in found_cases}
    # a few customers (a customer's page): their open invoices first, and nothing more is read when
    # none is due and no case of theirs runs (no snapshot; the same empty set as below)
    if customer_ids is not None and inv_rows is None:
        inv_rows = list(_rows(open_due(customer_ids), *inv_fields))
    if inv_rows == [] and not any(active for _i, _s, active in case_rows.values()):
        return SnapshotSet([], {}, set(), {})
    inv = open_due(customer_ids)
    pending = dict(_scoped(Allocation.objects.filter(organization_id=org_id, pending=True), customer_ids)
                   .values_list("invoice_id").annotate(s=Sum("amount_minor")).order_by())
    off_ladder: set[int] = set()
    pauses: dict[int, list[CorePause]] = defaultdict(list)
    pq = _scoped(Pause.objects.filter(organization_id=org_id, active=True), customer_ids)
    for cid, kind, reason, until, invoices in _rows(pq, "customer_id", "kind", "reason", "until", "invoices"):
        until = _day(until)
        if until is not None and until < today:
            continue
        invoices = _json(invoices)
        if kind == Pause.Kind.DISPUTE or invoices:
            off_ladder.update(int(i) for i in invoices or [])
            continue
        pauses[cid].append(CorePause(reason=reason, until=until, kind=PAUSE_KIND.get(kind, "other")))
    items: dict[int, list[OverdueItem]] = defaultdict(list)
    money = Money.from_minor
    facts = _allocation_facts(inv)
    for cid, iid, number, due, open_minor, cur in (inv_rows if inv_rows is not None else _rows(inv, *inv_fields)):
        cover = pending.get(iid)
        # the ledger already took the pending cheques off open_minor; the core takes the covered
        # part off the invoice's open amount itself, so it is given the amount before them (the
        # ladder took the cheque off twice: issue 13, one overdue amount everywhere)
        items[cid].append(OverdueItem(invoice_id=iid, number=number, due_date=_required_day(due),
                                      open=money(open_minor + (cover or 0), cur), disputed=iid in off_ladder,
                                      covered_by_pending_cheque=money(cover, cur) if cover else None,
                                      allocation=facts.get(iid)))
    # a stage whose message has not gone out yet (awaiting approval, or queued) holds the next one:
    # the ladder never runs ahead of what the customer has actually been sent
    unsent: dict[int, dict[tuple[int, str], str]] = defaultdict(dict)
    for cid, cycle, stage, status in _rows(
            _scoped(OutboxMessage.objects.filter(organization_id=org_id, status__in=UNSENT_STATES), customer_ids)
            .exclude(stage_key=""), "customer_id", "cycle", "stage_key", "status"):
        unsent[cid][(cycle, stage)] = status
    wanted = set(items) | {cid for cid, (_i, _s, active) in case_rows.items() if active}
    if customer_ids is not None:
        wanted &= set(customer_ids)
    replies = dict(_scoped(Activity.objects.filter(organization_id=org_id, kind=Activity.Kind.MESSAGE_IN,
                                                   date__lte=today), customer_ids)
                   .values_list("customer_id").annotate(m=Max("date")).order_by())
    asked = _asked_on(org_id, customer_ids, today)
    cols = ("id", "ref", "name", "language", "kind", "do_not_chase", "first_seen", "policy_id", "collector_id",
            "vat_exempt")
    cust_q = Customer.objects.filter(organization_id=org_id)
    if customer_ids is not None or len(wanted) < 2000:
        info = []
        for part in chunks(sorted(wanted)):
            info.extend(_rows(cust_q.filter(id__in=list(part)), *cols))
    else:
        info = [r for r in _rows(cust_q, *cols) if r[0] in wanted]
    out = SnapshotSet([], {}, set(), {})
    for cid, ref, name, lang, kind, dnc, first_seen, policy_id, collector_id, vat_exempt in info:
        case = case_rows.get(cid)
        state = _json(case[1]) if case else None
        if case:
            out.cases[cid] = case[0]
        its = items.get(cid, [])
        its.sort(key=lambda i: (i.due_date, i.number))
        case_state = CaseState.from_dict(state) if state else None
        holds = pauses.get(cid, [])
        if case_state is not None and case_state.cycle_open and case_state.stage_key is not None \
                and cid in unsent:
            waiting = unsent[cid].get((case_state.cycle, case_state.stage_key))
            if waiting is not None:
                holds = [*holds, CorePause(
                    reason=f"the {case_state.stage_key} message is still {UNSENT_WORDS[waiting]}", until=None,
                    kind="other")]
        out.snapshots.append(CustomerSnapshot(
            customer_id=cid, ref=ref, name=name, language=lang or "he", is_consumer=kind == "consumer",
            do_not_chase=bool(dnc), items=tuple(its), state=case_state, pauses=tuple(holds),
            last_reply_date=_day(replies.get(cid)), first_seen=_day(first_seen), asked_on=asked.get(cid),
            written_basis=written_basis(cid, lang or "he") if written_basis is not None else None,
            customer_kind=kind, vat_exempt=bool(vat_exempt),
            debt_notices=debt_notices(cid, kind) if debt_notices is not None else None))
        out.policy_of[cid] = policy_id
        out.collector_of[cid] = collector_id
        if is_individual(kind):     # a consumer or a sole trader: the individuals' ladder where there is one
            out.consumer.add(cid)
        if kind == CONSUMER:
            out.consumers.add(cid)
    out.snapshots.sort(key=lambda s: s.customer_id)
    return out


def phone_numbers(customer_ids: list[int]) -> dict[int, list[dict]]:
    """The numbers to call for each customer: contacts with a phone (billing first), then the
    customer's own number."""
    out: dict[int, list[dict]] = defaultdict(list)
    for part in chunks(sorted(set(customer_ids))):
        for cid, name, role, phone in (Contact.objects.filter(customer_id__in=list(part)).exclude(phone="")
                                       .order_by("customer_id", "-is_billing", "-is_primary", "id")
                                       .values_list("customer_id", "name", "role", "phone")):
            out[cid].append({"name": name, "role": role, "phone": phone})
        for cid, phone in Customer.objects.filter(id__in=list(part)).exclude(phone="").values_list("id", "phone"):
            if all(p["phone"] != phone for p in out[cid]):
                out[cid].append({"name": "", "role": "", "phone": phone})
    return dict(out)


def _open_items(snapshot: CustomerSnapshot, invoice_ids) -> list[dict]:
    listed = set(invoice_ids)
    return [{"id": it.invoice_id, "number": it.number, "due": it.due_date.isoformat(),
             "open": str(it.open.amount), "currency": it.open.currency}
            for it in snapshot.items if it.invoice_id in listed]


# --- bulk writing ------------------------------------------------------------------------------
# The first run of a large business writes a hundred thousand rows; building a model instance and
# preparing every field through the ORM costs more than the rest of the run. These helpers write
# plain tuples with executemany, values adapted once per type for the database in use.

class _Adapt:
    def __init__(self) -> None:
        self.pg = connection.vendor == "postgresql"
        if self.pg:
            # imported here: loading psycopg takes a good part of a second, and SQLite never needs it
            from psycopg.types.json import Jsonb

            self.jsonb = Jsonb

    def day(self, d: date | None):
        return d if (d is None or self.pg) else d.isoformat()

    def moment(self, m: datetime | None):
        if m is None or self.pg:
            return m
        return m.astimezone(timezone.utc).replace(tzinfo=None).isoformat(" ")

    def json(self, value):
        return self.jsonb(value) if self.pg else json.dumps(value, ensure_ascii=False)


def _column_names(model, fields: tuple[str, ...]) -> list[str]:
    qn = connection.ops.quote_name
    return [qn(model._meta.get_field(f).column) for f in fields]


def insert_rows(model, fields: tuple[str, ...], rows: list[tuple], ignore_conflicts: bool = False) -> None:
    """INSERT plain tuples (already adapted) — :func:`gvia.store.bulk.insert` (COPY on
    PostgreSQL) — or, with ``ignore_conflicts``, skipping rows that break a unique constraint
    (the idempotency keys of messages and tasks)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    cols = _column_names(model, fields)
    if not ignore_conflicts:
        bulk.insert(table, cols, rows)
        return
    on = OnConflict.IGNORE
    sql = (f"{connection.ops.insert_statement(on_conflict=on)} {table} ({', '.join(cols)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))}) {connection.ops.on_conflict_suffix_sql([], on, None, None)}")
    with connection.cursor() as c:
        for part in range(0, len(rows), 5000):
            c.executemany(sql, rows[part:part + 5000])


def update_rows(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """UPDATE by id: each row is the values of ``fields`` followed by the id."""
    if not rows:
        return
    qn = connection.ops.quote_name
    sets = ", ".join(f"{c} = %s" for c in _column_names(model, fields))
    sql = f"UPDATE {qn(model._meta.db_table)} SET {sets} WHERE {qn('id')} = %s"
    with connection.cursor() as c:
        for part in range(0, len(rows), 5000):
            c.executemany(sql, rows[part:part + 5000])


CASE_FIELDS = ("cycle", "stage_key", "stage_entered", "active", "state", "last_decided", "next_step", "next_date",
               "updated_at")


def save_decisions(org_id: int, decisions: list[Decision], now: datetime, today: date, run_id: int | None,
                   version_of: dict[int, int], snapshots: dict[int, CustomerSnapshot], cases: dict[int, int],
                   describe: Callable[[Decision, CustomerSnapshot], str],
                   collector_of: dict[int, int | None] | None = None,
                   stage_approval: Callable[[int, str], bool] | None = None) -> dict[str, int]:
    """Write the decisions that change something (cases, timeline, outbox, call tasks, and what
    an ended cycle leaves behind). Returns counts.

    A planned message waits for approval when the decision says so (its stage asks for it, or
    the organization approves every message); ``needs_approval`` records whether the *stage*
    asks for it (``stage_approval(customer_id, stage_key)``), which only an owner may give."""
    counts: dict[str, int] = defaultdict(int)
    collector_of = collector_of or {}
    a = _Adapt()
    t_now, t_today = a.moment(now), a.day(today)
    case_updates: list[tuple] = []
    case_creates: list[tuple] = []
    activities: list[tuple] = []
    messages: list[tuple] = []
    tasks: list[tuple] = []
    ended: list[tuple[int, int]] = []
    call_customers = [d.customer_id for d in decisions for x in d.actions if x.channel == "call_task"]
    phones = phone_numbers(call_customers) if call_customers else {}
    for d in decisions:
        counts[d.kind] += 1
        if not d.changes_state:
            continue
        cid = d.customer_id
        st = d.state
        values = (st.cycle, st.stage_key or "", a.day(st.stage_entered), st.cycle_open, a.json(st.as_dict()), t_today,
                  d.next_step.stage_key if d.next_step else "", a.day(d.next_step.on) if d.next_step else None, t_now)
        if cid in cases:
            case_updates.append(values + (cases[cid],))
        else:
            case_creates.append((org_id, cid) + values)
        if d.kind == "end_cycle":
            ended.append((cid, st.cycle))
        reasons = [[r.code, dict(r.params)] for r in d.reasons]
        activities.append((org_id, cid, Activity.Kind.STAGE.value, t_today, t_now, describe(d, snapshots[cid]),
                           a.json({"decision": d.kind, "stage": st.stage_key, "cycle": st.cycle, "reasons": reasons,
                                   "policy": d.policy_fingerprint,
                                   "actions": [x.idempotency_key for x in d.actions]}), "system"))
        for x in d.actions:
            if x.channel == "call_task":
                tasks.append((org_id, cid, Task.Kind.CALL.value, x.idempotency_key, t_today, collector_of.get(cid),
                               None, a.json({"stage": x.stage_key, "cycle": st.cycle, "document": x.document,
                                             "invoice_ids": list(x.invoice_ids), "phones": phones.get(cid, []),
                                             "open_items": _open_items(snapshots[cid], x.invoice_ids),
                                             "calls": []}),
                               True, "", None, t_now))
                counts["call_tasks"] += 1
                continue
            status = OutboxMessage.Status.AWAITING_APPROVAL if x.needs_approval else OutboxMessage.Status.QUEUED
            messages.append((
                org_id, cid, x.idempotency_key, st.cycle, x.stage_key, x.channel, x.document, a.json(list(x.attach)),
                x.language, status.value,
                stage_approval(cid, x.stage_key) if stage_approval else x.needs_approval,
                t_today, a.json(reasons), version_of.get(cid), run_id, t_now, t_now))
            counts["messages_awaiting_approval" if x.needs_approval else "messages_queued"] += 1
    insert_rows(Case, ("organization", "customer") + CASE_FIELDS, case_creates)
    update_rows(Case, CASE_FIELDS, case_updates)
    insert_rows(Activity, ("organization", "customer", "kind", "date", "at", "text", "data", "actor"), activities)
    insert_rows(OutboxMessage, _MESSAGE_FIELDS, [m + _MESSAGE_DEFAULTS(a) for m in messages], ignore_conflicts=True)
    insert_rows(Task, ("organization", "customer", "kind", "key", "due_date", "assigned_to", "message", "data",
                       "open", "outcome", "closed_at", "created_at"), tasks, ignore_conflicts=True)
    if ended:
        counts["messages_cancelled"] += close_ended_cycles(org_id, ended, now)
    return dict(counts)


_MESSAGE_FIELDS = (
    "organization", "customer", "idempotency_key", "cycle", "stage_key", "channel", "document", "attach", "language",
    "status", "needs_approval", "planned_for", "reasons", "policy_version", "run", "created_at", "updated_at",
    # the rest, at their defaults (a raw INSERT gets no model defaults)
    "approved_by", "attempts", "worker", "log", "to_addrs", "cc_addrs", "subject", "message_id", "raw_path",
    "server_reply", "registered_number", "free_text")


def _MESSAGE_DEFAULTS(a: _Adapt) -> tuple:
    empty = a.json([])
    return ("", 0, "", empty, empty, empty, "", "", "", "", "", "")


def ended_log(now: datetime) -> list[dict]:
    """The log of a message its ended cycle took with it (a pending message has said nothing yet)."""
    return added([], now, Worded("cancelled: the cycle ended (nothing is overdue any more)", "outbox_cancelled",
                                 why=Worded("nothing is overdue any more", "outbox_why_nothing_overdue")))


def close_ended_cycles(org_id: int, ended: list[tuple[int, int]], now: datetime) -> int:
    """A cycle that ended (everything paid) takes its unsent messages and open call tasks with
    it: nothing is sent about a debt that is gone. Returns the messages cancelled."""
    by_cycle: dict[int, list[int]] = defaultdict(list)
    for cid, cycle in ended:
        by_cycle[cycle].append(cid)
    cancelled = 0
    for cycle, ids in by_cycle.items():
        for part in chunks(sorted(ids)):
            cancelled += OutboxMessage.objects.filter(
                organization_id=org_id, customer_id__in=list(part), cycle=cycle, status__in=PENDING_STATES,
            ).update(status=OutboxMessage.Status.CANCELLED, updated_at=now, log=ended_log(now))
            Task.objects.filter(organization_id=org_id, customer_id__in=list(part), kind=Task.Kind.CALL,
                                open=True).update(open=False, closed_at=now, outcome="cycle_ended")
    return cancelled

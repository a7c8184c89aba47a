"""Bulk reads and writes for the daily run: database rows <-> the escalation core's types.

``load_snapshots`` reads what :func:`gvia.core.escalation.decide` needs for every customer
that has something open or a case running, in a fixed number of grouped queries (never one
per customer). ``save_decisions`` writes what the decisions changed, idempotently: outbox rows
and tasks are keyed by the decision's idempotency keys under unique constraints.

How the records become the core's inputs:

* an open invoice (``open_minor`` not 0) due on or before ``today + pre_due_days`` is an
  :class:`OverdueItem`; the part of it that pending post-dated cheques cover (pending
  allocations) is ``covered_by_pending_cheque``;
* an active :class:`~gvia.store.models.Pause` of kind ``dispute`` takes its invoices off the
  ladder while it lasts; any other pause that names invoices does the same for them; a pause
  that names none pauses the whole case (promise, payment plan, manual, call-back…) through
  its ``until`` date;
* the latest reply (an activity ``message_in``) dated on or before ``today`` is the
  customer's ``last_reply_date``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Callable

from django.db.models import Max, Sum

from gvia.core.escalation import CaseState, CustomerSnapshot, Decision, OverdueItem
from gvia.core.escalation import Pause as CorePause
from gvia.core.money import Money

from .ledger_store import chunks
from .models import Activity, Allocation, Case, Contact, Customer, Invoice, OutboxMessage, Pause, Task

#: Pause kinds of the database -> pause kinds of the core.
PAUSE_KIND = {"manual": "manual", "promise": "promise", "plan": "payment_plan", "settlement": "other",
              "call_back": "call_back"}
#: Outbox states a message may still leave from; a cycle that ends cancels them.
PENDING_STATES = (OutboxMessage.Status.AWAITING_APPROVAL, OutboxMessage.Status.QUEUED, OutboxMessage.Status.HELD)


def _d(v) -> date | None:
    if v is None or isinstance(v, date):
        return v
    return date.fromisoformat(str(v))


@dataclass
class SnapshotSet:
    snapshots: list[CustomerSnapshot]
    policy_of: dict[int, int | None]       # customer id -> assigned policy id
    consumer: set[int]
    cases: dict[int, int]                  # customer id -> case id
    collector_of: dict[int, int | None] = field(default_factory=dict)


def _scoped(qs, customer_ids: list[int] | None):
    return qs if customer_ids is None else qs.filter(customer_id__in=customer_ids)


def load_snapshots(org_id: int, today: date, pre_due_days: int = 0,
                   customer_ids: list[int] | None = None) -> SnapshotSet:
    """Every customer with something open (due by ``today + pre_due_days``) or an open case."""
    horizon = today + timedelta(days=max(0, pre_due_days))
    inv = _scoped(Invoice.objects.filter(organization_id=org_id, kind=Invoice.Kind.INVOICE, due_date__lte=horizon)
                  .exclude(open_minor=0), customer_ids)
    rows = list(inv.values_list("customer_id", "id", "number", "due_date", "open_minor", "currency")
                .iterator(chunk_size=20000))
    pending = dict(_scoped(Allocation.objects.filter(organization_id=org_id, pending=True), customer_ids)
                   .values_list("invoice_id").annotate(s=Sum("amount_minor")).order_by())
    off_ladder: set[int] = set()
    pauses: dict[int, list[CorePause]] = defaultdict(list)
    pq = _scoped(Pause.objects.filter(organization_id=org_id, active=True), customer_ids)
    for cid, kind, reason, until, invoices in pq.values_list("customer_id", "kind", "reason", "until", "invoices"):
        until = _d(until)
        if until is not None and until < today:
            continue
        if kind == Pause.Kind.DISPUTE or invoices:
            off_ladder.update(int(i) for i in invoices or [])
            continue
        pauses[cid].append(CorePause(reason=reason, until=until, kind=PAUSE_KIND.get(kind, "other")))
    case_rows = {cid: (case_id, state, active) for cid, case_id, state, active in
                 _scoped(Case.objects.filter(organization_id=org_id), customer_ids)
                 .values_list("customer_id", "id", "state", "active").iterator(chunk_size=20000)}
    items: dict[int, list[OverdueItem]] = defaultdict(list)
    for cid, iid, number, due, open_minor, cur in rows:
        cover = pending.get(iid)
        items[cid].append(OverdueItem(invoice_id=iid, number=number, due_date=_d(due),
                                      open=Money.from_minor(open_minor, cur), disputed=iid in off_ladder,
                                      covered_by_pending_cheque=Money.from_minor(cover, cur) if cover else None))
    wanted = set(items) | {cid for cid, (_i, _s, active) in case_rows.items() if active}
    if customer_ids is not None:
        wanted &= set(customer_ids)
    replies = dict(_scoped(Activity.objects.filter(organization_id=org_id, kind=Activity.Kind.MESSAGE_IN,
                                                   date__lte=today), customer_ids)
                   .values_list("customer_id").annotate(m=Max("date")).order_by())
    cols = ("id", "ref", "name", "language", "kind", "do_not_chase", "first_seen", "policy_id", "collector_id")
    cust_q = Customer.objects.filter(organization_id=org_id)
    if customer_ids is not None or len(wanted) < 2000:
        info = []
        for part in chunks(sorted(wanted)):
            info.extend(cust_q.filter(id__in=list(part)).values_list(*cols))
    else:
        info = [r for r in cust_q.values_list(*cols).iterator(chunk_size=20000) if r[0] in wanted]
    out = SnapshotSet([], {}, set(), {})
    for cid, ref, name, lang, kind, dnc, first_seen, policy_id, collector_id in info:
        case = case_rows.get(cid)
        state = CaseState.from_dict(case[1]) if case and case[1] else None
        if case:
            out.cases[cid] = case[0]
        its = items.get(cid, [])
        its.sort(key=lambda i: (i.due_date, i.number))
        out.snapshots.append(CustomerSnapshot(
            customer_id=cid, ref=ref, name=name, language=lang or "he", is_consumer=kind == "consumer",
            do_not_chase=dnc, items=tuple(its), state=state, pauses=tuple(pauses.get(cid, ())),
            last_reply_date=_d(replies.get(cid)), first_seen=_d(first_seen)))
        out.policy_of[cid] = policy_id
        out.collector_of[cid] = collector_id
        if kind == "consumer":
            out.consumer.add(cid)
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
    case_updates: list[Case] = []
    case_creates: list[Case] = []
    activities: list[Activity] = []
    messages: list[OutboxMessage] = []
    tasks: list[Task] = []
    ended: list[tuple[int, int]] = []
    call_customers = [d.customer_id for d in decisions for a in d.actions if a.channel == "call_task"]
    phones = phone_numbers(call_customers) if call_customers else {}
    for d in decisions:
        counts[d.kind] += 1
        if not d.changes_state:
            continue
        cid = d.customer_id
        st = d.state
        fields = dict(cycle=st.cycle, stage_key=st.stage_key or "", stage_entered=st.stage_entered,
                      active=st.cycle_open, state=st.as_dict(), last_decided=today,
                      next_step=d.next_step.stage_key if d.next_step else "",
                      next_date=d.next_step.on if d.next_step else None, updated_at=now)
        if cid in cases:
            case_updates.append(Case(id=cases[cid], organization_id=org_id, customer_id=cid, **fields))
        else:
            case_creates.append(Case(organization_id=org_id, customer_id=cid, **fields))
        if d.kind == "end_cycle":
            ended.append((cid, st.cycle))
        reasons = [[r.code, dict(r.params)] for r in d.reasons]
        activities.append(Activity(organization_id=org_id, customer_id=cid, kind=Activity.Kind.STAGE, date=today,
                                   at=now, text=describe(d, snapshots[cid]), actor="system",
                                   data={"decision": d.kind, "stage": st.stage_key, "cycle": st.cycle,
                                         "reasons": reasons, "policy": d.policy_fingerprint,
                                         "actions": [a.idempotency_key for a in d.actions]}))
        for a in d.actions:
            if a.channel == "call_task":
                tasks.append(Task(
                    organization_id=org_id, customer_id=cid, kind=Task.Kind.CALL, key=a.idempotency_key,
                    due_date=today, assigned_to_id=collector_of.get(cid),
                    data={"stage": a.stage_key, "cycle": st.cycle, "document": a.document,
                          "invoice_ids": list(a.invoice_ids), "phones": phones.get(cid, []),
                          "open_items": _open_items(snapshots[cid], a.invoice_ids), "calls": []}))
                counts["call_tasks"] += 1
                continue
            status = OutboxMessage.Status.AWAITING_APPROVAL if a.needs_approval else OutboxMessage.Status.QUEUED
            messages.append(OutboxMessage(
                organization_id=org_id, customer_id=cid, idempotency_key=a.idempotency_key, cycle=st.cycle,
                stage_key=a.stage_key, channel=a.channel, document=a.document, attach=list(a.attach),
                language=a.language, status=status, planned_for=today,
                needs_approval=stage_approval(cid, a.stage_key) if stage_approval else a.needs_approval,
                reasons=reasons, policy_version_id=version_of.get(cid), run_id=run_id, created_at=now,
                updated_at=now))
            counts["messages_awaiting_approval" if a.needs_approval else "messages_queued"] += 1
    Case.objects.bulk_create(case_creates, batch_size=2000)
    if case_updates:
        Case.objects.bulk_update(case_updates, ["cycle", "stage_key", "stage_entered", "active", "state",
                                                "last_decided", "next_step", "next_date", "updated_at"],
                                 batch_size=2000)
    Activity.objects.bulk_create(activities, batch_size=2000)
    OutboxMessage.objects.bulk_create(messages, batch_size=2000, ignore_conflicts=True)
    Task.objects.bulk_create(tasks, batch_size=2000, ignore_conflicts=True)
    if ended:
        counts["messages_cancelled"] += close_ended_cycles(org_id, ended, now)
    return dict(counts)


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
            ).update(status=OutboxMessage.Status.CANCELLED, updated_at=now,
                     last_error="cancelled: the cycle ended (nothing is overdue any more)")
            Task.objects.filter(organization_id=org_id, customer_id__in=list(part), kind=Task.Kind.CALL,
                                open=True).update(open=False, closed_at=now, outcome="cycle_ended")
    return cancelled

"""Bulk reads and writes for the daily run: database rows <-> the escalation core's types.

``load_snapshots`` reads what :func:`gvia.core.escalation.decide` needs for every customer
that has something open or a case running, in a fixed number of grouped queries (never one
per customer). ``save_decisions`` writes what the decisions changed, idempotently: outbox rows
and tasks are keyed by the decision's idempotency keys under unique constraints.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Max, Sum

from gvia.core.escalation import CaseState, CustomerSnapshot, Decision, OverdueItem, Pause as CorePause
from gvia.core.money import Money

from .ledger_store import chunks
from .models import Activity, Allocation, Case, Customer, Invoice, OutboxMessage, Pause, Task

PAUSE_KIND = {"manual": "manual", "promise": "promise", "plan": "payment_plan", "settlement": "other",
              "call_back": "call_back"}


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


def load_snapshots(org_id: int, today: date, pre_due_days: int = 0,
                   customer_ids: list[int] | None = None) -> SnapshotSet:
    horizon = today + timedelta(days=max(0, pre_due_days))
    inv = Invoice.objects.filter(organization_id=org_id, kind=Invoice.Kind.INVOICE, due_date__lte=horizon
                                 ).exclude(open_minor=0)
    if customer_ids is not None:
        inv = inv.filter(customer_id__in=customer_ids)
    rows = list(inv.values_list("customer_id", "id", "number", "due_date", "open_minor", "currency")
                .iterator(chunk_size=20000))
    pend_q = Allocation.objects.filter(organization_id=org_id, pending=True)
    if customer_ids is not None:
        pend_q = pend_q.filter(customer_id__in=customer_ids)
    pending = dict(pend_q.values_list("invoice_id").annotate(s=Sum("amount_minor")).order_by())
    disputed: set[int] = set()
    pauses: dict[int, list[CorePause]] = defaultdict(list)
    pq = Pause.objects.filter(organization_id=org_id, active=True)
    if customer_ids is not None:
        pq = pq.filter(customer_id__in=customer_ids)
    for cid, kind, reason, until, invoices in pq.values_list("customer_id", "kind", "reason", "until", "invoices"):
        if kind == Pause.Kind.DISPUTE or invoices:
            disputed.update(int(i) for i in invoices or [])
            if kind == Pause.Kind.DISPUTE:
                continue
        until = _d(until)
        if until is not None and until < today:
            continue
        pauses[cid].append(CorePause(reason=reason, until=until, kind=PAUSE_KIND.get(kind, "other")))
    case_q = Case.objects.filter(organization_id=org_id)
    if customer_ids is not None:
        case_q = case_q.filter(customer_id__in=customer_ids)
    case_rows = {cid: (case_id, state, active) for cid, case_id, state, active in
                 case_q.values_list("customer_id", "id", "state", "active").iterator(chunk_size=20000)}
    items: dict[int, list[OverdueItem]] = defaultdict(list)
    for cid, iid, number, due, open_minor, cur in rows:
        cover = pending.get(iid)
        items[cid].append(OverdueItem(invoice_id=iid, number=number, due_date=_d(due),
                                      open=Money.from_minor(open_minor, cur), disputed=iid in disputed,
                                      covered_by_pending_cheque=Money.from_minor(cover, cur) if cover else None))
    wanted = set(items) | {cid for cid, (_i, _s, active) in case_rows.items() if active}
    if customer_ids is not None:
        wanted &= set(customer_ids)
    replies_q = Activity.objects.filter(organization_id=org_id, kind=Activity.Kind.MESSAGE_IN)
    if customer_ids is not None:
        replies_q = replies_q.filter(customer_id__in=customer_ids)
    replies = dict(replies_q.values_list("customer_id").annotate(m=Max("date")).order_by())
    cust_q = Customer.objects.filter(organization_id=org_id)
    if customer_ids is not None or len(wanted) < 2000:
        ids = sorted(wanted)
        info = []
        for part in chunks(ids):
            info.extend(cust_q.filter(id__in=list(part)).values_list(
                "id", "ref", "name", "language", "kind", "do_not_chase", "first_seen", "policy_id"))
    else:
        info = [r for r in cust_q.values_list("id", "ref", "name", "language", "kind", "do_not_chase",
                                              "first_seen", "policy_id").iterator(chunk_size=20000)
                if r[0] in wanted]
    snaps: list[CustomerSnapshot] = []
    policy_of: dict[int, int | None] = {}
    consumer: set[int] = set()
    cases: dict[int, int] = {}
    for cid, ref, name, lang, kind, dnc, first_seen, policy_id in info:
        case = case_rows.get(cid)
        state = CaseState.from_dict(case[1]) if case and case[1] else None
        if case:
            cases[cid] = case[0]
        its = items.get(cid, [])
        its.sort(key=lambda i: (i.due_date, i.number))
        snaps.append(CustomerSnapshot(
            customer_id=cid, ref=ref, name=name, language=lang or "he", is_consumer=kind == "consumer",
            do_not_chase=dnc, items=tuple(its), state=state, pauses=tuple(pauses.get(cid, ())),
            last_reply_date=_d(replies.get(cid)), first_seen=_d(first_seen)))
        policy_of[cid] = policy_id
        if kind == "consumer":
            consumer.add(cid)
    snaps.sort(key=lambda s: s.customer_id)
    return SnapshotSet(snaps, policy_of, consumer, cases)


def save_decisions(org_id: int, decisions: list[Decision], now: datetime, today: date, run_id: int | None,
                   version_of: dict[int, int], snapshots: dict[int, CustomerSnapshot], cases: dict[int, int],
                   describe) -> dict[str, int]:
    """Write the decisions that change something. Returns counts."""
    counts = defaultdict(int)
    case_updates: list[Case] = []
    case_creates: list[Case] = []
    activities: list[Activity] = []
    messages: list[OutboxMessage] = []
    tasks: list[Task] = []
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
        reasons = [[r.code, dict(r.params)] for r in d.reasons]
        activities.append(Activity(organization_id=org_id, customer_id=cid, kind=Activity.Kind.STAGE, date=today,
                                   at=now, text=describe(d, snapshots[cid]), actor="system",
                                   data={"decision": d.kind, "stage": st.stage_key, "cycle": st.cycle,
                                         "reasons": reasons, "policy": d.policy_fingerprint}))
        for a in d.actions:
            if a.channel == "call_task":
                tasks.append(Task(organization_id=org_id, customer_id=cid, kind=Task.Kind.CALL, key=a.idempotency_key,
                                  due_date=today, data={"stage": a.stage_key, "invoice_ids": list(a.invoice_ids),
                                                        "cycle": st.cycle, "document": a.document}))
                counts["call_tasks"] += 1
                continue
            status = OutboxMessage.Status.AWAITING_APPROVAL if a.needs_approval else OutboxMessage.Status.QUEUED
            messages.append(OutboxMessage(
                organization_id=org_id, customer_id=cid, idempotency_key=a.idempotency_key, cycle=st.cycle,
                stage_key=a.stage_key, channel=a.channel, document=a.document, attach=list(a.attach),
                language=a.language, status=status, needs_approval=a.needs_approval, planned_for=today,
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
    return dict(counts)

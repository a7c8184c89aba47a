"""The daily run: snapshot → decide → apply, for one organization and one day.

- snapshot: :func:`gvia.store.engine_store.load_snapshots` reads every customer with something
  open or a case running, in bulk;
- decide: :func:`gvia.core.escalation.decide_all`, pure;
- apply: one transaction writes the case changes, the timeline, the outbox messages and call
  tasks (unique idempotency keys), the run record and that day's aging snapshot.

Two runs started at once cannot both act: the apply transaction takes the database's write lock
first (SQLite ``BEGIN IMMEDIATE``; PostgreSQL locks the organization's row), and the snapshot is
read inside it, so the second run sees what the first did and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Callable

from django.db import transaction

from gvia.core.escalation import Decision, RunSettings, decide_all
from gvia.core.explain import explain as explain_decision
from gvia.store import engine_store
from gvia.store.models import AgingSnapshot, ImportRun, Organization, RunRecord

from . import clock, ledger, policies
from .context import Ctx
from .sending_window import org_calendar

Progress = Callable[[str, int, int | None], None] | None


@dataclass
class RunReport:
    run_date: date
    dry_run: bool
    customers: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    held_back: list[dict] = field(default_factory=list)
    policy_versions: list[dict] = field(default_factory=list)
    run_id: int | None = None
    decisions: list[Decision] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"run_date": self.run_date.isoformat(), "dry_run": self.dry_run, "customers": self.customers,
                "counts": self.counts, "held_back": self.held_back, "policy_versions": self.policy_versions,
                "run_id": self.run_id}


def run_settings(org: Organization, today: date) -> RunSettings:
    cfg = org.settings or {}
    last = ImportRun.objects.filter(organization=org, kind__in=("invoices", "payments")).order_by("-at").first()
    return RunSettings(sending_mode=cfg.get("sending_mode", "approve_all"),
                       ledger_updated=clock.org_today(org, last.at) if last else None,
                       stale_after_business_days=int(cfg.get("stale_data_business_days", 3)))


class PolicyChooser:
    """Which checked policy decides for a customer: assigned, else consumer ladder, else default."""

    def __init__(self, ctx: Ctx, snapshot_set):
        self.default, self.versions = policies.policies_in_force(ctx)
        consumer = policies.ensure_consumer_policy(ctx)
        self.consumer_version = consumer
        self.parsed = {v.id: policies.parse(v) for v in {self.default, *self.versions.values()}}
        if consumer is not None:
            self.parsed[consumer.id] = policies.parse(consumer)
        self.snapshot_set = snapshot_set

    def version_for(self, customer_id: int):
        pid = self.snapshot_set.policy_of.get(customer_id)
        if pid and pid in self.versions:
            return self.versions[pid]
        if self.consumer_version is not None and customer_id in self.snapshot_set.consumer:
            return self.consumer_version
        return self.default

    def __call__(self, snapshot):
        return self.parsed[self.version_for(snapshot.customer_id).id]

    def pre_due_days(self) -> int:
        offsets = [p.pre_due_offset for p in self.parsed.values() if p.pre_due_offset is not None]
        return max((-o for o in offsets), default=0)


def _summarize_holds(decisions: list[Decision]) -> list[dict]:
    by: dict[str, int] = {}
    for d in decisions:
        if d.kind == "hold":
            code = next((r.code for r in d.reasons if r.code not in ("oldest_overdue", "overdue_total")), "held")
            for r in d.reasons:
                if r.code in ("stale_data", "sending_off", "do_not_chase", "paused", "reply_pause",
                              "below_min_amount", "awaiting_call_outcome", "awaiting_posting"):
                    code = r.code
                    break
            by[code] = by.get(code, 0) + 1
    return [{"reason": k, "customers": v} for k, v in sorted(by.items())]


def run(ctx: Ctx, now: datetime | None = None, dry_run: bool = False, progress: Progress = None) -> RunReport:
    """Run the ladder for every customer of the organization on the business day of ``now``."""
    ctx.require("collector", "running the daily run")
    now = now or clock.now_utc()
    today = clock.org_today(ctx.org, now)
    report = RunReport(run_date=today, dry_run=dry_run)
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(id=ctx.org.id)   # serializes runs (PG); SQLite: IMMEDIATE
        cal = org_calendar(org)
        settings = run_settings(org, today)
        chooser = PolicyChooser(ctx, None)
        snaps = engine_store.load_snapshots(org.id, today, chooser.pre_due_days())
        chooser.snapshot_set = snaps
        report.customers = len(snaps.snapshots)
        if progress:
            progress("decide", 0, len(snaps.snapshots))
        decisions = decide_all(snaps.snapshots, chooser, today, cal, settings)
        if progress:
            progress("decide", len(snaps.snapshots), len(snaps.snapshots))
        report.decisions = decisions
        used = {chooser.version_for(s.customer_id) for s in snaps.snapshots} or {chooser.default}
        report.policy_versions = [{"policy": v.policy.name, "version": v.version, "fingerprint": v.fingerprint}
                                  for v in sorted(used, key=lambda v: v.id)]
        report.held_back = _summarize_holds(decisions)
        counts: dict[str, int] = {}
        for d in decisions:
            counts[d.kind] = counts.get(d.kind, 0) + 1
        report.counts = counts
        if dry_run:
            transaction.set_rollback(True)
            return report
        record = RunRecord.objects.create(organization=org, run_date=today, started_at=now, dry_run=False,
                                          policy_versions=report.policy_versions, actor=ctx.actor)
        by_id = {s.customer_id: s for s in snaps.snapshots}
        version_of = {s.customer_id: chooser.version_for(s.customer_id).id for s in snaps.snapshots}

        def describe(decision: Decision, snapshot) -> str:
            return explain_decision(decision, snapshot, chooser(snapshot), "en")

        changed = [d for d in decisions if d.changes_state]
        counts = engine_store.save_decisions(org.id, changed, now, today, record.id, version_of, by_id,
                                             snaps.cases, describe)
        for d in decisions:
            if not d.changes_state:
                counts[d.kind] = counts.get(d.kind, 0) + 1
        report.counts = counts
        if progress:
            progress("apply", len(changed), len(changed))
        _aging_snapshot(ctx, org, today)
        record.counts = counts
        record.held_back = report.held_back
        record.finished_at = clock.now_utc()
        record.save(update_fields=["counts", "held_back", "finished_at"])
        report.run_id = record.id
    return report


def _aging_snapshot(ctx: Ctx, org: Organization, today: date) -> None:
    rep, _unapplied = ledger.aging(ctx, today)
    data = rep.to_json_dict()
    for cur, buckets in data["currencies"].items():
        AgingSnapshot.objects.update_or_create(
            organization=org, date=today, currency=cur,
            defaults={"buckets": buckets, "open_minor": _minor(buckets["total"], cur),
                      "overdue_minor": _minor(buckets["total"], cur) - _minor(buckets["not_due"], cur)})


def _minor(text: str, cur: str) -> int:
    from gvia.core.money import Money

    return Money.of(text, cur).minor


def explain(ctx: Ctx, customer_ref: str, now: datetime | None = None, lang: str | None = None) -> str:
    """Where the customer stands and why, what happens next and when — in words."""
    customer = ledger.get_customer(ctx, customer_ref)
    now = now or clock.now_utc()
    today = clock.org_today(ctx.org, now)
    chooser = PolicyChooser(ctx, None)
    snaps = engine_store.load_snapshots(ctx.org.id, today, chooser.pre_due_days(), customer_ids=[customer.id])
    chooser.snapshot_set = snaps
    language = lang or customer.language or ctx.org.default_language
    if not snaps.snapshots:
        return ("אין ללקוח חשבוניות פתוחות ואין תהליך גבייה פעיל." if language == "he"
                else f"{customer.name} has nothing open and no collection case running.")
    snap = snaps.snapshots[0]
    decision = decide_all([snap], chooser, today, org_calendar(ctx.org), run_settings(ctx.org, today))[0]
    return explain_decision(decision, snap, chooser(snap), language)

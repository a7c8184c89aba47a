"""The daily run: snapshot → decide → apply, for one organization and one day.

- snapshot: :func:`gvia.store.engine_store.load_snapshots` reads every customer with something
  open or a case running, in bulk;
- decide: :func:`gvia.core.escalation.decide_all`, pure;
- apply: one transaction writes the case changes, the timeline, the outbox messages and call
  tasks (unique idempotency keys), the run record and that day's aging snapshot; a formal
  letter that cannot be produced for want of details the business can fill in is held before
  anyone is asked to approve it, and held ones whose details were filled in are released
  (:mod:`gvia.services.engine.holds`; the report's ``held`` lists them with their reason codes).

Two runs started at once cannot both act: the apply transaction takes the database's write lock
first (SQLite ``BEGIN IMMEDIATE``; PostgreSQL locks the organization's row), and the snapshot is
read inside it, so the second run sees what the first did and changes nothing.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Callable

from django.db import transaction

from gvia.core.escalation import Decision, NextStep, Reason, RunSettings, decide_all
from gvia.core.money import Money
from gvia.core.policy import Policy as CorePolicy
from gvia.services import audit, clock, settings
from gvia.services.arrangements.daily import apply_arrangements
from gvia.services.arrangements.describe import Records, describe_arrangements
from gvia.services.context import Ctx
from gvia.services.engine import debt_notices, holds, policies
from gvia.services.engine.explain_words import explain as explain_decision
from gvia.services.engine.explain_words import explain_reason
from gvia.services.ledger import books as ledger
from gvia.services.legal import suppliers_law
from gvia.services.letters.basis import written_basis_reader
from gvia.services.locality import org_calendar
from gvia.services.webhooks import events as webhook_events
from gvia.store import engine_store
from gvia.store.bulk import refresh_statistics
from gvia.store.models import AgingSnapshot, ImportRun, Organization, OutboxMessage, RunRecord

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
    arrangements: dict[str, int] = field(default_factory=dict)
    held: list[dict] = field(default_factory=list)       # messages held for details: holds.held_list

    def as_dict(self) -> dict:
        return {"run_date": self.run_date.isoformat(), "dry_run": self.dry_run, "customers": self.customers,
                "counts": self.counts, "held_back": self.held_back, "policy_versions": self.policy_versions,
                "run_id": self.run_id, "arrangements": self.arrangements, "held": self.held}


def run_settings(org: Organization, today: date) -> RunSettings:
    """The organization's settings as the core reads them (see :mod:`gvia.services.settings`)."""
    cfg = settings.values(org, ("sending_mode", "stale_data_business_days"))
    last = ImportRun.objects.filter(organization=org, kind__in=("invoices", "payments")).order_by("-at").first()
    return RunSettings(sending_mode=cfg["sending_mode"],
                       ledger_updated=clock.org_today(org, last.at) if last else None,
                       stale_after_business_days=cfg["stale_data_business_days"])


class PolicyChooser:
    """Which checked policy decides for a customer: assigned, else consumer ladder, else default.

    The organization's ``reply_pause_days`` setting, when set, overrides the policies' own
    (the decisions then record the fingerprint of the policy as used)."""

    def __init__(self, ctx: Ctx, snapshot_set=None):
        self.default, self.versions = policies.policies_in_force(ctx)
        consumer = policies.consumer_version(ctx, self.versions)
        self.consumer_version = consumer
        reply_pause = settings.value(ctx.org, "reply_pause_days")
        self.parsed = {}
        for v in {version for version in (self.default, consumer, *self.versions.values()) if version is not None}:
            checked = policies.parse(v)
            if reply_pause is not None and reply_pause != checked.reply_pause_days:
                checked = replace(checked, reply_pause_days=reply_pause)
            self.parsed[v.id] = checked
        self.snapshot_set = snapshot_set
        # Israel's consumer ladder is for consumers only; the UK's for every individual
        self.consumers_only = policies.consumers_only(ctx.org.country)

    def version_for(self, customer_id: int):
        takers = self.snapshot_set.consumers if self.consumers_only else self.snapshot_set.consumer
        return policies.choose_version(self.snapshot_set.policy_of.get(customer_id),
                                       customer_id in takers, self.versions,
                                       self.consumer_version, self.default)

    def __call__(self, snapshot):
        return self.parsed[self.version_for(snapshot.customer_id).id]

    def policy_of_version(self, version) -> CorePolicy:
        return self.parsed[version.id]

    def pre_due_days(self) -> int:
        offsets = [p.pre_due_offset for p in self.parsed.values() if p.pre_due_offset is not None]
        return max((-o for o in offsets), default=0)


HOLD_CODES = ("stale_data", "sending_off", "do_not_chase", "paused", "reply_pause", "request_pending", "below_minimum",
              "awaiting_call_outcome", "awaiting_warning_sent", "no_delivery_confirmation",
              "awaiting_delivery_confirmation", "no_warning_sent", "allocation_number_missing",
              "debt_notice_window_missed", "debt_notice_needed")


def _summarize_holds(decisions: list[Decision]) -> list[dict]:
    """What the run held back and why: customers per reason (the first that applies), with the
    stale-data explanation when that is the reason."""
    by: dict[str, int] = {}
    detail: dict[str, dict] = {}
    for d in decisions:
        if not d.held:
            continue
        codes = [r.code for r in d.reasons]
        code = next((c for c in HOLD_CODES if c in codes), "held")
        by[code] = by.get(code, 0) + 1
        if code == "stale_data" and code not in detail:
            detail[code] = dict(next(r for r in d.reasons if r.code == "stale_data").params)
    return [{"reason": k, "customers": v, **({"details": detail[k]} if k in detail else {})}
            for k, v in sorted(by.items())]


def run(ctx: Ctx, now: datetime | None = None, dry_run: bool = False, progress: Progress = None) -> RunReport:
    """Run the ladder for every customer of the organization on the business day of ``now``.

    Idempotent: running again on the same day changes nothing (the cases already moved and
    the outbox keys are unique); each run that is not a dry run leaves a :class:`RunRecord`.
    """
    ctx.require("collector", "running the daily run")
    now = now or clock.now_utc()
    today = clock.org_today(ctx.org, now)
    report = RunReport(run_date=today, dry_run=dry_run)
    with transaction.atomic(), _gc_paused():
        # The write lock first: SQLite transactions are IMMEDIATE (see gvia.dburl), PostgreSQL
        # locks the organization's row; a second run waits here and then sees what this one did.
        org = Organization.objects.select_for_update().get(id=ctx.org.id)
        ctx = Ctx(org, ctx.user, ctx.role)
        cal = org_calendar(org)
        settings = run_settings(org, today)
        # Arrangements first (promises kept or broken, installments missed, settlements paid or
        # lapsed): they change the pauses the ladder reads next.
        report.arrangements = apply_arrangements(ctx, today, now)
        chooser = PolicyChooser(ctx)
        snaps = engine_store.load_snapshots(org.id, today, chooser.pre_due_days(),
                                            written_basis=written_basis_reader(org),
                                            debt_notices=debt_notices.reader(org))
        chooser.snapshot_set = snaps
        report.customers = len(snaps.snapshots)
        if progress:
            progress("decide", 0, len(snaps.snapshots))
        decisions = decide_all(snaps.snapshots, chooser, today, cal, settings)
        if progress:
            progress("decide", len(snaps.snapshots), len(snaps.snapshots))
        report.decisions = decisions
        used = {chooser.version_for(s.customer_id) for s in snaps.snapshots} or {chooser.default}
        report.policy_versions = [_version_record(v, chooser) for v in sorted(used, key=lambda v: v.id)]
        report.held_back = _summarize_holds(decisions)
        counts: dict[str, int] = {}
        for d in decisions:
            counts[d.kind] = counts.get(d.kind, 0) + 1
        report.counts = counts
        if dry_run:
            report.held = holds.held_list(ctx)
            transaction.set_rollback(True)
            return report
        record = RunRecord.objects.create(organization=org, run_date=today, started_at=now, dry_run=False,
                                          policy_versions=report.policy_versions, actor=ctx.actor)
        by_id = {s.customer_id: s for s in snaps.snapshots}
        version_of = {s.customer_id: chooser.version_for(s.customer_id).id for s in snaps.snapshots}
        lang = org.default_language or "en"

        def describe(decision: Decision, snapshot) -> str:
            return explain_decision(decision, snapshot, chooser(snapshot), lang)

        changed = [d for d in decisions if d.changes_state]
        counts = engine_store.save_decisions(org.id, changed, now, today, record.id, version_of, by_id,
                                             snaps.cases, describe, snaps.collector_of,
                                             lambda cid, key: chooser(by_id[cid]).stage(key).approval)
        debt_notices.record_planned(org, changed, now)     # which charges each consumer debt notice lists
        for d in decisions:
            if not d.changes_state:
                counts[d.kind] = counts.get(d.kind, 0) + 1
        webhook_events.stage_changes(org, changed, by_id, today, now)
        # before anyone is asked to approve: a letter that cannot be produced for want of details
        # the business can fill in is held with what to fill in, and the held ones are checked again
        released = holds.recheck(ctx, today, now)
        held = holds.hold_unproducible(ctx, record.id, today, now)
        counts.update({k: v for k, v in (("messages_held", held), ("messages_released", released)) if v})
        report.held = holds.held_list(ctx)
        report.counts = counts
        if progress:
            progress("apply", len(changed), len(changed))
        if len(changed) > 1000:   # a big first run: let the planner see the new rows
            refresh_statistics(["gvia_case", "gvia_activity", "gvia_outboxmessage", "gvia_task", "gvia_pause",
                                "gvia_allocation"])
        _aging_snapshot(ctx, org, today)
        counts.update({k: v for k, v in report.arrangements.items() if v})
        record.counts = counts
        record.held_back = report.held_back
        record.finished_at = clock.now_utc()
        record.save(update_fields=["counts", "held_back", "finished_at"])
        audit.record(ctx, "run.done", record, run_date=today.isoformat(), counts=counts, held_back=report.held_back)
        report.run_id = record.id
    return report


@contextmanager
def _gc_paused():
    """The run builds hundreds of thousands of small acyclic objects (snapshots, decisions, rows);
    the cyclic collector walking them again and again would cost a third of the time."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _version_record(version, chooser: PolicyChooser) -> dict:
    out = {"policy": version.policy.name, "version": version.version, "fingerprint": version.fingerprint}
    effective = chooser.policy_of_version(version).fingerprint
    if effective != version.fingerprint:
        out["effective_fingerprint"] = effective
        out["note"] = "reply_pause_days overridden by the organization's settings"
    return out


def _aging_snapshot(ctx: Ctx, org: Organization, today: date) -> None:
    rep, _unapplied = ledger.aging(ctx, today)
    data = rep.to_json_dict()
    for cur, buckets in data["currencies"].items():
        AgingSnapshot.objects.update_or_create(
            organization=org, date=today, currency=cur,
            defaults={"buckets": buckets, "open_minor": _minor(buckets["total"], cur),
                      "overdue_minor": _minor(buckets["total"], cur) - _minor(buckets["not_due"], cur)})


def _minor(text: str, cur: str) -> int:
    return Money.of(text, cur).minor


_MESSAGE_STATES = {
    "en": {"awaiting_approval": "awaiting approval", "queued": "queued to be sent", "held": "held back",
           "sending": "being sent", "failed": "failed to send — a person must look at it",
           "uncertain": "uncertain whether it was received — a person must check"},
    "he": {"awaiting_approval": "ממתין לאישור", "queued": "בתור לשליחה", "held": "מעוכב",
           "sending": "בשליחה", "failed": "השליחה נכשלה — נדרשת בדיקה",
           "uncertain": "לא ידוע אם התקבל — נדרשת בדיקה"},
}
_MESSAGE_LINE = {"en": "Message {id} ({stage}, {channel}): {state}", "he": "הודעה {id} ({stage}, {channel}): {state}"}
_HELD_FOR = {"en": "details to fill in before it can be approved: {codes}",
             "he": "יש להשלים פרטים לפני שניתן לאשר: {codes}"}


@dataclass(frozen=True)
class Explanation:
    """``gvia explain`` in parts: ``lines`` where the customer stands and why and what happens
    next (or that nothing is open), ``arrangements`` the arrangements in force (one line each),
    ``messages`` the case's messages that have not gone out yet (one line each); ``next_step``
    the ladder's next stage and its day as decided today (a pause moves the day: ``set_by`` is
    "pause")."""
    lines: list[str]
    arrangements: list[str]
    messages: list[str]
    next_step: NextStep | None = None

    @property
    def text(self) -> str:
        return "\n".join([*self.lines, *self.arrangements, *self.messages])


def explain(ctx: Ctx, customer_ref: str, now: datetime | None = None, lang: str | None = None) -> str:
    """Where the customer stands and why, what happens next and when — in words — followed by
    the arrangements in force and the messages of the case that have not gone out yet."""
    return explain_parts(ctx, ledger.get_customer(ctx, customer_ref), now, lang).text


def _when_asked(make: Callable[[], Callable[[int, str], bool]]) -> Callable[[int, str], bool]:
    """:func:`explain_parts`' reader of the written basis, made (its queries run) only when the
    snapshots ask it: a customer with nothing due and no case running asks nothing."""
    made: list[Callable[[int, str], bool]] = []

    def has(customer_id: int, lang: str) -> bool:
        if not made:
            made.append(make())
        return made[0](customer_id, lang)

    return has


def explain_parts(ctx: Ctx, customer, now: datetime | None = None, lang: str | None = None,
                  chooser: PolicyChooser | None = None, records: Records | None = None) -> Explanation:
    """:func:`explain` for ``customer`` (the organization's: the caller found it so), in parts;
    ``chooser``: the organization's policies, ``records``: the customer's arrangement records
    (:func:`gvia.services.arrangements.describe.records_of`), when the caller has read them already."""

    now = now or clock.now_utc()
    today = clock.org_today(ctx.org, now)
    chooser = chooser or PolicyChooser(ctx)
    snaps = engine_store.load_snapshots(ctx.org.id, today, chooser.pre_due_days(), customer_ids=[customer.id],
                                        written_basis=_when_asked(lambda: written_basis_reader(ctx.org, [customer.id])),
                                        debt_notices=debt_notices.reader(ctx.org, [customer.id]))
    chooser.snapshot_set = snaps
    language = "he" if (lang or customer.language or ctx.org.default_language) == "he" else "en"
    arrangements = describe_arrangements(ctx, customer, today, language, records)
    if not snaps.snapshots:
        if arrangements:
            return Explanation([], arrangements, [])
        text = ("אין ללקוח חשבוניות פתוחות ואין תהליך גבייה פעיל." if language == "he"
                else f"{customer.name} has nothing open and no collection case running.")
        if customer.do_not_chase:
            text += (" הלקוח מסומן 'לא לגבות'." if language == "he"
                     else " The customer is marked 'do not chase'.")
        return Explanation([text], [], [])
    snap = snaps.snapshots[0]
    policy = chooser(snap)
    decision = decide_all([snap], chooser, today, org_calendar(ctx.org), run_settings(ctx.org, today))[0]
    messages = []
    pending = OutboxMessage.objects.filter(customer=customer, status__in=list(_MESSAGE_STATES["en"])).order_by("id")
    for m in pending:
        idx = policy.index_of(m.stage_key)
        stage = policy.stages[idx].name(language) if idx is not None else (m.stage_key or m.document)
        line = _MESSAGE_LINE[language].format(id=m.id, stage=stage, channel=m.channel,
                                              state=_MESSAGE_STATES[language][m.status])
        # the document the ladder chose instead of the stage's own, and why (core.explain's words)
        for code, params in m.reasons or ():
            if code == "fallback_document":
                line += "; " + explain_reason(Reason(code, params), policy, language)
        if m.status == OutboxMessage.Status.HELD and holds.held_codes(m):
            line += "; " + _HELD_FOR[language].format(codes=", ".join(holds.held_codes(m)))
        messages.append(line + ".")
    # Israel's suppliers' payment law: each open invoice's legal payment day and why
    law = suppliers_law.explain_lines(ctx, customer, language)
    return Explanation([*explain_decision(decision, snap, policy, language).splitlines(), *law], arrangements,
                       messages, decision.next_step)

"""The escalation engine's commands: run, explain, worker, settings, policy, worklist,
approvals, outbox, pause, activity, call, mail.

Every command that depends on the clock takes ``--now`` (a date, or an ISO date-time in the
organization's time zone) so any day can be replayed. Exit 0 done, 1 refused, 2 wrong usage.

Services, the store and Django are imported inside each command: they need django.setup(),
which :func:`gvia.cli.state.context` does first, and `gvia --help` starts without them.
"""

from __future__ import annotations

import sys
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Callable, List, Optional, TypedDict

import typer

from .app import app
from .output import Format, console, err_console, print_json, print_rows
from .parsing import date_option, now_option
from .progress import progress_bar
from .state import GLOBALS, context
from .words import t, tn, value_text

NOW_HELP = "Replay the clock: a date (09:00 that day) or an ISO date-time, in the organization's time zone"

settings_app = typer.Typer(help="The organization's settings: show, set KEY VALUE, unset KEY.", no_args_is_help=True)
policy_app = typer.Typer(help="Escalation policies: show, load FILE, assign CUSTOMER_REF.", no_args_is_help=True)
approvals_app = typer.Typer(help="Messages awaiting approval: list, approve ID, reject ID.", no_args_is_help=True)
outbox_app = typer.Typer(help="The outbox: list, resolve ID --sent|--not-sent.", no_args_is_help=True)
activity_app = typer.Typer(help="The customer's timeline: add a reply or a note.", no_args_is_help=True)
call_app = typer.Typer(help="Phone calls: log the outcome of a call.", no_args_is_help=True)
mail_app = typer.Typer(help="E-mail: test the settings; record registered letters.", no_args_is_help=True)
for _sub, _name in ((settings_app, "settings"), (policy_app, "policy"), (approvals_app, "approvals"),
                    (outbox_app, "outbox"), (activity_app, "activity"), (call_app, "call"), (mail_app, "mail")):
    app.add_typer(_sub, name=_name)


# --- parsing helpers -------------------------------------------------------------------------

_now = now_option
_date = date_option


def _held_words(codes: list[str]) -> str:
    """What a message held for details waits for, in the reader's words (held.<code>; a code
    without words as it is)."""
    out = []
    for code in codes:
        try:
            out.append(t(f"held.{code}"))
        except KeyError:
            out.append(code)
    return "; ".join(out)


def _local(ctx, moment: datetime) -> str:
    from gvia.services.clock import to_local

    return to_local(ctx.org, moment).strftime("%Y-%m-%d %H:%M")


# --- run, explain ----------------------------------------------------------------------------

@app.command()
def run(
    now: Optional[str] = typer.Option(None, "--now", help=NOW_HELP),
    dry_run: bool = typer.Option(False, "--dry-run", help="Decide and report, change nothing"),
    fmt: Format = typer.Option(Format.table, "--format"),
) -> None:
    """The daily run: walk every late customer up the ladder (snapshot, decide, apply)."""
    ctx = context()
    from gvia.services.engine import daily_run

    moment = _now(ctx, now)
    with progress_bar(None if fmt == Format.table else False) as progress:
        report = daily_run.run(ctx, moment, dry_run=dry_run, progress=progress)
    data = report.as_dict()
    if fmt == Format.json:
        print_json(data)
        return
    rows = [[k, v] for k, v in sorted(report.counts.items())]
    print_rows(["what", "customers"], rows, fmt,
               title=t("run.title_dry" if dry_run else "run.title", day=report.run_date))
    if fmt == Format.table:
        console.print(t("run.looked_at", n=report.customers, policies=", ".join(
            f"{v['policy']} v{v['version']}" for v in report.policy_versions)), highlight=False)
        for h in report.held_back:
            extra = ""
            if h["reason"] == "stale_data" and h.get("details"):
                d = h["details"]
                extra = t("run.stale_details", last_import=d["last_import"], business_days=d["business_days"],
                          limit=d["limit"])
            console.print(t("run.held_back", customers=h["customers"], reason=h["reason"], details=extra),
                          highlight=False)
        for h in report.held:        # letters held before approval for details to fill in
            console.print(t("run.held", customer=h["customer"], stage=h["stage"],
                            missing=_held_words(h["reasons"])), highlight=False, markup=False)


@app.command()
def explain(
    customer_ref: str = typer.Argument(..., help="The customer's reference"),
    now: Optional[str] = typer.Option(None, "--now", help=NOW_HELP),
    lang: Optional[str] = typer.Option(None, "--lang", help="he or en (default: the customer's language)"),
) -> None:
    """Where the customer stands on the ladder and why, what happens next and when, and until
    when its earliest open invoice can be claimed in court (limitation)."""
    ctx = context()
    from gvia.services import clock
    from gvia.services.engine import daily_run
    from gvia.services.ledger import books
    from gvia.services.legal.limitation import customer_limitation

    from .limitation_words import limitation_line

    if lang not in (None, "he", "en"):
        raise typer.BadParameter(t("bad.explain_lang", languages="he, en"))
    moment = _now(ctx, now)
    console.print(daily_run.explain(ctx, customer_ref, moment, lang), highlight=False, markup=False)
    customer = books.get_customer(ctx, customer_ref)
    found = customer_limitation(ctx, customer, clock.org_today(ctx.org, moment))
    if found is not None:
        language = "he" if (lang or customer.language or ctx.org.default_language) == "he" else "en"
        console.print(limitation_line(found, language), highlight=False, markup=False)


# --- worker ----------------------------------------------------------------------------------

def _waiting_out_faults(step: Callable[[], object]) -> None:
    """Run ``step`` until the machine lets it: a full disk or a PostgreSQL server not answering is
    said in one line and tried again (waiting longer each time, at most a minute)."""
    import time

    from django.db import connection

    from gvia.services.faults import WAIT_CODES, classify

    wait = 1.0
    while True:
        try:
            step()
            return
        except Exception as exc:
            fault = classify(exc)
            if fault is None or fault.code not in WAIT_CODES:
                raise
            print(t(f"worker.wait.{fault.code}", detail=fault.detail, seconds=f"{wait:.0f}"), flush=True)
            connection.close()
            time.sleep(wait)
            wait = min(60.0, wait * 2)


@app.command()
def worker(
    once: bool = typer.Option(False, "--once", help="Dispatch what is due now, then exit"),
    now: Optional[str] = typer.Option(None, "--now", help=NOW_HELP + "; without --once the clock starts there"),
    poll: float = typer.Option(5.0, "--poll", help="Seconds between looks at the outbox"),
    no_daily: bool = typer.Option(False, "--no-daily-run", help="Do not run the daily run (dispatch only)"),
    standby: bool = typer.Option(False, "--standby",
                                 help="SQLite: wait for the running worker to stop, then take over"),
) -> None:
    """The worker: the daily run at its time, then sending the outbox (SIGTERM stops it cleanly)."""
    from .bootstrap import ensure_schema, setup_django

    setup_django(GLOBALS.db, migrate=False)
    if once:
        ensure_schema()
    else:     # a full disk (or PostgreSQL away) when the worker starts is waited out like later ones
        _waiting_out_faults(ensure_schema)
    from gvia.services.clock import now_utc, parse_now
    from gvia.services.context import resolve
    from gvia.services.engine.worker import Clock, Worker
    from gvia.store.models import Organization

    start = None
    if now:
        org = None
        if GLOBALS.org or Organization.objects.count() == 1:
            org = resolve(GLOBALS.org).org
        try:
            start = parse_now(org, now) if org else datetime.fromisoformat(now)
        except ValueError:
            raise typer.BadParameter(t("bad.now_worker", value=repr(now)))
        if start.tzinfo is None:
            raise typer.BadParameter(t("bad.now_zone"))

    def log(text: str) -> None:
        stamp = (now_utc() + w.clock.offset).strftime("%Y-%m-%d %H:%M:%SZ")
        print(f"{stamp} {text}", flush=True)

    w = Worker(clock=Clock.starting_at(start), poll_seconds=poll, daily=not no_daily, log=log, standby=standby)
    if once:
        report = w.once()
        d = report.as_dict()
        console.print(t("worker.dispatched", counts=", ".join(f"{k} {v}" for k, v in d.items() if v))
                      if any(d.values()) else t("worker.nothing"), highlight=False)
        for e in report.errors:
            err_console.print(f"  • {e}", highlight=False, markup=False)
        return
    w.forever(on_report=lambda r: log(t("worker.log_dispatched",
                                        counts=", ".join(f"{k} {v}" for k, v in r.as_dict().items() if v))))


# --- settings --------------------------------------------------------------------------------

@settings_app.command("show")
def settings_show(fmt: Format = typer.Option(Format.table, "--format")) -> None:
    """Every setting with its value and where it comes from."""
    ctx = context()
    from gvia.services import settings

    rows = settings.show(ctx)
    if fmt == Format.json:
        print_json(rows)
        return
    print_rows(["key", "value", "source", "help"], [[r["key"], r["value"], r["source"], r["help"]] for r in rows], fmt,
               title=t("settings.title"))


@settings_app.command("set")
def settings_set(key: str = typer.Argument(...), value: str = typer.Argument(...)) -> None:
    """Change one setting (checked; an unknown key or a bad value changes nothing)."""
    ctx = context()
    from gvia.services import settings

    stored = settings.set_setting(ctx, key, value)
    shown = "********" if settings.SETTINGS[key].secret else stored
    console.print(f"{key} = {shown}", highlight=False, markup=False)


@settings_app.command("unset")
def settings_unset(key: str = typer.Argument(...)) -> None:
    """Back to the default (or the environment)."""
    ctx = context()
    from gvia.services import settings

    settings.unset_setting(ctx, key)
    console.print(t("settings.unset", key=key), highlight=False, markup=False)


# --- policy ----------------------------------------------------------------------------------

class _StageRow(TypedDict):
    """One stage of a policy as `gvia policy show` prints it (and writes it in JSON)."""

    key: str
    name: str
    enabled: bool
    when: str
    min_amount: dict[str, str]
    actions: list[str]
    approval: bool
    wait_days: int
    deadline_days: int | None
    notice_days: int | None


def _when(stage) -> str:
    kind = "business" if stage.day_kind == "business" else "calendar"
    if stage.after_due_days is not None:
        n = stage.after_due_days
        if not n:
            return t("policy.when.on_due")
        return tn(f"policy.when.{'after' if n > 0 else 'before'}_due.{kind}", abs(n))
    return tn(f"policy.when.after_previous.{kind}", stage.after_previous_days)


@policy_app.command("show")
def policy_show(
    name: Optional[str] = typer.Option(None, "--name", help="Which policy (default: the default one)"),
    text: bool = typer.Option(False, "--text", help="Print the TOML text"),
    lang: str = typer.Option("en", "--lang"),
    fmt: Format = typer.Option(Format.table, "--format"),
) -> None:
    """The policies, and the stages of one of them."""
    ctx = context()
    from gvia.core.errors import NotFound
    from gvia.services.engine import policies
    from gvia.store.models import Customer, Policy

    default, versions = policies.policies_in_force(ctx)
    chosen = default
    if name:
        p = Policy.objects.filter(organization=ctx.org, name=name).first()
        if p is None:
            raise NotFound(t("policy.not_found", name=repr(name)))
        chosen = versions[p.id]
    if text:
        sys.stdout.write(chosen.text)
        return
    checked = policies.parse(chosen)
    listing = []
    for pid, v in sorted(versions.items()):
        listing.append({"name": v.policy.name, "default": v.policy.is_default, "version": v.version,
                        "fingerprint": v.fingerprint,
                        "customers_assigned": Customer.objects.filter(organization=ctx.org, policy_id=pid).count()})
    stages: list[_StageRow] = [
        {"key": s.key, "name": s.name(lang), "enabled": s.enabled, "when": _when(s),
         "min_amount": {c: str(a) for c, a in s.min_amount.items()},
         # a fallback after "|": the document sent instead when the debt does not fit the route
         "actions": [f"{a.channel}:{a.document}" + (f"|{a.fallback}" if a.fallback else "")
                     + (f"+{'+'.join(a.attach)}" if a.attach else "") for a in s.actions],
         "approval": s.approval, "wait_days": s.wait_days, "deadline_days": s.deadline_days,
         "notice_days": s.notice_days} for s in checked.stages]
    if fmt == Format.json:
        print_json({"policies": listing, "shown": {"name": chosen.policy.name, "version": chosen.version,
                                                   "start_mode": checked.start_mode,
                                                   "min_spacing_days": checked.min_spacing_days,
                                                   "reply_pause_days": checked.reply_pause_days,
                                                   "call_attempts": checked.call_attempts, "stages": stages}})
        return
    print_rows(["name", "default", "version", "fingerprint", "customers_assigned"],
               [list(p.values()) for p in listing], fmt, title=t("policy.title_list"))
    print_rows(["key", "name", "enabled", "when", "min_amount", "actions", "approval", "wait_days", "deadline_days",
                "notice_days"],
               [[s["key"], s["name"], s["enabled"], s["when"],
                 ", ".join(f"{a} {c}" for c, a in s["min_amount"].items()),
                 ", ".join(s["actions"]), s["approval"], s["wait_days"], s["deadline_days"], s["notice_days"]]
                for s in stages], fmt,
               title=t("policy.title_stages", name=chosen.policy.name, version=chosen.version,
                       start_mode=checked.start_mode, spacing=checked.min_spacing_days,
                       reply_pause=checked.reply_pause_days, attempts=checked.call_attempts))


@policy_app.command("load")
def policy_load(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A policy in TOML"),
    name: Optional[str] = typer.Option(None, "--name", help="Store under this name (default: the file's name)"),
    default: bool = typer.Option(False, "--default", help="Make it the organization's default policy"),
) -> None:
    """Check a policy file and store it (a changed text becomes a new version)."""
    ctx = context()
    from gvia.services.engine import policies

    version = policies.save_policy(ctx, file.read_text(encoding="utf-8"), str(file), name=name,
                                   make_default=True if default else None)
    console.print(t("policy.loaded_default" if version.policy.is_default else "policy.loaded",
                    name=repr(version.policy.name), version=version.version, fingerprint=version.fingerprint),
                  highlight=False, markup=False)


@policy_app.command("assign")
def policy_assign(
    customer_ref: str = typer.Argument(...),
    policy: Optional[str] = typer.Option(None, "--policy", help="Policy name (omit: back to the default)"),
) -> None:
    """Give a customer another policy than the default."""
    ctx = context()
    from gvia.services.engine import policies

    customer = policies.assign(ctx, customer_ref, policy)
    console.print(t("policy.assigned", name=customer.name, ref=customer.ref, policy=repr(policy)) if policy
                  else t("policy.assigned_default", name=customer.name, ref=customer.ref),
                  highlight=False, markup=False)


# --- worklist, approvals, outbox -------------------------------------------------------------

#: The columns of each worklist section's table: keys of its rows in ``--format json``
#: (:func:`gvia.services.engine.worklist.row_json`), worded as ``col.<key>``. A section not named
#: here shows every key of its rows but the ids and the call script.
WORKLIST_COLUMNS = {
    "calls": ("task_id", "customer", "customer_name", "due", "stage", "phones", "open_items", "calls_so_far"),
    "approvals": ("id", "customer", "customer_name", "stage", "channel", "document", "planned_for", "needs_owner"),
    "failed": ("id", "customer", "customer_name", "stage", "channel", "planned_for", "last_error"),
    "uncertain": ("id", "customer", "customer_name", "stage", "channel", "planned_for", "last_error"),
    "replies": ("task_id", "customer", "customer_name", "day", "text"),
    "allocation_numbers": ("customer", "customer_name", "number", "due_date", "amount"),
    "debt_notices": ("customer", "customer_name", "number", "due_date", "last_day", "amount"),
    "suppliers_law": ("customer", "customer_name", "number", "due_date", "law_day", "amount"),
    "credit_hold": ("customer", "customer_name", "days_overdue", "overdue", "after_days", "above"),
    "portal_requests": ("customer", "customer_name", "kind", "day", "amount", "due", "note"),
    "unmatched_replies": ("inbound_id", "day", "mail_kind", "from_addr", "subject", "text"),
    "suggested_promises": ("suggestion_id", "customer", "customer_name", "day", "said_in", "due", "amount",
                           "sentence"),
    "failing_addresses": ("customer", "customer_name", "day", "address", "status"),
    "chase_first": ("customer", "customer_name", "overdue", "estimated", "unconverted", "score", "days_overdue",
                    "groups"),
    "sync_stale": ("provider", "last_success", "sync_error"),
}


def _worklist_cell(key: str, value) -> object:
    """A value of ``row_json`` as one table cell."""
    if isinstance(value, dict) and set(value) == {"amount", "currency"}:
        return f"{value['amount']} {value['currency']}"
    if key == "phones":
        return ", ".join(p.get("phone", "") for p in value)
    if key == "open_items":
        return ", ".join(f"{i['number']} ({_worklist_cell('open', i['open'])})" for i in value)
    if key == "calls_so_far":
        return len(value)
    if key == "needs_owner":
        return t("worklist.owner_approves") if value else ""
    if key == "text":
        return value[:80]
    if key == "last_error":     # the latest entry of a message's log, in the language spoken
        return value_text(value) if value else ""
    if key == "mail_kind":      # a message read from the reply mailbox
        return t(f"mailbox.kind.{value}")
    if key == "said_in":        # where a suggested promise was read
        return t(f"suggestion.source.{value}")
    if key == "kind":           # what a customer asked for on their page
        return t(f"portal_request.kind.{value}")
    if key == "groups":         # who to chase first: the groups a customer is in
        return ", ".join(t(f"worklist.group.{g}") for g in value)
    if key == "estimated":      # an amount converted at the latest rate on file
        return t("worklist.estimated") if value else ""
    if key == "sync_error":     # an invoicing service's last failed sync (issue 18)
        return t(f"sync.error.{value}") if value else ""
    if key == "last_success":   # its last successful sync, in the organization's time
        return str(value)[:16].replace("T", " ") if value else "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


@app.command()
def worklist(
    now: Optional[str] = typer.Option(None, "--now", help=NOW_HELP),
    mine: bool = typer.Option(False, "--mine", help="Only calls assigned to me (or to nobody)"),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="At most this many rows of each section"),
    chase_first: bool = typer.Option(False, "--chase-first",
                                     help="Who to chase first: every overdue customer, the first to chase first"),
    group: Optional[str] = typer.Option(None, "--group",
                                        help="Who to chase first, of one group: at_risk, promise_due_today or "
                                             "quick_win (implies --chase-first)"),
    fmt: Format = typer.Option(Format.table, "--format"),
) -> None:
    """What needs a person today, section by section, as the web's worklist shows it: calls,
    approvals, failed and uncertain messages, replies, promises due and broken, missed
    installments, disputes open too long, debts nearing limitation; --chase-first instead: every
    overdue customer, the first to chase first (--group at_risk|promise_due_today|quick_win: one
    group of them). --format json prints
    {"day", "sections": [{"key", "count", "rows"}]} (gvia.services.engine.worklist)."""
    ctx = context()
    from gvia.services.clock import org_today
    from gvia.services.engine import worklist as service

    mine_user = ctx.user if mine and getattr(ctx.user, "pk", None) else None
    from gvia.core.worklist_order import GROUPS
    if group is not None and group not in GROUPS:
        raise typer.BadParameter(t("worklist.group_unknown", groups=", ".join(GROUPS)), param_hint="--group")
    day = org_today(ctx.org, _now(ctx, now))
    if chase_first or group:        # the lens alone, as the web's ?show=chase_first[&group=…]
        work = service.Worklist(day, {"chase_first": service.section(ctx, "chase_first", day, per_page=limit,
                                                                     group=group or "")})
    else:
        work = service.worklist(ctx, day, per_page=limit, mine=mine_user)
    data = service.as_json(work)
    if fmt == Format.json:
        print_json(data)
        return
    for shown in data["sections"]:
        rows = shown["rows"]
        keys = WORKLIST_COLUMNS.get(shown["key"]) or tuple(
            k for k in (rows[0] if rows else {}) if k not in ("customer_id", "script") and not k.endswith("_id"))
        print_rows(list(keys), [[_worklist_cell(k, r.get(k)) for k in keys] for r in rows], fmt,
                   title=t("worklist.title", section=t(f"worklist.section.{shown['key']}"), n=shown["count"],
                           day=data["day"]))
        if fmt == Format.table and shown["key"] == "calls" and rows:
            console.print(t("worklist.script", script=" / ".join(rows[0]["script"])), highlight=False,
                          markup=False)


@approvals_app.command("list")
def approvals_list(fmt: Format = typer.Option(Format.table, "--format")) -> None:
    """Messages awaiting approval."""
    ctx = context()
    from gvia.services.engine import approvals

    msgs = approvals.pending(ctx)
    rows = [[m.id, m.customer.ref, m.customer.name, m.stage_key, m.channel, m.document, m.planned_for,
             "owner" if m.needs_approval else "collector"] for m in msgs]
    print_rows(["id", "customer", "name", "stage", "channel", "document", "planned_for", "who_approves"], rows, fmt,
               title=t("worklist.approvals"))


@approvals_app.command("approve")
def approvals_approve(message_id: int = typer.Argument(...),
                      now: Optional[str] = typer.Option(None, "--now", help=NOW_HELP)) -> None:
    """Queue a message for sending."""
    ctx = context()
    from gvia.core.errors import ValidationFailed
    from gvia.services.engine import approvals, holds

    try:
        msg = approvals.approve(ctx, message_id, _now(ctx, now))
    except holds.HeldForDetails as exc:
        # in the reader's words; each detail is then listed with where to set it
        raise ValidationFailed(exc.problems, t("approvals.held", id=exc.message_id, document=exc.document,
                                               missing=_held_words(exc.codes))) from None
    console.print(t("approvals.approved", id=msg.id, document=msg.document, channel=msg.channel,
                    name=msg.customer.name),
                  highlight=False, markup=False)


@approvals_app.command("reject")
def approvals_reject(message_id: int = typer.Argument(...),
                     reason: str = typer.Option("", "--reason"),
                     now: Optional[str] = typer.Option(None, "--now", help=NOW_HELP)) -> None:
    """Refuse a message: it never goes out."""
    ctx = context()
    from gvia.services.engine import approvals

    msg = approvals.reject(ctx, message_id, reason, _now(ctx, now))
    console.print(t("approvals.rejected", id=msg.id), highlight=False)
    from gvia.services.engine import rejections

    if rejections.waiting_choice(msg.customer):      # the case holds until a person chooses
        console.print(t("approvals.rejected_holds", ref=msg.customer.ref), highlight=False, markup=False)


class RejectionChoice(str, Enum):
    replan = "replan"
    skip = "skip"
    pause = "pause"


@approvals_app.command("after-rejection")
def approvals_after_rejection(
        customer_ref: str = typer.Argument(..., help="The customer whose case waits after a rejected message"),
        choice: RejectionChoice = typer.Option(..., "--choice", help="replan: ask for approval again; skip: the "
                                                                    "stage is passed; pause: until --until"),
        until: Optional[str] = typer.Option(None, "--until", help="For a pause: its last day (YYYY-MM-DD)"),
        reason: str = typer.Option("", "--reason", help="For a pause: why"),
        now: Optional[str] = typer.Option(None, "--now", help=NOW_HELP)) -> None:
    """What happens after a rejected message: plan it again, skip the stage, or pause."""
    ctx = context()
    from gvia.services.engine import rejections
    from gvia.services.ledger import books

    customer = books.get_customer(ctx, customer_ref)
    rejections.choose(ctx, customer, choice.value, until=date_option(until, "--until"), reason=reason,
                      now=_now(ctx, now))
    console.print(t(f"approvals.after_rejection.{choice.value}", ref=customer.ref), highlight=False, markup=False)


class MessageStatus(str, Enum):
    awaiting_approval = "awaiting_approval"
    queued = "queued"
    held = "held"
    sending = "sending"
    sent = "sent"
    failed = "failed"
    uncertain = "uncertain"
    rejected = "rejected"
    cancelled = "cancelled"


@outbox_app.command("list")
def outbox_list(
    status: Optional[MessageStatus] = typer.Option(None, "--status"),
    customer: Optional[str] = typer.Option(None, "--customer"),
    limit: int = typer.Option(200, "--limit"),
    fmt: Format = typer.Option(Format.table, "--format"),
) -> None:
    """Messages, newest first."""
    ctx = context()
    from gvia.core import message_log
    from gvia.services.sending import outbox

    msgs = outbox.list_messages(ctx, status.value if status else None, customer, limit)
    rows = [[m.id, m.customer.ref, m.stage_key, m.channel, m.document, m.status, m.planned_for,
             _local(ctx, m.sent_at) if m.sent_at else "", m.attempts, m.subject,
             value_text(message_log.last(m.log)) if m.log else ""] for m in msgs]
    print_rows(["id", "customer", "stage", "channel", "document", "status", "planned_for", "sent_at", "attempts",
                "subject", "note"], rows, fmt, title=t("outbox.title"))


@outbox_app.command("resolve")
def outbox_resolve(
    message_id: int = typer.Argument(...),
    sent: bool = typer.Option(False, "--sent", help="The customer did receive it"),
    not_sent: bool = typer.Option(False, "--not-sent", help="It did not arrive: queue it again"),
) -> None:
    """Decide about an uncertain or failed message."""
    ctx = context()
    from gvia.services.sending import outbox

    if sent == not_sent:
        raise typer.BadParameter(t("bad.sent_or_not"))
    msg = outbox.resolve(ctx, message_id, sent=sent)
    console.print(t("outbox.resolved_sent" if sent else "outbox.resolved_not_sent", id=msg.id), highlight=False)


# --- pause, activity, call -------------------------------------------------------------------

@app.command()
def pause(
    customer_ref: str = typer.Argument(...),
    until: str = typer.Option(..., "--until", help="Last day of the pause"),
    reason: str = typer.Option(..., "--reason"),
    now: Optional[str] = typer.Option(None, "--now", help=NOW_HELP),
) -> None:
    """Pause a customer's case until a date, for a reason."""
    ctx = context()
    from gvia.services.engine import pauses

    p = pauses.pause(ctx, customer_ref, _date(until, "--until"), reason, _now(ctx, now))
    console.print(t("pause.done", name=p.customer.name, ref=p.customer.ref, until=p.until, reason=p.reason),
                  highlight=False, markup=False)


class ActivityKind(str, Enum):
    reply = "reply"
    note = "note"


@activity_app.command("add")
def activity_add(
    customer_ref: str = typer.Argument(...),
    kind: ActivityKind = typer.Option(..., "--kind"),
    text: str = typer.Option(..., "--text"),
    by: str = typer.Option("", "--from", help="Who at the customer answered (a reply)"),
    now: Optional[str] = typer.Option(None, "--now", help=NOW_HELP),
) -> None:
    """Record a reply from the customer (pauses automatic messages) or a note."""
    ctx = context()
    from gvia.services.engine import activities

    a = activities.add(ctx, customer_ref, kind.value, text, _now(ctx, now), by=by)
    console.print(t(f"activity.recorded_{kind.value}", ref=a.customer.ref, day=a.date), highlight=False)


class Outcome(str, Enum):
    promised = "promised"
    disputed = "disputed"
    refused = "refused"
    no_answer = "no-answer"
    wrong_number = "wrong-number"
    call_back = "call-back"


@call_app.command("log")
def call_log(
    customer_ref: str = typer.Argument(...),
    outcome: Outcome = typer.Option(..., "--outcome"),
    promise_date: Optional[str] = typer.Option(None, "--promise-date"),
    amount: Optional[str] = typer.Option(None, "--amount"),
    currency: Optional[str] = typer.Option(None, "--currency"),
    invoice: Optional[List[str]] = typer.Option(None, "--invoice", help="Disputed invoice number (repeatable)"),
    reason: str = typer.Option("", "--reason"),
    at: Optional[str] = typer.Option(None, "--at", help="When to call back (date-time)"),
    note: str = typer.Option("", "--note"),
    nonpayment: str = typer.Option("", "--nonpayment",
                                   help="Why they have not paid, as said on the call: cash_flow, dispute, forgot, "
                                        "wrong_contact, unreachable, refuses, waiting_allocation_number or other"),
    now: Optional[str] = typer.Option(None, "--now", help=NOW_HELP),
) -> None:
    """Log a call's outcome: it moves the case (a promise or dispute pauses; three unanswered calls move on);
    --nonpayment also records why the customer has not paid."""
    ctx = context()
    from gvia.services.engine import calls

    at_moment = _now(ctx, at) if at else None
    res = calls.log_call(ctx, customer_ref, outcome.value, promise_date=_date(promise_date, "--promise-date"),
                         amount=amount, currency=currency, invoice_numbers=tuple(invoice or ()), reason=reason,
                         at=at_moment, note=note, now=_now(ctx, now), nonpayment=nonpayment)
    parts = [t("call.logged", outcome=res.outcome.replace("_", "-"))]
    if res.pause is not None:
        parts.append(t("call.paused_until", kind=res.pause.kind, until=res.pause.until) if res.pause.until
                     else t("call.paused", kind=res.pause.kind))
    if res.outcome == "no_answer":
        parts.append(t("call.unanswered", n=res.unanswered))
    parts.append(t("call.moves_on") if res.case_moved_on else t("call.task_open")
                 if res.task is not None and res.task.open else "")
    if nonpayment:
        parts.append(t("call.reason_set", reason=t(f"nonpayment.{nonpayment}")))
    console.print("; ".join(p for p in parts if p) + ".", highlight=False, markup=False)


# --- mail ------------------------------------------------------------------------------------

@mail_app.command("test")
def mail_test(address: str = typer.Argument(...)) -> None:
    """Send a test message through the configured SMTP server (or the local catcher)."""
    ctx = context()
    from gvia.services.sending.mailconfig import send_test

    reply = send_test(ctx, address)
    console.print(t("mail.sent", address=address, reply=reply), highlight=False, markup=False)


@mail_app.command("registered")
def mail_registered(
    message_id: int = typer.Argument(..., help="The letter's message id (gvia outbox list)"),
    number: str = typer.Option(..., "--number", help="The registered-mail number"),
    posted: Optional[str] = typer.Option(None, "--posted", help="Day it was posted (starts the legal clocks)"),
    delivered: Optional[str] = typer.Option(None, "--delivered", help="Day it was delivered"),
    now: Optional[str] = typer.Option(None, "--now", help=NOW_HELP),
) -> None:
    """Record a registered letter's number, posting and delivery."""
    ctx = context()
    from gvia.services.sending import outbox

    msg = outbox.record_registered(ctx, message_id, number, _date(posted, "--posted"), _date(delivered, "--delivered"),
                                   _now(ctx, now))
    console.print(t("mail.registered", id=msg.id, number=msg.registered_number)
                  + (t("mail.posted", day=msg.posted_date) if msg.posted_date else "")
                  + (t("mail.delivered", day=msg.delivered_date) if msg.delivered_date else ""), highlight=False)

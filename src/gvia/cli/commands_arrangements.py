"""The ways out of a debt: promise, plan, settle, dispute, writeoff; interest and rates;
limitation and legal routes.

Every command that depends on the day takes ``--now`` (a date, or an ISO date-time in the
organization's time zone). Impossible input is refused with the reason and nothing changes
(exit 1); wrong usage exits 2.

Services, the store and Django are imported inside each command: they need django.setup(),
which :func:`gvia.cli.state.context` does first, and `gvia --help` starts without them.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from .app import app
from .output import Format, console, print_json, print_rows
from .parsing import date_option, now_option
from .state import context
from .words import speaking, t, value_text

NOW_HELP = "Replay the clock: a date (09:00 that day) or an ISO date-time, in the organization's time zone"

plan_app = typer.Typer(help="Payment plans: create CUSTOMER_REF, show ID, cancel ID, sign ID FILE.",
                       no_args_is_help=True)
dispute_app = typer.Typer(help="Disputes: open CUSTOMER_REF, resolve ID, list.", no_args_is_help=True)
rates_app = typer.Typer(help="Rate tables (base rates, CPI, statutory rates): import FILE, show [NAME].",
                        no_args_is_help=True)
rule_app = typer.Typer(help="The interest rule: show, set, unset (organization or one customer).",
                       no_args_is_help=True)
for _sub, _name in ((plan_app, "plan"), (dispute_app, "dispute"), (rates_app, "rates"), (rule_app, "interest-rule")):
    app.add_typer(_sub, name=_name)


_now = now_option
_date = date_option


def _say(text: str) -> None:
    console.print(text, highlight=False, markup=False)


def _money(minor: int, currency: str) -> str:
    from gvia.core.money import Money

    return str(Money.from_minor(minor, currency))


# --- promise ---------------------------------------------------------------------------------

class Source(str, Enum):
    call = "call"
    email = "email"
    portal = "portal"
    manual = "manual"


@app.command()
def promise(
    customer_ref: str = typer.Argument(..., help="The customer's reference"),
    amount: str = typer.Option(..., "--amount", help="The amount promised"),
    on: str = typer.Option(..., "--date", help="The day it will be paid by (YYYY-MM-DD)"),
    source: Source = typer.Option(Source.manual, "--source", help="Where the promise came from"),
    currency: Optional[str] = typer.Option(None, "--currency", help="Default: the currency the customer owes in"),
    note: str = typer.Option("", "--note"),
    now: Optional[str] = typer.Option(None, "--now", help=NOW_HELP),
    replace: bool = typer.Option(False, "--replace", help="Replace the customer's open promise"),
) -> None:
    """Record a promise to pay: the case pauses until the date plus the grace period."""
    ctx = context()
    from gvia.services.arrangements import promises

    p = promises.record_promise(ctx, customer_ref, amount, on, source.value, currency, note, _now(ctx, now),
                                replace_open=replace)
    _say(t("promise.recorded", id=p.id, amount=_money(p.amount_minor, p.currency), due=p.due, source=p.source,
           ref=p.customer.ref, until=p.pause_until))


# --- plan ------------------------------------------------------------------------------------

class Frequency(str, Enum):
    weekly = "weekly"
    biweekly = "biweekly"
    monthly = "monthly"


@plan_app.command("create")
def plan_create(
    customer_ref: str = typer.Argument(..., help="The customer's reference"),
    installments: int = typer.Option(..., "--installments", help="Number of installments (after the down payment)"),
    frequency: Frequency = typer.Option(Frequency.monthly, "--frequency"),
    first: str = typer.Option(..., "--first", help="The first installment's date (YYYY-MM-DD)"),
    down: Optional[str] = typer.Option(None, "--down", help="A down payment, due on the first date"),
    cheques: bool = typer.Option(False, "--cheques", help="Paid by a series of post-dated cheques"),
    currency: Optional[str] = typer.Option(None, "--currency", help="When the customer owes in several"),
    now: Optional[str] = typer.Option(None, "--now", help=NOW_HELP),
    fmt: Format = typer.Option(Format.table, "--format"),
) -> None:
    """Agree a payment plan for the customer's open balance."""
    ctx = context()
    from gvia.services.arrangements import plans

    made = plans.create_plan(ctx, customer_ref, installments, frequency.value, first, down, cheques, currency,
                             _now(ctx, now))
    shown = plans.show_plan(ctx, made.plan.id)
    if fmt == Format.json:
        print_json(shown)
        return
    _print_plan(shown, fmt)
    if made.limits_exceeded:
        _say(t("plan.beyond_limits", limits=value_text(made.limits_exceeded)))


def _print_plan(shown: dict, fmt: Format) -> None:
    print_rows(["number", "due", "amount", "paid", "status", "cheque"],
               [[i["number"] if i["kind"] != "down_payment" else t("plan.down"), i["due"], i["amount"], i["paid"],
                 i["status"], t("word.yes") if i["cheque"] else ""] for i in shown["installments"]], fmt,
               title=t("plan.title", id=shown["id"], name=shown["name"], customer=shown["customer"],
                       total=shown["total"], currency=shown["currency"], status=shown["status"]))
    if fmt == Format.table:
        _say(t("plan.summary", paid=shown["paid"], currency=shown["currency"], missed=shown["missed"],
               ends_at=shown["default_after_missed"], grace_days=shown["grace_days"]))


@plan_app.command("show")
def plan_show(
    plan_id: str = typer.Argument(..., help="The plan's id"),
    fmt: Format = typer.Option(Format.table, "--format"),
) -> None:
    """A plan with its installments and where each stands."""
    ctx = context()
    from gvia.services.arrangements import plans

    shown = plans.show_plan(ctx, plan_id)
    if fmt == Format.json:
        print_json(shown)
        return
    _print_plan(shown, fmt)


@plan_app.command("cancel")
def plan_cancel(
    plan_id: str = typer.Argument(..., help="The plan's id"),
    reason: str = typer.Option("", "--reason"),
    now: Optional[str] = typer.Option(None, "--now", help=NOW_HELP),
) -> None:
    """End a plan; escalation resumes where it stood."""
    ctx = context()
    from gvia.services.arrangements import plans

    plan = plans.cancel_plan(ctx, plan_id, reason, _now(ctx, now))
    _say(t("plan.cancelled", id=plan.id, ref=plan.customer.ref))


@plan_app.command("sign")
def plan_sign(
    plan_id: str = typer.Argument(..., help="The plan's id"),
    file: Optional[Path] = typer.Argument(None, help="The plan as the customer signed it (a scan or PDF)"),
    document: Optional[int] = typer.Option(None, "--document", help="Or: a signed agreement already kept (its id)"),
    signed_on: Optional[str] = typer.Option(None, "--signed-on",
                                            help="The day the customer signed (YYYY-MM-DD; default: the day agreed)"),
    now: Optional[str] = typer.Option(None, "--now", help=NOW_HELP),
) -> None:
    """Put the signed plan on file: a written, signed acknowledgment that restarts limitation."""
    ctx = context()
    from gvia.services.arrangements import plans

    if (file is None) == (document is None):
        raise typer.BadParameter(t("plan.sign_one_of"))
    if file is not None:
        with open(file, "rb") as f:
            plan = plans.sign_plan(ctx, plan_id, source=f, file_name=file.name, signed_on=signed_on,
                                   now=_now(ctx, now))
    else:
        plan = plans.sign_plan(ctx, plan_id, document_id=document, signed_on=signed_on, now=_now(ctx, now))
    _say(t("plan.signed", id=plan.id, ref=plan.customer.ref, day=plan.signed_on))


# --- settle ----------------------------------------------------------------------------------

@app.command()
def settle(
    target: str = typer.Argument(..., metavar="CUSTOMER_REF|approve|reject",
                                 help="The customer's reference to offer a settlement, or approve / reject"),
    settlement_id: Optional[str] = typer.Argument(None, metavar="[ID]", help="approve / reject: the offer's id"),
    amount: Optional[str] = typer.Option(None, "--amount", help="The reduced amount agreed"),
    deadline: Optional[str] = typer.Option(None, "--deadline", help="Pay by this day (YYYY-MM-DD)"),
    reason: str = typer.Option("", "--reason", help="Why the debt is settled for less"),
    currency: Optional[str] = typer.Option(None, "--currency"),
    keep_interest: bool = typer.Option(False, "--keep-interest", help="The settlement does not waive interest"),
    now: Optional[str] = typer.Option(None, "--now", help=NOW_HELP),
) -> None:
    """Settlements: `settle CUSTOMER_REF --amount A --deadline D` offers one; `settle approve ID`
    (owners only) approves it; `settle reject ID` declines it."""
    ctx = context()
    from gvia.services.arrangements import settlements

    moment = _now(ctx, now)
    if target in ("approve", "reject"):
        if not settlement_id:
            raise typer.BadParameter(t("bad.settle_id", action=target))
        if target == "approve":
            s = settlements.approve_settlement(ctx, settlement_id, reason, moment)
            _say(t("settle.approved", id=s.id, by=s.approved_by, amount=_money(s.agreed_minor, s.currency),
                   deadline=s.deadline, ref=s.customer.ref))
        else:
            s = settlements.reject_settlement(ctx, settlement_id, reason, moment)
            _say(t("settle.rejected", id=s.id))
        return
    if settlement_id:
        raise typer.BadParameter(t("bad.settle_offer"))
    if amount is None or deadline is None:
        raise typer.BadParameter(t("bad.settle_needs"))
    s = settlements.offer_settlement(ctx, target, amount, deadline, reason, currency, not keep_interest, moment)
    _say(t("settle.offered", id=s.id, agreed=_money(s.agreed_minor, s.currency), debt=_money(s.debt_minor, s.currency),
           deadline=s.deadline))


# --- dispute ---------------------------------------------------------------------------------

class Reason(str, Enum):
    service_not_as_expected = "service_not_as_expected"
    wrong_amount = "wrong_amount"
    not_received = "not_received"
    already_paid = "already_paid"
    other = "other"


@dispute_app.command("open")
def dispute_open(
    customer_ref: str = typer.Argument(..., help="The customer's reference"),
    invoice: List[str] = typer.Option(..., "--invoice", help="A disputed invoice number (repeatable)"),
    reason: Reason = typer.Option(..., "--reason"),
    note: str = typer.Option("", "--note"),
    owner: Optional[str] = typer.Option(None, "--owner", help="E-mail of the person who owns the dispute"),
    now: Optional[str] = typer.Option(None, "--now", help=NOW_HELP),
) -> None:
    """Open a dispute: only these invoices leave the ladder until it is resolved."""
    ctx = context()
    from gvia.services.arrangements import disputes

    d = disputes.open_dispute(ctx, customer_ref, invoice, reason.value, note, owner, _now(ctx, now))
    _say(t("dispute.opened", id=d.id, invoices=", ".join(invoice), reason=d.reason))


@dispute_app.command("resolve")
def dispute_resolve(
    dispute_id: str = typer.Argument(..., help="The dispute's id"),
    valid: bool = typer.Option(False, "--valid", help="The customer was right"),
    rejected: bool = typer.Option(False, "--rejected", help="The invoices stand and go back on the ladder"),
    credit_note: bool = typer.Option(False, "--credit-note", help="--valid: settled by a credit note"),
    write_off: bool = typer.Option(False, "--write-off", help="--valid: settled by a write-off (owners only)"),
    credit_note_number: Optional[str] = typer.Option(None, "--credit-note-number"),
    note: str = typer.Option("", "--note"),
    now: Optional[str] = typer.Option(None, "--now", help=NOW_HELP),
) -> None:
    """Resolve a dispute: --valid with --credit-note or --write-off, or --rejected."""
    ctx = context()
    from gvia.services.arrangements import disputes

    if valid == rejected:
        raise typer.BadParameter(t("bad.dispute_valid"))
    if valid and credit_note == write_off:
        raise typer.BadParameter(t("bad.dispute_how"))
    if rejected and (credit_note or write_off):
        raise typer.BadParameter(t("bad.dispute_rejected"))
    resolution = None if rejected else ("credit_note" if credit_note else "write_off")
    d = disputes.resolve_dispute(ctx, dispute_id, "valid" if valid else "rejected", resolution, credit_note_number,
                                 note, _now(ctx, now))
    if d.status == "rejected":
        _say(t("dispute.rejected", id=d.id))
    else:
        _say(t(f"dispute.valid_{d.resolution}", id=d.id))


@dispute_app.command("list")
def dispute_list(
    status: Optional[str] = typer.Option("open", "--status", help="open, valid, rejected or all"),
    fmt: Format = typer.Option(Format.table, "--format"),
) -> None:
    """Disputes (open ones by default)."""
    ctx = context()
    from gvia.services.arrangements import disputes

    rows = disputes.list_disputes(ctx, status)
    print_rows(["id", "customer", "invoices", "reason", "status", "resolution", "opened_on", "owner"],
               [[d["id"], d["customer"], ", ".join(d["invoices"]), d["reason"], d["status"], d["resolution"],
                 d["opened_on"], d["owner"]] for d in rows], fmt, title=t("dispute.title"), json_data=rows)


# --- writeoff --------------------------------------------------------------------------------

@app.command()
def writeoff(
    target: str = typer.Argument(..., metavar="CUSTOMER_REF|approve|reject|list",
                                 help="The customer's reference to ask for a write-off, or approve / reject ID, "
                                      "or list"),
    writeoff_id: Optional[str] = typer.Argument(None, metavar="[ID]"),
    invoice: Optional[str] = typer.Option(None, "--invoice", help="The invoice number"),
    reason: str = typer.Option("", "--reason", help="Why it is written off"),
    amount: Optional[str] = typer.Option(None, "--amount", help="Default: the invoice's open amount"),
    note: str = typer.Option("", "--note", help="approve / reject: a note on the decision"),
    since: Optional[str] = typer.Option(None, "--since", help="list: from this day"),
    until: Optional[str] = typer.Option(None, "--until", help="list: to this day"),
    now: Optional[str] = typer.Option(None, "--now", help=NOW_HELP),
    fmt: Format = typer.Option(Format.table, "--format"),
) -> None:
    """Write-offs: `writeoff CUSTOMER_REF --invoice N --reason R` asks; `writeoff approve ID` (owners only)
    approves; `writeoff reject ID` refuses; `writeoff list` reports them."""
    ctx = context()
    from gvia.services.arrangements import writeoffs

    if target == "list":
        rep = writeoffs.report(ctx, _date(since, "--since"), _date(until, "--until"))
        if fmt == Format.json:
            print_json(rep.as_dict())
            return
        print_rows(["id", "customer", "invoice", "amount", "currency", "status", "origin", "reason", "approved_by"],
                   [[r["id"], r["customer"], r["invoice"], r["amount"], r["currency"], r["status"], r["origin"],
                     r["reason"], r["approved_by"]] for r in rep.rows], fmt, title=t("writeoff.title"))
        if fmt == Format.table:
            approved = ", ".join(f"{v} {k}" for k, v in rep.approved.as_strings().items())
            _say(t("writeoff.approved_total", amounts=approved) if approved else t("writeoff.approved_none"))
        return
    moment = _now(ctx, now)
    if target in ("approve", "reject"):
        if not writeoff_id:
            raise typer.BadParameter(t("bad.writeoff_id", action=target))
        if target == "approve":
            w = writeoffs.approve_writeoff(ctx, writeoff_id, note, moment)
            _say(t("writeoff.approved", id=w.id, amount=_money(w.amount_minor, w.currency), number=w.invoice.number))
        else:
            w = writeoffs.reject_writeoff(ctx, writeoff_id, note, moment)
            _say(t("writeoff.rejected", id=w.id))
        return
    if writeoff_id or not invoice:
        raise typer.BadParameter(t("bad.writeoff_usage"))
    w = writeoffs.request_writeoff(ctx, target, invoice, reason, amount, moment)
    _say(t("writeoff.requested", id=w.id, amount=_money(w.amount_minor, w.currency), number=invoice))


# --- interest --------------------------------------------------------------------------------

@app.command()
def interest(
    customer_ref: str = typer.Argument(..., help="The customer's reference"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Compute up to and including this day (default today)"),
) -> None:
    """Interest and fees on the customer's late invoices (JSON: per invoice the periods, rates, days,
    interest and fees)."""
    ctx = context()
    from gvia.services.legal import interest as service

    from .commands_ledger import as_of_date

    print_json(service.customer_interest(ctx, customer_ref, as_of_date(ctx, as_of)).as_dict())


@rule_app.command("show")
def rule_show(customer_ref: Optional[str] = typer.Option(None, "--customer")) -> None:
    """The rule in force (for one customer: theirs, else the organization's)."""
    ctx = context()
    from gvia.services.ledger.books import get_customer
    from gvia.services.legal import interest as service

    ctx.require("viewer", "reading the interest rule")
    customer = get_customer(ctx, customer_ref) if customer_ref else None
    _rule, data, source = service.rule_for(ctx, customer)
    print_json({"rule": data, "from": source})


@rule_app.command("set")
def rule_set(
    method: str = typer.Argument(..., help="none, contractual, gb_late_payment, eu_late_payment or il_linkage"),
    option: Optional[List[str]] = typer.Option(None, "--option", "-o",
                                               help="KEY=VALUE, repeatable (e.g. percent=4, compounding=monthly)"),
    customer_ref: Optional[str] = typer.Option(None, "--customer", help="Set this customer's own rule"),
) -> None:
    """Set the interest rule of the organization (or of one customer). Owners only."""
    ctx = context()
    from gvia.services.legal import interest as service

    data: dict = {"method": method}
    for item in option or []:
        key, eq, value = item.partition("=")
        if not eq or not key.strip():
            raise typer.BadParameter(t("bad.option", value=repr(item)))
        value = value.strip()
        data[key.strip()] = int(value) if value.isdigit() and key.strip() in ("grace_days", "day_count") else value
    service.set_rule(ctx, data, customer_ref)
    rule = json.dumps(data, ensure_ascii=False)
    _say(t("rule.set_customer", ref=customer_ref, rule=rule) if customer_ref else t("rule.set_org", rule=rule))


@rule_app.command("unset")
def rule_unset(customer_ref: Optional[str] = typer.Option(None, "--customer")) -> None:
    """Remove a customer's own rule (or the organization's: then no interest). Owners only."""
    ctx = context()
    from gvia.services.legal import interest as service

    removed = service.unset_rule(ctx, customer_ref)
    said = "rule.removed" if removed else "rule.none"
    _say(t(f"{said}_customer", ref=customer_ref) if customer_ref else t(f"{said}_org"))


# --- rates -----------------------------------------------------------------------------------

@rates_app.command("import")
def rates_import(
    file: Path = typer.Argument(..., help="A rate or index table (CSV with '# name:' … header lines)"),
    now: Optional[str] = typer.Option(None, "--now", help=NOW_HELP),
) -> None:
    """Import a rate table: checked line by line, laid over the table of the same name."""
    ctx = context()
    from gvia.services.legal import rates

    row = rates.import_table(ctx, file, _now(ctx, now))
    _say(t("rates.imported", rows=row.rows, name=row.name, kind=row.kind, file=row.file_name))


@rates_app.command("show")
def rates_show(
    name: Optional[str] = typer.Argument(None, help="One table with all its figures"),
    fmt: Format = typer.Option(Format.table, "--format"),
) -> None:
    """The rate tables in use: source, rows, latest figure, known through."""
    ctx = context()
    from gvia.services.legal import rates

    if name:
        table = rates.show_table(ctx, name)
        if fmt == Format.json:
            print_json(table)
            return
        keys = [k for k in table["figures"][0]] if table["figures"] else ["from", "percent"]
        print_rows(keys, [[f[k] for k in keys] for f in table["figures"]], fmt,
                   title=f"{table['name']}: {table['title'] or table['kind']} — {table['source']}")
        return
    tables = rates.show(ctx)
    if fmt == Format.json:
        print_json(tables)
        return
    print_rows(["name", "kind", "rows", "first", "known_through", "latest", "imports"],
               [[tb["name"], tb["kind"], tb["rows"], tb["first"] or "", tb["known_through"] or "",
                 " ".join(str(v) for v in (tb["latest"] or {}).values()), len(tb["imports"])]
                for tb in tables], fmt, title=t("rates.title"))


# --- limitation and legal --------------------------------------------------------------------

@app.command()
def limitation(
    now: Optional[str] = typer.Option(None, "--now", help=NOW_HELP),
    fmt: Format = typer.Option(Format.table, "--format"),
) -> None:
    """Debts nearing the end of the limitation period (and those past it)."""
    ctx = context()
    from gvia.services.clock import org_today
    from gvia.services.legal import limitation as service

    flags = service.nearing(ctx, org_today(ctx.org, _now(ctx, now)))
    rows = [f.as_dict() for f in flags]
    print_rows(["customer", "invoice", "due_date", "open", "currency", "limitation_date", "state", "days_left"],
               [[r[k] for k in ("customer", "invoice", "due_date", "open", "currency", "limitation_date", "state",
                                "days_left")] for r in rows], fmt, title=t("limitation.title"), json_data=rows)


@app.command()
def legal(
    customer_ref: str = typer.Argument(..., help="The customer's reference"),
    filing_day: Optional[str] = typer.Option(
        None, "--filing-day", help="Default: the first day the s.81A1 filing clock allows"),
    small_claims: Optional[int] = typer.Option(
        None, "--small-claims-this-year", min=0,
        help="How many small claims the business filed this year in the court (default: not known)"),
    pack: Optional[Path] = typer.Option(
        None, "--pack", help="A folder: write the fixed-sum claim's filing pack there (PDF and JSON), in the "
                             "language gvia speaks"),
    now: Optional[str] = typer.Option(None, "--now", help=NOW_HELP),
    fmt: Format = typer.Option(Format.table, "--format"),
) -> None:
    """Which legal route fits the customer's debt on the filing day (Israel) and why, the first day a
    fixed-sum claim may be filed (from the s.81A1 notice's recorded delivery), and with --pack the
    filing pack for the Execution Office."""
    ctx = context()
    from gvia.services.clock import org_today
    from gvia.services.legal import routes as service

    today = org_today(ctx.org, _now(ctx, now))
    day = _date(filing_day, "--filing-day")
    res = service.routes(ctx, customer_ref, day, today=today, small_claims_this_year=small_claims)
    if fmt == Format.json:
        data = res.as_dict()
        for r, row in zip(res.routes, data["routes"]):
            row.update(name=t(f"route.{r.code}"), reason=value_text(r.reason),
                       conditions=[value_text(c) for c in r.conditions])
        data["notes"] = [value_text(n) for n in res.notes]
        print_json(data)
    else:
        fits = {True: t("word.yes"), False: t("word.no"), None: t("legal.cannot_tell")}
        print_rows(["route", "fits", "reason", "check"],
                   [[t(f"route.{r.code}"), fits[r.fits], value_text(r.reason), value_text(list(r.conditions))]
                    for r in res.routes], fmt,
                   title=t("legal.title", ref=res.customer_ref, day=res.filing_day, claim=res.claim))
        hebrew = speaking() == "he"
        notice = res.notice
        if notice is not None:
            clock = notice.filing
            _say(t(f"legal.filing.{clock.code}", day=clock.on or "", posted=notice.posted or "",
                   delivered=notice.delivered or "", number=notice.registered_number, ask=clock.ask_person_on or ""))
            _say(t("legal.filing.source", source=clock.source_he if hebrew else clock.source_en))
            if res.filing_allowed is False:
                _say(t("legal.filing.too_early", day=res.filing_day, first=clock.on))
        for n in res.notes:
            _say(t("legal.note", note=value_text(n)))
    if pack is not None:
        _write_pack(ctx, customer_ref, pack, today, day)


def _write_pack(ctx, customer_ref: str, folder: Path, today, filing_day) -> None:
    """The filing pack's PDF and JSON in ``folder`` (the language gvia speaks, when documents speak it)."""
    from gvia import locale
    from gvia.services.legal import filing_pack

    lang = speaking() if speaking() in locale.languages("documents") else None
    built = filing_pack.build(ctx, customer_ref, today, filing_day, lang)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"filing-pack-{customer_ref}-{built.context.filing_day.isoformat()}"
    pdf = built.pdf()
    (folder / f"{stem}.pdf").write_bytes(pdf)
    (folder / f"{stem}.json").write_text(json.dumps(built.as_dict(), ensure_ascii=False, indent=2) + "\n",
                                         encoding="utf-8")
    console.print(t("wrote", path=folder / f"{stem}.pdf", size=f"{len(pdf):,}"), highlight=False)
    console.print(t("legal.pack_json", path=folder / f"{stem}.json"), highlight=False)

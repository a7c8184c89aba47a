"""Bank statements imported and matched: cash application (issue 18).

The path of a bank line (docs/architecture.md): :func:`import_statement` reads the file
(:func:`gvia.imports.statements.read_statement`; all-or-nothing: a bad row refuses the file), keeps
the lines not already stored (their identity, ``BankLine.key``: the same statement twice or an
overlapping one adds nothing), and matches each new credit (:func:`match_open_lines` →
:func:`gvia.core.matching.match_all`) against the books as they stand: open invoices, customers and
the accounts they paid from before, payments recorded that no bank line accounts for yet (outside
those a gateway took, which arrive as its payout), a gateway's transactions waiting for their payout.

A match whose confidence reaches the setting ``match_auto_apply`` is applied at once
(``BankMatch.auto``); the others wait as suggestions with their reasons (``gvia matches list``, the
matches page) for a person to confirm, change (other invoices) or reject. Applying:

- invoices: one payment per invoice paid (named on the payment, so the ledger allocates it there),
  what is left over a payment of the customer's without an invoice (unapplied credit), recorded
  through :func:`gvia.services.ledger.payments.record_payment` — the existing payment recording,
  with its checks, its identity (the bank's reference) and the ledger's recompute;
- money already recorded: the line is linked to those payments (``BankMatchPayment.created`` false)
  and nothing is recorded again — money is counted once;
- a gateway's payout: its transactions get the line as their ``payout_id``; no payment is recorded.

Every applied match can be undone (:func:`undo`): what it recorded is deleted, what it linked is
unlinked, and the line waits again. Refusals are codes (``refusal.match_<code>``).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

from django.db import transaction

from gvia.core import matching
from gvia.core.errors import NotFoundFor, RefusedFor
from gvia.core.money import Money
from gvia.imports.statements import line_keys, read_statement
from gvia.services import audit, clock, settings
from gvia.services.context import Ctx
from gvia.services.ledger import payments
from gvia.services.ledger.books import recompute
from gvia.services.webhooks import events as webhook_events
from gvia.store.models import Customer, Invoice, Payment
from gvia.store.models_gateways import GatewayTransaction
from gvia.store.models_statements import BankLine, BankMatch, BankMatchPayment, BankStatement

__all__ = ["StatementReport", "MatchRun", "import_statement", "match_open_lines", "list_matches", "confirm",
           "absorb_recorded", "reject", "undo", "assign", "tolerance_of"]


@dataclass
class StatementReport:
    file: str
    format: str
    bank: str
    lines: int = 0
    new: int = 0
    known: int = 0
    credits: int = 0
    applied: int = 0
    linked: int = 0
    suggested: int = 0
    unmatched: int = 0
    dry_run: bool = False
    matches: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def tolerance_of(ctx: Ctx) -> matching.Tolerance:
    v = settings.values(ctx.org, ["match_fee_tolerance", "match_fx_tolerance_percent"])
    fees = {cur: Decimal(str(x)) for cur, x in (v["match_fee_tolerance"] or {}).items()}
    return matching.Tolerance(fees, Decimal(str(v["match_fx_tolerance_percent"])), ctx.org.default_currency)


def import_statement(ctx: Ctx, path: Path | str, *, bank: str | None = None,
                     columns: dict[str, str] | None = None, date_format: str | None = None, account: str = "",
                     decimal_comma: bool = False, dry_run: bool = False, file_name: str | None = None
                     ) -> StatementReport:
    """Import one statement file and match its new credits; see the module's docstring."""
    ctx.require("collector", "importing a bank statement")
    path = Path(path)
    stmt = read_statement(path, bank=bank, columns=columns, date_format=date_format, country=ctx.org.country,
                          currency=ctx.org.default_currency, account=account, decimal_comma=decimal_comma)
    name = file_name or stmt.source
    report = StatementReport(name, stmt.format, stmt.bank, lines=len(stmt.lines), dry_run=dry_run)
    keys = line_keys(stmt.lines)
    known = set(BankLine.objects.filter(organization=ctx.org, key__in=keys).values_list("key", flat=True))
    fresh = [(k, ln) for k, ln in zip(keys, stmt.lines) if k not in known]
    report.known, report.new = len(stmt.lines) - len(fresh), len(fresh)
    report.credits = sum(1 for _k, ln in fresh if ln.is_credit)
    if dry_run:
        return report
    with transaction.atomic():
        record = BankStatement.objects.create(
            organization=ctx.org, file_name=name[:255], sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
            format=stmt.format, bank=stmt.bank, lines_read=len(stmt.lines), lines_new=len(fresh),
            imported_by=ctx.actor, imported_at=clock.now_utc())
        rows = BankLine.objects.bulk_create([BankLine(
            organization=ctx.org, statement=record, key=k, position=ln.position, account=ln.account[:64],
            booking_date=ln.booking_date, value_date=ln.value_date, amount_minor=ln.amount.minor,
            currency=ln.amount.currency, text=ln.text, reference=ln.reference[:140],
            end_to_end_id=ln.end_to_end_id[:140], payer_name=ln.payer_name[:200], payer_account=ln.payer_account[:64],
            status=BankLine.Status.OPEN if ln.is_credit else BankLine.Status.DEBIT) for k, ln in fresh])
        audit.record(ctx, "statement.imported", record, file=name, lines=len(stmt.lines), new=len(fresh))
        ids = [r.id for r in rows if r.status == BankLine.Status.OPEN]
        if ids:
            done = match_open_lines(ctx, ids)
            for key in ("applied", "linked", "suggested", "unmatched"):
                setattr(report, key, done.counts[key])
            report.matches = done.matches
    return report


@dataclass
class MatchRun:
    """What :func:`match_open_lines` did: counts of applied, linked, suggested and unmatched lines,
    and the matches it made (as :func:`list_matches` gives them)."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(("applied", "linked", "suggested",
                                                                           "unmatched"), 0))
    matches: list[dict[str, Any]] = field(default_factory=list)


def _book(ctx: Ctx, since: date) -> matching.Book:
    org = ctx.org
    invoices = [matching.OpenInvoice(i, c, n, Money.from_minor(m, cur), d) for i, c, n, m, cur, d in
                Invoice.objects.filter(organization=org, kind=Invoice.Kind.INVOICE, open_minor__gt=0)
                .values_list("id", "customer_id", "number", "open_minor", "currency", "due_date")]
    accounts: dict[int, list[str]] = {}
    for cid, acc in (BankMatch.objects.filter(organization=org, status=BankMatch.Status.APPLIED,
                                              customer__isnull=False).exclude(line__payer_account="")
                     .values_list("customer_id", "line__payer_account")):
        accounts.setdefault(cid, []).append(acc)
    payers = [matching.Payer(cid, ref, (name,), tuple(accounts.get(cid, ())))
              for cid, ref, name in Customer.objects.filter(organization=org).values_list("id", "ref", "name")]
    linked = BankMatchPayment.objects.filter(match__organization=org).values_list("payment_id", flat=True)
    through_gateway = GatewayTransaction.payments.through.objects.filter(
        gatewaytransaction__organization=org).values_list("payment_id", flat=True)
    recorded = [matching.Recorded(pid, cid, Money.from_minor(m, cur), vd or d, ref or "")
                for pid, cid, m, cur, d, vd, ref in
                Payment.objects.filter(organization=org, date__gte=since)
                .exclude(status=Payment.Status.BOUNCED).exclude(id__in=linked).exclude(id__in=through_gateway)
                .values_list("id", "customer_id", "amount_minor", "currency", "date", "value_date", "reference")]
    txns = [matching.GatewayTxn(i, g, Money.from_minor(m, cur), d) for i, g, m, cur, d in
            GatewayTransaction.objects.filter(organization=org, payout_id="")
            .values_list("id", "gateway", "amount_minor", "currency", "received_on")]
    return matching.Book(invoices, payers, recorded, txns)


def _core_line(line: BankLine) -> matching.Line:
    return matching.Line(line.key, line.booking_date, Money.from_minor(line.amount_minor, line.currency),
                         " ".join(t for t in (line.text, line.reference, line.end_to_end_id) if t),
                         line.payer_name, line.payer_account)


def match_open_lines(ctx: Ctx, line_ids: Iterable[int] | None = None) -> MatchRun:
    """Match the waiting credit lines that have no match yet (or those of ``line_ids``); apply
    those that reach ``match_auto_apply``, keep the others as suggestions."""
    ctx.require("collector", "matching bank lines")
    qs = BankLine.objects.filter(organization=ctx.org, status=BankLine.Status.OPEN)
    qs = qs.filter(id__in=list(line_ids)) if line_ids is not None else qs.filter(matches__isnull=True)
    lines = list(qs.order_by("booking_date", "position", "id"))
    run = MatchRun()
    if not lines:
        return run
    threshold = int(settings.value(ctx.org, "match_auto_apply"))
    since = min(ln.booking_date for ln in lines) - timedelta(days=matching.RECORDED_DAYS)
    book = _book(ctx, since)
    found = matching.match_all([_core_line(ln) for ln in lines], book, tolerance_of(ctx))
    with transaction.atomic():
        for line, m in zip(lines, found):
            if m.kind == "none" and m.customer is None:
                run.counts["unmatched"] += 1
                continue
            row = BankMatch.objects.create(
                organization=ctx.org, line=line, kind="invoices" if m.kind == "none" else m.kind,
                confidence=m.confidence, reasons=[r.as_dict() for r in m.reasons], customer_id=m.customer,
                plan={"allocations": [[i, a.minor] for i, a in m.allocations], "recorded": list(m.recorded),
                      "gateway": list(m.gateway_txns)})
            if m.kind != "none" and m.confidence >= threshold:
                _apply(ctx, row, line, auto=True)
                key = "applied" if row.kind == "invoices" else "linked"
            else:
                key = "suggested"
            run.counts[key] += 1
            run.matches.append(_row(row, line))
    return run


def _apply(ctx: Ctx, m: BankMatch, line: BankLine, auto: bool) -> None:
    plan = m.plan
    if m.kind == "invoices":
        made = _record(ctx, m, line)
        BankMatchPayment.objects.bulk_create([BankMatchPayment(match=m, payment=p, created=True) for p in made])
        line.status = BankLine.Status.APPLIED
    elif m.kind == "recorded":
        ids = list(plan.get("recorded", []))
        if Payment.objects.filter(organization=ctx.org, id__in=ids).count() != len(ids) or \
                BankMatchPayment.objects.filter(payment_id__in=ids).exists():
            raise RefusedFor("match_payment_taken")
        BankMatchPayment.objects.bulk_create([BankMatchPayment(match=m, payment_id=i, created=False) for i in ids])
        line.status = BankLine.Status.LINKED
    elif m.kind == "payout":
        ids = list(plan.get("gateway", []))
        n = GatewayTransaction.objects.filter(organization=ctx.org, id__in=ids, payout_id="").update(
            payout_id=f"bank:{line.key}")
        if n != len(ids):
            raise RefusedFor("match_payment_taken")
        line.status = BankLine.Status.LINKED
    line.save(update_fields=["status"])
    m.status, m.auto = BankMatch.Status.APPLIED, auto
    m.decided_by, m.decided_at = ("" if auto else ctx.actor), clock.now_utc()
    m.save(update_fields=["status", "auto", "decided_by", "decided_at"])
    audit.record(ctx, "match.applied", m, line=line.key, kind=m.kind, confidence=m.confidence, auto=auto,
                 amount=str(Money.from_minor(line.amount_minor, line.currency)))
    customer = Customer.objects.filter(organization=ctx.org, id=m.customer_id).first() if m.customer_id else None
    numbers = dict(Invoice.objects.filter(organization=ctx.org, id__in=[int(i) for i, _ in plan.get("allocations", [])])
                   .values_list("id", "number"))
    webhook_events.emit(ctx.org, "payment.matched", f"match:{m.id}", {
        "customer": webhook_events.customer_data(customer) if customer else None, "match": m.id, "kind": m.kind,
        "amount": str(Money.from_minor(line.amount_minor, line.currency).amount), "currency": line.currency,
        "booking_date": line.booking_date.isoformat(), "reference": line.reference, "auto": auto,
        "confidence": m.confidence,
        "invoices": [{"number": numbers.get(int(i), ""),
                      "amount": str(Money.from_minor(int(minor), line.currency).amount)}
                     for i, minor in plan.get("allocations", [])]}, m.decided_at)


def _record(ctx: Ctx, m: BankMatch, line: BankLine) -> list[Payment]:
    """The line's money recorded through the payment recording every payment by hand goes through
    (:func:`gvia.services.ledger.payments.record_payment`: its checks, its identity
    ``ref:<customer>:<reference>`` — so a payments file carrying the bank's reference later finds it
    instead of adding it again — and the ledger's recompute): one payment per invoice paid, what is
    left over one without an invoice; received on the booking day. The reference is the bank's (or
    the end-to-end id), ``/2``, ``/3`` … for the second and further invoices of one line."""
    customer = Customer.objects.filter(organization=ctx.org, id=m.customer_id).first() if m.customer_id else None
    if customer is None:
        raise RefusedFor("match_no_customer")
    allocations = [(int(i), int(minor)) for i, minor in m.plan.get("allocations", [])]
    numbers = dict(Invoice.objects.filter(organization=ctx.org, id__in=[i for i, _ in allocations])
                   .values_list("id", "number"))
    parts = [(numbers.get(i, ""), minor) for i, minor in allocations]
    rest = line.amount_minor - sum(minor for _i, minor in allocations)
    if rest > 0:
        parts.append(("", rest))
    base = (line.reference or line.end_to_end_id or f"bank-{line.key[:10]}")[:80]
    made = []
    for k, (number, minor) in enumerate(parts):
        ref = base if k == 0 else f"{base}/{k + 1}"
        if Payment.objects.filter(organization=ctx.org, import_key=f"ref:{customer.ref}:{ref}").exists():
            ref = f"{ref}/{line.key[:8]}"    # a bank that repeats its references on other days
        made.append(payments.record_payment(ctx, customer.ref, Money.from_minor(minor, line.currency),
                                            line.booking_date, line.booking_date, reference=ref,
                                            invoice_number=number))
    Payment.objects.filter(id__in=[p.id for p in made]).update(
        source=f"bank statement: {line.statement.file_name}"[:200])
    return made


def _get(ctx: Ctx, match_id: int) -> BankMatch:
    m = (BankMatch.objects.select_for_update(of=("self", "line")).select_related("line", "line__statement", "customer")
         .filter(organization=ctx.org, id=match_id).first())
    if m is None:
        raise NotFoundFor("match_not_found", match=match_id)
    return m


@transaction.atomic
def confirm(ctx: Ctx, match_id: int, invoices: list[str] | None = None) -> BankMatch:
    """A person applies a suggestion as it is, or changed: ``invoices`` (numbers) are then what the
    line pays, the oldest first; what is left over stays the customer's unapplied credit."""
    ctx.require("collector", "confirming a bank match")
    m = _get(ctx, match_id)
    if m.status != BankMatch.Status.SUGGESTED:
        raise RefusedFor("match_not_waiting", match=match_id, status=m.status)
    replaces = m.plan.get("replaces")
    if replaces is None:
        if invoices:
            _change(ctx, m, invoices)
        _apply(ctx, m, m.line, auto=False)
        return m
    # "the same payment, recorded later" (absorb_recorded): the payments the line recorded go, and
    # the line is linked to the one recorded later instead
    if invoices:
        raise RefusedFor("match_replaces_no_change", match=match_id)
    old = _get(ctx, replaces)
    if old.status != BankMatch.Status.APPLIED:
        raise RefusedFor("match_not_applied", match=replaces, status=old.status)
    customers = _let_go(ctx, old)
    old.status, old.decided_by, old.decided_at = BankMatch.Status.UNDONE, ctx.actor, clock.now_utc()
    old.reasons = list(old.reasons) + [{"code": "replaced_by_recorded", "params": {"match": m.id}}]
    old.save(update_fields=["status", "decided_by", "decided_at", "reasons"])
    _apply(ctx, m, m.line, auto=False)
    if customers:
        recompute(ctx, customers)
    audit.record(ctx, "match.absorbed", m, line=m.line.key, payment=m.plan["recorded"][0], replaced=old.id)
    return m


def _change(ctx: Ctx, m: BankMatch, numbers: list[str]) -> None:
    line = m.line
    found = list(Invoice.objects.filter(organization=ctx.org, kind=Invoice.Kind.INVOICE,
                                        number__in=[n.strip() for n in numbers]).order_by("due_date", "number", "id"))
    missing = sorted({n.strip() for n in numbers} - {i.number for i in found})
    if missing:
        raise RefusedFor("match_unknown_invoice", numbers=", ".join(missing))
    customers = {i.customer_id for i in found}
    if len(customers) != 1:
        raise RefusedFor("match_invoices_of_several_customers")
    if any(i.currency != line.currency for i in found):
        raise RefusedFor("match_other_currency", currency=line.currency)
    left, allocations = line.amount_minor, []
    for inv in found:
        part = min(inv.open_minor, left)
        if part > 0:
            allocations.append([inv.id, part])
            left -= part
    m.kind, m.customer_id = "invoices", customers.pop()
    m.plan = {"allocations": allocations, "recorded": [], "gateway": []}
    m.reasons = list(m.reasons) + [{"code": "changed_by_person", "params": {"numbers": ", ".join(numbers)}}]
    m.save(update_fields=["kind", "customer", "plan", "reasons"])


@transaction.atomic
def assign(ctx: Ctx, line_id: int, invoices: list[str]) -> BankMatch:
    """A person says what a waiting line without a suggestion pays (invoice numbers)."""
    ctx.require("collector", "matching a bank line")
    line = (BankLine.objects.select_for_update(of=("self",)).select_related("statement")
            .filter(organization=ctx.org, id=line_id).first())
    if line is None:
        raise NotFoundFor("bank_line_not_found", line=line_id)
    if line.status != BankLine.Status.OPEN or line.matches.filter(
            status__in=(BankMatch.Status.SUGGESTED, BankMatch.Status.APPLIED)).exists():
        raise RefusedFor("match_line_not_waiting", line=line_id)
    if not invoices:
        raise RefusedFor("match_unknown_invoice", numbers="")
    m = BankMatch.objects.create(organization=ctx.org, line=line, kind="invoices", confidence=100, reasons=[],
                                 plan={})
    _change(ctx, m, invoices)
    _apply(ctx, m, line, auto=False)
    return m


@transaction.atomic
def reject(ctx: Ctx, match_id: int) -> BankMatch:
    """A person says the suggestion is wrong; the line waits, without it."""
    ctx.require("collector", "rejecting a bank match")
    m = _get(ctx, match_id)
    if m.status != BankMatch.Status.SUGGESTED:
        raise RefusedFor("match_not_waiting", match=match_id, status=m.status)
    m.status, m.decided_by, m.decided_at = BankMatch.Status.REJECTED, ctx.actor, clock.now_utc()
    m.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(ctx, "match.rejected", m, line=m.line.key)
    return m


@transaction.atomic
def undo(ctx: Ctx, match_id: int) -> BankMatch:
    """Undo an applied match: the payments it recorded are deleted (the ledger recomputed), those it
    linked and the gateway transactions it paid out are let go, and the line waits again."""
    ctx.require("collector", "undoing a bank match")
    m = _get(ctx, match_id)
    if m.status != BankMatch.Status.APPLIED:
        raise RefusedFor("match_not_applied", match=match_id, status=m.status)
    deleted = m.payments.filter(created=True).count()
    customers = _let_go(ctx, m)
    m.status, m.decided_by, m.decided_at = BankMatch.Status.UNDONE, ctx.actor, clock.now_utc()
    m.save(update_fields=["status", "decided_by", "decided_at"])
    m.line.status = BankLine.Status.OPEN
    m.line.save(update_fields=["status"])
    if customers:
        recompute(ctx, customers)
    audit.record(ctx, "match.undone", m, line=m.line.key, payments_deleted=deleted)
    return m


def _let_go(ctx: Ctx, m: BankMatch) -> set[int]:
    """What an applied match did, taken back (the ledger not yet recomputed): the payments it
    recorded deleted, those it linked and the gateway transactions it paid out let go. Returns the
    customers whose payments were deleted."""
    created = list(m.payments.filter(created=True).values_list("payment_id", flat=True))
    customers = set(Payment.objects.filter(id__in=created).values_list("customer_id", flat=True))
    m.payments.all().delete()
    Payment.objects.filter(organization=ctx.org, id__in=created).delete()
    if m.kind == "payout":
        GatewayTransaction.objects.filter(organization=ctx.org, payout_id=f"bank:{m.line.key}").update(payout_id="")
    return customers


def _row(m: BankMatch, line: BankLine) -> dict[str, Any]:
    numbers = dict(Invoice.objects.filter(id__in=[a[0] for a in m.plan.get("allocations", [])])
                   .values_list("id", "number"))
    return {
        "id": m.id, "line": line.id, "status": m.status, "kind": m.kind, "confidence": m.confidence, "auto": m.auto,
        "date": line.booking_date, "amount": Money.from_minor(line.amount_minor, line.currency),
        "text": line.text, "payer": line.payer_name, "reference": line.reference,
        "customer": m.customer.ref if m.customer_id and m.customer else "",
        "customer_name": m.customer.name if m.customer_id and m.customer else "",
        "invoices": [(numbers.get(i, ""), Money.from_minor(minor, line.currency))
                     for i, minor in m.plan.get("allocations", [])],
        "reasons": m.reasons,
        "replaces": m.plan.get("replaces"),     # "the same payment, recorded later?": confirm or reject only
    }


def list_matches(ctx: Ctx, status: str = "suggested", limit: int = 500) -> list[dict[str, Any]]:
    """The matches in ``status`` (suggested, applied, rejected, undone), the newest lines first; with
    ``status`` "waiting", the credit lines waiting without any suggestion (``id`` 0)."""
    ctx.require("viewer", "reading bank matches")
    if status == "waiting":
        lines = (BankLine.objects.filter(organization=ctx.org, status=BankLine.Status.OPEN)
                 .exclude(matches__status=BankMatch.Status.SUGGESTED).order_by("-booking_date", "-id")[:limit])
        return [{"id": 0, "line": ln.id, "status": "waiting", "kind": "", "confidence": 0, "auto": False,
                 "date": ln.booking_date, "amount": Money.from_minor(ln.amount_minor, ln.currency), "text": ln.text,
                 "payer": ln.payer_name, "reference": ln.reference, "customer": "", "customer_name": "",
                 "invoices": [], "reasons": []} for ln in lines]
    if status not in BankMatch.Status.values:
        raise RefusedFor("match_unknown_status", status=status)
    qs = (BankMatch.objects.filter(organization=ctx.org, status=status).select_related("line", "customer")
          .order_by("-line__booking_date", "-id")[:limit])
    return [_row(m, m.line) for m in qs]


def absorb_recorded(ctx: Ctx, customer_ids: Iterable[int]) -> int:
    """Money counted once, the other way round: a bank line already recorded as payments, then the
    same payment arriving from a payments import (or a receipt) — the import's payment stays, the
    payments the line recorded are deleted and the line is linked to the import's instead. Only
    when the import's payment is surely the line's: the line's whole amount, from the same customer
    within :data:`gvia.core.matching.RECORDED_DAYS`, and either carrying the line's bank reference or
    end-to-end id, or naming the invoice the line paid. One that agrees only in amount, customer and
    days is asked about (:func:`_ask_recorded_later`), once per line and payment. Called by the
    payments import in its own transaction (before the ledger is recomputed); returns how many lines
    it linked."""
    ids = set(customer_ids)
    if not ids:
        return 0
    links = (BankMatchPayment.objects.filter(created=True, match__organization=ctx.org,
                                             match__status=BankMatch.Status.APPLIED, payment__customer_id__in=ids)
             .select_related("match", "match__line", "payment"))
    by_match: dict[int, list[BankMatchPayment]] = {}
    for link in links:
        by_match.setdefault(link.match_id, []).append(link)
    taken = set(BankMatchPayment.objects.filter(match__organization=ctx.org).values_list("payment_id", flat=True))
    # the questions already asked (waiting, or answered "two payments"): line -> payments
    asked: dict[int, set[int]] = {}
    for line_id, plan in BankMatch.objects.filter(
            organization=ctx.org, line__in=[made[0].match.line_id for made in by_match.values()], kind="recorded",
            status__in=(BankMatch.Status.SUGGESTED, BankMatch.Status.REJECTED)).values_list("line_id", "plan"):
        if plan.get("replaces"):
            asked.setdefault(line_id, set()).update(plan.get("recorded", []))
    absorbed = 0
    for made in by_match.values():
        m, line = made[0].match, made[0].match.line
        customer = made[0].payment.customer_id
        invoices = {mp.payment.invoice_id for mp in made if mp.payment.invoice_id}
        refs = {r.strip() for r in (line.reference, line.end_to_end_id) if r.strip()}
        window = timedelta(days=matching.RECORDED_DAYS)
        maybe: Payment | None = None
        for p in (Payment.objects.filter(organization=ctx.org, customer_id=customer, amount_minor=line.amount_minor,
                                         currency=line.currency, date__gte=line.booking_date - window,
                                         date__lte=line.booking_date + window)
                  .exclude(id__in=taken)
                  .exclude(status=Payment.Status.BOUNCED).order_by("id")):
            if p.reference.strip() in refs or (p.invoice_id is not None and p.invoice_id in invoices):
                Payment.objects.filter(id__in=[mp.payment_id for mp in made]).delete()   # their links go too
                BankMatchPayment.objects.create(match=m, payment=p, created=False)
                m.reasons = list(m.reasons) + [{"code": "recorded_later", "params": {"reference": p.reference}}]
                m.kind = "recorded"
                m.save(update_fields=["reasons", "kind"])
                BankLine.objects.filter(id=line.id).update(status=BankLine.Status.LINKED)
                taken.add(p.id)
                audit.record(ctx, "match.absorbed", m, line=line.key, payment=p.id)
                absorbed += 1
                maybe = None
                break
            if maybe is None and p.id not in asked.get(line.id, ()):
                maybe = p
        if maybe is not None and not BankMatch.objects.filter(line=line, status=BankMatch.Status.SUGGESTED).exists():
            _ask_recorded_later(ctx, m, line, maybe)
            taken.add(maybe.id)
    return absorbed


def _ask_recorded_later(ctx: Ctx, m: BankMatch, line: BankLine, p: Payment) -> BankMatch:
    """A payment of the line's amount, from its customer and within its days, but with nothing that
    makes it surely the line's (neither the bank's reference nor the invoice the line paid): it may
    be the same transfer recorded again, or a second payment. Both stay counted until a person says
    (a suggestion: confirming it makes them one, :func:`confirm`; rejecting it keeps both)."""
    code = "maybe_recorded_later" if p.reference.strip() else "maybe_recorded_later_unreferenced"
    params: dict[str, Any] = {"date": p.date.isoformat()}
    if p.reference.strip():
        params["reference"] = p.reference.strip()
    ask = BankMatch.objects.create(organization=ctx.org, line=line, kind="recorded", confidence=50,
                                   customer_id=p.customer_id, reasons=[{"code": code, "params": params}],
                                   plan={"allocations": [], "recorded": [p.id], "gateway": [], "replaces": m.id})
    audit.record(ctx, "match.suggested", ask, line=line.key, payment=p.id, replaces=m.id)
    return ask

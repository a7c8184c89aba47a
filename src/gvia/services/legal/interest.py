"""Interest and fees on a customer's late invoices: the rule in force, the calculation, and the
separate lines letters show.

The rule
========

An organization has one interest rule and a customer may have its own (an
:class:`~gvia.store.models.InterestRule` row without / with a customer); without either there
is no interest. A rule is the JSON of :func:`gvia.core.interest.parse_interest_rule`
(``{"method": "gb_late_payment"}``, ``{"method": "contractual", "percent": "4"}``...), checked
when it is set: ``gvia interest-rule set``.

What is charged (:func:`late_debts`)
====================================

Every invoice still open on the day (``as_of``) whose due date has passed. The amount interest
runs on is the invoice amount less what was settled outside gvia and what was written off (the
days those happened are not known, so they count from the start: never more interest than
due); each payment, credit note or small difference settled that went to the invoice lowers it
from the day after its date (a post-dated cheque from its value date). Invoices of a settlement
that waives interest (approved or paid) are left out. The calculation is
:func:`gvia.core.interest.calculate`, with the rate tables of :func:`gvia.services.legal.rates.rate_book`.

Where it shows
==============

``gvia interest CUSTOMER_REF`` prints every invoice's breakdown (JSON) and refuses with the
:class:`~gvia.core.rates.MissingRate` message when a figure is missing. Letters get separate
lines (:func:`interest_lines`): per currency one for interest, one for Israeli linkage
differences, one for fixed fees - never folded into the invoice amounts. A figure missing for
a letter leaves that currency's lines out and says why (the letter still goes). A period whose
method is not in gvia's sources (Israeli interest from 1 January 2025:
:mod:`gvia.core.il_interest`) leaves that currency's interest and linkage lines out too, and the
letter says that linkage differentials and interest are added as the law provides, with no
number (``InterestLines.by_law``).
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from gvia.core.customer_kinds import in_business
from gvia.core.errors import GviaError
from gvia.core.formatting import format_date
from gvia.core.interest import (
    GbLatePayment,
    IlLinkage,
    InterestBreakdown,
    LateDebt,
    NoInterest,
    calculate,
    daily_interest,
    parse_interest_rule,
)
from gvia.core.interest import InterestRule as CoreRule
from gvia.core.ledger import CREDIT_NOTE, INVOICE, SOURCE_CREDIT_NOTE, SOURCE_PAYMENT, SOURCE_TOLERANCE
from gvia.core.money import Money
from gvia.core.rates import RateBook
from gvia.documents.model import ExtraLine, StatutoryInterest
from gvia.documents.wording import texts
from gvia.services import audit, clock
from gvia.services.arrangements.settlements import waived_invoice_ids
from gvia.services.context import Ctx
from gvia.services.ledger import books as ledger
from gvia.services.legal.rates import rate_book
from gvia.store.models import Customer, InterestRule, Invoice

__all__ = ["rule_for", "set_rule", "unset_rule", "late_debts", "CustomerInterest", "customer_interest", "compute",
           "interest_lines", "InterestLines", "statutory_interest"]


# --- the rule --------------------------------------------------------------------------------


# Inside :func:`rules_read_once` (a dispatch batch), each organization's rules are read in one
# query and kept: organization id -> (customer id or None -> the rule's JSON).
_RULES: ContextVar[dict[int, dict[int | None, dict]] | None] = ContextVar("gvia_interest_rules", default=None)


@contextmanager
def rules_read_once(kept: dict | None = None):
    """Within the block, :func:`rule_for` reads each organization's rules (its own and its
    customers' overrides) once, in one query, and keeps them (in ``kept`` when given, so a
    later block can reuse them): for composing many messages in a row (a dispatch batch)."""
    token = _RULES.set({} if kept is None else kept)
    try:
        yield
    finally:
        _RULES.reset(token)


def _cached_rule_row(cache: dict[int, dict[int | None, dict]], org_id: int, customer: Customer | None
                     ) -> tuple[dict | None, str]:
    rules = cache.get(org_id)
    if rules is None:
        rules = {}
        for customer_id, rule in InterestRule.objects.filter(organization_id=org_id).order_by("id").values_list(
                "customer_id", "rule"):
            rules.setdefault(customer_id, rule)
        cache[org_id] = rules
    if customer is not None and customer.id in rules:
        return rules[customer.id], "customer"
    return rules.get(None), "organization"


def rule_for(ctx: Ctx, customer: Customer | None) -> tuple[CoreRule, dict, str]:
    """The rule in force for ``customer`` (None: the organization's): the checked rule, its
    JSON, and where it comes from ("customer", "organization" or "none")."""
    cache = _RULES.get()
    if cache is not None:
        data, source = _cached_rule_row(cache, ctx.org.id, customer)
        if data is None:
            return NoInterest(), {"method": "none"}, "none"
        return parse_interest_rule(data, source=f"interest rule ({source})"), data, source
    # the customer's own rule and the organization's in one query: the customer's wins (the first of each)
    rows = InterestRule.objects.filter(Q(customer=customer) | Q(customer__isnull=True) if customer else
                                       Q(customer__isnull=True), organization=ctx.org)
    found: dict[int | None, dict] = {}
    for customer_id, rule in rows.order_by("id").values_list("customer_id", "rule"):
        found.setdefault(customer_id, rule)
    if customer is not None and customer.id in found:
        data, source = found[customer.id], "customer"
    elif None in found:
        data, source = found[None], "organization"
    else:
        return NoInterest(), {"method": "none"}, "none"
    return parse_interest_rule(data, source=f"interest rule ({source})"), data, source


def set_rule(ctx: Ctx, data: dict, customer_ref: str | None = None) -> InterestRule:
    """Set the organization's rule (or ``customer_ref``'s override). Owners only; refused with
    every problem when the rule is not valid."""
    ctx.require("owner", "setting the interest rule")
    parse_interest_rule(data, source="interest rule")
    customer = ledger.get_customer(ctx, customer_ref) if customer_ref else None
    with transaction.atomic():
        row, _ = InterestRule.objects.update_or_create(organization=ctx.org, customer=customer,
                                                       defaults={"rule": dict(data), "set_by": ctx.actor})
        audit.record(ctx, "interest_rule.set", row, customer=customer.ref if customer else None, rule=dict(data))
    return row


def unset_rule(ctx: Ctx, customer_ref: str | None = None) -> bool:
    """Remove the customer's override (or the organization's rule: then no interest)."""
    ctx.require("owner", "removing the interest rule")
    customer = ledger.get_customer(ctx, customer_ref) if customer_ref else None
    with transaction.atomic():
        qs = InterestRule.objects.filter(organization=ctx.org)
        qs = qs.filter(customer=customer) if customer else qs.filter(customer__isnull=True)
        removed = qs.delete()[0] > 0
        audit.record(ctx, "interest_rule.unset", None, customer=customer.ref if customer else None, removed=removed)
    return removed


# --- the debts ---------------------------------------------------------------------------------


def late_debts(customer: Customer, as_of: date, exclude: set[int] | None = None) -> list[LateDebt]:
    """The customer's invoices open and past due on ``as_of`` as the calculators see them
    (rules in the module docstring), oldest-due first."""
    invoices, payments, result = ledger.customer_ledger(customer, as_of)
    pays = {p.id: p for p in payments}
    credit_notes = {i.id: i for i in invoices if i.kind == CREDIT_NOTE}
    out = []
    for inv in sorted((i for i in invoices if i.kind == INVOICE), key=lambda i: (i.due_date, i.id)):
        open_ = result.open_amounts.get(inv.id)
        if inv.due_date >= as_of or open_ is None or open_.amount <= 0 or (exclude and inv.id in exclude):
            continue
        principal = inv.amount - inv.reductions
        if principal.amount <= 0:
            continue
        reductions: list[tuple[date, Money]] = []
        last_payment_day = inv.due_date
        allocations = result.allocations_for(inv.id)
        for a in allocations:
            if a.source == SOURCE_PAYMENT:
                p = pays[a.source_id]
                day = p.value_date or p.date
                last_payment_day = max(last_payment_day, day)
                reductions.append((day, a.amount))
            elif a.source == SOURCE_CREDIT_NOTE:
                reductions.append((credit_notes[a.source_id].issue_date, a.amount))
        for a in allocations:
            if a.source == SOURCE_TOLERANCE:
                reductions.append((last_payment_day, a.amount))
        out.append(LateDebt(inv.number, principal, inv.due_date, tuple(reductions),
                            business_customer=in_business(customer.kind)))
    return out


@dataclass
class CustomerInterest:
    customer: Customer
    as_of: date
    method: str
    rule: dict
    rule_source: str
    breakdowns: list[InterestBreakdown] = field(default_factory=list)
    waived: list[str] = field(default_factory=list)

    def totals(self) -> dict[str, dict[str, Money]]:
        """Per currency: interest, linkage, fees and their total."""
        out: dict[str, dict[str, Money]] = {}
        for b in self.breakdowns:
            cur = b.principal.currency
            t = out.setdefault(cur, {k: Money.zero(cur) for k in ("interest", "linkage", "fees", "total")})
            assert b.interest is not None and b.linkage is not None   # InterestBreakdown makes None zero
            t["interest"] += b.interest
            t["linkage"] += b.linkage
            t["fees"] += b.fees_total
            t["total"] += b.total
        return out

    def as_dict(self) -> dict:
        return {"customer": {"ref": self.customer.ref, "name": self.customer.name, "kind": self.customer.kind},
                "as_of": self.as_of.isoformat(), "method": self.method, "rule": self.rule,
                "rule_source": self.rule_source, "invoices": [b.as_dict() for b in self.breakdowns],
                "waived_by_settlement": self.waived,
                "totals": {cur: {k: str(v.amount) for k, v in t.items()} for cur, t in sorted(self.totals().items())}}


def customer_interest(ctx: Ctx, customer_ref: str, as_of: date | None = None,
                      book: RateBook | None = None) -> CustomerInterest:
    """Interest and fees on every late invoice of the customer up to ``as_of`` (default
    today). Raises :class:`~gvia.core.rates.MissingRate` when a figure is missing."""
    ctx.require("viewer", "computing interest")
    as_of = as_of or clock.org_today(ctx.org)
    customer = ledger.get_customer(ctx, customer_ref)
    return compute(ctx, customer, as_of, book)


def compute(ctx: Ctx, customer: Customer, as_of: date, book: RateBook | None = None) -> CustomerInterest:
    """:func:`customer_interest` for a customer record (raises MissingRate / Refused)."""
    rule, data, source = rule_for(ctx, customer)
    out = CustomerInterest(customer, as_of, rule.method, data, source)
    if isinstance(rule, NoInterest):
        return out
    waived = waived_invoice_ids(customer)
    if waived:
        out.waived = sorted(Invoice.objects.filter(id__in=waived).values_list("number", flat=True))
    debts = late_debts(customer, as_of, exclude=waived)
    if not debts:
        return out
    book = book or rate_book(ctx)
    out.breakdowns = [calculate(rule, d, as_of, book) for d in debts]
    return out


# --- lines for letters -------------------------------------------------------------------------

@dataclass
class InterestLines:
    lines: tuple[ExtraLine, ...]
    #: what kept the lines out (a missing rate: the refusal, with its code), for the person producing the document
    problems: list[GviaError]
    #: currencies whose linkage and interest are owed but have no figure for part of the period
    #: (the law's method for it is not in gvia's sources: :attr:`InterestBreakdown.unsourced`);
    #: their interest and linkage lines are left out and the document says they are added as
    #: the law provides, without a number
    by_law: tuple[str, ...] = ()


def interest_lines(ctx: Ctx, customer: Customer, as_of: date, language: str,
                   leave_out: frozenset[str] = frozenset()) -> InterestLines:
    """The interest, linkage and fee lines a letter shows for ``customer`` on ``as_of``, per
    currency, and what kept any of them out (a missing rate: that currency's lines are left
    out). Nothing when the rule is "none". ``leave_out``: invoice numbers whose interest and fees
    are not claimed (a time-barred debt in a letter that threatens proceedings)."""
    lang = "he" if language == "he" else "en"
    t = texts(lang)        # interest_line.linkage, .on, .<fee code>: the documents catalog
    try:
        result = compute(ctx, customer, as_of, None)
    except GviaError as exc:
        # the Israeli statutory rule is owed by law even when a figure is missing: said in words
        owed: tuple[str, ...] = ("ILS",) if isinstance(rule_for(ctx, customer)[0], IlLinkage) else ()
        return InterestLines((), [exc], owed)
    by_currency: dict[str, list[InterestBreakdown]] = defaultdict(list)
    for b in result.breakdowns:
        by_currency[b.principal.currency].append(b)
    lines: list[ExtraLine] = []
    by_law: list[str] = []
    locale = "he" if lang == "he" else "en-GB"
    for cur in sorted(by_currency):
        items = [b for b in by_currency[cur] if b.applicable and b.ref not in leave_out]
        if not items:
            continue
        if not all(b.complete for b in items):
            by_law.append(cur)      # no number for any of them: the sum would not be what is owed
            continue
        numbers = ", ".join(b.ref for b in items if b.interest or b.linkage)
        detail = t("interest_line.on", numbers=numbers, date=format_date(as_of, locale)) if numbers else ""
        interest = sum((b.interest for b in items if b.interest is not None), Money.zero(cur))
        linkage = sum((b.linkage for b in items if b.linkage is not None), Money.zero(cur))
        if interest:
            lines.append(ExtraLine(kind="interest", amount=interest, detail=detail))
        if linkage:
            lines.append(ExtraLine(kind="interest", amount=linkage, label=t("interest_line.linkage"), detail=detail))
        fees: dict[str, list[Money]] = defaultdict(list)
        for b in items:
            for f in b.fees:
                fees[f.code].append(f.amount)
        for code in sorted(fees):
            amounts = fees[code]
            lines.append(ExtraLine(kind="fee", amount=sum(amounts[1:], amounts[0]),
                                   label=t(f"interest_line.{code}") if t.has(f"interest_line.{code}") else "",
                                   detail=f"× {len(amounts)}" if len(amounts) > 1 else ""))
    return InterestLines(tuple(lines), [], tuple(by_law))


def _percent(value: Decimal) -> str:
    """A rate as a letter prints it: 12.25, 13 (no trailing zeros)."""
    return f"{value.normalize():f}"


def statutory_interest(ctx: Ctx, customer: Customer, as_of: date,
                       leave_out: frozenset[str] = frozenset()) -> StatutoryInterest | None:
    """The UK statutory interest a letter to ``customer`` dated ``as_of`` claims, when the rule
    in force is the Late Payment Act's (``gb_late_payment``) and it runs on some invoice: its
    yearly rates and the Bank of England base rates under them, the interest one more day adds
    (:func:`gvia.core.interest.daily_interest`) and the fixed sums of s.5A, all from
    :func:`compute` (the same figures as the letter's interest lines). None otherwise, or when
    a figure is missing (the letter's interest lines are then left out too). ``leave_out``: as
    for :func:`interest_lines`."""
    rule = rule_for(ctx, customer)[0]
    if not isinstance(rule, GbLatePayment):
        return None
    try:
        result = compute(ctx, customer, as_of, None)
    except GviaError:
        return None
    running = [b for b in result.breakdowns if b.applicable and b.periods and b.principal.currency == "GBP"
               and b.ref not in leave_out]
    if not running:
        return None
    rates = sorted({b.periods[-1].rate for b in running})
    fixed = sum((b.fees_total for b in running), Money.zero("GBP"))
    return StatutoryInterest(percents=tuple(_percent(r) for r in rates),
                             base_rates=tuple(_percent(r - rule.margin) for r in rates),
                             daily=daily_interest(running, "GBP"), fixed=fixed if fixed else None)

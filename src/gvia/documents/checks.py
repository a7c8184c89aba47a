"""What a document must have before it is produced. Problems are collected, not stopped at
the first, and raised together as :class:`~gvia.core.errors.ValidationFailed`.

The formal letters are held to what the law and the issue require, so that gvia never
produces a warning letter that a lawyer would have to throw away:

* ``warning_letter``: the creditor's name, company number, address, phone, e-mail and a
  signatory (the contact person); the debtor's ID or company number and address; a
  deadline not before the letter's date.
* ``warning_execution_office``: all of that, plus registered mail, the written contract or
  undertaking the claim rests on (``claim_basis``), amounts in ILS only, a total within the
  cap in force on the letter's date, and a deadline at least the notice period after it
  (:mod:`gvia.core.legal_rules`).
* ``letter_of_claim`` (UK Pre-Action Protocol for Debt Claims): the creditor's address
  (where the Reply Form goes) and a phone or e-mail to discuss payment; a deadline at
  least the Protocol's reply period (30 days) after the letter's date.
* every letter lists at least one invoice, and every letter but the courtesy note demands at
  least one (due on or before the letter's date, :mod:`gvia.core.demand`); each invoice's
  open amount is more than zero, at most its original amount, in the same currency.
* a payment plan's installments are numbered 1..n, in date order, positive, in the debt's
  currency, and add up to the debt exactly; a settlement's agreed amount is above zero and
  below the debt, in the same currency.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Sequence

from gvia.core.demand import NOT_YET_DUE_MODES
from gvia.core.errors import FieldProblem, ValidationFailed
from gvia.core.formatting import parse_locale
from gvia.core.legal_rules import earliest_filing, execution_office_rule, fixed_sum_fit, pre_action_debt_rule
from gvia.core.money import Money

from .model import (
    ATTACHMENT_KINDS,
    CHANNELS,
    LETTER_DOCUMENTS,
    CaseFileContext,
    Debtor,
    ExtraLine,
    InvoiceLine,
    LetterContext,
    Letterhead,
    PlanContext,
    SettlementContext,
    StatementContext,
)
from .wording import languages

_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
EXTRA_KINDS = ("interest", "fee", "other")
# letters that set a deadline before proceedings (formal tone, listed as warnings in the
# case file); the first two must also name both parties' ID numbers (Israeli practice)
FORMAL = ("warning_letter", "warning_execution_office", "letter_of_claim")
IDENTIFIED = ("warning_letter", "warning_execution_office")


def _p(field: str, value: object, message: str) -> FieldProblem:
    return FieldProblem(None, field, "" if value is None else str(value), message)


def _common(ctx, problems: list[FieldProblem]) -> None:
    if ctx.language not in languages():
        problems.append(_p("language", ctx.language, f"must be one of {', '.join(languages())}"))
    lh: Letterhead = ctx.letterhead
    if not lh.name.strip():
        problems.append(_p("letterhead.name", lh.name, "the organization's name is required"))
    if not _COLOUR.fullmatch(lh.accent or ""):
        problems.append(_p("letterhead.accent", lh.accent, "must be a colour like #1f4e79"))
    try:
        parse_locale(lh.locale)
    except ValidationFailed as e:
        problems.extend(FieldProblem(None, "letterhead.locale", p.value, p.message) for p in e.problems)
    d: Debtor = ctx.debtor
    if not d.name.strip():
        problems.append(_p("debtor.name", d.name, "the customer's name is required"))


def _invoices(lines: tuple[InvoiceLine, ...], problems: list[FieldProblem], required: bool) -> None:
    if required and not lines:
        problems.append(_p("invoices", "", "at least one open invoice is needed"))
    for i, ln in enumerate(lines):
        f = f"invoices[{i}]"
        if not ln.number.strip():
            problems.append(_p(f"{f}.number", ln.number, "invoice number is required"))
        if ln.original.currency != ln.open.currency:
            problems.append(_p(f"{f}.open", ln.open, "open amount is in another currency than the invoice"))
            continue
        if ln.open.amount <= 0:
            problems.append(_p(f"{f}.open", ln.open, "a letter lists only invoices with something open"))
        if ln.open > ln.original:
            problems.append(_p(f"{f}.open", ln.open, "open amount is more than the invoice"))
        if ln.days_overdue is not None and ln.days_overdue < 0:
            problems.append(_p(f"{f}.days_overdue", ln.days_overdue, "cannot be negative"))


def _formal(ctx: LetterContext, problems: list[FieldProblem]) -> None:
    lh, d = ctx.letterhead, ctx.debtor
    for field, value, what in (
        ("letterhead.tax_id", lh.tax_id, "the organization's company number"),
        ("letterhead.address_lines", lh.address_lines, "the organization's address"),
        ("letterhead.phone", lh.phone, "the organization's phone"),
        ("letterhead.email", lh.email, "the organization's e-mail"),
        ("letterhead.signatory_name", lh.signatory_name, "a signatory (the contact person)"),
        ("debtor.tax_id", d.tax_id, "the customer's ID or company number"),
        ("debtor.address_lines", d.address_lines, "the customer's address"),
    ):
        if not value or (isinstance(value, str) and not value.strip()):
            problems.append(_p(field, "", f"a {ctx.document} needs {what}"))
    if ctx.deadline is None:
        problems.append(_p("deadline", "", f"a {ctx.document} needs a deadline"))


def _execution_office(ctx: LetterContext, problems: list[FieldProblem]) -> None:
    if not ctx.registered_mail:
        problems.append(_p("registered_mail", False, "the notice must go by registered mail "
                                                     "with delivery confirmation"))
    # the route's one test (shekels, the cap of the day, a written basis): gvia.core.legal_rules
    fit = fixed_sum_fit(ctx.totals, ctx.as_of, bool(ctx.claim_basis.strip()))
    rule = fit.rule or execution_office_rule(ctx.as_of)
    if "no_written_basis" in fit.reasons:
        problems.append(_p("claim_basis", "", "name the written contract or undertaking the "
                                              "claim rests on"))
    if "not_in_shekels" in fit.reasons:
        other = sorted({c for c in ctx.totals if c != "ILS"})
        problems.append(_p("invoices", ", ".join(other), "a fixed-sum claim at the Execution "
                                                        "Office is in ILS only"))
    if "over_fixed_sum_cap" in fit.reasons:
        problems.append(_p("totals", ctx.totals.get_or_zero("ILS"),
                           f"more than the {rule.cap} cap of {rule.source_en}"))
    # the payment deadline is not before the notice period's last day, were the notice delivered on
    # the letter's own date (the one filing clock: the claim may be filed the day after)
    first_filing = earliest_filing(rule, ctx.as_of, ctx.as_of).on
    if ctx.deadline is not None and first_filing is not None and ctx.deadline < first_filing - timedelta(days=1):
        problems.append(_p("deadline", ctx.deadline.isoformat(),
                           f"must be at least {rule.notice_days} days after the letter's date"))


def _letter_of_claim(ctx: LetterContext, problems: list[FieldProblem]) -> None:
    lh = ctx.letterhead
    if not lh.address_lines:
        problems.append(_p("letterhead.address_lines", "", "a letter of claim needs the organization's "
                                                           "address (the Reply Form is sent there)"))
    if not (lh.phone.strip() or lh.email.strip()):
        problems.append(_p("letterhead.phone", "", "a letter of claim needs a phone or an e-mail "
                                                   "to discuss payment"))
    rule = pre_action_debt_rule(ctx.as_of)
    if ctx.deadline is None:
        problems.append(_p("deadline", "", "a letter of claim needs the end of the reply period"))
    elif ctx.deadline < rule.reply_by(ctx.as_of):
        problems.append(_p("deadline", ctx.deadline.isoformat(),
                           f"must be at least {rule.reply_days} days after the letter's date "
                           f"({rule.source_en})"))


def check_letter(ctx: LetterContext) -> None:
    problems: list[FieldProblem] = []
    if ctx.document not in LETTER_DOCUMENTS:
        problems.append(_p("document", ctx.document, f"must be one of {', '.join(LETTER_DOCUMENTS)}"))
    _common(ctx, problems)
    _invoices(ctx.invoices, problems, required=True)
    if ctx.not_yet_due not in NOT_YET_DUE_MODES:
        problems.append(_p("not_yet_due", ctx.not_yet_due, f"must be one of {', '.join(NOT_YET_DUE_MODES)}"))
    elif ctx.invoices and ctx.document != "courtesy" and not ctx.demand.demanded:
        problems.append(_p("invoices", ctx.as_of.isoformat(),
                           f"nothing is due on the letter's date: a {ctx.document} demands only invoices "
                           "due on or before it"))
    _extra_lines(ctx.extra_lines, problems)
    if ctx.deadline is not None and ctx.deadline < ctx.as_of:
        problems.append(_p("deadline", ctx.deadline.isoformat(), "is before the letter's date"))
    if ctx.deadline_days is not None and ctx.deadline_days < 1:
        problems.append(_p("deadline_days", ctx.deadline_days, "must be at least 1"))
    if ctx.document in IDENTIFIED:
        _formal(ctx, problems)
    if ctx.document == "warning_execution_office":
        _execution_office(ctx, problems)
    if ctx.document == "letter_of_claim":
        _letter_of_claim(ctx, problems)
    _raise(problems, ctx.document)


def _extra_lines(extra: Sequence[ExtraLine], problems: list[FieldProblem]) -> None:
    for i, x in enumerate(extra):
        if x.kind not in EXTRA_KINDS:
            problems.append(_p(f"extra_lines[{i}].kind", x.kind, f"must be one of {', '.join(EXTRA_KINDS)}"))


def check_statement(ctx: StatementContext) -> None:
    problems: list[FieldProblem] = []
    _common(ctx, problems)
    if ctx.statement is None:
        problems.append(_p("statement", "", "the statement is required"))
    _extra_lines(ctx.extra_lines, problems)
    if ctx.extra_lines and ctx.interest_unavailable:
        problems.append(_p("interest_unavailable", True, "cannot be set together with extra_lines"))
    _raise(problems, "statement")


def check_plan(ctx: PlanContext) -> None:
    problems: list[FieldProblem] = []
    _common(ctx, problems)
    _invoices(ctx.invoices, problems, required=False)
    if not ctx.plan_id.strip():
        problems.append(_p("plan_id", ctx.plan_id, "the plan's id is required"))
    if not ctx.installments:
        problems.append(_p("installments", "", "at least one installment is needed"))
    cur = ctx.debt_total.currency
    total = Money.zero(cur)
    for i, ins in enumerate(ctx.installments):
        f = f"installments[{i}]"
        if ins.number != i + 1:
            problems.append(_p(f"{f}.number", ins.number, f"installments are numbered 1..n; expected {i + 1}"))
        if ins.amount.currency != cur:
            problems.append(_p(f"{f}.amount", ins.amount, f"must be in {cur}, like the debt"))
            continue
        if ins.amount.amount <= 0:
            problems.append(_p(f"{f}.amount", ins.amount, "must be more than zero"))
        if i and ins.due_date < ctx.installments[i - 1].due_date:
            problems.append(_p(f"{f}.due_date", ins.due_date.isoformat(), "installments must be in date order"))
        total += ins.amount
    if ctx.installments and total != ctx.debt_total:
        problems.append(_p("installments", total, f"add up to {total}, not to the debt of {ctx.debt_total}"))
    if ctx.grace_days < 0:
        problems.append(_p("grace_days", ctx.grace_days, "cannot be negative"))
    _raise(problems, "payment_plan")


def check_settlement(ctx: SettlementContext) -> None:
    problems: list[FieldProblem] = []
    _common(ctx, problems)
    _invoices(ctx.invoices, problems, required=False)
    if ctx.not_yet_due not in NOT_YET_DUE_MODES:
        problems.append(_p("not_yet_due", ctx.not_yet_due, f"must be one of {', '.join(NOT_YET_DUE_MODES)}"))
    if not ctx.offer_id.strip():
        problems.append(_p("offer_id", ctx.offer_id, "the offer's id is required"))
    if ctx.agreed_amount.currency != ctx.debt_total.currency:
        problems.append(_p("agreed_amount", ctx.agreed_amount, "must be in the debt's currency"))
    elif not (0 < ctx.agreed_amount.amount < ctx.debt_total.amount):
        problems.append(_p("agreed_amount", ctx.agreed_amount,
                           f"must be more than zero and less than the debt of {ctx.debt_total}"))
    if ctx.deadline < ctx.as_of:
        problems.append(_p("deadline", ctx.deadline.isoformat(), "is before the offer's date"))
    _raise(problems, "settlement")


def check_casefile(ctx: CaseFileContext) -> None:
    problems: list[FieldProblem] = []
    _common(ctx, problems)
    _invoices(ctx.invoices, problems, required=False)
    for i, m in enumerate(ctx.messages):
        if m.channel not in CHANNELS:
            problems.append(_p(f"messages[{i}].channel", m.channel, f"must be one of {', '.join(CHANNELS)}"))
    for i, pr in enumerate(ctx.promises):
        if pr.status not in ("open", "kept", "broken"):
            problems.append(_p(f"promises[{i}].status", pr.status, "must be open, kept or broken"))
    for i, a in enumerate(ctx.attachments):
        if a.kind not in ATTACHMENT_KINDS:
            problems.append(_p(f"attachments[{i}].kind", a.kind, f"must be one of {', '.join(ATTACHMENT_KINDS)}"))
        if (a.path is None) == (a.data is None):
            problems.append(_p(f"attachments[{i}]", a.title, "give either a path or the data"))
    _raise(problems, "casefile")


def _raise(problems: list[FieldProblem], what: str) -> None:
    if problems:
        raise ValidationFailed(problems, f"the {what} cannot be produced: "
                                         f"{len(problems)} problem(s); nothing was rendered")


__all__ = ["check_letter", "check_statement", "check_plan", "check_settlement", "check_casefile"]

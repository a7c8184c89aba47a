"""Figures the law fixes, as data with their source and the day they apply from.

Israel, Execution Law 5727-1967, section 81A1 (חוק ההוצאה לפועל, התשכ״ז-1967, סעיף 81א1):
a claim for a fixed sum that arises from an explicit written contract or undertaking
(or from an explicit statutory obligation) may be filed directly with the Execution
Office, without a court judgment, if it does not exceed the cap on the day it is filed.
Before filing, the creditor must send the debtor a warning of the intention to file, by
registered mail with delivery confirmation, and may file only after the notice period
has passed. The cap was raised from ₪50,000 to ₪75,000 by amendment 46 (5775-2015), in
force from 15 October 2015.

**The filing clock** (:data:`FILING_CLOCKS`, :func:`earliest_filing`): the one computation of
the first day the claim may be filed. The section requires the warning to be *served*
("ימציא", s.81A1(b1)) by registered mail with delivery confirmation, while the stored secondary
sources say the 30 days run "from sending" (docs/legal-sources.md 1b-1e); the verbatim clause
(c) was not found. Until it is, gvia counts from the **recorded delivery** (the stricter
reading): the 30 days are whole days after the day of delivery, and the claim may be filed on
the day after the 30th. A refusal to accept the letter or to sign the confirmation counts as
service (s.81A1(b1), as glossed by the sources): record its day as the delivery day. No
delivery recorded: no filing day yet, and after a number of days (a business setting of
gvia, not a legal figure) the case goes to a person to find out why.

The letter's own date is never a legal clock: the posting and the delivery recorded for the
registered letter are.

England and Wales, Pre-Action Protocol for Debt Claims (Civil Procedure Rules, in force
from 1 October 2017): before a business sues an individual (a consumer or a sole trader)
for a debt, it sends a Letter of Claim with an up-to-date statement of the debt, an
Information Sheet, a Reply Form and a Financial Statement, and gives the debtor 30 days
from the date of the letter to reply. The letter states the amount, whether interest or
charges continue, the agreement the debt arises from (a copy can be asked for), how to pay
and how to discuss payment, and the address the Reply Form goes to. If the debtor says they
are getting debt advice, the creditor allows a reasonable time for it. The texts gvia
prints are its own plain summaries, not the Protocol's annexes.

The letters (:mod:`gvia.documents`), the legal routes (:mod:`gvia.core.legal_routes`) and the
services read these tables; none keeps a copy of a figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable, Mapping

from .errors import NotFound, NotFoundFor
from .money import Money

__all__ = ["ExecutionOfficeRule", "EXECUTION_OFFICE_RULES", "execution_office_rule",
           "FixedSumFit", "FIXED_SUM_MISFITS", "fixed_sum_fit",
           "FilingClock", "FILING_CLOCKS", "filing_clock", "FilingDay", "FILING_CODES", "earliest_filing",
           "PreActionDebtRule", "PRE_ACTION_DEBT_RULES", "pre_action_debt_rule"]


@dataclass(frozen=True)
class ExecutionOfficeRule:
    """The fixed-sum claim rule in force from ``valid_from``."""

    valid_from: date
    cap: Money                  # the claim may not exceed this on the day it is filed
    notice_days: int            # filing allowed only once this many days have passed (see FILING_CLOCKS)
    delivery: str               # how the warning must be sent
    source_he: str
    source_en: str


EXECUTION_OFFICE_RULES: tuple[ExecutionOfficeRule, ...] = (
    ExecutionOfficeRule(
        valid_from=date(2015, 10, 15),
        cap=Money.of(75000, "ILS"),
        notice_days=30,
        delivery="registered_mail_with_delivery_confirmation",
        source_he="חוק ההוצאה לפועל, התשכ״ז-1967, סעיף 81א1 (תיקון מס׳ 46, התשע״ה-2015)",
        source_en="Execution Law 5727-1967 (Israel), section 81A1 (amendment 46, 2015)",
    ),
)


@dataclass(frozen=True)
class FilingClock:
    """How the notice period of s.81A1 is counted, from ``valid_from``.

    ``counts_from``: "delivery" (the day the delivery confirmation records) or "posting".
    ``first_day``: the first day the claim may be filed is that day + ``notice_days`` +
    ``first_day`` (1: the notice days are whole days after the day counted from).
    ``confirmation_wait_days``: days after posting without a recorded delivery before the
    case goes to a person (returned, refused, unclaimed) — a business setting of gvia, not a
    legal figure."""

    valid_from: date
    counts_from: str
    first_day: int
    confirmation_wait_days: int
    source_en: str
    source_he: str


FILING_CLOCKS: tuple[FilingClock, ...] = (
    FilingClock(
        valid_from=date(2015, 10, 15),
        counts_from="delivery",
        first_day=1,
        confirmation_wait_days=21,
        source_en="Execution Law 5727-1967 s.81A1(b1): the warning is served ('ימציא') by registered "
                  "mail with delivery confirmation, a refusal to accept counting as service; the "
                  "secondary sources (Enforcement and Collection Authority Q&A, eca.what2do.co.il "
                  "P34891; weinstein-law.co.il, 13.1.2013) count the 30 days from sending, and the "
                  "text of clause (c) was not found (docs/legal-sources.md 1b-1e): gvia counts the "
                  "stricter way, 30 whole days after the recorded delivery, filing on the day after. "
                  "21 days without a delivery confirmation before a person looks is gvia's own "
                  "setting, not the law's",
        source_he="חוק ההוצאה לפועל, התשכ״ז-1967, סעיף 81א1(ב1): ההתראה מומצאת בדואר רשום עם אישור "
                  "מסירה, וסירוב לקבלה כמוהו כהמצאה; המקורות המשניים מונים 30 יום ממועד שליחת "
                  "ההתראה, ונוסח סעיף קטן (ג) לא נמצא: gvia מונה בדרך המחמירה, 30 ימים מלאים "
                  "מיום המסירה הרשום, והגשה ביום שלאחריהם. 21 יום ללא אישור מסירה עד שאדם בודק "
                  "הם הגדרה של gvia, לא של החוק",
    ),
)

#: What :func:`earliest_filing` says: the day is known (``from_delivery`` / ``from_posting``), or
#: not yet (``not_posted``: no posting recorded; ``awaiting_delivery_confirmation``: posted, no
#: delivery recorded yet; ``no_delivery_confirmation``: none recorded ``confirmation_wait_days``
#: after posting — a person must find out why).
FILING_CODES = ("from_delivery", "from_posting", "not_posted", "awaiting_delivery_confirmation",
                "no_delivery_confirmation")


def filing_clock(on: date) -> FilingClock:
    """The counting rule in force on ``on``; NotFound before the first row of the table."""
    in_force = [c for c in FILING_CLOCKS if c.valid_from <= on]
    if not in_force:
        raise NotFoundFor("filing_clock_none", f"no filing clock on file for {on.isoformat()}", on=on)
    return max(in_force, key=lambda c: c.valid_from)


@dataclass(frozen=True)
class FilingDay:
    """The first day a fixed-sum claim may be filed (``on``; None while it cannot be known), why
    (``code``, one of :data:`FILING_CODES`), the day counted from, the day a person must look
    when no delivery confirmation came (``ask_person_on``), and the rules used."""

    on: date | None
    code: str
    counted_from: date | None
    ask_person_on: date | None
    rule: ExecutionOfficeRule
    clock: FilingClock

    @property
    def source_en(self) -> str:
        return self.clock.source_en

    @property
    def source_he(self) -> str:
        return self.clock.source_he


def earliest_filing(rule: ExecutionOfficeRule, posted_on: date | None, delivered_on: date | None,
                    today: date | None = None) -> FilingDay:
    """The one filing clock of s.81A1 (see the module doc): the first day a claim may be filed
    for a warning posted on ``posted_on`` and delivered on ``delivered_on`` (either None: not
    recorded). Without a delivery the day is None: ``awaiting_delivery_confirmation``, or
    ``no_delivery_confirmation`` once ``today`` is ``confirmation_wait_days`` after posting."""
    clock = filing_clock(posted_on or delivered_on or rule.valid_from)
    if posted_on is None and delivered_on is None:
        return FilingDay(None, "not_posted", None, None, rule, clock)
    by_delivery = clock.counts_from == "delivery"
    start = delivered_on if by_delivery else (posted_on or delivered_on)
    if start is None:
        assert posted_on is not None        # delivered_on is None here, and not both are
        ask = posted_on + timedelta(days=clock.confirmation_wait_days)
        code = ("no_delivery_confirmation" if today is not None and today >= ask
                else "awaiting_delivery_confirmation")
        return FilingDay(None, code, None, ask, rule, clock)
    return FilingDay(start + timedelta(days=rule.notice_days + clock.first_day),
                     "from_delivery" if by_delivery else "from_posting", start, None, rule, clock)


@dataclass(frozen=True)
class PreActionDebtRule:
    """The Pre-Action Protocol for Debt Claims in force from ``valid_from``."""

    valid_from: date
    reply_days: int             # the debtor has this many days from the letter's date to reply
    source_en: str
    source_he: str

    def reply_by(self, letter_date: date) -> date:
        """The last day of the reply period for a letter dated ``letter_date``."""
        return letter_date + timedelta(days=self.reply_days)


PRE_ACTION_DEBT_RULES: tuple[PreActionDebtRule, ...] = (
    PreActionDebtRule(
        valid_from=date(2017, 10, 1),
        reply_days=30,
        source_en="Pre-Action Protocol for Debt Claims (Civil Procedure Rules, England and Wales), "
                  "in force from 1 October 2017",
        source_he="פרוטוקול טרום-הליכים לתביעות חוב (סדרי הדין האזרחי, אנגליה ווילס), בתוקף מיום 1.10.2017",
    ),
)


def pre_action_debt_rule(on: date) -> PreActionDebtRule:
    """The Protocol in force on ``on``; NotFound before it came into force."""
    in_force = [r for r in PRE_ACTION_DEBT_RULES if r.valid_from <= on]
    if not in_force:
        raise NotFoundFor("pre_action_rule_none", f"no Pre-Action Protocol for Debt Claims on file for "
                          f"{on.isoformat()}", on=on)
    return max(in_force, key=lambda r: r.valid_from)


def execution_office_rule(on: date) -> ExecutionOfficeRule:
    """The rule in force on ``on``; NotFound before the first row of the table."""
    in_force = [r for r in EXECUTION_OFFICE_RULES if r.valid_from <= on]
    if not in_force:
        raise NotFoundFor("execution_rule_none", f"no Execution Office fixed-sum rule on file for {on.isoformat()}",
                          on=on)
    return max(in_force, key=lambda r: r.valid_from)


#: Why a debt does not fit the Execution Office's fixed-sum route, in the order they are checked.
FIXED_SUM_MISFITS = ("no_rule_on_file", "not_in_shekels", "over_fixed_sum_cap", "no_written_basis")


@dataclass(frozen=True)
class FixedSumFit:
    """Whether a debt fits the fixed-sum claim at the Execution Office (s.81A1) on a filing day:
    ``reasons`` are the codes of :data:`FIXED_SUM_MISFITS` that apply (empty: it fits);
    ``rule`` the rule in force that day (None before the first on file)."""

    reasons: tuple[str, ...]
    rule: ExecutionOfficeRule | None

    @property
    def fits(self) -> bool:
        return not self.reasons

    @property
    def reason(self) -> str | None:
        """The first reason it does not fit (None when it fits)."""
        return self.reasons[0] if self.reasons else None


def fixed_sum_fit(overdue: Money | Iterable[Money] | Mapping[str, Money], filing_day: date,
                  has_written_basis: bool) -> FixedSumFit:
    """The one test of the fixed-sum route (s.81A1, :data:`EXECUTION_OFFICE_RULES`): the debt
    (``overdue``: one amount, or the amounts per currency) must be in shekels only
    ("not_in_shekels"), within the cap in force on ``filing_day`` ("over_fixed_sum_cap"), and
    rest on an explicit written contract or undertaking ("no_written_basis"). The ladder
    (choosing a stage's fallback document) and the warning letter's own check both ask it."""
    if isinstance(overdue, Money):
        amounts: list[Money] = [overdue]
    elif isinstance(overdue, Mapping):
        amounts = list(overdue.values())
    else:
        amounts = list(overdue)
    reasons: list[str] = []
    try:
        rule: ExecutionOfficeRule | None = execution_office_rule(filing_day)
    except NotFound:
        rule = None
        reasons.append("no_rule_on_file")
    if any(m.currency != "ILS" and m.amount != 0 for m in amounts):
        reasons.append("not_in_shekels")
    if rule is not None:
        shekels = sum((m for m in amounts if m.currency == "ILS"), Money.zero("ILS"))
        if shekels > rule.cap:
            reasons.append("over_fixed_sum_cap")
    if not has_written_basis:
        reasons.append("no_written_basis")
    return FixedSumFit(tuple(reasons), rule)

"""Interest and fixed fees on a late invoice, with a breakdown a person can check by hand.

:func:`calculate` takes an interest rule (per organization, overridable per customer), one
late debt (:class:`LateDebt`: an invoice's amount, due date and the payments made on it
since), the day to compute to (``as_of``, counted in) and the rate tables
(:class:`~gvia.core.rates.RateBook`), and returns an :class:`InterestBreakdown`: the
periods (from, to, days, balance, rate, basis), the interest of each period, the total,
Israeli linkage differences, and fixed fees as separate lines. Interest and fees are never
folded into the invoice amount: they are lines of their own in statements and letters, and
a settlement may waive them.

Common rules
============

* **When interest runs.** From the day after the due date (or from ``LateDebt.interest_from``
  when that is later, e.g. a contract that charges interest only from a demand) up to and
  including ``as_of``: an invoice due 1 April and computed to 16 May runs 45 days.
* **Payments** (and credit notes) reduce the balance interest runs on from the day after
  their date: a payment made on day P still bears interest on day P. They reduce the
  invoice's own amount, never interest already accrued (interest is a separate line).
* **Simple interest** for a period is ``balance × rate% × days / day_count``; the day count
  is 365 in every year (leap years included) unless a rule says otherwise.
* **Rounding once.** Period amounts are kept exact (unrounded Decimals); only the totals
  (interest, linkage) are rounded, half up, to the currency's minor unit. Rounding a daily
  amount first and multiplying it by the days is a common mistake of published calculators
  (see the tests) and is never done here.
* **Missing rates** raise :class:`~gvia.core.rates.MissingRate` naming the table and the
  date - never zero.
* **Interest never decreases as time passes** (with non-negative rates): each extra day adds
  a non-negative amount. Israeli linkage differences follow the index and are never negative.

Methods
=======

``none`` (:class:`NoInterest`): nothing.

``contractual`` (:class:`ContractualInterest`): an annual ``percent`` agreed in the
contract, or a ``reference`` rate table plus ``percent`` as the margin (e.g. a prime rate +
2). ``compounding``: ``simple``; ``monthly`` or ``annual``: interest accrues daily and is
added to the balance at the end of every month / year counted from the first day of
interest (31 January, 28/29 February, 31 March…: month ends are clamped). ``grace_days``
delays the start.

``gb_late_payment`` (:class:`GbLatePayment`): the Late Payment of Commercial Debts
(Interest) Act 1998, **business customers only** (a consumer debt gets nothing, with a note
saying why). Rate: 8% over the Bank of England base rate ("official dealing rate") in force
on 31 December (for interest that starts to run between 1 January and 30 June) or 30 June
(for interest that starts to run between 1 July and 31 December) immediately before the day
statutory interest starts to run - the Late Payment of Commercial Debts (Rate of Interest)
(No. 3) Order 2002, art. 4. The rate is therefore **fixed for the debt** by the day interest
starts; it does not change when later half-years begin. Simple interest, daily =
principal × rate / 365, rounded once. Fixed compensation per invoice (s.5A of the Act,
inserted by SI 2002/1674 from 7 August 2002): £40 for a debt under £1,000, £70 from
£1,000 to £9,999.99, £100 from £10,000. GBP only.

``eu_late_payment`` (:class:`EuLatePayment`): Directive 2011/7/EU, business (and public
authority) debtors: the reference rate (the ECB main refinancing rate) in force on
1 January applies to the first half of the year and the one in force on 1 July to the
second, **for each half-year the debt stays unpaid**, plus 8 points (the Directive's
minimum; set ``margin`` to the national figure), simple interest, and a fixed €40 per
invoice (Art. 6) - in another currency, set ``fixed_fee`` to the national amount.

``il_linkage`` (:class:`IlLinkage`): the Adjudication of Interest and Linkage Law 5721-1961, as
:mod:`gvia.core.il_interest` computes it (the one home of the Law's method, with its quoted
text): linkage differences from the CPI published just before the due date to the one published
just before payment, each part paid closing on its day; linked interest (``interest="linked"``)
or the Accountant General's linked arrears interest (``interest="arrears"``, s.5(b)) on the
linked amount at the rate in force each day (s.4(ב)); the year's linkage and interest added to
the principal once a year (s.7); ``interest="none"``: linkage only. Days from 1 January 2025
(Amendment 9 in force) get no figure: the breakdown lists them in ``unsourced`` with the reason
code and a document names no amount for them. The shipped rate tables hold every quarter from
1 April 2003 to 30 September 2023 (see their headers for sources); a period that is not on file
raises MissingRate.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Callable, ClassVar, Iterable, Mapping, Union

from . import il_interest
from .errors import FieldProblem, Refused, RefusedFor, ValidationFailed, Worded
from .money import Money, is_currency
from .rates import (
    EU_ECB_MRO_RATE,
    GB_BOE_BASE_RATE,
    IL_ARREARS_INTEREST,
    IL_CPI,
    IL_LINKED_INTEREST,
    IndexTable,
    RateBook,
    add_months,
)

__all__ = [
    "METHODS", "COMPOUNDING", "IL_INTEREST_KINDS",
    "LateDebt", "InterestPeriod", "LinkageLine", "FeeLine", "InterestBreakdown", "UnsourcedPeriod",
    "NoInterest", "ContractualInterest", "GbLatePayment", "EuLatePayment", "IlLinkage",
    "InterestRule", "FeeBand", "FixedCompensation", "GB_FIXED_COMPENSATION",
    "calculate", "calculate_all", "daily_interest", "parse_interest_rule", "gb_reference_date",
]

METHODS = ("none", "contractual", "gb_late_payment", "eu_late_payment", "il_linkage")
COMPOUNDING = ("simple", "monthly", "annual")
IL_INTEREST_KINDS = ("none", "linked", "arrears")

_ONE_DAY = timedelta(days=1)
_HUNDRED = Decimal(100)


# --- input ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LateDebt:
    """One invoice as the interest calculators see it.

    ``amount`` is what was due on ``due_date``; ``payments`` are (date, amount) of every
    payment or credit applied to it since (bounced cheques left out), in its currency.
    ``interest_from``: the first day interest runs, when a contract or the law makes it
    later than the day after the due date.
    """

    ref: str
    amount: Money
    due_date: date
    payments: tuple[tuple[date, Money], ...] = ()
    business_customer: bool = True
    interest_from: date | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Money) or self.amount.is_negative:
            raise Refused(f"invoice {self.ref}: the amount must be a positive Money")  # not shown: a caller's bug
        payments = tuple(sorted(self.payments, key=lambda p: p[0]))
        for day, m in payments:
            if not isinstance(m, Money) or m.currency != self.amount.currency:
                raise Refused(f"invoice {self.ref}: a payment of {m} on {day} is not in "  # not shown: a caller's bug
                              f"{self.amount.currency}; convert it first")
            if m.is_negative:
                raise Refused(f"invoice {self.ref}: a payment of {m} on {day} is negative")  # not shown: a caller's bug
        object.__setattr__(self, "payments", payments)

    @property
    def currency(self) -> str:
        return self.amount.currency

    @property
    def first_interest_day(self) -> date:
        start = self.due_date + _ONE_DAY
        if self.interest_from is not None and self.interest_from > start:
            return self.interest_from
        return start

    def balance_on(self, day: date) -> Decimal:
        """The amount interest runs on, on ``day`` (payments count from the day after)."""
        paid = sum((m.amount for d, m in self.payments if d < day), Decimal(0))
        return max(self.amount.amount - paid, Decimal(0))


# --- output --------------------------------------------------------------------------------


@dataclass(frozen=True)
class InterestPeriod:
    """Days ``start``..``end`` (both counted) at one ``rate`` (percent per year) on one
    ``balance``. ``interest`` is exact: ``balance × rate/100 × days / day_count``."""

    start: date
    end: date
    days: int
    balance: Decimal
    rate: Decimal
    day_count: int
    basis: str
    interest: Decimal


@dataclass(frozen=True)
class LinkageLine:
    """Israeli linkage differences on one part of the amount: ``amount`` linked from the
    index known on the due date to the index known on ``until``."""

    amount: Money
    until: date
    base_month: date
    base_value: Decimal
    final_month: date
    final_value: Decimal
    linkage: Decimal  # exact; never negative

    @property
    def factor(self) -> Decimal:
        return max(self.final_value / self.base_value, Decimal(1))


@dataclass(frozen=True)
class FeeLine:
    """A fixed fee (statutory compensation) charged once on the invoice."""

    code: str
    amount: Money
    basis: str
    source: str


@dataclass(frozen=True)
class UnsourcedPeriod:
    """Days ``start``..``end`` for which no figure is computed because the method the law
    prescribes for them is not in gvia's sources; ``code`` says why (worded at the edges:
    ``refusal.<code>``). A document then names no amount for interest and linkage."""

    start: date
    end: date
    code: str


@dataclass(frozen=True)
class InterestBreakdown:
    """Everything one invoice owes beyond its amount, line by line."""

    ref: str
    method: str
    principal: Money
    due_date: date
    as_of: date
    applicable: bool
    start: date | None = None
    periods: tuple[InterestPeriod, ...] = ()
    interest: Money | None = None
    linkage_lines: tuple[LinkageLine, ...] = ()
    linkage: Money | None = None
    fees: tuple[FeeLine, ...] = ()
    notes: tuple[str, ...] = ()
    unsourced: tuple[UnsourcedPeriod, ...] = ()

    @property
    def complete(self) -> bool:
        """False when part of the period has no figure (``unsourced``): the interest and
        linkage shown are then not what is owed, and no document may print them as such."""
        return not self.unsourced

    def __post_init__(self) -> None:
        zero = Money.zero(self.principal.currency)
        if self.interest is None:
            object.__setattr__(self, "interest", zero)
        if self.linkage is None:
            object.__setattr__(self, "linkage", zero)

    @property
    def days(self) -> int:
        """Days of interest counted (0 when none runs)."""
        return sum(p.days for p in self.periods) if self.periods else (
            max((self.as_of - self.start).days + 1, 0) if self.start else 0)

    @property
    def fees_total(self) -> Money:
        total = Money.zero(self.principal.currency)
        for f in self.fees:
            total += f.amount
        return total

    @property
    def total(self) -> Money:
        """Interest + linkage + fees: what is owed beyond the invoice amount."""
        assert self.interest is not None and self.linkage is not None
        return self.interest + self.linkage + self.fees_total

    def as_dict(self) -> dict[str, object]:
        """JSON-ready (strings for amounts and dates) for ``gvia interest``."""
        def money(m: Money | None) -> str | None:
            return None if m is None else str(m.amount)

        return {
            "invoice": self.ref,
            "method": self.method,
            "applicable": self.applicable,
            "currency": self.principal.currency,
            "principal": money(self.principal),
            "due_date": self.due_date.isoformat(),
            "as_of": self.as_of.isoformat(),
            "start": self.start.isoformat() if self.start else None,
            "days": self.days,
            "periods": [{
                "from": p.start.isoformat(), "to": p.end.isoformat(), "days": p.days,
                "balance": str(p.balance), "rate": str(p.rate), "day_count": p.day_count,
                "basis": p.basis,
                "interest_unrounded": str(p.interest.quantize(Decimal("0.000001"))),
            } for p in self.periods],
            "interest": money(self.interest),
            "linkage": [{
                "amount": money(ln.amount), "until": ln.until.isoformat(),
                "base_index": {"month": ln.base_month.strftime("%Y-%m"), "value": str(ln.base_value)},
                "final_index": {"month": ln.final_month.strftime("%Y-%m"), "value": str(ln.final_value)},
                "linkage_unrounded": str(ln.linkage.quantize(Decimal("0.000001"))),
            } for ln in self.linkage_lines],
            "linkage_total": money(self.linkage),
            "fees": [{"code": f.code, "amount": money(f.amount), "basis": f.basis,
                      "source": f.source} for f in self.fees],
            "total": money(self.total),
            "complete": self.complete,
            "unsourced": [{"from": u.start.isoformat(), "to": u.end.isoformat(), "reason": u.code}
                          for u in self.unsourced],
            "notes": list(self.notes),
        }


# --- rules -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoInterest:
    method: ClassVar[str] = "none"


@dataclass(frozen=True)
class ContractualInterest:
    """Interest the contract sets: ``percent`` per year, or ``reference`` table + ``percent``."""

    percent: Decimal
    compounding: str = "simple"
    grace_days: int = 0
    reference: str | None = None
    day_count: int = 365
    method: ClassVar[str] = "contractual"

    def __post_init__(self) -> None:
        problems = []
        if not isinstance(self.percent, Decimal) or not self.percent.is_finite():
            problems.append(FieldProblem(None, "percent", str(self.percent), "must be a Decimal",
                                         code="interest_not_a_number"))
        elif self.reference is None and self.percent < 0:
            problems.append(FieldProblem(None, "percent", str(self.percent),
                                         "an interest rate cannot be negative", code="interest_rate_negative"))
        if self.compounding not in COMPOUNDING:
            problems.append(FieldProblem(None, "compounding", self.compounding,
                                         f"must be one of {', '.join(COMPOUNDING)}", code="interest_one_of",
                                         params={"choices": COMPOUNDING}))
        if self.grace_days < 0:
            problems.append(FieldProblem(None, "grace_days", str(self.grace_days),
                                         "cannot be negative", code="interest_not_negative"))
        if self.day_count not in (360, 365):
            problems.append(FieldProblem(None, "day_count", str(self.day_count), "must be 365 or 360",
                                         code="interest_day_count"))
        if problems:
            raise ValidationFailed(problems, "contractual interest rule is not valid", code="interest_rule_invalid")


@dataclass(frozen=True)
class GbLatePayment:
    """Late Payment of Commercial Debts (Interest) Act 1998 (see the module docstring)."""

    margin: Decimal = Decimal(8)
    table: str = GB_BOE_BASE_RATE
    method: ClassVar[str] = "gb_late_payment"


@dataclass(frozen=True)
class EuLatePayment:
    """Directive 2011/7/EU (see the module docstring)."""

    margin: Decimal = Decimal(8)
    fixed_fee: Money = field(default_factory=lambda: Money.of(40, "EUR"))
    table: str = EU_ECB_MRO_RATE
    day_count: int = 365
    method: ClassVar[str] = "eu_late_payment"


@dataclass(frozen=True)
class IlLinkage:
    """Interest and Linkage Adjudication Law (see the module docstring)."""

    interest: str = "linked"
    cpi_table: str = IL_CPI
    day_count: int = 365
    method: ClassVar[str] = "il_linkage"

    def __post_init__(self) -> None:
        if self.interest not in IL_INTEREST_KINDS:
            raise ValidationFailed([FieldProblem(None, "interest", self.interest,
                                                 f"must be one of {', '.join(IL_INTEREST_KINDS)}",
                                                 code="interest_one_of", params={"choices": IL_INTEREST_KINDS})],
                                   code="interest_rule_invalid")

    @property
    def interest_table(self) -> str | None:
        return {"linked": IL_LINKED_INTEREST, "arrears": IL_ARREARS_INTEREST}.get(self.interest)


InterestRule = Union[NoInterest, ContractualInterest, GbLatePayment, EuLatePayment, IlLinkage]


# --- fixed compensation as data ------------------------------------------------------------------


@dataclass(frozen=True)
class FeeBand:
    """``fee`` for a debt below ``below`` (None: no upper limit)."""

    below: Decimal | None
    fee: Decimal


@dataclass(frozen=True)
class FixedCompensation:
    """A statutory fixed sum per late invoice, by the size of the debt."""

    currency: str
    bands: tuple[FeeBand, ...]
    valid_from: date
    source: str

    def fee_for(self, debt: Money) -> Money:
        if debt.currency != self.currency:
            raise Refused(f"the fixed compensation bands are in {self.currency}; the invoice "  # not shown: a bug
                          f"is in {debt.currency}")
        for band in self.bands:
            if band.below is None or debt.amount < band.below:
                return Money(band.fee, self.currency)
        raise AssertionError("the last band has no upper limit")  # not shown: the bands' own invariant


GB_FIXED_COMPENSATION = FixedCompensation(
    currency="GBP",
    bands=(FeeBand(Decimal(1000), Decimal(40)), FeeBand(Decimal(10000), Decimal(70)),
           FeeBand(None, Decimal(100))),
    valid_from=date(2002, 8, 7),
    source="Late Payment of Commercial Debts (Interest) Act 1998, s.5A (inserted by the Late "
           "Payment of Commercial Debts Regulations 2002, SI 2002/1674, in force 7 August 2002)",
)

_GB_RATE_SOURCE = ("Late Payment of Commercial Debts (Rate of Interest) (No. 3) Order 2002, "
                   "SI 2002/1675, art. 4")
_EU_SOURCE = "Directive 2011/7/EU on combating late payment in commercial transactions"


# --- the accrual engine ----------------------------------------------------------------------


RateFor = Callable[[date], tuple[Decimal, str]]


def _accrue(start: date, end: date, balance_on: Callable[[date], Decimal],
            boundaries: Iterable[date], rate_for: RateFor, day_count: int,
            compound_at: Iterable[date] = ()) -> list[InterestPeriod]:
    """Split ``start..end`` at ``boundaries`` (days on which a new period begins) and the
    compounding days, and accrue simple interest on each piece; at each compounding day the
    interest accrued since the last one is added to the balance."""
    if end < start:
        return []
    compound = {d for d in compound_at if start < d <= end}
    cuts = sorted({start} | {d for d in boundaries if start < d <= end} | compound)
    periods: list[InterestPeriod] = []
    capitalised = Decimal(0)
    pending = Decimal(0)
    for i, first in enumerate(cuts):
        last = cuts[i + 1] - _ONE_DAY if i + 1 < len(cuts) else end
        if first in compound:
            capitalised += pending
            pending = Decimal(0)
        balance = balance_on(first) + capitalised
        if balance <= 0:
            continue
        rate, basis = rate_for(first)
        days = (last - first).days + 1
        interest = balance * rate * days / (_HUNDRED * day_count)
        if periods and periods[-1].rate == rate and periods[-1].balance == balance \
                and periods[-1].basis == basis and periods[-1].end + _ONE_DAY == first:
            prev = periods.pop()  # same terms: one line, not two
            days += prev.days
            first = prev.start
            interest = balance * rate * days / (_HUNDRED * day_count)
            pending -= prev.interest
        periods.append(InterestPeriod(first, last, days, balance, rate, day_count, basis, interest))
        pending += interest
    return periods


def _payment_cuts(debt: LateDebt) -> list[date]:
    return [d + _ONE_DAY for d, _ in debt.payments]


def _total(periods: Iterable[InterestPeriod], currency: str) -> Money:
    return Money(sum((p.interest for p in periods), Decimal(0)), currency)


def _fmt(pct: Decimal) -> str:
    return f"{pct.normalize():f}%" if pct == pct.to_integral() else f"{pct}%"


# --- methods -------------------------------------------------------------------------------------


def _none(rule: NoInterest, debt: LateDebt, as_of: date, book: RateBook) -> InterestBreakdown:
    return InterestBreakdown(debt.ref, rule.method, debt.amount, debt.due_date, as_of,
                             applicable=True, notes=("no interest is charged",))


def _contractual(rule: ContractualInterest, debt: LateDebt, as_of: date,
                 book: RateBook) -> InterestBreakdown:
    start = debt.first_interest_day + timedelta(days=rule.grace_days)
    boundaries = _payment_cuts(debt)
    if rule.reference is not None:
        table = book.rates(rule.reference)
        boundaries += table.changes_between(start, as_of)

        def rate_for(day: date) -> tuple[Decimal, str]:
            base = table.rate_on(day)
            rate = max(base + rule.percent, Decimal(0))
            return rate, Worded(f"contractual: {table.title or table.name} {_fmt(base)} + {_fmt(rule.percent)}",
                                code="interest_basis_reference", table=table.title or table.name, base=_fmt(base),
                                margin=_fmt(rule.percent))
    else:
        def rate_for(day: date) -> tuple[Decimal, str]:
            return rule.percent, Worded(f"contractual rate {_fmt(rule.percent)} a year",
                                        code="interest_basis_contractual", rate=_fmt(rule.percent))

    compound: list[date] = []
    if rule.compounding != "simple" and as_of >= start:
        step = 1 if rule.compounding == "monthly" else 12
        k = 1
        while (d := add_months(start, k * step, start.day)) <= as_of:
            compound.append(d)
            k += 1
    periods = _accrue(start, as_of, debt.balance_on, boundaries, rate_for, rule.day_count, compound)
    notes = [f"interest {rule.compounding}" + ("" if rule.compounding == "simple" else
             " (accrued interest added to the balance every "
             f"{'month' if rule.compounding == 'monthly' else 'year'} from {start.isoformat()})")]
    return InterestBreakdown(debt.ref, rule.method, debt.amount, debt.due_date, as_of, True,
                             start, tuple(periods), _total(periods, debt.currency),
                             notes=tuple(notes))


def _not_business(rule: GbLatePayment | EuLatePayment, debt: LateDebt, as_of: date,
                  law: str) -> InterestBreakdown:
    return InterestBreakdown(debt.ref, rule.method, debt.amount, debt.due_date, as_of,
                             applicable=False,
                             notes=(f"{law} applies only between businesses (and public "
                                    "authorities); this customer is not a business, so no "
                                    "statutory interest or compensation is charged",))


def gb_reference_date(first_interest_day: date) -> date:
    """The reference date for UK statutory interest that starts to run on the given day:
    31 December before it (January-June) or 30 June before it (July-December)."""
    if first_interest_day.month <= 6:
        return date(first_interest_day.year - 1, 12, 31)
    return date(first_interest_day.year, 6, 30)


def _gb(rule: GbLatePayment, debt: LateDebt, as_of: date, book: RateBook) -> InterestBreakdown:
    law = "The Late Payment of Commercial Debts (Interest) Act 1998"
    if not debt.business_customer:
        return _not_business(rule, debt, as_of, law)
    if debt.currency != "GBP":
        raise RefusedFor("interest_gb_not_sterling", f"invoice {debt.ref}: UK statutory interest and compensation "
                         f"are computed on sterling debts; this one is in {debt.currency}", invoice=debt.ref,
                         currency=debt.currency)
    start = debt.first_interest_day
    if as_of < start:
        return InterestBreakdown(debt.ref, rule.method, debt.amount, debt.due_date, as_of, True,
                                 start, notes=("not late yet",))
    ref_day = gb_reference_date(start)
    base = book.rates(rule.table).rate_on(ref_day)
    rate = base + rule.margin
    basis = Worded(f"Bank of England base rate {_fmt(base)} in force on {ref_day.isoformat()} + "
                   f"{_fmt(rule.margin)}, fixed for this debt ({_GB_RATE_SOURCE})", code="interest_basis_gb",
                   base=_fmt(base), day=ref_day, margin=_fmt(rule.margin), source=_GB_RATE_SOURCE)
    periods = _accrue(start, as_of, debt.balance_on, _payment_cuts(debt),
                      lambda _d: (rate, basis), 365)
    fee = GB_FIXED_COMPENSATION.fee_for(debt.amount)
    fees = (FeeLine("gb_fixed_compensation", fee,
                    f"fixed compensation for a debt of {debt.amount.amount} GBP",
                    GB_FIXED_COMPENSATION.source),)
    return InterestBreakdown(debt.ref, rule.method, debt.amount, debt.due_date, as_of, True,
                             start, tuple(periods), _total(periods, debt.currency), fees=fees,
                             notes=("simple interest, daily = balance × rate / 365, rounded "
                                    "once at the end",))


def _half_year_starts(start: date, end: date) -> list[date]:
    out = []
    for year in range(start.year, end.year + 1):
        for month in (1, 7):
            d = date(year, month, 1)
            if start < d <= end:
                out.append(d)
    return out


def _eu(rule: EuLatePayment, debt: LateDebt, as_of: date, book: RateBook) -> InterestBreakdown:
    law = "Directive 2011/7/EU"
    if not debt.business_customer:
        return _not_business(rule, debt, as_of, law)
    if rule.fixed_fee.currency != debt.currency:
        raise RefusedFor("interest_eu_fee_currency", f"invoice {debt.ref}: the fixed fee is {rule.fixed_fee} but "
                         f"the invoice is in {debt.currency}; set the national fixed amount in {debt.currency}",
                         invoice=debt.ref, fee=rule.fixed_fee, currency=debt.currency)
    start = debt.first_interest_day
    if as_of < start:
        return InterestBreakdown(debt.ref, rule.method, debt.amount, debt.due_date, as_of, True,
                                 start, notes=("not late yet",))
    table = book.rates(rule.table)

    def rate_for(day: date) -> tuple[Decimal, str]:
        ref = date(day.year, 1, 1) if day.month <= 6 else date(day.year, 7, 1)
        base = table.rate_on(ref)
        half = "first" if day.month <= 6 else "second"
        return base + rule.margin, Worded(f"ECB main refinancing rate {_fmt(base)} in force on "
                                          f"{ref.isoformat()} + {_fmt(rule.margin)} ({half} half of "
                                          f"{day.year}; {_EU_SOURCE})",
                                          code=("interest_basis_eu_first" if half == "first"
                                                else "interest_basis_eu_second"),
                                          base=_fmt(base), day=ref, margin=_fmt(rule.margin), year=day.year,
                                          source=_EU_SOURCE)

    periods = _accrue(start, as_of, debt.balance_on,
                      _payment_cuts(debt) + _half_year_starts(start, as_of), rate_for,
                      rule.day_count)
    fees = (FeeLine("eu_fixed_compensation", rule.fixed_fee,
                    "fixed sum for recovery costs, once per invoice",
                    f"{_EU_SOURCE}, art. 6"),)
    return InterestBreakdown(debt.ref, rule.method, debt.amount, debt.due_date, as_of, True,
                             start, tuple(periods), _total(periods, debt.currency), fees=fees,
                             notes=(f"simple interest, day count {rule.day_count}, rounded once "
                                    "at the end",))


def _il(rule: IlLinkage, debt: LateDebt, as_of: date, book: RateBook) -> InterestBreakdown:
    """The Law's method, one home: :func:`gvia.core.il_interest.compute` (ss.1, 4(ב), 7 to
    31 December 2024; no figure after it). Each payment closes the part of the amount it pays
    on its day; the rest runs to ``as_of``."""
    start = debt.first_interest_day
    if as_of < start:
        return InterestBreakdown(debt.ref, rule.method, debt.amount, debt.due_date, as_of, True,
                                 start, notes=("not late yet",))
    parts: list[il_interest.Part] = []
    left = debt.amount.amount
    for day, paid in debt.payments:
        if day >= as_of or left <= 0:
            continue
        take = min(paid.amount, left)
        left -= take
        if day > debt.due_date and take > 0:
            parts.append(il_interest.Part(take, day))
    if left > 0:
        parts.append(il_interest.Part(left, as_of))
    computable = any(min(p.until, il_interest.LAW_METHOD_LAST_DAY) >= start for p in parts)
    cpi = book.index(rule.cpi_table) if computable else None
    table_name = rule.interest_table
    rates = book.rates(table_name) if table_name is not None and computable else None
    label = "linked interest" if rule.interest == "linked" else "linked arrears interest"
    if cpi is None:
        result = il_interest.compute(parts, start, debt.due_date, _EMPTY_CPI, None, rule.day_count)
    else:
        result = il_interest.compute(parts, start, debt.due_date, cpi, rates, rule.day_count)
    cur = debt.currency
    lines = tuple(LinkageLine(Money(y.principal, cur), y.end, y.base.month, y.base.value, y.final.month,
                              y.final.value, y.linkage) for y in result.years)
    periods = tuple(InterestPeriod(p.start, p.end, p.days, p.balance, p.rate, rule.day_count,
                                   f"{label} {_fmt(p.rate)} ({p.source})", p.interest) for p in result.pieces)
    notes: list[str] = []
    if result.years:
        first = result.years[0]
        notes.append(f"linkage from the index for {first.base.month.strftime('%Y-%m')} ({first.base.value}), the "
                     f"last published before the due date {debt.due_date.isoformat()}")
        if len(result.years) > len({y.part for y in result.years}):
            notes.append("linkage differences and interest added to the principal once a year (Law s.7)")
    for gap in result.unsourced:
        notes.append(f"no figure from {gap.start.isoformat()} to {gap.end.isoformat()}: Amendment 9 of the Law "
                     "is in force from 1 January 2025 and its method is not in gvia's sources "
                     f"({gap.code}); linkage differences and interest as the law provides")
    return InterestBreakdown(debt.ref, rule.method, debt.amount, debt.due_date, as_of, True,
                             start, periods, _total(periods, cur), lines,
                             Money(sum((ln.linkage for ln in lines), Decimal(0)), cur), notes=tuple(notes),
                             unsourced=tuple(UnsourcedPeriod(g.start, g.end, g.code) for g in result.unsourced))


_EMPTY_CPI = IndexTable(name=IL_CPI, source="", base="", rows=())


_DISPATCH: dict[type, Callable[..., InterestBreakdown]] = {
    NoInterest: _none, ContractualInterest: _contractual, GbLatePayment: _gb,
    EuLatePayment: _eu, IlLinkage: _il,
}


def calculate(rule: InterestRule, debt: LateDebt, as_of: date,
              book: RateBook | None = None) -> InterestBreakdown:
    """The interest, linkage and fees owed on ``debt`` up to and including ``as_of``."""
    try:
        fn = _DISPATCH[type(rule)]
    except KeyError:
        raise Refused(f"unknown interest rule {rule!r}") from None  # not shown: a caller's bug
    return fn(rule, debt, as_of, book if book is not None else RateBook())


def calculate_all(rule: InterestRule, debts: Iterable[LateDebt], as_of: date,
                  book: RateBook | None = None) -> list[InterestBreakdown]:
    """:func:`calculate` for each debt, in order."""
    return [calculate(rule, d, as_of, book) for d in debts]


def daily_interest(breakdowns: Iterable[InterestBreakdown], currency: str) -> Money:
    """The interest one more day adds to ``breakdowns`` (of one currency) as they stand on their
    ``as_of``: for each, the balance of its last period × its rate / its day count (simple
    interest), summed exactly and rounded once. Zero when no interest runs; Israeli linkage
    differences (which follow the index, not the days) are not counted."""
    total = Decimal(0)
    for b in breakdowns:
        if b.principal.currency != currency:
            raise Refused(f"invoice {b.ref} is in {b.principal.currency}, not {currency}")  # not shown: a caller's bug
        if b.applicable and b.periods:
            p = b.periods[-1]
            total += p.balance * p.rate / _HUNDRED / p.day_count
    return Money(total, currency)


# --- rules from configuration ------------------------------------------------------------------

_RULE_KEYS = {
    "none": set(),
    "contractual": {"percent", "compounding", "grace_days", "reference", "day_count"},
    "gb_late_payment": {"margin"},
    "eu_late_payment": {"margin", "fixed_fee", "fee_currency", "day_count"},
    "il_linkage": {"interest"},
}


def parse_interest_rule(data: Mapping[str, object], source: str = "") -> InterestRule:
    """An interest rule from configuration (a TOML table or a form), checked.

    ``method`` is one of :data:`METHODS`; then, by method: ``contractual``: ``percent``
    (required), ``compounding``, ``grace_days``, ``reference`` (a rate table name),
    ``day_count``; ``gb_late_payment``: ``margin``; ``eu_late_payment``: ``margin``,
    ``fixed_fee`` with ``fee_currency``, ``day_count``; ``il_linkage``: ``interest``
    (none, linked, arrears). Numbers are strings or integers, never floats. Raises
    :class:`ValidationFailed` with one problem per bad key.
    """
    problems: list[FieldProblem] = []

    def bad(key: str, value: object, message: str, *, code: str, **params: object) -> None:
        problems.append(FieldProblem(None, key, "" if value is None else str(value), message, source,
                                     code=code, params=params))

    method = data.get("method")
    if method not in METHODS:
        bad("method", method, f"must be one of {', '.join(METHODS)}", code="interest_one_of", choices=METHODS)
        raise ValidationFailed(problems, "interest rule is not valid", code="interest_rule_invalid")
    assert isinstance(method, str)
    for key in data:
        if key != "method" and key not in _RULE_KEYS[method]:
            bad(key, data[key], f"not a setting of method {method!r}", code="interest_not_a_setting", method=method)

    def decimal(key: str, default: Decimal | None = None) -> Decimal | None:
        value = data.get(key)
        if value is None:
            if default is None:
                bad(key, value, "is required", code="interest_required")
            return default
        if isinstance(value, (float, bool)) or not isinstance(value, (int, str, Decimal)):
            bad(key, value, "write the number as a string or an integer, never a float", code="interest_number_as_text")
            return default
        try:
            d = Decimal(str(value).strip().rstrip("%"))
        except Exception:
            bad(key, value, "not a number", code="interest_not_a_number")
            return default
        if not d.is_finite():
            bad(key, value, "not a number", code="interest_not_a_number")
            return default
        return d

    def integer(key: str, default: int) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            bad(key, value, "must be a whole number", code="interest_whole_number")
            return default
        return value

    rule: InterestRule | None = None
    if method == "none":
        rule = NoInterest()
    elif method == "contractual":
        pct = decimal("percent")
        compounding = str(data.get("compounding", "simple"))
        reference = data.get("reference")
        grace = integer("grace_days", 0)
        day_count = integer("day_count", 365)
        if reference is not None and not isinstance(reference, str):
            bad("reference", reference, "must be the name of a rate table", code="interest_rate_table_name")
        if pct is not None and not problems:
            try:
                rule = ContractualInterest(pct, compounding, grace,
                                           reference if isinstance(reference, str) else None,
                                           day_count)
            except ValidationFailed as exc:
                problems.extend(replace(p, source=source) for p in exc.problems)
    elif method == "gb_late_payment":
        margin = decimal("margin", Decimal(8))
        if margin is not None and margin < 0:
            bad("margin", margin, "cannot be negative", code="interest_not_negative")
        rule = GbLatePayment(margin if margin is not None else Decimal(8))
    elif method == "eu_late_payment":
        margin = decimal("margin", Decimal(8))
        if margin is not None and margin < 0:
            bad("margin", margin, "cannot be negative", code="interest_not_negative")
        fee_amount = decimal("fixed_fee", Decimal(40))
        fee_currency = str(data.get("fee_currency", "EUR")).upper()
        if not is_currency(fee_currency):
            bad("fee_currency", fee_currency, "unknown currency", code="interest_unknown_currency")
        elif fee_amount is not None and fee_amount < 0:
            bad("fixed_fee", fee_amount, "cannot be negative", code="interest_not_negative")
        day_count = integer("day_count", 365)
        if day_count not in (360, 365):
            bad("day_count", day_count, "must be 365 or 360", code="interest_day_count")
        if not problems:
            assert margin is not None and fee_amount is not None
            rule = EuLatePayment(margin, Money.of(fee_amount, fee_currency), day_count=day_count)
    else:
        kind = data.get("interest", "linked")
        if kind not in IL_INTEREST_KINDS:
            bad("interest", kind, f"must be one of {', '.join(IL_INTEREST_KINDS)}", code="interest_one_of",
                choices=IL_INTEREST_KINDS)
        else:
            rule = IlLinkage(str(kind))
    if problems or rule is None:
        raise ValidationFailed(problems, "interest rule is not valid", code="interest_rule_invalid")
    return rule


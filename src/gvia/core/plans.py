"""Payment plans: a debt split into installments, checked against policy, followed payment by payment.

Building a plan (:func:`build_plan`)
====================================

From the open balance (``total``), a number of installments, a frequency and the first date:

* an optional **down payment** comes first (due on ``down_payment_due``, default the first
  date); the installments share what is left;
* **dates**: weekly and every two weeks add 7 / 14 days to the first date; monthly keeps the
  first date's day of the month, clamped to the last day of shorter months (a plan starting
  31 January falls on 28/29 February, 31 March, 30 April…: the day is taken from the first
  date each time, never from the clamped one). A date that falls on a day off (weekend or
  holiday of the given :class:`~gvia.core.calendar.BusinessCalendar`) moves to the **next
  business day**; ``scheduled`` keeps the date before the move;
* **amounts**: every installment is the same multiple of ``unit`` (default the currency's
  minor unit - one agora; pass ``Money.of(1, "ILS")`` for whole shekels), rounded down, and
  **the last installment takes the remainder**, so the installments and the down payment add
  up exactly to the total and the last one is never smaller than the others. ₪1,000 in 3 is
  333.33 + 333.33 + 333.34;
* with ``cheques=True`` each installment is marked as paid by a post-dated cheque dated on its
  due date (the agreement lists them).

Impossible input is refused (:class:`~gvia.core.errors.Refused`): a total that is not
positive, fewer than one installment, an unknown frequency, a down payment in another
currency, negative or not less than the total, or installments smaller than one unit.

Policy limits (:func:`check_limits`)
=====================================

:class:`PlanLimits` says what a collector may agree alone (e.g. up to 6 months, at least ₪500
an installment); :func:`check_limits` lists each way a plan goes beyond them (a
:class:`~gvia.core.errors.Worded` reason: its English, a code and values the edges word): each
needs the owner's approval. An empty list means the collector may agree the plan.

Following a plan (:func:`apply_payments_to_plan`)
=================================================

Payments (cleared only: a bounced cheque is simply absent) are applied to the installments
**in order** (down payment first), oldest payment first; a payment larger than the installment
due pays the next ones in advance. On ``today`` each installment is:

* ``paid`` - fully covered (``paid_on`` is the day it was; ``late`` if after its grace period);
* ``missed`` - not fully covered and its grace period (due date + ``grace_days``) has ended;
* ``partial`` - partly covered, grace period not over;
* ``due`` - nothing paid, due date reached, grace period not over;
* ``upcoming`` - nothing paid, due date still ahead.

Each missed installment needs a reminder about that installment alone, with a **stable key**
(``<plan_ref>:installment:<n>``): running the check again never yields a second reminder for
the same installment. The plan is **in default** when ``default_after_missed`` installments
(default 2) are missed at the same time: the plan ends and escalation resumes. A customer who
catches up is no longer missing those installments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_DOWN
from typing import Iterable, Mapping

from .calendar import BusinessCalendar
from .errors import Refused, RefusedFor, Worded
from .money import Money
from .rates import add_months

__all__ = [
    "FREQUENCIES", "DOWN_PAYMENT", "INSTALLMENT",
    "PAID", "PARTIAL", "DUE", "UPCOMING", "MISSED", "INSTALLMENT_STATES",
    "Installment", "PlanLimits", "InstallmentStatus", "PlanReminder", "PlanStatus",
    "build_plan", "check_limits", "apply_payments_to_plan", "plan_total",
]

FREQUENCIES = ("weekly", "biweekly", "monthly")
DOWN_PAYMENT = "down_payment"
INSTALLMENT = "installment"

PAID = "paid"
PARTIAL = "partial"
DUE = "due"
UPCOMING = "upcoming"
MISSED = "missed"
INSTALLMENT_STATES = (PAID, PARTIAL, DUE, UPCOMING, MISSED)


@dataclass(frozen=True)
class Installment:
    """One amount due on one day. ``number`` is 0 for the down payment, 1..N otherwise."""

    number: int
    due: date
    amount: Money
    kind: str = INSTALLMENT
    scheduled: date | None = None
    cheque: bool = False

    def key(self, plan_ref: str = "plan") -> str:
        """A stable key for this installment (used for its reminder's idempotency key)."""
        return f"{plan_ref}:installment:{self.number}"


def _nominal_dates(first: date, count: int, frequency: str) -> list[date]:
    if frequency == "weekly":
        return [first + timedelta(days=7 * k) for k in range(count)]
    if frequency == "biweekly":
        return [first + timedelta(days=14 * k) for k in range(count)]
    return [add_months(first, k, first.day) for k in range(count)]


def build_plan(total: Money, installments: int, frequency: str, first: date,
               down_payment: Money | None, calendar: BusinessCalendar, *,
               down_payment_due: date | None = None, unit: Money | None = None,
               cheques: bool = False) -> list[Installment]:
    """The installments (down payment first) of a plan; rules in the module docstring."""
    if not isinstance(total, Money) or total.amount <= 0:
        raise RefusedFor("plan_not_positive", f"a plan needs a positive balance to split, not {total}", total=total)
    if isinstance(installments, bool) or not isinstance(installments, int) or installments < 1:
        raise RefusedFor("plan_no_installment", f"a plan needs at least one installment, not {installments!r}",
                         installments=installments)
    if frequency not in FREQUENCIES:
        raise RefusedFor("plan_unknown_frequency", f"unknown frequency {frequency!r}; use one of "
                         f"{', '.join(FREQUENCIES)}", frequency=frequency, frequencies=FREQUENCIES)
    currency = total.currency
    down = down_payment if down_payment is not None else Money.zero(currency)
    if down.currency != currency:
        raise RefusedFor("plan_down_currency", f"the down payment is in {down.currency} but the balance is in "
                         f"{currency}", down_currency=down.currency, currency=currency)
    if down.is_negative:
        raise RefusedFor("plan_down_negative", "the down payment cannot be negative", down=down)
    if down >= total:
        raise RefusedFor("plan_down_covers_all", f"the down payment {down} covers the whole balance {total}: no plan "
                         "is needed", down=down, total=total)
    step = unit if unit is not None else Money.from_minor(1, currency)
    if step.currency != currency or step.amount <= 0:
        raise RefusedFor("plan_rounding_unit", f"the rounding unit must be a positive amount in {currency}",
                         currency=currency)

    if down and down_payment_due is not None and down_payment_due > first:
        raise RefusedFor("plan_down_after_first", f"the down payment ({down_payment_due.isoformat()}) cannot be "
                         f"due after the first installment ({first.isoformat()})", down_due=down_payment_due,
                         first=first)
    rest = (total - down).amount
    each = (rest / installments / step.amount).to_integral_value(rounding=ROUND_DOWN) * step.amount
    if each <= 0:
        raise RefusedFor("plan_installments_too_small", f"{installments} installments of {total - down} would be "
                         f"smaller than {step}; agree fewer installments", installments=installments,
                         rest=total - down, unit=step)
    last = rest - each * (installments - 1)

    plan: list[Installment] = []
    if down:
        when = down_payment_due if down_payment_due is not None else first
        plan.append(Installment(0, calendar.next_business_day(when), down, DOWN_PAYMENT, when))
    for k, nominal in enumerate(_nominal_dates(first, installments, frequency), start=1):
        amount = Money(last if k == installments else each, currency)
        plan.append(Installment(k, calendar.next_business_day(nominal), amount, INSTALLMENT,
                                nominal, cheques))
    return plan


def plan_total(plan: Iterable[Installment]) -> Money:
    """The sum of the installments (and down payment) of a plan."""
    items = list(plan)
    if not items:
        raise Refused("an empty plan has no total")  # not shown: the service passes a stored plan
    total = Money.zero(items[0].amount.currency)
    for i in items:
        total += i.amount
    return total


# --- policy limits ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanLimits:
    """What a collector may agree without the owner: the plan ends at most ``max_months``
    months after it starts, and each regular installment is at least ``min_installment`` in
    its currency (a currency not listed has no minimum). ``max_installments``: optional cap."""

    max_months: int = 6
    min_installment: Mapping[str, Money] = field(default_factory=dict)
    max_installments: int | None = None


def check_limits(plan: list[Installment], limits: PlanLimits,
                 agreed_on: date | None = None) -> list[str]:
    """Each way ``plan`` goes beyond ``limits`` (an empty list: a collector may agree it).

    The plan's length runs from ``agreed_on`` (default: the first due date of the plan) to
    the last due date.
    """
    if not plan:
        raise Refused("an empty plan cannot be checked")  # not shown: the service passes a stored plan
    reasons: list[str] = []
    start = agreed_on if agreed_on is not None else min(i.due for i in plan)
    last = max(i.due for i in plan)
    limit_day = add_months(start, limits.max_months, start.day)
    if last > limit_day:
        reasons.append(Worded(f"the plan runs to {last.isoformat()}, more than {limits.max_months} "
                              f"months from {start.isoformat()} (a collector may agree up to "
                              f"{limit_day.isoformat()})", code="plan_beyond_months", last=last,
                              months=limits.max_months, start=start, limit=limit_day))
    regular = [i for i in plan if i.kind == INSTALLMENT]
    if regular:
        smallest = min(regular, key=lambda i: i.amount.amount)
        minimum = limits.min_installment.get(smallest.amount.currency)
        if minimum is not None and smallest.amount < minimum:
            reasons.append(Worded(f"installment {smallest.number} is {smallest.amount}, less than the "
                                  f"minimum of {minimum} a collector may agree", code="plan_beyond_minimum",
                                  number=smallest.number, amount=smallest.amount, minimum=minimum))
    if limits.max_installments is not None and len(regular) > limits.max_installments:
        reasons.append(Worded(f"{len(regular)} installments, more than the {limits.max_installments} "
                              "a collector may agree", code="plan_beyond_installments", n=len(regular),
                              most=limits.max_installments))
    return reasons


# --- following a plan -------------------------------------------------------------------------


@dataclass(frozen=True)
class InstallmentStatus:
    installment: Installment
    state: str
    paid: Money
    grace_until: date
    paid_on: date | None = None

    @property
    def open(self) -> Money:
        return self.installment.amount - self.paid

    @property
    def late(self) -> bool:
        """Fully paid, but only after its grace period."""
        return self.paid_on is not None and self.paid_on > self.grace_until


@dataclass(frozen=True)
class PlanReminder:
    """A reminder about one missed installment; ``key`` is stable across runs."""

    key: str
    installment: Installment
    open: Money
    grace_until: date


@dataclass(frozen=True)
class PlanStatus:
    installments: tuple[InstallmentStatus, ...]
    missed: int
    in_default: bool
    reminders: tuple[PlanReminder, ...]
    paid: Money
    open: Money
    overpaid: Money
    as_of: date

    @property
    def completed(self) -> bool:
        return all(s.state == PAID for s in self.installments)


def apply_payments_to_plan(installments: list[Installment],
                           payments: Iterable[tuple[date, Money]], today: date,
                           grace_days: int, default_after_missed: int = 2,
                           plan_ref: str = "plan") -> PlanStatus:
    """Where a plan stands on ``today`` (rules in the module docstring)."""
    if not installments:
        raise Refused("an empty plan cannot be followed")  # not shown: the service passes a stored plan
    if grace_days < 0:
        raise RefusedFor("grace_negative", "the grace period cannot be negative", days=grace_days)
    if default_after_missed < 1:
        raise RefusedFor("plan_default_after", "a plan defaults after at least one missed installment",
                         missed=default_after_missed)
    ordered = sorted(installments, key=lambda i: (i.due, i.number))
    currency = ordered[0].amount.currency
    zero = Money.zero(currency)
    received = []
    for day, amount in sorted(payments, key=lambda p: p[0]):
        if day > today:
            continue
        if amount.currency != currency:
            raise RefusedFor("plan_payment_currency", f"a payment of {amount} on {day.isoformat()} is not in the "
                             f"plan's currency {currency}", amount=amount, day=day, currency=currency)
        received.append((day, amount))

    # cumulative waterfall: installment k is covered on the day the running total reaches
    # the sum of installments 1..k
    covered_by: list[tuple[Money, date | None]] = []
    pay_iter = iter(received)
    pool = zero
    pool_day: date | None = None
    for inst in ordered:
        need = inst.amount
        got = zero
        day_covered: date | None = None
        while got < need:
            if not pool:
                nxt = next(pay_iter, None)
                if nxt is None:
                    break
                pool_day, pool = nxt
            take = min(pool, need - got)
            got += take
            pool -= take
            if got == need:
                day_covered = pool_day
        covered_by.append((got, day_covered))
    overpaid = pool
    for _day, amount in pay_iter:
        overpaid += amount

    statuses: list[InstallmentStatus] = []
    reminders: list[PlanReminder] = []
    for inst, (got, day_covered) in zip(ordered, covered_by):
        grace_until = inst.due + timedelta(days=grace_days)
        if got == inst.amount:
            state = PAID
        elif today > grace_until:
            state = MISSED
        elif got:
            state = PARTIAL
        elif today >= inst.due:
            state = DUE
        else:
            state = UPCOMING
        status = InstallmentStatus(inst, state, got, grace_until, day_covered)
        statuses.append(status)
        if state == MISSED:
            reminders.append(PlanReminder(inst.key(plan_ref), inst, status.open, grace_until))
    paid = zero
    open_ = zero
    for s in statuses:
        paid += s.paid
        open_ += s.open
    missed = len(reminders)
    return PlanStatus(tuple(statuses), missed, missed >= default_after_missed, tuple(reminders),
                      paid, open_, overpaid, today)

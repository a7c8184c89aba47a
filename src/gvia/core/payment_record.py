"""A customer's payment record across the years (issue 17): how they have paid, to be seen before a
collector agrees a payment plan and printed in the case file.

From the same :class:`gvia.core.signals.History` the early-warning signals read (invoices with the
day each was paid in full, closed promises, payments and their bounced cheques) and the outcomes
of the customer's payment plans, :func:`payment_record` counts:

- the invoices paid in full, how many of them on or before their due date (the on-time rate, in
  whole percent), and the average days late over all of them (an invoice paid early counts as 0);
- the trend of lateness: the average days late of the invoices paid in the last
  :data:`RECENT_DAYS` days against those paid before; ``later`` or ``earlier`` when the two differ
  by at least :data:`TREND_DAYS` days, ``steady`` otherwise, None without both;
- the promises kept of those closed, the plans completed of those ended, the bounced cheques;
- the same first figures per calendar year of payment, the latest first.

Nothing after ``today`` counts. Averages are :class:`~decimal.Decimal` rounded to one place.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .signals import History, Invoice

#: The recent window of the trend, in days (the last twelve months).
RECENT_DAYS = 365
#: How many days of average lateness make a trend rather than noise.
TREND_DAYS = 5
TRENDS = ("later", "earlier", "steady")


@dataclass(frozen=True, slots=True)
class YearRecord:
    year: int
    paid: int                       # invoices paid in full that year
    on_time: int
    average_days_late: Decimal


@dataclass(frozen=True, slots=True)
class PlanOutcome:
    """A payment plan that has ended: completed (every instalment paid) or not."""

    ended: date
    completed: bool


@dataclass(frozen=True, slots=True)
class PaymentRecord:
    paid: int
    on_time: int
    on_time_percent: int | None             # None before any invoice was paid
    average_days_late: Decimal | None
    recent_days_late: Decimal | None        # paid in the last RECENT_DAYS days
    earlier_days_late: Decimal | None       # paid before that
    trend: str | None                       # one of TRENDS, or None
    promises_kept: int
    promises_closed: int
    plans_completed: int
    plans_ended: int
    bounced_cheques: int
    years: tuple[YearRecord, ...]

    @property
    def empty(self) -> bool:
        """Nothing to tell: no invoice paid, no promise, plan or bounced cheque."""
        return not (self.paid or self.promises_closed or self.plans_ended or self.bounced_cheques)


def _late(inv: Invoice) -> int:
    assert inv.paid is not None
    return max(0, (inv.paid - inv.due).days)


def _average(days: list[int]) -> Decimal | None:
    if not days:
        return None
    return (Decimal(sum(days)) / len(days)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def payment_record(history: History, today: date, plans: tuple[PlanOutcome, ...] = ()) -> PaymentRecord:
    """The customer's payment record on ``today`` (see the module's text)."""
    paid = [inv for inv in history.invoices if inv.paid is not None and inv.paid <= today]
    late = [_late(inv) for inv in paid]
    on_time = sum(1 for d in late if d == 0)
    cut = today - timedelta(days=RECENT_DAYS)
    recent = _average([_late(inv) for inv in paid if inv.paid is not None and inv.paid > cut])
    earlier = _average([_late(inv) for inv in paid if inv.paid is not None and inv.paid <= cut])
    trend = None
    if recent is not None and earlier is not None:
        diff = recent - earlier
        trend = "later" if diff >= TREND_DAYS else "earlier" if diff <= -TREND_DAYS else "steady"
    by_year: dict[int, list[int]] = defaultdict(list)
    for inv in paid:
        assert inv.paid is not None
        by_year[inv.paid.year].append(_late(inv))
    years = tuple(YearRecord(y, len(d), sum(1 for x in d if x == 0), _average(d) or Decimal("0.0"))
                  for y, d in sorted(by_year.items(), reverse=True))
    promises = [p for p in history.promises if p.closed <= today]
    ended = [p for p in plans if p.ended <= today]
    percent = None if not paid else int((Decimal(100 * on_time) / len(paid)).to_integral_value(ROUND_HALF_UP))
    return PaymentRecord(
        paid=len(paid), on_time=on_time, on_time_percent=percent,
        average_days_late=_average(late), recent_days_late=recent, earlier_days_late=earlier, trend=trend,
        promises_kept=sum(1 for p in promises if p.kept), promises_closed=len(promises),
        plans_completed=sum(1 for p in ended if p.completed), plans_ended=len(ended),
        bounced_cheques=sum(1 for p in history.payments if p.bounced and p.day <= today),
        years=years)

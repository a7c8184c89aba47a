"""The collection reports' arithmetic, pure (issue 17): months, month-end figures, DSO by the
countback method, the collection effectiveness index, rates.

- :func:`months_between` — the first day of every month from ``start``'s to ``end``'s;
  :func:`months_back` — the ``n`` months ending with a day's; :func:`month_end`.
- :func:`month_closing` — per currency, the last figure of each month from dated rows (the aging
  snapshots the daily run leaves; a month without one has None).
- :func:`dso_countback` — Days Sales Outstanding by the countback method: the receivables at the
  end of a period are matched against the credit sales of the months before it, newest first,
  counting each month wholly covered by its days and the month that exhausts the balance by the
  share of its sales still outstanding (the month of the period's end counts the days up to that
  end). A balance larger than every month's sales given gives None (more history is needed).
- :func:`cei` — the Collection Effectiveness Index of a period, in percent:
  (receivables at the start + credit sales − receivables at the end) ÷ (receivables at the start
  + credit sales − current receivables at the end) × 100, "current" meaning not yet due; None when
  the divisor is not positive.
- :func:`rate` — a share in whole percent, None of nothing.

Figures are :class:`~decimal.Decimal` (amounts in one currency, as the caller sums them), rounded
to one place where they are days or percents.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

ONE_PLACE = Decimal("0.1")


def month_end(month: date) -> date:
    """The last day of ``month``'s month."""
    return date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])


def _next(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def months_between(start: date, end: date) -> list[date]:
    """The first day of each month from ``start``'s to ``end``'s, oldest first."""
    out: list[date] = []
    m = date(start.year, start.month, 1)
    while m <= end:
        out.append(m)
        m = _next(m)
    return out


def months_back(today: date, n: int) -> list[date]:
    """The first day of each of the ``n`` months ending with ``today``'s, oldest first."""
    y, m = today.year, today.month
    out = []
    for _ in range(n):
        out.append(date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def month_closing(rows: Iterable[tuple[date, str, int]], months: Sequence[date]) -> dict[str, list[int | None]]:
    """Per currency, the figure of the last row of each month (None without one). ``rows``:
    (day, currency, figure in minor units)."""
    last: dict[tuple[str, date], tuple[date, int]] = {}
    for day, currency, minor in rows:
        key = (currency, date(day.year, day.month, 1))
        if key not in last or day > last[key][0]:
            last[key] = (day, minor)
    return {c: [last[(c, m)][1] if (c, m) in last else None for m in months]
            for c in sorted({c for c, _ in last})}


def dso_countback(receivables: Decimal, sales: Sequence[tuple[date, Decimal]], end: date) -> Decimal | None:
    """DSO on ``end`` by the countback method. ``sales``: (first day of a month, its credit sales),
    newest first, the first being ``end``'s month."""
    if receivables <= 0:
        return Decimal("0.0")
    left = receivables
    days = Decimal(0)
    for month, amount in sales:
        length = Decimal(end.day if (month.year, month.month) == (end.year, end.month)
                         else calendar.monthrange(month.year, month.month)[1])
        if amount <= 0:
            days += length
            continue
        if left > amount:
            left -= amount
            days += length
            continue
        days += length * left / amount
        return days.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)
    return None


def cei(start_receivables: Decimal, sales: Decimal, end_receivables: Decimal,
        end_current: Decimal) -> Decimal | None:
    """The collection effectiveness index of a period, in percent (see the module's text)."""
    divisor = start_receivables + sales - end_current
    if divisor <= 0:
        return None
    return ((start_receivables + sales - end_receivables) * 100 / divisor).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def rate(part: int, whole: int) -> int | None:
    """``part`` of ``whole`` in whole percent (half up); None when ``whole`` is 0."""
    if whole <= 0:
        return None
    return int((Decimal(100 * part) / whole).to_integral_value(ROUND_HALF_UP))

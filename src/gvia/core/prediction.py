"""When will this invoice be paid? A predicted payment date for an open invoice, with an 80%
range, from the customer's own history and, for a customer with little history, the
organization's (issue 17).

Pure: the caller passes the invoices the customer paid in full (:class:`Paid`: due date and the
day the last payment reached it) and the organization's :class:`Pool` of the same (built once
with :func:`pool`), the open invoice's due date and ``today``.

How (:func:`predict`):

1. **Lateness** is the days between the due date and the day the invoice was paid in full
   (negative when paid early). Each of the customer's paid invoices is a sample, weighted by how
   recent it is (half the weight every :attr:`Tuning.half_life_days`, counted from ``today``), and
   more when its due date falls in the same season of the year as the open invoice's (within
   about :attr:`Tuning.season_days` of the same day of the year: customers who pay late every
   summer or every December).
2. **The organization** adds its own lateness distribution (every customer's paid invoices,
   weighted by recency the same way) with a total weight of :attr:`Tuning.prior_weight` invoices:
   with one or two paid invoices a customer's own history is mostly the organization's; with
   dozens, it is theirs. Fewer than :attr:`Tuning.min_own` of their own makes the basis
   ``organization``.
3. **Not paid yet**: the invoice is still open today, so only the lateness at which it would be
   paid today or later counts (a customer who pays either on time or two months late, and has not
   paid on time this time, is expected two months late).
4. The predicted lateness is the weighted median of what is left (the value that minimizes the
   mean error in days); the range runs between two of its percentiles (:attr:`Tuning.low_quantile`,
   :attr:`Tuning.high_quantile`) chosen so that about 80% of the days paid fall in it on the tuning
   split (a few weighted samples' 10th-90th percentiles are narrower than the truth's). When nothing is left (the
   invoice is already later than anything seen), the basis is ``beyond_history``: the prediction
   is today, the range has no end, and a person should ask the customer.

The tuning was chosen on a tuning split of ``bench/bench_prediction.py``'s data (an earlier
cut-off and other seeds than those it reports on); the benchmark prints the mean absolute error
against the naive "due date + the customer's average lateness" and the range's coverage.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["Paid", "Pool", "Prediction", "Tuning", "TUNING", "BASES", "pool", "predict", "lateness"]

BASES = ("customer", "organization", "beyond_history")


@dataclass(frozen=True, slots=True)
class Paid:
    """An invoice paid in full: its due date and the day the last payment reached it."""

    due: date
    paid: date


@dataclass(frozen=True, slots=True)
class Tuning:
    half_life_days: float = 120.0   # a sample's weight halves every this many days of age
    season_days: float = 30.0       # how near in the year a due date counts as the same season
    season_boost: float = 2.0       # extra weight of a sample in the same season (0: none)
    prior_weight: float = 0.5       # the organization's distribution counts as this many invoices
    min_own: int = 3                # fewer paid invoices of their own: the basis is the organization's
    low_quantile: float = 0.03      # the range's ends: calibrated on the tuning split so that about 80%
    high_quantile: float = 0.97     # of the days paid fall in it (the raw 10th-90th percentiles: ~70%)


TUNING = Tuning()


@dataclass(frozen=True, slots=True)
class Pool:
    """The organization's lateness distribution: (days late, weight) pairs summed by days, and
    the total weight."""

    points: tuple[tuple[int, float], ...]
    total: float


@dataclass(frozen=True, slots=True)
class Prediction:
    day: date                   # the predicted payment date (never before today)
    low: date                   # the 80% range
    high: date | None           # None: beyond anything seen, no end to the range
    basis: str                  # one of BASES
    own: int                    # how many of the customer's paid invoices it read


def lateness(p: Paid) -> int:
    return (p.paid - p.due).days


def _recency(age_days: int, tuning: Tuning) -> float:
    return float(0.5 ** (max(0, age_days) / tuning.half_life_days))


def _season(a: date, b: date, tuning: Tuning) -> float:
    if not tuning.season_boost:
        return 1.0
    apart = abs(a.timetuple().tm_yday - b.timetuple().tm_yday)
    apart = min(apart, 365 - apart)
    return 1.0 + tuning.season_boost * math.exp(-((apart / tuning.season_days) ** 2))


def pool(paid: Iterable[Paid], today: date, tuning: Tuning = TUNING) -> Pool:
    """The organization's lateness distribution on ``today`` from every invoice paid in full on
    or before it (later ones are not known yet)."""
    weights: dict[int, float] = {}
    total = 0.0
    for p in paid:
        if p.paid > today:
            continue
        w = _recency((today - p.paid).days, tuning)
        d = lateness(p)
        weights[d] = weights.get(d, 0.0) + w
        total += w
    return Pool(tuple(sorted(weights.items())), total)


def _quantile(points: Sequence[tuple[int, float]], total: float, q: float) -> int:
    """The weighted ``q`` quantile of sorted (value, weight) points (the lowest value whose
    cumulative weight reaches ``q`` of ``total``)."""
    goal = q * total
    run = 0.0
    for value, w in points:
        run += w
        if run >= goal - 1e-12:
            return value
    return points[-1][0]


def predict(due: date, today: date, own: Iterable[Paid], org: Pool, tuning: Tuning = TUNING) -> Prediction:
    """The predicted payment date of an invoice due on ``due``, open on ``today`` (see the
    module's text). ``own``: the customer's invoices paid in full (those paid after ``today``
    are left out)."""
    now_late = (today - due).days          # it is paid today or later: at least this late
    mine: dict[int, float] = {}
    count = 0
    for p in own:
        if p.paid > today:
            continue
        count += 1
        w = _recency((today - p.paid).days, tuning) * _season(p.due, due, tuning)
        d = lateness(p)
        mine[d] = mine.get(d, 0.0) + w
    merged = dict(mine)
    if org.total > 0:
        scale = tuning.prior_weight / org.total
        for d, w in org.points:
            merged[d] = merged.get(d, 0.0) + w * scale
    basis = "customer" if count >= tuning.min_own else "organization"
    left = sorted((d, w) for d, w in merged.items() if d >= now_late and w > 0)
    total = sum(w for _, w in left)
    if not left or total <= 0:
        return Prediction(today, today, None, "beyond_history", count)
    middle = _quantile(left, total, 0.5)
    low = _quantile(left, total, tuning.low_quantile)
    high = _quantile(left, total, tuning.high_quantile)

    def on(days: int) -> date:
        return max(today, due + timedelta(days=days))
    return Prediction(on(middle), on(low), on(high), basis, count)

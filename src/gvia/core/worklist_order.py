"""Who to chase first (issue 17): the worklist's ``chase_first`` order and its groups, as rules.

Pure: the caller passes each customer's overdue amounts per currency, the day their oldest overdue
invoice fell due, their early-warning score and history, and the rates on file.

- **Priority** (:func:`priority`): the overdue amount in the organization's currency × the score ×
  the days the oldest overdue invoice is late. A score of 0 counts as 1, so that customers with no
  warning sign are still ordered among themselves by amount and age (rather than all tied at 0).
- **Amounts in other currencies** (:func:`in_currency`) are converted at the latest rate on file
  (:class:`Rate`: a rate gvia's ledger recorded when a payment in one currency paid an invoice in
  the other, with its day) and marked as estimates; a currency with no rate on file is left out of
  the amount and named (``unconverted``), so a person sees that the order does not count it.
- **Groups** (:data:`GROUPS`): ``at_risk`` (the early-warning list's rule, given by the caller),
  ``promise_due_today`` (given), ``quick_win`` (:func:`quick_win`): exactly one overdue invoice,
  below the ``quick_win_below`` setting in its currency, from a customer who usually pays after one
  reminder (:func:`pays_after_one_reminder`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .money import Money
from .signals import History

__all__ = ["GROUPS", "Rate", "Converted", "in_currency", "priority", "pays_after_one_reminder", "quick_win",
           "MIN_PAID_FOR_HABIT"]

GROUPS = ("at_risk", "promise_due_today", "quick_win")
#: How many invoices paid in full make a habit (fewer: we cannot say how they usually pay).
MIN_PAID_FOR_HABIT = 2


@dataclass(frozen=True, slots=True)
class Rate:
    """Units of ``to`` per unit of ``source``, recorded on ``day``."""

    source: str
    to: str
    rate: Decimal
    day: date


@dataclass(frozen=True, slots=True)
class Converted:
    amount: Money                       # in the organization's currency
    estimated: bool                     # some of it converted at a rate on file
    unconverted: tuple[str, ...]        # currencies with no rate on file (left out of the amount)


def _rate_to(currency: str, home: str, rates: Mapping[tuple[str, str], Rate]) -> Decimal | None:
    """Units of ``home`` per unit of ``currency`` from the latest of the rates either way."""
    direct, inverse = rates.get((currency, home)), rates.get((home, currency))
    best = max((r for r in (direct, inverse) if r is not None and r.rate > 0), key=lambda r: r.day, default=None)
    if best is None:
        return None
    return best.rate if best.source == currency else Decimal(1) / best.rate


def in_currency(amounts: Mapping[str, Money], home: str, rates: Mapping[tuple[str, str], Rate]) -> Converted:
    """The sum of ``amounts`` (per currency) in ``home`` (see the module's text); ``rates`` by
    (source currency, target currency), the latest of each pair."""
    total = Money.zero(home)
    estimated = False
    missing = []
    for currency, amount in sorted(amounts.items()):
        if currency == home:
            total += amount
            continue
        rate = _rate_to(currency, home, rates)
        if rate is None:
            missing.append(currency)
            continue
        total += amount.convert(rate, home)
        estimated = True
    return Converted(total, estimated, tuple(missing))


def priority(amount: Money, score: int, days_overdue: int) -> Decimal:
    """The order of who to chase first: amount × score (at least 1) × days overdue (at least 0)."""
    return amount.amount * max(1, score) * max(0, days_overdue)


def pays_after_one_reminder(h: History, today: date) -> bool:
    """Whether the customer usually pays by the first reminder: of their invoices paid in full by
    ``today`` (at least :data:`MIN_PAID_FOR_HABIT`), more than half were paid with at most one
    message sent to them between the due date and the day paid (an invoice paid on time needed
    none)."""
    paid = [inv for inv in h.invoices if inv.paid is not None and inv.paid <= today]
    if len(paid) < MIN_PAID_FOR_HABIT:
        return False
    sent = sorted(h.sent)
    quick = 0
    for inv in paid:
        assert inv.paid is not None
        reminders = sum(1 for d in sent if inv.due < d <= inv.paid)
        quick += reminders <= 1
    return quick * 2 > len(paid)


def quick_win(overdue_invoices: int, overdue: Mapping[str, Money], below: Mapping[str, Money],
              usually_pays_after_one: bool) -> bool:
    """One overdue invoice, below ``below`` in its currency (a currency without a limit: never),
    from a customer who usually pays after one reminder."""
    if overdue_invoices != 1 or not usually_pays_after_one or len(overdue) != 1:
        return False
    [(currency, amount)] = overdue.items()
    limit = below.get(currency)
    return limit is not None and amount < limit

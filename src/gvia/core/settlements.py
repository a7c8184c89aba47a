"""Settlements: a reduced amount (or a discount) accepted if paid by a deadline.

A :class:`Settlement` says: of the ``debt`` (the open amount when the offer is made), the
customer pays ``agreed`` by ``deadline`` and the rest is written off. An owner approves it
(the service records who and why). It is refused when ``agreed`` is not positive or is more
than the debt, or when the two are in different currencies.

:func:`evaluate` on a given day, from the payments received (cleared only; a bounced cheque
is left out), counting payments dated from ``offered_on`` (when given) up to the deadline:

* **paid_in_time** - the counted payments reach ``agreed`` (``paid_on`` is the day they
  did). The write-off is ``debt - paid`` where ``paid`` is at least ``agreed``: a customer
  who pays a little more than agreed has less written off, never more.
* **open** - not reached yet and the deadline has not passed.
* **lapsed** - the deadline has passed short of ``agreed``: the offer lapses, the full debt
  stands (less whatever was paid), nothing is written off.

Whether interest and fees are waived too is recorded in ``waives_interest`` (default yes):
interest and fees are separate lines, never part of ``debt``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable

from .errors import Refused, RefusedFor
from .money import Money

__all__ = ["OPEN", "PAID_IN_TIME", "LAPSED", "STATES", "Settlement", "SettlementStatus",
           "evaluate"]

OPEN = "open"
PAID_IN_TIME = "paid_in_time"
LAPSED = "lapsed"
STATES = (OPEN, PAID_IN_TIME, LAPSED)


@dataclass(frozen=True)
class Settlement:
    """Pay ``agreed`` of ``debt`` by ``deadline`` (inclusive) and the rest is written off."""

    debt: Money
    agreed: Money
    deadline: date
    offered_on: date | None = None
    waives_interest: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.debt, Money) or not isinstance(self.agreed, Money):
            raise Refused("a settlement needs the debt and the agreed amount as money")  # not shown: a caller's bug
        if self.debt.currency != self.agreed.currency:
            raise RefusedFor("settlement_currency_differs", f"the agreed amount is in {self.agreed.currency} but "
                             f"the debt is in {self.debt.currency}", agreed_currency=self.agreed.currency,
                             debt_currency=self.debt.currency)
        if self.debt.amount <= 0:
            raise RefusedFor("settlement_no_debt", "there is no debt to settle")
        if self.agreed.amount <= 0:
            raise RefusedFor("settlement_not_positive", f"the agreed amount must be more than zero, not {self.agreed}",
                             agreed=self.agreed)
        if self.agreed > self.debt:
            raise RefusedFor("settlement_over_debt", f"the agreed amount {self.agreed} is more than the debt "
                             f"{self.debt}",
                             agreed=self.agreed, debt=self.debt)
        if self.offered_on is not None and self.deadline < self.offered_on:
            raise RefusedFor("settlement_deadline_before_offer", f"the deadline {self.deadline.isoformat()} is before "
                             f"the offer was made ({self.offered_on.isoformat()})", deadline=self.deadline,
                             offered_on=self.offered_on)

    @property
    def discount(self) -> Money:
        """What would be written off if exactly ``agreed`` is paid in time."""
        return self.debt - self.agreed


@dataclass(frozen=True)
class SettlementStatus:
    state: str
    paid: Money
    write_off: Money
    still_owed: Money
    paid_on: date | None = None


def evaluate(settlement: Settlement, payments: Iterable[tuple[date, Money]],
             today: date) -> SettlementStatus:
    """Where ``settlement`` stands on ``today`` (rules in the module docstring)."""
    s = settlement
    currency = s.debt.currency
    zero = Money.zero(currency)
    paid = zero
    paid_on: date | None = None
    last = min(today, s.deadline)
    for day, amount in sorted(payments, key=lambda p: p[0]):
        if amount.currency != currency or day > last:
            continue
        if s.offered_on is not None and day < s.offered_on:
            continue
        paid += amount
        if paid_on is None and paid >= s.agreed:
            paid_on = day
    if paid_on is not None:
        write_off = max(s.debt - paid, zero)
        return SettlementStatus(PAID_IN_TIME, paid, write_off, zero, paid_on)
    owed = max(s.debt - paid, zero)
    state = OPEN if today <= s.deadline else LAPSED
    return SettlementStatus(state, paid, zero, owed)

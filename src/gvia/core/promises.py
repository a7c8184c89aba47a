"""Promises to pay: a customer's word that an amount will be paid by a date.

A :class:`Promise` has an amount, a due date, where it came from (a call, an e-mail, the
customer page, or entered by hand) and the day it was made. It **pauses** the case until the
due date plus a grace period (``pause_until``).

:func:`evaluate_promise` tells where a promise stands on a given day, from the payments
received (cleared payments only: a bounced cheque is simply left out):

* payments count if they are dated from the day the promise was made up to the end of the
  grace period (``pause_until``) - money that arrived before the promise was already in the
  balance the promise was about; money that arrives after the grace period pays the debt but
  does not keep the promise;
* **kept** - the counted payments cover the amount (``kept_on`` is the day they did, even if
  that is before the due date);
* **open** - not covered yet and the grace period has not ended (what was paid so far is
  shown);
* **partially kept** - the grace period has ended with some, not all, of the amount paid;
* **broken** - the grace period has ended with nothing paid.

A promise that ends partially kept or broken **resumes the ladder** where it stood and is a
warning signal about the customer (:attr:`PromiseStatus.resumes_ladder`).

Only payments in the promise's currency count (amounts of two currencies are never added).
A promise in the past or for a non-positive amount is refused (:func:`new_promise`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable

from .errors import Refused, RefusedFor
from .money import Money

__all__ = [
    "SOURCES", "OPEN", "KEPT", "PARTIALLY_KEPT", "BROKEN", "STATES",
    "Promise", "PromiseStatus", "new_promise", "evaluate_promise",
]

#: Where a promise came from: a phone call, an e-mail, the customer page, entered by hand.
SOURCES = ("call", "email", "portal", "manual")

OPEN = "open"
KEPT = "kept"
PARTIALLY_KEPT = "partially_kept"
BROKEN = "broken"
STATES = (OPEN, KEPT, PARTIALLY_KEPT, BROKEN)


@dataclass(frozen=True)
class Promise:
    """The customer promised to pay ``amount`` by ``due`` (said on ``made_on`` via ``source``)."""

    amount: Money
    due: date
    source: str
    made_on: date

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Money):
            raise Refused("a promise needs an amount of money")  # not shown: a caller's bug
        if self.amount.amount <= 0:
            raise RefusedFor("promise_not_positive", f"a promise must be for a positive amount, not {self.amount}",
                             amount=self.amount)
        if self.source not in SOURCES:
            raise Refused(f"unknown promise source {self.source!r}; use one of "  # not shown: the service checks
                          f"{', '.join(SOURCES)}")
        if self.due < self.made_on:
            raise RefusedFor("promise_due_before_made", f"a promise made on {self.made_on.isoformat()} cannot be due "
                             f"on {self.due.isoformat()}, before it was made", made_on=self.made_on, due=self.due)

    def pause_until(self, grace_days: int) -> date:
        """The last day the case stays paused: the due date plus the grace period."""
        if grace_days < 0:
            raise RefusedFor("grace_negative", "the grace period cannot be negative", days=grace_days)
        return self.due + timedelta(days=grace_days)


def new_promise(amount: Money, due: date, source: str, today: date) -> Promise:
    """A promise made ``today``; refused if ``due`` is in the past or the amount is not
    positive."""
    if due < today:
        raise RefusedFor("promise_date_past", f"the promised date {due.isoformat()} is in the past (today is "
                         f"{today.isoformat()}); ask the customer for a date from today on", due=due, today=today)
    return Promise(amount, due, source, today)


@dataclass(frozen=True)
class PromiseStatus:
    """Where a promise stands on ``as_of``."""

    state: str
    promised: Money
    paid: Money
    pause_until: date
    as_of: date
    kept_on: date | None = None

    @property
    def resumes_ladder(self) -> bool:
        """The promise failed: escalation resumes where it stood, and it is a warning signal."""
        return self.state in (PARTIALLY_KEPT, BROKEN)


def evaluate_promise(promise: Promise, payments_received: Iterable[tuple[date, Money]],
                     today: date, grace_days: int) -> PromiseStatus:
    """Where ``promise`` stands on ``today`` (rules in the module docstring)."""
    pause_until = promise.pause_until(grace_days)
    last_counted = min(today, pause_until)
    currency = promise.amount.currency
    paid = Money.zero(currency)
    kept_on: date | None = None
    for day, amount in sorted(payments_received, key=lambda p: p[0]):
        if amount.currency != currency or not promise.made_on <= day <= last_counted:
            continue
        paid += amount
        if kept_on is None and paid >= promise.amount:
            kept_on = day
    if kept_on is not None:
        state = KEPT
    elif today <= pause_until:
        state = OPEN
    elif paid.amount > 0:
        state = PARTIALLY_KEPT
    else:
        state = BROKEN
    return PromiseStatus(state, promise.amount, paid, pause_until, today, kept_on)

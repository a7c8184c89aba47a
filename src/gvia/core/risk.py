"""Customers at risk: three plain signs, each a reason to list a customer (the early-warning
signals of a later issue will replace them).

* ``broken_promise`` — a promise to pay broken or only partly kept in the last
  :data:`PROMISE_DAYS` days: closed on ``today - PROMISE_DAYS`` or later;
* ``no_answer`` — the last two messages sent to the customer have had no answer: at least two
  were sent, and no reply came after the earlier of the last two;
* ``overdue_growing`` — the overdue amount grew in each of the last :data:`PERIODS` periods of
  :data:`PERIOD_DAYS` days before today: in each period an invoice of theirs fell due and is
  still open (a payment goes to the oldest invoices first, so an earlier invoice still open
  means nothing paid caught up with the new debt).

Only a customer with something overdue today has signs. :func:`signs` decides from the plain
facts of one customer (:class:`RiskFacts`) and the day; reading the facts is the service's
(:mod:`gvia.services.engine.risk`), which uses :func:`promise_window_start` and
:func:`growth_periods` to read no more than these rules look at.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

__all__ = ["SIGNS", "PROMISE_DAYS", "PERIOD_DAYS", "PERIODS", "RiskFacts", "promise_window_start",
           "growth_periods", "growth_period", "broke_a_promise", "unanswered", "overdue_growing", "signs"]

SIGNS = ("broken_promise", "no_answer", "overdue_growing")
PROMISE_DAYS = 90       # a promise broken this many days ago still counts
PERIOD_DAYS = 30        # the length of each period the overdue must grow in
PERIODS = 3             # how many periods in a row


@dataclass(frozen=True)
class RiskFacts:
    """What the signs look at for one customer.

    ``overdue``: something is overdue today. ``broken_promises``: the days their promises were
    closed broken or partly kept (older ones may be left out). ``messages_sent``: how many
    messages were sent to them; ``last_two_sent``: when the last two were sent (the known
    times; may be left empty when no reply was ever recorded); ``last_reply``: their latest
    reply. ``open_overdue_due_dates``: due dates of their invoices still open and past due (one
    a period is enough)."""

    overdue: bool = False
    broken_promises: tuple[date, ...] = ()
    messages_sent: int = 0
    last_two_sent: tuple[datetime, ...] = ()
    last_reply: datetime | None = None
    open_overdue_due_dates: tuple[date, ...] = ()


def promise_window_start(today: date) -> date:
    """The first day a broken promise still counts on ``today``."""
    return today - timedelta(days=PROMISE_DAYS)


def growth_periods(today: date) -> tuple[date, ...]:
    """The first day of each period, the latest period first: ``today - PERIOD_DAYS * k`` for
    k = 1..PERIODS. Period k runs from its first day up to the next period's (the last one up to
    yesterday)."""
    return tuple(today - timedelta(days=PERIOD_DAYS * k) for k in range(1, PERIODS + 1))


def growth_period(due: date, today: date) -> int | None:
    """The period (1 = the latest) an invoice due on ``due`` fell due in, or None outside them."""
    if due >= today:
        return None
    for k, start in enumerate(growth_periods(today), start=1):
        if due >= start:
            return k
    return None


def broke_a_promise(facts: RiskFacts, today: date) -> bool:
    start = promise_window_start(today)
    return any(closed >= start for closed in facts.broken_promises)


def unanswered(facts: RiskFacts) -> bool:
    if facts.messages_sent < 2:
        return False
    if facts.last_reply is None:
        return True
    last_two = sorted(facts.last_two_sent)[-2:]
    return len(last_two) == 2 and facts.last_reply < last_two[0]


def overdue_growing(facts: RiskFacts, today: date) -> bool:
    periods = {growth_period(d, today) for d in facts.open_overdue_due_dates}
    return periods >= set(range(1, PERIODS + 1))


def signs(facts: RiskFacts, today: date) -> tuple[str, ...]:
    """The customer's signs on ``today``, in the order of :data:`SIGNS` (none when nothing is
    overdue)."""
    if not facts.overdue:
        return ()
    found = {"broken_promise": broke_a_promise(facts, today), "no_answer": unanswered(facts),
             "overdue_growing": overdue_growing(facts, today)}
    return tuple(s for s in SIGNS if found[s])

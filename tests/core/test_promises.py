"""Promises to pay: refused when impossible; kept, broken, partially kept, day by day."""

from datetime import date, timedelta

import pytest

from gvia.core.errors import Refused
from gvia.core.money import Money
from gvia.core.promises import BROKEN, KEPT, OPEN, PARTIALLY_KEPT, Promise, evaluate_promise, new_promise


def ils(x):
    return Money.of(x, "ILS")


# promised on 1 Mar 2025: ₪2,000 by 10 Mar, 3 days' grace → the case is paused to 13 Mar
PROMISE = new_promise(ils(2000), date(2025, 3, 10), "call", today=date(2025, 3, 1))


def test_refused_promises():
    with pytest.raises(Refused, match="in the past"):
        new_promise(ils(100), date(2025, 2, 28), "call", today=date(2025, 3, 1))
    with pytest.raises(Refused, match="positive"):
        new_promise(ils(0), date(2025, 3, 5), "call", today=date(2025, 3, 1))
    with pytest.raises(Refused, match="positive"):
        new_promise(ils(-5), date(2025, 3, 5), "email", today=date(2025, 3, 1))
    with pytest.raises(Refused, match="source"):
        new_promise(ils(100), date(2025, 3, 5), "pigeon", today=date(2025, 3, 1))
    # a promise for today is fine
    assert new_promise(ils(100), date(2025, 3, 1), "portal", today=date(2025, 3, 1)).due == date(2025, 3, 1)


def test_promise_kept_scenario():
    payments = [(date(2025, 3, 9), ils(2000))]
    days = {}
    for offset in range(0, 15):
        today = date(2025, 3, 1) + timedelta(days=offset)
        days[today] = evaluate_promise(PROMISE, payments, today, grace_days=3)
    assert days[date(2025, 3, 8)].state == OPEN
    kept = days[date(2025, 3, 9)]
    assert kept.state == KEPT and kept.kept_on == date(2025, 3, 9)
    assert kept.paid == ils(2000) and not kept.resumes_ladder
    assert days[date(2025, 3, 15)].state == KEPT
    assert kept.pause_until == date(2025, 3, 13)


def test_promise_broken_scenario():
    assert evaluate_promise(PROMISE, [], date(2025, 3, 13), 3).state == OPEN  # last day of grace
    broken = evaluate_promise(PROMISE, [], date(2025, 3, 14), 3)
    assert broken.state == BROKEN and broken.resumes_ladder and broken.paid == ils(0)


def test_partially_kept():
    payments = [(date(2025, 3, 5), ils(500)), (date(2025, 3, 12), ils(700))]
    s = evaluate_promise(PROMISE, payments, date(2025, 3, 11), 3)
    assert s.state == OPEN and s.paid == ils(500)  # shown as partial while open
    s = evaluate_promise(PROMISE, payments, date(2025, 3, 14), 3)
    assert s.state == PARTIALLY_KEPT and s.paid == ils(1200)
    assert s.resumes_ladder


def test_what_counts():
    payments = [
        (date(2025, 2, 27), ils(2000)),   # before the promise: already in the balance
        (date(2025, 3, 14), ils(2000)),   # after the grace period: pays the debt, not the promise
        (date(2025, 3, 5), Money.of(2000, "USD")),  # another currency
    ]
    s = evaluate_promise(PROMISE, payments, date(2025, 3, 20), 3)
    assert s.state == BROKEN and s.paid == ils(0)
    # several payments add up; kept on the day the total is reached
    s = evaluate_promise(PROMISE, [(date(2025, 3, 2), ils(1500)), (date(2025, 3, 13), ils(500))],
                         date(2025, 3, 20), 3)
    assert s.state == KEPT and s.kept_on == date(2025, 3, 13)


def test_promise_cannot_be_due_before_it_was_made():
    with pytest.raises(Refused):
        Promise(ils(10), date(2025, 1, 1), "manual", made_on=date(2025, 1, 2))
    with pytest.raises(Refused):
        PROMISE.pause_until(-1)

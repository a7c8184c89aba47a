"""Settlements: refused when impossible; paid in time (write-off), lapsed, open."""

from datetime import date

import pytest

from gvia.core.errors import Refused
from gvia.core.money import Money
from gvia.core.settlements import LAPSED, OPEN, PAID_IN_TIME, Settlement, evaluate


def ils(x):
    return Money.of(x, "ILS")


# a debt of ₪10,000 settled for ₪8,000 if paid by 31 Mar 2025 (offered 1 Mar)
S = Settlement(ils(10000), ils(8000), date(2025, 3, 31), offered_on=date(2025, 3, 1))


@pytest.mark.parametrize("debt,agreed,message", [
    (ils(10000), ils(0), "more than zero"),
    (ils(10000), ils(-1), "more than zero"),
    (ils(10000), ils("10000.01"), "more than the debt"),
    (ils(10000), Money.of(8000, "USD"), "USD"),
    (ils(0), ils(0), "no debt"),
])
def test_refused(debt, agreed, message):
    with pytest.raises(Refused, match=message):
        Settlement(debt, agreed, date(2025, 3, 31))


def test_paid_in_time_writes_off_the_rest():
    s = evaluate(S, [(date(2025, 3, 10), ils(5000)), (date(2025, 3, 31), ils(3000))], date(2025, 4, 2))
    assert s.state == PAID_IN_TIME and s.paid_on == date(2025, 3, 31)
    assert s.write_off == ils(2000) and s.still_owed == ils(0)
    assert S.discount == ils(2000)


def test_paying_more_than_agreed_writes_off_less():
    s = evaluate(S, [(date(2025, 3, 10), ils(8500))], date(2025, 3, 10))
    assert s.state == PAID_IN_TIME and s.write_off == ils(1500)


def test_lapsed_full_debt_stands():
    payments = [(date(2025, 3, 10), ils(5000)), (date(2025, 4, 1), ils(3000))]  # second too late
    assert evaluate(S, payments, date(2025, 3, 31)).state == OPEN
    s = evaluate(S, payments, date(2025, 4, 1))
    assert s.state == LAPSED and s.write_off == ils(0)
    assert s.paid == ils(5000) and s.still_owed == ils(5000)


def test_payments_before_the_offer_do_not_count():
    s = evaluate(S, [(date(2025, 2, 20), ils(8000))], date(2025, 3, 5))
    assert s.state == OPEN and s.paid == ils(0)

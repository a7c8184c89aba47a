"""Who to chase first: the order and the groups' rules (gvia.core.worklist_order, issue 17)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from gvia.core.money import Money
from gvia.core.signals import History, Invoice
from gvia.core.worklist_order import Rate, in_currency, pays_after_one_reminder, priority, quick_win

TODAY = date(2026, 12, 7)


def ils(x: str) -> Money:
    return Money.of(x, "ILS")


def test_priority_is_amount_times_score_times_days_a_zero_score_counting_as_one():
    assert priority(ils("1000"), 40, 30) == Decimal("1200000.00")
    assert priority(ils("1000"), 0, 30) == priority(ils("1000"), 1, 30) == Decimal("30000.00")
    assert priority(ils("1000"), 40, 30) > priority(ils("1000"), 40, 29) > priority(ils("999"), 40, 29)


def test_other_currencies_at_the_latest_rate_either_way_marked_estimated():
    rates = {("ILS", "USD"): Rate("ILS", "USD", Decimal("0.25"), date(2026, 11, 1)),      # 4 ILS per USD
             ("USD", "ILS"): Rate("USD", "ILS", Decimal("3.70"), date(2026, 6, 1)),       # older
             ("EUR", "ILS"): Rate("EUR", "ILS", Decimal("4.00"), date(2026, 10, 1))}
    c = in_currency({"ILS": ils("100"), "USD": Money.of("10", "USD"), "EUR": Money.of("5", "EUR")}, "ILS", rates)
    assert c.amount == ils("160.00") and c.estimated and c.unconverted == ()
    plain = in_currency({"ILS": ils("100")}, "ILS", rates)
    assert plain.amount == ils("100") and not plain.estimated
    gbp = in_currency({"ILS": ils("100"), "GBP": Money.of("10", "GBP")}, "ILS", rates)
    assert gbp.amount == ils("100") and gbp.unconverted == ("GBP",) and not gbp.estimated


def _history(days_late: list[int], reminders_each: int) -> History:
    invoices, sent = [], []
    for k, late in enumerate(days_late):
        due = date(2026, 1, 1) + timedelta(days=40 * k)
        invoices.append(Invoice(due, 100, "ILS", due + timedelta(days=late)))
        sent += [due + timedelta(days=1 + j) for j in range(reminders_each if late > 0 else 0)]
    return History(sent=tuple(sent), invoices=tuple(invoices))


def test_usually_pays_after_one_reminder():
    assert pays_after_one_reminder(_history([5, 6, 0], 1), TODAY)
    assert pays_after_one_reminder(_history([0, 0], 0), TODAY)              # never needed one
    assert not pays_after_one_reminder(_history([20, 25, 30], 3), TODAY)    # three reminders each time
    assert not pays_after_one_reminder(_history([5], 1), TODAY)             # one invoice is no habit
    assert not pays_after_one_reminder(History(), TODAY)


def test_a_quick_win():
    below = {"ILS": ils("2000")}
    assert quick_win(1, {"ILS": ils("1500")}, below, True)
    assert not quick_win(2, {"ILS": ils("1500")}, below, True)               # two overdue invoices
    assert not quick_win(1, {"ILS": ils("2000")}, below, True)               # not below
    assert not quick_win(1, {"ILS": ils("1500")}, below, False)              # needs chasing
    assert not quick_win(1, {"USD": Money.of("10", "USD")}, below, True)     # no limit in USD

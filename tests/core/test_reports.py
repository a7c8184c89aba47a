"""The reports' arithmetic (issue 17): DSO by countback and the CEI worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from gvia.core.reports import cei, dso_countback, month_closing, month_end, months_between, rate


def test_months():
    assert months_between(date(2026, 11, 15), date(2027, 2, 3)) == [
        date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1)]
    assert month_end(date(2028, 2, 10)) == date(2028, 2, 29)
    rows = [(date(2026, 1, 5), "ILS", 1), (date(2026, 1, 31), "ILS", 2), (date(2026, 3, 2), "ILS", 3),
            (date(2026, 3, 1), "USD", 9)]
    assert month_closing(rows, months_between(date(2026, 1, 1), date(2026, 3, 1))) == {
        "ILS": [2, None, 3], "USD": [None, None, 9]}


def test_dso_countback_by_hand():
    # end 31 March; receivables 150,000; sales March 100,000 (31 days), February 80,000 (28 days):
    # March is wholly outstanding (31 days, 50,000 left), then 50,000 / 80,000 of February's 28 days = 17.5
    sales = [(date(2026, 3, 1), D(100000)), (date(2026, 2, 1), D(80000)), (date(2026, 1, 1), D(90000))]
    assert dso_countback(D(150000), sales, date(2026, 3, 31)) == D("48.5")
    # mid-month: the month of the end counts the days up to it (15)
    assert dso_countback(D(120000), sales, date(2026, 3, 15)) == D("22.0")     # 15 + 28 × 20/80
    assert dso_countback(D(0), sales, date(2026, 3, 31)) == D("0.0")
    assert dso_countback(D(500000), sales, date(2026, 3, 31)) is None            # more than all the sales
    # a month without sales counts whole
    assert dso_countback(D(10), [(date(2026, 3, 1), D(0)), (date(2026, 2, 1), D(20))], date(2026, 3, 31)) == D("45.0")


def test_cei_by_hand():
    # start 100,000 + sales 50,000 − end 60,000 = 90,000 collected; divisor 150,000 − current 30,000 = 120,000
    assert cei(D(100000), D(50000), D(60000), D(30000)) == D("75.0")
    assert cei(D(0), D(0), D(0), D(0)) is None
    assert rate(2, 3) == 67 and rate(0, 0) is None and rate(1, 8) == 13

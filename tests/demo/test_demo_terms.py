"""Payment terms: due dates computed by hand from the calendar."""

from datetime import date

import pytest

from gvia.demo.terms import EOM_30, EOM_60, EOM_90, IMMEDIATE, NET_30, NET_60, PaymentTerms, end_of_month


@pytest.mark.parametrize("issue, expected", [
    (date(2025, 1, 15), date(2025, 3, 2)),    # 31 Jan + 30 days (February has 28)
    (date(2025, 1, 31), date(2025, 3, 2)),    # the last day of the month counts as its end
    (date(2024, 2, 10), date(2024, 3, 30)),   # 29 Feb 2024 + 30
    (date(2024, 12, 5), date(2025, 1, 30)),   # 31 Dec + 30 crosses the year
])
def test_end_of_month_plus_30(issue, expected):
    assert EOM_30.due(issue) == expected


def test_end_of_month_plus_60_and_90():
    assert EOM_60.due(date(2025, 1, 15)) == date(2025, 4, 1)   # 31 Jan + 60
    assert EOM_90.due(date(2025, 1, 15)) == date(2025, 5, 1)   # 31 Jan + 90


def test_net_terms():
    assert NET_30.due(date(2025, 1, 15)) == date(2025, 2, 14)
    assert NET_60.due(date(2025, 11, 30)) == date(2026, 1, 29)
    assert IMMEDIATE.due(date(2025, 6, 1)) == date(2025, 6, 1)


def test_end_of_month():
    assert end_of_month(date(2025, 2, 3)) == date(2025, 2, 28)
    assert end_of_month(date(2024, 2, 3)) == date(2024, 2, 29)
    assert end_of_month(date(2025, 12, 31)) == date(2025, 12, 31)


def test_labels():
    assert EOM_30.label("he") == "שוטף + 30"
    assert EOM_60.label("en") == "EOM + 60"
    assert NET_30.label("en") == "Net 30"
    assert IMMEDIATE.label("he") == "מיידי"


def test_negative_terms_refused():
    with pytest.raises(ValueError):
        PaymentTerms(-1)

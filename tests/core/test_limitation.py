"""Limitation periods per country and the early warning."""

from datetime import date

import pytest

from gvia.core.errors import NotFound
from gvia.core.limitation import LimitationRule, limitation_date, limitation_status, nearing_limitation


def test_israel_seven_years():
    # due 15 Mar 2019 + 7 years = 15 Mar 2026; warning from 15 Sep 2025 (6 months before)
    assert limitation_date(date(2019, 3, 15), "IL") == date(2026, 3, 15)
    assert not nearing_limitation(date(2019, 3, 15), date(2025, 9, 14))
    assert nearing_limitation(date(2019, 3, 15), date(2025, 9, 15))
    assert nearing_limitation(date(2019, 3, 15), date(2026, 3, 15))
    assert not nearing_limitation(date(2019, 3, 15), date(2026, 3, 16))  # expired, not nearing
    s = limitation_status(date(2019, 3, 15), date(2026, 3, 16), "IL")
    assert s.state == "expired" and s.days_left == -1


def test_uk_six_years_and_leap_day():
    # due 29 Feb 2020 + 6 years: 2026 has no 29 February → 28 Feb 2026
    assert limitation_date(date(2020, 2, 29), "GB") == date(2026, 2, 28)
    assert limitation_date(date(2020, 2, 29), "UK") == date(2026, 2, 28)
    # warning 3 months ahead: from 28 Nov 2025
    assert limitation_status(date(2020, 2, 29), date(2025, 11, 28), "GB", 3).state == "nearing"
    assert limitation_status(date(2020, 2, 29), date(2025, 11, 27), "GB", 3).state == "running"


def test_acknowledgment_restarts_the_period():
    # a part payment on 1 Jun 2022 restarts the 6 years: 1 Jun 2028
    assert limitation_date(date(2020, 1, 10), "GB", restarted_on=date(2022, 6, 1)) == date(2028, 6, 1)
    # an "acknowledgment" before the due date changes nothing
    assert limitation_date(date(2020, 1, 10), "GB", restarted_on=date(2019, 1, 1)) == date(2026, 1, 10)


def test_configurable_and_unknown_countries():
    rules = {"SCT": LimitationRule("SCT", 5, "Prescription and Limitation (Scotland) Act 1973, s.6")}
    assert limitation_date(date(2020, 5, 1), "SCT", rules=rules) == date(2025, 5, 1)
    with pytest.raises(NotFound):
        limitation_date(date(2020, 5, 1), "FR")

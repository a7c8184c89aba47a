"""Business calendars: weekends, public holidays, counting business days.

Expected dates are read off a printed calendar and the published holiday dates:
2026 — Rosh Hashana Sat 12 + Sun 13 Sep, Yom Kippur Mon 21 Sep, Pesach Thu 2 Apr and
Wed 8 Apr, Independence Day Wed 22 Apr; 2025 — Sukkot Tue 7 Oct, Shemini Atzeret Tue 14 Oct.
England 2026: Late Summer Bank Holiday Mon 31 Aug, Christmas Fri 25 Dec, Boxing Day
(observed) Mon 28 Dec.
"""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gvia.core.calendar import BusinessCalendar
from gvia.core.errors import ValidationFailed

IL = BusinessCalendar("IL")
GB = BusinessCalendar("GB")


class TestIsrael:
    def test_friday_and_saturday_are_off_sunday_works(self):
        assert not IL.is_business_day(date(2026, 11, 13))  # Friday
        assert not IL.is_business_day(date(2026, 11, 14))  # Saturday
        assert IL.is_business_day(date(2026, 11, 15))  # Sunday
        assert IL.is_business_day(date(2026, 11, 19))  # Thursday

    @pytest.mark.parametrize("day", [
        date(2026, 9, 13),   # Rosh Hashana, day 2 (a Sunday)
        date(2026, 9, 21),   # Yom Kippur (Monday)
        date(2026, 4, 2),    # Pesach, first day (Thursday)
        date(2026, 4, 8),    # Pesach, seventh day (Wednesday)
        date(2026, 4, 22),   # Independence Day (Wednesday)
        date(2025, 9, 23),   # Rosh Hashana 5786, day 1 (Tuesday)
        date(2025, 9, 24),   # Rosh Hashana 5786, day 2 (Wednesday)
        date(2025, 10, 2),   # Yom Kippur 5786 (Thursday)
        date(2025, 10, 7),   # Sukkot, first day (Tuesday)
        date(2025, 10, 14),  # Shemini Atzeret / Simchat Torah (Tuesday)
    ])
    def test_holidays_are_days_off(self, day):
        assert not IL.is_business_day(day)
        assert IL.holiday_name(day) is not None

    @pytest.mark.parametrize("day", [
        date(2026, 9, 20),   # erev Yom Kippur (Sunday): a working day
        date(2026, 4, 1),    # erev Pesach (Wednesday)
        date(2026, 4, 5),    # chol hamoed Pesach (Sunday)
        date(2025, 10, 9),   # chol hamoed Sukkot (Thursday)
        date(2026, 4, 21),   # Memorial Day (Tuesday): shops and offices open
    ])
    def test_eves_and_intermediate_days_are_working_days(self, day):
        assert IL.is_business_day(day)

    def test_next_business_day_skips_weekend_and_rosh_hashana(self):
        # Fri 11 Sep, Sat 12 (RH), Sun 13 (RH) -> Mon 14 Sep 2026
        assert IL.next_business_day(date(2026, 9, 11)) == date(2026, 9, 14)
        assert IL.next_business_day(date(2026, 9, 14)) == date(2026, 9, 14)

    def test_add_business_days_skips_yom_kippur(self):
        # Thu 17 Sep + 2: Sun 20 (1), Mon 21 is Yom Kippur, Tue 22 (2)
        assert IL.add_business_days(date(2026, 9, 17), 2) == date(2026, 9, 22)
        assert IL.add_business_days(date(2026, 9, 17), 0) == date(2026, 9, 17)
        # backwards from Tue 22: Sun 20 (1), Thu 17 (2)
        assert IL.add_business_days(date(2026, 9, 22), -2) == date(2026, 9, 17)
        # from a Friday: the Friday itself is not counted; Sun 15 Nov is the first
        assert IL.add_business_days(date(2026, 11, 13), 1) == date(2026, 11, 15)

    def test_business_days_between(self):
        # (Thu 10 Sep, Thu 24 Sep]: 14,15,16,17,20,22,23,24 = 8 (13 RH, 21 YK, weekends out)
        assert IL.business_days_between(date(2026, 9, 10), date(2026, 9, 24)) == 8
        assert IL.business_days_between(date(2026, 9, 24), date(2026, 9, 10)) == -8
        assert IL.business_days_between(date(2026, 9, 24), date(2026, 9, 24)) == 0

    def test_add_days_calendar_and_business(self):
        assert IL.add_days(date(2026, 9, 17), 4, "calendar") == date(2026, 9, 21)
        assert IL.add_days(date(2026, 9, 17), 2, "business") == date(2026, 9, 22)
        with pytest.raises(ValueError):
            IL.add_days(date(2026, 9, 17), 2, "lunar")


class TestOtherCountries:
    def test_uk_weekend_and_bank_holidays(self):
        assert not GB.is_business_day(date(2026, 11, 14))  # Saturday
        assert not GB.is_business_day(date(2026, 11, 15))  # Sunday
        assert GB.is_business_day(date(2026, 11, 13))  # Friday
        assert not GB.is_business_day(date(2026, 8, 31))  # Late Summer Bank Holiday (England)
        # Fri 25 Dec Christmas, Sat, Sun, Mon 28 Boxing Day (observed) -> Tue 29 Dec
        assert GB.next_business_day(date(2026, 12, 25)) == date(2026, 12, 29)

    def test_uk_alias_and_scotland(self):
        assert BusinessCalendar("uk").country == "GB"
        scotland = BusinessCalendar("GB", subdiv="SCT")
        assert scotland.is_business_day(date(2026, 8, 31))  # not a holiday in Scotland
        assert not scotland.is_business_day(date(2026, 8, 3))  # Summer Bank Holiday (Scotland)

    def test_us_and_eu(self):
        us = BusinessCalendar("US")
        assert not us.is_business_day(date(2026, 11, 26))  # Thanksgiving
        assert not us.is_business_day(date(2026, 7, 3))  # Independence Day observed (Friday)
        eu = BusinessCalendar("EU")
        assert not eu.is_business_day(date(2026, 5, 1))  # Labour Day (TARGET)
        assert not eu.is_business_day(date(2026, 4, 6))  # Easter Monday
        assert not eu.is_business_day(date(2026, 10, 3))  # a Saturday
        assert eu.is_business_day(date(2026, 10, 5))  # Monday

    def test_unknown_country_is_refused(self):
        with pytest.raises(ValidationFailed) as exc:
            BusinessCalendar("XX")
        assert exc.value.problems[0].field == "country"


class TestOverrides:
    def test_extra_holidays_and_workdays(self):
        cal = BusinessCalendar("IL", extra_holidays=[date(2026, 11, 16)],
                               extra_workdays=[date(2026, 11, 13)])
        assert not cal.is_business_day(date(2026, 11, 16))  # company holiday (Monday)
        assert cal.holiday_name(date(2026, 11, 16)) == "company holiday"
        assert cal.is_business_day(date(2026, 11, 13))  # a Friday made a working day
        # Sun 15 (1), Mon 16 off, Tue 17 (2)
        assert cal.add_business_days(date(2026, 11, 14), 2) == date(2026, 11, 17)

    def test_custom_weekend(self):
        six_days = BusinessCalendar("IL", weekend=frozenset({5}))
        assert six_days.is_business_day(date(2026, 11, 13))  # Friday works
        assert not six_days.is_business_day(date(2026, 11, 14))

    def test_bad_weekend(self):
        with pytest.raises(ValidationFailed):
            BusinessCalendar("IL", weekend=frozenset({7}))


DATES = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))


@settings(max_examples=150, deadline=None)
@given(DATES, st.integers(min_value=-40, max_value=60), st.sampled_from(["IL", "GB", "US"]))
def test_counting_is_consistent(d, n, country):
    cal = {"IL": IL, "GB": GB}.get(country) or BusinessCalendar(country)
    result = cal.add_business_days(d, n)
    assert cal.business_days_between(d, result) == n
    if n != 0:
        assert cal.is_business_day(result)
        assert (result > d) == (n > 0)


@settings(max_examples=150, deadline=None)
@given(DATES)
def test_next_business_day_is_the_first(d):
    nb = IL.next_business_day(d)
    assert nb >= d and IL.is_business_day(nb)
    day = d
    while day < nb:
        assert not IL.is_business_day(day)
        day += timedelta(days=1)


def test_public_holidays_are_named_in_the_readers_language():
    il = BusinessCalendar("IL", extra_holidays=[date(2026, 9, 22)])
    assert il.public_holiday_name(date(2026, 9, 21), "he") == "יום כיפור"
    assert il.public_holiday_name(date(2026, 9, 21), "en") == "Yom Kippur"
    assert il.public_holiday_name(date(2026, 9, 22), "he") is None          # the business's own day
    assert il.public_holiday_name(date(2026, 9, 23), "he") is None          # a working day
    # a language the package has no names in for the country: its default words
    assert BusinessCalendar("GB").public_holiday_name(date(2026, 12, 25), "he") == "Christmas Day"

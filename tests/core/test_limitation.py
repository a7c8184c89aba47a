"""Limitation periods per country and the early warning."""

from datetime import date

import pytest

from gvia.core.errors import NotFound
from gvia.core.limitation import (
    COURT_ADMISSION,
    LIMITATION_RULES,
    ORAL_PROMISE,
    PART_PAYMENT,
    WRITTEN_ACKNOWLEDGMENT,
    LimitationRule,
    RestartEvent,
    limitation_date,
    limitation_end,
    limitation_status,
    nearing_limitation,
    time_barred,
)


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


# --- restarts, as each country's law says (docs/legal-sources.md 2b, 3b-3d) --------------------

def test_israel_part_payment_restarts_from_its_day():
    got = limitation_end(date(2018, 1, 10), "IL", [RestartEvent(date(2021, 4, 5), PART_PAYMENT, "p7")])
    assert got.end == date(2028, 4, 5)
    assert got.restarted_by == RestartEvent(date(2021, 4, 5), PART_PAYMENT, "p7")
    assert limitation_end(date(2018, 1, 10), "IL").end == date(2025, 1, 10)


def test_israel_written_admission_after_expiry_restarts():
    # due 1 Feb 2015: time-barred after 1 Feb 2022; a signed admission on 3 Mar 2023 starts 7 years again (s.9)
    ev = RestartEvent(date(2023, 3, 3), WRITTEN_ACKNOWLEDGMENT, "plan 4")
    got = limitation_end(date(2015, 2, 1), "IL", [ev])
    assert got.end == date(2030, 3, 3) and got.restarted_by == ev
    assert limitation_end(date(2015, 2, 1), "IL", [RestartEvent(date(2023, 3, 3), COURT_ADMISSION)]).end \
        == date(2030, 3, 3)


def test_uk_part_payment_before_expiry_restarts_but_nothing_revives_a_barred_debt():
    before = RestartEvent(date(2024, 6, 1), PART_PAYMENT)
    assert limitation_end(date(2020, 1, 10), "GB", [before]).end == date(2030, 6, 1)
    # barred after 10 Jan 2026: a payment on 1 Mar 2026 does not revive it (s.29(7))
    after = RestartEvent(date(2026, 3, 1), PART_PAYMENT)
    got = limitation_end(date(2020, 1, 10), "GB", [after])
    assert got.end == date(2026, 1, 10) and got.restarted_by is None
    assert got.ignored == ((after, "barred"),)
    # a payment on the limitation date itself is still within the period
    assert limitation_end(date(2020, 1, 10), "GB", [RestartEvent(date(2026, 1, 10), PART_PAYMENT)]).end \
        == date(2032, 1, 10)
    # repeated extension while running: each payment restarts it (s.29(7))
    twice = [RestartEvent(date(2025, 1, 1), PART_PAYMENT), RestartEvent(date(2030, 12, 31), PART_PAYMENT)]
    assert limitation_end(date(2020, 1, 10), "GB", twice).end == date(2036, 12, 31)


def test_a_promise_on_a_call_never_restarts():
    for country in ("IL", "GB"):
        call = RestartEvent(date(2021, 5, 5), ORAL_PROMISE)
        got = limitation_end(date(2019, 1, 1), country, [call])
        assert got.end == date(2019 + LIMITATION_RULES[country].years, 1, 1)
        assert got.ignored == ((call, "kind"),)
    # an admission before a court is Israel's (s.9), not the Limitation Act's (s.30: writing, signed)
    assert limitation_end(date(2019, 1, 1), "GB", [RestartEvent(date(2021, 5, 5), COURT_ADMISSION)]).end \
        == date(2025, 1, 1)


def test_events_before_the_due_date_or_after_the_day_asked_change_nothing():
    early = RestartEvent(date(2019, 12, 1), PART_PAYMENT)
    late = RestartEvent(date(2024, 1, 1), PART_PAYMENT)
    got = limitation_end(date(2020, 1, 1), "IL", [early, late], as_of=date(2023, 1, 1))
    assert got.end == date(2027, 1, 1) and got.ignored == ((early, "earlier"), (late, "later"))
    st = limitation_status(date(2020, 1, 1), date(2026, 12, 1), "IL", events=[late])
    assert st.limitation_date == date(2031, 1, 1) and st.state == "running" and st.restarted_by == late


def test_a_configured_rule_without_restarts_ignores_every_event():
    rules = {"XX": LimitationRule("XX", 5, "organization setting")}
    got = limitation_end(date(2020, 1, 1), "XX", [RestartEvent(date(2022, 1, 1), PART_PAYMENT)], rules=rules)
    assert got.end == date(2025, 1, 1)


def test_time_barred_is_the_day_after_the_limitation_date():
    assert not time_barred(date(2026, 1, 10), date(2026, 1, 10))
    assert time_barred(date(2026, 1, 10), date(2026, 1, 11))
    assert not time_barred(None, date(2099, 1, 1))
    assert limitation_end(date(2020, 1, 10), "GB").barred_on(date(2026, 1, 11))

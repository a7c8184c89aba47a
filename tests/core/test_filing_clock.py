"""The one filing clock of s.81A1 (core.legal_rules.earliest_filing): 30 whole days after the
recorded delivery, filing on the day after; no delivery recorded → no filing day, and a person
once the confirmation is long overdue."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from gvia.core.errors import NotFound
from gvia.core.legal_rules import (
    FILING_CLOCKS,
    FILING_CODES,
    earliest_filing,
    execution_office_rule,
    filing_clock,
)

RULE = execution_office_rule(date(2026, 11, 1))
POSTED = date(2026, 11, 2)
DELIVERED = date(2026, 11, 5)


def test_it_counts_from_the_recorded_delivery_not_the_posting():
    day = earliest_filing(RULE, POSTED, DELIVERED)
    assert (day.on, day.code, day.counted_from) == (date(2026, 12, 6), "from_delivery", DELIVERED)
    assert earliest_filing(RULE, POSTED, date(2026, 11, 20)).on == date(2026, 12, 21)


@pytest.mark.parametrize("days_after_delivery, may_file", [(29, False), (30, False), (31, True), (32, True)])
def test_the_boundary_is_the_day_after_the_thirtieth(days_after_delivery, may_file):
    day = earliest_filing(RULE, POSTED, DELIVERED)
    assert RULE.notice_days == 30
    assert ((DELIVERED + timedelta(days=days_after_delivery)) >= day.on) is may_file


def test_no_delivery_recorded_gives_no_day_and_then_a_person():
    clock = filing_clock(POSTED)
    ask = POSTED + timedelta(days=clock.confirmation_wait_days)
    waiting = earliest_filing(RULE, POSTED, None, today=ask - timedelta(days=1))
    assert (waiting.on, waiting.code, waiting.ask_person_on) == (None, "awaiting_delivery_confirmation", ask)
    late = earliest_filing(RULE, POSTED, None, today=ask)
    assert (late.on, late.code) == (None, "no_delivery_confirmation")
    assert earliest_filing(RULE, POSTED, None).code == "awaiting_delivery_confirmation"   # no today: no verdict
    assert earliest_filing(RULE, None, None).code == "not_posted"
    assert {waiting.code, late.code, "not_posted", "from_delivery"} <= set(FILING_CODES)


def test_the_clock_is_dated_data_that_names_its_reading_and_its_sources():
    clock = filing_clock(date(2026, 12, 7))
    assert clock.counts_from == "delivery" and clock.first_day == 1
    assert "81A1" in clock.source_en and "stricter" in clock.source_en and "not the law's" in clock.source_en
    assert "81א1" in clock.source_he and "המחמירה" in clock.source_he
    assert clock.valid_from == min(c.valid_from for c in FILING_CLOCKS)
    with pytest.raises(NotFound):
        filing_clock(date(2015, 10, 14))
    assert earliest_filing(RULE, POSTED, DELIVERED).source_en == clock.source_en

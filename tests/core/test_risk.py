"""The signs of a customer at risk (gvia.core.risk), from plain facts and the day."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from gvia.core.risk import RiskFacts, growth_period, growth_periods, promise_window_start, signs

TODAY = date(2026, 3, 15)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=timezone.utc)


def test_a_promise_broken_90_days_ago_counts_and_91_days_ago_does_not():
    assert promise_window_start(TODAY) == date(2025, 12, 15)
    broken_90 = RiskFacts(overdue=True, broken_promises=(TODAY - timedelta(days=90),))
    broken_91 = RiskFacts(overdue=True, broken_promises=(TODAY - timedelta(days=91),))
    assert signs(broken_90, TODAY) == ("broken_promise",)
    assert signs(broken_91, TODAY) == ()
    assert signs(RiskFacts(overdue=True, broken_promises=(TODAY,)), TODAY) == ("broken_promise",)


def test_nothing_overdue_means_no_signs():
    facts = RiskFacts(overdue=False, broken_promises=(TODAY,), messages_sent=5)
    assert signs(facts, TODAY) == ()


def test_no_answer_to_the_last_two_messages():
    first, second = at(date(2026, 2, 20)), at(date(2026, 3, 6))
    assert signs(RiskFacts(overdue=True, messages_sent=2), TODAY) == ("no_answer",)      # never replied
    assert signs(RiskFacts(overdue=True, messages_sent=1), TODAY) == ()                  # one message only
    before = RiskFacts(overdue=True, messages_sent=3, last_two_sent=(first, second), last_reply=first - timedelta(1))
    after = RiskFacts(overdue=True, messages_sent=3, last_two_sent=(first, second), last_reply=first + timedelta(1))
    assert signs(before, TODAY) == ("no_answer",)
    assert signs(after, TODAY) == ()                     # a reply after the earlier of the last two


def test_overdue_growing_in_each_of_the_three_30_day_periods():
    assert growth_periods(TODAY) == (date(2026, 2, 13), date(2026, 1, 14), date(2025, 12, 15))
    assert [growth_period(d, TODAY) for d in (date(2026, 3, 14), date(2026, 2, 13), date(2026, 2, 12),
                                              date(2025, 12, 15), date(2025, 12, 14), TODAY)] == [1, 1, 2, 3, None,
                                                                                                   None]
    three = (date(2026, 3, 5), date(2026, 2, 1), date(2026, 1, 5))
    assert signs(RiskFacts(overdue=True, open_overdue_due_dates=three), TODAY) == ("overdue_growing",)
    two = (date(2026, 3, 5), date(2026, 2, 1), date(2025, 12, 14))        # the oldest one day too early
    assert signs(RiskFacts(overdue=True, open_overdue_due_dates=two), TODAY) == ()


def test_signs_come_in_one_order():
    facts = RiskFacts(overdue=True, broken_promises=(TODAY,), messages_sent=2,
                      open_overdue_due_dates=(date(2026, 3, 5), date(2026, 2, 1), date(2026, 1, 5)))
    assert signs(facts, TODAY) == ("broken_promise", "no_answer", "overdue_growing")

"""The predicted payment date (gvia.core.prediction, issue 17)."""

from __future__ import annotations

from datetime import date, timedelta

from gvia.core.prediction import Paid, Pool, Tuning, pool, predict

TODAY = date(2026, 6, 1)
EMPTY = Pool((), 0.0)


def history(lates: list[int], start: date = date(2025, 6, 1), every: int = 20) -> list[Paid]:
    out = []
    for k, late in enumerate(lates):
        due = start + timedelta(days=every * k)
        out.append(Paid(due, due + timedelta(days=late)))
    return out


def test_a_steady_payer_is_predicted_at_their_usual_lateness():
    due = TODAY + timedelta(days=10)
    p = predict(due, TODAY, history([20] * 12), EMPTY)
    assert p.day == due + timedelta(days=20)
    assert p.low == p.high == p.day
    assert p.basis == "customer" and p.own == 12


def test_an_invoice_still_open_after_the_usual_day_is_expected_later_not_in_the_past():
    # pays on time or about 60 days late; this one is 10 days late and unpaid: the late mode
    lates = [0, 1, 60, 0, 62, 1, 58, 0, 61, 0]
    due = TODAY - timedelta(days=10)
    p = predict(due, TODAY, history(lates), EMPTY)
    assert 58 <= (p.day - due).days <= 62
    assert p.low >= TODAY
    fresh = predict(TODAY + timedelta(days=5), TODAY, history(lates), EMPTY)
    assert (fresh.day - (TODAY + timedelta(days=5))).days <= 1          # most of theirs are on time


def test_later_than_anything_seen_is_beyond_history_with_an_open_range():
    due = TODAY - timedelta(days=100)
    p = predict(due, TODAY, history([5, 6, 7]), pool(history([10, 20]), TODAY))
    assert p.basis == "beyond_history" and p.high is None and p.day == TODAY == p.low


def test_little_history_leans_on_the_organization():
    org = pool(history([30] * 40), TODAY)
    due = TODAY + timedelta(days=3)
    p = predict(due, TODAY, history([0]), org)
    assert p.basis == "organization" and p.own == 1
    assert (p.day - due).days == 30
    many = predict(due, TODAY, history([0] * 30, start=date(2025, 12, 1), every=5), org)
    assert many.basis == "customer" and many.day == due


def test_recent_payments_count_more_than_old_ones():
    old = history([60] * 6, start=date(2024, 1, 1))
    recent = history([5] * 3, start=date(2026, 3, 1))
    due = TODAY + timedelta(days=1)
    p = predict(due, TODAY, old + recent, EMPTY)
    assert (p.day - due).days == 5


def test_payments_after_today_are_not_known():
    lates = history([10] * 5)
    future = [Paid(TODAY, TODAY + timedelta(days=90))] * 20
    due = TODAY + timedelta(days=2)
    assert predict(due, TODAY, lates + future, EMPTY) == predict(due, TODAY, lates, EMPTY)
    assert pool(future, TODAY).total == 0


def test_the_range_runs_between_the_chosen_percentiles():
    lates = list(range(0, 50))           # 0..49 days late, evenly
    due = TODAY + timedelta(days=30)
    p = predict(due, TODAY, history(lates, start=date(2026, 1, 1), every=2), EMPTY,
                Tuning(half_life_days=1e9, season_boost=0.0, low_quantile=0.1, high_quantile=0.9))
    assert 4 <= (p.low - due).days <= 5 and 44 <= (p.high - due).days <= 45    # one sample either side
    assert 24 <= (p.day - due).days <= 25
    wide = predict(due, TODAY, history(lates, start=date(2026, 1, 1), every=2), EMPTY,
                   Tuning(half_life_days=1e9, season_boost=0.0))        # the calibrated 3rd-97th
    assert wide.low < p.low and wide.high > p.high and wide.day == p.day


def test_the_same_season_counts_more():
    # 45 days late every July for four years; on time in January and February
    rows = [Paid(date(y, 7, 10), date(y, 8, 24)) for y in (2022, 2023, 2024, 2025)]
    rows += [Paid(date(y, m, 10), date(y, m, 10)) for y in (2022, 2023, 2024, 2025) for m in (1, 2)]
    timeless = Tuning(half_life_days=1e9)
    july = predict(date(2026, 7, 10), TODAY, rows, EMPTY, timeless)
    march = predict(date(2026, 3, 10), date(2026, 3, 1), rows, EMPTY, timeless)
    assert (july.day - date(2026, 7, 10)).days == 45
    assert march.day == date(2026, 3, 10)
    no_season = predict(date(2026, 7, 10), TODAY, rows, EMPTY, Tuning(half_life_days=1e9, season_boost=0))
    assert no_season.day == date(2026, 7, 10)

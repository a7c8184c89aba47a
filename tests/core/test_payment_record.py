"""A customer's payment record (issue 17): figures worked by hand from small histories."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from gvia.core.payment_record import PlanOutcome, YearRecord, payment_record
from gvia.core.signals import History, Invoice, Payment, Promise

TODAY = date(2026, 12, 7)


def inv(due: date, paid: date | None) -> Invoice:
    return Invoice(due, 100_00, "ILS", paid)


def test_nothing_paid_is_an_empty_record():
    r = payment_record(History(invoices=(inv(date(2026, 11, 1), None),)), TODAY)
    assert r.empty and r.paid == 0 and r.on_time_percent is None and r.average_days_late is None
    assert r.trend is None and r.years == ()


def test_on_time_rate_average_lateness_and_years():
    h = History(invoices=(
        inv(date(2025, 3, 1), date(2025, 2, 20)),    # early: 0 days late, on time
        inv(date(2025, 6, 1), date(2025, 6, 11)),    # 10 late
        inv(date(2026, 3, 1), date(2026, 3, 1)),     # on the day: on time
        inv(date(2026, 9, 1), date(2026, 10, 1)),    # 30 late
        inv(date(2026, 11, 1), None),                # still open: not counted
        inv(date(2026, 11, 1), date(2026, 12, 8)),   # paid after today: not counted
    ))
    r = payment_record(h, TODAY)
    assert (r.paid, r.on_time, r.on_time_percent) == (4, 2, 50)
    assert r.average_days_late == Decimal("10.0")                 # (0 + 10 + 0 + 30) / 4
    assert r.years == (YearRecord(2026, 2, 1, Decimal("15.0")), YearRecord(2025, 2, 1, Decimal("5.0")))


def test_the_trend_compares_the_last_twelve_months_with_before():
    base = (inv(date(2025, 1, 1), date(2025, 1, 3)), inv(date(2025, 5, 1), date(2025, 5, 5)))   # 2, 4 → 3.0
    recent_late = base + (inv(date(2026, 6, 1), date(2026, 6, 9)),)                              # 8 → +5.0
    r = payment_record(History(invoices=recent_late), TODAY)
    assert (r.earlier_days_late, r.recent_days_late, r.trend) == (Decimal("3.0"), Decimal("8.0"), "later")
    recent_slight = base + (inv(date(2026, 6, 1), date(2026, 6, 8)),)                            # 7 → +4.0
    assert payment_record(History(invoices=recent_slight), TODAY).trend == "steady"
    recent_early = (inv(date(2025, 1, 1), date(2025, 1, 21)), inv(date(2026, 6, 1), date(2026, 6, 1)))
    assert payment_record(History(invoices=recent_early), TODAY).trend == "earlier"
    # the boundary: paid exactly 365 days ago counts as before
    edge = (inv(date(2025, 12, 1), date(2025, 12, 7)), inv(date(2026, 6, 1), date(2026, 6, 1)))
    r = payment_record(History(invoices=edge), TODAY)
    assert (r.earlier_days_late, r.recent_days_late) == (Decimal("6.0"), Decimal("0.0"))


def test_promises_plans_and_bounced_cheques():
    h = History(promises=(Promise(date(2026, 1, 5), True), Promise(date(2026, 4, 5), False),
                          Promise(date(2026, 8, 5), True), Promise(date(2026, 12, 9), False)),
                payments=(Payment(date(2026, 2, 1), bounced=True), Payment(date(2026, 3, 1)),
                          Payment(date(2026, 12, 10), bounced=True)))
    plans = (PlanOutcome(date(2025, 10, 1), True), PlanOutcome(date(2026, 7, 1), False))
    r = payment_record(h, TODAY, plans)
    assert (r.promises_kept, r.promises_closed) == (2, 3)
    assert (r.plans_completed, r.plans_ended) == (1, 2)
    assert r.bounced_cheques == 1 and not r.empty

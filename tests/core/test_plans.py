"""Payment plans: building (dates off days off, month ends, exact sums), limits, following."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gvia.core.calendar import BusinessCalendar
from gvia.core.errors import Refused
from gvia.core.money import Money
from gvia.core.plans import (
    DOWN_PAYMENT,
    DUE,
    MISSED,
    PAID,
    PARTIAL,
    UPCOMING,
    PlanLimits,
    apply_payments_to_plan,
    build_plan,
    check_limits,
    plan_total,
)

IL = BusinessCalendar("IL")   # Friday and Saturday off, Jewish holidays
GB = BusinessCalendar("GB")   # Saturday and Sunday off, England and Wales bank holidays


def ils(x):
    return Money.of(x, "ILS")


def test_three_monthly_installments_sum_exactly():
    # ₪1,000 in 3: 333.33 + 333.33 + 333.34 (remainder on the last)
    # 31 Mar 2025 is a Monday; 30 Apr 2025 a Wednesday; 31 May 2025 a Saturday → Sunday 1 June
    plan = build_plan(ils(1000), 3, "monthly", date(2025, 3, 31), None, IL)
    assert [(i.number, i.due, i.amount) for i in plan] == [
        (1, date(2025, 3, 31), ils("333.33")),
        (2, date(2025, 4, 30), ils("333.33")),
        (3, date(2025, 6, 1), ils("333.34")),
    ]
    assert plan[2].scheduled == date(2025, 5, 31)
    assert plan_total(plan) == ils(1000)


def test_month_end_keeps_the_first_day_of_month():
    # starting 31 January: 28 Feb (2025 not a leap year), then back to 31 March, 30 April.
    # All four are weekdays in England (31 Jan Fri, 28 Feb Fri, 31 Mar Mon, 30 Apr Wed).
    plan = build_plan(Money.of(400, "GBP"), 4, "monthly", date(2025, 1, 31), None, GB)
    assert [i.due for i in plan] == [date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31),
                                     date(2025, 4, 30)]
    assert [i.amount for i in plan] == [Money.of(100, "GBP")] * 4


def test_holidays_move_to_the_next_business_day():
    # 23 and 24 Sep 2025 are Rosh Hashanah: the first weekly installment moves to Thursday 25
    # Sep; the second (30 Sep, a Tuesday) stays.
    plan = build_plan(ils(500), 2, "weekly", date(2025, 9, 23), None, IL)
    assert [i.due for i in plan] == [date(2025, 9, 25), date(2025, 9, 30)]
    # every two weeks: 2 Jan 2025 (Thu), 16 Jan (Thu), 30 Jan (Thu)
    plan = build_plan(ils(300), 3, "biweekly", date(2025, 1, 2), None, IL)
    assert [i.due for i in plan] == [date(2025, 1, 2), date(2025, 1, 16), date(2025, 1, 30)]


def test_down_payment_first_then_installments():
    # ₪10,000 with ₪1,000 down on Sunday 2 Mar 2025; ₪9,000 in 4 = 2,250 each from Sunday 6 Apr:
    # 6 Apr (Sun), 6 May (Tue), 6 Jun (Fri → Sun 8 Jun), 6 Jul (Sun)
    plan = build_plan(ils(10000), 4, "monthly", date(2025, 4, 6), ils(1000), IL,
                      down_payment_due=date(2025, 3, 2), cheques=True)
    assert [(i.number, i.kind, i.due, i.amount) for i in plan] == [
        (0, DOWN_PAYMENT, date(2025, 3, 2), ils(1000)),
        (1, "installment", date(2025, 4, 6), ils(2250)),
        (2, "installment", date(2025, 5, 6), ils(2250)),
        (3, "installment", date(2025, 6, 8), ils(2250)),
        (4, "installment", date(2025, 7, 6), ils(2250)),
    ]
    assert [i.cheque for i in plan] == [False, True, True, True, True]


def test_down_payment_cannot_come_after_the_first_installment():
    with pytest.raises(Refused, match="after the first installment"):
        build_plan(ils(1000), 2, "monthly", date(2025, 1, 5), ils(100), IL,
                   down_payment_due=date(2025, 1, 6))


def test_whole_shekel_installments():
    # ₪10,000 in 3 rounded to whole shekels: 3,333 + 3,333 + 3,334
    plan = build_plan(ils(10000), 3, "monthly", date(2025, 1, 5), None, IL, unit=ils(1))
    assert [i.amount for i in plan] == [ils(3333), ils(3333), ils(3334)]


@pytest.mark.parametrize("args,message", [
    ((ils(0), 3, "monthly", None), "positive"),
    ((ils(100), 0, "monthly", None), "at least one"),
    ((ils(100), 3, "daily", None), "frequency"),
    ((ils(100), 3, "monthly", ils(100)), "whole balance"),
    ((ils(100), 3, "monthly", Money.of(10, "USD")), "USD"),
    ((ils("0.02"), 3, "monthly", None), "smaller"),
    ((ils(100), 3, "monthly", ils(-1)), "negative"),
])
def test_impossible_plans_are_refused(args, message):
    total, n, freq, down = args
    with pytest.raises(Refused, match=message):
        build_plan(total, n, freq, date(2025, 1, 5), down, IL)


@settings(max_examples=120, deadline=None)
@given(cents=st.integers(1, 100_000_000), n=st.integers(1, 60),
       down_share=st.integers(0, 99), unit=st.sampled_from([None, "1", "10", "0.05"]),
       freq=st.sampled_from(["weekly", "biweekly", "monthly"]), start=st.integers(0, 3000))
def test_installments_always_sum_to_the_total(cents, n, down_share, unit, freq, start):
    total = Money.from_minor(cents, "ILS")
    down = Money.from_minor(cents * down_share // 100, "ILS")
    step = ils(unit) if unit else None
    try:
        plan = build_plan(total, n, freq, date(2020, 1, 1) + timedelta(days=start),
                          down or None, GB, unit=step)
    except Refused:
        # only when the installments would be smaller than one unit
        assert (total - down).amount / n < (step.amount if step else D("0.01"))
        return
    assert plan_total(plan) == total
    regular = [i for i in plan if i.kind == "installment"]
    assert len(regular) == n
    assert all(i.amount.amount > 0 for i in plan)
    assert regular[-1].amount >= regular[0].amount
    assert all(i.amount == regular[0].amount for i in regular[:-1])
    assert all(GB.is_business_day(i.due) for i in plan)


# --- limits -------------------------------------------------------------------------------------


def test_limits_list_what_needs_the_owner():
    limits = PlanLimits(max_months=6, min_installment={"ILS": ils(500)})
    ok = build_plan(ils(3000), 6, "monthly", date(2025, 1, 5), None, IL)
    assert check_limits(ok, limits, agreed_on=date(2025, 1, 1)) == []
    # 12 monthly installments of ₪400 from 5 Jan 2025: ends 5 Dec 2025 (Friday → Sunday 7 Dec),
    # more than 6 months from 1 Jan 2025 (1 Jul 2025), and ₪400 < ₪500
    long = build_plan(ils(4800), 12, "monthly", date(2025, 1, 5), None, IL)
    reasons = check_limits(long, limits, agreed_on=date(2025, 1, 1))
    assert len(reasons) == 2
    assert "2025-12-07" in reasons[0] and "2025-07-01" in reasons[0]
    assert "400.00 ILS" in reasons[1] and "500.00 ILS" in reasons[1]
    assert check_limits(long, PlanLimits(max_months=12, max_installments=10),
                        agreed_on=date(2025, 1, 1)) == [
        "12 installments, more than the 10 a collector may agree"]


# --- following a plan --------------------------------------------------------------------------

# ₪3,000 in 3 monthly installments of ₪1,000: Sun 5 Jan, Wed 5 Feb, Wed 5 Mar 2025
PLAN = build_plan(ils(3000), 3, "monthly", date(2025, 1, 5), None, IL)


def states(status):
    return [s.state for s in status.installments]


def test_plan_paid_in_full_over_time():
    payments = [(date(2025, 1, 5), ils(1000)), (date(2025, 2, 4), ils(1000)),
                (date(2025, 3, 6), ils(1000))]
    st_ = apply_payments_to_plan(PLAN, payments, date(2025, 3, 31), grace_days=7)
    assert states(st_) == [PAID, PAID, PAID]
    assert st_.completed and not st_.in_default and st_.reminders == ()
    assert st_.installments[2].paid_on == date(2025, 3, 6) and not st_.installments[2].late


def test_states_day_by_day():
    payments = [(date(2025, 1, 5), ils(1000)), (date(2025, 2, 10), ils(400))]
    # 4 Jan: nothing due yet
    assert states(apply_payments_to_plan(PLAN, [], date(2025, 1, 4), 7)) == [UPCOMING] * 3
    # 6 Jan: first paid
    assert states(apply_payments_to_plan(PLAN, payments, date(2025, 1, 6), 7)) == [PAID, UPCOMING, UPCOMING]
    # 5 Feb: second due, nothing paid yet on it
    assert states(apply_payments_to_plan(PLAN, payments, date(2025, 2, 5), 7))[1] == DUE
    # 10 Feb: ₪400 of the second
    s = apply_payments_to_plan(PLAN, payments, date(2025, 2, 10), 7)
    assert s.installments[1].state == PARTIAL and s.installments[1].paid == ils(400)
    # 12 Feb is the last day of grace (5 + 7); on 13 Feb the second is missed
    assert apply_payments_to_plan(PLAN, payments, date(2025, 2, 12), 7).installments[1].state == PARTIAL
    s = apply_payments_to_plan(PLAN, payments, date(2025, 2, 13), 7)
    assert s.installments[1].state == MISSED and s.missed == 1 and not s.in_default
    (reminder,) = s.reminders
    assert reminder.key == "plan:installment:2" and reminder.open == ils(600)


def test_plan_defaults_after_two_missed_installments():
    payments = [(date(2025, 1, 5), ils(1000))]
    s = apply_payments_to_plan(PLAN, payments, date(2025, 3, 13), 7, plan_ref="plan-17")
    assert states(s) == [PAID, MISSED, MISSED]
    assert s.missed == 2 and s.in_default
    assert [r.key for r in s.reminders] == ["plan-17:installment:2", "plan-17:installment:3"]
    # the same check again yields the same keys: no second reminder for one installment
    again = apply_payments_to_plan(PLAN, payments, date(2025, 3, 14), 7, plan_ref="plan-17")
    assert [r.key for r in again.reminders] == [r.key for r in s.reminders]
    # a policy of three missed installments: not yet in default
    assert not apply_payments_to_plan(PLAN, payments, date(2025, 3, 13), 7, 3).in_default


def test_bounced_cheque_is_simply_absent():
    # post-dated cheques for every installment; the February cheque bounced, so the import
    # leaves it out: February is missed after its grace period, March is paid.
    cleared = [(date(2025, 1, 5), ils(1000)), (date(2025, 3, 5), ils(1000))]
    s = apply_payments_to_plan(PLAN, cleared, date(2025, 3, 13), 7)
    # payments apply in order: the March cheque covers February's installment, March is missed
    assert states(s) == [PAID, PAID, MISSED]
    assert s.installments[1].paid_on == date(2025, 3, 5) and s.installments[1].late
    assert s.missed == 1 and [r.installment.number for r in s.reminders] == [3]


def test_catching_up_and_paying_ahead():
    # nothing in January, ₪2,500 on 20 Jan: January and February covered, ₪500 towards March
    s = apply_payments_to_plan(PLAN, [(date(2025, 1, 20), ils(2500))], date(2025, 1, 20), 7)
    assert states(s) == [PAID, PAID, PARTIAL]
    assert s.installments[0].late  # paid after 12 Jan
    assert s.paid == ils(2500) and s.open == ils(500)
    over = apply_payments_to_plan(PLAN, [(date(2025, 1, 5), ils(3100))], date(2025, 1, 6), 7)
    assert over.completed and over.overpaid == ils(100)


def test_future_payments_and_other_currencies():
    s = apply_payments_to_plan(PLAN, [(date(2025, 2, 1), ils(1000))], date(2025, 1, 20), 7)
    assert s.installments[0].state == MISSED  # the payment dated 1 Feb is not in yet
    with pytest.raises(Refused):
        apply_payments_to_plan(PLAN, [(date(2025, 1, 5), Money.of(1000, "USD"))], date(2025, 1, 6), 7)


def test_day_by_day_run_sends_one_reminder_per_missed_installment_then_defaults():
    # a daily run from 1 Jan to 31 Mar 2025 over the ₪3,000 plan; only January is paid.
    # Reminders are keyed per installment, so a set of keys already sent never grows twice
    # for the same installment; the plan defaults on the day the second one is missed.
    payments = [(date(2025, 1, 5), ils(1000))]
    sent: dict[str, date] = {}
    defaulted_on = None
    day = date(2025, 1, 1)
    while day <= date(2025, 3, 31):
        status = apply_payments_to_plan(PLAN, payments, day, grace_days=7, plan_ref="p1")
        for r in status.reminders:
            sent.setdefault(r.key, day)
        if status.in_default and defaulted_on is None:
            defaulted_on = day
        day += timedelta(days=1)
    # February's installment (due Wed 5 Feb) is missed from 13 Feb; March's (Wed 5 Mar) from 13 Mar
    assert sent == {"p1:installment:2": date(2025, 2, 13), "p1:installment:3": date(2025, 3, 13)}
    assert defaulted_on == date(2025, 3, 13)

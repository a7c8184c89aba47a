"""Payment plans, day by day: paid, defaulted after two missed installments, a bounced cheque,
policy limits, refused input."""

from datetime import date

import pytest

from gvia.cli import words as cli_words
from gvia.core.errors import GviaError, Refused, RefusedFor
from gvia.services.arrangements import plans
from gvia.services.arrangements.describe import describe_arrangements
from gvia.services.ledger import books as ledger
from gvia.store.models import Activity, Case, OutboxMessage, Pause, PaymentPlan, PlanInstallment
from gvia.web import words as web_words

from .conftest import at

pytestmark = pytest.mark.django_db


def _customer(books, amounts=("1000.00", "2000.01")):
    c = books.customer("C7", "Alon Systems Ltd", language="en", email="ap@alon.co.il")
    for k, amount in enumerate(amounts, start=1):
        books.invoice(c, f"70{k}", amount, date(2026, 9, 1))
    return c


def _installments(plan):
    return [(i.number, i.due, i.amount_minor, i.status, i.paid_minor)
            for i in PlanInstallment.objects.filter(plan=plan).order_by("due", "number")]


def test_plan_paid_in_full(ctx, books, days):
    c = _customer(books)
    days.run(date(2026, 10, 5))
    made = plans.create_plan(ctx, "C7", 3, "monthly", "2026-10-16", now=at(date(2026, 10, 5)))
    plan = made.plan
    assert made.limits_exceeded == [] and plan.approved_by == ""
    # 3,000.01 in three: 1,000.00 + 1,000.00 + 1,000.01; 16 October 2026 is a Friday: moved to Sunday 18th
    assert _installments(plan) == [
        (1, date(2026, 10, 18), 100000, "upcoming", 0),
        (2, date(2026, 11, 16), 100000, "upcoming", 0),
        (3, date(2026, 12, 16), 100001, "upcoming", 0),
    ]
    assert PlanInstallment.objects.get(plan=plan, number=1).scheduled == date(2026, 10, 16)
    pause = Pause.objects.get(id=plan.pause_id)
    assert (pause.kind, pause.until) == ("plan", date(2026, 12, 23))    # last date + 7 days' grace
    assert describe_arrangements(ctx, c, date(2026, 10, 5), "en") == [
        f"Payment plan {plan.id}: 3 monthly installments of the ₪3,000.01 balance; paid ₪0.00; next ₪1,000.00 "
        "due 18/10/2026; the case is paused while it runs."]

    for day, amount in ((date(2026, 10, 18), "1000.00"), (date(2026, 11, 16), "1000.00"),
                        (date(2026, 12, 15), "1000.01")):
        books.payment(c, amount, day)
        counts, report = days.run(day)
    plan.refresh_from_db()
    assert plan.status == "completed" and plan.paid_minor == 300001 and plan.ended_on == date(2026, 12, 15)
    assert counts == {"plans_completed": 1}
    assert [s for *_, s, _p in _installments(plan)] == ["paid", "paid", "paid"]
    assert not Pause.objects.get(id=plan.pause_id).active
    # while the plan ran the ladder did not move past the reminder; nothing is owed now
    assert not OutboxMessage.objects.filter(customer=c).exclude(stage_key="reminder").exists()
    assert Case.objects.get(customer=c).active is False


def test_plan_with_down_payment_sums_exactly(ctx, books):
    _customer(books)
    made = plans.create_plan(ctx, "C7", 3, "biweekly", "2026-10-15", down="500.00", now=at(date(2026, 10, 5)))
    # 3,000.01 - 500.00 = 2,500.01 in three: 833.33 + 833.33 + 833.35
    assert _installments(made.plan) == [
        (0, date(2026, 10, 15), 50000, "upcoming", 0),
        (1, date(2026, 10, 15), 83333, "upcoming", 0),
        (2, date(2026, 10, 29), 83333, "upcoming", 0),
        (3, date(2026, 11, 12), 83335, "upcoming", 0),
    ]


def test_plan_defaults_after_two_missed_installments_and_escalation_resumes(ctx, books, days):
    c = _customer(books, ("4000.00",))
    days.run(date(2026, 10, 5))
    assert Case.objects.get(customer=c).stage_key == "reminder"
    plan = plans.create_plan(ctx, "C7", 4, "monthly", "2026-10-15", now=at(date(2026, 10, 5))).plan
    books.payment(c, "1000.00", date(2026, 10, 15))
    days.run(date(2026, 10, 15))
    # installment 2 (15 November) is missed once its 7 days' grace are over: Monday 23 November
    counts, _ = days.run(date(2026, 11, 22))
    assert "installments_missed" not in counts
    counts, report = days.run(date(2026, 11, 23))
    assert counts == {"installment_reminders": 1, "installments_missed": 1}
    [reminder] = OutboxMessage.objects.filter(customer=c, stage_key="")
    assert reminder.idempotency_key == f"plan:{plan.id}:installment:2"
    assert (reminder.document, reminder.channel, reminder.status) == ("reminder", "email", "awaiting_approval")
    assert "Installment 2" in reminder.free_text and "₪1,000.00" in reminder.free_text
    assert plans.reminder_still_wanted(reminder.idempotency_key) is None
    plan.refresh_from_db()
    assert (plan.status, plan.missed) == ("active", 1)
    assert any(h["reason"] == "paused" for h in report.held_back)
    # the same day again: nothing new
    counts, _ = days.run(date(2026, 11, 23))
    assert counts == {}
    assert OutboxMessage.objects.filter(customer=c, stage_key="").count() == 1
    # installment 3 (15 December) missed too: two at once, the plan defaults on 23 December
    counts, _ = days.run(date(2026, 12, 23))
    assert counts == {"installments_missed": 1, "plans_defaulted": 1}
    plan.refresh_from_db()
    assert (plan.status, plan.missed, plan.paid_minor) == ("defaulted", 2, 100000)
    assert not Pause.objects.get(id=plan.pause_id).active
    assert Activity.objects.filter(customer=c, kind="plan", data__signal="plan_defaulted").count() == 1
    assert OutboxMessage.objects.filter(customer=c, stage_key="").count() == 1   # no reminder for a plan that ended
    assert plans.reminder_still_wanted(reminder.idempotency_key) == "the payment plan is defaulted"
    # escalation resumes where it stood: from the reminder to the second reminder
    assert Case.objects.get(customer=c).stage_key == "second_reminder"


def test_bounced_cheque_in_a_plan_makes_its_installment_missed(ctx, books, days):
    c = _customer(books, ("3000.00",))
    plan = plans.create_plan(ctx, "C7", 3, "monthly", "2026-10-15", cheques=True, now=at(date(2026, 10, 5))).plan
    assert all(i.cheque for i in PlanInstallment.objects.filter(plan=plan))
    books.payment(c, "1000.00", date(2026, 10, 15), method="cheque", cheque="5001")
    days.run(date(2026, 10, 15))
    books.payment(c, "1000.00", date(2026, 11, 15), method="cheque", cheque="5002")
    days.run(date(2026, 11, 16))
    assert [s for *_, s, _p in _installments(plan)] == ["paid", "paid", "upcoming"]
    ledger.bounce_cheque(ctx, "5002")
    counts, _ = days.run(date(2026, 11, 18))      # grace until 22 November: open again, not missed yet
    assert [s for *_, s, _p in _installments(plan)] == ["paid", "due", "upcoming"]
    counts, _ = days.run(date(2026, 11, 23))
    assert counts == {"installment_reminders": 1, "installments_missed": 1}
    assert OutboxMessage.objects.get(customer=c, stage_key="").idempotency_key == f"plan:{plan.id}:installment:2"
    # the customer replaces the cheque by a transfer: installment 2 is paid (late), the plan goes on
    books.payment(c, "1000.00", date(2026, 11, 25))
    days.run(date(2026, 11, 25))
    inst = PlanInstallment.objects.get(plan=plan, number=2)
    assert (inst.status, inst.paid_on) == ("paid", date(2026, 11, 25))
    assert plans.reminder_still_wanted(f"plan:{plan.id}:installment:2") == "the installment has been paid"
    plan.refresh_from_db()
    assert (plan.status, plan.missed) == ("active", 0)


def test_limits_a_collector_alone_may_not_pass_need_the_owner(ctx, books, collector):
    c = _customer(books, ("6000.00",))
    # 12 monthly installments of 500.00: 11 months, more than the 6 a collector may agree
    with pytest.raises(RefusedFor) as refused:
        plans.create_plan(collector, "C7", 12, "monthly", "2026-10-15", now=at(date(2026, 10, 5)))
    assert refused.value.code == "plan_needs_owner"     # worded with each reason, in the reader's language
    cli_words.use("he")
    try:
        assert cli_words.refusal_text(refused.value) == (
            "התוכנית חורגת ממה שגובה רשאי להסכים לבדו ודורשת בעלים: התוכנית נמשכת עד 15/09/2027, יותר מ־6 חודשים "
            "מ־05/10/2026 (גובה רשאי להסכים עד 05/04/2027). בקשו מבעלים לאשר אותה, או שנו את התוכנית.")
    finally:
        cli_words.use("en")
    assert web_words.refusal_text(refused.value, "en").startswith(
        "This plan goes beyond what a collector may agree alone and needs an owner: the plan runs to ")
    # 15 installments of 400.00: below the ₪500 minimum too
    with pytest.raises(Refused, match="installment 1 is 400.00 ILS, less than the minimum of 500.00 ILS"):
        plans.create_plan(collector, "C7", 15, "weekly", "2026-10-15", now=at(date(2026, 10, 5)))
    assert not PaymentPlan.objects.exists() and not Pause.objects.exists()
    # within the limits the collector agrees alone
    ok = plans.create_plan(collector, "C7", 6, "monthly", "2026-10-15", now=at(date(2026, 10, 5)))
    assert ok.limits_exceeded == [] and ok.plan.created_by == "dana@gilboa.co.il"
    plans.cancel_plan(collector, ok.plan.id, "entered by mistake", now=at(date(2026, 10, 5)))
    # the owner may go beyond them: recorded
    made = plans.create_plan(ctx, "C7", 12, "monthly", "2026-10-15", now=at(date(2026, 10, 5)))
    assert made.plan.approved_by == "owner@gilboa.co.il"
    assert made.limits_exceeded == ["the plan runs to 2027-09-15, more than 6 months from 2026-10-05 "
                                    "(a collector may agree up to 2027-04-05)"]
    assert c.payment_plans.filter(status="active").count() == 1


@pytest.mark.parametrize("kwargs, message", [
    (dict(installments=0, frequency="monthly", first="2026-10-15"), "at least one installment"),
    (dict(installments=3, frequency="daily", first="2026-10-15"), "unknown frequency"),
    (dict(installments=3, frequency="monthly", first="2026-10-01"), "is before today"),
    (dict(installments=3, frequency="monthly", first="2026-10-15", down="3000.01"), "covers the whole balance"),
    (dict(installments=361, frequency="weekly", first="2026-10-15"), "at most 360"),
])
def test_a_plan_that_does_not_add_up_is_refused(ctx, books, kwargs, message):
    _customer(books)
    with pytest.raises(GviaError, match=message):
        plans.create_plan(ctx, "C7", now=at(date(2026, 10, 5)), **kwargs)
    assert not PaymentPlan.objects.exists() and not PlanInstallment.objects.exists() and not Pause.objects.exists()


def test_installments_smaller_than_an_agora_are_refused(ctx, books):
    c = books.customer("C9")
    books.invoice(c, "901", "0.03", date(2026, 9, 1))
    with pytest.raises(Refused, match="4 installments of 0.03 ILS would be smaller than 0.01 ILS"):
        plans.create_plan(ctx, "C9", 4, "weekly", "2026-10-15", now=at(date(2026, 10, 5)))


def test_one_plan_at_a_time_and_nothing_to_plan(ctx, books):
    _customer(books)
    plan = plans.create_plan(ctx, "C7", 3, "monthly", "2026-10-15", now=at(date(2026, 10, 5))).plan
    with pytest.raises(Refused, match=f"already has payment plan {plan.id}"):
        plans.create_plan(ctx, "C7", 2, "monthly", "2026-10-15", now=at(date(2026, 10, 5)))
    books.customer("C8")
    with pytest.raises(Refused, match="owes nothing"):
        plans.create_plan(ctx, "C8", 2, "monthly", "2026-10-15", now=at(date(2026, 10, 5)))


def test_a_plan_and_a_settlement_of_the_same_debt_exclude_each_other(ctx, books):
    from gvia.services.arrangements import settlements

    _customer(books)
    plan = plans.create_plan(ctx, "C7", 3, "monthly", "2026-10-15", now=at(date(2026, 10, 5))).plan
    with pytest.raises(Refused, match=f"has payment plan {plan.id} running for the same debt"):
        settlements.offer_settlement(ctx, "C7", "2500", "2026-11-01", now=at(date(2026, 10, 5)))
    plans.cancel_plan(ctx, plan.id, now=at(date(2026, 10, 6)))
    offer = settlements.offer_settlement(ctx, "C7", "2500", "2026-11-01", now=at(date(2026, 10, 6)))
    with pytest.raises(Refused, match=f"has settlement {offer.id} \\(offered\\) for the same debt"):
        plans.create_plan(ctx, "C7", 3, "monthly", "2026-10-15", now=at(date(2026, 10, 6)))


def test_bad_arrangement_settings_are_reported(ctx, books):
    from gvia.core.errors import ValidationFailed
    from gvia.services.arrangements.limits import arrangement_settings

    ctx.org.settings.update(plan_max_months="six", plan_min_installment={"ILS": "lots"}, plan_grace_days=99)
    with pytest.raises(ValidationFailed) as exc:
        arrangement_settings(ctx.org)
    assert sorted(p.field for p in exc.value.problems) == ["plan_grace_days", "plan_max_months",
                                                           "plan_min_installment"]
    ctx.org.settings = {"plan_max_months": "12", "plan_min_installment": {"ILS": "250", "GBP": "100"}}
    s = arrangement_settings(ctx.org)
    assert s.plan_limits.max_months == 12 and s.plan_limits.min_installment["GBP"].amount == 100


def test_a_plan_whose_last_installment_is_never_paid_defaults_when_it_runs_out(ctx, books, days):
    c = _customer(books, ("2000.00",))
    plan = plans.create_plan(ctx, "C7", 2, "monthly", "2026-10-15", now=at(date(2026, 10, 5))).plan
    books.payment(c, "1000.00", date(2026, 10, 15))
    days.run(date(2026, 10, 15))
    counts, _ = days.run(date(2026, 11, 22))      # 15 November + 7 days' grace: still in time
    assert counts == {}
    counts, _ = days.run(date(2026, 11, 23))      # one installment missed, and nothing is left to come
    assert counts == {"installments_missed": 1, "plans_defaulted": 1}
    plan.refresh_from_db()
    assert (plan.status, plan.end_reason) == ("defaulted", "the plan's last date has passed with 1000.00 ILS unpaid")
    assert not Pause.objects.get(id=plan.pause_id).active

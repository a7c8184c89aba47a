"""decide(): one rule at a time, on single days, with hand-computed dates; explain().

Calendar: Israel, November–December 2026 (no public holiday in those months). Weekends:
Fri 6/7, 13/14, 20/21, 27/28 Nov; 4/5, 11/12, 18/19, 25/26 Dec. Sundays: 1, 8, 15, 22, 29 Nov;
6, 13, 20, 27 Dec.

The unit-test ladder (UNIT below): reminder 7 days after due (min ₪100), second reminder 14,
call 21 (wait 3), warning 28 (approval, deadline 10 days), legal 1 day after the warning
(approval, notice 20 days); spacing 5 days; reply pause 3 days.
"""

from __future__ import annotations

import gc
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gvia.core.calendar import BusinessCalendar
from gvia.core.errors import CurrencyMismatch, Refused, ValidationFailed
from gvia.core.escalation import (
    CaseState,
    CustomerSnapshot,
    NextStep,
    OverdueItem,
    Pause,
    Reason,
    RunSettings,
    StageEntry,
    decide,
    decide_all,
    is_stale,
    record_call_outcome,
    record_warning_sent,
)
from gvia.core.money import Money
from gvia.core.policy import load_policy
from gvia.policies import default_policy
from gvia.services.engine.explain_words import explain, explain_reason

D = date
IL = BusinessCalendar("IL")
AUTO = RunSettings(sending_mode="automatic")

UNIT_TEXT = """
name = "unit"
jurisdiction = "IL"
min_spacing_days = 5
reply_pause_days = 3
call_attempts = 3

[[stage]]
key = "courtesy"
names = { he = "נימוס", en = "Courtesy" }
enabled = false
after_due_days = -3
actions = [{ channel = "email", document = "courtesy" }]

[[stage]]
key = "reminder"
names = { he = "תזכורת", en = "Reminder" }
after_due_days = 7
min_amount = { ILS = "100" }
actions = [{ channel = "email", document = "reminder" }]

[[stage]]
key = "second_reminder"
names = { he = "תזכורת שנייה", en = "Second reminder" }
after_due_days = 14
actions = [{ channel = "email", document = "second_reminder", attach = ["statement"] }]

[[stage]]
key = "call"
names = { he = "שיחה", en = "Call" }
after_due_days = 21
wait_days = 3
actions = [{ channel = "call_task", document = "statement" }]

[[stage]]
key = "warning"
names = { he = "התראה", en = "Warning" }
after_due_days = 28
approval = true
deadline_days = 10
actions = [
  { channel = "registered_letter", document = "warning_letter" },
  { channel = "email", document = "warning_letter" },
]

[[stage]]
key = "legal"
names = { he = "משפטי", en = "Legal" }
after_previous_days = 1
approval = true
notice_days = 20
actions = [{ channel = "letter", document = "statement" }]
"""
UNIT = load_policy(UNIT_TEXT, "unit.toml")
WITH_COURTESY = load_policy(UNIT_TEXT.replace("enabled = false\n", ""), "courtesy.toml")
BY_AGE = load_policy(UNIT_TEXT.replace('call_attempts = 3', 'call_attempts = 3\nstart_mode = "by_age"'))


def item(number: str, due: date, amount: str = "1000", currency: str = "ILS", **kw) -> OverdueItem:
    return OverdueItem(int(number), number, due, Money.of(amount, currency), **kw)


def snap(*items: OverdueItem, state: CaseState | None = None, cid: int = 1, **kw) -> CustomerSnapshot:
    return CustomerSnapshot(cid, f"C{cid}", "Acme Ltd", items=tuple(items), state=state, **kw)


def at(stage: str | None, entered: date | None, started: date, cycle: int = 1, **kw) -> CaseState:
    history = (StageEntry(stage, entered),) if stage else ()
    return CaseState(cycle=cycle, cycle_open=True, cycle_started=started, stage_key=stage,
                     stage_entered=entered, history=kw.pop("history", history), **kw)


def codes(decision) -> list[str]:
    return [r.code for r in decision.reasons]


def reason(decision, code: str) -> Reason:
    return next(r for r in decision.reasons if r.code == code)


# --- nothing to do, the cycle opens -------------------------------------------------------
def test_nothing_open():
    d = decide(snap(), UNIT, D(2026, 11, 15), IL, AUTO)
    assert d.kind == "none" and d.state == CaseState() and d.actions == ()
    assert codes(d) == ["nothing_overdue"] and d.next_step is None
    assert d.policy_fingerprint == UNIT.fingerprint and d.customer_id == 1


def test_overdue_from_the_day_after_the_due_date():
    inv = item("1043", D(2026, 11, 10))  # Tuesday
    assert decide(snap(inv), UNIT, D(2026, 11, 10), IL, AUTO).kind == "none"
    d = decide(snap(inv), UNIT, D(2026, 11, 11), IL, AUTO)
    assert d.kind == "start_cycle" and d.cycle_started
    assert d.state == CaseState(cycle=1, cycle_open=True, cycle_started=D(2026, 11, 11))
    # reminder: 10 Nov + 7 = Tue 17 Nov
    assert d.next_step == NextStep("reminder", D(2026, 11, 17), "trigger", ())
    assert reason(d, "oldest_overdue").params == {"invoice": "1043", "days": 1, "due": "2026-11-10", "count": 1}
    # deciding again with the state it returned: nothing new
    again = decide(snap(inv, state=d.state), UNIT, D(2026, 11, 11), IL, AUTO)
    assert again.kind == "none" and again.state == d.state


def test_a_stage_on_a_day_off_waits_for_the_next_business_day():
    inv = item("1043", D(2026, 11, 6))  # due Friday; reminder day Fri 13 Nov is a day off
    state = at(None, None, D(2026, 11, 7))
    d13 = decide(snap(inv, state=state), UNIT, D(2026, 11, 13), IL, AUTO)
    assert d13.kind == "none" and d13.next_step.on == D(2026, 11, 15)
    assert decide(snap(inv, state=state), UNIT, D(2026, 11, 14), IL, AUTO).kind == "none"
    d15 = decide(snap(inv, state=state), UNIT, D(2026, 11, 15), IL, AUTO)
    assert d15.kind == "enter_stage" and d15.state.stage_key == "reminder"
    assert d15.state.stage_entered == D(2026, 11, 15)


# --- account level ------------------------------------------------------------------------
A = item("1043", D(2026, 10, 20), "500.00")
B = item("1050", D(2026, 11, 1), "250.50")
C = item("1051", D(2026, 11, 5), "40.00", "USD")
NOT_DUE = item("1060", D(2026, 12, 1), "999.00")


def test_one_message_listing_every_overdue_invoice_at_the_stage_of_the_oldest():
    d = decide(snap(A, B, C, NOT_DUE), UNIT, D(2026, 11, 15), IL, AUTO)
    # oldest: 1043, 20 Oct -> 15 Nov = 26 days; first sight starts at the first stage
    assert d.kind == "enter_stage" and d.cycle_started and d.state.stage_key == "reminder"
    assert len(d.actions) == 1
    action = d.actions[0]
    assert action.invoice_ids == (1043, 1050, 1051) and d.invoice_ids == (1043, 1050, 1051)
    assert action.channel == "email" and action.document == "reminder" and action.language == "he"
    assert d.overdue == (Money.of("750.50", "ILS"), Money.of("40.00", "USD"))
    assert reason(d, "oldest_overdue").params == {"invoice": "1043", "days": 26, "due": "2026-10-20", "count": 3}
    assert "late_start" in codes(d)
    # second reminder: its trigger (3 Nov) has passed; spacing 15 + 5 = Fri 20 Nov -> Sun 22 Nov
    assert d.next_step == NextStep("second_reminder", D(2026, 11, 22), "spacing", ())


def test_disputed_invoices_leave_the_ladder():
    disputed_a = replace(A, disputed=True)
    d = decide(snap(disputed_a, B, C), UNIT, D(2026, 11, 15), IL, AUTO)
    assert d.kind == "enter_stage" and d.actions[0].invoice_ids == (1050, 1051)
    assert reason(d, "oldest_overdue").params["invoice"] == "1050"
    assert reason(d, "oldest_overdue").params["days"] == 14
    assert d.overdue == (Money.of("250.50", "ILS"), Money.of("40.00", "USD"))
    assert reason(d, "disputed_excluded").params == {"count": 1}
    only_disputed = decide(snap(disputed_a), UNIT, D(2026, 11, 15), IL, AUTO)
    assert only_disputed.kind == "none" and not only_disputed.state.cycle_open


def test_pending_cheques_cover_what_they_pay():
    covered_a = replace(A, covered_by_pending_cheque=Money.of("500", "ILS"))
    partly_b = replace(B, covered_by_pending_cheque=Money.of("100", "ILS"))
    d = decide(snap(covered_a, partly_b), UNIT, D(2026, 11, 15), IL, AUTO)
    assert d.overdue == (Money.of("150.50", "ILS"),)
    assert d.actions[0].invoice_ids == (1050,)
    assert reason(d, "covered_by_cheque").params == {"count": 1}
    with pytest.raises(CurrencyMismatch):
        decide(snap(replace(A, covered_by_pending_cheque=Money.of("5", "USD"))), UNIT,
               D(2026, 11, 15), IL, AUTO)


def test_minimum_amount_per_currency():
    state = at(None, None, D(2026, 11, 2))
    small = item("1050", D(2026, 11, 1), "80.00")
    d = decide(snap(small, state=state), UNIT, D(2026, 11, 8), IL, AUTO)  # reminder day
    assert d.kind == "hold" and d.actions == ()
    assert reason(d, "below_minimum").params == {"stage": "reminder", "minimum": {"ILS": "100.00"}}
    assert [a.document for a in d.held] == ["reminder"]
    assert d.next_step.waiting_for == ("below_minimum",)
    # a currency the policy names no minimum for has none
    usd = item("1051", D(2026, 11, 1), "10.00", "USD")
    assert decide(snap(small, usd, state=state), UNIT, D(2026, 11, 8), IL, AUTO).kind == "enter_stage"
    exactly = item("1050", D(2026, 11, 1), "100.00")
    assert decide(snap(exactly, state=state), UNIT, D(2026, 11, 8), IL, AUTO).kind == "enter_stage"


# --- idempotency, one stage a day, order ----------------------------------------------------
def test_idempotency_key_and_same_day_rerun():
    inv = item("1050", D(2026, 11, 1))
    state = at(None, None, D(2026, 11, 2), cycle=3)
    s = snap(inv, state=state, cid=42)
    d1 = decide(s, UNIT, D(2026, 11, 8), IL, AUTO)
    d2 = decide(s, UNIT, D(2026, 11, 8), IL, AUTO)
    assert d1 == d2
    assert [a.idempotency_key for a in d1.actions] == ["case:42:cycle:3:stage:reminder:email"]
    rerun = decide(snap(inv, state=d1.state, cid=42), UNIT, D(2026, 11, 8), IL, AUTO)
    assert rerun.kind == "none" and rerun.actions == () and rerun.state == d1.state


def test_never_two_stages_on_one_day_even_without_spacing():
    no_spacing = load_policy(UNIT_TEXT.replace("min_spacing_days = 5", "min_spacing_days = 0"))
    inv = item("1043", D(2026, 10, 1))  # 45 days overdue on 15 Nov: every trigger has passed
    d = decide(snap(inv), no_spacing, D(2026, 11, 15), IL, AUTO)
    assert d.state.stage_key == "reminder"
    assert d.next_step == NextStep("second_reminder", D(2026, 11, 16), "spacing", ())
    again = decide(snap(inv, state=d.state), no_spacing, D(2026, 11, 15), IL, AUTO)
    assert again.kind == "none"
    nxt = decide(snap(inv, state=d.state), no_spacing, D(2026, 11, 16), IL, AUTO)
    assert nxt.state.stage_key == "second_reminder"


def test_by_age_starts_at_the_stage_the_age_calls_for():
    # 30 Oct -> 15 Nov = 16 days: reminder (7) and second reminder (14) reached
    d = decide(snap(item("1043", D(2026, 10, 30))), BY_AGE, D(2026, 11, 15), IL, AUTO)
    assert d.state.stage_key == "second_reminder"
    assert reason(d, "start_by_age").params == {"stage": "second_reminder", "days": 16}
    # 46 days: never beyond the first warning (legal needs a warning sent first)
    d = decide(snap(item("1043", D(2026, 9, 30))), BY_AGE, D(2026, 11, 15), IL, AUTO)
    assert d.state.stage_key == "warning"
    # 3 days: nothing reached yet; the first stage comes on its day (1 Nov + 7 = 8 Nov)
    d = decide(snap(item("1043", D(2026, 11, 1))), BY_AGE, D(2026, 11, 4), IL, AUTO)
    assert d.kind == "start_cycle" and d.next_step.stage_key == "reminder"
    assert d.next_step.on == D(2026, 11, 8)


# --- pauses -----------------------------------------------------------------------------
DUE_1_NOV = item("1050", D(2026, 11, 1))
AT_REMINDER = at("reminder", D(2026, 11, 8), D(2026, 11, 2))  # second reminder due Sun 15 Nov


def test_promise_pause_holds_through_its_end_date():
    promise = Pause("will pay on the 17th", D(2026, 11, 17), "promise")
    s = snap(DUE_1_NOV, state=AT_REMINDER, pauses=(promise,))
    d = decide(s, UNIT, D(2026, 11, 15), IL, AUTO)
    assert d.kind == "hold" and d.actions == () and d.state == AT_REMINDER
    assert reason(d, "paused").params == {"kind": "promise", "reason": "will pay on the 17th",
                                          "until": "2026-11-17"}
    assert "no_open_promise" not in codes(d)
    assert d.next_step.on == D(2026, 11, 18) and d.next_step.set_by == "pause"
    assert decide(s, UNIT, D(2026, 11, 17), IL, AUTO).kind == "hold"
    d18 = decide(s, UNIT, D(2026, 11, 18), IL, AUTO)
    assert d18.kind == "enter_stage" and d18.state.stage_key == "second_reminder"
    assert "no_open_promise" in codes(d18)


def test_open_ended_and_expired_pauses():
    manual = Pause("lawyer reviewing", None, "manual")
    d = decide(snap(DUE_1_NOV, state=AT_REMINDER, pauses=(manual,)), UNIT, D(2026, 11, 15), IL, AUTO)
    assert d.kind == "hold" and d.next_step.waiting_for == ("paused",)
    assert "no_open_promise" in codes(d)  # a manual pause is not a promise
    expired = Pause("old promise", D(2026, 11, 14), "promise")
    d = decide(snap(DUE_1_NOV, state=AT_REMINDER, pauses=(expired,)), UNIT, D(2026, 11, 15), IL, AUTO)
    assert d.kind == "enter_stage"


def test_do_not_chase_is_never_contacted():
    s = snap(DUE_1_NOV, state=AT_REMINDER, do_not_chase=True)
    for day in range(15, 31):
        d = decide(s, UNIT, D(2026, 11, day), IL, AUTO)
        assert d.actions == () and d.state == AT_REMINDER
    assert "do_not_chase" in codes(decide(s, UNIT, D(2026, 11, 15), IL, AUTO))


def test_a_reply_pauses_automatic_messages():
    s = snap(DUE_1_NOV, state=AT_REMINDER, last_reply_date=D(2026, 11, 13))  # + 3 days = 16 Nov
    d15 = decide(s, UNIT, D(2026, 11, 15), IL, AUTO)
    assert d15.kind == "hold"
    assert reason(d15, "reply_pause").params == {"replied": "2026-11-13", "until": "2026-11-16"}
    assert d15.next_step.on == D(2026, 11, 17)
    assert decide(s, UNIT, D(2026, 11, 16), IL, AUTO).kind == "hold"
    assert decide(s, UNIT, D(2026, 11, 17), IL, AUTO).kind == "enter_stage"


def test_a_request_on_the_customer_s_page_holds_the_ladder_like_a_reply():
    s = snap(DUE_1_NOV, state=AT_REMINDER, asked_on=D(2026, 11, 14))     # + 3 days = 17 Nov
    d15 = decide(s, UNIT, D(2026, 11, 15), IL, AUTO)
    assert d15.kind == "hold"
    assert reason(d15, "request_pending").params == {"asked": "2026-11-14", "until": "2026-11-17"}
    assert d15.next_step.on == D(2026, 11, 18)
    assert decide(s, UNIT, D(2026, 11, 18), IL, AUTO).kind == "enter_stage"
    # asked before, and still waiting past the reply days: the ladder goes on (the worklist shows it)
    late = snap(DUE_1_NOV, state=AT_REMINDER, asked_on=D(2026, 11, 1))
    assert "request_pending" not in codes(decide(late, UNIT, D(2026, 11, 15), IL, AUTO))


# --- the call stage ------------------------------------------------------------------------
AT_CALL = at("call", D(2026, 11, 22), D(2026, 11, 2))  # warning due Sun 29 Nov (1 Nov + 28)


def test_the_stage_after_a_call_waits_for_its_outcome():
    d = decide(snap(DUE_1_NOV, state=AT_CALL), UNIT, D(2026, 11, 29), IL, AUTO)
    assert d.kind == "hold"
    assert reason(d, "awaiting_call_outcome").params == {"stage": "call", "unanswered": 0, "attempts": 3}
    state = AT_CALL
    for _ in range(2):
        state = record_call_outcome(state, "no-answer")
        assert decide(snap(DUE_1_NOV, state=state), UNIT, D(2026, 11, 29), IL, AUTO).kind == "hold"
    state = record_call_outcome(state, "no-answer")
    assert state.calls_unanswered == 3
    d = decide(snap(DUE_1_NOV, state=state), UNIT, D(2026, 11, 29), IL, AUTO)
    assert d.kind == "enter_stage" and d.state.stage_key == "warning"
    assert d.state.calls_unanswered == 0 and d.state.last_call_outcome is None


@pytest.mark.parametrize("outcome,moves_on", [
    ("refused", True), ("wrong-number", True), ("promised", True), ("disputed", True),
    ("call-back", False), ("no_answer", False),
])
def test_call_outcomes(outcome, moves_on):
    state = record_call_outcome(AT_CALL, outcome)
    d = decide(snap(DUE_1_NOV, state=state), UNIT, D(2026, 11, 29), IL, AUTO)
    assert (d.kind == "enter_stage") is moves_on


def test_unknown_call_outcome():
    with pytest.raises(ValidationFailed):
        record_call_outcome(AT_CALL, "hung up")


# --- warning deadline and the legal notice ---------------------------------------------------
AT_WARNING = at("warning", D(2026, 11, 29), D(2026, 11, 2), deadline_stage="warning")


def test_legal_waits_for_the_warning_to_be_posted():
    d = decide(snap(DUE_1_NOV, state=AT_WARNING), UNIT, D(2026, 12, 6), IL, AUTO)
    assert d.kind == "none" and "awaiting_warning_sent" in codes(d)
    # the earliest it could be: posted 29 Nov -> notice 29 Nov + 20 days passed -> Sun 20 Dec
    assert d.next_step.on == D(2026, 12, 20) and d.next_step.set_by == "notice"
    assert d.next_step.waiting_for == ("awaiting_warning_sent",)
    held = decide(snap(DUE_1_NOV, state=AT_WARNING), UNIT, D(2026, 12, 20), IL, AUTO)
    assert held.kind == "hold" and held.actions == () and [a.channel for a in held.held] == ["letter"]


def test_legal_waits_for_the_later_of_deadline_and_notice():
    posted = record_warning_sent(AT_WARNING, D(2026, 12, 1), delivered_on=D(2026, 12, 1))  # Tuesday
    # deadline 1 Dec + 10 = Fri 11 Dec -> Sun 13 Dec; notice: delivered 1 Dec + 20 = 21 Dec, passed on 22 Dec
    d21 = decide(snap(DUE_1_NOV, state=posted), UNIT, D(2026, 12, 21), IL, AUTO)
    assert d21.kind == "none" and d21.next_step == NextStep("legal", D(2026, 12, 22), "notice", ())
    d22 = decide(snap(DUE_1_NOV, state=posted), UNIT, D(2026, 12, 22), IL, AUTO)
    assert d22.kind == "enter_stage" and d22.state.stage_key == "legal"
    assert all(a.needs_approval for a in d22.actions)
    # a letter that stated a later deadline (24 Dec): legal from Fri 25 Dec -> Sun 27 Dec
    later = record_warning_sent(AT_WARNING, D(2026, 12, 1), deadline=D(2026, 12, 24), delivered_on=D(2026, 12, 1))
    d = decide(snap(DUE_1_NOV, state=later), UNIT, D(2026, 12, 22), IL, AUTO)
    assert d.kind == "none" and d.next_step == NextStep("legal", D(2026, 12, 27), "deadline", ())


def test_the_notice_counts_from_the_recorded_delivery_by_the_filing_clock():
    # posted Tue 1 Dec, delivered Thu 3 Dec: 20 whole days pass on 23 Dec, legal on Thu 24 Dec
    state = record_warning_sent(AT_WARNING, D(2026, 12, 1), delivered_on=D(2026, 12, 3))
    d23 = decide(snap(DUE_1_NOV, state=state), UNIT, D(2026, 12, 23), IL, AUTO)
    assert d23.kind == "none" and d23.next_step == NextStep("legal", D(2026, 12, 24), "notice", ())
    d24 = decide(snap(DUE_1_NOV, state=state), UNIT, D(2026, 12, 24), IL, AUTO)
    assert d24.kind == "enter_stage" and d24.state.stage_key == "legal"
    assert CaseState.from_dict(state.as_dict()) == state


def test_no_delivery_confirmation_goes_to_a_person_and_never_waits_silently():
    from gvia.core.legal_rules import filing_clock

    posted = record_warning_sent(AT_WARNING, D(2026, 12, 1))
    ask = D(2026, 12, 1) + timedelta(days=filing_clock(D(2026, 12, 1)).confirmation_wait_days)
    before = decide(snap(DUE_1_NOV, state=posted), UNIT, ask - timedelta(days=1), IL, AUTO)
    assert before.kind == "none" and "awaiting_delivery_confirmation" in before.next_step.waiting_for
    held = decide(snap(DUE_1_NOV, state=posted), UNIT, ask, IL, AUTO)
    assert held.kind == "hold" and held.actions == () and held.state == posted
    reason = next(r for r in held.reasons if r.code == "no_delivery_confirmation")
    assert reason.params["posted"] == "2026-12-01" and reason.params["ask_on"] == ask.isoformat()
    assert "no_delivery_confirmation" in held.next_step.waiting_for
    # recorded once it comes back: the clock counts from it
    delivered = record_warning_sent(posted, D(2026, 12, 1), delivered_on=ask)
    later = decide(snap(DUE_1_NOV, state=delivered), UNIT, ask, IL, AUTO)
    assert later.kind == "none" and later.next_step.on >= ask + timedelta(days=21)


def test_entering_a_warning_starts_its_deadline_record():
    state = record_call_outcome(AT_CALL, "refused")
    d = decide(snap(DUE_1_NOV, state=state), UNIT, D(2026, 11, 29), IL, AUTO)
    assert d.state.deadline_stage == "warning" and d.state.warning_sent is None
    assert [a.deadline_days for a in d.actions] == [10, 10]
    assert d.next_step.stage_key == "legal" and d.next_step.waiting_for == ("awaiting_warning_sent",)
    with pytest.raises(Refused):
        record_warning_sent(AT_CALL, D(2026, 12, 1))


# --- cycles ---------------------------------------------------------------------------------
AT_SECOND = at("second_reminder", D(2026, 11, 15), D(2026, 11, 2), cycle=1,
               history=(StageEntry("reminder", D(2026, 11, 8)), StageEntry("second_reminder", D(2026, 11, 15))))


def test_paying_everything_ends_the_cycle_and_new_overdue_starts_the_next():
    ended = decide(snap(state=AT_SECOND), UNIT, D(2026, 11, 20), IL, AUTO)
    assert ended.kind == "end_cycle"
    assert ended.state == CaseState(cycle=1, cycle_open=False, cycle_ended=D(2026, 11, 20))
    new_inv = item("1070", D(2026, 11, 10))
    same_day = decide(snap(new_inv, state=ended.state), UNIT, D(2026, 11, 20), IL, AUTO)
    assert same_day.kind == "none" and "cycle_ended_today" in codes(same_day)
    # Sun 22 Nov: cycle 2 opens and, 12 days overdue, enters the reminder the same day
    d = decide(snap(new_inv, state=ended.state), UNIT, D(2026, 11, 22), IL, AUTO)
    assert d.kind == "enter_stage" and d.cycle_started
    assert d.state.cycle == 2 and d.state.history == (StageEntry("reminder", D(2026, 11, 22)),)
    assert d.actions[0].idempotency_key == "case:1:cycle:2:stage:reminder:email"


def test_partial_payment_does_not_reset():
    paid_part = item("1050", D(2026, 11, 1), "400.00")  # was 1000.00
    d = decide(snap(paid_part, state=AT_SECOND), UNIT, D(2026, 11, 18), IL, AUTO)
    assert d.kind == "none" and d.state == AT_SECOND
    assert d.next_step.stage_key == "call"


def test_courtesy_before_the_due_date():
    due_thu = item("1080", D(2026, 11, 19))
    d = decide(snap(due_thu), WITH_COURTESY, D(2026, 11, 16), IL, AUTO)  # Monday, 3 days before
    assert d.kind == "enter_stage" and d.cycle_started and d.state.stage_key == "courtesy"
    assert reason(d, "due_soon").params == {"invoice": "1080", "days": 3, "due": "2026-11-19", "count": 1}
    assert d.overdue == (Money.of("1000.00", "ILS"),) and "no_open_promise" not in codes(d)
    assert d.next_step == NextStep("reminder", D(2026, 11, 26), "trigger", ())
    # paid before the due date: the cycle ends
    assert decide(snap(state=d.state), WITH_COURTESY, D(2026, 11, 18), IL, AUTO).kind == "end_cycle"
    # not paid: overdue on Fri 20 Nov in the same cycle; the reminder on Thu 26 Nov
    d20 = decide(snap(due_thu, state=d.state), WITH_COURTESY, D(2026, 11, 20), IL, AUTO)
    assert d20.kind == "none" and d20.state == d.state
    d26 = decide(snap(due_thu, state=d.state), WITH_COURTESY, D(2026, 11, 26), IL, AUTO)
    assert d26.state.stage_key == "reminder" and d26.state.cycle == 1


def test_courtesy_on_a_weekend_and_never_after_the_due_date():
    due_mon = item("1081", D(2026, 11, 23))  # courtesy day Fri 20 Nov -> Sun 22 Nov
    assert decide(snap(due_mon), WITH_COURTESY, D(2026, 11, 20), IL, AUTO).kind == "start_cycle"
    assert decide(snap(due_mon), WITH_COURTESY, D(2026, 11, 22), IL, AUTO).state.stage_key == "courtesy"
    # first seen already overdue: no courtesy note, the reminder comes on its day
    late = decide(snap(item("1080", D(2026, 11, 19))), WITH_COURTESY, D(2026, 11, 22), IL, AUTO)
    assert late.kind == "start_cycle" and late.next_step.stage_key == "reminder"
    assert late.next_step.on == D(2026, 11, 26)


def test_a_stage_the_policy_no_longer_has():
    gone = at("old_stage", D(2026, 11, 8), D(2026, 11, 2),
              history=(StageEntry("reminder", D(2026, 11, 1)), StageEntry("old_stage", D(2026, 11, 8))))
    d = decide(snap(DUE_1_NOV, state=gone), UNIT, D(2026, 11, 15), IL, AUTO)
    assert "unknown_stage" in codes(d)
    assert d.kind == "enter_stage" and d.state.stage_key == "second_reminder"


def test_last_stage_reached():
    done = at("legal", D(2026, 12, 22), D(2026, 11, 2))
    d = decide(snap(DUE_1_NOV, state=done), UNIT, D(2026, 12, 30), IL, AUTO)
    assert d.kind == "none" and "last_stage" in codes(d) and d.next_step is None


# --- run settings ---------------------------------------------------------------------------
def test_stale_ledger_holds_everything():
    # last import Tue 10 Nov: (10, 15] = 11, 12, 15 Nov = 3 business days: still fresh
    fresh = RunSettings("automatic", ledger_updated=D(2026, 11, 10))
    assert is_stale(fresh, D(2026, 11, 15), IL) is None
    assert decide(snap(DUE_1_NOV, state=AT_REMINDER), UNIT, D(2026, 11, 15), IL, fresh).kind == "enter_stage"
    # Mon 16 Nov: 4 business days
    d = decide(snap(DUE_1_NOV, state=AT_REMINDER), UNIT, D(2026, 11, 16), IL, fresh)
    assert d.kind == "hold" and d.actions == ()
    assert reason(d, "stale_data").params == {"last_import": "2026-11-10", "business_days": 4, "limit": 3}


def test_sending_modes():
    approve_all = RunSettings("approve_all")
    d = decide(snap(DUE_1_NOV, state=AT_REMINDER), UNIT, D(2026, 11, 15), IL, approve_all)
    assert [a.needs_approval for a in d.actions] == [True]
    assert not decide(snap(DUE_1_NOV, state=AT_REMINDER), UNIT, D(2026, 11, 15), IL, AUTO).actions[0].needs_approval
    call = decide(snap(DUE_1_NOV, state=AT_SECOND), UNIT, D(2026, 11, 22), IL, approve_all)
    assert call.actions[0].channel == "call_task" and not call.actions[0].needs_approval
    off = decide(snap(DUE_1_NOV, state=AT_REMINDER), UNIT, D(2026, 11, 15), IL, RunSettings("off"))
    assert off.kind == "hold" and "sending_off" in codes(off)
    with pytest.raises(ValidationFailed):
        RunSettings("sometimes")
    assert RunSettings().sending_mode == "approve_all"  # a new organization approves everything


# --- bulk and storage -----------------------------------------------------------------------
def test_decide_all_matches_decide_and_takes_a_policy_chooser():
    snaps = [snap(A, cid=1), snap(DUE_1_NOV, state=AT_REMINDER, cid=2), snap(cid=3, is_consumer=True)]
    day = D(2026, 11, 15)
    assert decide_all(snaps, UNIT, day, IL, AUTO) == [decide(s, UNIT, day, IL, AUTO) for s in snaps]
    chosen = decide_all(snaps, lambda s: BY_AGE if s.customer_id == 1 else UNIT, day, IL, AUTO)
    assert chosen[0].state.stage_key == "call"  # 26 days: by age (call 21 <= 26 < warning 28)
    assert gc.isenabled()


def test_case_state_round_trip():
    state = record_warning_sent(replace(AT_WARNING, calls_unanswered=2, last_call_outcome="no_answer"),
                                D(2026, 12, 1), D(2026, 12, 13))
    data = state.as_dict()
    assert data["history"] == [["warning", "2026-11-29"]] and data["warning_sent"] == "2026-12-01"
    assert CaseState.from_dict(data) == state
    assert CaseState.from_dict(CaseState().as_dict()) == CaseState()


# --- properties -----------------------------------------------------------------------------
ITEMS = st.lists(
    st.builds(
        lambda n, due_offset, cents, cur, disputed: OverdueItem(
            n, str(n), D(2026, 11, 15) - timedelta(days=due_offset), Money.from_minor(cents, cur), disputed),
        st.integers(1, 10_000), st.integers(-10, 90), st.integers(1, 500_000),
        st.sampled_from(["ILS", "USD"]), st.booleans()),
    max_size=5, unique_by=lambda i: i.invoice_id)


@settings(max_examples=120, deadline=None)
@given(ITEMS, st.sampled_from([UNIT, WITH_COURTESY, BY_AGE]), st.integers(0, 30))
def test_rerun_with_the_returned_state_changes_nothing(items, policy, shift):
    today = D(2026, 11, 15) + timedelta(days=shift)
    s = snap(*items)
    d = decide(s, policy, today, IL, AUTO)
    keys = [a.idempotency_key for a in d.actions]
    assert len(keys) == len(set(keys))
    assert len({m.currency for m in d.overdue}) == len(d.overdue)
    if d.actions:
        assert IL.is_business_day(today)
    again = decide(replace(s, state=d.state), policy, today, IL, AUTO)
    assert again.actions == () and again.state == d.state and again.kind in ("none", "hold")


@settings(max_examples=60, deadline=None)
@given(ITEMS, st.sampled_from([UNIT, WITH_COURTESY, BY_AGE]))
def test_walking_the_days_keeps_order_spacing_and_business_days(items, policy):
    state = None
    entries: list[tuple[date, str]] = []
    keys: set[str] = set()
    for shift in range(75):
        today = D(2026, 11, 1) + timedelta(days=shift)
        d = decide(snap(*items, state=state), policy, today, IL, AUTO)
        if d.changes_state:
            state = d.state
        if state is not None and state.stage_key == "call":
            state = record_call_outcome(state, "refused")
        if d.kind == "enter_stage":
            if d.state.deadline_stage == d.state.stage_key:
                state = record_warning_sent(state, today)
            assert IL.is_business_day(today)
            entries.append((today, d.state.stage_key))
            for a in d.actions:
                assert a.idempotency_key not in keys
                keys.add(a.idempotency_key)
    order = [policy.index_of(k) for _, k in entries]
    assert order == sorted(order) and len(set(order)) == len(order)  # one cycle: nothing paid
    for (d1, _), (d2, _) in zip(entries, entries[1:]):
        assert (d2 - d1).days >= policy.min_spacing_days


# --- explain --------------------------------------------------------------------------------
IL_POLICY = default_policy("IL")
EXAMPLE_ITEM = OverdueItem(1043, "1043", D(2026, 10, 24), Money.of("4500", "ILS"))
# call entered Mon 23 Nov (24 Oct + 30); today Tue 24 Nov = 31 days; warning 24 Oct + 45 = Tue 8 Dec
EXAMPLE_STATE = at("call", D(2026, 11, 23), D(2026, 10, 25), last_call_outcome="refused")


def test_explain_in_english_and_hebrew():
    s = snap(EXAMPLE_ITEM, state=EXAMPLE_STATE)
    d = decide(s, IL_POLICY, D(2026, 11, 24), IL, AUTO)
    assert explain(d, s, IL_POLICY, "en") == (
        "Invoice 1043 is 31 days overdue; 4,500.00 ILS overdue; stage 'Phone call' since 2026-11-23; "
        "no open promise; next: 'Warning letter before proceedings' on 2026-12-08.")
    assert explain(d, s, IL_POLICY, "he") == (
        "חשבונית 1043 באיחור של 31 ימים; סכום באיחור: 4,500.00 ILS; שלב 'שיחת טלפון' מאז 23/11/2026; "
        "אין הבטחת תשלום פתוחה; הבא: 'מכתב התראה לפני נקיטת הליכים' ב-08/12/2026.")


def test_explain_lists_the_overdue_invoices_oldest_first():
    s = snap(B, C, A, NOT_DUE)
    d = decide(s, UNIT, D(2026, 11, 15), IL, AUTO)
    assert d.actions[0].invoice_ids == (1043, 1050, 1051)
    assert explain(d, s, UNIT, "en").startswith(
        "Invoice 1043 is 26 days overdue (the oldest of 3 overdue invoices: 1043, 1050, 1051); "
        "750.50 ILS + 40.00 USD overdue; today: entered stage 'Reminder'")
    assert explain(d, s, UNIT, "he").startswith(
        "חשבונית 1043 באיחור של 26 ימים (הוותיקה מבין 3 חשבוניות באיחור: 1043, 1050, 1051); "
        "סכום באיחור: 750.50 ILS + 40.00 USD;")


def test_explain_says_what_the_next_stage_waits_for():
    s = snap(EXAMPLE_ITEM, state=replace(EXAMPLE_STATE, last_call_outcome=None, calls_unanswered=1))
    d = decide(s, IL_POLICY, D(2026, 11, 24), IL, AUTO)
    assert explain(d, s, IL_POLICY, "en").endswith(
        "next: 'Warning letter before proceedings' not before 2026-12-08; meanwhile: waiting for the "
        "call's outcome (1 of 3 calls unanswered).")
    paused = replace(s, pauses=(Pause("pays on the 1st", D(2026, 12, 1), "promise"),))
    text = explain(decide(paused, IL_POLICY, D(2026, 11, 24), IL, AUTO), paused, IL_POLICY, "en")
    assert "paused (promise to pay: pays on the 1st) until 2026-12-01" in text
    assert "no open promise" not in text


def test_explain_entering_a_stage_and_ending_a_cycle():
    s = snap(DUE_1_NOV, state=AT_REMINDER)
    d = decide(s, UNIT, D(2026, 11, 15), IL, RunSettings("approve_all"))
    assert explain(d, s, UNIT, "en") == (
        "Invoice 1050 is 14 days overdue; 1,000.00 ILS overdue; today: entered stage 'Second reminder'; "
        "1 action planned; 1 awaiting approval; no open promise; next: 'Call' on 2026-11-22.")
    ended = decide(snap(state=AT_SECOND), UNIT, D(2026, 11, 20), IL, AUTO)
    assert explain(ended, snap(state=AT_SECOND), UNIT, "en") == "Nothing is overdue; cycle 1 ended today."
    assert explain(ended, snap(state=AT_SECOND), UNIT, "he") == "אין חוב באיחור; מחזור גבייה 1 נסגר היום."


EVERY_REASON = [
    Reason("oldest_overdue", {"invoice": "7", "days": 3, "due": "2026-11-12", "count": 2}),
    Reason("oldest_overdue", {"invoice": "7", "days": 1, "due": "2026-11-14", "count": 1}),
    Reason("due_soon", {"invoice": "7", "days": 0, "due": "2026-11-15", "count": 1}),
    Reason("due_soon", {"invoice": "7", "days": 2, "due": "2026-11-17", "count": 1}),
    Reason("nothing_overdue"), Reason("disputed_excluded", {"count": 1}),
    Reason("disputed_excluded", {"count": 2}), Reason("covered_by_cheque", {"count": 1}),
    Reason("covered_by_cheque", {"count": 3}), Reason("cycle_started", {"cycle": 2}),
    Reason("cycle_ended", {"cycle": 2}), Reason("cycle_ended_today", {"cycle": 2}),
    Reason("stage_held", {"stage": "reminder"}),
    Reason("late_start", {"stage": "reminder", "days": 40, "spacing": 7, "first_seen": None}),
    Reason("start_by_age", {"stage": "call", "days": 25}), Reason("unknown_stage", {"stage": "x"}),
    Reason("last_stage", {"stage": "legal"}), Reason("stage_due", {"stage": "call"}),
    Reason("no_open_promise"), Reason("paused", {"kind": "payment_plan", "reason": "r", "until": None}),
    Reason("paused", {"kind": "weird", "reason": "r", "until": "2026-12-01"}),
    Reason("reply_pause", {"replied": "2026-11-13", "until": "2026-11-16"}), Reason("do_not_chase"),
    Reason("request_pending", {"asked": "2026-11-14", "until": "2026-11-17"}),
    Reason("stale_data", {"last_import": "2026-11-10", "business_days": 4, "limit": 3}),
    Reason("sending_off"), Reason("below_minimum", {"stage": "reminder", "minimum": {"ILS": "100.00"}}),
    Reason("awaiting_call_outcome", {"stage": "call", "unanswered": 1, "attempts": 3}),
    Reason("awaiting_warning_sent", {"stage": "warning"}), Reason("no_warning_sent", {"stage": "legal"}),
]


@pytest.mark.parametrize("lang", ["en", "he"])
def test_every_reason_has_a_sentence(lang):
    for r in EVERY_REASON:
        text = explain_reason(r, UNIT, lang)
        assert text and "{" not in text
    assert explain_reason(EVERY_REASON[-4], UNIT, lang).count("100.00 ILS") == 1


def test_the_explanations_words_come_from_the_catalog_and_count_by_each_language_s_plural_rules():
    # issue 13: the core holds no sentence; "1 ממתינות לאישור" was the old Hebrew for one approval
    from gvia.services.engine.explain_words import words

    he, en = words("he"), words("en")
    assert [he("needs_approval", n).format(approval=n) for n in (1, 2, 5)] == [
        "פעולה אחת ממתינה לאישור", "שתי פעולות ממתינות לאישור", "5 פעולות ממתינות לאישור"]
    assert en("planned", 1).format(count=1) == "1 action planned"
    assert he("oldest_overdue", 2).format(invoice="1043", days=2) == "חשבונית 1043 באיחור של יומיים"


def test_money_in_reasons_is_exact():
    d = decide(snap(item("1", D(2026, 11, 1), "0.10"), item("2", D(2026, 11, 2), "0.20")),
               UNIT, D(2026, 11, 15), IL, AUTO)
    assert reason(d, "amount").params == {"currency": "ILS", "amount": "0.30"}
    assert d.overdue == (Money(Decimal("0.30"), "ILS"),)


def test_explain_words_the_wait_for_the_delivery_confirmation_and_the_hand_over():
    posted = record_warning_sent(AT_WARNING, D(2026, 12, 1))
    s = snap(DUE_1_NOV, state=posted)
    waiting = decide(s, UNIT, D(2026, 12, 10), IL, AUTO)
    assert ("waiting for the delivery confirmation of the warning of stage 'Warning' posted on 2026-12-01 "
            "(the notice period counts from delivery; a person looks on 2026-12-22 if none is recorded)"
            ) in explain(waiting, s, UNIT, "en")
    held = decide(s, UNIT, D(2026, 12, 22), IL, AUTO)
    assert held.kind == "hold"
    en, he = explain(held, s, UNIT, "en"), explain(held, s, UNIT, "he")
    assert ("no delivery of the warning of stage 'Warning' posted on 2026-12-01 is recorded: a person must "
            "find out whether it was returned, refused or unclaimed") in en
    assert "לא נרשמה מסירת מכתב ההתראה של שלב 'התראה' שנשלח בדואר ב-01/12/2026" in he


def test_a_warning_posted_before_the_first_filing_clock_on_file_does_not_stop_the_run():
    old = at("warning", D(2014, 11, 30), D(2014, 11, 2), deadline_stage="warning")
    posted = record_warning_sent(old, D(2014, 12, 1))
    d = decide(snap(item("1", D(2014, 10, 1)), state=posted), UNIT, D(2014, 12, 10), IL, AUTO)
    # counted from the posting, as before the clock: 1 Dec + 20 days passed -> 22 Dec 2014
    assert d.kind == "none" and d.next_step.stage_key == "legal" and d.next_step.on >= D(2014, 12, 22)

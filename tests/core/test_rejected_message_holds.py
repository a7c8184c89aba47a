"""A rejected message holds the case until a person chooses (issue 13): the ladder never moves on
as if the rejected message had been sent. The unit ladder and calendar of test_escalation."""

from __future__ import annotations

from dataclasses import replace
from datetime import date as D

import pytest

from gvia.core.errors import RefusedFor
from gvia.core.escalation import CaseState, decide, record_rejection, resolve_rejection
from gvia.services.engine.explain_words import explain

from .test_escalation import AT_REMINDER, AT_WARNING, AUTO, DUE_1_NOV, IL, UNIT, snap


def codes(decision) -> list[str]:
    return [r.code for r in decision.reasons]


def test_a_rejection_holds_the_next_stage_until_a_person_chooses():
    rejected = record_rejection(AT_REMINDER, "reminder")
    assert rejected.rejected_stage == "reminder"
    # without the rejection the second reminder comes on Sun 15 Nov
    assert decide(snap(DUE_1_NOV, state=AT_REMINDER), UNIT, D(2026, 11, 15), IL, AUTO).kind == "enter_stage"
    for day in (15, 16, 22, 30):
        d = decide(snap(DUE_1_NOV, state=rejected), UNIT, D(2026, 11, day), IL, AUTO)
        assert d.kind == "hold" and d.actions == () and d.state == rejected
        assert "message_rejected" in codes(d) and "message_rejected" in d.next_step.waiting_for
    # survives being stored
    assert CaseState.from_dict(rejected.as_dict()) == rejected
    assert "rejected_stage" not in AT_REMINDER.as_dict()


def test_explained_in_both_languages():
    d = decide(snap(DUE_1_NOV, state=record_rejection(AT_REMINDER, "reminder")), UNIT, D(2026, 11, 16), IL, AUTO)
    en = explain(d, snap(DUE_1_NOV), UNIT, "en")
    he = explain(d, snap(DUE_1_NOV), UNIT, "he")
    assert "a message of stage 'Reminder' was rejected" in en
    assert "הודעה של שלב 'תזכורת' נדחתה" in he


def test_a_stage_the_case_has_left_or_a_closed_cycle_is_not_held():
    assert record_rejection(AT_REMINDER, "warning") == AT_REMINDER
    closed = replace(AT_REMINDER, cycle_open=False)
    assert record_rejection(closed, "reminder") == closed


def test_skip_moves_on_without_the_message():
    state = resolve_rejection(record_rejection(AT_REMINDER, "reminder"), "skip", D(2026, 11, 12))
    assert state == AT_REMINDER
    d = decide(snap(DUE_1_NOV, state=state), UNIT, D(2026, 11, 15), IL, AUTO)
    assert d.kind == "enter_stage" and d.state.stage_key == "second_reminder"


def test_skipping_a_warning_drops_the_deadline_it_would_have_set():
    state = resolve_rejection(record_rejection(AT_WARNING, "warning"), "skip", D(2026, 12, 1))
    assert state.deadline_stage is None and state.stage_key == "warning"
    # the legal stage needs a warning sent in this cycle: it says so instead of waiting forever
    d = decide(snap(DUE_1_NOV, state=state), UNIT, D(2026, 12, 20), IL, AUTO)
    assert d.kind == "hold" and "no_warning_sent" in codes(d)


def test_replan_keeps_the_stage_entered_again_today():
    state = resolve_rejection(record_rejection(AT_REMINDER, "reminder"), "replan", D(2026, 11, 12))
    assert state.stage_key == "reminder" and state.stage_entered == D(2026, 11, 12)
    assert [(h.stage_key, h.entered) for h in state.history] == [("reminder", D(2026, 11, 12))]
    assert state.rejected_stage is None
    # the next stage counts from the day it was planned again: 5 days' spacing -> Tue 17 Nov
    assert decide(snap(DUE_1_NOV, state=state), UNIT, D(2026, 11, 16), IL, AUTO).kind == "none"
    assert decide(snap(DUE_1_NOV, state=state), UNIT, D(2026, 11, 17), IL, AUTO).kind == "enter_stage"


def test_pause_plans_the_stage_afresh_once_the_pause_is_over():
    from gvia.core.escalation import Pause
    state = resolve_rejection(record_rejection(AT_WARNING, "warning"), "pause", D(2026, 11, 30))
    assert state.replan_stage == "warning" and state.rejected_stage is None
    assert CaseState.from_dict(state.as_dict()) == state
    pause = Pause("checking the address", D(2026, 12, 10), "manual")
    held = decide(snap(DUE_1_NOV, state=state, pauses=(pause,)), UNIT, D(2026, 12, 3), IL, AUTO)
    assert held.kind == "hold" and held.next_step.stage_key == "warning"
    assert held.next_step.on == D(2026, 12, 13) and held.next_step.set_by == "pause"   # Sun after the pause
    d = decide(snap(DUE_1_NOV, state=state, pauses=(pause,)), UNIT, D(2026, 12, 13), IL, AUTO)
    assert d.kind == "enter_stage" and d.state.stage_key == "warning" and d.state.replan_stage is None
    assert [a.channel for a in d.actions] == ["registered_letter", "email"]
    assert [h.stage_key for h in d.state.history] == ["warning", "warning"]
    # the stage after it then comes by its own rules (legal waits for the warning to be posted)
    after = decide(snap(DUE_1_NOV, state=d.state), UNIT, D(2026, 12, 20), IL, AUTO)
    assert after.kind == "none" and after.next_step.waiting_for == ("awaiting_warning_sent",)


def test_refusals_carry_codes():
    with pytest.raises(RefusedFor) as e:
        resolve_rejection(AT_REMINDER, "skip", D(2026, 11, 12))
    assert e.value.code == "no_rejected_stage"
    with pytest.raises(RefusedFor) as e:
        resolve_rejection(record_rejection(AT_REMINDER, "reminder"), "send anyway", D(2026, 11, 12))
    assert e.value.code == "unknown_choice"

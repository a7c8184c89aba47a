"""The Israeli consumer debt notice (issue 15, Consumer Protection Law s.13ב2): the rule in
:mod:`gvia.core.debt_notice`, and the engine that refuses every collection step for an Israeli
consumer until a notice was sent for each overdue charge and its 14 days are over — whatever
policy the consumer is on (a custom one with no notice stage too)."""

from __future__ import annotations

from datetime import date

import pytest

from gvia.core.calendar import BusinessCalendar
from gvia.core.debt_notice import (
    CLEAR,
    NEEDS_NOTICE,
    RULE,
    WAITING,
    WINDOW_MISSED,
    Charge,
    SentNotice,
    applies,
    assess,
    collection_allowed,
    first_collection_day,
    last_day_to_send,
)
from gvia.core.escalation import CaseState, CustomerSnapshot, OverdueItem, RunSettings, StageEntry, decide
from gvia.core.money import Money
from gvia.core.policy import load_policy
from gvia.policies import default_policy, default_policy_file
from gvia.services.engine.explain_words import explain

D = date
IL = BusinessCalendar("IL")
AUTO = RunSettings(sending_mode="automatic")

# A custom ladder with no notice stage: the engine must still refuse every step.
NO_NOTICE_TEXT = """
name = "custom, no notice"
jurisdiction = "IL"
min_spacing_days = 1

[[stage]]
key = "reminder"
names = { he = "תזכורת", en = "Reminder" }
after_due_days = 1
actions = [{ channel = "email", document = "reminder" }]

[[stage]]
key = "call"
names = { he = "שיחה", en = "Call" }
after_due_days = 2
actions = [{ channel = "call_task", document = "statement" }]

[[stage]]
key = "warning"
names = { he = "התראה", en = "Warning" }
after_due_days = 3
deadline_days = 10
actions = [{ channel = "email", document = "warning_letter" }]
"""
NO_NOTICE = load_policy(NO_NOTICE_TEXT, "no_notice.toml")
LADDER = default_policy("IL", consumer=True)


def charge(n: int, due: date) -> Charge:
    return Charge(n, str(n), due)


def item(n: int, due: date, amount: str = "500") -> OverdueItem:
    return OverdueItem(n, str(n), due, Money.of(amount, "ILS"))


def consumer(*items: OverdueItem, notices: tuple[SentNotice, ...] = (), state: CaseState | None = None,
             **kw) -> CustomerSnapshot:
    return CustomerSnapshot(1, "C1", "דנה כהן", items=tuple(items), state=state, is_consumer=True,
                            customer_kind="consumer", debt_notices=notices, **kw)


def codes(decision) -> list[str]:
    return [r.code for r in decision.reasons]


def reason(decision, code: str):
    return next(r for r in decision.reasons if r.code == code)


# --- the rule ------------------------------------------------------------------------------
def test_the_figures_are_the_sections_with_its_source():
    assert (RULE.window_months, RULE.wait_days) == (4, 14)
    assert "בתוך ארבעה חודשים" in RULE.quote_window and "14 ימים מיום שליחת הודעת חוב" in RULE.quote_wait
    assert RULE.source_url.startswith("https://danielklein.co.il/")


def test_who_the_law_governs():
    assert applies("IL", "consumer") and applies("il", "consumer")
    assert not applies("IL", "sole_trader") and not applies("IL", "business") and not applies("IL", "public_body")
    assert not applies("GB", "consumer") and not applies("", "consumer")


@pytest.mark.parametrize("due, last", [
    (D(2026, 10, 15), D(2027, 2, 14)),     # the due date is the first of the four months
    (D(2026, 10, 30), D(2027, 2, 27)),     # no 30 February: the month's last day, less one
    (D(2026, 10, 31), D(2027, 2, 27)),
    (D(2027, 10, 31), D(2028, 2, 28)),     # a leap year
    (D(2026, 9, 1), D(2026, 12, 31)),      # across a year end
])
def test_the_four_months_window(due, last):
    assert last_day_to_send(due) == last


@pytest.mark.parametrize("sent, first", [
    (D(2026, 1, 20), D(2026, 2, 4)),       # 21 January … 3 February are the 14 days
    (D(2026, 1, 25), D(2026, 2, 9)),       # across a month end
    (D(2027, 2, 20), D(2027, 3, 7)),       # across February (28 days)
    (D(2028, 2, 20), D(2028, 3, 6)),       # a leap February
    (D(2026, 12, 25), D(2027, 1, 9)),      # across a year end
])
def test_the_fourteen_days_are_whole_days_after_the_day_of_sending(sent, first):
    assert first_collection_day(sent) == first
    assert (first - sent).days == 15


def test_each_charge_needs_its_own_notice_and_one_notice_may_list_several():
    a, b, c = charge(1, D(2026, 9, 1)), charge(2, D(2026, 9, 10)), charge(3, D(2026, 10, 1))
    notice = SentNotice(D(2026, 9, 20), frozenset({1, 2}))
    got = {s.charge.invoice_id: (s.state, s.day) for s in assess([a, b, c], [notice], D(2026, 10, 3)).statuses}
    assert got[1] == got[2] == (WAITING, D(2026, 10, 5))
    assert got[3] == (NEEDS_NOTICE, D(2027, 1, 31))
    assert collection_allowed([a, b, c], [notice], D(2026, 10, 5)) == (False, NEEDS_NOTICE)
    assert collection_allowed([a, b], [notice], D(2026, 10, 4)) == (False, WAITING)
    assert collection_allowed([a, b], [notice], D(2026, 10, 5)) == (True, CLEAR)


def test_a_notice_sent_before_the_due_date_or_not_yet_sent_does_not_count():
    a = charge(1, D(2026, 9, 1))
    early = SentNotice(D(2026, 9, 1), frozenset({1}))       # on the due date: nothing was unpaid yet
    later = SentNotice(D(2026, 9, 30), frozenset({1}))      # after today: not sent yet on today
    assert collection_allowed([a], [early, later], D(2026, 9, 25)) == (False, NEEDS_NOTICE)


def test_a_missed_window_goes_to_a_person():
    a = charge(1, D(2026, 5, 10))
    assert collection_allowed([a], [], D(2026, 9, 9)) == (False, NEEDS_NOTICE)    # the last day
    assert collection_allowed([a], [], D(2026, 9, 10)) == (False, WINDOW_MISSED)
    late = SentNotice(D(2026, 9, 12), frozenset({1}))      # a late notice does not open the way
    status = assess([a], [late], D(2026, 12, 1)).statuses[0]
    assert (status.state, status.day, status.sent_on) == (WINDOW_MISSED, D(2026, 9, 9), D(2026, 9, 12))


def test_the_first_notice_in_time_starts_the_wait():
    a = charge(1, D(2026, 9, 1))
    notices = [SentNotice(D(2026, 10, 1), frozenset({1})), SentNotice(D(2026, 9, 5), frozenset({1}))]
    assert assess([a], notices, D(2026, 10, 2)).statuses[0].day == D(2026, 9, 20)


# --- the shipped ladder and its choice -----------------------------------------------------
def test_israeli_consumers_get_the_notice_ladder():
    assert default_policy_file("IL", consumer=True) == "il_consumer.toml"
    assert default_policy_file("IL") == "il.toml"
    assert [s.key for s in LADDER.stages] == ["debt_notice", "reminder", "second_reminder", "call",
                                              "warning_letter", "legal"]
    assert [a.document for a in LADDER.stages[0].actions] == ["debt_notice"]


# --- the engine ----------------------------------------------------------------------------
DUE = D(2026, 11, 1)


@pytest.mark.parametrize("policy", [NO_NOTICE, LADDER], ids=["custom-without-notice", "il_consumer"])
def test_no_step_before_a_notice_was_sent(policy):
    """A custom policy with no notice stage: every step is held, day after day."""
    snap = consumer(item(1, DUE))
    for day in (D(2026, 11, 24), D(2026, 12, 1), D(2027, 2, 28)):
        state = CaseState(cycle=1, cycle_open=True, cycle_started=D(2026, 11, 2), stage_key="debt_notice",
                          stage_entered=D(2026, 11, 4), history=(StageEntry("debt_notice", D(2026, 11, 4)),)) \
            if policy is LADDER else None
        d = decide(consumer(item(1, DUE), state=state), policy, IL.next_business_day(day), IL, AUTO)
        assert not d.actions, (policy.name, day)
        assert "debt_notice_needed" in codes(d)
    assert decide(snap, NO_NOTICE, D(2026, 11, 2), IL, AUTO).kind == "start_cycle"


def test_a_business_customer_or_a_uk_consumer_is_not_held():
    d = decide(CustomerSnapshot(1, "C1", "Acme", items=(item(1, DUE),), customer_kind="business"),
               NO_NOTICE, D(2026, 11, 2), IL, AUTO)
    assert [a.stage_key for a in d.actions] == ["reminder"]


def test_the_wait_moves_the_step_and_ends_across_a_month_end():
    sent = D(2026, 11, 24)                 # 14 whole days: 25 November … 8 December
    snap = consumer(item(1, DUE), notices=(SentNotice(sent, frozenset({1})),))
    d = decide(snap, NO_NOTICE, D(2026, 12, 8), IL, AUTO)
    assert not d.actions
    assert d.next_step.on == D(2026, 12, 9) and d.next_step.set_by == "debt_notice"
    wait = reason(d, "debt_notice_wait")
    assert wait.params == {"invoices": ["1"], "sent": "2026-11-24", "until": "2026-12-09"}
    d = decide(snap, NO_NOTICE, D(2026, 12, 9), IL, AUTO)
    assert [a.stage_key for a in d.actions] == ["reminder"]


def test_every_kind_of_step_waits_for_the_notice():
    """The reminder, the call task and the warning letter alike."""
    sent = D(2026, 11, 3)
    for key, state in (("reminder", None),
                       ("call", CaseState(cycle=1, cycle_open=True, cycle_started=D(2026, 11, 2), stage_key="reminder",
                                          stage_entered=D(2026, 11, 18),
                                          history=(StageEntry("reminder", D(2026, 11, 18)),))),
                       ("warning", CaseState(cycle=1, cycle_open=True, cycle_started=D(2026, 11, 2), stage_key="call",
                                             stage_entered=D(2026, 11, 19), last_call_outcome="refused",
                                             history=(StageEntry("call", D(2026, 11, 19)),)))):
        # a new charge without a notice holds the case, whatever stage is next
        snap = consumer(item(1, DUE), item(2, D(2026, 11, 15)), notices=(SentNotice(sent, frozenset({1})),),
                        state=state)
        d = decide(snap, NO_NOTICE, D(2026, 11, 26), IL, AUTO)
        assert not d.actions and d.next_step.stage_key == key
        assert reason(d, "debt_notice_needed").params == {"invoices": ["2"], "last_day": "2027-03-14"}


def test_a_missed_window_flags_and_is_not_chased():
    snap = consumer(item(1, D(2026, 5, 10)))
    d = decide(snap, NO_NOTICE, D(2026, 11, 2), IL, AUTO)
    assert not d.actions
    assert reason(d, "debt_notice_window_missed").params == {"invoices": ["1"], "last_day": "2026-09-09"}
    assert "debt_notice_window_missed" in d.next_step.waiting_for


def test_the_notice_stage_lists_the_charges_and_is_not_held_by_itself():
    snap = consumer(item(1, DUE), item(2, D(2026, 11, 2)))
    d = decide(snap, LADDER, D(2026, 11, 4), IL, AUTO)
    assert d.kind == "enter_stage" and d.state.stage_key == "debt_notice"
    assert [(a.channel, a.document) for a in d.actions] == [("email", "debt_notice")]
    assert d.actions[0].invoice_ids == (1, 2)             # one notice, several charges
    # nothing follows before the 14 days after the earliest day it can go out (today)
    assert d.next_step.stage_key == "reminder" and d.next_step.on >= D(2026, 11, 19)


def test_the_notice_stage_sends_nothing_when_every_charge_has_a_notice():
    snap = consumer(item(1, DUE), notices=(SentNotice(D(2026, 11, 2), frozenset({1})),))
    d = decide(snap, LADDER, D(2026, 11, 4), IL, AUTO)
    assert d.kind == "enter_stage" and d.actions == ()
    assert "debt_notice_not_needed" in codes(d)


def test_the_whole_ladder_after_the_notice():
    sent = D(2026, 11, 4)
    state = CaseState(cycle=1, cycle_open=True, cycle_started=D(2026, 11, 2), stage_key="debt_notice",
                      stage_entered=sent, history=(StageEntry("debt_notice", sent),))
    snap = consumer(item(1, DUE), notices=(SentNotice(sent, frozenset({1})),), state=state)
    assert not decide(snap, LADDER, D(2026, 11, 19), IL, AUTO).actions
    d = decide(snap, LADDER, D(2026, 11, 22), IL, AUTO)
    assert [a.stage_key for a in d.actions] == ["reminder"]


@pytest.mark.parametrize("lang, words", [
    ("en", ["no debt notice has been sent yet (invoices: 2)", "Consumer Protection Law (s.13B2)",
            "it must be sent by 2027-03-14"]),
    ("he", ["טרם נשלחה הודעת חוב (חשבוניות: 2)", "חוק הגנת הצרכן (סעיף 13ב2)", "יש לשלוח אותה עד 14/03/2027"]),
])
def test_explain_says_why(lang, words):
    snap = consumer(item(1, DUE), item(2, D(2026, 11, 15)), notices=(SentNotice(D(2026, 11, 3), frozenset({1})),))
    d = decide(snap, NO_NOTICE, D(2026, 11, 26), IL, AUTO)
    text = explain(d, snap, NO_NOTICE, lang)
    for w in words:
        assert w in text, text


@pytest.mark.parametrize("lang, words", [
    ("en", ["was sent on 2026-11-24", "no collection step before 2026-12-09"]),
    ("he", ["נשלחה ביום 24/11/2026", "אין לנקוט פעולת גבייה לפני 09/12/2026"]),
])
def test_explain_says_until_when(lang, words):
    snap = consumer(item(1, DUE), notices=(SentNotice(D(2026, 11, 24), frozenset({1})),))
    d = decide(snap, NO_NOTICE, D(2026, 12, 1), IL, AUTO)
    text = explain(d, snap, NO_NOTICE, lang)
    for w in words:
        assert w in text, text


@pytest.mark.parametrize("channel", ["sms", "whatsapp", "call_task"])
def test_a_policy_sends_the_notice_only_as_a_written_document(channel):
    from gvia.core.errors import ValidationFailed

    text = NO_NOTICE_TEXT.replace('{ channel = "email", document = "reminder" }',
                                  f'{{ channel = "{channel}", document = "debt_notice" }}')
    with pytest.raises(ValidationFailed) as failed:
        load_policy(text, "sms_notice.toml")
    assert [p.code for p in failed.value.problems] == ["policy_debt_notice_channel"]
    load_policy(NO_NOTICE_TEXT.replace('document = "reminder"', 'document = "debt_notice"'), "ok.toml")

"""Scenarios: replay the daily run day by day on the shipped ladders, with dates worked out
by hand from the real calendar.

Israel 2026 (Sunday–Thursday): Rosh Hashana Sat 12 + Sun 13 Sep, Yom Kippur Mon 21 Sep,
Sukkot Sat 26 Sep, Shemini Atzeret Sat 3 Oct. England 2026: Christmas Fri 25 Dec, Boxing Day
observed Mon 28 Dec.

Shipped ladders (il.toml, uk.toml, uk_consumer.toml): reminder 7 days after due, second
reminder 21, call 30 (wait 7), warning 45 (deadline 14; UK consumer: Letter of Claim, 30),
legal 60 (IL: notice 30 days from the recorded delivery; UK consumer: 76); spacing 7; reply pause 5 (UK
consumer 7).

Each day the run is replayed twice (the second run with the state the first returned) and
must plan nothing the second time; across a scenario no idempotency key repeats.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Callable

from gvia.core.calendar import BusinessCalendar
from gvia.core.escalation import (
    CaseState,
    CustomerSnapshot,
    Decision,
    OverdueItem,
    PlannedAction,
    RunSettings,
    decide,
    record_call_outcome,
    record_warning_sent,
)
from gvia.core.money import Money
from gvia.policies import default_policy
from gvia.services.engine.explain_words import explain

D = date
AUTO = RunSettings(sending_mode="automatic")
IL = BusinessCalendar("IL")
GB = BusinessCalendar("GB")
IL_LADDER = default_policy("IL")


@dataclass
class Replay:
    events: list[tuple[date, str, str | None]] = field(default_factory=list)
    holds: list[date] = field(default_factory=list)
    actions: list[tuple[date, PlannedAction]] = field(default_factory=list)
    decisions: dict[date, Decision] = field(default_factory=dict)
    state: CaseState | None = None

    def sent(self, stage: str) -> list[PlannedAction]:
        return [a for _, a in self.actions if a.stage_key == stage]


def replay(policy, cal, start: date, end: date, items_on: Callable[[date], tuple[OverdueItem, ...]], *,
           language: str = "he", is_consumer: bool = False,
           settings_on: Callable[[date], RunSettings] = lambda d: AUTO,
           reply_on: Callable[[date], date | None] = lambda d: None,
           before: dict[date, Callable[[CaseState], CaseState]] | None = None) -> Replay:
    """Run decide once a day from start to end (inclusive), applying each decision's state.

    ``before[day]`` changes the state before that day's run (a call logged, a letter posted).
    """
    out = Replay()
    state: CaseState | None = None
    day = start
    while day <= end:
        if before and day in before:
            state = before[day](state)
        snap = CustomerSnapshot(7, "C7", "Cohen & Sons Ltd", language=language, is_consumer=is_consumer,
                                items=items_on(day), state=state, last_reply_date=reply_on(day),
                                first_seen=start)
        settings = settings_on(day)
        d = decide(snap, policy, day, cal, settings)
        out.decisions[day] = d
        if d.changes_state:
            state = d.state
            out.events.append((day, d.kind, d.state.stage_key))
        if d.kind == "hold":
            out.holds.append(day)
        out.actions.extend((day, a) for a in d.actions)
        again = decide(replace(snap, state=state), policy, day, cal, settings)
        assert again.actions == () and again.state == (state or CaseState()), day
        day += timedelta(days=1)
    keys = [a.idempotency_key for _, a in out.actions]
    assert len(keys) == len(set(keys)), "a message was planned twice"
    out.state = state
    return out


def no_answer(state: CaseState) -> CaseState:
    return record_call_outcome(state, "no-answer")


def refused(state: CaseState) -> CaseState:
    return record_call_outcome(state, "refused")


def posted(on: date, delivered: date | None = None) -> Callable[[CaseState], CaseState]:
    return lambda state: record_warning_sent(state, on, delivered_on=delivered)


def test_israel_from_first_overdue_to_legal_referral_through_the_high_holidays():
    invoice = OverdueItem(1043, "1043", D(2026, 8, 22), Money.of("12345.67", "ILS"))  # due Saturday
    r = replay(IL_LADDER, IL, D(2026, 8, 1), D(2026, 12, 31), lambda d: (invoice,),
               before={D(2026, 9, 23): no_answer, D(2026, 9, 24): no_answer, D(2026, 9, 27): no_answer,
                       D(2026, 10, 7): posted(D(2026, 10, 7)), D(2026, 10, 9): posted(D(2026, 10, 7), D(2026, 10, 9))})
    assert r.events == [
        (D(2026, 8, 23), "start_cycle", None),  # first day overdue (a Sunday)
        # 22 Aug + 7 = Sat 29 Aug -> Sun 30 Aug
        (D(2026, 8, 30), "enter_stage", "reminder"),
        # 22 Aug + 21 = Sat 12 Sep (Rosh Hashana), Sun 13 Sep (Rosh Hashana) -> Mon 14 Sep
        (D(2026, 9, 14), "enter_stage", "second_reminder"),
        # 22 Aug + 30 = Mon 21 Sep (Yom Kippur) -> Tue 22 Sep
        (D(2026, 9, 22), "enter_stage", "call"),
        # 22 Aug + 45 = Tue 6 Oct; three unanswered calls by 27 Sep
        (D(2026, 10, 6), "enter_stage", "warning_letter"),
        # posted Wed 7 Oct: deadline 21 Oct; delivered Fri 9 Oct: 30 whole days after delivery have
        # passed on Sun 8 Nov, so the filing clock allows Mon 9 Nov
        (D(2026, 11, 9), "enter_stage", "legal"),
    ]
    assert r.holds == []
    assert [(a.channel, a.document, a.needs_approval) for a in r.sent("warning_letter")] == [
        ("registered_letter", "warning_execution_office", True), ("email", "warning_execution_office", True)]
    assert [(a.channel, a.document, a.needs_approval) for a in r.sent("legal")] == [("letter", "statement", True)]
    assert [a.needs_approval for a in r.sent("reminder")] == [False]
    assert r.sent("second_reminder")[0].attach == ("statement",)
    assert r.sent("reminder")[0].idempotency_key == "case:7:cycle:1:stage:reminder:email"
    # on the eve of Rosh Hashana the explanation already says the second reminder waits
    assert r.decisions[D(2026, 9, 11)].next_step.on == D(2026, 9, 14)
    between = r.decisions[D(2026, 10, 20)]
    assert between.next_step.stage_key == "legal" and between.next_step.on == D(2026, 11, 9)
    assert between.next_step.set_by == "notice"
    snap = CustomerSnapshot(7, "C7", "Cohen & Sons Ltd", items=(invoice,), state=between.state)
    assert explain(between, snap, IL_LADDER, "en") == (
        "Invoice 1043 is 59 days overdue; 12,345.67 ILS overdue; stage 'Warning letter before proceedings' "
        "since 2026-10-06; no open promise; next: 'Legal referral' on 2026-11-09.")


def test_paying_after_the_second_reminder_ends_the_cycle_and_a_new_invoice_starts_cycle_two():
    first = OverdueItem(2001, "2001", D(2026, 11, 1), Money.of("2000", "ILS"))
    part_paid = replace(first, open=Money.of("500", "ILS"))
    second = OverdueItem(2002, "2002", D(2026, 12, 10), Money.of("800", "ILS"))

    def items(day: date):
        if day < D(2026, 11, 25):
            return (first,)
        if day < D(2026, 11, 29):
            return (part_paid,)  # a partial payment on 25 Nov changes nothing
        if day < D(2026, 12, 1):
            return ()
        return (second,)  # issued 1 Dec, due Thu 10 Dec

    r = replay(IL_LADDER, IL, D(2026, 10, 25), D(2026, 12, 20), items)
    assert r.events == [
        (D(2026, 11, 2), "start_cycle", None),
        (D(2026, 11, 8), "enter_stage", "reminder"),  # 1 Nov + 7, a Sunday
        (D(2026, 11, 22), "enter_stage", "second_reminder"),  # 1 Nov + 21, a Sunday
        (D(2026, 11, 29), "end_cycle", None),  # paid in full; no call on 1 Dec
        (D(2026, 12, 11), "start_cycle", None),  # the new invoice is overdue on Friday 11 Dec
        (D(2026, 12, 17), "enter_stage", "reminder"),  # 10 Dec + 7 = Thursday 17 Dec
    ]
    assert [a.idempotency_key for _, a in r.actions] == [
        "case:7:cycle:1:stage:reminder:email", "case:7:cycle:1:stage:second_reminder:email",
        "case:7:cycle:2:stage:reminder:email"]
    assert r.decisions[D(2026, 11, 25)].state.stage_key == "second_reminder"
    assert r.decisions[D(2026, 12, 17)].actions[0].invoice_ids == (2002,)


def test_a_reply_pauses_the_next_stage():
    invoice = OverdueItem(3001, "3001", D(2026, 11, 1), Money.of("950", "ILS"))
    def replied(day: D) -> D | None:   # the customer replies on Friday 20 Nov
        return D(2026, 11, 20) if day >= D(2026, 11, 20) else None

    r = replay(IL_LADDER, IL, D(2026, 11, 1), D(2026, 12, 5), lambda d: (invoice,), reply_on=replied)
    assert r.events == [
        (D(2026, 11, 2), "start_cycle", None),
        (D(2026, 11, 8), "enter_stage", "reminder"),
        # second reminder due Sun 22 Nov; the reply pauses through 20 + 5 = Wed 25 Nov
        (D(2026, 11, 26), "enter_stage", "second_reminder"),
        # call: 1 Nov + 30 = 1 Dec, but 7 days after 26 Nov -> Thu 3 Dec
        (D(2026, 12, 3), "enter_stage", "call"),
    ]
    assert r.holds == [D(2026, 11, 22), D(2026, 11, 23), D(2026, 11, 24), D(2026, 11, 25)]
    assert "reply_pause" in [x.code for x in r.decisions[D(2026, 11, 22)].reasons]


def test_a_disputed_invoice_is_left_out_until_the_dispute_is_resolved():
    a = OverdueItem(1043, "1043", D(2026, 10, 1), Money.of("3000", "ILS"))
    b = OverdueItem(1050, "1050", D(2026, 10, 15), Money.of("1200", "ILS"))

    def items(day: date):
        return (replace(a, disputed=day < D(2026, 10, 25)), b)

    r = replay(IL_LADDER, IL, D(2026, 9, 25), D(2026, 11, 6), items)
    assert r.events == [
        (D(2026, 10, 16), "start_cycle", None),  # 1043 is disputed; 1050 overdue on Fri 16 Oct
        (D(2026, 10, 22), "enter_stage", "reminder"),  # 15 Oct + 7, by 1050
        # dispute resolved on 25 Oct: 1043 is the oldest again (its +21 passed);
        # 7 days after the reminder -> Thu 29 Oct
        (D(2026, 10, 29), "enter_stage", "second_reminder"),
        # 1 Oct + 30 = Sat 31 Oct; 7 days after 29 Oct -> Thu 5 Nov
        (D(2026, 11, 5), "enter_stage", "call"),
    ]
    assert r.sent("reminder")[0].invoice_ids == (1050,)
    assert r.sent("second_reminder")[0].invoice_ids == (1043, 1050)
    assert r.decisions[D(2026, 10, 22)].overdue == (Money.of("1200", "ILS"),)
    assert r.decisions[D(2026, 10, 29)].overdue == (Money.of("4200", "ILS"),)


def test_a_customer_far_overdue_when_first_seen_starts_at_the_first_stage():
    invoice = OverdueItem(4001, "4001", D(2026, 9, 30), Money.of("7000", "ILS"))  # 46 days on 15 Nov
    r = replay(IL_LADDER, IL, D(2026, 11, 15), D(2027, 1, 10), lambda d: (invoice,),
               before={D(2026, 11, 30): refused, D(2026, 12, 7): posted(D(2026, 12, 7), D(2026, 12, 7))})
    assert r.events == [
        (D(2026, 11, 15), "enter_stage", "reminder"),  # the cycle opens with the first stage
        (D(2026, 11, 22), "enter_stage", "second_reminder"),  # 7 days apart
        (D(2026, 11, 29), "enter_stage", "call"),
        (D(2026, 12, 6), "enter_stage", "warning_letter"),  # the call was settled on 30 Nov
        # posted and delivered Mon 7 Dec: deadline 21 Dec; 30 days from delivery pass on Wed 6 Jan -> Thu 7 Jan 2027
        (D(2027, 1, 7), "enter_stage", "legal"),
    ]
    first = r.decisions[D(2026, 11, 15)]
    assert first.cycle_started and "late_start" in [x.code for x in first.reasons]


def test_by_age_policy_starts_where_the_age_says():
    by_age = replace(IL_LADDER, start_mode="by_age")
    invoice = OverdueItem(4001, "4001", D(2026, 9, 30), Money.of("7000", "ILS"))
    r = replay(by_age, IL, D(2026, 11, 15), D(2026, 11, 30), lambda d: (invoice,))
    assert r.events == [(D(2026, 11, 15), "enter_stage", "warning_letter")]
    assert by_age.fingerprint != IL_LADDER.fingerprint


def test_england_christmas_and_boxing_day():
    uk = default_policy("GB")
    invoice = OverdueItem(5001, "INV-5001", D(2026, 12, 18), Money.of("640", "GBP"))  # due Friday
    r = replay(uk, GB, D(2026, 12, 15), D(2027, 1, 5), lambda d: (invoice,), language="en")
    assert r.events == [
        (D(2026, 12, 19), "start_cycle", None),
        # 18 Dec + 7 = Fri 25 Dec (Christmas), weekend, Mon 28 Dec (Boxing Day observed) -> Tue 29 Dec
        (D(2026, 12, 29), "enter_stage", "reminder"),
    ]
    assert r.sent("reminder")[0].language == "en"


def test_stale_ledger_holds_the_run_until_the_next_import():
    invoice = OverdueItem(6001, "6001", D(2026, 11, 1), Money.of("300", "ILS"))

    def settings_on(day: date) -> RunSettings:
        imported = D(2026, 10, 29) if day < D(2026, 11, 9) else D(2026, 11, 9)
        return RunSettings("automatic", ledger_updated=imported)

    r = replay(IL_LADDER, IL, D(2026, 11, 1), D(2026, 11, 12), lambda d: (invoice,), settings_on=settings_on)
    # Sun 8 Nov: last import Thu 29 Oct, 6 business days ago (1, 2, 3, 4, 5, 8 Nov) > 3
    assert r.holds == [D(2026, 11, 8)]
    assert r.events == [(D(2026, 11, 2), "start_cycle", None), (D(2026, 11, 9), "enter_stage", "reminder")]
    held = r.decisions[D(2026, 11, 8)]
    assert [x.params for x in held.reasons if x.code == "stale_data"] == [
        {"last_import": "2026-10-29", "business_days": 6, "limit": 3}]
    assert [a.document for a in held.held] == ["reminder"] and held.actions == ()


def test_uk_consumer_letter_of_claim_and_thirty_days():
    pap = default_policy("GB", consumer=True)
    invoice = OverdueItem(7001, "INV-7001", D(2026, 9, 1), Money.of("1500", "GBP"))  # due Tuesday
    r = replay(pap, GB, D(2026, 8, 25), D(2026, 11, 30), lambda d: (invoice,), language="en", is_consumer=True,
               before={D(2026, 10, 2): refused, D(2026, 10, 17): posted(D(2026, 10, 16))})
    assert r.events == [
        (D(2026, 9, 2), "start_cycle", None),
        (D(2026, 9, 8), "enter_stage", "reminder"),
        (D(2026, 9, 22), "enter_stage", "second_reminder"),
        (D(2026, 10, 1), "enter_stage", "call"),
        (D(2026, 10, 16), "enter_stage", "letter_of_claim"),  # 1 Sep + 45, a Friday
        # posted Fri 16 Oct: 30 days -> Sun 15 Nov -> Mon 16 Nov is the last day to answer
        (D(2026, 11, 17), "enter_stage", "legal"),
    ]
    assert [(a.channel, a.document, a.deadline_days) for a in r.sent("letter_of_claim")] == [
        ("registered_letter", "letter_of_claim", 30), ("email", "letter_of_claim", 30)]
    assert r.decisions[D(2026, 11, 16)].next_step.on == D(2026, 11, 17)

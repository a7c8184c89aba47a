"""The early-warning signals (gvia.core.signals): each from a hand-made history in which only it
changes, the score moving by its weight, the facts it names, the customer's own usual, and the
weights' checks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from gvia.core import signals as sg
from gvia.core.errors import ValidationFailed
from gvia.policies import default_risk, default_risk_text

TODAY = date(2026, 12, 1)
W = default_risk()


def d(days_ago: int) -> date:
    return TODAY - timedelta(days=days_ago)


def paid_on_time(n: int, start: int = 600) -> tuple[sg.Invoice, ...]:
    """``n`` invoices due a month apart from ``start`` days ago, each paid 2 days late."""
    return tuple(sg.Invoice(d(start - 30 * k), 1000_00, "ILS", d(start - 30 * k - 2)) for k in range(n))


#: A quiet customer: replies within 2 days to each message, pays 2 days late, nothing else.
BASE = sg.History(
    sent=(d(200), d(150), d(100), d(50), d(5)),
    replies=(sg.Reply(d(198), "dana"), sg.Reply(d(148), "dana"), sg.Reply(d(98), "dana"),
             sg.Reply(d(48), "dana")),
    contacts_added=(d(700),),
    payments=(sg.Payment(d(300)),),
    invoices=paid_on_time(18),
)


def codes(h: sg.History, today: date = TODAY) -> list[str]:
    return [s.code for s in sg.signals(h, today, W)]


def facts(h: sg.History, code: str) -> list[sg.Fact]:
    return [f for s in sg.signals(h, TODAY, W) if s.code == code for f in s.evidence]


def test_the_quiet_customer_has_no_signal():
    assert codes(BASE) == []
    assert sg.score(sg.signals(BASE, TODAY, W)) == 0


def _only(h: sg.History, code: str) -> None:
    found = sg.signals(h, TODAY, W)
    assert [s.code for s in found] == [code]
    assert sg.score(found) - sg.score(sg.signals(BASE, TODAY, W)) == W.weights[code]
    assert found[0].points == found[0].weight == W.weights[code]


def test_silence_names_the_unanswered_messages_against_their_usual():
    h = replace(BASE, sent=BASE.sent + (d(30), d(20), d(12)))
    _only(h, "silence")
    first, usual = facts(h, "silence")
    assert (first.code, first.values["count"], first.values["since"], first.values["days"]) == \
        ("unanswered", 4, d(30), 30)
    assert (usual.code, usual.values["days"]) == ("usually_answer_within", 2)


def test_a_customer_who_always_answers_slowly_is_not_silent_until_far_past_their_usual():
    # answers after 20 days, every time; two messages 30 days unanswered is their usual pace
    slow = sg.History(sent=(d(300), d(200), d(100), d(30), d(25)),
                      replies=(sg.Reply(d(280)), sg.Reply(d(180)), sg.Reply(d(80))), invoices=BASE.invoices)
    assert sg.usual_reply_days(slow) == 20
    assert "silence" not in codes(slow)
    # a quick answerer with the same two messages is silent
    quick = replace(slow, replies=(sg.Reply(d(298)), sg.Reply(d(198)), sg.Reply(d(98))))
    assert "silence" in codes(quick)
    # and the slow one too, once the wait is more than twice their usual
    assert "silence" in codes(slow, TODAY + timedelta(days=15))


def test_one_unanswered_message_is_not_silence():
    one = replace(BASE, sent=(d(200), d(150), d(100), d(50), d(40)))     # the last one unanswered
    assert "silence" not in codes(one)
    assert "silence" in codes(replace(one, sent=one.sent + (d(30),)))


def test_slower_replies_compares_the_latest_with_their_earlier_usual():
    sent = tuple(d(600 - 60 * k) for k in range(8))
    took = (1, 2, 1, 2, 2, 9, 12, 10)
    replies = tuple(sg.Reply(s + timedelta(days=t)) for s, t in zip(sent, took))
    h = replace(BASE, sent=sent, replies=replies)
    _only(h, "slower_replies")
    recent, before = facts(h, "slower_replies")
    assert (recent.values["days"], recent.values["count"], before.values["days"]) == (10, 3, 2)
    steady = replace(h, replies=tuple(sg.Reply(s + timedelta(days=10)) for s in sent))
    assert "slower_replies" not in codes(steady)          # slow, but as always


def test_passed_around_counts_new_contacts_and_different_people_answering():
    h = replace(BASE, contacts_added=(d(700), d(60)),
                replies=BASE.replies[:-1] + (sg.Reply(d(48), "yossi"),))
    _only(h, "passed_around")
    assert [f.code for f in facts(h, "passed_around")] == ["contact_added", "replies_from_people"]
    one = replace(BASE, contacts_added=(d(700), d(60)))
    assert "passed_around" not in codes(one)              # one new contact alone is not enough
    first_ones = replace(BASE, contacts_added=(d(90), d(90)))
    assert "passed_around" not in codes(first_ones)       # the first contacts are not new ones


@pytest.mark.parametrize("code,changed", [
    ("partial_payments", {"payments": (sg.Payment(d(100), partial=True), sg.Payment(d(40), partial=True))}),
    ("broken_promises", {"promises": (sg.Promise(d(20), kept=False), sg.Promise(d(200), kept=True))}),
    ("missed_instalments", {"missed_instalments": (d(15),)}),
    ("bounced_cheques", {"payments": (sg.Payment(d(70), bounced=True),)}),
    ("disputes", {"disputes": (d(33),)}),
])
def test_payment_behaviour_signals_name_each_event(code, changed):
    h = replace(BASE, **changed)
    _only(h, code)
    days = sorted(f.day for f in facts(h, code))
    assert days and all(day is not None and day >= d(365) for day in days)


def test_old_payment_events_are_forgotten_after_the_window():
    h = replace(BASE, promises=(sg.Promise(d(400), kept=False),), disputes=(d(500),),
                payments=(sg.Payment(d(380), bounced=True),))
    assert codes(h) == []


def test_later_payments_compares_the_last_year_with_before():
    recent = tuple(sg.Invoice(d(300 - 60 * k), 1000_00, "ILS", d(300 - 60 * k - 25)) for k in range(4))
    h = replace(BASE, invoices=paid_on_time(8, start=700) + recent)
    _only(h, "later_payments")
    now, before = facts(h, "later_payments")
    assert (now.values["days"], before.values["days"]) == (25, 2)


def test_growing_balance_grows_at_every_step():
    growing = (sg.Invoice(d(85), 500_00, "ILS"), sg.Invoice(d(55), 500_00, "ILS"), sg.Invoice(d(25), 500_00, "ILS"))
    h = replace(BASE, invoices=BASE.invoices + growing)
    found = codes(h)
    assert "growing_balance" in found
    amounts = [f.values["amount_minor"] for f in facts(h, "growing_balance")]
    assert amounts == [0, 500_00, 1000_00, 1500_00]
    flat = replace(BASE, invoices=BASE.invoices + growing[:2])
    assert "growing_balance" not in codes(flat)


def test_the_score_orders_customers_and_stops_at_100():
    mild = replace(BASE, disputes=(d(33),))
    worse = replace(mild, promises=(sg.Promise(d(20), kept=False),))
    worst = replace(worse, payments=(sg.Payment(d(70), bounced=True), sg.Payment(d(80), partial=True),
                                     sg.Payment(d(90), partial=True)),
                    missed_instalments=(d(15),), sent=BASE.sent + (d(30), d(20)),
                    contacts_added=(d(700), d(60), d(50)))
    scores = [sg.score(sg.signals(h, TODAY, W)) for h in (BASE, mild, worse, worst)]
    assert scores == sorted(scores) and len(set(scores)) == 4
    assert scores[-1] == 100
    found = sg.signals(worst, TODAY, W)
    assert [s.points for s in found] == sorted((s.points for s in found), reverse=True)


def test_the_shipped_weights_name_every_signal():
    assert set(W.weights) == set(sg.CODES)
    assert W.at_risk_from == 20


def test_mistakes_in_the_weights_are_each_a_problem():
    text = default_risk_text().replace("weight = 25", "weight = 250").replace("min_days = 10", "min_dayz = 10")
    text = "colour = 'red'\n" + text.replace("[signal.disputes]\nweight = 5\n", "[signal.disputes]\n")
    with pytest.raises(ValidationFailed) as exc:
        sg.load_weights(text, "mine.toml")
    found = {(p.code, p.field) for p in exc.value.problems}
    assert found == {("risk_whole_number", "signal.silence.weight"), ("risk_unknown_key", "signal.silence.min_dayz"),
                     ("risk_missing", "signal.disputes.weight"), ("risk_unknown_key", "colour")}
    assert all(p.source == "mine.toml" for p in exc.value.problems)
    with pytest.raises(ValidationFailed) as bad:
        sg.load_weights("name = [", "x.toml")
    assert bad.value.problems[0].code == "risk_not_toml"


def test_a_changed_weight_moves_the_score_by_it():
    h = replace(BASE, disputes=(d(33),))
    heavier = sg.load_weights(default_risk_text().replace("[signal.disputes]\nweight = 5",
                                                          "[signal.disputes]\nweight = 40"))
    assert sg.score(sg.signals(h, TODAY, heavier)) == 40
    assert sg.score(sg.signals(h, TODAY, W)) == 5

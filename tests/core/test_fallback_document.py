"""A stage's fallback document (issue 12): a warning before the Execution Office goes only when
the debt fits the fixed-sum route (core.legal_rules.fixed_sum_fit); otherwise the action's
fallback goes, and the decision says which, instead of which, and why."""

from datetime import date

import pytest

from gvia.core.calendar import BusinessCalendar
from gvia.core.errors import ValidationFailed
from gvia.core.escalation import CustomerSnapshot, OverdueItem, RunSettings, decide
from gvia.core.legal_rules import earliest_filing, execution_office_rule
from gvia.core.money import Money
from gvia.core.policy import load_policy
from gvia.policies import default_policy
from gvia.services.engine.explain_words import explain

IL = BusinessCalendar("IL")
AUTO = RunSettings(sending_mode="automatic")
DUE = date(2026, 11, 2)
DAY = date(2026, 11, 10)          # Tuesday, 8 days overdue

LADDER = """
name = "warning first"
jurisdiction = "IL"
[[stage]]
key = "warning"
names = { he = "התראה", en = "Warning" }
after_due_days = 7
approval = true
actions = [
  { channel = "registered_letter", document = "warning_execution_office", fallback = "warning_letter" },
  { channel = "email", document = "warning_execution_office", fallback = "warning_letter" },
]
"""


def decide_for(*amounts: Money, basis: bool | None = True, policy_text: str = LADDER):
    items = tuple(OverdueItem(i, f"INV-{i}", DUE, m) for i, m in enumerate(amounts, start=1))
    snap = CustomerSnapshot(7, "C7", "Big Builder Ltd", items=items, written_basis=basis)
    policy = load_policy(policy_text)
    return decide(snap, policy, DAY, IL, AUTO), snap, policy


def test_a_debt_within_the_cap_gets_the_execution_office_warning():
    d, _, _ = decide_for(Money.of(50000, "ILS"), Money.of(25000, "ILS"))       # exactly the cap
    assert [a.document for a in d.actions] == ["warning_execution_office"] * 2
    assert "fallback_document" not in [r.code for r in d.reasons]


def test_a_debt_over_the_cap_gets_the_general_warning_letter_and_says_why():
    d, snap, policy = decide_for(Money.of(120000, "ILS"))
    assert d.kind == "enter_stage"
    assert [(a.channel, a.document) for a in d.actions] == [("registered_letter", "warning_letter"),
                                                             ("email", "warning_letter")]
    (fb,) = [r for r in d.reasons if r.code == "fallback_document"]
    assert fb.params["document"] == "warning_letter" and fb.params["instead_of"] == "warning_execution_office"
    assert fb.params["why"] == "over_fixed_sum_cap" and fb.params["cap"] == "75000.00"
    assert fb.params["amounts"] == {"ILS": "120000.00"}
    # judged on the earliest filing day: the filing clock's, for a warning posted and delivered today
    first = earliest_filing(execution_office_rule(DAY), DAY, DAY).on
    assert first is not None and first > DAY
    assert fb.params["filing_day"] == first.isoformat()
    en = explain(d, snap, policy, "en")
    assert ("the warning letter instead of the warning before the Execution Office: the debt (120,000.00 ILS) "
            "is over the Execution Office's fixed-sum cap of 75,000.00 ILS") in en
    assert "מכתב התראה במקום התראה לפני פתיחת תיק בהוצאה לפועל" in explain(d, snap, policy, "he")


@pytest.mark.parametrize("amounts, basis, why", [
    ((Money.of(100, "USD"),), True, ["not_in_shekels"]),
    ((Money.of(1000, "ILS"),), False, ["no_written_basis"]),
    ((Money.of(80000, "ILS"), Money.of(10, "EUR")), False, ["not_in_shekels", "over_fixed_sum_cap",
                                                           "no_written_basis"]),
])
def test_every_reason_the_route_does_not_fit(amounts, basis, why):
    d, _, _ = decide_for(*amounts, basis=basis)
    assert {a.document for a in d.actions} == {"warning_letter"}
    (fb,) = [r for r in d.reasons if r.code == "fallback_document"]
    assert fb.params["reasons"] == why and fb.params["why"] == why[0]


def test_an_unknown_basis_is_judged_on_the_amount_alone():
    d, _, _ = decide_for(Money.of(1000, "ILS"), basis=None)
    assert {a.document for a in d.actions} == {"warning_execution_office"}


def test_without_a_fallback_the_stage_sends_its_own_document():
    text = LADDER.replace(', fallback = "warning_letter"', "")
    d, _, _ = decide_for(Money.of(120000, "ILS"), policy_text=text)
    assert {a.document for a in d.actions} == {"warning_execution_office"}


def test_a_held_stage_shows_the_document_it_would_send():
    items = (OverdueItem(1, "INV-1", DUE, Money.of(120000, "ILS")),)
    snap = CustomerSnapshot(7, "C7", "Big Builder Ltd", items=items, written_basis=True, do_not_chase=True)
    d = decide(snap, load_policy(LADDER), DAY, IL, AUTO)
    assert d.kind in ("hold", "start_cycle") and {a.document for a in d.held} == {"warning_letter"}


def test_the_israeli_ladder_falls_back_to_the_warning_letter():
    stage = default_policy("IL").stage("warning_letter")
    assert {(a.document, a.fallback) for a in stage.actions} == {("warning_execution_office", "warning_letter")}


@pytest.mark.parametrize("action, message", [
    ('{ channel = "email", document = "warning_execution_office", fallback = "nope" }', "unknown document"),
    ('{ channel = "email", document = "reminder", fallback = "warning_letter" }', "may fall back"),
    ('{ channel = "email", document = "warning_execution_office", fallback = "warning_execution_office" }',
     "another document"),
])
def test_a_fallback_is_checked(action, message):
    text = LADDER.split("actions = [")[0] + f"actions = [ {action} ]\n"
    with pytest.raises(ValidationFailed) as e:
        load_policy(text)
    assert [p.field for p in e.value.problems] == ["stage[1].actions[1].fallback"]
    assert message in e.value.problems[0].message


def test_a_ladder_without_fallbacks_keeps_its_fingerprint():
    plain = load_policy(LADDER.replace(', fallback = "warning_letter"', ""))
    assert "fallback" not in str(plain.normalized())
    assert load_policy(LADDER).fingerprint != plain.fingerprint

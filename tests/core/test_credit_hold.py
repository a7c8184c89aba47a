"""The credit-hold suggestion rule (issue 17): the policy's [credit_hold] table and core.credit_hold."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gvia.core.credit_hold import CreditHoldRule, suggest
from gvia.core.errors import ValidationFailed
from gvia.core.policy import load_policy

BASE = """
name = "t"
jurisdiction = "IL"
{extra}
[[stage]]
key = "reminder"
names = {{ he = "תזכורת", en = "Reminder" }}
after_due_days = 7
actions = [{{ channel = "email", document = "reminder" }}]
"""


def policy(extra: str = ""):
    return load_policy(BASE.format(extra=extra), "t.toml")


def test_a_policy_without_the_table_suggests_nothing_and_keeps_its_fingerprint():
    plain = policy()
    assert plain.credit_hold is None
    assert "credit_hold" not in plain.normalized()
    assert suggest(plain.credit_hold, {"ILS": Decimal("99999")}, 400) is None


def test_the_table_is_read_and_changes_the_fingerprint():
    p = policy('[credit_hold]\nafter_days = 60\nabove = { ILS = "10000" }\n')
    assert p.credit_hold == CreditHoldRule(60, {"ILS": Decimal("10000.00")})
    assert p.fingerprint != policy().fingerprint


def test_age_and_amount_must_both_pass():
    rule = CreditHoldRule(60, {"ILS": Decimal("10000")})
    assert suggest(rule, {"ILS": Decimal("10000.01")}, 59) is None          # not old enough
    assert suggest(rule, {"ILS": Decimal("10000.00")}, 60) is None          # not above the amount
    s = suggest(rule, {"ILS": Decimal("10000.01")}, 60)
    assert s is not None and (s.days_overdue, s.after_days, s.currency, s.overdue, s.above) == (
        60, 60, "ILS", Decimal("10000.01"), Decimal("10000"))


def test_only_the_named_currencies_count_when_amounts_are_named():
    rule = CreditHoldRule(30, {"ILS": Decimal("5000")})
    assert suggest(rule, {"USD": Decimal("90000")}, 100) is None
    got = suggest(rule, {"USD": Decimal("90000"), "ILS": Decimal("6000")}, 100)
    assert got is not None and got.currency == "ILS"


def test_without_amounts_any_overdue_amount_of_that_age_is_enough():
    rule = CreditHoldRule(90)
    assert suggest(rule, {"EUR": Decimal("0")}, 120) is None
    got = suggest(rule, {"EUR": Decimal("1")}, 90)
    assert got is not None and got.above is None and got.currency == "EUR"
    assert suggest(rule, {}, None) is None


@pytest.mark.parametrize("extra, field, code", [
    ("[credit_hold]\nabove = { ILS = \"1\" }\n", "credit_hold.after_days", "policy_required"),
    ("[credit_hold]\nafter_days = 0\n", "credit_hold.after_days", "policy_at_least"),
    ("[credit_hold]\nafter_days = 30\nabove = { XYZ = \"1\" }\n", "credit_hold.above.XYZ", "policy_unknown_currency"),
    ("[credit_hold]\nafter_days = 30\nwhen = 1\n", "credit_hold.when", "policy_unknown_key"),
    ("credit_hold = 5\n", "credit_hold", "policy_credit_hold_table"),
])
def test_a_bad_table_is_refused_naming_its_field_and_line(extra, field, code):
    with pytest.raises(ValidationFailed) as err:
        policy(extra)
    [problem] = err.value.problems
    assert (problem.field, problem.code) == (field, code)
    assert problem.row is not None and problem.row >= 4

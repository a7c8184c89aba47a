"""A demand asks only for what is due on its date (gvia.core.demand), and the policy key that
says how a letter shows what is not yet due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from gvia.core.demand import DEFAULT_NOT_YET_DUE, NOT_YET_DUE_MODES, demand, open_totals
from gvia.core.errors import ValidationFailed
from gvia.core.money import Money
from gvia.core.policy import load_policy

LETTER = date(2026, 11, 23)


@dataclass(frozen=True)
class Line:
    number: str
    due_date: date
    open: Money


@dataclass(frozen=True)
class Extra:
    kind: str
    amount: Money


def ils(x: str) -> Money:
    return Money.of(x, "ILS")


LINES = (
    Line("A", date(2026, 9, 4), ils("1230.40")),       # 80 days late
    Line("B", LETTER, ils("100.00")),                 # due on the letter's date: demanded
    Line("C", date(2026, 11, 24), ils("760.00")),      # due the day after: not demanded
    Line("D", date(2026, 10, 1), Money.of("50.00", "USD")),
    Line("E", date(2027, 1, 1), Money.of("20.00", "USD")),
)


def test_due_on_the_letters_date_is_demanded_the_day_after_is_not():
    d = demand(LINES, LETTER)
    assert [ln.number for ln in d.demanded] == ["A", "B", "D"]
    assert [ln.number for ln in d.not_yet_due] == ["C", "E"]
    assert d.mode == DEFAULT_NOT_YET_DUE == "list_apart" and d.omitted == 0


def test_totals_per_currency_never_adding_two_currencies():
    d = demand(LINES, LETTER)
    assert dict(d.totals) == {"ILS": ils("1330.40"), "USD": Money.of("50.00", "USD")}
    assert dict(d.not_yet_due_totals) == {"ILS": ils("760.00"), "USD": Money.of("20.00", "USD")}


def test_omit_leaves_the_not_yet_due_out_and_counts_them():
    d = demand(LINES, LETTER, "omit")
    assert d.not_yet_due == () and d.omitted == 2
    assert dict(d.totals) == {"ILS": ils("1330.40"), "USD": Money.of("50.00", "USD")}
    assert len(d.not_yet_due_totals) == 0


def test_interest_and_fees_are_lines_of_their_own():
    extra = (Extra("interest", ils("12.34")), Extra("fee", ils("40.00")))
    d = demand(LINES[:3], LETTER, extra_lines=extra)
    assert d.invoice_totals["ILS"] == ils("1330.40")          # the invoices' own amounts, untouched
    assert d.charge_totals["ILS"] == ils("52.34")
    assert d.totals["ILS"] == ils("1382.74")
    assert [ln.open for ln in d.demanded] == [ils("1230.40"), ils("100.00")]
    assert d.extra_lines == extra


def test_nothing_due_demands_nothing():
    d = demand([Line("C", date(2026, 12, 1), ils("760.00"))], LETTER)
    assert d.demanded == () and not d.demands_anything and len(d.totals) == 0
    assert [ln.number for ln in d.not_yet_due] == ["C"]


def test_lines_with_nothing_open_are_left_out_and_order_is_kept():
    lines = [Line("X", date(2026, 10, 2), ils("0.00")), Line("Z", date(2026, 10, 1), ils("5.00")),
             Line("Y", date(2026, 9, 1), ils("7.00"))]
    assert [ln.number for ln in demand(lines, LETTER).demanded] == ["Z", "Y"]


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValidationFailed, match="not_yet_due"):
        demand(LINES, LETTER, "include")
    assert NOT_YET_DUE_MODES == ("list_apart", "omit")


def test_open_totals_for_what_is_not_a_demand():
    assert dict(open_totals(LINES[:3])) == {"ILS": ils("2090.40")}


POLICY = """\
name = "P"
jurisdiction = "IL"
{extra}
[[stage]]
key = "reminder"
names = {{ he = "תזכורת", en = "Reminder" }}
after_due_days = 7
actions = [{{ channel = "email", document = "reminder" }}]
"""


def test_policy_key_default_and_values():
    default = load_policy(POLICY.format(extra=""))
    assert default.not_yet_due == "list_apart"
    explicit = load_policy(POLICY.format(extra='not_yet_due = "list_apart"'))
    omit = load_policy(POLICY.format(extra='not_yet_due = "omit"'))
    assert omit.not_yet_due == "omit" and explicit.not_yet_due == "list_apart"
    # writing the default changes nothing; a policy written before the key keeps its fingerprint
    assert explicit.fingerprint == default.fingerprint != omit.fingerprint


def test_policy_key_checked_with_its_line():
    with pytest.raises(ValidationFailed) as exc:
        load_policy(POLICY.format(extra='not_yet_due = "include"'), source="p.toml")
    [p] = exc.value.problems
    assert (p.row, p.field) == (3, "not_yet_due") and "list_apart, omit" in p.message

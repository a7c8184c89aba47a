"""Israel's allocation numbers (issue 15): the dated thresholds on each boundary date, the amount
before VAT (given, or from the VAT rate of the issue date), who is flagged, and the engine's hold
that lifts once the number is recorded or a person confirms going on without it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date as D
from decimal import Decimal
from pathlib import Path

import pytest

from gvia.core import allocation
from gvia.core.allocation import (
    CONFIRMED_WITHOUT,
    MISSING,
    InvoiceFacts,
    amount_before_vat,
    needs_allocation_number,
    threshold_on,
    vat_rate_on,
)
from gvia.core.escalation import decide
from gvia.services.engine.explain_words import explain

from .test_escalation import AT_REMINDER, AUTO, DUE_1_NOV, IL, UNIT, item, snap


def facts(issue: D, amount_minor: int, **kw) -> InvoiceFacts:
    return InvoiceFacts(number="1050", issue_date=issue, currency="ILS", amount_minor=amount_minor, **kw)


@pytest.mark.parametrize(("day", "threshold"), [
    (D(2024, 5, 4), None), (D(2024, 5, 5), Decimal(25000)),
    (D(2024, 12, 31), Decimal(25000)), (D(2025, 1, 1), Decimal(20000)),
    (D(2025, 12, 31), Decimal(20000)), (D(2026, 1, 1), Decimal(10000)),
    (D(2026, 5, 31), Decimal(10000)), (D(2026, 6, 1), Decimal(5000)),
    (D(2030, 1, 1), Decimal(5000)),
])
def test_the_threshold_of_each_boundary_date(day, threshold):
    assert threshold_on(day) == threshold


def test_vat_rate_changes_on_1_january_2025_and_every_row_names_its_source():
    assert vat_rate_on(D(2015, 9, 30)) is None
    assert vat_rate_on(D(2015, 10, 1)) == Decimal("0.17")
    assert vat_rate_on(D(2024, 12, 31)) == Decimal("0.17")
    assert vat_rate_on(D(2025, 1, 1)) == Decimal("0.18")
    assert allocation.unsourced() == ()
    rows = allocation.ALLOCATION_THRESHOLDS + allocation.VAT_RATES
    assert all("docs/legal-sources.md §8" in r.source and "https://" in r.source for r in rows)
    # each quoted page is in the legal-sources note, with the figure it gives
    note = (Path(__file__).parents[2] / "docs" / "legal-sources.md").read_text(encoding="utf-8")
    assert "https://capitax.co.il/content/2/1352" in note and "https://asnafy.co.il/עליית-שיעור-המעמ" in note


@pytest.mark.parametrize(("issue", "before_vat_minor", "needed"), [
    # strictly above the threshold of the issue date, the amount before VAT given by the import
    (D(2024, 5, 4), 9_000_000, False),           # before the rule began
    (D(2024, 5, 5), 2_500_000, False), (D(2024, 5, 5), 2_500_001, True),
    (D(2024, 12, 31), 2_000_001, False), (D(2025, 1, 1), 2_000_001, True),
    (D(2025, 12, 31), 1_000_001, False), (D(2026, 1, 1), 1_000_001, True),
    (D(2026, 5, 31), 500_001, False), (D(2026, 6, 1), 500_001, True), (D(2026, 6, 1), 500_000, False),
])
def test_needed_above_the_threshold_of_the_issue_date(issue, before_vat_minor, needed):
    f = facts(issue, before_vat_minor * 2, amount_before_vat_minor=before_vat_minor)
    assert needs_allocation_number(f, "business") == (MISSING if needed else None)


def test_the_amount_before_vat_from_the_rate_of_the_issue_date():
    # 11,800.00 with VAT in 2026 is 10,000.00 before it (18%): not above 10,000
    assert amount_before_vat(facts(D(2026, 1, 5), 1_180_000)) == Decimal(10000)
    assert needs_allocation_number(facts(D(2026, 1, 5), 1_180_000), "business") is None
    assert needs_allocation_number(facts(D(2026, 1, 5), 1_180_002), "business") == MISSING
    # 29,250.00 in 2024 is 25,000.00 before 17% VAT (the same figure at 18% would be below)
    assert amount_before_vat(facts(D(2024, 6, 1), 2_925_000)) == Decimal(25000)
    assert needs_allocation_number(facts(D(2024, 6, 1), 2_925_002), "business") == MISSING
    # the import's own figure wins over the computed one
    assert needs_allocation_number(facts(D(2026, 7, 1), 9_000_000, amount_before_vat_minor=400_000),
                                   "business") is None


def test_who_is_flagged():
    big = facts(D(2026, 7, 1), 2_000_000)
    assert needs_allocation_number(big, "business") == MISSING
    assert needs_allocation_number(big, "sole_trader") == MISSING    # may be a licensed dealer
    assert needs_allocation_number(big, "public_body") == MISSING
    assert needs_allocation_number(big, "consumer") is None
    assert needs_allocation_number(big, "sole_trader", vat_exempt=True) is None
    assert needs_allocation_number(replace(big, allocation_number="123456789"), "business") is None
    assert needs_allocation_number(replace(big, currency="USD"), "business") is None
    assert needs_allocation_number(replace(big, kind="credit_note"), "business") is None
    assert needs_allocation_number(replace(big, confirmed_without=True), "business") == CONFIRMED_WITHOUT


# --- the engine -------------------------------------------------------------------------------
BIG = facts(D(2026, 10, 1), 2_000_000)
NEEDS = replace(DUE_1_NOV, allocation=replace(BIG, number=DUE_1_NOV.number))


def test_the_next_step_waits_for_a_person_and_lifts_after_the_number_or_the_confirmation():
    # without the flag the second reminder comes on Sun 15 Nov
    assert decide(snap(DUE_1_NOV, state=AT_REMINDER), UNIT, D(2026, 11, 15), IL, AUTO).kind == "enter_stage"
    held = decide(snap(NEEDS, state=AT_REMINDER), UNIT, D(2026, 11, 15), IL, AUTO)
    assert held.kind == "hold" and held.actions == () and held.state == AT_REMINDER
    r = next(r for r in held.reasons if r.code == MISSING)
    assert r.params == {"invoices": ["1050"]}
    assert MISSING in held.next_step.waiting_for
    # an exempt dealer (עוסק פטור) deducts no VAT: never flagged
    assert decide(snap(NEEDS, state=AT_REMINDER, customer_kind="sole_trader", vat_exempt=True), UNIT,
                  D(2026, 11, 15), IL, AUTO).kind == "enter_stage"
    assert decide(snap(NEEDS, state=AT_REMINDER, customer_kind="sole_trader"), UNIT,
                  D(2026, 11, 15), IL, AUTO).kind == "hold"
    # a consumer is never flagged
    assert decide(snap(NEEDS, state=AT_REMINDER, customer_kind="consumer"), UNIT, D(2026, 11, 15), IL,
                  AUTO).kind == "enter_stage"
    for lifted in (replace(NEEDS.allocation, allocation_number="987654321"),
                   replace(NEEDS.allocation, confirmed_without=True)):
        d = decide(snap(replace(NEEDS, allocation=lifted), state=AT_REMINDER), UNIT, D(2026, 11, 15), IL, AUTO)
        assert d.kind == "enter_stage" and d.state.stage_key == "second_reminder"


def test_an_invoice_not_yet_overdue_does_not_hold_the_case():
    later = replace(item("1060", D(2026, 12, 30)), allocation=replace(BIG, number="1060"))
    d = decide(snap(DUE_1_NOV, later, state=AT_REMINDER), UNIT, D(2026, 11, 15), IL, AUTO)
    assert d.kind == "enter_stage"


def test_explained_in_both_languages():
    d = decide(snap(NEEDS, state=AT_REMINDER), UNIT, D(2026, 11, 15), IL, AUTO)
    en = explain(d, snap(NEEDS), UNIT, "en")
    he = explain(d, snap(NEEDS), UNIT, "he")
    assert ("no allocation number on invoice 1050: the customer cannot deduct its VAT without an "
            "allocation number — they may be waiting for it") in en
    assert "אין מספר הקצאה בחשבונית 1050: הלקוח אינו יכול לקזז את המע\"מ בלי מספר הקצאה" in he

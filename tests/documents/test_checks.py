"""What a document must have before it is produced: problems are listed, nothing renders."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from gvia.core.errors import ValidationFailed
from gvia.core.money import Money
from gvia.documents import email_body, render
from gvia.documents.model import ExtraLine, Installment, InvoiceLine
from gvia.documents.samples import (
    sample_debtor,
    sample_letter,
    sample_letterhead,
    sample_plan,
    sample_settlement,
)


def problems(ctx) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as e:
        render(ctx)
    # the e-mail refuses the same context the same way
    with pytest.raises(ValidationFailed):
        email_body(ctx)
    return {p.field: p.message for p in e.value.problems}


def test_warning_letter_needs_the_formal_details():
    ctx = sample_letter("warning_letter", "he",
                        letterhead=sample_letterhead("he", tax_id="", phone="", signatory_name=""),
                        debtor=sample_debtor("he", tax_id="", address_lines=()), deadline=None)
    got = problems(ctx)
    assert set(got) == {"letterhead.tax_id", "letterhead.phone", "letterhead.signatory_name",
                        "debtor.tax_id", "debtor.address_lines", "deadline"}
    assert got["debtor.tax_id"] == "a warning_letter needs the customer's ID or company number"


def test_a_reminder_does_not_need_them():
    ctx = sample_letter("reminder", "en", debtor=sample_debtor("en", tax_id="", address_lines=()),
                        deadline=None)
    assert render(ctx).startswith(b"%PDF")


def test_execution_office_notice_rules():
    big = (InvoiceLine(number="BIG-1", issue_date=date(2026, 1, 1), due_date=date(2026, 2, 1),
                       original=Money.of("75000.01", "ILS"), open=Money.of("75000.01", "ILS")),)
    ctx = sample_letter("warning_execution_office", "he", invoices=big, registered_mail=False,
                        claim_basis="", deadline=date(2026, 12, 22))
    got = problems(ctx)
    assert got["totals"].startswith("more than the 75000.00 ILS cap of Execution Law 5727-1967")
    assert got["registered_mail"].startswith("the notice must go by registered mail")
    assert "claim_basis" in got
    # 23/11/2026 + 30 days = 23/12/2026 (the filing clock allows filing from 24/12 were the notice
    # delivered on its date); 22/12 is a day short, 23/12 is enough
    assert got["deadline"] == "must be at least 30 days after the letter's date"
    assert "deadline" not in problems(replace(ctx, deadline=date(2026, 12, 23)))


def test_execution_office_notice_at_the_cap_and_in_ils_only():
    at_cap = (InvoiceLine(number="CAP", issue_date=date(2026, 1, 1), due_date=date(2026, 2, 1),
                          original=Money.of("75000", "ILS"), open=Money.of("75000", "ILS")),)
    assert render(sample_letter("warning_execution_office", "en", invoices=at_cap))
    usd = at_cap + (InvoiceLine(number="USD-1", issue_date=date(2026, 1, 1), due_date=date(2026, 2, 1),
                                original=Money.of("10", "USD"), open=Money.of("10", "USD")),)
    assert "invoices" in problems(sample_letter("warning_execution_office", "en", invoices=usd))


def test_invoice_lines_must_make_sense():
    bad = (InvoiceLine(number="A", issue_date=date(2026, 1, 1), due_date=date(2026, 2, 1),
                       original=Money.of("100", "ILS"), open=Money.of("0", "ILS")),
           InvoiceLine(number="B", issue_date=date(2026, 1, 1), due_date=date(2026, 2, 1),
                       original=Money.of("100", "ILS"), open=Money.of("150", "ILS")),
           InvoiceLine(number="C", issue_date=date(2026, 1, 1), due_date=date(2026, 2, 1),
                       original=Money.of("100", "ILS"), open=Money.of("50", "USD")))
    got = problems(sample_letter("reminder", "en", invoices=bad))
    assert got == {"invoices[0].open": "a letter lists only invoices with something open",
                   "invoices[1].open": "open amount is more than the invoice",
                   "invoices[2].open": "open amount is in another currency than the invoice"}
    assert problems(sample_letter("reminder", "en", invoices=())) == {
        "invoices": "at least one open invoice is needed"}


def test_other_letter_problems():
    got = problems(sample_letter("reminder", "fr", deadline=date(2026, 1, 1),
                                 extra_lines=(ExtraLine(kind="penalty", amount=Money.of(1, "ILS")),),
                                 letterhead=sample_letterhead("en", accent="blue")))
    assert set(got) == {"language", "deadline", "extra_lines[0].kind", "letterhead.accent"}


def test_font_must_be_installed_from_a_fontpkg_package():
    ctx = sample_letter("reminder", "en", letterhead=sample_letterhead("en", body_font="Comic Sans"))
    with pytest.raises(ValidationFailed) as e:
        render(ctx)
    assert e.value.problems[0].field == "body_font"
    assert "Heebo" in e.value.problems[0].message


def test_payment_plan_must_add_up():
    base = sample_plan("en")
    wrong = replace(base, installments=base.installments[:3] + (
        Installment(number=5, due_date=date(2027, 1, 1), amount=Money.of("3916.55", "ILS")),))
    got = problems(wrong)
    assert got["installments[3].number"] == "installments are numbered 1..n; expected 4"
    assert got["installments[3].due_date"] == "installments must be in date order"
    short = replace(base, debt_total=Money.of("15666.18", "ILS"))
    assert problems(short)["installments"] == \
        "add up to 15666.17 ILS, not to the debt of 15666.18 ILS"


def test_settlement_must_be_less_than_the_debt():
    assert "agreed_amount" in problems(sample_settlement("en", agreed_amount=Money.of("16031.57", "ILS")))
    assert "agreed_amount" in problems(sample_settlement("en", agreed_amount=Money.of("100", "USD")))
    assert "deadline" in problems(sample_settlement("en", deadline=date(2026, 11, 1)))


def test_settlement_waiver_is_the_difference():
    ctx = sample_settlement("en")
    # 16,031.57 - 14,500.00 = 1,531.57
    assert ctx.waived == Money.of("1531.57", "ILS")

"""Interest and fees from the database: the rule (organization, customer override), the debts
as the ledger sees them, the lines letters show, a missing rate, and rate imports."""

from datetime import date
from decimal import Decimal as D

import pytest

from gvia.core.errors import GviaError, Refused, ValidationFailed
from gvia.core.money import Money
from gvia.core.rates import MissingRate
from gvia.services.arrangements import settlements
from gvia.services.ledger import books as ledger
from gvia.services.legal import interest, rates
from gvia.services.letters import content as letters
from gvia.store.models import InterestRule, RateImport

from .conftest import at

pytestmark = pytest.mark.django_db


def _uk_customer(ctx, books):
    c = books.customer("UK1", "Northwind Traders Ltd", language="en")
    inv = books.invoice(c, "INV-GB1", "10000.00", date(2024, 3, 31), currency="GBP")
    books.payment(c, "4000.00", date(2024, 4, 30), currency="GBP", invoice=inv)
    ledger.recompute(ctx, [c.id])
    interest.set_rule(ctx, {"method": "gb_late_payment"}, "UK1")
    return c


def test_uk_statutory_interest_on_a_part_paid_invoice(ctx, books):
    _uk_customer(ctx, books)
    got = interest.customer_interest(ctx, "UK1", date(2024, 5, 15))
    assert (got.method, got.rule_source) == ("gb_late_payment", "customer")
    [b] = got.breakdowns
    # Interest runs from 1 April 2024 (the day after the due date). The reference date for
    # January-June is 31 December 2023, when the Bank of England base rate was 5.25% (in force
    # from 3 August 2023, shipped table): 5.25 + 8 = 13.25% a year, simple, day count 365.
    #   1-30 April, 30 days on £10,000.00: 10000 × 0.1325 × 30 / 365 = 39750 / 365 = 108.904109…
    #   1-15 May, 15 days on £6,000.00 (paid £4,000 on 30 April, counts from 1 May):
    #        6000 × 0.1325 × 15 / 365 = 11925 / 365 = 32.671232…
    #   total 141.575342… → £141.58 (rounded once; rounding each period would give 141.57)
    assert [(p.start, p.end, p.days, p.balance, p.rate) for p in b.periods] == [
        (date(2024, 4, 1), date(2024, 4, 30), 30, D("10000.00"), D("13.25")),
        (date(2024, 5, 1), date(2024, 5, 15), 15, D("6000.00"), D("13.25"))]
    assert b.interest == Money.of("141.58", "GBP")
    # fixed compensation on a debt of £10,000.00 (from £10,000: £100)
    assert [f.amount for f in b.fees] == [Money.of(100, "GBP")]
    assert got.as_dict()["totals"] == {"GBP": {"interest": "141.58", "linkage": "0.00", "fees": "100.00",
                                               "total": "241.58"}}


def test_interest_and_fee_are_separate_lines_of_the_letter(ctx, books):
    c = _uk_customer(ctx, books)
    notes: list = []
    lc = letters.letter_context(ctx, c, "second_reminder", date(2024, 5, 15), notes=notes)
    assert [(x.kind, x.amount, x.label) for x in lc.extra_lines] == [
        ("interest", Money.of("141.58", "GBP"), ""),
        ("fee", Money.of(100, "GBP"), "Fixed compensation (Late Payment Act)")]
    assert lc.extra_lines[0].detail == "on invoice(s) INV-GB1, to 15/05/2024"
    # the invoice itself is listed with its own open amount, never with interest folded in
    assert [(i.number, i.open) for i in lc.invoices] == [("INV-GB1", Money.of(6000, "GBP"))]
    assert lc.totals["GBP"] == Money.of("6241.58", "GBP")
    assert notes == []
    # the courtesy note before the due date never carries interest
    assert letters.letter_context(ctx, c, "courtesy", date(2024, 5, 15)).extra_lines == ()


def test_a_missing_rate_leaves_the_interest_line_out_and_says_why(ctx, books):
    c = books.customer("UK2", "Late Ltd", language="en")
    books.invoice(c, "INV-GB2", "2000.00", date(2026, 6, 30), currency="GBP")
    interest.set_rule(ctx, {"method": "gb_late_payment"})             # the organization's rule
    # interest from 1 July 2026: the reference date is 30 June 2026, after the shipped table ends
    notes: list = []
    lc = letters.letter_context(ctx, c, "reminder", date(2026, 7, 30), notes=notes)
    assert lc.extra_lines == ()
    [note] = notes                   # the refusal that kept the interest out, with its code and values
    assert (note.code, note.params["table"], note.params["day"]) == ("rate_table_incomplete", "gb_boe_base_rate",
                                                                     date(2026, 6, 30))
    with pytest.raises(MissingRate, match="no figure in rate table 'gb_boe_base_rate' for 2026-06-30") as missing:
        interest.customer_interest(ctx, "UK2", date(2026, 7, 30))
    # worded for the reader (issue 13): the command line names its command, the web does not
    from gvia.cli import words as cli_words

    cli_words.use("he")
    try:
        worded = cli_words.refusal_text(missing.value)
    finally:
        cli_words.use("en")
    assert worded.startswith("אין בטבלה gb_boe_base_rate נתון ליום 30/06/2026: ")
    assert worded.endswith("עדכנו את הטבלה ב־gvia rates import FILE")


def test_an_imported_rate_fills_the_gap(ctx, books, tmp_path, collector):
    c = books.customer("UK2", "Late Ltd", language="en")
    books.invoice(c, "INV-GB2", "2000.00", date(2026, 6, 30), currency="GBP")
    interest.set_rule(ctx, {"method": "gb_late_payment"})
    # a test table: a (made-up) change on 19 March 2026 to 3.50%, known through 31 July 2026
    f = tmp_path / "boe_update.csv"
    f.write_text("# name: gb_boe_base_rate\n# kind: rate\n# source: test figures\n# complete_through: 2026-07-31\n"
                 "effective_from,percent\n2026-03-19,3.50\n", encoding="utf-8")
    with pytest.raises(Refused, match="importing a rate table needs the owner role"):
        rates.import_table(collector, f)
    row = rates.import_table(ctx, f, at(date(2026, 7, 30)))
    assert (row.name, row.kind, row.rows) == ("gb_boe_base_rate", "rate", 1)
    [b] = interest.customer_interest(ctx, "UK2", date(2026, 7, 30)).breakdowns
    # 1-30 July, 30 days at 3.50 + 8 = 11.5%: 2000 × 0.115 × 30 / 365 = 6900 / 365 = 18.9041… → £18.90;
    # compensation on £2,000.00: £70
    assert (b.days, b.periods[0].rate, b.interest, b.fees_total) == (
        30, D("11.50"), Money.of("18.90", "GBP"), Money.of(70, "GBP"))
    shown = {t["name"]: t for t in rates.show(ctx)}
    assert shown["gb_boe_base_rate"]["known_through"] == "2026-07-31"
    assert shown["gb_boe_base_rate"]["latest"] == {"from": "2026-03-19", "percent": "3.50"}
    assert shown["gb_boe_base_rate"]["imports"][0]["file"] == "boe_update.csv"
    assert shown["il_cpi"]["rows"] == 6     # the months shipped (December 2025 to May 2026)


def test_a_bad_rate_file_is_refused_with_its_line_and_nothing_stored(ctx, tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("# name: gb_boe_base_rate\n# kind: rate\n# source: test\n# complete_through: 2026-07-31\n"
                 "effective_from,percent\n2026-03-19,three\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as exc:
        rates.import_table(ctx, f)
    assert [(p.row, p.field) for p in exc.value.problems] == [(6, "percent")]
    from gvia.web import words

    assert [words.problem_text(p, "he") for p in exc.value.problems] == ["אינו מספר (כתבו למשל 5.25)"]
    assert words.summary_text(exc.value, "he") == "bad.csv: נמצאה בעיה אחת בטבלה"
    # a period overlapping one already on file does not fit over it
    g = tmp_path / "overlap.csv"
    g.write_text("# name: il_linked_interest\n# kind: rate\n# source: test\n"
                 "effective_from,percent,effective_to\n2005-05-01,3.0,2005-07-31\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as overlap:
        rates.import_table(ctx, g)
    assert {p.code for p in overlap.value.problems} == {"rate_overlaps"}
    assert not RateImport.objects.exists()


def test_contractual_rule_of_the_organization_and_a_customer_override(ctx, books):
    c = books.customer("IL1", "Gal-Or", language="he")
    books.invoice(c, "5001", "10000.00", date(2026, 1, 31))
    interest.set_rule(ctx, {"method": "contractual", "percent": "4"})
    got = interest.customer_interest(ctx, "IL1", date(2026, 3, 31))
    # 1 February - 31 March 2026: 28 + 31 = 59 days; 10000 × 4% × 59 / 365 = 23600 / 365 = 64.6575… → ₪64.66
    assert (got.rule_source, got.breakdowns[0].days, got.breakdowns[0].interest) == (
        "organization", 59, Money.of("64.66", "ILS"))
    lc = letters.letter_context(ctx, c, "reminder", date(2026, 3, 31))
    assert [(x.kind, x.amount, x.detail) for x in lc.extra_lines] == [
        ("interest", Money.of("64.66", "ILS"), "על חשבוניות 5001, עד 31/03/2026")]
    interest.set_rule(ctx, {"method": "none"}, "IL1")
    assert interest.customer_interest(ctx, "IL1", date(2026, 3, 31)).breakdowns == []
    assert interest.rule_for(ctx, c)[2] == "customer"
    interest.unset_rule(ctx, "IL1")
    assert interest.rule_for(ctx, c)[2] == "organization"


def test_a_settlement_that_waives_interest_leaves_its_invoices_out(ctx, books, collector):
    c = books.customer("IL1", "Gal-Or", language="he")
    books.invoice(c, "5001", "10000.00", date(2026, 1, 31))
    interest.set_rule(ctx, {"method": "contractual", "percent": "4"})
    offer = settlements.offer_settlement(collector, "IL1", "9000", "2026-04-15", "hardship", now=at(date(2026, 3, 1)))
    settlements.approve_settlement(ctx, offer.id, now=at(date(2026, 3, 1)))
    got = interest.customer_interest(ctx, "IL1", date(2026, 3, 31))
    assert got.breakdowns == [] and got.waived == ["5001"]


def test_a_bad_rule_is_refused(ctx):
    with pytest.raises(ValidationFailed) as exc:
        interest.set_rule(ctx, {"method": "contractual", "percent": "4", "compounding": "daily"})
    assert [p.field for p in exc.value.problems] == ["compounding"]
    # worded for the reader (issue 13): the problem and the summary, counted in Hebrew
    from gvia.web import words

    assert [words.problem_text(p, "he") for p in exc.value.problems] == ["חייב להיות אחד מאלה: simple, monthly, annual"]
    assert words.summary_text(exc.value, "he") == "כלל הריבית אינו תקין: נמצאה בעיה אחת"
    with pytest.raises(GviaError):
        interest.set_rule(ctx, {"method": "usury"})
    assert not InterestRule.objects.exists()

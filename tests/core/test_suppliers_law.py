"""Israel's suppliers' payment law (issue 15): the legal payment day of a public body (always) and of
a business buyer (an agreed later date yields only for a large buyer; otherwise a person decides),
the law's start, and what the law adds when late — linkage and interest from the day after the
legal day through gvia.core.interest, worked by hand below, and arrears interest from the 31st day
with no invented figure."""

from __future__ import annotations

from datetime import date as D
from decimal import Decimal

import pytest

from gvia.core import suppliers_law as law
from gvia.core.errors import Refused
from gvia.core.money import Money
from gvia.core.rates import RateBook, parse_table


def ils(x: object) -> Money:
    return Money(Decimal(str(x)), "ILS")


@pytest.mark.parametrize(("day", "days", "expected"), [
    (D(2026, 1, 15), 45, D(2026, 3, 17)),   # 31 Jan + 45: February has 28 days
    (D(2024, 1, 10), 45, D(2024, 3, 16)),   # a leap year: 29 February
    (D(2026, 1, 31), 45, D(2026, 3, 17)),   # the month's last day counts the same
    (D(2026, 2, 1), 45, D(2026, 4, 14)),    # the next month: 28 Feb + 45
    (D(2026, 12, 5), 30, D(2027, 1, 30)),
])
def test_shotef_plus_counts_from_the_end_of_the_invoice_month(day, days, expected):
    assert law.shotef_plus(day, days) == expected


def test_a_public_body_pays_by_shotef_45_whatever_was_agreed():
    # invoice 15 Jan 2026 → the law's day 17 Mar 2026
    later = law.payment_day("public_body", D(2026, 1, 15), D(2026, 5, 31))
    assert (later.applies, later.buyer, later.law_day, later.legal_day) == (True, law.PUBLIC_BODY, D(2026, 3, 17),
                                                                            D(2026, 3, 17))
    assert later.reason == law.PUBLIC_BODY_YIELDS and later.yields and later.needs_person is None
    assert law.PUBLIC_BODY_KIND_UNKNOWN in later.notes      # state bodies may owe sooner: said, not guessed
    assert law.PUBLIC_BODY_EXCEPTION_POSSIBLE in later.notes  # a budgeted body's approved later day: said
    sooner = law.payment_day("public_body", D(2026, 1, 15), D(2026, 2, 14))
    assert (sooner.legal_day, sooner.reason, sooner.yields) == (D(2026, 2, 14), law.AGREED_STANDS, False)
    assert law.PUBLIC_BODY_EXCEPTION_POSSIBLE not in sooner.notes
    on_the_day = law.payment_day("public_body", D(2026, 1, 15), D(2026, 3, 17))
    assert (on_the_day.legal_day, on_the_day.reason) == (D(2026, 3, 17), law.AGREED_STANDS)


@pytest.mark.parametrize("kind", ["business", "sole_trader"])
def test_a_business_buyer_agreed_date_yields_only_for_a_large_buyer(kind):
    sooner = law.payment_day(kind, D(2026, 1, 15), D(2026, 2, 14), large_business=True)
    assert (sooner.buyer, sooner.legal_day, sooner.reason, sooner.yields) == (law.BUSINESS, D(2026, 2, 14),
                                                                              law.AGREED_STANDS, False)
    large = law.payment_day(kind, D(2026, 1, 15), D(2026, 6, 30), large_business=True)
    assert (large.legal_day, large.reason, large.yields, large.needs_person) == (
        D(2026, 3, 17), law.LARGE_BUYER_YIELDS, True, None)
    small = law.payment_day(kind, D(2026, 1, 15), D(2026, 6, 30), large_business=False)
    assert (small.legal_day, small.law_day, small.reason, small.yields) == (
        D(2026, 6, 30), D(2026, 3, 17), law.AGREED_LATER_PERSON_DECIDES, False)
    assert small.needs_person == law.AGREED_LATER_PERSON_DECIDES
    assert law.PUBLIC_BODY_KIND_UNKNOWN not in small.notes


def test_a_consumer_and_an_invoice_before_the_law_are_not_covered():
    consumer = law.payment_day("consumer", D(2026, 1, 15), D(2026, 6, 30), large_business=True)
    assert (consumer.applies, consumer.reason, consumer.legal_day) == (False, law.NOT_A_BUYER, None)
    before = law.payment_day("public_body", D(2017, 6, 29), D(2017, 12, 31))
    assert (before.applies, before.reason) == (False, law.BEFORE_THE_LAW)
    # the sources give 30 June, 1 July and 30 July 2017: between them a person checks
    window = law.payment_day("public_body", D(2017, 7, 15), D(2017, 12, 31))
    assert window.applies and window.needs_person == law.START_UNCERTAIN
    assert window.legal_day == D(2017, 9, 14)            # 31 Jul + 45
    assert law.payment_day("public_body", D(2017, 7, 31), D(2017, 12, 31)).needs_person is None


def test_every_figure_is_dated_and_names_its_page_and_what_is_not_found_says_so():
    for f in law.FIGURES:
        assert f.source.startswith("docs/legal-sources.md §7")
        assert f.sourced == ("http" in f.source)
    assert law.unsourced() == (law.ARREARS_METHOD,)
    assert (law.BUSINESS_TERM.value, law.PUBLIC_BODY_TERM.value, law.ARREARS_AFTER_DAYS.value) == (45, 45, 30)


BOOK = RateBook.of([
    parse_table("""\
# name: il_cpi
# kind: index
# base: illustrative = 100
# source: ILLUSTRATIVE values for the test, not CBS figures
month,value
2023-12,100.0
2024-01,100.4
2024-02,100.8
2024-03,101.0
2024-04,101.5
2024-05,102.0
"""),
    parse_table("""\
# name: il_linked_interest
# kind: rate
# source: ILLUSTRATIVE quarterly rates for the test
effective_from,percent,effective_to
2024-01-01,4.0,2024-03-31
2024-04-01,5.0,2024-06-30
"""),
])


def _late_public_body() -> law.PaymentDay:
    # invoice 10 Dec 2023, agreed 30 Apr 2024 → the law's day: 31 Dec + 45 = 14 Feb 2024
    day = law.payment_day("public_body", D(2023, 12, 10), D(2024, 4, 30))
    assert day.legal_day == D(2024, 2, 14)
    return day


def test_late_adds_linkage_and_interest_from_the_day_after_the_legal_day():
    # ₪10,000, legal day 14 Feb 2024, to 20 Jun 2024. Index known before 14 Feb: December 2023
    # (January's is published 15 Feb) = 100.0; before 20 Jun: May 2024 = 102.0 →
    # linkage 10,000 × 2.0 / 100 = ₪200.00, linked 10,200. Interest on 10,200: 15 Feb–31 Mar =
    # 15 + 31 = 46 days at 4%, 1 Apr–20 Jun = 81 days at 5%: 10,200 × (0.04×46 + 0.05×81) / 365
    # = 10,200 × 5.89 / 365 = 164.597… → ₪164.60. Total ₪364.60.
    got = law.late_additions(_late_public_body(), "INV-1", ils(10000), D(2024, 6, 20), book=BOOK)
    assert got.refused is None and got.days_late == 127
    assert got.linkage_interest is not None
    assert got.linkage_interest.linkage == ils("200.00")
    assert got.linkage_interest.interest == ils("164.60")
    assert got.total == ils("364.60")
    # arrears interest from the 31st day after the legal day (15 Mar + … = 16 Mar), never a figure
    assert got.arrears_from == D(2024, 3, 16)
    assert law.ARREARS_METHOD_UNSOURCED in got.notes


def test_before_the_31st_day_there_is_no_arrears_and_on_the_legal_day_nothing():
    day = _late_public_body()
    assert law.late_additions(day, "INV-1", ils(10000), D(2024, 2, 14), book=BOOK).notes == (law.NOT_LATE,)
    thirty = law.late_additions(day, "INV-1", ils(10000), D(2024, 3, 15), book=BOOK)
    assert (thirty.days_late, thirty.arrears_from, thirty.notes) == (30, None, ())
    assert law.late_additions(day, "INV-1", ils(10000), D(2024, 3, 16), book=BOOK).arrears_from == D(2024, 3, 16)


def test_a_missing_rate_is_refused_with_its_reason_never_a_zero():
    got = law.late_additions(_late_public_body(), "INV-1", ils(10000), D(2024, 8, 20), book=BOOK)
    assert got.linkage_interest is None and got.total is None
    assert got.refused == "index_not_on_file"          # June 2024's index, published 15 July
    assert dict(got.refused_params)["table"] == "il_cpi"


def test_not_in_shekels_and_not_for_a_day_the_law_does_not_cover():
    dollars = law.late_additions(_late_public_body(), "INV-1", Money(Decimal(100), "USD"), D(2024, 6, 20), book=BOOK)
    assert dollars.refused == law.NOT_IN_SHEKELS and dollars.linkage_interest is None
    with pytest.raises(Refused):
        law.late_additions(law.payment_day("consumer", D(2024, 1, 1), D(2024, 2, 1)), "X", ils(1), D(2024, 6, 1))


def test_days_the_interest_module_gives_no_figure_for_are_refused_whole():
    # legal day 15 Dec 2024 (31 Oct + 45), to 20 Jan 2025: the Interest Law's amendment 9 days (from 1 Jan 2025)
    # get no figure from core.interest, so the law's addition is refused with its reason — no
    # partial figure for December either
    book = RateBook.of([
        parse_table("# name: il_cpi\n# kind: index\n# base: illustrative = 100\n# source: ILLUSTRATIVE\n"
                    "month,value\n2024-10,100.0\n2024-11,100.2\n2024-12,100.3\n"),
        parse_table("# name: il_linked_interest\n# kind: rate\n# source: ILLUSTRATIVE\n"
                    "effective_from,percent,effective_to\n2024-10-01,4.0,2024-12-31\n2025-01-01,4.0,2025-03-31\n"),
    ])
    day = law.payment_day("public_body", D(2024, 10, 20), D(2024, 12, 31))
    assert day.legal_day == D(2024, 12, 15)
    got = law.late_additions(day, "INV-2", ils(1000), D(2025, 1, 20), book=book)
    assert got.linkage_interest is None and got.total is None
    assert got.refused and dict(got.refused_params)["start"] == D(2025, 1, 1)

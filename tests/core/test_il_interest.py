"""The Adjudication of Interest and Linkage Law's method (gvia.core.il_interest), with figures
worked by hand from the Law's text in the comments: s.1 (linkage from the index published just
before the start to the one published just before payment; linked interest on the linked amount),
s.4(b) (a changed rate applies from the day of the change), s.7 (linkage and interest added to
the principal once a year), and no figure from 1 January 2025 (Amendment 9).

The index and the rates below are ILLUSTRATIVE round numbers chosen to make the arithmetic
visible, not CBS or Accountant General figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gvia.core import il_interest
from gvia.core.interest import IlLinkage, LateDebt, calculate
from gvia.core.money import Money
from gvia.core.rates import MissingRate, RateBook, parse_table
from gvia.rates import shipped_table


def ils(x: object) -> Money:
    return Money.of(x, "ILS")


# The index "published just before" a day is the one known on the day before (published on
# the 15th of the next month): 31 Dec 2020 -> November 2020; 1 Jan 2022 -> November 2021;
# 31 Dec 2022 -> November 2022; 30 Jun 2021 -> May 2021; 30 Jun 2022 -> May 2022.
CPI = parse_table("""\
# name: il_cpi
# kind: index
# base: illustrative = 100
# source: ILLUSTRATIVE values for the test, not CBS figures
month,value
2020-11,100.0
2021-05,101.0
2021-11,102.0
2022-05,104.04
2022-11,105.06
2024-10,110.0
2024-11,111.1
""")


def rates(text: str) -> RateBook:
    return RateBook.of([CPI, parse_table("# name: il_linked_interest\n# kind: rate\n"
                                         "# source: ILLUSTRATIVE rates for the test\n"
                                         "effective_from,percent,effective_to\n" + text)])


FIVE_PERCENT = rates("2021-01-01,5.0,2022-12-31\n2024-01-01,5.0,2024-12-31\n")


def test_s7_adds_linkage_and_interest_to_the_principal_once_a_year():
    # ₪10,000 due 31 Dec 2020; interest from 1 Jan 2021 to 31 Dec 2022, 5% a year throughout.
    # Year 1 (1 Jan-31 Dec 2021, 365 days): linked from November 2020 (100.0, published before
    #   31 Dec 2020) to November 2021 (102.0, published before the anniversary 1 Jan 2022):
    #   linkage 10,000 × 2 / 100 = 200; interest on the linked 10,200: × 5% × 365/365 = 510.
    #   s.7: the principal of year 2 is 10,200 + 510 = 10,710.
    # Year 2 (1 Jan-31 Dec 2022, 365 days): 102.0 -> November 2022 (105.06, published before
    #   31 Dec 2022): linkage 10,710 × 3.06 / 102 = 321.30; interest 11,031.30 × 5% = 551.565.
    # Linkage 200 + 321.30 = ₪521.30; interest 510 + 551.565 = 1,061.565 -> ₪1,061.57.
    # (Check: 10,000 × 1.0506 × 1.05² = 11,582.865; simple interest would give 10,506 × 1.10
    # = 11,556.60: s.7 adds ₪26.27.)
    r = calculate(IlLinkage(), LateDebt("1", ils(10000), date(2020, 12, 31)), date(2022, 12, 31), FIVE_PERCENT)
    assert [(ln.amount, ln.base_value, ln.final_value) for ln in r.linkage_lines] == [
        (ils(10000), D("100.0"), D("102.0")), (ils(10710), D("102.0"), D("105.06"))]
    assert [(p.start, p.days, p.balance) for p in r.periods] == [
        (date(2021, 1, 1), 365, D("10200")), (date(2022, 1, 1), 365, D("11031.30"))]
    assert r.linkage == ils("521.30")
    assert r.interest == ils("1061.57")
    assert r.principal + r.total == ils("11582.87")
    assert r.complete
    assert any("once a year" in n for n in r.notes)


def test_s4b_a_changed_rate_applies_from_the_day_of_the_change():
    # ₪10,000 due 31 Dec 2020, to 30 Jun 2021: 4% from 1 Jan, 6% from 1 Apr (the change day).
    # Linkage: November 2020 (100.0) -> May 2021 (101.0, published before 30 Jun): 100.00.
    # Interest on 10,100: 1 Jan-31 Mar = 90 days at 4%, 1 Apr-30 Jun = 91 days at 6%:
    # 10,100 × (0.04 × 90 + 0.06 × 91) / 365 = 10,100 × 9.06 / 365 = 91,506 / 365 = 250.7013…
    book = rates("2021-01-01,4.0,2021-03-31\n2021-04-01,6.0,2021-06-30\n")
    r = calculate(IlLinkage(), LateDebt("1", ils(10000), date(2020, 12, 31)), date(2021, 6, 30), book)
    assert [(p.start, p.end, p.days, p.rate) for p in r.periods] == [
        (date(2021, 1, 1), date(2021, 3, 31), 90, D("4.0")), (date(2021, 4, 1), date(2021, 6, 30), 91, D("6.0"))]
    assert r.linkage == ils("100.00")
    assert r.interest == ils("250.70")


def test_a_partial_year_after_a_full_one():
    # ₪10,000 due 31 Dec 2020, to 30 Jun 2022, 5%. Year 1 as above: linkage 200, interest 510,
    # principal of year 2 = 10,710. Year 2 is partial (1 Jan-30 Jun 2022 = 181 days), linked
    # from November 2021 (102.0) to May 2022 (104.04, published before 30 Jun): 2% -> 214.20;
    # interest 10,924.20 × 5% × 181 / 365 = 98,864.01 / 365 = 270.8603…
    # Linkage 414.20; interest 510 + 270.8603 = 780.8603 -> ₪780.86.
    r = calculate(IlLinkage(), LateDebt("1", ils(10000), date(2020, 12, 31)), date(2022, 6, 30), FIVE_PERCENT)
    assert r.linkage == ils("414.20")
    assert r.interest == ils("780.86")
    assert r.periods[-1].days == 181


def test_a_part_paid_during_the_second_year_closes_with_its_own_year():
    # ₪10,000 due 31 Dec 2020, ₪4,000 paid 30 Jun 2022, the rest to 31 Dec 2022, 5%.
    # Each part is computed by the Law on its own (s.1: "לפני תשלום כל שיעור ושיעור"):
    #   the paid ₪4,000: year 1 linkage 80, interest 204 (4/10 of the whole's); year 2 principal
    #     4,284, linked to May 2022 (2%): 85.68; interest 4,369.68 × 5% × 181/365 = 108.3441…
    #   the rest ₪6,000: year 1 linkage 120, interest 306; year 2 principal 6,426 linked to
    #     November 2022 (3%): 192.78; interest 6,618.78 × 5% = 330.939.
    # Linkage 80 + 85.68 + 120 + 192.78 = ₪478.46; interest 204 + 108.3441 + 306 + 330.939
    # = 949.2831 -> ₪949.28.
    debt = LateDebt("1", ils(10000), date(2020, 12, 31), payments=((date(2022, 6, 30), ils(4000)),))
    r = calculate(IlLinkage(), debt, date(2022, 12, 31), FIVE_PERCENT)
    assert r.linkage == ils("478.46")
    assert r.interest == ils("949.28")
    # the pieces of interest: the whole in 2021, both parts to 30 Jun 2022, the rest after it
    assert [(p.start, p.end) for p in r.periods] == [
        (date(2021, 1, 1), date(2021, 12, 31)), (date(2022, 1, 1), date(2022, 6, 30)),
        (date(2022, 7, 1), date(2022, 12, 31))]


def test_linkage_alone_is_not_compounded():
    # s.7 adds "interest, and linkage differences with interest": linkage differences alone run
    # from the start to the payment in one step: 10,000 × (105.06 - 100) / 100 = 506.00.
    r = calculate(IlLinkage(interest="none"), LateDebt("1", ils(10000), date(2020, 12, 31)),
                  date(2022, 12, 31), FIVE_PERCENT)
    assert r.linkage == ils("506.00") and len(r.linkage_lines) == 1 and r.interest == ils(0)


def test_no_figure_from_1_january_2025_amendment_9():
    # ₪10,000 due 30 Nov 2024, to 31 Jan 2025: computed to 31 Dec 2024 (31 days at 5%;
    # November 2024's index is known on 30 Dec: 111.1 against October's 110.0), the rest has no
    # figure and says why.
    r = calculate(IlLinkage(), LateDebt("1", ils(10000), date(2024, 11, 30)), date(2025, 1, 31), FIVE_PERCENT)
    assert not r.complete
    (gap,) = r.unsourced
    assert (gap.start, gap.end, gap.code) == (date(2025, 1, 1), date(2025, 1, 31),
                                              il_interest.UNSOURCED_AFTER_AMENDMENT_9)
    assert r.periods[-1].end == date(2024, 12, 31) and r.periods[-1].days == 31
    assert r.as_dict()["unsourced"] == [{"from": "2025-01-01", "to": "2025-01-31",
                                         "reason": "il_interest_amendment_9_unsourced"}]
    # a debt due in 2025 gets no figure at all (and needs no index or rate to say so)
    later = calculate(IlLinkage(), LateDebt("2", ils(500), date(2025, 3, 1)), date(2025, 6, 1), RateBook())
    assert later.periods == () and later.linkage_lines == () and not later.complete
    assert later.unsourced[0].start == date(2025, 3, 2)


def test_the_law_s_days_are_in_one_place():
    assert il_interest.LAW_METHOD_LAST_DAY == date(2024, 12, 31)
    assert il_interest.AMENDMENT_9_IN_FORCE == date(2025, 1, 1)


def test_anniversaries_of_29_february():
    assert il_interest.anniversaries(date(2020, 2, 29), date(2022, 3, 1)) == [date(2021, 2, 28), date(2022, 2, 28)]
    assert il_interest.anniversaries(date(2021, 1, 1), date(2021, 12, 31)) == []


def test_a_missing_quarter_is_an_error_naming_it():
    # the shipped linked-interest table ends with 2023 Q3: a day of 2023 Q4 names itself
    book = RateBook.of([CPI, shipped_table("il_linked_interest.csv"),
                        parse_table("# name: il_cpi\n# kind: index\n# base: illustrative = 100\n"
                                    "# source: ILLUSTRATIVE\nmonth,value\n2023-08,100\n2023-09,101\n")])
    with pytest.raises(MissingRate) as exc:
        calculate(IlLinkage(), LateDebt("1", ils(1000), date(2023, 9, 30)), date(2023, 10, 20), book)
    assert exc.value.table == "il_linked_interest" and exc.value.day == date(2023, 10, 1)


# s.7 as a closed form: with an index that only rises, each year's amount is the last one's
# × (index at the year's end / index at its start) × (1 + rate × days / 365), so the whole is
# principal × (last index / first index) × Π over the years of (1 + rate × days / 365).


@settings(max_examples=40, deadline=None)
@given(principal=st.integers(min_value=1, max_value=10_000_000),
       years=st.integers(min_value=1, max_value=4),
       rate=st.decimals(min_value=D("0.1"), max_value=D("12"), places=2),
       rises=st.lists(st.decimals(min_value=D("0"), max_value=D("8"), places=3), min_size=4, max_size=4))
def test_s7_is_the_closed_form_of_yearly_addition(principal, years, rate, rises):
    first = 2017
    values, v = [], D(100)
    for r in [D(0), *rises]:
        v = v * (1 + r / 100)
        values.append(v)
    cpi = "".join(f"{first - 1 + i}-11,{values[i]}\n" for i in range(5))
    book = RateBook.of([
        parse_table("# name: il_cpi\n# kind: index\n# base: t\n# source: t\nmonth,value\n" + cpi),
        parse_table("# name: il_linked_interest\n# kind: rate\n# source: t\n"
                    f"effective_from,percent,effective_to\n{first}-01-01,{rate},{first + 3}-12-31\n")])
    # due 31 Dec 2016: interest from 1 Jan 2017 to 31 Dec of the last year
    r = calculate(IlLinkage(), LateDebt("1", ils(principal), date(first - 1, 12, 31)),
                  date(first + years - 1, 12, 31), book)
    factor = values[years] / values[0]
    for y in range(first, first + years):
        days = (date(y + 1, 1, 1) - date(y, 1, 1)).days     # 2020 is a leap year: 366 days
        factor *= 1 + rate * days / D(36500)
    expected = ils(D(principal) * factor)
    assert abs((r.principal + r.total).amount - expected.amount) <= D("0.01")

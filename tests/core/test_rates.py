"""Rate and index tables: parsing with line-level errors, lookups, missing figures, import."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from gvia.core.errors import ValidationFailed
from gvia.core.rates import IndexTable, MissingRate, RateBook, RateRow, RateTable, add_months, merge_tables, parse_table
from gvia.rates import SHIPPED_FILES, shipped_book, shipped_table

HISTORY = """\
# name: test_base
# kind: rate
# title: Test base rate
# source: test source
# complete_through: 2024-12-31
effective_from,percent
2023-01-10,1.00
2023-06-01,1.50
2024-03-01,2.25%
"""

QUARTERS = """\
# name: test_quarters
# kind: rate
# source: quarterly notices
effective_from,percent,effective_to,source
2024-01-01,4.0,2024-03-31,notice A
2024-04-01,5.0,2024-06-30,notice B
2024-10-01,6.0,2024-12-31,
"""

CPI = """\
# name: test_cpi
# kind: index
# base: test base = 100
# source: illustrative values, not real figures
month,value,published_on
2023-12,100.0,
2024-01,100.4,
2024-02,100.8,2024-03-17
"""


def test_history_table_lookups():
    t = parse_table(HISTORY, "hist.csv")
    assert isinstance(t, RateTable)
    assert t.title == "Test base rate"
    assert t.rate_on(date(2023, 1, 10)) == D("1.00")          # the day it took effect
    assert t.rate_on(date(2023, 5, 31)) == D("1.00")          # the day before the next
    assert t.rate_on(date(2023, 6, 1)) == D("1.50")
    assert t.rate_on(date(2024, 12, 31)) == D("2.25")         # last day known complete
    assert t.row_on(date(2024, 5, 5)).source == "test source"  # row source defaults to table's


def test_before_first_and_after_complete_through_are_missing():
    t = parse_table(HISTORY, "hist.csv")
    with pytest.raises(MissingRate) as exc:
        t.rate_on(date(2023, 1, 9))
    assert exc.value.table == "test_base" and exc.value.day == date(2023, 1, 9)
    assert "2023-01-10" in str(exc.value) and "gvia rates import" in str(exc.value)
    with pytest.raises(MissingRate) as exc:
        t.rate_on(date(2025, 1, 1))
    assert "complete only through 2024-12-31" in str(exc.value)


def test_period_table_has_gaps_that_are_missing():
    t = parse_table(QUARTERS)
    assert t.rate_on(date(2024, 2, 29)) == D("4.0")
    assert t.row_on(date(2024, 5, 1)).source == "notice B"
    assert t.row_on(date(2024, 11, 1)).source == "quarterly notices"
    for gap in (date(2024, 7, 1), date(2024, 9, 30), date(2025, 1, 1)):
        with pytest.raises(MissingRate):
            t.rate_on(gap)


def test_changes_between():
    t = parse_table(QUARTERS)
    assert t.changes_between(date(2024, 2, 1), date(2024, 12, 31)) == [
        date(2024, 4, 1), date(2024, 7, 1), date(2024, 10, 1)]
    h = parse_table(HISTORY)
    assert h.changes_between(date(2023, 6, 1), date(2024, 3, 1)) == [date(2024, 3, 1)]


def test_index_known_on_the_15th_of_the_next_month():
    t = parse_table(CPI)
    assert isinstance(t, IndexTable)
    # the December 2023 index is published on 15 January 2024
    assert t.known_on(date(2024, 1, 15)).month == date(2023, 12, 1)
    assert t.known_on(date(2024, 2, 14)).value == D("100.0")
    assert t.known_on(date(2024, 2, 15)).value == D("100.4")
    # February's index came out late (17 March): on 15-16 March January's is still the last known
    assert t.known_on(date(2024, 3, 16)).month == date(2024, 1, 1)
    assert t.known_on(date(2024, 3, 17)).value == D("100.8")


def test_index_missing_when_the_expected_month_is_not_on_file():
    t = parse_table(CPI)
    with pytest.raises(MissingRate) as exc:
        t.known_on(date(2024, 4, 15))  # the March index should be out by now
    assert "2024-03" in str(exc.value) and exc.value.table == "test_cpi"
    with pytest.raises(MissingRate):
        t.known_on(date(2024, 1, 14))  # November 2023 is not on file


def test_errors_name_line_and_column():
    bad = """\
# name: x
# kind: rate
# source: s
# complete_through: 2024-13-01
effective_from,percent,colour
2024-01-01,abc,red
01/02/2024,1.0,blue
"""
    with pytest.raises(ValidationFailed) as exc:
        parse_table(bad, "bad.csv")
    found = {(p.row, p.field) for p in exc.value.problems}
    assert (4, "complete_through") in found
    assert (5, "colour") in found
    assert (6, "percent") in found
    assert (7, "effective_from") in found
    assert all(p.source == "bad.csv" for p in exc.value.problems)


def test_required_headers_and_open_end_needs_complete_through():
    with pytest.raises(ValidationFailed) as exc:
        parse_table("# kind: rate\neffective_from,percent\n2024-01-01,1\n")
    fields = {p.field for p in exc.value.problems}
    assert {"name", "source"} <= fields
    with pytest.raises(ValidationFailed) as exc:
        parse_table("# name: x\n# kind: rate\n# source: s\neffective_from,percent\n2024-01-01,1\n")
    assert [p.field for p in exc.value.problems] == ["complete_through"]


def test_overlap_and_duplicates_are_refused():
    overlap = QUARTERS.replace("2024-04-01,5.0", "2024-03-15,5.0")
    with pytest.raises(ValidationFailed) as exc:
        parse_table(overlap, "q.csv")
    assert exc.value.problems[0].row == 6 and exc.value.problems[0].field == "effective_from"
    dup = HISTORY.replace("2023-06-01", "2023-01-10")
    with pytest.raises(ValidationFailed):
        parse_table(dup)


def test_index_cannot_be_published_before_its_month_ends():
    with pytest.raises(ValidationFailed) as exc:
        parse_table(CPI.replace("2024-02,100.8,2024-03-17", "2024-02,100.8,2024-02-20"))
    assert exc.value.problems[0].field == "published_on"


def test_merge_import_replaces_same_day_and_extends():
    base = parse_table(HISTORY)
    update = parse_table("""\
# name: test_base
# kind: rate
# source: user import
# complete_through: 2025-06-30
effective_from,percent
2024-03-01,2.50
2025-02-01,2.00
""")
    merged = merge_tables(base, update)
    assert merged.rate_on(date(2024, 3, 1)) == D("2.50")
    assert merged.row_on(date(2024, 3, 1)).source == "user import"
    assert merged.rate_on(date(2023, 7, 1)) == D("1.50")
    assert merged.rate_on(date(2025, 6, 30)) == D("2.00")
    with pytest.raises(ValidationFailed):
        merge_tables(base, parse_table(QUARTERS))  # another table


def test_book_refuses_unknown_tables():
    book = RateBook.of([parse_table(HISTORY)])
    assert book.rates("test_base").rate_on(date(2023, 2, 1)) == D("1.00")
    with pytest.raises(MissingRate) as exc:
        book.rates("no_such")
    assert exc.value.table == "no_such"
    with pytest.raises(MissingRate):
        book.index("test_base")  # a rate table is not an index


def test_direct_construction_checks_itself():
    with pytest.raises(ValidationFailed):
        RateTable("x", "s", (RateRow(date(2024, 1, 1), D(1)),))  # open end, no complete_through


def test_add_months_clamps_month_ends():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert add_months(date(2024, 1, 31), 2, 31) == date(2024, 3, 31)
    assert add_months(date(2024, 3, 15), -3) == date(2023, 12, 15)


# --- the shipped tables -------------------------------------------------------------------


def test_shipped_tables_parse():
    book = shipped_book()
    assert len(book.tables) == len(SHIPPED_FILES)
    # the CPI ships only the months found in stored copies, on base average 2022 = 100
    cpi = book.index("il_cpi")
    assert cpi.base == "average 2022 = 100"
    assert (cpi.rows[0].month, cpi.rows[-1].month) == (date(2025, 12, 1), date(2026, 5, 1))
    assert all("price-120010-coef.json" in r.source for r in cpi.rows)


@pytest.mark.parametrize("day,expected", [
    # Bank of England Bank Rate changes (Bank of England, Official Bank Rate history)
    (date(2008, 12, 31), "2.00"),   # cut to 2% on 4 Dec 2008
    (date(2016, 6, 30), "0.50"),    # 0.5% from 5 Mar 2009 to 3 Aug 2016
    (date(2020, 6, 30), "0.10"),    # cut to 0.1% on 19 Mar 2020
    (date(2022, 12, 31), "3.50"),   # raised to 3.5% on 15 Dec 2022
    (date(2023, 6, 30), "5.00"),    # raised to 5% on 22 Jun 2023
    (date(2023, 12, 31), "5.25"),   # raised to 5.25% on 3 Aug 2023
    (date(2024, 12, 31), "4.75"),   # cut to 4.75% on 7 Nov 2024
    (date(2025, 6, 30), "4.25"),    # cut to 4.25% on 8 May 2025
    (date(2025, 12, 31), "3.75"),   # cut to 3.75% on 18 Dec 2025
    (date(2026, 3, 19), "3.75"),    # held on 5 Feb and 19 Mar 2026 (hedgwatch.com, pakbanker.com)
])
def test_shipped_boe_rates(day, expected):
    assert shipped_table("gb_boe_base_rate.csv").rate_on(day) == D(expected)


@pytest.mark.parametrize("day,expected", [
    # ECB main refinancing operations rate (ECB, key interest rates), on 1 Jan / 1 Jul
    (date(2009, 1, 1), "2.50"),
    (date(2016, 7, 1), "0.00"),
    (date(2023, 1, 1), "2.50"),
    (date(2024, 7, 1), "4.25"),   # cut to 4.25% with effect from 12 Jun 2024
    (date(2025, 1, 1), "3.15"),   # 3.15% from 18 Dec 2024
    (date(2025, 7, 1), "2.15"),   # 2.15% from 11 Jun 2025
    (date(2026, 1, 1), "2.15"),
])
def test_shipped_ecb_rates(day, expected):
    assert shipped_table("eu_ecb_mro_rate.csv").rate_on(day) == D(expected)


def test_shipped_tables_stop_where_knowledge_stops():
    with pytest.raises(MissingRate):
        shipped_table("gb_boe_base_rate.csv").rate_on(date(2026, 3, 20))  # next MPC not on file
    with pytest.raises(MissingRate):
        shipped_table("eu_ecb_mro_rate.csv").rate_on(date(2026, 7, 1))
    for name in ("il_arrears_interest.csv", "il_linked_interest.csv"):
        with pytest.raises(MissingRate):  # the snapshot of the history ends with 2023 Q3
            shipped_table(name).rate_on(date(2023, 10, 1))
        with pytest.raises(MissingRate):
            shipped_table(name).rate_on(date(2025, 1, 1))
    with pytest.raises(MissingRate):
        shipped_table("il_arrears_interest.csv").rate_on(date(2003, 3, 31))
    with pytest.raises(MissingRate):
        shipped_table("il_linked_interest.csv").rate_on(date(1993, 5, 31))


# The Accountant General's notices printed in Yalkut HaPirsumim (5765 p. 2561: 1 April -
# 30 June 2005, "ריבית צמודה" 3.1%, "ריבית פיגורים" 9.6%; 5767 p. 2629: 1 April - 30 June 2007,
# 4% and 10.5%): an independent check of the rate-history snapshot the tables come from.
@pytest.mark.parametrize("day,linked,arrears", [
    (date(2005, 4, 1), "3.1", "9.6"),
    (date(2005, 6, 30), "3.1", "9.6"),
    (date(2007, 4, 1), "4.0", "10.5"),
    (date(2007, 6, 30), "4.0", "10.5"),
])
def test_shipped_israeli_rates_match_the_published_notices(day, linked, arrears):
    assert shipped_table("il_linked_interest.csv").rate_on(day) == D(linked)
    assert shipped_table("il_arrears_interest.csv").rate_on(day) == D(arrears)
    assert "Yalkut HaPirsumim" in shipped_table("il_linked_interest.csv").row_on(day).source


def test_shipped_israeli_rates_cover_every_quarter_from_2003_to_2023():
    linked = shipped_table("il_linked_interest.csv")
    arrears = shipped_table("il_arrears_interest.csv")
    quarter = date(2003, 4, 1)
    while quarter <= date(2023, 7, 1):
        a, li = arrears.row_on(quarter), linked.row_on(quarter)
        # one rate per calendar quarter, and arrears interest is always linked + 6.5 points
        assert a.effective_from == li.effective_from == quarter
        assert (a.effective_to, li.effective_to) == (add_months(quarter, 3) - timedelta(days=1),) * 2
        assert a.percent - li.percent == D("6.5"), quarter
        assert a.source and li.source
        quarter = add_months(quarter, 3)
    assert linked.rate_on(date(2003, 3, 31)) == D("4.0")  # Interest Order 5753-1993


def test_late_index_needs_the_month_before_it():
    # February came out late (17 March); on 16 March January is the last known - and if
    # January is not on file, that is a missing figure, not December's index
    gap = parse_table(CPI.replace("2024-01,100.4,\n", ""))
    with pytest.raises(MissingRate) as exc:
        gap.known_on(date(2024, 3, 16))
    assert "2024-01" in str(exc.value)


def test_importing_the_cpi_into_an_empty_table():
    empty = IndexTable(name="il_cpi", source="nothing yet", base="", rows=())
    book = RateBook.of([empty]).with_table(parse_table(CPI.replace("# name: test_cpi", "# name: il_cpi")))
    assert book.index("il_cpi").base == "test base = 100"
    assert book.index("il_cpi").known_on(date(2024, 2, 15)).value == D("100.4")
    # once it holds values, an index on another base is refused
    other = parse_table(CPI.replace("# name: test_cpi", "# name: il_cpi")
                        .replace("test base = 100", "another base"))
    with pytest.raises(ValidationFailed):
        book.with_table(other)

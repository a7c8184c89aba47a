"""The Israeli downloads in their publishers' layouts (gvia.core.rate_downloads): the CBS CPI JSON
and the Accountant General's rate history workbook (as rows of cells)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from gvia.core.errors import ValidationFailed
from gvia.core.rate_downloads import base_name, cpi_from_cbs, rates_from_accountant_general, table_csv
from gvia.core.rates import parse_table


def entry(year: int, month: int, base: str, value: float, prev: list[tuple[str, float]] = ()) -> dict:
    """One month as the CBS API gives it (layout of the stored response
    github.com/reuvenaor/israel-statistics-mcp src/__tests__/fixtures/price-120010-coef.json)."""
    e: dict = {"year": year, "month": month, "percent": 0.1, "percentYear": 2.0,
               "currBase": {"baseDesc": base, "value": value}, "monthDesc": "x"}
    if prev:
        e["prevBase"] = [{"coeff": 1.0, "baseDesc": b, "value": v} for b, v in prev]
    return e


def cbs(*entries: dict, code: int = 120010) -> dict:
    return {"month": [{"code": code, "name": "Consumer Price Index - General", "date": list(entries)}],
            "quarter": None, "paging": {"total_items": len(entries), "next_url": None}}


# December 2025 and May 2026 exactly as the stored response gives them (values on Average 2024, and
# on Average 2022 in prevBase); an older month published on Average 2022 alone.
MAY_2026 = entry(2026, 5, "Average 2024", 104.8, [("Average 2022", 112.5552), ("Average 2020", 119.1959568)])
DEC_2025 = entry(2025, 12, "Average 2024", 103.6, [("Average 2022", 111.2664), ("Average 2020", 117.8311176)])
NOV_2024 = entry(2024, 11, "Average 2022", 107.37)      # an illustrative value on the older base


def test_the_newest_base_by_default_and_an_older_month_through_the_file_s_own_factor():
    t = cpi_from_cbs(cbs(MAY_2026, DEC_2025, NOV_2024), "cpi.json")
    assert t.name == "il_cpi" and t.base == "average 2024 = 100"
    by = {r.month: r for r in t.rows}
    assert by[date(2026, 5, 1)].value == D("104.8")
    assert by[date(2026, 5, 1)].published_on == date(2026, 6, 15)     # the 15th of the next month
    # November 2024 is on Average 2022: the factor the file shows (May 2026: 104.8 / 112.5552)
    assert by[date(2024, 11, 1)].value == D("107.37") * D("104.8") / D("112.5552")
    assert by[date(2024, 11, 1)].note == "published on base average 2022 = 100: 107.37"
    assert "cpi.json" in t.source


def test_the_base_in_use_is_kept():
    t = cpi_from_cbs(cbs(MAY_2026, NOV_2024), "cpi.json", base_in_use="average 2022 = 100")
    by = {r.month: r.value for r in t.rows}
    assert by == {date(2026, 5, 1): D("112.5552"), date(2024, 11, 1): D("107.37")}


def test_a_month_whose_base_the_file_cannot_reach_is_named():
    plain_may = entry(2026, 5, "Average 2024", 104.8)          # downloaded without coef=true
    with pytest.raises(ValidationFailed) as exc:
        cpi_from_cbs(cbs(plain_may, NOV_2024), "cpi.json")
    [p] = exc.value.problems
    assert (p.row, p.code, p.params["month"]) == (2, "cbs_base_not_in_file", "2024-11")


def test_only_the_general_cpi_and_named_bad_entries():
    with pytest.raises(ValidationFailed) as exc:
        cpi_from_cbs(cbs(MAY_2026, code=120020), "other.json")
    assert exc.value.problems[0].code == "cbs_not_the_cpi"
    with pytest.raises(ValidationFailed) as exc:
        cpi_from_cbs({"something": 1}, "x.json")
    assert exc.value.problems[0].code == "cbs_not_price_json"
    bad = entry(2026, 13, "Average 2024", 100.0)
    no_value = {"year": 2026, "month": 4, "currBase": {"baseDesc": "Average 2024", "value": None}}
    with pytest.raises(ValidationFailed) as exc:
        cpi_from_cbs(cbs(MAY_2026, bad, no_value, MAY_2026), "x.json")
    assert [(p.row, p.code) for p in exc.value.problems] == [
        (2, "rate_file_not_a_month"), (3, "cbs_no_value"), (4, "index_month_twice")]


def test_base_names():
    assert base_name("Average 2022") == base_name("ממוצע 2022") == "average 2022 = 100"


# The Accountant General's workbook: first sheet, row 1 the title, row 2 "תאריך | ריבית", then
# one row per change, DD/MM/YYYY, oldest first (stored downloads in github.com/yonatanKreiner/
# actuar-services interest-calculator/assets/interest.xlsx, illegal-interest.xlsx).
LINKED = [(1, ["ריבית צמודה", ""]), (2, ["תאריך", "ריבית"]),
          (3, ["01/04/2023", "2.05"]), (4, ["02/04/2023", "2.05"]), (5, ["01/07/2023", "2.23"])]


def test_the_accountant_general_s_rate_history():
    t = rates_from_accountant_general(LINKED, "interest.xlsx")
    assert t.name == "il_linked_interest"
    # each rate runs to the day before the next; the last to the end of its quarter
    assert [(r.effective_from, r.effective_to, r.percent) for r in t.rows] == [
        (date(2023, 4, 1), date(2023, 4, 1), D("2.05")), (date(2023, 4, 2), date(2023, 6, 30), D("2.05")),
        (date(2023, 7, 1), date(2023, 9, 30), D("2.23"))]
    assert t.rate_on(date(2023, 9, 30)) == D("2.23")
    # kept as gvia CSV, read back to the same figures
    again = parse_table(table_csv(t), "interest.xlsx")
    assert [(r.effective_from, r.effective_to, r.percent, r.source) for r in again.rows] == [
        (r.effective_from, r.effective_to, r.percent, r.source) for r in t.rows]
    arrears = rates_from_accountant_general([(1, ["ריבית פיגורים צמודה"]), (2, ["תאריך", "ריבית"]),
                                             (3, ["01/07/2023", "8.73"])], "illegal-interest.xlsx")
    assert arrears.name == "il_arrears_interest" and arrears.rows[0].effective_to == date(2023, 9, 30)


def test_a_bad_workbook_names_its_row_and_column():
    with pytest.raises(ValidationFailed) as exc:
        rates_from_accountant_general([(1, ["ריבית שקלית"]), (2, ["תאריך", "ריבית"])], "shekel.xlsx")
    assert exc.value.problems[0].code == "ag_unknown_title"
    rows = LINKED[:2] + [(3, ["31/02/2023", "2.05"]), (4, ["01/07/2023", "two"])]
    with pytest.raises(ValidationFailed) as exc:
        rates_from_accountant_general(rows, "interest.xlsx")
    assert [(p.row, p.field, p.code) for p in exc.value.problems] == [
        (3, "תאריך", "ag_not_a_date"), (4, "ריבית", "rate_file_not_a_number")]

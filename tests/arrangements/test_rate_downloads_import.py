"""`gvia rates import` with the Israeli downloads as they are downloaded: the Accountant General's
rate history workbook and the CBS's CPI JSON; kept as gvia CSV; one organization's imports are
not another's."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D

import openpyxl
import pytest

from gvia.core.errors import ValidationFailed
from gvia.services.context import resolve
from gvia.services.legal import rates
from gvia.services.org.organizations import init_organization
from gvia.store.models import RateImport

pytestmark = pytest.mark.django_db


def ag_workbook(path, title: str, rows: list[tuple[str, str]], suffix: str = ".xlsx"):
    """A workbook in the layout of the Accountant General's download (ga.mof.gov.il/api/rate/
    history/N, as stored in github.com/yonatanKreiner/actuar-services interest-calculator/assets):
    sheet "My Worksheet", A1 the title, row 2 the headers, then DD/MM/YYYY and the rate as text."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "My Worksheet"
    ws.append([title])
    ws.append(["תאריך", "ריבית"])
    for day, pct in rows:
        ws.append([day, pct])
    f = path / f"rate-history{suffix}"
    wb.save(f)
    return f


def test_the_accountant_general_s_workbook_fills_the_missing_quarters(ctx, tmp_path):
    # the shipped linked table ends with 2023 Q3; the download's rows from 2023 Q3 on (made-up
    # rates for the later quarters: this tests the layout, not the figures)
    f = ag_workbook(tmp_path, "ריבית צמודה", [("01/07/2023", "2.23"), ("01/10/2023", "2.5"), ("01/01/2024", "2.6")])
    row = rates.import_table(ctx, f)
    assert (row.name, row.kind, row.rows) == ("il_linked_interest", "rate", 3)
    assert row.text.startswith("# name: il_linked_interest\n")       # kept as gvia CSV
    table = rates.rate_book(ctx).rates("il_linked_interest")
    assert table.rate_on(date(2023, 11, 1)) == D("2.5")
    assert table.rate_on(date(2024, 3, 31)) == D("2.6")            # the last row: to the end of its quarter
    assert "rate-history.xlsx" in table.row_on(date(2024, 1, 1)).source


def test_an_xlsx_download_named_xls_is_read_as_what_it_is(ctx, tmp_path):
    f = ag_workbook(tmp_path, "ריבית פיגורים צמודה", [("01/10/2023", "9.0")], suffix=".xls")
    assert rates.import_table(ctx, f).name == "il_arrears_interest"


def test_a_bad_workbook_is_refused_with_its_row_and_nothing_is_kept(ctx, tmp_path):
    f = ag_workbook(tmp_path, "ריבית צמודה", [("01/10/2023", "2.5"), ("1.1.2024", "2.6")])
    with pytest.raises(ValidationFailed) as exc:
        rates.import_table(ctx, f)
    assert [(p.row, p.field, p.code) for p in exc.value.problems] == [(4, "תאריך", "ag_not_a_date")]
    assert not RateImport.objects.exists()


def test_the_cbs_json_on_the_base_in_use_and_sealed_from_another_organization(ctx, tmp_path):
    # November 2024 published on Average 2022 (the shipped table's base); May 2026 as stored
    data = {"month": [{"code": 120010, "name": "Consumer Price Index - General", "date": [
        {"year": 2024, "month": 11, "currBase": {"baseDesc": "Average 2022", "value": 107.37}},
        {"year": 2024, "month": 10, "currBase": {"baseDesc": "Average 2022", "value": 107.4}},
    ]}], "paging": {}}
    f = tmp_path / "price.json"
    f.write_text(json.dumps(data), encoding="utf-8")
    row = rates.import_table(ctx, f)
    assert (row.name, row.kind, row.rows) == ("il_cpi", "index", 2)
    cpi = rates.rate_book(ctx).index("il_cpi")
    assert cpi.base == "average 2022 = 100"
    assert {r.month: r.value for r in cpi.rows}[date(2024, 11, 1)] == D("107.37")
    assert len(cpi.rows) == 8                                      # the 6 shipped months kept beside them
    # another organization sees the shipped table only
    org = init_organization("Other Ltd", country="IL", admin_email="owner@other.co.il",
                            admin_password="Gvia-test-2026!")
    other = resolve(org.slug, "owner@other.co.il")
    assert len(rates.rate_book(other).index("il_cpi").rows) == 6
    assert [t["imports"] for t in rates.show(other) if t["name"] == "il_cpi"] == [[]]


def test_a_cpi_on_another_base_replaces_the_shipped_months_but_not_an_import(ctx, tmp_path):
    f = tmp_path / "cpi.csv"
    f.write_text("# name: il_cpi\n# kind: index\n# base: average 2020 = 100\n# source: test\n"
                 "month,value\n2021-01,100.1\n", encoding="utf-8")
    rates.import_table(ctx, f)
    assert [r.month for r in rates.rate_book(ctx).index("il_cpi").rows] == [date(2021, 1, 1)]
    g = tmp_path / "cpi2.csv"
    g.write_text("# name: il_cpi\n# kind: index\n# base: average 2022 = 100\n# source: test\n"
                 "month,value\n2023-01,100.1\n", encoding="utf-8")
    with pytest.raises(ValidationFailed):
        rates.import_table(ctx, g)

"""A report as a file a spreadsheet opens (issue 17): CSV and XLSX (openpyxl), every cell through
the safe-cell rule (:func:`gvia.core.cells.safe_cell`). The headers are the caller's words (each
edge words the columns in its reader's language); values are written as values: a month as
``YYYY-MM``, money as its amount (numeric in XLSX) — the currency is a column of its own in every
report that has money —, days and percents as numbers, codes as they are."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from gvia.core.cells import csv_writer, safe_row
from gvia.core.money import Money

from .reports import Report, plain


def _cell(value: Any, numeric: bool) -> Any:
    if isinstance(value, Money):
        return value.amount if numeric else str(value.amount)
    if isinstance(value, Decimal):
        return value if numeric else str(value)
    return plain(value)


def to_csv(report: Report, headers: Sequence[str]) -> str:
    out = io.StringIO()
    w = csv_writer(out, lineterminator="\n")
    w.writerow(list(headers))
    for row in report.rows:
        w.writerow([_cell(v, numeric=False) for v in row])
    return out.getvalue()


def to_xlsx(report: Report, headers: Sequence[str], title: str = "") -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None              # a new workbook has its first sheet
    ws.title = (title or report.name)[:31]
    ws.append(safe_row(headers))
    for row in report.rows:
        ws.append(safe_row(_cell(v, numeric=True) for v in row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

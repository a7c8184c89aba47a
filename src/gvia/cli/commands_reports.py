"""report NAME: the collection reports (issue 17; :mod:`gvia.services.ledger.reports`).

``gvia report dso|cei|aging_trend|collected_vs_overdue|promise_kept_rate|plan_success_rate|reasons
[--from D] [--to D] [--format table|json|csv|xlsx] [--output FILE]`` — the months from ``--from``'s
(default: eleven months before ``--to``'s) to ``--to``'s (default: today). XLSX is written to
``--output`` (required for it); the others print, or go to ``--output`` when it is given.
"""

from __future__ import annotations

import json
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer

from .app import app
from .output import Format as TableFormat
from .output import console, print_rows
from .parsing import date_option, day_option
from .state import context
from .words import column, t, value_text


class ReportFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


def _shown(column: str, value: Any) -> Any:
    """A value in a table cell: months as YYYY-MM, money as its amount, codes worded."""
    from gvia.core.money import Money
    from gvia.services.ledger.reports import plain

    if value is None:
        return "—"
    if isinstance(value, Money):
        return str(value.amount)
    if column == "reason":
        return t(f"nonpayment.{value}") if value != "unknown" else t("report.reason_unknown")
    if column == "collector" and not value:
        return t("report.unassigned")
    return plain(value)


@app.command()
def report(
    name: str = typer.Argument(..., help="dso, cei, aging_trend, collected_vs_overdue, promise_kept_rate, "
                                         "plan_success_rate or reasons"),
    start: Optional[str] = typer.Option(None, "--from", help="The first month (a day in it); default 11 months back"),
    end: Optional[str] = typer.Option(None, "--to", help="The last day; default today"),
    fmt: ReportFormat = typer.Option(ReportFormat.table, "--format"),
    output: Optional[Path] = typer.Option(None, "--output", help="Write to this file (required for xlsx)"),
) -> None:
    """A collection report, by month."""
    if fmt == ReportFormat.xlsx and output is None:
        raise typer.BadParameter(t("report.xlsx_needs_output"))
    ctx = context()
    from gvia.services.ledger import report_files, reports

    last = day_option(ctx, end, "--to")
    first = date_option(start, "--from") or date(last.year - (last.month < 12), (last.month % 12) + 1, 1)
    found = reports.report(ctx, name, first, last)
    worded = [column(c) for c in found.columns]
    title = t("report.title", name=t(f"report.name.{found.name}"), start=value_text(first), end=value_text(last))
    if fmt == ReportFormat.xlsx:
        assert output is not None
        output.write_bytes(report_files.to_xlsx(found, worded, t(f"report.name.{found.name}")))
        console.print(t("report.written", file=str(output)), highlight=False, markup=False)
        return
    if output is not None:
        text = (json.dumps(reports.as_json(found), ensure_ascii=False, indent=2) if fmt == ReportFormat.json
                else report_files.to_csv(found, worded))
        output.write_text(text, encoding="utf-8")
        console.print(t("report.written", file=str(output)), highlight=False, markup=False)
        return
    if fmt == ReportFormat.csv:
        typer.echo(report_files.to_csv(found, worded), nl=False)
        return
    rows = [[_shown(c, v) for c, v in zip(found.columns, row)] for row in found.rows]
    print_rows(list(found.columns), rows,
               TableFormat.json if fmt == ReportFormat.json else TableFormat.table,
               title=title, json_data=reports.as_json(found))

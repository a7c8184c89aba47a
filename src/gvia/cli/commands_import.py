"""`gvia import customers|invoices|payments FILE`."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from .main import app
from .parsing import day_option
from .output import Format, console, print_json
from .progress import progress_bar
from .state import context


class ImportKind(str, Enum):
    customers = "customers"
    invoices = "invoices"
    payments = "payments"


def parse_columns(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items or []:
        fieldname, eq, header = item.partition("=")
        if not eq or not fieldname.strip() or not header.strip():
            raise typer.BadParameter(f"--column takes FIELD=HEADER, got {item!r}")
        out[fieldname.strip()] = header.strip()
    return out


@app.command("import")
def import_cmd(
    kind: ImportKind = typer.Argument(..., help="What the file holds"),
    file: Path = typer.Argument(..., help="CSV (UTF-8, UTF-8 with BOM, Windows-1255) or XLSX/XLS/ODS"),
    column: Optional[List[str]] = typer.Option(None, "--column", help="FIELD=HEADER, repeatable"),
    date_format: Optional[str] = typer.Option(None, "--date-format", help="strptime format, e.g. %d/%m/%Y"),
    full: bool = typer.Option(False, "--full", help="The file is the whole list of open invoices"),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check and report; write nothing"),
    preset: Optional[str] = typer.Option(None, "--preset", help="Use a saved column mapping"),
    save_preset: Optional[str] = typer.Option(None, "--save-preset", help="Save this mapping under a name"),
    today: Optional[str] = typer.Option(None, "--today", help="Date of the import (default: today)"),
    fmt: Format = typer.Option(Format.table, "--format"),
) -> None:
    """Import a file. All-or-nothing: one bad row rejects the file and nothing is written."""
    ctx = context()
    from gvia.services.ledger.imports import import_file

    with progress_bar() as prog:
        report = import_file(ctx, kind.value, file, today=day_option(ctx, today, "--today"),
                             columns=parse_columns(column), date_format=date_format, preset=preset, full=full,
                             dry_run=dry_run, save_as=save_preset, progress=prog)
    if fmt == Format.json:
        print_json(report.as_dict())
        return
    verb = "Would import" if dry_run else "Imported"
    console.print(f"{verb} {report.file}: {report.rows} rows — {report.created} new, {report.updated} updated, "
                  f"{report.unchanged} unchanged" + (f", {report.closed} closed as settled outside gvia"
                                                     if full else "")
                  + (f"; {report.customers_created} new customers" if report.customers_created and kind.value != "customers" else ""),
                  highlight=False)
    for line in report.changes[:50]:
        console.print(f"  changed: {line}", highlight=False, markup=False)
    if len(report.changes) > 50:
        console.print(f"  … and {len(report.changes) - 50} more changes", highlight=False)
    if report.closed_numbers:
        console.print("  closed: " + ", ".join(report.closed_numbers[:100]), highlight=False, markup=False)

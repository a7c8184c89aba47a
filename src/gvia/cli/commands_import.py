"""`gvia import customers|invoices|payments FILE` (and `statement`, `unified`: their own modules).

Services, the store and Django are imported inside each command: they need django.setup(),
which :func:`gvia.cli.state.context` does first, and `gvia --help` starts without them.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from .app import app
from .output import Format, console, print_json
from .parsing import day_option
from .progress import progress_bar
from .state import context
from .words import t


class ImportKind(str, Enum):
    customers = "customers"
    invoices = "invoices"
    payments = "payments"
    statement = "statement"
    unified = "unified"


def parse_columns(items: list[str] | None) -> dict[str, str]:
    """`--column FIELD=HEADER` given any number of times (None: not given)."""
    out = {}
    for item in items or []:
        fieldname, eq, header = item.partition("=")
        if not eq or not fieldname.strip() or not header.strip():
            raise typer.BadParameter(t("bad.column", value=repr(item)))
        out[fieldname.strip()] = header.strip()
    return out


@app.command("import")
def import_cmd(
    kind: ImportKind = typer.Argument(..., help="What the file holds"),
    file: Path = typer.Argument(..., help="CSV (UTF-8, UTF-8 with BOM, Windows-1255) or XLSX/XLS/ODS; "
                                "unified: the folder or zip holding INI.TXT and BKMVDATA.TXT"),
    column: Optional[List[str]] = typer.Option(None, "--column", help="FIELD=HEADER, repeatable"),
    date_format: Optional[str] = typer.Option(None, "--date-format", help="strptime format, e.g. %d/%m/%Y"),
    full: bool = typer.Option(False, "--full", help="The file is the whole list of open invoices"),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check and report; write nothing"),
    preset: Optional[str] = typer.Option(None, "--preset", help="Use a saved column mapping"),
    save_preset: Optional[str] = typer.Option(None, "--save-preset", help="Save this mapping under a name"),
    today: Optional[str] = typer.Option(None, "--today", help="Date of the import (default: today)"),
    create_customers: bool = typer.Option(False, "--create-customers",
                                          help="Payments: create the customers the file names that gvia does not know"),
    negative_as_credit_notes: bool = typer.Option(False, "--negative-as-credit-notes",
                                                  help="Invoices: a negative row with no kind is a credit note"),
    bank: Optional[str] = typer.Option(None, "--bank", help="Statement: the bank's export layout "
                                       "(hapoalim, leumi, discount, mizrahi, fibi)"),
    account: str = typer.Option("", "--account", help="Statement: the account, when the file does not say it"),
    decimal_comma: bool = typer.Option(False, "--decimal-comma", help="Statement: amounts written 2500,00"),
    fmt: Format = typer.Option(Format.table, "--format"),
) -> None:
    """Import a file. All-or-nothing: one bad row rejects the file and nothing is written."""
    if kind == ImportKind.statement:   # a bank statement, matched to invoices (issue 18)
        from .commands_statements import import_statement
        return import_statement(file, bank, parse_columns(column), date_format, account, decimal_comma, dry_run, fmt)
    if kind == ImportKind.unified:   # the Tax Authority's unified export, מבנה אחיד (issue 18)
        from .commands_unified import import_unified
        return import_unified(file, today, dry_run, fmt)
    ctx = context()
    from gvia.services.ledger.imports import import_file

    with progress_bar() as prog:
        report = import_file(ctx, kind.value, file, today=day_option(ctx, today, "--today"),
                             columns=parse_columns(column), date_format=date_format, preset=preset, full=full,
                             dry_run=dry_run, save_as=save_preset, progress=prog, create_customers=create_customers,
                             negative_as_credit_notes=negative_as_credit_notes)
    if fmt == Format.json:
        print_json(report.as_dict())
        return
    said = t("import.dry_run" if dry_run else "import.done", file=report.file, rows=report.rows,
             created=report.created, updated=report.updated, unchanged=report.unchanged)
    if full:
        said += t("import.closed", closed=report.closed)
    if report.customers_created and kind.value != "customers":
        said += t("import.customers_created", n=report.customers_created)
    console.print(said, highlight=False)
    for line in report.changes[:50]:
        console.print(t("import.changed", change=line), highlight=False, markup=False)
    if len(report.changes) > 50:
        console.print(t("import.more_changes", n=len(report.changes) - 50), highlight=False)
    if report.closed_numbers:
        console.print(t("import.closed_list", numbers=", ".join(report.closed_numbers[:100])), highlight=False,
                      markup=False)

"""`gvia import unified FOLDER_OR_ZIP`: the Tax Authority's unified export (מבנה אחיד), issue 18.

The service (:mod:`gvia.services.ledger.unified`) reads the export, imports its customers,
invoices and credit notes, and receipts through the CSV import's service, and returns each
part's report with what the export left out; it is worded here from the cli catalog.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from .output import Format, console, print_json
from .parsing import day_option
from .state import context
from .words import t


def import_unified(path: Path, today: Optional[str], dry_run: bool, fmt: Format) -> None:
    ctx = context()
    from gvia.services.ledger.unified import import_unified as service

    report = service(ctx, path, today=day_option(ctx, today, "--today"), dry_run=dry_run)
    if fmt == Format.json:
        print_json(report.as_dict())
        return

    def say(text: str) -> None:
        console.print(text, highlight=False, markup=False)

    say(t("unified.read", file=report.file, business=report.business, vat=report.vat_number,
          charset=report.charset))
    for part in report.parts:
        say(t(f"unified.part.{part.kind}") + ": " + t("unified.counts", rows=part.rows, created=part.created,
                                                        updated=part.updated, unchanged=part.unchanged))
    say(t("unified.dry_run" if dry_run else "unified.done", invoices=report.invoices,
          credit_notes=report.credit_notes, payments=report.payments))
    for code, count in sorted(report.left_types.items()):
        say(t("unified.left_type", type=code, n=count))
    if report.cancelled:
        say(t("unified.cancelled", n=report.cancelled))
    if report.replaced:
        say(t("unified.replaced", n=report.replaced))
    if report.other_accounts:
        say(t("unified.other_accounts", n=report.other_accounts))
    if not report.allocation_numbers_in_file:
        say(t("unified.no_allocation_numbers"))

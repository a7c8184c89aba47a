"""Bulk upserts of customers, invoices and payments (issue 18), through the imports themselves.

The rows a program sends are the rows of an import file: their fields are the import's canonical
fields (:data:`gvia.imports.fields.FIELDS`; ``gvia import --help`` lists them), written to a
tab-separated file under a temporary folder with those names as its header and given to
:func:`gvia.services.ledger.imports.import_file` — the same parsing, checks, identity of a row
(a payment's reference, an invoice's number), all-or-nothing transaction, ledger recompute,
counted-once rule for money a bank line recorded, and audit as a file imported by a person. One
bad row changes nothing; the answer names each problem's row (its index in ``rows``, from 0) and
field. A tab or a line break in a value is refused before (:func:`gvia.api.common._no_control`),
so a row is one line of the file, and no value can be taken for another column.
"""

from __future__ import annotations

import csv
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from gvia.imports.fields import FIELDS
from gvia.services import clock
from gvia.services.ledger import imports
from gvia.services.ledger.imports import ImportReport

from .common import KeyCtx

#: The file's first data row: its header is row 1 (as a person counts a spreadsheet's rows).
FIRST_ROW = 2


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, Decimal, int)):
        return str(value)
    return str(value)


def upsert(request: Any, ctx: KeyCtx, kind: str, rows: list[dict], *, dry_run: bool = False, full: bool = False,
           create_customers: bool = False, negative_as_credit_notes: bool = False) -> dict:
    """Import ``rows`` (dicts of canonical fields, None for blank) as a ``kind`` file; the import's
    report as counts (its ``changes`` are English lines for people, left out here)."""
    fields = [f for f in FIELDS[kind] if any(r.get(f) not in (None, "") for r in rows)]
    request.gvia_first_row = FIRST_ROW      # the errors' rows become the rows' indexes (gvia.api.errors)
    with tempfile.TemporaryDirectory(prefix="gvia-api-") as folder:
        path = Path(folder) / f"api-{kind}.tsv"
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, delimiter="\t", lineterminator="\n")
            writer.writerow(fields)
            for r in rows:
                writer.writerow([_cell(r.get(name)) for name in fields])
        report: ImportReport = imports.import_file(
            ctx, kind, path, today=clock.org_today(ctx.org), columns={f: f for f in fields}, full=full,
            dry_run=dry_run, create_customers=create_customers, negative_as_credit_notes=negative_as_credit_notes)
    out = report.as_dict()
    out.pop("changes", None)
    out.pop("file", None)
    return out

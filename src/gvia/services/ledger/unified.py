"""Importing the Tax Authority's unified export (מבנה אחיד): `gvia import unified FOLDER_OR_ZIP` (issue 18).

The export is read and checked whole first (``gvia.imports.unified``: INI.TXT's header and
character set, BKMVDATA.TXT's records, every problem naming the file, the line and the field),
then its customers, invoices and credit notes, and payments go through the same service as a
CSV import (:func:`gvia.services.ledger.imports.import_rows`: the same plans, checks and bulk
writes, the ledger recomputed, an ``ImportRun`` for each), in that order and in one transaction:
a problem anywhere — in the export or in what gvia holds (an invoice number another customer
has) — writes nothing. Importing the same export again changes nothing: customers are found by
their key, invoices by their number and kind, payments by their reference
(``<type>-<number>/<line>``). A payment that a bank line already recorded is linked to it, not
counted twice (``import_rows`` → ``statements.absorb_recorded``); a bank line that comes after a
receipt is linked to the receipt's payment by the matcher (``core/matching.py``, money already
recorded).

Version 1.31 has no allocation number: the report says so (``allocation_numbers_in_file`` is
False), and invoices that need one wait for a person (``core/allocation.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction

from gvia.core.errors import FieldProblem, ValidationFailed
from gvia.imports.unified import ALLOCATION_NUMBER_FIELD, read_export, to_rows
from gvia.imports.unified.layout import CHARSET_NAMES
from gvia.services.context import Ctx
from gvia.services.ledger.imports import MAX_PROBLEMS, ImportReport, import_rows, known_invoices_only

#: The CSV import's field names in the problems its plans find, as the unified files name them.
_FIELDS = {
    "invoices": {"invoice_number": "C100 1204", "customer_ref": "C100 1225", "applies_to": "D110 1257"},
    "payments": {"invoice_number": "D120 1304", "reference": "D120 1304", "customer_ref": "C100 1225"},
    "customers": {"customer_ref": "C100 1225"},
}


@dataclass
class UnifiedReport:
    """What an export imported: each part's report, the export's own figures, what it left."""

    file: str
    charset: str
    business: str
    vat_number: str
    documents: int = 0
    invoices: int = 0
    credit_notes: int = 0
    payments: int = 0
    parts: list[ImportReport] = field(default_factory=list)
    left_types: dict[int, int] = field(default_factory=dict)
    cancelled: int = 0
    replaced: int = 0
    other_accounts: int = 0
    allocation_numbers_in_file: bool = ALLOCATION_NUMBER_FIELD is not None
    dry_run: bool = False

    def as_dict(self) -> dict:
        out = {k: getattr(self, k) for k in ("file", "charset", "business", "vat_number", "documents", "invoices",
                                             "credit_notes", "payments", "cancelled", "replaced", "other_accounts",
                                             "allocation_numbers_in_file", "dry_run")}
        out["left_types"] = {str(k): v for k, v in sorted(self.left_types.items())}
        out["parts"] = [p.as_dict() for p in self.parts]
        return out


def _renamed(exc: ValidationFailed, kind: str) -> ValidationFailed:
    names = _FIELDS[kind]
    problems = [FieldProblem(p.row, names.get(p.field, p.field), p.value, p.message, p.source,
                             place="record_field" if p.field in names else p.place, code=p.code, params=p.params)
                for p in exc.problems]
    return ValidationFailed(problems, exc.summary, code=exc.code, **exc.params)


def import_unified(ctx: Ctx, path: Path | str, *, today: date, dry_run: bool = False) -> UnifiedReport:
    """Import the export at ``path`` (a folder holding INI.TXT and BKMVDATA.TXT, or a zip of
    it). Raises ValidationFailed (nothing written) listing the problems; ``dry_run`` reads,
    checks and plans everything and writes nothing."""
    ctx.require("collector", "importing")
    export = read_export(path)
    rows, problems = to_rows(export)
    if problems:
        raise ValidationFailed(problems[:MAX_PROBLEMS], f"{export.source}: {len(problems)} problem(s)",
                               code="file_problems", file=export.source, n=len(problems))
    if not (rows.customers or rows.invoices or rows.payments):
        raise ValidationFailed([FieldProblem(None, "", "", "no invoice, credit note or receipt", export.source,
                                             code="file_no_rows")],
                               f"{export.source}: nothing to import", code="file_nothing", file=export.source)
    report = UnifiedReport(file=export.source, charset=CHARSET_NAMES[export.header.charset],
                           business=export.header.business_name,
                           vat_number=export.header.vat_number, documents=sum(1 for d in export.documents),
                           invoices=sum(1 for r in rows.invoices if r.kind == "invoice"),
                           credit_notes=sum(1 for r in rows.invoices if r.kind == "credit_note"),
                           payments=len(rows.payments), left_types=rows.left_types, cancelled=rows.cancelled,
                           replaced=rows.replaced, other_accounts=rows.other_accounts, dry_run=dry_run)
    with transaction.atomic():
        for kind, part in (("customers", rows.customers), ("invoices", rows.invoices), ("payments", rows.payments)):
            if not part:
                continue
            if kind == "payments":
                part = known_invoices_only(ctx, part)
            try:
                # the payments' customers are this export's own, imported just before (or, in a
                # dry run, about to be)
                report.parts.append(import_rows(ctx, kind, export.source, part, today=today, digest=export.sha256,
                                                create_customers=(kind == "payments")))
            except ValidationFailed as exc:
                raise _renamed(exc, kind) from None
        if dry_run:
            for p in report.parts:
                p.dry_run = True
            transaction.set_rollback(True)
    return report

"""Importing customers, invoices and payments from CSV/XLSX files.

All-or-nothing: every row is parsed and checked first; one bad row rejects the whole file with a
problem per bad value (file, row, column, value) and nothing is written. (The first big invoice
file of an organization is written batch by batch as it is parsed, inside one transaction that
a bad row anywhere rolls back: the same answer, without holding a million rows in memory.)
Re-importing the same file changes nothing; an updated file updates what changed and says so.
Bulk writes go through ``gvia.store.import_store``.
"""

from __future__ import annotations

import gc
import hashlib
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable

from django.db import transaction

from gvia.core.errors import FieldProblem, RefusedFor, ValidationFailed
from gvia.imports.batches import parse_batches, read_changed
from gvia.imports.mapping import build_mapping
from gvia.imports.rows import RowParser
from gvia.imports.tables import Table, read_table
from gvia.services import audit
from gvia.services.context import Ctx
from gvia.services.ledger import books as ledger
from gvia.store import import_store
from gvia.store.models import ImportRun, Invoice, MappingPreset

KINDS = ("customers", "invoices", "payments")
MAX_PROBLEMS = 1000


@dataclass
class ImportReport:
    kind: str
    file: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    customers_created: int = 0
    changes: list[str] = field(default_factory=list)
    closed_numbers: list[str] = field(default_factory=list)
    dry_run: bool = False

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("kind", "file", "rows", "created", "updated", "unchanged", "closed",
                                              "customers_created", "changes", "closed_numbers", "dry_run")}


Progress = Callable[[str, int, int | None], None] | None  # (phase, advance, total)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def load_preset(ctx: Ctx, kind: str, name: str) -> MappingPreset:
    preset = MappingPreset.objects.filter(organization=ctx.org, kind=kind, name=name).first()
    if preset is None:
        known = tuple(MappingPreset.objects.filter(organization=ctx.org, kind=kind).values_list("name", flat=True))
        raise RefusedFor("preset_unknown", f"no saved mapping preset {name!r} for {kind}", preset=name,
                         known=known)
    return preset


def save_preset(ctx: Ctx, kind: str, name: str, columns: dict[str, str], date_format: str | None) -> MappingPreset:
    preset, _ = MappingPreset.objects.update_or_create(
        organization=ctx.org, kind=kind, name=name,
        defaults={"columns": dict(columns), "date_format": date_format or ""})
    audit.record(ctx, "import.preset_saved", preset, kind=kind, name=name, columns=columns)
    return preset


def _open(ctx: Ctx, kind: str, path: Path, columns: dict[str, str] | None, date_format: str | None,
          preset: str | None, negative_as_credit_notes: bool = False) -> tuple[Table, RowParser]:
    """The file's table and the parser of its rows (header mapping, preset, date format)."""
    if kind not in KINDS:
        raise RefusedFor("import_kind_unknown", f"no import kind {kind!r}", kinds=tuple(KINDS))
    path = Path(path)
    if not path.exists():
        raise RefusedFor("import_no_file", f"{path}: no such file", file=str(path))
    preset_columns = None
    if preset:
        p = load_preset(ctx, kind, preset)
        preset_columns = dict(p.columns)
        date_format = date_format or (p.date_format or None)
    table = read_table(path)
    mapping = build_mapping(kind, table.headers, dict(columns or {}), preset_columns)
    return table, RowParser(kind, mapping, country=ctx.org.country, date_format=date_format,
                            default_currency=ctx.org.default_currency, source=table.source,
                            negative_as_credit_notes=negative_as_credit_notes)


def parse_file(ctx: Ctx, kind: str, path: Path, columns: dict[str, str] | None = None,
               date_format: str | None = None, preset: str | None = None, progress: Progress = None,
               negative_as_credit_notes: bool = False):
    """Read and check every row. Returns the typed rows; raises ValidationFailed listing every problem."""
    table, parser = _open(ctx, kind, path, columns, date_format, preset, negative_as_credit_notes)
    rows: list = []
    problems: list[FieldProblem] = []
    for good, bad, bad_count in parse_batches(table, parser):
        rows.extend(good)
        _keep_problems(problems, bad)
        if progress:
            progress("read", len(good) + bad_count, None)
    _refuse_bad_or_empty(table.source, problems, rows)
    return table.source, rows


def _keep_problems(problems: list[FieldProblem], bad: list[list[FieldProblem]]) -> None:
    """Each bad row's problems, up to MAX_PROBLEMS."""
    for found in bad:
        if len(problems) < MAX_PROBLEMS:
            problems.extend(found)


def _refuse_bad_or_empty(source: str, problems: list[FieldProblem], rows: list | dict) -> None:
    if problems:
        raise ValidationFailed(problems, f"{source}: {len(problems)} problem(s)", code="file_problems",
                               file=source)
    if not rows:
        raise ValidationFailed([FieldProblem(None, "", "", "no data rows", source, code="file_no_rows")],
                               f"{source}: nothing to import", code="file_nothing", file=source)


def _read_invoices(table: Table, parser: RowParser, known: dict[int, int], progress: Progress
                   ) -> tuple[list, list, dict[int, int]]:
    """An invoice file's rows that are not as gvia last imported them (``known``: the stored
    digests, see imports/digests.py), each row's digest, and the invoice id -> row number of
    those skipped as unchanged. Raises ValidationFailed listing every bad row."""
    rows: list = []
    digests: list = []
    unchanged: dict[int, int] = {}
    problems: list[FieldProblem] = []
    for good, bad, bad_count, found_digests, skipped in read_changed(table, parser, known):
        rows += good
        digests += found_digests
        unchanged.update(skipped)
        _keep_problems(problems, bad)
        if progress:
            progress("read", len(good) + bad_count + len(skipped), None)
    _refuse_bad_or_empty(table.source, problems, rows or unchanged)
    return rows, digests, unchanged


@contextmanager
def _no_cycle_collection():
    """Pause Python's cyclic garbage collector: a large file makes millions of small tuples,
    and each automatic collection walks all of them (a third of the parse time of a million
    rows). An import makes no reference cycles worth collecting early; the collector runs
    again as usual afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def import_file(ctx: Ctx, kind: str, path: Path, *, today: date, columns: dict[str, str] | None = None,
                date_format: str | None = None, preset: str | None = None, full: bool = False,
                dry_run: bool = False, save_as: str | None = None, progress: Progress = None,
                create_customers: bool = False, negative_as_credit_notes: bool = False) -> ImportReport:
    """Import one file. Raises ValidationFailed (nothing written) when any row is bad.
    ``create_customers``: a payments file may create the customers it names that gvia does not
    know (refused row by row otherwise). ``negative_as_credit_notes``: an invoices file's negative
    rows with no kind are credit notes (refused row by row otherwise)."""
    with _no_cycle_collection():
        return _import_file(ctx, kind, path, today=today, columns=columns, date_format=date_format,
                            preset=preset, full=full, dry_run=dry_run, save_as=save_as, progress=progress,
                            create_customers=create_customers, negative_as_credit_notes=negative_as_credit_notes)


# A file at least this large (about 50,000 invoice rows) into an organization with no invoices yet
# is written batch by batch as it is parsed (gvia.imports.batches): the first import of a big
# business, which then never holds all of its rows in memory.
STREAM_FROM_BYTES = 5_000_000


def _first_big_import(ctx: Ctx, kind: str, path: Path, dry_run: bool) -> bool:
    return (kind == "invoices" and not dry_run and Path(path).exists()
            and Path(path).stat().st_size >= STREAM_FROM_BYTES
            and not Invoice.objects.filter(organization=ctx.org).exists())


def _import_file(ctx: Ctx, kind: str, path: Path, *, today: date, columns: dict[str, str] | None,
                 date_format: str | None, preset: str | None, full: bool, dry_run: bool, save_as: str | None,
                 progress: Progress, create_customers: bool, negative_as_credit_notes: bool) -> ImportReport:
    ctx.require("collector", "importing")
    if full and kind != "invoices":
        raise RefusedFor("import_full_invoices_only", "--full applies to invoice files")
    if kind == "invoices":
        return _import_invoice_file(ctx, path, today=today, columns=columns, date_format=date_format, preset=preset,
                                    full=full, dry_run=dry_run, save_as=save_as, progress=progress,
                                    negative_as_credit_notes=negative_as_credit_notes)
    source, rows = parse_file(ctx, kind, path, columns, date_format, preset, progress, negative_as_credit_notes)
    return import_rows(ctx, kind, source, rows, today=today, digest=_sha256(Path(path)), full=full, dry_run=dry_run,
                       create_customers=create_customers, progress=progress, columns=columns,
                       date_format=date_format, save_as=save_as)


def _import_invoice_file(ctx: Ctx, path: Path, *, today: date, columns: dict[str, str] | None,
                         date_format: str | None, preset: str | None, full: bool, dry_run: bool,
                         save_as: str | None, progress: Progress, negative_as_credit_notes: bool) -> ImportReport:
    """An invoice file: the rows unchanged since gvia last imported them are skipped unread
    (imports/digests.py); the first big file of an organization is written as it is read."""
    kind = "invoices"
    table, parser = _open(ctx, kind, path, columns, date_format, preset, negative_as_credit_notes)
    if _first_big_import(ctx, kind, path, dry_run):
        with transaction.atomic():
            # about 130 bytes a row in a typical export: decides whether to rebuild indexes after
            expected = Path(path).stat().st_size // 130
            with closing(read_changed(table, parser, {})) as batches:
                plan, touched = import_store.write_first_invoices(
                    ctx.org, batches, table.source, expected_rows=expected, max_problems=MAX_PROBLEMS,
                    progress=progress)
            report = ImportReport(kind=kind, file=table.source, rows=plan.rows)
            plan.fill_report(report)
            _finish(ctx, kind, _sha256(Path(path)), report, plan, touched, columns, date_format, save_as, progress)
        return report
    rows, digests, unchanged = _read_invoices(table, parser, import_store.stored_digests(ctx.org), progress)
    return import_rows(ctx, kind, table.source, rows, today=today, digest=_sha256(Path(path)), full=full,
                       dry_run=dry_run, progress=progress, columns=columns, date_format=date_format,
                       save_as=save_as, row_digests=digests, unchanged=unchanged)


def known_invoices_only(ctx: Ctx, rows: list) -> list:
    """Payment rows from another program's documents (the unified export's receipts, Morning's):
    a payment names the invoice it paid only when gvia holds that invoice — a receipt of last
    year's invoice, never imported, is allocated by the ledger (oldest first) instead of refusing
    the whole import."""
    named = sorted({r.invoice_number for r in rows if r.invoice_number})
    known: set[str] = set()
    for i in range(0, len(named), 500):
        known.update(Invoice.objects.filter(organization=ctx.org, kind="invoice", number__in=named[i:i + 500])
                     .values_list("number", flat=True))
    return [r if not r.invoice_number or r.invoice_number in known else replace(r, invoice_number=None) for r in rows]


def import_rows(ctx: Ctx, kind: str, source: str, rows: list, *, today: date, digest: str, full: bool = False,
                dry_run: bool = False, create_customers: bool = False, progress: Progress = None,
                columns: dict[str, str] | None = None, date_format: str | None = None,
                save_as: str | None = None, row_digests: list | None = None,
                unchanged: dict[int, int] | None = None) -> ImportReport:
    """Plan and write rows already read and checked — a file's after :func:`parse_file`, or the
    unified export's (``services/ledger/unified.py``). All-or-nothing: raises ValidationFailed
    (nothing written) when a row cannot be imported (a number twice, another customer's invoice).
    ``digest``: the SHA-256 of what was read, for the import's record. Invoice files only:
    ``row_digests``, each row's digest, and ``unchanged``, the rows skipped as unchanged
    (:func:`_read_invoices`)."""
    ctx.require("collector", "importing")
    if kind not in KINDS:
        raise RefusedFor("import_kind_unknown", f"no import kind {kind!r}", kinds=tuple(KINDS))
    report = ImportReport(kind=kind, file=source, rows=len(rows) + len(unchanged or ()), dry_run=dry_run)
    with transaction.atomic():
        if kind == "customers":
            plan = import_store.plan_customers(ctx.org, rows, source)
        elif kind == "invoices":
            plan = import_store.plan_invoices(ctx.org, rows, source, full=full, digests=row_digests,
                                              unchanged=unchanged)
        else:
            plan = import_store.plan_payments(ctx.org, rows, source, today=today, create_customers=create_customers)
        if plan.problems:
            raise ValidationFailed(plan.problems[:MAX_PROBLEMS], f"{source}: {len(plan.problems)} problem(s)",
                                   code="file_problems", file=source, n=len(plan.problems))
        plan.fill_report(report)
        if dry_run:
            return report
        touched = import_store.apply_plan(ctx.org, plan, progress=progress)
        if kind == "payments" and touched:   # a payment a bank line already recorded is counted once (issue 18)
            from gvia.services.ledger.statements import absorb_recorded
            absorb_recorded(ctx, touched)
        _finish(ctx, kind, digest, report, plan, touched, columns, date_format, save_as, progress)
    return report


def _finish(ctx: Ctx, kind: str, digest: str, report: ImportReport, plan: import_store.Plan, touched: set[int],
            columns: dict[str, str] | None, date_format: str | None, save_as: str | None, progress: Progress) -> None:
    """After the rows are written: statistics, the ledger of the customers touched, the import's record."""
    if len(plan.inserts) + plan.inserted + len(plan.new_customers) > 1000:
        import_store.refresh_statistics()
    if touched:
        needs_allocator = import_store.customers_needing_allocation(touched, kind, ctx.org.id)
        total = len(needs_allocator)
        ledger.recompute(ctx, needs_allocator,
                         progress=(lambda n: progress("ledger", n, total)) if progress else None)
    ImportRun.objects.create(
        organization=ctx.org, kind=kind, file_name=report.file, sha256=digest, rows=report.rows,
        created=report.created, updated=report.updated, unchanged=report.unchanged, closed=report.closed,
        summary={"changes": report.changes[:200], "closed": report.closed_numbers[:200],
                 "customers_created": report.customers_created},
        user=ctx.user if getattr(ctx.user, "pk", None) else None, at=datetime.now(timezone.utc))
    audit.record(ctx, f"import.{kind}", None, file=report.file, rows=report.rows, created=report.created,
                 updated=report.updated, closed=report.closed)
    if save_as:
        save_preset(ctx, kind, save_as, columns or {}, date_format)

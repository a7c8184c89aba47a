"""Importing customers, invoices and payments from CSV/XLSX files.

All-or-nothing: every row is parsed and checked first; one bad row rejects the whole file with a
problem per bad value (file, row, column, value) and nothing is written. Re-importing the same
file changes nothing; an updated file updates what changed and says so. Bulk writes go through
``gvia.store.import_store``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable

from django.db import transaction

from gvia.core.errors import FieldProblem, Refused, ValidationFailed
from gvia.core.money import Money
from gvia.imports.mapping import build_mapping
from gvia.imports.rows import RowParser
from gvia.imports.tables import read_table
from gvia.store import import_store
from gvia.store.models import ImportRun, MappingPreset

from . import audit, ledger
from .context import Ctx

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
        known = ", ".join(MappingPreset.objects.filter(organization=ctx.org, kind=kind).values_list("name", flat=True))
        raise Refused(f"no saved mapping preset {name!r} for {kind} (saved: {known or 'none'})")
    return preset


def save_preset(ctx: Ctx, kind: str, name: str, columns: dict[str, str], date_format: str | None) -> MappingPreset:
    preset, _ = MappingPreset.objects.update_or_create(
        organization=ctx.org, kind=kind, name=name,
        defaults={"columns": dict(columns), "date_format": date_format or ""})
    audit.record(ctx, "import.preset_saved", preset, kind=kind, name=name, columns=columns)
    return preset


def parse_file(ctx: Ctx, kind: str, path: Path, columns: dict[str, str] | None = None,
               date_format: str | None = None, preset: str | None = None, progress: Progress = None):
    """Read and check every row. Returns the typed rows; raises ValidationFailed listing every problem."""
    if kind not in KINDS:
        raise Refused(f"import kind must be one of {', '.join(KINDS)}")
    path = Path(path)
    if not path.exists():
        raise Refused(f"{path}: no such file")
    overrides = dict(columns or {})
    preset_columns = None
    if preset:
        p = load_preset(ctx, kind, preset)
        preset_columns = dict(p.columns)
        date_format = date_format or (p.date_format or None)
    table = read_table(path)
    mapping = build_mapping(kind, table.headers, overrides, preset_columns)
    parser = RowParser(kind, mapping, country=ctx.org.country, date_format=date_format,
                       default_currency=ctx.org.default_currency, source=table.source)
    rows, problems = [], []
    count = 0
    for rownum, values in table.rows:
        parsed, probs = parser.parse(rownum, values)
        if probs:
            if len(problems) < MAX_PROBLEMS:
                problems.extend(probs)
        elif parsed is not None:
            rows.append(parsed)
        count += 1
        if progress and count % 10000 == 0:
            progress("read", 10000, None)
    if progress:
        progress("read", count % 10000, None)
    if problems:
        raise ValidationFailed(problems, f"{table.source}: {len(problems)} problem(s) in the file; nothing was imported")
    if not rows:
        raise ValidationFailed([FieldProblem(None, "", "", "the file has no data rows", table.source)],
                               f"{table.source}: nothing to import")
    return table.source, rows


def import_file(ctx: Ctx, kind: str, path: Path, *, today: date, columns: dict[str, str] | None = None,
                date_format: str | None = None, preset: str | None = None, full: bool = False,
                dry_run: bool = False, save_as: str | None = None, progress: Progress = None) -> ImportReport:
    """Import one file. Raises ValidationFailed (nothing written) when any row is bad."""
    ctx.require("collector", "importing")
    if full and kind != "invoices":
        raise Refused("--full applies to invoice files (the whole list of open invoices)")
    source, rows = parse_file(ctx, kind, path, columns, date_format, preset, progress)
    report = ImportReport(kind=kind, file=source, rows=len(rows), dry_run=dry_run)
    with transaction.atomic():
        if kind == "customers":
            plan = import_store.plan_customers(ctx.org, rows, source)
        elif kind == "invoices":
            plan = import_store.plan_invoices(ctx.org, rows, source, full=full)
        else:
            plan = import_store.plan_payments(ctx.org, rows, source, today=today)
        if plan.problems:
            raise ValidationFailed(plan.problems[:MAX_PROBLEMS],
                                   f"{source}: {len(plan.problems)} problem(s) in the file; nothing was imported")
        plan.fill_report(report)
        if dry_run:
            return report
        touched = import_store.apply_plan(ctx.org, plan, progress=progress)
        if len(plan.inserts) + len(plan.new_customers) > 1000:
            import_store.refresh_statistics()
        if touched:
            needs_allocator = import_store.customers_needing_allocation(touched, kind)
            total = len(needs_allocator)
            ledger.recompute(ctx, needs_allocator,
                             progress=(lambda n: progress("ledger", n, total)) if progress else None)
        ImportRun.objects.create(
            organization=ctx.org, kind=kind, file_name=source, sha256=_sha256(Path(path)), rows=report.rows,
            created=report.created, updated=report.updated, unchanged=report.unchanged, closed=report.closed,
            summary={"changes": report.changes[:200], "closed": report.closed_numbers[:200],
                     "customers_created": report.customers_created},
            user=ctx.user if getattr(ctx.user, "pk", None) else None, at=datetime.now(timezone.utc))
        audit.record(ctx, f"import.{kind}", None, file=source, rows=report.rows, created=report.created,
                     updated=report.updated, closed=report.closed)
        if save_as:
            save_preset(ctx, kind, save_as, columns or {}, date_format)
    return report

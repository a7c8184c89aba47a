"""Rate tables in use: the ones gvia ships, with the user's imports laid over them.

``gvia rates import FILE`` reads a table in the CSV format of :mod:`gvia.core.rates`, or one of
the Israeli downloads as they are downloaded (:mod:`gvia.core.rate_downloads`): the Central
Bureau of Statistics' CPI JSON (a ``.json`` file) and the Accountant General's rate history
workbook (``.xlsx``/``.xls``, read with :func:`gvia.imports.tables.read_table`, first sheet). A
download is kept as the gvia CSV it became (its source names the file). Every row is checked,
every mistake reported with its line (nothing stored when one is wrong); the import checks
that it fits over the table of the same name already in use (an imported period may not
overlap a shipped one; an index must stay on one base), and keeps its text as a
:class:`~gvia.store.models.RateImport` of the organization. :func:`rate_book` lays the
imports over the shipped tables in the order they were imported
(:meth:`gvia.core.rates.RateBook.with_table`: a row for the same day replaces the older
one). ``gvia rates show`` lists what is in use, with sources and up to when each is known.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

from django.db import transaction

from gvia.core.errors import FieldProblem, NotFound, NotFoundFor, ValidationFailed
from gvia.core.rate_downloads import cpi_from_cbs, rates_from_accountant_general, table_csv
from gvia.core.rates import IL_CPI, IndexTable, RateBook, RateTable, parse_table
from gvia.rates import shipped_book
from gvia.services import audit, clock
from gvia.services.context import Ctx
from gvia.store.models import RateImport

__all__ = ["rate_book", "import_table", "show", "show_table"]


def rate_book(ctx: Ctx) -> RateBook:
    """The shipped tables with the organization's imports laid over them, oldest import first
    (:func:`_lay`)."""
    book = shipped_book()
    for file_name, text in (RateImport.objects.filter(organization=ctx.org).order_by("imported_at", "id")
                            .values_list("file_name", "text")):
        book = _lay(book, parse_table(text, origin=file_name))
    return book


def _lay(book: RateBook, table: RateTable | IndexTable) -> RateBook:
    """``table`` laid over the one of its name in ``book``. An index on another base than the
    *shipped* one (no index imported over it yet) takes its place whole: the few shipped months
    cannot be mixed with it, and an import is the user's choice of base. Otherwise the rules of
    :func:`gvia.core.rates.merge_tables` (an index on another base than an imported one is
    refused)."""
    current = book.tables.get(table.name)
    if isinstance(table, IndexTable) and isinstance(current, IndexTable) and current.base != table.base \
            and current == shipped_book().tables.get(table.name):
        return RateBook({**book.tables, table.name: table})
    return book.with_table(table)


def import_table(ctx: Ctx, path: Path | str, now: datetime | None = None) -> RateImport:
    """Check a rate or index table file and keep it (see the module docstring). Owners only:
    the figures decide what customers are asked to pay."""
    ctx.require("owner", "importing a rate table")
    now = now or clock.now_utc()
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise NotFound(f"cannot read {p}: {exc.strerror or exc}") from None
    table: RateTable | IndexTable
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):     # a workbook: the Accountant General's
        table, text = _from_workbook(p)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationFailed([FieldProblem(None, "file", p.name, "not UTF-8 text", code="file_not_utf8")],
                                   f"{p.name} is not UTF-8 text", code="file_problems", file=p.name) from None
        if p.suffix.lower() == ".json" or text.lstrip().startswith("{"):    # the CBS's CPI
            table, text = _from_cbs_json(ctx, p.name, text)
        else:
            table = parse_table(text, origin=p.name)
    with transaction.atomic():
        _lay(rate_book(ctx), table)   # refuses a table that does not fit over the one in use
        row = RateImport.objects.create(organization=ctx.org, name=table.name, kind=table.kind, file_name=p.name,
                                        sha256=hashlib.sha256(data).hexdigest(), text=text, rows=len(table.rows),
                                        imported_by=ctx.actor, imported_at=now)
        audit.record(ctx, "rates.imported", row, name=table.name, kind=table.kind, file=p.name, rows=len(table.rows),
                     sha256=row.sha256)
    return row


def _from_cbs_json(ctx: Ctx, name: str, text: str) -> tuple[IndexTable, str]:
    """The CBS's CPI JSON as a table on the base of the CPI in use (if it holds figures)."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ValidationFailed([FieldProblem(None, "file", name, f"not JSON: {exc}", code="cbs_not_price_json")],
                               f"{name} is not JSON", code="rate_file_problems", file=name) from None
    in_use = rate_book(ctx).tables.get(IL_CPI)
    base = in_use.base if isinstance(in_use, IndexTable) and in_use.rows else None
    table = cpi_from_cbs(data, name, base)
    return table, table_csv(table, note=f"Converted by gvia from {name}.")


def _from_workbook(path: Path, name: str = "") -> tuple[RateTable, str]:
    """The Accountant General's rate history workbook (first sheet) as a table."""
    import tempfile

    from gvia.imports.tables import read_table  # only a workbook needs it

    if path.suffix.lower() == ".xls" and path.read_bytes().startswith(b"PK\x03\x04"):
        # the download is a workbook in the XLSX format under an .xls name: read it as what it is
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / f"{path.stem}.xlsx"
            copy.write_bytes(path.read_bytes())
            return _from_workbook(copy, path.name)
    sheet = read_table(path, header_row=1)
    rows: list[tuple[int, list[object]]] = [(sheet.header_row, list(sheet.headers))]
    rows += [(n, list(cells)) for n, cells in sheet.rows]
    name = name or path.name
    table = rates_from_accountant_general(rows, name)
    return table, table_csv(table, note=f"Converted by gvia from {name}.")


def _summary(table: RateTable | IndexTable) -> dict:
    out: dict = {"name": table.name, "kind": table.kind, "title": table.title, "source": table.source,
                 "rows": len(table.rows), "note": table.note}
    if isinstance(table, RateTable):
        out["first"] = table.rows[0].effective_from.isoformat() if table.rows else None
        last = table.rows[-1] if table.rows else None
        out["known_through"] = (table.complete_through.isoformat() if table.complete_through
                                else (last.effective_to.isoformat() if last and last.effective_to else None))
        out["latest"] = ({"from": last.effective_from.isoformat(), "percent": str(last.percent)} if last else None)
    else:
        out["base"] = table.base
        out["first"] = table.rows[0].month.strftime("%Y-%m") if table.rows else None
        out["known_through"] = table.rows[-1].month.strftime("%Y-%m") if table.rows else None
        out["latest"] = ({"month": table.rows[-1].month.strftime("%Y-%m"), "value": str(table.rows[-1].value)}
                         if table.rows else None)
    return out


def show(ctx: Ctx) -> list[dict]:
    """Every table in use: name, kind, source, rows, first and last figure, known through, and
    the imports laid over it."""
    ctx.require("viewer", "reading the rate tables")
    book = rate_book(ctx)
    imports: dict[str, list[dict]] = {}
    for r in RateImport.objects.filter(organization=ctx.org).order_by("imported_at", "id"):
        imports.setdefault(r.name, []).append({"file": r.file_name, "rows": r.rows, "by": r.imported_by,
                                               "at": r.imported_at.isoformat(timespec="seconds")})
    return [dict(_summary(book.tables[name]), imports=imports.get(name, [])) for name in sorted(book.tables)]


def show_table(ctx: Ctx, name: str) -> dict:
    """One table in use with all its rows."""
    ctx.require("viewer", "reading the rate tables")
    book = rate_book(ctx)
    table = book.tables.get(name)
    if table is None:
        raise NotFoundFor("rate_table_unknown", f"no rate table {name!r}", table=name, known=tuple(sorted(book.tables)))
    out = _summary(table)
    if isinstance(table, RateTable):
        out["figures"] = [{"from": r.effective_from.isoformat(), "to": r.effective_to.isoformat() if r.effective_to
                           else None, "percent": str(r.percent), "source": r.source} for r in table.rows]
    else:
        out["figures"] = [{"month": r.month.strftime("%Y-%m"), "value": str(r.value),
                           "published_on": r.published_on.isoformat(), "source": r.source} for r in table.rows]
    return out

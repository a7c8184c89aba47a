"""Rate tables: central-bank rates, statutory interest rates and price indices, as checked data.

Every figure the interest calculators use comes from a table that names its **source** and
the **date from which each figure applies**. gvia ships tables (``src/gvia/rates/*.csv``)
and the user brings them up to date with ``gvia rates import FILE``. A table never guesses:
asking for a date it does not cover raises :class:`MissingRate`, naming the table and the
date - never a silent zero, never a stale figure carried forward past what is known.

Two kinds of table
==================

**Rate tables** (``kind: rate``) hold a rate in percent per year with the day it took effect.
Two styles, which may be mixed:

* a *history of changes* (the Bank of England base rate, the ECB main refinancing rate):
  each row applies from ``effective_from`` until the day before the next row. Because the
  last row would otherwise run on for ever, such a table must say in its header up to which
  day it is known to be complete (``complete_through``); after that day the rate is missing.
* *rates by period* (Israel's rates under the Interest and Linkage Adjudication Law are set
  per quarter): each row has an ``effective_to`` (inclusive). A day between two periods, or
  after the last one, has no rate.

**Index tables** (``kind: index``) hold a price index per month (the Israeli CPI) with the
day each value was published. By default the index for month M is published on day 15 of
month M+1 (``published_day`` in the header changes the day; a ``published_on`` column gives
the real day of one row). :meth:`IndexTable.known_on` returns the **last index known on a
day** - the one the Interest and Linkage Adjudication Law uses - and raises
:class:`MissingRate` when the index that should have been published by then is not on file.
All values of one index table must be on the same base (CBS rebases the CPI from time to
time); the header says which (``base``).

Text format
===========

CSV with ``# key: value`` header lines before the column line. Blank lines and other
``#`` lines are ignored. Dates are ISO (``2024-06-30``), months ``2024-06``, numbers plain
decimals with a point (``5.25``; a percent sign is accepted). Example::

    # name: gb_boe_base_rate
    # kind: rate
    # title: Bank of England Bank Rate
    # source: Bank of England, Official Bank Rate history
    # complete_through: 2026-02-05
    effective_from,percent,effective_to,source
    2023-08-03,5.25,,
    2024-08-01,5.00,,

Header keys: ``name`` (required: lower case letters, digits and ``_``), ``kind`` (required:
``rate`` or ``index``), ``source`` (required), ``title``, ``unit``, ``note``,
``complete_through``, and for index tables ``base`` (required) and ``published_day``.
Columns: rate tables ``effective_from`` and ``percent`` (required), ``effective_to``,
``source``, ``note``; index tables ``month`` and ``value`` (required), ``published_on``,
``source``, ``note``. A row's ``source`` defaults to the table's.

:func:`parse_table` checks everything and raises :class:`ValidationFailed` with one
:class:`FieldProblem` per mistake; ``FieldProblem.row`` is the **line number in the text**
(counting from 1, header lines included) and ``field`` the column or header key.

Import
======

:func:`merge_tables` lays an imported table over the one already known (same name and
kind): an imported row replaces the row for the same day (or month) and adds the others,
and ``complete_through`` becomes the later of the two. :class:`RateBook` holds the tables in
use by name.
"""

from __future__ import annotations

import calendar as _cal
import csv
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Iterable, Mapping

from .errors import FieldProblem, GviaError, ValidationFailed

__all__ = [
    "MissingRate", "RateRow", "RateTable", "IndexRow", "IndexTable", "RateBook",
    "parse_table", "merge_tables", "add_months", "month_of",
    "GB_BOE_BASE_RATE", "EU_ECB_MRO_RATE", "IL_CPI", "IL_LINKED_INTEREST",
    "IL_ARREARS_INTEREST", "KINDS",
]

#: Names of the tables the calculators look for.
GB_BOE_BASE_RATE = "gb_boe_base_rate"
EU_ECB_MRO_RATE = "eu_ecb_mro_rate"
IL_CPI = "il_cpi"
IL_LINKED_INTEREST = "il_linked_interest"
IL_ARREARS_INTEREST = "il_arrears_interest"

KINDS = ("rate", "index")

_IMPORT_HINT = "bring the table up to date with `gvia rates import FILE`"
_ONE_DAY = timedelta(days=1)


class MissingRate(GviaError):
    """A calculation needs a figure that the table does not hold for that date.

    ``table`` is the table's name, ``day`` the date asked for (None when the whole table is
    missing). The message says what is on file and how to add what is not.
    """

    def __init__(self, table: str, day: date | None, detail: str = "", code: str = "", **params: object) -> None:
        self.table = table
        self.day = day
        # what the edges word (refusal.<code>): the table, the day and the detail's values
        self.code = code
        self.params: dict[str, object] = {"table": table, "day": day, **params}
        when = f" for {day.isoformat()}" if day is not None else ""
        text = f"no figure in rate table {table!r}{when}"
        if detail:
            text += f": {detail}"
        super().__init__(f"{text}; {_IMPORT_HINT}")


# --- small date helpers ----------------------------------------------------------------


def month_of(d: date) -> date:
    """The first day of ``d``'s month (months are represented by their first day)."""
    return d.replace(day=1)


def add_months(d: date, n: int, day: int | None = None) -> date:
    """``d`` moved by ``n`` calendar months, on day ``day`` (default ``d.day``), clamped
    to the last day of shorter months (31 January + 1 month = 28 or 29 February)."""
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    want = d.day if day is None else day
    return date(year, month, min(want, _cal.monthrange(year, month)[1]))


def _month_label(m: date) -> str:
    return f"{m.year:04d}-{m.month:02d}"


# --- rate tables -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RateRow:
    """One rate: ``percent`` per year from ``effective_from`` (until ``effective_to``
    inclusive when given, else until the next row)."""

    effective_from: date
    percent: Decimal
    effective_to: date | None = None
    source: str = ""
    note: str = ""
    line: int | None = None


@dataclass(frozen=True)
class RateTable:
    """A checked table of rates (see the module docstring). Rows are sorted and never
    overlap; build it with :func:`parse_table` or directly (it checks itself)."""

    name: str
    source: str
    rows: tuple[RateRow, ...]
    complete_through: date | None = None
    title: str = ""
    unit: str = "percent_per_year"
    note: str = ""

    kind = "rate"

    def __post_init__(self) -> None:
        rows = tuple(sorted(self.rows, key=lambda r: r.effective_from))
        rows = tuple(r if r.source else replace(r, source=self.source) for r in rows)
        object.__setattr__(self, "rows", rows)
        problems = _check_rate_rows(self.name, rows, self.complete_through)
        if problems:
            raise ValidationFailed(problems, f"rate table {self.name!r} is not consistent",
                                   code="rate_table_inconsistent", table=self.name)

    # --- lookups -----------------------------------------------------------------------
    def _index_of(self, day: date) -> int:
        lo, hi = 0, len(self.rows)
        while lo < hi:  # last row with effective_from <= day
            mid = (lo + hi) // 2
            if self.rows[mid].effective_from <= day:
                lo = mid + 1
            else:
                hi = mid
        return lo - 1

    def last_day_of(self, i: int) -> date | None:
        """The last day row ``i`` applies (None: open-ended, up to ``complete_through``)."""
        row = self.rows[i]
        if row.effective_to is not None:
            return row.effective_to
        if i + 1 < len(self.rows):
            return self.rows[i + 1].effective_from - _ONE_DAY
        return None

    def row_on(self, day: date) -> RateRow:
        """The row in force on ``day``; :class:`MissingRate` if the table does not cover it."""
        if not self.rows:
            raise MissingRate(self.name, day, "the table holds no rates yet", code="rate_table_empty")
        i = self._index_of(day)
        if i < 0:
            first = self.rows[0].effective_from.isoformat()
            raise MissingRate(self.name, day, f"the first rate on file applies from {first}", code="rate_before_first",
                              first=self.rows[0].effective_from)
        last = self.last_day_of(i)
        if last is not None and day > last:
            after = (f"; the next on file starts {self.rows[i + 1].effective_from.isoformat()}"
                     if i + 1 < len(self.rows) else "")
            raise MissingRate(self.name, day, f"the period {self.rows[i].effective_from.isoformat()}"
                              f" to {last.isoformat()} has ended{after}", code="rate_period_ended",
                              start=self.rows[i].effective_from, end=last)
        if last is None and (self.complete_through is None or day > self.complete_through):
            known = (self.complete_through.isoformat() if self.complete_through else "no date")
            raise MissingRate(self.name, day, f"the table is known to be complete only "
                              f"through {known}", code="rate_table_incomplete" if self.complete_through
                              else "rate_table_no_complete_date", through=self.complete_through)
        return self.rows[i]

    def rate_on(self, day: date) -> Decimal:
        """The rate in percent per year in force on ``day`` (see :meth:`row_on`)."""
        return self.row_on(day).percent

    def changes_between(self, first: date, last: date) -> list[date]:
        """Days in ``(first, last]`` on which the rate may change (a row starts or ends)."""
        days: set[date] = set()
        for i, row in enumerate(self.rows):
            if first < row.effective_from <= last:
                days.add(row.effective_from)
            end = self.last_day_of(i)
            if end is not None and first < end + _ONE_DAY <= last:
                days.add(end + _ONE_DAY)
        return sorted(days)


def _check_rate_rows(name: str, rows: tuple[RateRow, ...],
                     complete_through: date | None) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    for i, row in enumerate(rows):
        if not isinstance(row.percent, Decimal) or not row.percent.is_finite():
            problems.append(FieldProblem(row.line, "percent", str(row.percent),
                                         "a rate must be a Decimal", name, code="rate_not_a_number"))
        elif not Decimal(-100) <= row.percent <= Decimal(100):
            problems.append(FieldProblem(row.line, "percent", str(row.percent),
                                         "a rate must be between -100 and 100 percent", name,
                                         code="rate_out_of_range"))
        if row.effective_to is not None and row.effective_to < row.effective_from:
            problems.append(FieldProblem(row.line, "effective_to", row.effective_to.isoformat(),
                                         "ends before it starts", name, code="rate_ends_before_start"))
        previous_to = rows[i - 1].effective_to if i else None
        if i and rows[i - 1].effective_from == row.effective_from:
            problems.append(FieldProblem(row.line, "effective_from", row.effective_from.isoformat(),
                                         "two rates start on the same day", name, code="rate_same_start"))
        elif previous_to is not None and previous_to >= row.effective_from:
            problems.append(FieldProblem(row.line, "effective_from", row.effective_from.isoformat(),
                                         "overlaps the period before it, which ends "
                                         f"{previous_to.isoformat()}", name, code="rate_overlaps",
                                         params={"end": previous_to}))
    if rows and rows[-1].effective_to is None and complete_through is None:
        problems.append(FieldProblem(None, "complete_through", "",
                                     "the last rate has no end date, so the table must say up "
                                     "to which day it is complete (complete_through)", name,
                                     code="rate_needs_complete_through"))
    if rows and complete_through is not None and complete_through < rows[-1].effective_from:
        problems.append(FieldProblem(None, "complete_through", complete_through.isoformat(),
                                     "is before the last rate on file starts", name,
                                     code="rate_complete_before_last"))
    return problems


# --- index tables ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IndexRow:
    """The index value for ``month`` (its first day), published on ``published_on``."""

    month: date
    value: Decimal
    published_on: date
    source: str = ""
    note: str = ""
    line: int | None = None


@dataclass(frozen=True)
class IndexTable:
    """A checked monthly index (see the module docstring)."""

    name: str
    source: str
    base: str
    rows: tuple[IndexRow, ...]
    published_day: int = 15
    title: str = ""
    unit: str = "points"
    note: str = ""
    _by_month: dict[date, IndexRow] = field(init=False, default_factory=dict, compare=False, repr=False)

    kind = "index"

    def __post_init__(self) -> None:
        rows = tuple(sorted(self.rows, key=lambda r: r.month))
        rows = tuple(r if r.source else replace(r, source=self.source) for r in rows)
        object.__setattr__(self, "rows", rows)
        problems: list[FieldProblem] = []
        if not 1 <= self.published_day <= 28:
            problems.append(FieldProblem(None, "published_day", str(self.published_day),
                                         "must be a day between 1 and 28", self.name, code="index_published_day"))
        for i, row in enumerate(rows):
            if row.month.day != 1:
                problems.append(FieldProblem(row.line, "month", row.month.isoformat(),
                                             "a month is given by its first day", self.name,
                                             code="index_month_first_day"))
            if not isinstance(row.value, Decimal) or not row.value.is_finite() or row.value <= 0:
                problems.append(FieldProblem(row.line, "value", str(row.value),
                                             "an index value must be a positive Decimal", self.name,
                                             code="index_value_not_positive"))
            if row.published_on < add_months(month_of(row.month), 1, 1):
                problems.append(FieldProblem(row.line, "published_on", row.published_on.isoformat(),
                                             "an index cannot be published before its month "
                                             "has ended", self.name, code="index_published_early"))
            if i and rows[i - 1].month == row.month:
                problems.append(FieldProblem(row.line, "month", _month_label(row.month),
                                             "the same month twice", self.name, code="index_month_twice"))
        if problems:
            raise ValidationFailed(problems, f"index table {self.name!r} is not consistent",
                                   code="rate_table_inconsistent", table=self.name)
        object.__setattr__(self, "_by_month", {r.month: r for r in rows})

    def default_publication(self, month: date) -> date:
        """The day the index for ``month`` is normally published (``published_day`` of M+1)."""
        return add_months(month_of(month), 1, self.published_day)

    def expected_month(self, day: date) -> date:
        """The latest month whose index is normally published by ``day``."""
        m = add_months(month_of(day), -1, 1)
        return m if self.default_publication(m) <= day else add_months(m, -1, 1)

    def known_on(self, day: date) -> IndexRow:
        """The last index known (published) on ``day``.

        Raises :class:`MissingRate` when the index normally published by ``day`` is not on
        file (unless the table records that it came out later than usual) or when no index
        on file had been published by then.
        """
        by_month = self._by_month
        month = self.expected_month(day)
        for _ in range(3):  # a late publication makes the month before it the last known
            row = by_month.get(month)
            if row is None:
                raise MissingRate(self.name, day, f"the index for {_month_label(month)} "
                                  f"(normally published {self.default_publication(month).isoformat()})"
                                  " is not on file", code="index_not_on_file", month=_month_label(month),
                                  published=self.default_publication(month))
            if row.published_on <= day:
                return row
            month = add_months(month, -1, 1)
        raise MissingRate(self.name, day, "no index on file had been published by then", code="index_none_published")


# --- parsing -----------------------------------------------------------------------------

_NAME_RE = re.compile(r"[a-z][a-z0-9_]*")
_MONTH_RE = re.compile(r"(\d{4})-(\d{2})")
_HEADER_KEYS = {"name", "kind", "title", "unit", "source", "note", "complete_through",
                "base", "published_day"}
_COLUMNS = {
    "rate": ({"effective_from", "percent"}, {"effective_to", "source", "note"}),
    "index": ({"month", "value"}, {"published_on", "source", "note"}),
}


class _Collector:
    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.problems: list[FieldProblem] = []

    def add(self, line: int | None, field_name: str, value: str, message: str, *, code: str,
            **params: object) -> None:
        """A problem of the table's text: ``code`` and its values for the edges (``problem.<code>``),
        ``message`` the English for logs and tests."""
        self.problems.append(FieldProblem(line, field_name, value, message, self.origin, code=code, params=params))

    def day(self, line: int, field_name: str, text: str, required: bool = True) -> date | None:
        text = text.strip()
        if not text:
            if required:
                self.add(line, field_name, text, "a date is required (YYYY-MM-DD)", code="rate_file_date_required")
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.add(line, field_name, text, "not a date (write YYYY-MM-DD)", code="rate_file_not_a_date")
            return None

    def month(self, line: int, field_name: str, text: str) -> date | None:
        m = _MONTH_RE.fullmatch(text.strip())
        if m is None or not 1 <= int(m.group(2)) <= 12:
            self.add(line, field_name, text, "not a month (write YYYY-MM)", code="rate_file_not_a_month")
            return None
        return date(int(m.group(1)), int(m.group(2)), 1)

    def number(self, line: int, field_name: str, text: str) -> Decimal | None:
        t = text.strip().rstrip("%").strip()
        try:
            value = Decimal(t)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or not re.fullmatch(r"-?\d+(\.\d+)?", t):
            self.add(line, field_name, text, "not a number (write e.g. 5.25)", code="rate_file_not_a_number")
            return None
        return value


def _split_header(text: str, col: _Collector) -> tuple[dict[str, tuple[int, str]], list[tuple[int, str]]]:
    meta: dict[str, tuple[int, str]] = {}
    body: list[tuple[int, str]] = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line:
            continue
        if line.startswith("#"):
            content = line[1:].strip()
            m = re.fullmatch(r"([A-Za-z_]+)\s*:\s*(.*)", content)
            if m and not body:
                key = m.group(1).lower()
                if key not in _HEADER_KEYS:
                    col.add(n, key, m.group(2), f"unknown header key (known: "
                            f"{', '.join(sorted(_HEADER_KEYS))})", code="rate_file_unknown_header",
                            known=tuple(sorted(_HEADER_KEYS)))
                elif key in meta:
                    col.add(n, key, m.group(2), "given twice", code="rate_file_given_twice")
                else:
                    meta[key] = (n, m.group(2).strip())
            continue
        body.append((n, raw))
    return meta, body


def parse_table(text: str, origin: str = "") -> RateTable | IndexTable:
    """Read a rate or index table from its CSV text (format in the module docstring).

    ``origin`` names the text in error messages (a file name). Raises
    :class:`ValidationFailed` listing every problem, each with its line and column.
    """
    col = _Collector(origin)
    meta, body = _split_header(text, col)

    def header(key: str, required: bool = False) -> str:
        if key in meta:
            return meta[key][1]
        if required:
            col.add(1, key, "", f"the header line '# {key}: …' is required", code="rate_file_header_required",
                    key=key)
        return ""

    name = header("name", required=True)
    if name and not _NAME_RE.fullmatch(name):
        col.add(meta["name"][0], "name", name, "use lower case letters, digits and _", code="rate_file_name")
    kind = header("kind", required=True)
    if kind and kind not in KINDS:
        col.add(meta["kind"][0], "kind", kind, "must be 'rate' or 'index'", code="rate_file_kind")
        kind = ""
    source = header("source", required=True)
    complete_through = None
    if "complete_through" in meta:
        complete_through = col.day(meta["complete_through"][0], "complete_through",
                                   meta["complete_through"][1])
    published_day = 15
    if "published_day" in meta:
        line, raw = meta["published_day"]
        if raw.isdigit() and 1 <= int(raw) <= 28:
            published_day = int(raw)
        else:
            col.add(line, "published_day", raw, "must be a day between 1 and 28", code="index_published_day")
    if kind == "index":
        header("base", required=True)
        if "complete_through" in meta:
            col.add(meta["complete_through"][0], "complete_through", meta["complete_through"][1],
                    "an index table is complete up to its last month; leave this out",
                    code="rate_file_index_complete_through")
    if kind == "rate" and ("base" in meta or "published_day" in meta):
        key = "base" if "base" in meta else "published_day"
        col.add(meta[key][0], key, meta[key][1], "only index tables have this header", code="rate_file_index_only")

    if not kind:
        raise ValidationFailed(col.problems, f"{origin or 'rate table'}: not a valid table",
                               code="rate_file_not_a_table", file=origin or name)

    required, optional = _COLUMNS[kind]
    rows: list[tuple[int, dict[str, str]]] = []
    if not body:
        col.add(None, "columns", "", "the column line is missing "
                f"(e.g. {','.join(sorted(required))})", code="rate_file_no_columns",
                example=",".join(sorted(required)))
    else:
        head_line, head_text = body[0]
        columns = [c.strip().lower() for c in next(csv.reader([head_text]))]
        for c in columns:
            if c not in required | optional:
                col.add(head_line, c, c, f"unknown column (known: "
                        f"{', '.join(sorted(required | optional))})", code="rate_file_unknown_column",
                        known=tuple(sorted(required | optional)))
        for c in sorted(required - set(columns)):
            col.add(head_line, c, "", "this column is required", code="rate_file_column_required")
        if len(set(columns)) != len(columns):
            col.add(head_line, "columns", head_text, "a column is named twice", code="rate_file_column_twice")
        for line, raw in body[1:]:
            cells = next(csv.reader([raw]))
            if len(cells) > len(columns):
                col.add(line, "columns", raw, f"{len(cells)} values for {len(columns)} columns",
                        code="rate_file_too_many_values", values=len(cells), columns=len(columns))
                continue
            cells += [""] * (len(columns) - len(cells))
            rows.append((line, {c: v.strip() for c, v in zip(columns, cells)}))

    if kind == "rate":
        rate_rows = _rate_rows(rows, col)
        if col.problems:
            raise ValidationFailed(col.problems, f"{origin or name}: the rate table has problems",
                                   code="rate_file_problems", file=origin or name)
        try:
            return RateTable(name=name, source=source, rows=tuple(rate_rows),
                             complete_through=complete_through, title=header("title"),
                             unit=header("unit") or "percent_per_year", note=header("note"))
        except ValidationFailed as exc:  # cross-row problems: name the origin
            raise ValidationFailed([replace(p, source=origin or p.source) for p in exc.problems],
                                   exc.summary, exc.code, **exc.params) from None
    index_rows = _index_rows(rows, col, published_day)
    if col.problems:
        raise ValidationFailed(col.problems, f"{origin or name}: the index table has problems",
                               code="rate_file_problems", file=origin or name)
    try:
        return IndexTable(name=name, source=source, base=header("base"), rows=tuple(index_rows),
                          published_day=published_day, title=header("title"),
                          unit=header("unit") or "points", note=header("note"))
    except ValidationFailed as exc:
        raise ValidationFailed([replace(p, source=origin or p.source) for p in exc.problems],
                               exc.summary, exc.code, **exc.params) from None


def _rate_rows(rows: list[tuple[int, dict[str, str]]], col: _Collector) -> list[RateRow]:
    out: list[RateRow] = []
    for line, cells in rows:
        start = col.day(line, "effective_from", cells.get("effective_from", ""))
        pct = col.number(line, "percent", cells.get("percent", ""))
        end = col.day(line, "effective_to", cells.get("effective_to", ""), required=False)
        if start is not None and pct is not None:
            out.append(RateRow(start, pct, end, cells.get("source", ""), cells.get("note", ""), line))
    return out


def _index_rows(rows: list[tuple[int, dict[str, str]]], col: _Collector,
                published_day: int) -> list[IndexRow]:
    out: list[IndexRow] = []
    for line, cells in rows:
        month = col.month(line, "month", cells.get("month", ""))
        value = col.number(line, "value", cells.get("value", ""))
        published = col.day(line, "published_on", cells.get("published_on", ""), required=False)
        if month is not None and value is not None:
            if published is None:
                published = add_months(month, 1, published_day)
            out.append(IndexRow(month, value, published, cells.get("source", ""),
                                cells.get("note", ""), line))
    return out


# --- merging and the book ---------------------------------------------------------------


def merge_tables(base: RateTable | IndexTable,
                 update: RateTable | IndexTable) -> RateTable | IndexTable:
    """``base`` with ``update`` laid over it (see "Import" in the module docstring).

    Both must have the same name and kind (and, for indices, the same base, unless the
    index on file is still empty; the service lets an import on another base replace the
    few shipped Israeli CPI months: ``gvia.services.legal.rates``). Raises
    :class:`ValidationFailed` if they differ or if the result is inconsistent (an imported
    period overlapping a shipped one).
    """
    problems: list[FieldProblem] = []
    if isinstance(base, IndexTable) and isinstance(update, IndexTable) and not base.rows \
            and base.name == update.name:
        return update  # an empty index takes the imported one, base and all
    if base.name != update.name:
        problems.append(FieldProblem(None, "name", update.name, f"cannot merge into {base.name!r}",
                                     code="rate_merge_other_name", params={"table": base.name}))
    if base.kind != update.kind:
        problems.append(FieldProblem(None, "kind", update.kind, f"{base.name!r} is a {base.kind} table",
                                     code="rate_merge_other_kind" if base.kind == "rate" else "index_merge_other_kind",
                                     params={"table": base.name}))
    if isinstance(base, IndexTable) and isinstance(update, IndexTable) and base.base != update.base:
        problems.append(FieldProblem(None, "base", update.base,
                                     f"{base.name!r} is on base {base.base!r}; indices on "
                                     "different bases cannot be mixed", code="index_merge_other_base",
                                     params={"table": base.name, "base": base.base}))
    if problems:
        raise ValidationFailed(problems, "the imported table does not match", code="rate_merge_mismatch")
    if isinstance(base, RateTable) and isinstance(update, RateTable):
        new_days = {r.effective_from for r in update.rows}
        rows = [r for r in base.rows if r.effective_from not in new_days] + list(update.rows)
        through = max((d for d in (base.complete_through, update.complete_through) if d),
                      default=None)
        return replace(base, rows=tuple(rows), complete_through=through)
    assert isinstance(base, IndexTable) and isinstance(update, IndexTable)
    new_months = {r.month for r in update.rows}
    index_rows = [r for r in base.rows if r.month not in new_months] + list(update.rows)
    return replace(base, rows=tuple(index_rows))


@dataclass(frozen=True)
class RateBook:
    """The tables in use, by name. Asking for a table that is not loaded raises
    :class:`MissingRate` (never an empty default)."""

    tables: Mapping[str, RateTable | IndexTable] = field(default_factory=dict)

    @classmethod
    def of(cls, tables: Iterable[RateTable | IndexTable]) -> "RateBook":
        book = cls({})
        for t in tables:
            book = book.with_table(t)
        return book

    def with_table(self, table: RateTable | IndexTable) -> "RateBook":
        """A new book where ``table`` is merged over the table of the same name, if any."""
        current = self.tables.get(table.name)
        merged = table if current is None else merge_tables(current, table)
        return RateBook({**self.tables, table.name: merged})

    def rates(self, name: str) -> RateTable:
        table = self.tables.get(name)
        if not isinstance(table, RateTable):
            raise MissingRate(name, None, "the rate table is not loaded", code="rate_table_not_loaded")
        return table

    def index(self, name: str) -> IndexTable:
        table = self.tables.get(name)
        if not isinstance(table, IndexTable):
            raise MissingRate(name, None, "the index table is not loaded", code="rate_table_not_loaded")
        return table

    def __contains__(self, name: object) -> bool:
        return name in self.tables

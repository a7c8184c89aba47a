"""The Israeli rate and index downloads, as their publishers give them, turned into gvia's tables.

``gvia rates import FILE`` accepts, beside gvia's own CSV (:mod:`gvia.core.rates`), the two
files a user downloads to bring the Israeli tables up to date. The layouts below are taken from
stored copies of the files themselves; the service reads the file (JSON, or the workbook's first
sheet as rows of cells) and these pure functions check it and build the table, every problem
named with its row and column. The result is kept as gvia CSV (:func:`table_csv`), its source
naming the file.

The Central Bureau of Statistics' CPI (:func:`cpi_from_cbs`)
=============================================================

The CBS price-index API's JSON, ``https://api.cbs.gov.il/index/data/price?id=120010&format=json``
(add ``&coef=true`` for the values on earlier bases, ``&startPeriod=MM-YYYY&endPeriod=MM-YYYY``
for a span; documented at https://www.cbs.gov.il/he/Pages/מדדי-מחירים-באמצעות-API.aspx). Layout,
from a stored response (github.com/reuvenaor/israel-statistics-mcp,
``src/__tests__/fixtures/price-120010-coef.json`` @08fbc7a)::

    {"month": [{"code": 120010, "name": "Consumer Price Index - General",
                "date": [{"year": 2026, "month": 5, "percent": -0.3, "percentYear": 1.9,
                          "currBase": {"baseDesc": "Average 2024", "value": 104.8},
                          "prevBase": [{"coeff": 1.074, "baseDesc": "Average 2022",
                                        "value": 112.5552}, ...]}, ...]}],
     "paging": {...}}

``code`` must be 120010 (the general CPI: "מדד המחירים לצרכן - כללי", the index of the Law's
s.1). A table holds one base: the base of the table in use when it has figures, else the newest
base in the file; a month published on another base takes its value on that base from
``prevBase`` (the CBS's own chained value), or, for a month on an older base, its value divided
by the chain factor between the two bases that the file itself shows for another month (a month
listing both). A month whose value on the table's base cannot be had so is an error naming it.
The JSON gives no publication day: each month is taken as published on the 15th of the next
(the CBS: "המדד המתפרסם ב-15 בחודש מתייחס לחודש הקודם"); give ``published_on`` in a gvia CSV for
a month published on another day.

The Accountant General's rate history (:func:`rates_from_accountant_general`)
==============================================================================

The workbook ``https://ga.mof.gov.il/api/rate/history/N`` (N = 12: linked interest, 9: linked
arrears interest; from the page https://ga.mof.gov.il/rate). Layout, from stored downloads
(github.com/yonatanKreiner/actuar-services, ``interest-calculator/assets/interest.xlsx``,
``illegal-interest.xlsx`` @12fcee7, read by its ``src/tools/excel.js``): first sheet ("My
Worksheet"), row 1 the title alone ("ריבית צמודה" / "ריבית פיגורים צמודה"), row 2 the headers
"תאריך", "ריבית", then one row per change: the day it applies from (DD/MM/YYYY) and the rate in
percent per year, oldest first. Each rate applies until the day before the next; the last one to
the end of its quarter (the rates are set "לכל רבעון", regulation 1 of the 2003 Regulations).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from .errors import FieldProblem, ValidationFailed
from .rates import IL_ARREARS_INTEREST, IL_CPI, IL_LINKED_INTEREST, IndexRow, IndexTable, RateRow, RateTable, add_months

__all__ = ["CBS_CPI_CODE", "AG_TITLES", "cpi_from_cbs", "rates_from_accountant_general", "table_csv", "base_name"]

#: The CBS series of the general consumer price index.
CBS_CPI_CODE = 120010
#: The Accountant General's workbook titles, and the table each fills.
AG_TITLES = {"ריבית צמודה": IL_LINKED_INTEREST, "ריבית פיגורים צמודה": IL_ARREARS_INTEREST}
_AG_HEADERS = ("תאריך", "ריבית")
_CBS_SOURCE = "Central Bureau of Statistics, price index API (series 120010), file {file}"
_AG_SOURCE = "Accountant General, rate history download (ga.mof.gov.il/rate): {title}, file {file}"
_ONE_DAY = timedelta(days=1)


def base_name(desc: str) -> str:
    """gvia's name of a CBS base: "Average 2022" and "ממוצע 2022" are "average 2022 = 100"."""
    m = re.fullmatch(r"\s*(?:average|ממוצע)\s+(\d{4})\s*", desc, flags=re.IGNORECASE)
    return f"average {m.group(1)} = 100" if m else f"{desc.strip().lower()} = 100"


def _problem(problems: list[FieldProblem], row: int | None, field: str, value: object, message: str,
             origin: str, *, code: str, **params: object) -> None:
    problems.append(FieldProblem(row, field, "" if value is None else str(value), message, origin, code=code,
                                 params=params))


def _number(value: object) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        d = Decimal(str(value).strip().rstrip("%").strip())
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


# --- the CBS CPI ---------------------------------------------------------------------------------


def cpi_from_cbs(data: object, origin: str, base_in_use: str | None = None) -> IndexTable:
    """The CPI table (``il_cpi``) from the CBS API's JSON (module docstring). ``base_in_use``:
    the base of the table in use when it holds figures (the import keeps it); None: the newest
    base in the file. Raises ValidationFailed naming each bad entry (``row``: its position in
    the file's list of months, from 1)."""
    problems: list[FieldProblem] = []
    series = data.get("month") if isinstance(data, Mapping) else None
    if not isinstance(series, list) or not series or not isinstance(series[0], Mapping):
        _problem(problems, None, "month", "", "not the CBS price-index JSON (no 'month' list)", origin,
                 code="cbs_not_price_json")
        raise ValidationFailed(problems, f"{origin}: not a CBS price-index file", code="rate_file_problems",
                               file=origin)
    if len(series) != 1 or series[0].get("code") != CBS_CPI_CODE:
        codes = [s.get("code") for s in series if isinstance(s, Mapping)]
        _problem(problems, None, "code", codes, f"the file must hold series {CBS_CPI_CODE} (the general CPI) "
                 "alone", origin, code="cbs_not_the_cpi", series=CBS_CPI_CODE)
        raise ValidationFailed(problems, f"{origin}: not the general CPI", code="rate_file_problems", file=origin)
    entries = series[0].get("date")
    if not isinstance(entries, list) or not entries:
        _problem(problems, None, "date", "", "the file holds no months", origin, code="cbs_no_months")
        raise ValidationFailed(problems, f"{origin}: no months", code="rate_file_problems", file=origin)

    # (row, month, {base: value}, current base)
    months: list[tuple[int, date, dict[str, Decimal], str]] = []
    for n, e in enumerate(entries, start=1):
        if not isinstance(e, Mapping):
            _problem(problems, n, "date", e, "not a month's entry", origin, code="cbs_bad_entry")
            continue
        year, month = e.get("year"), e.get("month")
        if not isinstance(year, int) or not isinstance(month, int) or not 1 <= month <= 12 or year < 1900:
            _problem(problems, n, "year/month", f"{year}-{month}", "not a month", origin, code="rate_file_not_a_month")
            continue
        values: dict[str, Decimal] = {}
        cur = e.get("currBase")
        if not isinstance(cur, Mapping) or not isinstance(cur.get("baseDesc"), str) or _number(cur.get("value")) \
                is None:
            _problem(problems, n, "currBase", cur, "no value on the current base", origin, code="cbs_no_value",
                     month=f"{year:04d}-{month:02d}")
            continue
        current = base_name(str(cur["baseDesc"]))
        values[current] = _number(cur["value"])  # type: ignore[assignment]  # checked not None just above
        for prev in e.get("prevBase") or ():
            if isinstance(prev, Mapping) and isinstance(prev.get("baseDesc"), str) \
                    and (v := _number(prev.get("value"))) is not None:
                values.setdefault(base_name(str(prev["baseDesc"])), v)
        if any(v <= 0 for v in values.values()):
            _problem(problems, n, "value", cur.get("value"), "an index value must be positive", origin,
                     code="index_value_not_positive")
            continue
        months.append((n, date(year, month, 1), values, current))
    seen: dict[date, int] = {}
    for n, m, _v, _c in months:
        if m in seen:
            _problem(problems, n, "year/month", m.strftime("%Y-%m"), f"the same month as entry {seen[m]}", origin,
                     code="index_month_twice")
        seen.setdefault(m, n)
    if problems:
        raise ValidationFailed(problems, f"{origin}: the CPI file has problems", code="rate_file_problems", file=origin)

    target = base_in_use or max(months, key=lambda x: x[1])[3]
    # the chain factor from each base to the target, as the file shows it (a month listing both)
    factor: dict[str, Decimal] = {target: Decimal(1)}
    for _n, _m, values, _c in months:
        if target in values:
            for b, v in values.items():
                factor.setdefault(b, values[target] / v)
    rows: list[IndexRow] = []
    source = _CBS_SOURCE.format(file=origin)
    for n, m, values, current in sorted(months, key=lambda x: x[1]):
        if target in values:
            value = values[target]
        elif current in factor:
            value = values[current] * factor[current]
        else:
            _problem(problems, n, "currBase", current, f"the index for {m.strftime('%Y-%m')} is on base "
                     f"{current!r}; the table is on {target!r} and the file shows no month on both (download "
                     "with coef=true, over a span that reaches a month on the table's base)", origin,
                     code="cbs_base_not_in_file", month=m.strftime("%Y-%m"), base=current, target=target)
            continue
        rows.append(IndexRow(m, value, add_months(m, 1, 15), source, "" if current == target else
                             f"published on base {current}: {values[current]}", n))
    if problems:
        raise ValidationFailed(problems, f"{origin}: the CPI file has problems", code="rate_file_problems", file=origin)
    return IndexTable(name=IL_CPI, source=source, base=target, rows=tuple(rows),
                      title="Israel consumer price index (מדד המחירים לצרכן), general index")


# --- the Accountant General's rates ------------------------------------------------------------


def _day(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", str(value or ""))
    if not m:
        return None
    try:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def _quarter_end(d: date) -> date:
    first_of_next = add_months(date(d.year, (d.month - 1) // 3 * 3 + 1, 1), 3, 1)
    return first_of_next - _ONE_DAY


def rates_from_accountant_general(sheet: Sequence[tuple[int, Sequence[object]]], origin: str) -> RateTable:
    """The linked or arrears interest table from the Accountant General's workbook, given as the
    first sheet's non-blank rows, ``(row number, cells)``, from row 1 (module docstring). ``row``
    in a problem is the sheet's row number; ``field`` the column's header."""
    problems: list[FieldProblem] = []
    rows = [list(cells) for _n, cells in sheet]
    numbers = [n for n, _cells in sheet]
    title = str(rows[0][0]).strip() if rows and rows[0] and rows[0][0] is not None else ""
    name = AG_TITLES.get(title)
    if name is None:
        _problem(problems, 1, "A1", title, "not a rate the Interest and Linkage Law's tables hold (known: "
                 f"{', '.join(AG_TITLES)})", origin, code="ag_unknown_title", known=tuple(AG_TITLES))
    headers = tuple(str(c).strip() if c is not None else "" for c in (rows[1][:2] if len(rows) > 1 else ()))
    if headers != _AG_HEADERS:
        _problem(problems, 2, "headers", " | ".join(headers), f"row 2 must be {' | '.join(_AG_HEADERS)}", origin,
                 code="ag_headers", expected=_AG_HEADERS)
    if problems:
        raise ValidationFailed(problems, f"{origin}: not the Accountant General's rate history",
                               code="rate_file_problems", file=origin)
    changes: list[tuple[int, date, Decimal]] = []
    for n, cells in zip(numbers[2:], rows[2:]):
        if not cells or all(c is None or str(c).strip() == "" for c in cells):
            continue
        day = _day(cells[0])
        pct = _number(cells[1]) if len(cells) > 1 else None
        if day is None:
            _problem(problems, n, _AG_HEADERS[0], cells[0], "not a date (DD/MM/YYYY)", origin, code="ag_not_a_date")
        if pct is None:
            _problem(problems, n, _AG_HEADERS[1], cells[1] if len(cells) > 1 else "", "not a number", origin,
                     code="rate_file_not_a_number")
        if day is not None and pct is not None:
            changes.append((n, day, pct))
    changes.sort(key=lambda c: c[1])
    for (n1, d1, _p1), (n2, d2, _p2) in zip(changes, changes[1:]):
        if d1 == d2:
            _problem(problems, n2, _AG_HEADERS[0], d2.strftime("%d/%m/%Y"), f"the same day as row {n1}", origin,
                     code="rate_same_start")
    if not changes and not problems:
        _problem(problems, None, "rows", "", "the file holds no rates", origin, code="ag_no_rates")
    if problems:
        raise ValidationFailed(problems, f"{origin}: the rate history has problems", code="rate_file_problems",
                               file=origin)
    assert name is not None
    source = _AG_SOURCE.format(title=title, file=origin)
    out = []
    for i, (n, day, pct) in enumerate(changes):
        end = changes[i + 1][1] - _ONE_DAY if i + 1 < len(changes) else _quarter_end(day)
        out.append(RateRow(day, pct, end, source, "", n))
    return RateTable(name=name, source=source, rows=tuple(out), title=title)


# --- gvia's CSV of a table -----------------------------------------------------------------------


def _cell(text: str) -> str:
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(c in text for c in ',"\n') else text


def table_csv(table: RateTable | IndexTable, note: str = "") -> str:
    """The table in gvia's CSV (:func:`gvia.core.rates.parse_table` reads it back to the same
    table): what the import keeps."""
    head = [f"# name: {table.name}", f"# kind: {table.kind}"]
    if table.title:
        head.append(f"# title: {table.title}")
    head.append(f"# source: {table.source}")
    if note or table.note:
        head.append(f"# note: {' '.join(x for x in (table.note, note) if x)}")
    if isinstance(table, IndexTable):
        head += [f"# base: {table.base}", f"# published_day: {table.published_day}",
                 "month,value,published_on,source,note"]
        body = [",".join((r.month.strftime("%Y-%m"), str(r.value), r.published_on.isoformat(), _cell(r.source),
                          _cell(r.note))) for r in table.rows]
    else:
        if table.complete_through is not None:
            head.append(f"# complete_through: {table.complete_through.isoformat()}")
        head.append("effective_from,percent,effective_to,source,note")
        body = [",".join((r.effective_from.isoformat(), str(r.percent),
                          r.effective_to.isoformat() if r.effective_to else "", _cell(r.source), _cell(r.note)))
                for r in table.rows]
    return "\n".join(head + body) + "\n"

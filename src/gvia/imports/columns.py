"""Invoice rows a batch at a time: the same answers as the row parser, column by column.

A large import parses 20,000 rows at a time (see batches.py). Row by row, the parser's fast
path spends a few microseconds of Python on each clean row; here each column of a batch of
text cells is read at once with C-level tools (``map``, ``zip``, sets of distinct values and
one regular expression over a whole column of amounts), so a million clean rows take about
half the time. Any row a column check does not accept as plainly clean — a cell not seen
before, a blank required cell, a sign or separators in an amount, a due date before the
issue date, a long row, a spreadsheet cell that is not text — goes to ``parser.parse``, the
row-at-a-time path, which applies every rule. So the rows and problems returned are exactly
what ``parser.parse`` gives for each row, in file order (a property test checks it).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from itertools import repeat
from operator import gt, itemgetter, lt
from typing import Any, Callable, Iterable, Protocol, TypeGuard

from .parsed import InvoiceRow
from .values import MAX_MINOR, STRIP, plain_minor

Batch = tuple[list, list, int]   # (good rows, [problems of each bad row], bad row count)


class ParseMany(Protocol):
    """``parse_many(row numbers, rows, text=False) -> Batch``; ``text`` says every cell is a str."""

    def __call__(self, rownums: list[int], rows: list[list], text: bool = False) -> Batch: ...


_FIRST = itemgetter(0)
_SECOND = itemgetter(1)
_BLANK_AS_NONE = {"": None}
_STRIP_EACH = repeat(STRIP)
_new_row = tuple.__new__


def parse_each(parse: Callable[[int, list], tuple], rownums: list[int], rows: list[list],
               text: bool = False) -> Batch:
    """The row-at-a-time answer for a batch: ``parse`` on every row. (``text``, that every
    cell is a str, does not matter here.)"""
    good: list = []
    problems: list = []
    for rownum, values in zip(rownums, rows):
        row, found = parse(rownum, values)
        if row is not None:
            good.append(row)
        else:
            problems.append(found)
    return good, problems, len(problems)


@lru_cache(maxsize=8)
def _plain_amounts(decimals: int) -> re.Pattern:
    """A whole column (cells joined by newlines) of plain amounts written with exactly
    ``decimals`` places ("4543.00"): ASCII digits, a point, no sign, no separators."""
    cell = r"[0-9]+" + (rf"\.[0-9]{{{decimals}}}" if decimals else "")
    return re.compile(rf"(?:{cell}\n)*{cell}")


def invoice_batches(parser) -> ParseMany:
    """``parse_many(row numbers, rows, text=False) -> (good rows, [problems of each bad row],
    bad count)`` for the invoice rows of ``parser`` (a :class:`~gvia.imports.rows.RowParser`),
    reading the caches its fast path reads and leaving anything else to ``parser.parse``.
    ``text`` says every cell is a str (a CSV file), which saves checking it."""
    return _InvoiceColumns(parser).parse_many


def _flag(bad: set[int], values: list, wrong: object = None) -> None:
    """Add to ``bad`` the rows whose value is ``wrong`` (None: could not be read here)."""
    if wrong in values:
        bad.update(j for j, v in enumerate(values) if v is wrong)


def _looked_up(column: tuple, cache: dict, read: Callable[[str], object], kind: type) -> list:
    """Each cell's reading from ``cache`` (keyed by the cell as written); a cell not there
    as it is — padded, blank or not met yet — through ``read``; None where that is not a
    ``kind``."""
    found = list(map(cache.get, column))
    if None in found or set(map(type, found)) != {kind}:
        found = [v if v.__class__ is kind else read(c) for v, c in zip(found, column)]
    return found


def _all_read(values: list[int | None]) -> TypeGuard[list[int]]:
    """No None in ``values``: every cell was read."""
    return None not in values


def _no_date(_v: str) -> None:
    return None


def _minor_units(column: tuple, decimals: list[int], places: set[int]) -> list:
    """Amounts in minor units; None where the cell is not a plain amount."""
    if len(places) == 1:
        d = next(iter(places))
        if _plain_amounts(d).fullmatch("\n".join(column)):
            found = list(map(int, map(str.replace, column, repeat("."), repeat(""))))
            if max(found) < MAX_MINOR[d]:
                return found
    return list(map(plain_minor, column, decimals))


class _InvoiceColumns:
    """One parser's invoice rows read a batch at a time: each step reads its columns for every
    row of the batch and adds to ``bad`` the rows it cannot read as plainly clean; those rows are
    parsed again, one at a time, by the row parser, which says what is wrong."""

    def __init__(self, parser) -> None:
        self.one = parser.parse
        self.width = parser._width
        columns_of_row = parser.invoice_columns()
        (self.i_number, self.i_kind, self.i_issue, self.i_due, self.i_currency, self.i_amount, self.i_open,
         self.i_applies, self.i_po, self.i_description, self.i_allocation, self.i_before) = columns_of_row
        self.used = [j for j in columns_of_row if j >= 0]
        (self.customers, self.customer_key, self.read_customer, self.kinds, self.currencies, self.quanta,
         self.known, self.default_currency) = parser.invoice_caches()

    def parse_many(self, rownums: list[int], rows: list[list], text: bool = False) -> Batch:
        n = len(rows)
        if not n or set(map(len, rows)) != {self.width}:
            return parse_each(self.one, rownums, rows)
        columns = list(zip(*rows))
        if not text and any(set(map(type, columns[j])) != {str} for j in self.used):
            return parse_each(self.one, rownums, rows)
        bad: set[int] = set()
        custs = self._customers(rownums, rows, bad)
        numbers = list(map(str.strip, columns[self.i_number], _STRIP_EACH))
        _flag(bad, numbers, "")
        kind_list = self._kinds(columns, n, bad)
        issues, dues = self._dates(columns, n, bad)
        currency_list, amounts, opens = self._amounts(columns, n, bad)
        befores = self._befores(columns, currency_list, n, bad)
        if self.i_applies >= 0 and "credit_note" in kind_list:   # kept for credit notes only
            applies = [a if k == "credit_note" else None
                       for a, k in zip(self._texts(columns, self.i_applies, n), kind_list)]
        else:
            applies = [None] * n
        fields = zip(rownums, custs, numbers, kind_list, issues, dues, currency_list, amounts, opens, applies,
                     self._texts(columns, self.i_po, n), self._texts(columns, self.i_description, n),
                     self._texts(columns, self.i_allocation, n), befores)
        if not bad:
            return list(map(_new_row, repeat(InvoiceRow), fields)), [], 0
        good: list = []
        problems: list = []
        for j, row in enumerate(fields):
            if j in bad:
                row, found_problems = self.one(rownums[j], rows[j])
                if row is None:
                    problems.append(found_problems)
                    continue
            else:
                row = _new_row(InvoiceRow, row)
            good.append(row)
        return good, problems, len(problems)

    def _customers(self, rownums: list[int], rows: list[list], bad: set[int]) -> list:
        """Each row's CustomerRow: each distinct set of customer cells read once (the parser's own
        cache)."""
        customers = self.customers
        keys = list(map(self.customer_key, rows))
        found = list(map(customers.get, keys))
        if None in found:
            for j, f in enumerate(found):
                if f is None:
                    found[j] = customers.get(keys[j]) or self.read_customer(rownums[j], rows[j])
        if any(map(_SECOND, found)):   # a customer with errors (and no CustomerRow)
            bad.update(j for j, f in enumerate(found) if f[1])
        return list(map(_FIRST, found))

    def _kinds(self, columns: list[tuple], n: int, bad: set[int]) -> list:
        if self.i_kind < 0:
            return ["invoice"] * n
        kind_list = _looked_up(columns[self.i_kind], self.kinds, self._kind_of, str)
        _flag(bad, kind_list)
        return kind_list

    def _kind_of(self, v: str) -> str | None:
        found = "invoice" if v == "" else self.kinds.get(v.strip(STRIP))
        return found if found.__class__ is str else None   # not met yet, or wrong

    def _currency_of(self, v: str) -> str | None:
        found = self.default_currency if v == "" else self.currencies.get(v.strip(STRIP))
        return found if found.__class__ is str else None

    def _dates(self, columns: list[tuple], n: int, bad: set[int]) -> tuple[list, list]:
        """Issue and due dates; a blank due date is the issue date, a missing column the other
        one; a due date before the issue date is left to the row parser."""
        known, date = self.known, dt.date
        if self.i_issue >= 0:
            issues = _looked_up(columns[self.i_issue], known, _no_date, date)
            dues = issues
            if self.i_due >= 0:
                column = columns[self.i_due]
                dues = _looked_up(column, known, _no_date, date)
                if "" in column:   # due on the issue date
                    dues = [s if c == "" else d for d, s, c in zip(dues, issues, column)]
        else:
            issues = dues = _looked_up(columns[self.i_due], known, _no_date, date)
        _flag(bad, issues)
        _flag(bad, dues)
        if bad:
            bad.update(j for j in range(n) if j not in bad and dues[j] < issues[j])
        elif True in map(lt, dues, issues):
            bad.update(j for j, early in enumerate(map(lt, dues, issues)) if early)
        return issues, dues

    def _amounts(self, columns: list[tuple], n: int, bad: set[int]) -> tuple[list, list, Iterable[Any]]:
        """Currencies, amounts and open amounts (None where the file does not say), in minor
        units of each row's currency; an open amount above the amount is left to the row parser."""
        quanta, default_currency = self.quanta, self.default_currency
        currency_list = (_looked_up(columns[self.i_currency], self.currencies, self._currency_of, str)
                         if self.i_currency >= 0 else [default_currency] * n)
        distinct = set(currency_list)
        places_of = {c: quanta[c][0] for c in distinct if c in quanta}
        if len(places_of) < len(distinct):  # not a currency, or one the parser has not met yet
            bad.update(j for j, c in enumerate(currency_list) if c not in places_of)
            places_of.update(dict.fromkeys(distinct - places_of.keys(), 0))
        decimals: list[int] = list(map(places_of.__getitem__, currency_list))
        places = set(decimals)
        amounts = _minor_units(columns[self.i_amount], decimals, places)
        _flag(bad, amounts)
        if self.i_open < 0:
            return currency_list, amounts, repeat(None)
        column = columns[self.i_open]
        if "" in column:
            opens = [None if c == "" else plain_minor(c, d) for c, d in zip(column, decimals)]
            bad.update(j for j, (o, c) in enumerate(zip(opens, column)) if o is None and c != "")
        else:
            opens = _minor_units(column, decimals, places)
            _flag(bad, opens)
        if not bad and _all_read(opens):
            if True in map(gt, opens, amounts):
                bad.update(j for j, over in enumerate(map(gt, opens, amounts)) if over)
        else:
            bad.update(j for j in range(n) if j not in bad and opens[j] is not None
                       and opens[j] > amounts[j])
        return currency_list, amounts, opens

    def _befores(self, columns: list[tuple], currency_list: list, n: int, bad: set[int]) -> list:
        """Amounts before VAT in minor units (None where blank or no column); anything not a plain
        amount is left to the row parser."""
        if self.i_before < 0:
            return [None] * n
        quanta = self.quanta
        out: list = []
        for j, (c, cur) in enumerate(zip(columns[self.i_before], currency_list)):
            if c == "":
                out.append(None)
                continue
            q = quanta.get(cur)
            v = plain_minor(c, q[0]) if q is not None else None
            if v is None:
                bad.add(j)
            out.append(v)
        return out

    @staticmethod
    def _texts(columns: list[tuple], j: int, n: int) -> list:
        """A column of free text, stripped; a blank cell (or no column) is None."""
        if j < 0:
            return [None] * n
        stripped = list(map(str.strip, columns[j], _STRIP_EACH))
        return list(map(_BLANK_AS_NONE.get, stripped, stripped))


__all__ = ["Batch", "ParseMany", "invoice_batches", "parse_each"]

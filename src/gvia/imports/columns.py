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
from typing import Callable

from .parsed import InvoiceRow
from .values import MAX_MINOR, STRIP, plain_minor

Batch = tuple[list, list, int]   # (good rows, [problems of each bad row], bad row count)

_FIRST = itemgetter(0)
_SECOND = itemgetter(1)
_BLANK_AS_NONE = {"": None}
_STRIP_EACH = repeat(STRIP)


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


def invoice_batches(parser) -> Callable[..., Batch]:
    """``parse_many(row numbers, rows, text=False) -> (good rows, [problems of each bad row],
    bad count)`` for the invoice rows of ``parser`` (a :class:`~gvia.imports.rows.RowParser`),
    reading the caches its fast path reads and leaving anything else to ``parser.parse``.
    ``text`` says every cell is a str (a CSV file), which saves checking it."""
    one = parser.parse
    width = parser._width
    (i_number, i_kind, i_issue, i_due, i_currency, i_amount, i_open, i_applies, i_po,
     i_description) = columns_of_row = parser.invoice_columns()
    used = [j for j in columns_of_row if j >= 0]
    (customers, customer_key, read_customer, kinds, currencies, quanta, known,
     default_currency) = parser.invoice_caches()
    date, str_ = dt.date, str
    new_row = tuple.__new__

    def looked_up(column: tuple, cache: dict, read: Callable[[str], object], kind: type) -> list:
        """Each cell's reading from ``cache`` (keyed by the cell as written); a cell not there
        as it is — padded, blank or not met yet — through ``read``; None where that is not a
        ``kind``."""
        found = list(map(cache.get, column))
        if None in found or set(map(type, found)) != {kind}:
            found = [v if v.__class__ is kind else read(c) for v, c in zip(found, column)]
        return found

    def kind_of(v: str) -> str | None:
        found = "invoice" if v == "" else kinds.get(v.strip(STRIP))
        return found if found.__class__ is str_ else None   # not met yet, or wrong

    def currency_of(v: str) -> str | None:
        found = default_currency if v == "" else currencies.get(v.strip(STRIP))
        return found if found.__class__ is str_ else None

    def no_date(_v: str) -> None:
        return None

    def minor_units(column: tuple, decimals: list[int], places: set[int]) -> list:
        """Amounts in minor units; None where the cell is not a plain amount."""
        if len(places) == 1:
            d = next(iter(places))
            if _plain_amounts(d).fullmatch("\n".join(column)):
                found = list(map(int, map(str.replace, column, repeat("."), repeat(""))))
                if max(found) < MAX_MINOR[d]:
                    return found
        return list(map(plain_minor, column, decimals))

    def parse_many(rownums: list[int], rows: list[list], text: bool = False) -> Batch:
        n = len(rows)
        if not n or set(map(len, rows)) != {width}:
            return parse_each(one, rownums, rows)
        columns = list(zip(*rows))
        if not text and any(set(map(type, columns[j])) != {str_} for j in used):
            return parse_each(one, rownums, rows)
        bad: set[int] = set()

        def flag(values: list, wrong: object = None) -> None:
            if wrong in values:
                bad.update(j for j, v in enumerate(values) if v is wrong)

        # the customer cells: each distinct set read once (the parser's own cache)
        keys = list(map(customer_key, rows))
        found = list(map(customers.get, keys))
        if None in found:
            for j, f in enumerate(found):
                if f is None:
                    found[j] = customers.get(keys[j]) or read_customer(rownums[j], rows[j])
        custs = list(map(_FIRST, found))
        if any(map(_SECOND, found)):   # a customer with errors (and no CustomerRow)
            bad.update(j for j, f in enumerate(found) if f[1])

        numbers = list(map(str.strip, columns[i_number], _STRIP_EACH))
        flag(numbers, "")
        if i_kind >= 0:
            kind_list = looked_up(columns[i_kind], kinds, kind_of, str_)
            flag(kind_list)
        else:
            kind_list = ["invoice"] * n
        if i_issue >= 0:
            issues = looked_up(columns[i_issue], known, no_date, date)
            dues = issues
            if i_due >= 0:
                column = columns[i_due]
                dues = looked_up(column, known, no_date, date)
                if "" in column:   # due on the issue date
                    dues = [s if c == "" else d for d, s, c in zip(dues, issues, column)]
        else:
            issues = dues = looked_up(columns[i_due], known, no_date, date)
        flag(issues)
        flag(dues)
        if bad:
            bad.update(j for j in range(n) if j not in bad and dues[j] < issues[j])
        elif True in map(lt, dues, issues):
            bad.update(j for j, early in enumerate(map(lt, dues, issues)) if early)

        currency_list = (looked_up(columns[i_currency], currencies, currency_of, str_)
                         if i_currency >= 0 else [default_currency] * n)
        places_of = {c: (quanta[c][0] if c in quanta else None) for c in set(currency_list)}
        decimals = list(map(places_of.__getitem__, currency_list))
        if None in decimals:  # not a currency, or one the parser has not met yet
            flag(decimals)
            decimals = [0 if d is None else d for d in decimals]
        places = set(decimals)
        amounts = minor_units(columns[i_amount], decimals, places)
        flag(amounts)
        if i_open >= 0:
            column = columns[i_open]
            if "" in column:
                opens = [None if c == "" else plain_minor(c, d)
                         for c, d in zip(column, decimals)]
                bad.update(j for j, (o, c) in enumerate(zip(opens, column)) if o is None and c != "")
            else:
                opens = minor_units(column, decimals, places)
                flag(opens)
            if not bad and None not in opens:
                if True in map(gt, opens, amounts):
                    bad.update(j for j, over in enumerate(map(gt, opens, amounts)) if over)
            else:
                bad.update(j for j in range(n) if j not in bad and opens[j] is not None
                           and opens[j] > amounts[j])
        else:
            opens = repeat(None)

        def texts(j: int) -> list:
            if j < 0:
                return [None] * n
            stripped = list(map(str.strip, columns[j], _STRIP_EACH))
            return list(map(_BLANK_AS_NONE.get, stripped, stripped))

        if i_applies >= 0 and "credit_note" in kind_list:   # kept for credit notes only
            applies = [a if k == "credit_note" else None
                       for a, k in zip(texts(i_applies), kind_list)]
        else:
            applies = [None] * n
        fields = zip(rownums, custs, numbers, kind_list, issues, dues, currency_list, amounts,
                     opens, applies, texts(i_po), texts(i_description))
        if not bad:
            return list(map(new_row, repeat(InvoiceRow), fields)), [], 0
        good: list = []
        problems: list = []
        for j, row in enumerate(fields):
            if j in bad:
                row, found_problems = one(rownums[j], rows[j])
                if row is None:
                    problems.append(found_problems)
                    continue
            else:
                row = new_row(InvoiceRow, row)
            good.append(row)
        return good, problems, len(problems)

    return parse_many


__all__ = ["Batch", "invoice_batches", "parse_each"]

"""Cells of the spreadsheets gvia writes (CSV and XLSX): a text that a spreadsheet would read as a
formula is neutralised, the OWASP way — a single quote before it.

A text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
Excel and LibreOffice (``=HYPERLINK(…)`` in an invoice number or a customer's name becomes a link
that the person opening the file may click). Numbers gvia writes as numbers stay as they are:
``Decimal``, ``int``, ``date`` values, and texts that are a plain number (``-250.00``, ``+3``),
which a spreadsheet reads as that number and never as a formula. Every CSV or XLSX export goes
through :func:`safe_cell` (:func:`csv_writer` does it for the ``csv`` module).

Pure: no I/O beyond the stream the caller hands in.
"""

from __future__ import annotations

import csv
import re
from typing import Any, Iterable, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)")


def safe_cell(value: Any) -> Any:
    """``value`` made safe to open in a spreadsheet: a text that would be read as a formula gets
    a leading ``'``; anything else (numbers, dates, None, plain-number texts) is returned as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in row]


class _Stream(Protocol):
    """What ``csv.writer`` writes to: a text file, a ``StringIO``, an ``HttpResponse``."""

    def write(self, text: str, /) -> object: ...


class _RowWriter(Protocol):
    def writerow(self, row: Iterable[Any], /) -> Any: ...


class _SafeWriter:
    """A ``csv.writer`` whose every row goes through :func:`safe_cell`."""

    def __init__(self, writer: _RowWriter) -> None:
        self._writer = writer

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: _Stream, **kwargs: Any) -> _SafeWriter:
    """``csv.writer(stream, **kwargs)`` that neutralises formulas in every cell it writes."""
    return _SafeWriter(csv.writer(stream, **kwargs))

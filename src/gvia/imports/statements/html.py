"""A bank's export saved as an HTML table under an .xls name (Bank Leumi's, see ``banks.py``):
read with the standard library's HTML parser into a :class:`gvia.imports.tables.Table`, the same
header rule as a spreadsheet's (the row among the first 30 with the most known headers), so the
statement's layouts and column mapping read it as they read any table. Cells are text; ``&nbsp;``
and direction marks are stripped. The import of other kinds still refuses such files
(``tables.py``): only a statement is known to come this way.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from ..fields import normalize_header
from ..tables import KNOWN_HEADERS, Cell, Table
from .lines import refuse

HEADER_WINDOW = 30
_STRIP = " \t\r\n\xa0\u200e\u200f\u202a\u202b\u202c\u202d\u202e\ufeff"


def is_html(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith((b"<!doctype", b"<html", b"<table", b"<meta"))


class _Rows(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()).strip(_STRIP))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if any(self._row):
                self.rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def read_html_table(path: Path, data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1255", errors="replace")
    parser = _Rows()
    parser.feed(text)
    rows = parser.rows
    if not rows:
        raise refuse(path.name, "a web page without a table of lines", code="statement_no_lines")
    window = rows[:HEADER_WINDOW]
    known = [sum(1 for c in r if normalize_header(c) in KNOWN_HEADERS) for r in window]
    at = known.index(max(known))
    headers = window[at]
    body: list[tuple[int, list[Cell]]] = []
    for n, r in enumerate(rows[at + 1:], start=at + 2):
        cells: list[Cell] = [*r, *[""] * (len(headers) - len(r))]
        body.append((n, cells))
    return Table(source=path.name, path=path, format="html", headers=headers, header_row=at + 1,
                 _iterate=lambda: iter(body))

"""Reading an import file as a table: a header and numbered rows of cells.

:func:`read_table` opens CSV/TSV text files and spreadsheets (XLSX, XLSM, XLSB, XLS, ODS, via
python-calamine, first sheet) and returns a :class:`Table`. Its ``rows`` iterate lazily — a
CSV is read as a stream, so a million-row file is never held in memory — and can be iterated
again (each iteration re-reads the file).

Row numbers are the ones a person sees in the spreadsheet: the header is row 1 (or wherever it
is), the first data row after it row 2; blank rows are skipped but counted.

**Header row.** Exports often start with a title ("דוח יתרות לקוחות") and a blank line. Among
the first 30 non-blank rows, the header is the one with the most cells that are known headers
(see fields.py), if it has at least two; otherwise the first row that fills at least half as
many cells as the fullest of them (and at least two, unless the file has a single column).
Pass ``header_row`` to name it instead.

**Cells.** CSV cells are ``str``, as written (the row parser strips them). Spreadsheet cells
are ``str``; ``Decimal`` for numbers (a float is converted through its shortest 15-digit
form, so Excel's 1462.5000000000002 becomes 1462.5 and 1043.0 becomes 1043 — never float
arithmetic); ``date`` for date cells and ``datetime`` for date-time cells; "TRUE"/"FALSE"
for booleans; empty cells are "". Rows shorter than the header are padded with "" so every
column index is valid; longer rows are left as they are for the row parser to judge.

**CSV encoding** is decided by reading the whole file once as bytes (fast): a UTF-16 byte
order mark means UTF-16 (Excel's "Unicode text"); otherwise strict UTF-8 (with or without a
BOM) if every byte sequence is valid UTF-8, else Windows-1255, the encoding of Hebrew Excel
exports. **Delimiter**: comma, semicolon, tab or '|', whichever splits the first lines into
the most columns consistently.

A ``.xls`` file that is really an HTML page or text (some web systems export those) is read
as text if it is text and refused with an explanation if it is HTML.

**Limits.** A spreadsheet is read whole into memory (a CSV is streamed and has none), so before
it is opened :func:`check_spreadsheet` refuses one that would unpack to more than
:data:`MAX_SHEET_BYTES` (XLSX, ODS: the sizes its zip's central directory declares, read without
unpacking anything; XLS: the file's own size) or whose first sheet declares more than
:data:`MAX_SHEET_ROWS` rows (XLSX: the sheet's ``<dimension>``, in the first bytes of the sheet;
the row count calamine reports is checked again before a row is turned into cells). A 7 MB
"zip bomb" that unpacks to 1.9 GB is refused in milliseconds. The message names the file and the
limit. ``GVIA_IMPORT_MAX_SHEET_MB`` and ``GVIA_IMPORT_MAX_SHEET_ROWS`` change the limits.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import os
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import compress, islice
from pathlib import Path
from typing import Callable, Iterator, Union

from gvia.core.errors import FieldProblem, NotFoundFor, ValidationFailed

from .fields import ALIASES, normalize_header

# Every header any import knows, to recognise the header row under a report's title rows.
KNOWN_HEADERS = frozenset(key for per_kind in ALIASES.values() for keys in per_kind.values()
                          for key in keys)

Cell = Union[str, Decimal, dt.date, dt.datetime]

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
DELIMITERS = (",", ";", "\t", "|")
_HEADER_WINDOW = 30
_SAMPLE_BYTES = 64 * 1024
_CHUNK = 1 << 20
MB = 1024 * 1024
MAX_SHEET_BYTES = int(os.environ.get("GVIA_IMPORT_MAX_SHEET_MB", "256")) * MB
MAX_SHEET_ROWS = int(os.environ.get("GVIA_IMPORT_MAX_SHEET_ROWS", "250000"))
_MAX_ZIP_MEMBERS = 10_000


@dataclass
class Table:
    """A file's header and a re-iterable, lazy stream of ``(row number, cells)``."""

    source: str                  # the file's name, for messages
    path: Path
    format: str                  # "csv" | "xlsx" | "xls" | "ods" | ...
    headers: list[str]
    header_row: int              # the row number of the header (1 = first row)
    encoding: str | None = None  # CSV only
    delimiter: str | None = None  # CSV only
    sheet: str | None = None     # spreadsheets: the sheet read
    _iterate: Callable[[], Iterator[tuple[int, list[Cell]]]] = field(kw_only=True, repr=False)
    _batches: Callable[[int], Iterator[tuple[list[int], list[list[Cell]]]]] | None = field(
        default=None, repr=False)

    @property
    def rows(self) -> Iterator[tuple[int, list[Cell]]]:
        """``(row number, cells)`` for every non-blank row after the header."""
        return self._iterate()

    def __iter__(self) -> Iterator[tuple[int, list[Cell]]]:
        return self._iterate()

    def batches(self, size: int) -> Iterator[tuple[list[int], list[list[Cell]]]]:
        """The same rows as :attr:`rows`, up to ``size`` at a time, as ``(row numbers, rows)``."""
        if self._batches is not None:
            return self._batches(size)
        return _in_batches(self._iterate(), size)


def _in_batches(rows: Iterator[tuple[int, list[Cell]]], size: int
                ) -> Iterator[tuple[list[int], list[list[Cell]]]]:
    while part := list(islice(rows, size)):
        rownums, cells = zip(*part)
        yield list(rownums), list(cells)


def _refuse(source: str, message: str, row: int | None = None, *, code: str,
            **params: object) -> ValidationFailed:
    """The file cannot be read: one problem, ``code`` and its values worded at the edges
    (``problem.<code>``; ``message`` is the English for logs and tests)."""
    return ValidationFailed([FieldProblem(row=row, field="", value="", message=message,
                                          source=source, code=code, params=params)],
                            f"{source}: cannot read the file; nothing was imported", code="import_unreadable",
                            file=source)


def read_table(path: Path | str, *, header_row: int | None = None) -> Table:
    """Open an import file. Raises NotFound when it does not exist and ValidationFailed when
    it cannot be read as a table (empty, not text, a damaged spreadsheet, no header)."""
    path = Path(path)
    if not path.is_file():
        raise NotFoundFor("no_such_file", f"no such file: {path}", path=str(path))
    with open(path, "rb") as f:
        head = f.read(_SAMPLE_BYTES)
    suffix = path.suffix.lower()
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        fmt = suffix.lstrip(".") if suffix in SPREADSHEET_SUFFIXES else (
            "xlsx" if head.startswith(b"PK") else "xls")
        check_spreadsheet(path, fmt)
        return _read_spreadsheet(path, header_row, fmt)
    if suffix in SPREADSHEET_SUFFIXES and suffix != ".xls":
        raise _refuse(path.name, f"this {suffix} file is damaged or not a spreadsheet", code="file_damaged",
                      suffix=suffix)
    if suffix == ".xls" and head.lstrip().lower().startswith((b"<!doctype", b"<html", b"<?xml",
                                                               b"<table")):
        raise _refuse(path.name, "this .xls file is a web page (HTML), not a spreadsheet; "
                                 "open it in Excel and save it as .xlsx or CSV", code="xls_is_html")
    return _read_csv(path, head, header_row)


# --- choosing the header ---------------------------------------------------------------------

def _choose_header(candidates: list[tuple[int, list[str]]], header_row: int | None,
                   source: str) -> tuple[int, list[str]]:
    if header_row is not None:
        for rownum, cells in candidates:
            if rownum == header_row:
                return rownum, cells
        raise _refuse(source, f"row {header_row} is blank or beyond the first rows; "
                              f"it cannot be the header", code="header_row_blank", header_row=header_row)
    if not candidates:
        raise _refuse(source, "the file is empty: no header and no rows", code="file_empty")
    known = [sum(1 for c in cells if normalize_header(c) in KNOWN_HEADERS)
             for _, cells in candidates]
    if max(known) >= 2:
        return candidates[known.index(max(known))]
    filled = [sum(1 for c in cells if c.strip()) for _, cells in candidates]
    most = max(filled)
    need = 1 if most == 1 else max(2, (most + 1) // 2)
    for (rownum, cells), n in zip(candidates, filled):
        if n >= need:
            return rownum, cells
    return candidates[0]  # unreachable: the fullest row qualifies


_HEADER_STRIP = " \t\r\n\xa0\u200e\u200f\u202a\u202b\u202c\u202d\u202e\ufeff"


def _clean_headers(cells: list) -> list[str]:
    return [("" if c is None else _header_text(c)).strip(_HEADER_STRIP) for c in cells]


def _header_text(cell: object) -> str:
    if isinstance(cell, Decimal) and cell == cell.to_integral_value():
        return str(int(cell))
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell)


# --- CSV -------------------------------------------------------------------------------------

def _decodes(path: Path, encoding: str) -> bool:
    """True when the whole file decodes strictly as ``encoding`` (read in 1 MB chunks)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        with open(path, "rb") as f:
            while chunk := f.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _detect_encoding(path: Path, head: bytes) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _decodes(path, "utf-8"):
        return "utf-8-sig"
    if _decodes(path, "cp1255"):
        return "cp1255"
    raise _refuse(path.name, "the file is neither UTF-8 nor Windows-1255 (Hebrew) text; "
                             "save it as CSV UTF-8", code="file_encoding")


def _sniff_delimiter(sample: str) -> str:
    lines = sample.splitlines()
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line may be cut short
    lines = [ln for ln in lines if ln.strip()][:_HEADER_WINDOW]
    best, best_score = ",", (-1, -1)
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(lines, delimiter=delimiter))
        except csv.Error:
            continue
        widths = [len(r) for r in rows if r]
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        # rows of the most common width, then that width: "a,b;c" prefers the consistent one
        score = (widths.count(common) if common > 1 else 0, common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(path: Path, head: bytes, header_row: int | None) -> Table:
    source = path.name
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _refuse(source, "this is not a text (CSV) file or a spreadsheet", code="not_text_file")
    encoding = _detect_encoding(path, head)
    try:
        sample = head.decode(encoding, errors="ignore")
    except LookupError:  # pragma: no cover - codecs always present
        sample = head.decode("latin-1")
    delimiter = _sniff_delimiter(sample)

    def records() -> Iterator[tuple[int, list[str]]]:
        try:
            with open(path, encoding=encoding, errors="strict", newline="") as f:
                reader = csv.reader(f, delimiter=delimiter)
                rownum = 0
                try:
                    for rownum, cells in enumerate(reader, 1):
                        yield rownum, cells
                except csv.Error as exc:
                    raise _refuse(source, f"the file is not valid CSV after row {rownum}: "
                                          f"{exc}", rownum + 1, code="csv_invalid_after", after=rownum) from None
        except UnicodeDecodeError:  # changed since it was opened
            raise _refuse(source, "the file is no longer readable text; save it as CSV "
                                  "UTF-8", code="file_changed") from None

    candidates = []
    for rownum, cells in records():
        if any(c.strip() for c in cells):
            candidates.append((rownum, cells))
            if len(candidates) >= _HEADER_WINDOW:
                break
    hrow, hcells = _choose_header(candidates, header_row, source)
    headers = _clean_headers(hcells)
    width = len(headers)

    def batches(size: int) -> Iterator[tuple[list[int], list[list[Cell]]]]:
        # the hot loop of a large import: csv.reader read ``size`` records at a time in C
        rownum = 0
        try:
            with open(path, encoding=encoding, errors="strict", newline="") as f:
                reader = csv.reader(f, delimiter=delimiter)
                rownum = sum(1 for _ in islice(reader, hrow))   # the header and rows above it
                while True:
                    part: list[list[Cell]] = []
                    try:
                        # keeps the records read before an error
                        part.extend(islice(reader, size))  # type: ignore[arg-type]  # csv's list[str] rows are Cell rows; list is invariant
                    finally:
                        first, rownum = rownum + 1, rownum + len(part)
                    if not part:
                        return
                    rownums = list(range(first, rownum + 1))
                    filled = list(map(any, part))
                    if not all(filled):   # blank rows are skipped
                        rownums, part = list(compress(rownums, filled)), list(compress(part, filled))
                    if part and min(map(len, part)) < width:
                        for cells in part:
                            if len(cells) < width:
                                cells.extend([""] * (width - len(cells)))
                    if part:
                        yield rownums, part
        except csv.Error as exc:
            raise _refuse(source, f"the file is not valid CSV after row {rownum}: {exc}",
                          rownum + 1, code="csv_invalid_after", after=rownum) from None
        except UnicodeDecodeError:  # the file changed since it was opened
            raise _refuse(source, "the file is no longer readable text; save it as CSV "
                                  "UTF-8", code="file_changed") from None

    def iterate() -> Iterator[tuple[int, list[Cell]]]:
        for rownums, part in batches(1024):
            yield from zip(rownums, part)

    return Table(source=source, path=path, format="csv", headers=headers, header_row=hrow,
                 encoding=encoding, delimiter=delimiter, _iterate=iterate, _batches=batches)


# --- spreadsheets ----------------------------------------------------------------------------

def _number(value: float) -> Decimal:
    try:
        return Decimal(format(value, ".15g"))
    except InvalidOperation:  # pragma: no cover - inf/nan never come from calamine
        return Decimal(repr(value))


def _cell(value: object) -> Cell:
    """A spreadsheet value as a cell: text; a number as a Decimal; a bool as TRUE/FALSE; a date,
    or a datetime (its date when at midnight); "" for an empty cell."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):   # before int: a bool is an int
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, dt.datetime):   # before date: a datetime is a date
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date):
        return value
    if value is None:
        return ""
    return str(value)  # time, timedelta: left for the field to refuse


def _too_big(source: str, what: str, *, code: str, **params: object) -> ValidationFailed:
    """A spreadsheet over a limit (``code``'s words say to save it as CSV or split it)."""
    return _refuse(source, f"{what}; save the sheet as CSV (which has no such limit) or split it", None, code=code,
                   **params)


def check_spreadsheet(path: Path, fmt: str | None = None) -> None:
    """Refuse a spreadsheet that would unpack to more than :data:`MAX_SHEET_BYTES` or whose first
    sheet declares more than :data:`MAX_SHEET_ROWS` rows, without unpacking it (see the module's
    "Limits"). A file that is not a spreadsheet passes: reading it says what is wrong."""
    source = path.name
    limit = _megabytes(MAX_SHEET_BYTES)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        if path.stat().st_size > MAX_SHEET_BYTES:     # XLS: not compressed, its size is its size
            raise _too_big(source, f"this spreadsheet is larger than {limit}, the most gvia reads "
                                   "from a spreadsheet", code="sheet_too_large", limit=limit) from None
        return
    with archive:
        members = archive.infolist()
        if len(members) > _MAX_ZIP_MEMBERS:
            raise _refuse(source, f"this spreadsheet holds {len(members):,} parts; it is damaged or not a "
                                  "spreadsheet", code="sheet_too_many_parts", parts=f"{len(members):,}")
        unpacked = sum(m.file_size for m in members)
        if unpacked > MAX_SHEET_BYTES:
            raise _too_big(source, f"this spreadsheet unpacks to {_megabytes(unpacked)}, more than {limit}, "
                                   "the most gvia reads from a spreadsheet", code="sheet_unpacks_too_large",
                           size=_megabytes(unpacked), limit=limit)
        rows = _declared_rows(archive)
        if rows is not None and rows > MAX_SHEET_ROWS:
            raise _too_big(source, f"its first sheet has {rows:,} rows, more than {MAX_SHEET_ROWS:,}, the most "
                                   "gvia reads from a spreadsheet", code="sheet_too_many_rows",
                           rows=f"{rows:,}", most=f"{MAX_SHEET_ROWS:,}")


def _megabytes(n: int) -> str:
    return f"{n / MB:,.0f} MB" if n >= MB else f"{n / 1024:,.0f} KB"


_SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\br:id=\"([^\"]+)\"")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"[A-Z]*\d*:?[A-Z]*(\d+)\"")


def _declared_rows(archive: zipfile.ZipFile) -> int | None:
    """The last row an XLSX workbook's first sheet declares (its ``<dimension ref="A1:P2000">``),
    read from the first bytes of that sheet only; None when it does not say (or is not XLSX)."""
    try:
        workbook = _small_part(archive, "xl/workbook.xml")
        rels = _small_part(archive, "xl/_rels/workbook.xml.rels")
        if workbook is None or rels is None:
            return None
        first = _SHEET_ENTRY.search(workbook)
        if first is None:
            return None
        rel = re.search(rb"<Relationship\b[^>]*?\bId=\"" + re.escape(first.group(1)) + rb"\"[^>]*>", rels)
        target = re.search(rb"\bTarget=\"([^\"]+)\"", rel.group(0)) if rel else None
        if target is None:
            return None
        name = target.group(1).decode("utf-8", "replace")
        name = name.lstrip("/") if name.startswith("/") else "xl/" + name
        with archive.open(name) as sheet:
            head = sheet.read(64 * 1024)
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        return None        # calamine will say what is wrong with it
    dimension = _DIMENSION.search(head)
    return int(dimension.group(1)) if dimension else None


def _small_part(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    return archive.read(info) if info.file_size <= 4 * MB else None


def _read_spreadsheet(path: Path, header_row: int | None, fmt: str) -> Table:
    import python_calamine  # imported here: only spreadsheets need it

    source = path.name
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
        if not names:
            raise _refuse(source, "the workbook has no sheets", code="workbook_no_sheets")
        sheet = workbook.get_sheet_by_index(0)
    except python_calamine.CalamineError as exc:
        raise _refuse(source, f"cannot read the spreadsheet: {exc}", code="spreadsheet_unreadable") from None
    if (sheet.height or 0) > MAX_SHEET_ROWS:
        raise _too_big(source, f"its first sheet has {sheet.height:,} rows, more than {MAX_SHEET_ROWS:,}, the most "
                               "gvia reads from a spreadsheet", code="sheet_too_many_rows",
                       rows=f"{sheet.height:,}", most=f"{MAX_SHEET_ROWS:,}")

    # iter_rows starts at row 1 even when it is empty, so the position is the row number Excel
    # shows; but it starts at the first used column, so empty columns are put back in front
    # (column "#3" is column C, as the user sees it).
    first_column = (sheet.start or (0, 0))[1]
    padding: list[Cell] = [""] * first_column

    def records() -> Iterator[tuple[int, list[Cell]]]:
        for rownum, cells in enumerate(sheet.iter_rows(), 1):
            yield rownum, padding + [_cell(v) for v in cells]

    candidates = []
    for rownum, cells in records():
        if any((c.strip() if c.__class__ is str else True) for c in cells):
            candidates.append((rownum, [_header_text(c) for c in cells]))
            if len(candidates) >= _HEADER_WINDOW:
                break
    hrow, hcells = _choose_header(candidates, header_row, source)
    headers = _clean_headers(hcells)
    width = len(headers)

    def iterate() -> Iterator[tuple[int, list[Cell]]]:
        for rownum, cells in records():
            if rownum <= hrow:
                continue
            if not any((c.strip() if c.__class__ is str else True) for c in cells):
                continue
            if len(cells) < width:
                cells.extend([""] * (width - len(cells)))
            yield rownum, cells

    return Table(source=source, path=path, format=fmt, headers=headers, header_row=hrow,
                 sheet=names[0], _iterate=iterate)

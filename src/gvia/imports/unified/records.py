"""Reading the two files into typed, checked records (no database).

:func:`read_export` opens an export (``files.py``), reads INI.TXT's A000 header — the character
set of the whole export is its field 1029 (1 ISO-8859-8, 2 CP-862), the version its field 1005 —
and its summary lines (how many records of each type BKMVDATA.TXT holds), then BKMVDATA.TXT line
by line: C100 document headers with their D110 lines and D120 payment lines, B110 accounts; A100
and Z900 are checked (Z900's count of records against the lines read, as INI.TXT's counts per
type), B100 and M100 are counted and left. Every problem names the file, the line and the field
(``C100 1223``: the record and the specification's field number); one bad record refuses the
export, with up to :data:`MAX_PROBLEMS` problems listed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Iterator

from gvia.core.errors import FieldProblem, InvalidAmount, UnknownCurrency, ValidationFailed
from gvia.core.money import Money

from . import layout
from .files import open_export, refuse
from .layout import Field

MAX_PROBLEMS = 1000


class _Bad(ValueError):
    def __init__(self, message: str, code: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Header:
    """INI.TXT's A000: the business, the character set the export is written in, its currency."""

    vat_number: str
    primary_id: str                # field 1004: the same in A100's 1103 and Z900's 1153 (section 2.4)
    business_name: str
    charset: str                   # a Python codec: iso8859_8 | cp862
    currency: str                  # field 1032, ILS when empty
    range_start: dt.date | None
    range_end: dt.date | None
    counts: dict[str, int]         # section 3.2: records per type in BKMVDATA.TXT


@dataclass(frozen=True)
class Account:
    """A B110 account (a customer's card among the ledger's accounts)."""

    line: int
    key: str
    name: str
    address: str
    country_code: str
    tax_id: str


@dataclass(frozen=True)
class DocumentLine:
    """A D110 line: what a person needs of it (its description, the document it is based on)."""

    line: int
    number: int
    base_type: int | None
    base_number: str
    description: str


@dataclass(frozen=True)
class PaymentLine:
    """A D120 line: one means of payment of a receipt."""

    line: int
    number: int
    method: int
    amount_minor: int              # in the export's currency (section 4.5: the line's amount)
    due_date: dt.date | None
    bank: str
    branch: str
    account: str
    cheque_number: str


@dataclass
class Document:
    """A C100 document header, with its D110 and D120 lines."""

    line: int
    type: int
    number: str
    date: dt.date
    customer_key: str
    customer_name: str
    customer_address: str
    customer_phone: str
    customer_tax_id: str
    amount: Money                  # 1223, or 1217 in 1218's currency for an export invoice
    before_vat: Money | None       # 1221, in the export's currency
    withholding_minor: int         # 1224
    cancelled: bool
    imported: bool = True          # False: a type gvia leaves, or a cancelled document (1228)
    lines: list[DocumentLine] = field(default_factory=list)
    payments: list[PaymentLine] = field(default_factory=list)


@dataclass
class Export:
    """One export read: its header, its documents and accounts, what was left and why."""

    source: str                    # BKMVDATA.TXT as problems name it
    header: Header
    documents: list[Document]
    accounts: dict[str, Account]
    records: Counter               # every record type read, with its count
    sha256: str


# --- fields -----------------------------------------------------------------------------------

def _digits(text: str, f: Field) -> str:
    """A 9(n) field's digits without its leading zeros ("" when blank or zero)."""
    t = text.strip()
    if not t:
        return ""
    if not (t.isascii() and t.isdigit()):
        raise _Bad(f"field {f.number} ({f.name}) is not a number", code="unified_not_a_number", name=f.name)
    return t.lstrip("0")


def _int(text: str, f: Field) -> int:
    d = _digits(text, f)
    return int(d) if d else 0


def _amount(text: str, f: Field, decimals: int = 2) -> int:
    """X9(n)v99: a sign and digits with ``decimals`` implied places (section 2.3: -12345.65 is
    "-1234565"), as an integer count of the last place. Blank is zero; no sign is a plus."""
    t = text.strip()
    if not t:
        return 0
    sign = 1
    if t[0] in "+-":
        sign = -1 if t[0] == "-" else 1
        t = t[1:].strip()
    if not t or not (t.isascii() and t.isdigit()):
        raise _Bad(f"field {f.number} ({f.name}) is not an amount (a sign and digits)", code="unified_not_an_amount",
                   name=f.name)
    return sign * int(t)


def _date(text: str, f: Field) -> dt.date | None:
    t = text.strip()
    if not t or set(t) == {"0"}:
        return None
    if len(t) != 8 or not (t.isascii() and t.isdigit()):
        raise _Bad(f"field {f.number} ({f.name}) is not a date (YYYYMMDD)", code="unified_not_a_date", name=f.name)
    try:
        return dt.date(int(t[:4]), int(t[4:6]), int(t[6:]))
    except ValueError:
        raise _Bad(f"field {f.number} ({f.name}) is not a date (YYYYMMDD)", code="unified_not_a_date",
                   name=f.name) from None


_BY_NUMBER = {code: {f.number: f for f in fields} for code, fields in layout.LAYOUTS.items()}


def _shortest(fields: tuple[Field, ...]) -> int:
    """How short a record may come when an exporter trimmed its trailing spaces: down to the
    first of the text fields that end it (a number or an amount is zeros, never trimmed)."""
    start = fields[-1].start
    for f in reversed(fields):
        if f.kind != "X":
            break
        start = f.start
    return start - 1


_SHORTEST = {code: _shortest(fields) for code, fields in layout.LAYOUTS.items()}


class _Record:
    """One record's text and where it is, with its fields cut by number."""

    __slots__ = ("code", "text", "line", "_fields")

    def __init__(self, code: str, text: str, line: int) -> None:
        self.code, self.text, self.line = code, text, line
        self._fields = _BY_NUMBER[code]

    def field(self, number: int) -> Field:
        return self._fields[number]

    def raw(self, number: int) -> str:
        f = self._fields[number]
        return self.text[f.start - 1:f.end]

    def text_of(self, number: int) -> str:
        return self.raw(number).strip()


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[FieldProblem] = []
        self.count = 0

    def problem(self, line: int | None, rec: str, number: int | None, value: str, exc: _Bad | str,
                code: str = "", source: str | None = None, **params: object) -> None:
        self.count += 1
        if len(self.problems) >= MAX_PROBLEMS:
            return
        if isinstance(exc, _Bad):
            message, code, params = str(exc), exc.code, {**exc.params, **params}
        else:
            message = exc
        where = f"{rec} {number}" if number is not None else rec
        self.problems.append(FieldProblem(line, where, value.strip(), message, source or self.source,
                                          place="record_field", code=code, params=params))

    def get(self, r: _Record, number: int, read):  # read: one of the field readers above
        try:
            return read(r.raw(number), r.field(number))
        except _Bad as exc:
            self.problem(r.line, r.code, number, r.raw(number), exc)
            return None


# --- INI.TXT ------------------------------------------------------------------------------------

def _read_ini(data: bytes, source: str) -> tuple[Header, dict[str, int]]:
    """A000 and the summary lines. Its own problems refuse the export at once: without the
    header nothing else can be read."""
    lines = [ln for ln in data.replace(b"\r\n", b"\n").split(b"\n") if ln.strip()]
    if not lines or not lines[0].startswith(b"A000"):
        raise refuse(source, "INI.TXT does not start with its A000 record", code="unified_no_header")
    head = lines[0]
    expected = layout.RECORD_LENGTHS["A000"]
    if len(head) < _SHORTEST["A000"] or len(head) > expected:
        raise refuse(source, f"INI.TXT's A000 record is {len(head)} characters; version 1.31 has {expected}",
                     code="unified_record_length", record="A000", length=len(head), expected=expected)
    # field 1029 and everything before the Hebrew fields are ASCII: read them before the charset is known
    a000 = _Record("A000", head.ljust(expected).decode("latin-1"), 1)
    constant = a000.text_of(1005)
    if layout.SYSTEM_CONSTANT.rstrip("&") not in constant:
        raise ValidationFailed([FieldProblem(1, "A000 1005", constant, "not a version 1.31 export", source,
                                             place="record_field", code="unified_version",
                                             params={"expected": layout.SYSTEM_CONSTANT})],
                               f"{source}: not a version 1.31 export", code="import_unreadable", file=source)
    charset = layout.CHARSETS.get(a000.text_of(1029))
    if charset is None:
        raise ValidationFailed([FieldProblem(1, "A000 1029", a000.text_of(1029),
                                             "the character set is neither 1 (ISO-8859-8) nor 2 (CP-862)", source,
                                             place="record_field", code="unified_charset")],
                               f"{source}: unknown character set", code="import_unreadable", file=source)
    reader = _Reader(source)
    try:
        a000 = _Record("A000", head.ljust(expected).decode(charset), 1)
    except UnicodeDecodeError:
        raise ValidationFailed([FieldProblem(1, "A000", "", "bytes the character set does not have", source,
                                             place="record_field", code="unified_bad_characters",
                                             params={"charset": charset})],
                               f"{source}: unreadable", code="import_unreadable", file=source) from None
    counts: dict[str, int] = {}
    for n, raw in enumerate(lines[1:], start=2):
        text = raw.decode("latin-1").rstrip()
        if len(text) != layout.RECORD_LENGTHS["SUMMARY"]:
            reader.problem(n, "INI", None, text, "a summary line is 19 characters: a record type and its count",
                           code="unified_record_length", record="INI", length=len(text),
                           expected=layout.RECORD_LENGTHS["SUMMARY"])
            continue
        s = _Record("SUMMARY", text, n)
        count = reader.get(s, 1051, _int)
        if count is not None:
            counts[s.text_of(1050)] = count
    start = reader.get(a000, 1024, _date)
    end = reader.get(a000, 1025, _date)
    if reader.problems:
        raise ValidationFailed(reader.problems, f"{source}: {reader.count} problem(s)", code="file_problems",
                               file=source, n=reader.count)
    header = Header(vat_number=a000.text_of(1003).lstrip("0"), primary_id=a000.text_of(1004),
                    business_name=a000.text_of(1018), charset=charset,
                    currency=a000.text_of(1032) or "ILS", range_start=start, range_end=end, counts=counts)
    return header, counts


# --- BKMVDATA.TXT -------------------------------------------------------------------------------

def _lines(stream: IO[bytes], digest) -> Iterator[tuple[int, bytes]]:
    for n, raw in enumerate(stream, start=1):
        digest.update(raw)
        raw = raw.rstrip(b"\r\n")
        if raw.strip():
            yield n, raw


def read_export(path: Path | str) -> Export:
    """Read the export at ``path`` (a folder or a zip). Raises ValidationFailed listing every
    problem (nothing is half read)."""
    with open_export(path) as opened:
        header, ini_counts = _read_ini(opened.ini, opened.ini_source)
        digest = hashlib.sha256(opened.ini)
        return _read_data(opened.data, opened.data_source, header, ini_counts, opened.ini_source, digest)


def _read_data(stream: IO[bytes], source: str, header: Header, ini_counts: dict[str, int], ini_source: str,
               digest) -> Export:
    reader = _Reader(source)
    records: Counter = Counter()
    documents: dict[tuple[int, str], Document] = {}
    order: list[Document] = []
    accounts: dict[str, Account] = {}
    d_lines: list[tuple[int, str, DocumentLine | PaymentLine, int]] = []   # (type, number, line, file line)
    closing: tuple[int, int] | None = None                                # (file line, 1155)
    broken: set[tuple[int, str]] = set()
    lines_read = 0
    for n, raw in _lines(stream, digest):
        lines_read += 1
        try:
            text = raw.decode(header.charset)
        except UnicodeDecodeError:
            reader.problem(n, raw[:4].decode("latin-1"), None, "", "bytes the export's character set does not have",
                           code="unified_bad_characters", charset=header.charset)
            continue
        code = text[:4]
        if code not in layout.RECORD_LENGTHS or code in ("A000", "SUMMARY"):
            reader.problem(n, code, None, code, "not a record type of BKMVDATA.TXT", code="unified_record_unknown")
            continue
        records[code] += 1
        expected = layout.RECORD_LENGTHS[code]
        if code not in layout.LAYOUTS:          # B100, M100: counted, not read
            continue
        # the spaces that end a record may have been trimmed; nothing else may be missing
        if len(text) > expected or len(text) < _SHORTEST[code]:
            reader.problem(n, code, None, "", f"the record is {len(text)} characters; version 1.31 has {expected}",
                           code="unified_record_length", record=code, length=len(text), expected=expected)
            if code == "C100":      # its lines are not reported again
                kind = text[22:25]
                broken.add((int(kind) if kind.isdigit() else -1, text[25:45].strip()))
            continue
        r = _Record(code, text.ljust(expected), n)
        if code == "C100":
            doc = _document(reader, r, header)
            if doc is None:     # its own problems said; its lines are not reported again
                kind = r.text_of(1203)
                broken.add((int(kind) if kind.isdigit() else -1, r.text_of(1204)))
            else:
                key = (doc.type, doc.number)
                if key in documents and doc.imported:
                    reader.problem(n, "C100", 1204, doc.number, "the same document twice in the file",
                                   code="unified_document_twice", first=documents[key].line)
                    continue
                documents[key] = doc
                order.append(doc)
        elif code == "D110":
            dtype, number, line = reader.get(r, 1253, _int), r.text_of(1254), _document_line(reader, r)
            if dtype is not None and line is not None:
                d_lines.append((dtype, number, line, n))
        elif code == "D120":
            dtype, number, pay = reader.get(r, 1303, _int), r.text_of(1304), _payment_line(reader, r)
            if dtype is not None and pay is not None:
                d_lines.append((dtype, number, pay, n))
        elif code == "B110":
            account = _account(r)
            if account.key:
                accounts.setdefault(account.key, account)
        if code in ("A100", "Z900"):    # the same export as INI.TXT: its primary identifier (2.4)
            field_no = 1103 if code == "A100" else 1153
            if r.text_of(field_no) != header.primary_id:
                reader.problem(n, code, field_no, r.text_of(field_no), "another export's primary identifier than "
                               "INI.TXT's", code="unified_other_export", expected=header.primary_id)
        if code == "Z900":
            total = reader.get(r, 1155, _int)
            if total is not None:
                closing = (n, total)
    for dtype, number, item, n in d_lines:
        doc = documents.get((dtype, number))
        rec = "D110" if isinstance(item, DocumentLine) else "D120"
        if doc is None and (dtype, number) not in broken:
            reader.problem(n, rec, 1254 if rec == "D110" else 1304, number,
                           "a line of a document the file has no C100 header for", code="unified_line_without_document",
                           type=str(dtype))
        elif doc is None:
            continue
        elif isinstance(item, DocumentLine):
            doc.lines.append(item)
        else:
            doc.payments.append(item)
    if closing is not None and closing[1] != lines_read:
        reader.problem(closing[0], "Z900", 1155, str(closing[1]), "the closing record counts another number of "
                       "records than the file holds (a file cut short?)", code="unified_count_differs",
                       counted=lines_read)
    for code, count in sorted(ini_counts.items()):
        if records.get(code, 0) != count:
            reader.problem(None, code, 1051, str(count), "INI.TXT counts another number of these records than "
                           "BKMVDATA.TXT holds", code="unified_count_differs", source=ini_source,
                           counted=records.get(code, 0))
    if reader.problems:
        raise ValidationFailed(reader.problems, f"{source}: {reader.count} problem(s)", code="file_problems",
                               file=source, n=reader.count)
    return Export(source=source, header=header, documents=order, accounts=accounts, records=records,
                  sha256=digest.hexdigest())


def _money(reader: _Reader, r: _Record, number: int, minor: int, currency: str) -> Money | None:
    try:
        return Money.of(Decimal(minor).scaleb(-2), currency)
    except (InvalidAmount, UnknownCurrency):
        reader.problem(r.line, r.code, number, r.raw(number), "not an amount of this currency",
                       code="unified_not_an_amount", name=r.field(number).name)
        return None


def _document(reader: _Reader, r: _Record, header: Header) -> Document | None:
    """A C100 header; problems of the fields gvia reads only for the types it imports."""
    before = reader.count
    dtype = reader.get(r, 1203, _int)
    if dtype is None:
        return None
    if dtype not in layout.DOCUMENT_TYPES:
        reader.problem(r.line, "C100", 1203, r.raw(1203), "not a document type of the specification's appendix 1",
                       code="unified_document_type")
        return None
    wanted = dtype in layout.INVOICE_TYPES | layout.CREDIT_NOTE_TYPES | layout.RECEIPT_TYPES
    number = r.text_of(1204)
    cancelled = r.text_of(1228) == "1"
    if not wanted or cancelled:
        return Document(r.line, dtype, number, dt.date.min, "", "", "", "", "", Money.zero(header.currency), None,
                        0, cancelled, imported=False)
    if not number:
        reader.problem(r.line, "C100", 1204, "", "every document needs its number", code="unified_missing",
                       name=r.field(1204).name)
    day = reader.get(r, 1230, _date) or reader.get(r, 1205, _date)
    if day is None and reader.count == before:
        reader.problem(r.line, "C100", 1205, r.raw(1205), "the document has no date", code="unified_missing",
                       name=r.field(1205).name)
    key = r.text_of(1225)
    if not key:
        reader.problem(r.line, "C100", 1225, "", "the customer key is required on documents 100 to 710 "
                       "(section 4.3)", code="unified_missing", name=r.field(1225).name)
    total = reader.get(r, 1223, _amount)
    foreign = reader.get(r, 1217, _amount)
    currency = r.text_of(1218)
    before_vat = reader.get(r, 1221, _amount)
    withheld = reader.get(r, 1224, _amount)
    tax_id = reader.get(r, 1215, _digits)
    if reader.count != before:
        return None
    assert day is not None and total is not None and foreign is not None and before_vat is not None  # read above
    if foreign and currency and currency != header.currency:
        amount = _money(reader, r, 1217, foreign, currency)
    else:
        amount = _money(reader, r, 1223, total, header.currency)
    vat_base = _money(reader, r, 1221, before_vat, header.currency) if before_vat else None
    if amount is None or (before_vat and vat_base is None):
        return None
    address = " ".join(p for p in (r.text_of(1208), r.text_of(1209)) if p)
    address = ", ".join(p for p in (address, " ".join(x for x in (r.text_of(1210), r.text_of(1211)) if x)) if p)
    return Document(r.line, dtype, number, day, key, r.text_of(1207), address, r.text_of(1214), tax_id or "",
                    amount, vat_base, withheld or 0, cancelled)


def _document_line(reader: _Reader, r: _Record) -> DocumentLine | None:
    before = reader.count
    number = reader.get(r, 1255, _int)
    base = reader.get(r, 1256, _int)
    if reader.count != before or number is None:
        return None
    return DocumentLine(r.line, number, base or None, r.text_of(1257), r.text_of(1260))


def _payment_line(reader: _Reader, r: _Record) -> PaymentLine | None:
    before = reader.count
    number = reader.get(r, 1305, _int)
    method = reader.get(r, 1306, _int)
    amount = reader.get(r, 1312, _amount)
    due = reader.get(r, 1311, _date)
    bank, branch, account, cheque = (reader.get(r, n, _digits) for n in (1307, 1308, 1309, 1310))
    if reader.count != before or number is None or method is None or amount is None:
        return None
    if method not in layout.PAYMENT_METHODS:
        reader.problem(r.line, "D120", 1306, r.raw(1306), "not a means of payment of section 4.5 (1 to 9)",
                       code="unified_payment_method")
        return None
    return PaymentLine(r.line, number, method, amount, due, bank or "", branch or "", account or "", cheque or "")


def _account(r: _Record) -> Account:
    street = " ".join(p for p in (r.text_of(1407), r.text_of(1408)) if p)
    city = " ".join(p for p in (r.text_of(1409), r.text_of(1410)) if p)
    tax_id = r.text_of(1419)
    return Account(r.line, r.text_of(1403), r.text_of(1404), ", ".join(p for p in (street, city) if p),
                   r.text_of(1412), tax_id.lstrip("0") if tax_id.isdigit() else "")

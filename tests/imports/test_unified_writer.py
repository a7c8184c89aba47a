"""A writer of unified exports (מבנה אחיד 1.31) for the tests, built from the specification's own
tables, and the reader's tests against what it writes (no database).

The tables below are transcribed from the specification's sections 3.1, 4.1–4.5 and 4.7 as its
stored text gives them — field number, first and last column, picture — apart from gvia's
``imports/unified/layout.py`` (which holds first column and width), so a slip in one is caught
by the other. Source: "הוראות להפקת קבצים במבנה אחיד" 1.31,
https://www.gov.il/BlobFolder/service/registration-software-designed-managing-computerized-accounting-system/he/Service_Pages_Income_tax_horaot-131.pdf
(stored text: AsafK1981/invoice-app docs/uniform-structure/horaot_131_simple.txt).
Pictures: X text (left, spaces), 9 digits (right, zeros), S X9(n)v99 (sign, digits, two implied
decimals; section 2.3: -12345.65 in X9(5)v99 is "-1234565"), Q X9(12)v9999, R 9(2)v99.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from gvia.core.errors import ValidationFailed
from gvia.imports.unified import files as unified_files
from gvia.imports.unified import read_export, to_rows

# (field, first column, last column, picture)
SPEC: dict[str, list[tuple[int, int, int, str]]] = {
    "A000": [(1000, 1, 4, "X"), (1001, 5, 9, "X"), (1002, 10, 24, "9"), (1003, 25, 33, "9"), (1004, 34, 48, "9"),
             (1005, 49, 56, "X"), (1006, 57, 64, "9"), (1007, 65, 84, "X"), (1008, 85, 104, "X"),
             (1009, 105, 113, "9"), (1010, 114, 133, "X"), (1011, 134, 134, "9"), (1012, 135, 184, "X"),
             (1013, 185, 185, "9"), (1014, 186, 186, "9"), (1015, 187, 195, "9"), (1016, 196, 204, "9"),
             (1017, 205, 214, "X"), (1018, 215, 264, "X"), (1019, 265, 314, "X"), (1020, 315, 324, "X"),
             (1021, 325, 354, "X"), (1022, 355, 362, "X"), (1023, 363, 366, "9"), (1024, 367, 374, "9"),
             (1025, 375, 382, "9"), (1026, 383, 390, "9"), (1027, 391, 394, "9"), (1028, 395, 395, "9"),
             (1029, 396, 396, "9"), (1030, 397, 416, "X"), (1032, 417, 419, "X"), (1034, 420, 420, "9"),
             (1035, 421, 466, "X")],
    "SUMMARY": [(1050, 1, 4, "X"), (1051, 5, 19, "9")],
    "A100": [(1100, 1, 4, "X"), (1101, 5, 13, "9"), (1102, 14, 22, "9"), (1103, 23, 37, "9"), (1104, 38, 45, "X"),
             (1105, 46, 95, "X")],
    "Z900": [(1150, 1, 4, "X"), (1151, 5, 13, "9"), (1152, 14, 22, "9"), (1153, 23, 37, "9"), (1154, 38, 45, "X"),
             (1155, 46, 60, "9"), (1156, 61, 110, "X")],
    "C100": [(1200, 1, 4, "X"), (1201, 5, 13, "9"), (1202, 14, 22, "9"), (1203, 23, 25, "9"), (1204, 26, 45, "X"),
             (1205, 46, 53, "9"), (1206, 54, 57, "9"), (1207, 58, 107, "X"), (1208, 108, 157, "X"),
             (1209, 158, 167, "X"), (1210, 168, 197, "X"), (1211, 198, 205, "X"), (1212, 206, 235, "X"),
             (1213, 236, 237, "X"), (1214, 238, 252, "X"), (1215, 253, 261, "9"), (1216, 262, 269, "9"),
             (1217, 270, 284, "S"), (1218, 285, 287, "X"), (1219, 288, 302, "S"), (1220, 303, 317, "S"),
             (1221, 318, 332, "S"), (1222, 333, 347, "S"), (1223, 348, 362, "S"), (1224, 363, 374, "S"),
             (1225, 375, 389, "X"), (1226, 390, 399, "X"), (1228, 400, 400, "X"), (1230, 401, 408, "9"),
             (1231, 409, 415, "X"), (1233, 416, 424, "X"), (1234, 425, 431, "9"), (1235, 432, 444, "X")],
    "D110": [(1250, 1, 4, "X"), (1251, 5, 13, "9"), (1252, 14, 22, "9"), (1253, 23, 25, "9"), (1254, 26, 45, "X"),
             (1255, 46, 49, "9"), (1256, 50, 52, "9"), (1257, 53, 72, "X"), (1258, 73, 73, "9"), (1259, 74, 93, "X"),
             (1260, 94, 123, "X"), (1261, 124, 173, "X"), (1262, 174, 203, "X"), (1263, 204, 223, "X"),
             (1264, 224, 240, "Q"), (1265, 241, 255, "S"), (1266, 256, 270, "S"), (1267, 271, 285, "S"),
             (1268, 286, 289, "R"), (1270, 290, 296, "X"), (1272, 297, 304, "9"), (1273, 305, 311, "9"),
             (1274, 312, 318, "X"), (1275, 319, 339, "X")],
    "D120": [(1300, 1, 4, "X"), (1301, 5, 13, "9"), (1302, 14, 22, "9"), (1303, 23, 25, "9"), (1304, 26, 45, "X"),
             (1305, 46, 49, "9"), (1306, 50, 50, "9"), (1307, 51, 60, "9"), (1308, 61, 70, "9"), (1309, 71, 85, "9"),
             (1310, 86, 95, "9"), (1311, 96, 103, "9"), (1312, 104, 118, "S"), (1313, 119, 119, "9"),
             (1314, 120, 139, "X"), (1315, 140, 140, "9"), (1320, 141, 147, "X"), (1322, 148, 155, "9"),
             (1323, 156, 162, "9"), (1324, 163, 222, "X")],
    "B110": [(1400, 1, 4, "X"), (1401, 5, 13, "9"), (1402, 14, 22, "9"), (1403, 23, 37, "X"), (1404, 38, 87, "X"),
             (1405, 88, 102, "X"), (1406, 103, 132, "X"), (1407, 133, 182, "X"), (1408, 183, 192, "X"),
             (1409, 193, 222, "X"), (1410, 223, 230, "X"), (1411, 231, 260, "X"), (1412, 261, 262, "X"),
             (1413, 263, 277, "X"), (1414, 278, 292, "S"), (1415, 293, 307, "S"), (1416, 308, 322, "S"),
             (1417, 323, 326, "9"), (1419, 327, 335, "9"), (1421, 336, 342, "X"), (1422, 343, 357, "S"),
             (1423, 358, 360, "X"), (1424, 361, 376, "X")],
    "B100": [(1350, 1, 4, "X"), (1351, 5, 317, "X")],     # not read by gvia: only its length (2.5)
}
LENGTHS = {"A000": 466, "SUMMARY": 19, "A100": 95, "B100": 317, "B110": 376, "C100": 444, "D110": 339,
           "D120": 222, "Z900": 110}   # section 2.5
VAT = 512345678
PRIMARY = 123456789012345
CONSTANT = "&OF1.31&"


def _cell(picture: str, width: int, value: object) -> str:
    if picture == "X":
        return ("" if value is None else str(value))[:width].ljust(width)
    if picture in ("9", "R"):
        if isinstance(value, dt.date):
            value = value.strftime("%Y%m%d")
        if picture == "R" and value is not None:
            value = int(Decimal(str(value)) * 100)
        return str(0 if value is None else value).rjust(width, "0")
    places = 4 if picture == "Q" else 2
    n = int((Decimal(str(value or 0)) * 10 ** places).to_integral_value())
    return ("-" if n < 0 else "+") + str(abs(n)).rjust(width - 1, "0")


def record(code: str, values: dict[int, object]) -> str:
    """One record laid out by the specification's table: the fields given, the others empty
    (spaces or zeros by their picture, section 2.3)."""
    table = SPEC[code]
    out = []
    column = 1
    for number, first, last, picture in table:
        assert first == column, (code, number)
        value = values.get(number, code if number == table[0][0] and code != "SUMMARY" else None)
        out.append(_cell(picture, last - first + 1, value))
        column = last + 1
    line = "".join(out)
    assert len(line) == LENGTHS[code], (code, len(line))
    return line


class Export:
    """An export being written: documents with their lines and payments, accounts."""

    def __init__(self, charset: int = 1, currency: str = "ILS") -> None:
        self.charset, self.currency = charset, currency
        self.data: list[tuple[str, dict[int, object]]] = []

    def account(self, key: str, name: str, *, street: str = "", city: str = "", tax_id: int | None = None) -> None:
        self.data.append(("B110", {1403: key, 1404: name, 1405: "200", 1407: street, 1409: city, 1419: tax_id}))

    def document(self, dtype: int, number: str, day: dt.date, key: str, name: str, total: str, *,
                 before_vat: str | None = None, withheld: str = "0", lines: list[dict[int, object]] = (),
                 payments: list[dict[int, object]] = (), cancelled: bool = False,
                 foreign: tuple[str, str] | None = None, tax_id: int | None = None) -> None:
        self.data.append(("C100", {1203: dtype, 1204: number, 1205: day, 1206: 1030, 1207: name, 1215: tax_id,
                                   1219: before_vat or total, 1221: before_vat or total, 1223: total, 1224: withheld,
                                   1225: key, 1228: "1" if cancelled else "", 1230: day,
                                   1217: foreign[1] if foreign else 0, 1218: foreign[0] if foreign else ""}))
        for i, values in enumerate(lines, start=1):
            self.data.append(("D110", {1253: dtype, 1254: number, 1255: i, 1260: "שירות", 1263: "יחידה",
                                       1264: 1, 1272: day, **values}))
        for i, values in enumerate(payments, start=1):
            self.data.append(("D120", {1303: dtype, 1304: number, 1305: i, 1322: day, **values}))

    def records(self) -> list[str]:
        body = [record(code, {**values}) for code, values in self.data]
        lines = [record("A100", {1102: VAT, 1103: PRIMARY, 1104: CONSTANT})] + body
        total = len(lines) + 1
        lines.append(record("Z900", {1152: VAT, 1153: PRIMARY, 1154: CONSTANT, 1155: total}))
        # every record's running number (1101, 1201, ... the second field) and the VAT number
        out = []
        for n, line in enumerate(lines, start=1):
            out.append(line[:4] + str(n).rjust(9, "0") + str(VAT).rjust(9, "0") + line[22:])
        return out

    def ini(self, records: list[str]) -> list[str]:
        counts: dict[str, int] = {}
        for r in records:
            counts[r[:4]] = counts.get(r[:4], 0) + 1
        head = record("A000", {1002: len(records), 1003: VAT, 1004: PRIMARY, 1005: CONSTANT, 1007: "Hashbon",
                               1011: 2, 1013: 2, 1018: 'גלבוע ציוד משרדי בע"מ', 1024: dt.date(2026, 1, 1),
                               1025: dt.date(2026, 12, 31), 1026: dt.date(2026, 12, 7), 1029: self.charset,
                               1032: self.currency})
        return [head] + [record("SUMMARY", {1050: code, 1051: n}) for code, n in sorted(counts.items())]

    def write(self, root: Path, *, packed: bool = False) -> Path:
        """OPENFRMT/51234567.26/12071030/ under ``root`` (section 2.2), INI.TXT and BKMVDATA.TXT
        in the export's character set, each record ending in CR LF; ``packed``: BKMVDATA.TXT in
        a BKMVDATA.zip. Returns the OPENFRMT folder."""
        encoding = {1: "iso8859_8", 2: "cp862"}[self.charset]
        folder = root / "OPENFRMT" / "51234567.26" / "12071030"
        folder.mkdir(parents=True, exist_ok=True)
        records = self.records()
        data = "".join(r + "\r\n" for r in records).encode(encoding)
        (folder / "INI.TXT").write_bytes("".join(r + "\r\n" for r in self.ini(records)).encode(encoding))
        if packed:
            with zipfile.ZipFile(folder / "BKMVDATA.zip", "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("BKMVDATA.TXT", data)
        else:
            (folder / "BKMVDATA.TXT").write_bytes(data)
        return root / "OPENFRMT"

    def zip(self, root: Path, name: str = "export.zip", **kw) -> Path:
        folder = self.write(root / "unpacked", **kw)
        path = root / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for p in sorted(folder.rglob("*")):
                if p.is_file():
                    z.write(p, p.relative_to(folder.parent).as_posix())
        return path


def gilboa(charset: int = 1) -> Export:
    """A small year of a Hebrew business: two customers (one with its B110 card, one only on its
    documents), tax invoices, a credit note, a receipt by cheque and transfer, a tax
    invoice-receipt, a delivery note and a cancelled invoice that are not imported."""
    e = Export(charset=charset)
    e.account("1001", 'אלון ציוד בע"מ', street="הרצל 12", city="חיפה", tax_id=514000001)
    e.account("4000", "הכנסות")                      # an income account: not a customer
    day = dt.date(2026, 3, 1)
    e.document(305, "5001", day, "1001", 'אלון ציוד בע"מ', "11800", before_vat="10000", tax_id=514000001,
               lines=[{1267: "10000", 1268: 18}])
    e.document(305, "5002", dt.date(2026, 4, 1), "1001", 'אלון ציוד בע"מ', "2360", before_vat="2000",
               lines=[{1267: "2000", 1268: 18}])
    e.document(330, "9001", dt.date(2026, 4, 10), "1001", 'אלון ציוד בע"מ', "1180", before_vat="1000",
               lines=[{1256: 305, 1257: "5002", 1267: "1000", 1268: 18}])
    e.document(400, "7001", dt.date(2026, 5, 1), "1001", 'אלון ציוד בע"מ', "6000", withheld="0",
               payments=[{1306: 2, 1307: 12, 1308: 600, 1309: 123456, 1310: 80001, 1311: dt.date(2026, 5, 15),
                          1312: "4000"},
                         {1306: 4, 1312: "2000"}])
    e.document(320, "8001", dt.date(2026, 6, 1), "2002", "כהן ובניו", "590", before_vat="500",
               payments=[{1306: 3, 1312: "590", 1313: 1, 1314: "ויזה"}])
    e.document(200, "3001", dt.date(2026, 6, 2), "2002", "כהן ובניו", "100")           # a delivery note
    e.document(305, "5003", dt.date(2026, 6, 3), "2002", "כהן ובניו", "999", cancelled=True)
    return e


# --- the writer against the specification --------------------------------------------------------

def test_the_writer_lays_records_out_as_section_2_5_measures_them() -> None:
    for code in SPEC:
        assert len(record(code, {})) == LENGTHS[code]
    c100 = record("C100", {1203: 305, 1204: "5001", 1223: Decimal("-12345.65"), 1225: "1001"})
    assert c100[22:25] == "305" and c100[25:45].rstrip() == "5001"
    assert c100[347:362] == "-00000001234565"        # 1223, columns 348-362, as section 2.3's example
    assert c100[374:389].rstrip() == "1001"           # 1225, columns 375-389


def test_gvia_layout_agrees_with_this_transcription() -> None:
    from gvia.imports.unified import layout
    for code, fields in layout.LAYOUTS.items():
        mine = [(n, first, last) for n, first, last, _p in SPEC[code]]
        assert [(f.number, f.start, f.end) for f in fields] == mine, code


# --- the reader --------------------------------------------------------------------------------

@pytest.mark.parametrize("charset", [1, 2])
def test_hebrew_survives_either_character_set(tmp_path: Path, charset: int) -> None:
    folder = gilboa(charset).write(tmp_path)
    raw = next(folder.rglob("BKMVDATA.TXT")).read_bytes()
    # 'א' is 0xE0 in ISO-8859-8 and 0x80 in CP-862: the bytes really are the charset's
    assert ("אלון".encode("iso8859_8") in raw) == (charset == 1)
    assert ("אלון".encode("cp862") in raw) == (charset == 2)
    export = read_export(folder)
    assert export.header.charset == {1: "iso8859_8", 2: "cp862"}[charset]
    assert export.header.business_name == 'גלבוע ציוד משרדי בע"מ'
    assert export.accounts["1001"].name == 'אלון ציוד בע"מ' and export.accounts["1001"].address == "הרצל 12, חיפה"
    rows, problems = to_rows(export)
    assert problems == []
    assert [(c.ref, c.name) for c in rows.customers] == [("1001", 'אלון ציוד בע"מ'), ("2002", "כהן ובניו")]


def test_documents_lines_and_payments_read_into_rows(tmp_path: Path) -> None:
    export = read_export(gilboa().write(tmp_path))
    rows, problems = to_rows(export)
    assert problems == []
    got = [(r.invoice_number, r.kind, str(r.amount.amount), r.applies_to, r.issue_date, r.due_date)
           for r in rows.invoices]
    assert got == [("5001", "invoice", "11800.00", None, dt.date(2026, 3, 1), dt.date(2026, 3, 1)),
                   ("5002", "invoice", "2360.00", None, dt.date(2026, 4, 1), dt.date(2026, 4, 1)),
                   ("9001", "credit_note", "1180.00", "5002", dt.date(2026, 4, 10), dt.date(2026, 4, 10)),
                   ("8001", "invoice", "590.00", None, dt.date(2026, 6, 1), dt.date(2026, 6, 1))]
    assert rows.invoices[0].amount_before_vat.amount == Decimal("10000.00")
    assert rows.invoices[0].allocation_number is None        # version 1.31 has no field for it
    assert rows.invoices[0].customer.tax_id == "514000001"
    pays = [(p.reference, p.method, str(p.amount.amount), p.value_date, p.cheque_number, p.invoice_number)
            for p in rows.payments]
    assert pays == [("400-7001/1", "cheque", "4000.00", dt.date(2026, 5, 15), "80001", None),
                    ("400-7001/2", "transfer", "2000.00", None, None, None),
                    ("320-8001/1", "card", "590.00", None, None, "8001")]
    assert rows.left_types == {200: 1} and rows.cancelled == 1 and rows.other_accounts == 1
    # each row's number is the line of BKMVDATA.TXT its record is on (A100 is line 1)
    assert rows.invoices[0].row == 4 and rows.payments[0].row == 11


@pytest.mark.parametrize("packed", [False, True])
def test_a_zip_of_the_folder_and_a_packed_bkmvdata(tmp_path: Path, packed: bool) -> None:
    export = read_export(gilboa().zip(tmp_path, packed=packed))
    assert len([d for d in export.documents if d.imported]) == 5
    assert export.source.endswith("BKMVDATA.TXT") and export.source.startswith("export.zip/")


def _problems(exc: pytest.ExceptionInfo[ValidationFailed]) -> list[tuple]:
    return [(p.source.rsplit("/", 1)[-1], p.row, p.field, p.code) for p in exc.value.problems]


def test_a_bad_amount_is_refused_naming_file_line_and_field(tmp_path: Path) -> None:
    folder = gilboa().write(tmp_path)
    path = next(folder.rglob("BKMVDATA.TXT"))
    lines = path.read_bytes().split(b"\r\n")
    lines[5] = lines[5][:347] + b"+0000000012A456" + lines[5][362:]     # line 6: invoice 5002's total
    path.write_bytes(b"\r\n".join(lines))
    with pytest.raises(ValidationFailed) as exc:
        read_export(folder)
    assert _problems(exc) == [("BKMVDATA.TXT", 6, "C100 1223", "unified_not_an_amount")]
    assert exc.value.problems[0].place == "record_field"


def test_a_line_without_its_document_and_a_file_cut_short(tmp_path: Path) -> None:
    e = gilboa()
    e.data.append(("D120", {1303: 400, 1304: "7999", 1305: 1, 1306: 1, 1312: "10"}))
    folder = e.write(tmp_path)
    path = next(folder.rglob("BKMVDATA.TXT"))
    with pytest.raises(ValidationFailed) as exc:
        read_export(folder)
    assert ("BKMVDATA.TXT", 17, "D120 1304", "unified_line_without_document") in _problems(exc)
    # the last document's line lost: Z900 and INI.TXT count one more D110 than there is
    e = gilboa()
    folder = e.write(tmp_path / "cut")
    path = next(folder.rglob("BKMVDATA.TXT"))
    kept = [ln for ln in path.read_bytes().split(b"\r\n") if not ln.startswith(b"D110")]
    path.write_bytes(b"\r\n".join(kept))
    with pytest.raises(ValidationFailed) as exc:
        read_export(folder)
    found = _problems(exc)
    assert ("BKMVDATA.TXT", 14, "Z900 1155", "unified_count_differs") in found
    assert ("INI.TXT", None, "D110 1051", "unified_count_differs") in found


def test_not_version_1_31_and_an_unknown_character_set(tmp_path: Path) -> None:
    folder = gilboa().write(tmp_path)
    ini = next(folder.rglob("INI.TXT"))
    good = ini.read_bytes()
    ini.write_bytes(good[:48] + b"&OF1.20&" + good[56:])
    with pytest.raises(ValidationFailed) as exc:
        read_export(folder)
    assert _problems(exc) == [("INI.TXT", 1, "A000 1005", "unified_version")]
    ini.write_bytes(good[:395] + b"3" + good[396:])
    with pytest.raises(ValidationFailed) as exc:
        read_export(folder)
    assert _problems(exc) == [("INI.TXT", 1, "A000 1029", "unified_charset")]


def test_a_zip_that_unpacks_too_far_is_refused_unread(tmp_path: Path, monkeypatch) -> None:
    path = gilboa().zip(tmp_path)
    monkeypatch.setattr(unified_files, "MAX_UNPACKED_BYTES", 2000)
    with pytest.raises(ValidationFailed) as exc:
        read_export(path)
    assert [p.code for p in exc.value.problems] == ["unified_zip_too_large"]
    assert exc.value.problems[0].source == "export.zip"


def test_what_is_not_an_export(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(ValidationFailed) as exc:
        read_export(tmp_path)
    assert [p.code for p in exc.value.problems] == ["unified_no_ini"]
    bogus = tmp_path / "bogus.zip"
    bogus.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(ValidationFailed) as exc:
        read_export(bogus)
    assert [p.code for p in exc.value.problems] == ["unified_not_a_zip"]
    gilboa().write(tmp_path / "a")
    gilboa().write(tmp_path / "b")
    with pytest.raises(ValidationFailed) as exc:
        read_export(tmp_path)
    assert [p.code for p in exc.value.problems] == ["unified_many_exports"]


def test_records_whose_closing_spaces_were_trimmed_are_read(tmp_path: Path) -> None:
    folder = gilboa().write(tmp_path)
    for name in ("INI.TXT", "BKMVDATA.TXT"):
        path = next(folder.rglob(name))
        path.write_bytes(b"\r\n".join(line.rstrip(b" ") for line in path.read_bytes().split(b"\r\n")))
    export = read_export(folder)
    assert len([d for d in export.documents if d.imported]) == 5
    # a record cut inside a field that holds data is refused
    path = next(folder.rglob("BKMVDATA.TXT"))
    lines = path.read_bytes().split(b"\r\n")
    lines[3] = lines[3][:300]
    path.write_bytes(b"\r\n".join(lines))
    with pytest.raises(ValidationFailed) as exc:
        read_export(folder)
    assert _problems(exc) == [("BKMVDATA.TXT", 4, "C100", "unified_record_length")]


def test_a_transaction_invoice_its_tax_invoice_names_and_an_export_invoice(tmp_path: Path) -> None:
    e = Export()
    day = dt.date(2026, 8, 1)
    e.document(300, "T-10", day, "5005", "זטא בע\"מ", "1180")                        # the demand for payment
    e.document(320, "8100", dt.date(2026, 8, 20), "5005", "זטא בע\"מ", "1180",       # paid: the tax invoice-receipt
               lines=[{1256: 300, 1257: "T-10", 1267: "1000"}], payments=[{1306: 4, 1312: "1180"}])
    e.document(305, "5100", day, "6006", "Omega Inc", "0", foreign=("USD", "2500"))  # an export invoice in dollars
    rows, problems = to_rows(read_export(e.write(tmp_path)))
    assert problems == [] and rows.replaced == 1
    assert [(r.invoice_number, str(r.amount.amount), r.amount.currency) for r in rows.invoices] == [
        ("8100", "1180.00", "ILS"), ("5100", "2500.00", "USD")]
    assert [(p.reference, p.invoice_number) for p in rows.payments] == [("320-8100/1", "8100")]


def test_an_ini_of_another_export_is_refused(tmp_path: Path) -> None:
    mine, other = gilboa().write(tmp_path / "mine"), gilboa().write(tmp_path / "other")
    ini = next(other.rglob("INI.TXT"))
    raw = ini.read_bytes()
    ini.write_bytes(raw[:33] + b"999999999999999" + raw[48:])        # 1004, columns 34-48
    next(mine.rglob("INI.TXT")).write_bytes(ini.read_bytes())
    with pytest.raises(ValidationFailed) as exc:
        read_export(mine)
    assert _problems(exc) == [("BKMVDATA.TXT", 1, "A100 1103", "unified_other_export"),
                              ("BKMVDATA.TXT", 17, "Z900 1153", "unified_other_export")]

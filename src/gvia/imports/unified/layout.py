"""The record layouts of the unified files (מבנה אחיד), version 1.31: where each field is.

Source: the Tax Authority's "הוראות להפקת קבצים במבנה אחיד", version 1.31 of 01/05/2009 —
https://www.gov.il/BlobFolder/service/registration-software-designed-managing-computerized-accounting-system/he/Service_Pages_Income_tax_horaot-131.pdf
— sections 2.3 (field kinds: ``X(n)`` text left-aligned and space-filled, ``9(n)`` digits
right-aligned and zero-filled, ``X9(n)v99`` a sign then digits with two implied decimals), 2.4
(dates ``YYYYMMDD``, the charset: "1 = ISO-8859-8-i; 2 = CP-862"), 2.5 (the record lengths:
"466 19 19 19 19 19 19 95 317 376 444 339 222 298 110" for A000, the INI summaries, A100, B100,
B110, C100, D110, D120, M100, Z900), 3.1 (A000), 3.2 (the INI summary), 4.1 (A100), 4.2 (Z900),
4.3 (C100), 4.4 (D110), 4.5 (D120), 4.7 (B110). The PDF itself is not in gvia's stored copies;
its text is, as extracted in AsafK1981/invoice-app ``docs/uniform-structure/horaot_131_simple.txt``
(every field's number, picture, length and first–last column survive; the Hebrew names do not).

Checked against: Urigo/accounter-fullstack
``packages/shaam-uniform-format-generator/documentation/{a000,c100,d120}.csv`` (the fields' Hebrew
names: 1029 "סט תווים", 1205 "תאריך הוצאת המסמך", 1225 "מפתח לקוח אצל מוכר", 1230 "תאריך
המסמך", 1306 "סוג אמצעי התשלום"…) and its ``src/generator/records/b110.ts`` (B110, 376 columns,
the same as here). Its ``records/c100.ts`` gives the cancelled fields 1227, 1229 and 1232 widths
and makes C100 445 columns; the specification's own table (4.3: "X(0) 0 400 - 400") and its
length table (444) say they take none, as two other implementations stored read it (a
TypeScript ``records.ts`` "section 4.3. Fields 1227, 1229 and 1232 are cancelled (width 0)" and
a Python writer's ``LAYOUTS``); gvia follows the specification. Oracle's Israeli localization
documents the same positions (0-based) in "Appendix 6 – Listing of Each Text Position in Open
Format Files", https://docs.oracle.com/en/cloud/saas/financials/25d/faugf/appendix-6-text-position-listing-in-open-format-files.html
(A100: 1101 at 4 for 9, 1102 at 13 for 9, 1103 at 22 for 15, 1104 at 37 for 8, 1105 at 45 for 50;
B100 317 long).

Every layout is checked when this module loads: its fields follow each other with no gap and
end at the record's length. A record type whose fields gvia does not hold (B100 journal lines,
M100 items) is never read field by field: the reader counts it and leaves it.

**The allocation number (מספר הקצאה).** Version 1.31 (2009) has no field for it: the C100 record
ends with field 1235, thirteen reserved columns. The Tax Authority's "Israel Invoices" API
specification (published in ידע למידע 565, October 2023: https://digitaler.cld.bz/hashavim-yeda565/160)
maps its fields to the unified file's field numbers and marks new ones that 1.31 lacks (1236
Union_Vat_Number, 1244 Client_Software_Key), but gives them no columns in the fixed-width
files, and no stored copy publishes a version of the unified structure that places the
allocation number. So the reader reads none (:data:`ALLOCATION_NUMBER_FIELD` is None) and says
so; gvia's allocation-number hold (``core/allocation.py``) then brings each invoice that needs
one to a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

#: The version this module reads: field 1005 (A000), 1104 (A100) and 1154 (Z900) hold it.
SYSTEM_CONSTANT = "&OF1.31&"

#: No version of the unified structure found in stored copies gives the allocation number a place
#: (see the module's docstring).
ALLOCATION_NUMBER_FIELD: int | None = None

#: Field 1029 of A000 (section 3.1: "1 =ISO-8859-8-i; 2 = CP-862"). The "-i" names the logical
#: order of the Hebrew, not another byte map: Python's iso8859_8 decodes it.
CHARSETS: Mapping[str, str] = MappingProxyType({"1": "iso8859_8", "2": "cp862"})
#: The same, as the specification names them (for people).
CHARSET_NAMES: Mapping[str, str] = MappingProxyType({"iso8859_8": "ISO-8859-8-i", "cp862": "CP-862"})

#: Section 2.5: every record's length, without the CR LF that ends it.
RECORD_LENGTHS: Mapping[str, int] = MappingProxyType({
    "A000": 466, "SUMMARY": 19, "A100": 95, "B100": 317, "B110": 376, "C100": 444, "D110": 339,
    "D120": 222, "M100": 298, "Z900": 110,
})

#: The record types of BKMVDATA.TXT (section 2.5).
DATA_RECORDS = ("A100", "B100", "B110", "C100", "D110", "D120", "M100", "Z900")


@dataclass(frozen=True, slots=True)
class Field:
    """One field: the specification's number, first column (1-based), width and kind —
    ``X`` text, ``N`` digits (9(n)), ``S`` a signed amount (X9(n)v99, the sign counted in the
    width), ``Q`` a signed quantity (X9(12)v9999), ``D`` a date (YYYYMMDD), ``T`` a time (hhmm),
    ``R`` an unsigned rate (9(2)v99) — and what it holds, in English for the code's readers."""

    number: int
    start: int
    width: int
    kind: str
    name: str

    @property
    def end(self) -> int:
        """The last column."""
        return self.start + self.width - 1


def _layout(*fields: tuple[int, int, int, str, str]) -> tuple[Field, ...]:
    return tuple(Field(*f) for f in fields)


#: Section 3.1. Fields 1031 and 1033 are cancelled ("X(0)").
A000 = _layout(
    (1000, 1, 4, "X", "record code"), (1001, 5, 5, "X", "reserved"),
    (1002, 10, 15, "N", "records in BKMVDATA.TXT"), (1003, 25, 9, "N", "VAT number"),
    (1004, 34, 15, "N", "primary identifier"), (1005, 49, 8, "X", "system constant"),
    (1006, 57, 8, "N", "software registration"), (1007, 65, 20, "X", "software name"),
    (1008, 85, 20, "X", "software version"), (1009, 105, 9, "N", "software maker's VAT number"),
    (1010, 114, 20, "X", "software maker"), (1011, 134, 1, "N", "software type"),
    (1012, 135, 50, "X", "where the files were saved"), (1013, 185, 1, "N", "bookkeeping type"),
    (1014, 186, 1, "N", "balancing required"), (1015, 187, 9, "N", "company number"),
    (1016, 196, 9, "N", "withholding file"), (1017, 205, 10, "X", "reserved"),
    (1018, 215, 50, "X", "business name"), (1019, 265, 50, "X", "business street"),
    (1020, 315, 10, "X", "business house number"), (1021, 325, 30, "X", "business city"),
    (1022, 355, 8, "X", "business postal code"), (1023, 363, 4, "N", "tax year"),
    (1024, 367, 8, "D", "range start"), (1025, 375, 8, "D", "range end"),
    (1026, 383, 8, "D", "process date"), (1027, 391, 4, "T", "process time"),
    (1028, 395, 1, "N", "language"), (1029, 396, 1, "N", "character set"),
    (1030, 397, 20, "X", "compression software"), (1032, 417, 3, "X", "leading currency"),
    (1034, 420, 1, "N", "branches"), (1035, 421, 46, "X", "reserved"),
)

#: Section 3.2: one line of INI.TXT per record type in BKMVDATA.TXT, with its count.
SUMMARY = _layout((1050, 1, 4, "X", "record code"), (1051, 5, 15, "N", "records of this type"))

#: Section 4.1.
A100 = _layout(
    (1100, 1, 4, "X", "record code"), (1101, 5, 9, "N", "record number"), (1102, 14, 9, "N", "VAT number"),
    (1103, 23, 15, "N", "primary identifier"), (1104, 38, 8, "X", "system constant"),
    (1105, 46, 50, "X", "reserved"),
)

#: Section 4.2.
Z900 = _layout(
    (1150, 1, 4, "X", "record code"), (1151, 5, 9, "N", "record number"), (1152, 14, 9, "N", "VAT number"),
    (1153, 23, 15, "N", "primary identifier"), (1154, 38, 8, "X", "system constant"),
    (1155, 46, 15, "N", "records in the file"), (1156, 61, 50, "X", "reserved"),
)

#: Section 4.3. Fields 1227, 1229 and 1232 are cancelled ("X(0)").
C100 = _layout(
    (1200, 1, 4, "X", "record code"), (1201, 5, 9, "N", "record number"), (1202, 14, 9, "N", "VAT number"),
    (1203, 23, 3, "N", "document type"), (1204, 26, 20, "X", "document number"),
    (1205, 46, 8, "D", "date the document was produced"), (1206, 54, 4, "T", "time produced"),
    (1207, 58, 50, "X", "customer name"), (1208, 108, 50, "X", "customer street"),
    (1209, 158, 10, "X", "customer house number"), (1210, 168, 30, "X", "customer city"),
    (1211, 198, 8, "X", "customer postal code"), (1212, 206, 30, "X", "customer country"),
    (1213, 236, 2, "X", "customer country code"), (1214, 238, 15, "X", "customer phone"),
    (1215, 253, 9, "N", "customer VAT number"), (1216, 262, 8, "D", "value date"),
    (1217, 270, 15, "S", "final amount in foreign currency"), (1218, 285, 3, "X", "currency code"),
    (1219, 288, 15, "S", "amount before the document's discount"), (1220, 303, 15, "S", "document discount"),
    (1221, 318, 15, "S", "amount after discount, before VAT"), (1222, 333, 15, "S", "VAT"),
    (1223, 348, 15, "S", "amount including VAT"), (1224, 363, 12, "S", "tax withheld at source"),
    (1225, 375, 15, "X", "customer key"), (1226, 390, 10, "X", "matching field"),
    (1228, 400, 1, "X", "cancelled document"), (1230, 401, 8, "D", "document date"),
    (1231, 409, 7, "X", "branch"), (1233, 416, 9, "X", "user"), (1234, 425, 7, "N", "link to the lines"),
    (1235, 432, 13, "X", "reserved"),
)

#: Section 4.4. Fields 1269 and 1271 are cancelled.
D110 = _layout(
    (1250, 1, 4, "X", "record code"), (1251, 5, 9, "N", "record number"), (1252, 14, 9, "N", "VAT number"),
    (1253, 23, 3, "N", "document type"), (1254, 26, 20, "X", "document number"),
    (1255, 46, 4, "N", "line number"), (1256, 50, 3, "N", "base document type"),
    (1257, 53, 20, "X", "base document number"), (1258, 73, 1, "N", "transaction type"),
    (1259, 74, 20, "X", "catalogue number"), (1260, 94, 30, "X", "description"),
    (1261, 124, 50, "X", "manufacturer"), (1262, 174, 30, "X", "serial number"),
    (1263, 204, 20, "X", "unit"), (1264, 224, 17, "Q", "quantity"), (1265, 241, 15, "S", "unit price"),
    (1266, 256, 15, "S", "line discount"), (1267, 271, 15, "S", "line total"), (1268, 286, 4, "R", "VAT rate"),
    (1270, 290, 7, "X", "branch"), (1272, 297, 8, "D", "document date"), (1273, 305, 7, "N", "link to the header"),
    (1274, 312, 7, "X", "base document branch"), (1275, 319, 21, "X", "reserved"),
)

#: Section 4.5. Fields 1316 to 1319 and 1321 are cancelled.
D120 = _layout(
    (1300, 1, 4, "X", "record code"), (1301, 5, 9, "N", "record number"), (1302, 14, 9, "N", "VAT number"),
    (1303, 23, 3, "N", "document type"), (1304, 26, 20, "X", "document number"),
    (1305, 46, 4, "N", "line number"), (1306, 50, 1, "N", "means of payment"),
    (1307, 51, 10, "N", "bank"), (1308, 61, 10, "N", "bank branch"), (1309, 71, 15, "N", "account"),
    (1310, 86, 10, "N", "cheque number"), (1311, 96, 8, "D", "cheque or card due date"),
    (1312, 104, 15, "S", "amount"), (1313, 119, 1, "N", "card clearer"), (1314, 120, 20, "X", "card name"),
    (1315, 140, 1, "N", "card transaction type"), (1320, 141, 7, "X", "branch"),
    (1322, 148, 8, "D", "document date"), (1323, 156, 7, "N", "link to the header"),
    (1324, 163, 60, "X", "reserved"),
)

#: Section 4.7. Fields 1418 and 1420 are cancelled.
B110 = _layout(
    (1400, 1, 4, "X", "record code"), (1401, 5, 9, "N", "record number"), (1402, 14, 9, "N", "VAT number"),
    (1403, 23, 15, "X", "account key"), (1404, 38, 50, "X", "account name"),
    (1405, 88, 15, "X", "trial balance code"), (1406, 103, 30, "X", "trial balance code description"),
    (1407, 133, 50, "X", "street"), (1408, 183, 10, "X", "house number"), (1409, 193, 30, "X", "city"),
    (1410, 223, 8, "X", "postal code"), (1411, 231, 30, "X", "country"), (1412, 261, 2, "X", "country code"),
    (1413, 263, 15, "X", "parent account"), (1414, 278, 15, "S", "opening balance"),
    (1415, 293, 15, "S", "total debit"), (1416, 308, 15, "S", "total credit"),
    (1417, 323, 4, "N", "accounting classification"), (1419, 327, 9, "N", "customer or supplier VAT number"),
    (1421, 336, 7, "X", "branch"), (1422, 343, 15, "S", "opening balance in foreign currency"),
    (1423, 358, 3, "X", "foreign currency"), (1424, 361, 16, "X", "reserved"),
)

#: The layouts gvia reads, by record code.
LAYOUTS: Mapping[str, tuple[Field, ...]] = MappingProxyType({
    "A000": A000, "SUMMARY": SUMMARY, "A100": A100, "Z900": Z900, "C100": C100, "D110": D110, "D120": D120,
    "B110": B110,
})

#: Appendix 5.1 (נספח 1): the document types. The codes are in the stored text of the
#: specification; their names, lost there, as a stored Python writer of the files lists them.
DOCUMENT_TYPES: Mapping[int, str] = MappingProxyType({
    100: "הזמנה", 200: "תעודת משלוח", 205: "תעודת משלוח סוכן", 210: "תעודת החזרה",
    300: "חשבונית / חשבונית עסקה", 305: "חשבונית מס", 310: "חשבונית ריכוז", 320: "חשבונית מס / קבלה",
    330: "חשבונית מס זיכוי", 340: "חשבונית שריון", 345: "חשבונית סוכן", 400: "קבלה", 405: "קבלה על תרומות",
    410: "יציאה מקופה", 420: "הפקדת בנק", 500: "הזמנת רכש", 600: "תעודת משלוח רכש", 610: "החזרת רכש",
    700: "חשבונית מס רכש", 710: "זיכוי רכש", 800: "יתרת פתיחה", 810: "כניסה כללית למלאי",
    820: "יציאה כללית מהמלאי", 830: "העברה בין מחסנים", 840: "עדכון בעקבות ספירה", 900: "דוח ייצור - כניסה",
    910: "דוח ייצור - יציאה",
})

#: What gvia imports of them: a debt (an invoice: a transaction invoice, a tax invoice, a
#: consolidated invoice, a tax invoice-receipt), a credit note, money received (a receipt; a tax
#: invoice-receipt is both). Every other type is counted and left.
INVOICE_TYPES = frozenset({300, 305, 310, 320})
CREDIT_NOTE_TYPES = frozenset({330})
RECEIPT_TYPES = frozenset({320, 400})

#: Field 1306 (4.5: "1 מזומן, 2 המחאה, 3 כרטיס אשראי, 4 העברה בנקאית, 5 תווי קניה, 6 תלוש החלפה,
#: 7 שטר, 8 הוראת קבע, 9 אחר", as the accounter transcription's d120.csv lists them) → gvia's
#: payment methods; what gvia has no method for is "other".
PAYMENT_METHODS: Mapping[int, str] = MappingProxyType({
    1: "cash", 2: "cheque", 3: "card", 4: "transfer", 5: "other", 6: "other", 7: "other", 8: "other", 9: "other",
})


def _check(code: str, fields: tuple[Field, ...]) -> None:
    column = 1
    for f in fields:
        if f.start != column:
            raise AssertionError(f"{code}: {f.number} at {f.start}, {column}")  # not shown: a layout's own bug
        column += f.width
    if column - 1 != RECORD_LENGTHS[code]:
        raise AssertionError(f"{code}: {column - 1}, {RECORD_LENGTHS[code]}")  # not shown: a layout's own bug


for _code, _fields in LAYOUTS.items():
    _check(_code, _fields)

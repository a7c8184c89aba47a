"""Bank statements exported as tables (CSV, XLSX …): the Israeli banks' layouts, and the column
mapping for any other.

A layout names the columns of one bank's export (a preset for
:func:`gvia.imports.mapping.build_mapping`, kind ``statement``) and the headers by which a file is
recognized as that bank's. ``--bank NAME`` chooses one; without it a file whose headers carry a
layout's signature is read with that layout, and any other table by the headers of
:mod:`gvia.imports.fields` (``_STATEMENT``) and ``--column FIELD=HEADER`` — the column mapping that
covers a bank without a layout. The table itself is read by :func:`gvia.imports.tables.read_table`
(encodings: UTF-8, UTF-8 with BOM, Windows-1255; the first sheet of a spreadsheet).

**Sources.** No Israeli bank publishes its export's layout. Each layout below is built from
exports commonly shared in public code, as the ``search`` tool found them in its stored copies
(corpus "code"; the stored file's id is given, the copies' repositories were not named by the
store), and says so. A layout is only as sure as those copies; the column mapping reads an export
that differs. Searches that found them: "Bank Hapoalim CSV export transactions columns parser",
"Bank Leumi export xls תאריך ערך אסמכתא בחובה בזכות יתרה parser", "Discount bank Israel
transactions export excel columns parser", "Mizrahi Tefahot bank statement excel export parser
columns", "First International Bank of Israel FIBI otsar hahayal statement export columns", and
``find_string`` on the names found ("POALIM_FIELD_MAPPINGS", "MIZRAHI_TFAHOT_FIELD_MAPPINGS",
"DISCOUNT_TRANSACTIONS_COLUMNS", "Bank Statement Parser for Israeli Banks").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from gvia.core.errors import FieldProblem, UnknownCurrency, ValidationFailed
from gvia.core.money import Money, normalize_currency

from ..fields import normalize_header
from ..mapping import build_mapping
from ..tables import read_table
from ..values import BadValue, DateReader, cell_text, read_amount
from .html import is_html, read_html_table
from .lines import Statement, StatementLine, refuse


class Problem(Protocol):
    """Records one cell's problem: row, field, value, the reader's error (or None), code, English."""

    def __call__(self, rownum: int, fieldname: str, value: object, exc: BadValue | None, *, code: str,
                 message: str) -> None: ...


@dataclass(frozen=True)
class Layout:
    name: str
    columns: dict[str, str]
    signatures: tuple[tuple[str, ...], ...]   # a file has one of these sets of headers
    source: str


LAYOUTS: dict[str, Layout] = {layout.name: layout for layout in (
    Layout("hapoalim",
           {"booking_date": "תאריך", "text": "תיאור הפעולה", "details": "פרטים", "account": "חשבון",
            "reference": "אסמכתא", "value_date": "תאריך ערך", "debit": "חובה", "credit": "זכות",
            "balance": "יתרה לאחר פעולה"},
           (("תיאור הפעולה", "פרטים", "אסמכתא", "חובה", "זכות", "יתרה לאחר פעולה"),
            ("קוד פעולה", "הפעולה", "פרטים", "אסמכתא", "צרור", "חובה", "זכות")),
           "Bank Hapoalim's CSV ('shekel…csv'): תאריך, תיאור הפעולה, פרטים, חשבון, אסמכתא, תאריך ערך, חובה, "
           "זכות, יתרה לאחר פעולה (stored copy 31854250696, a TypeScript importer's POALIM_FIELD_MAPPINGS and "
           "its header check); its Excel export: תאריך, קוד פעולה, הפעולה, פרטים, אסמכתא, צרור, חובה, זכות, "
           "יתרה בש''ח, הערה, the header on the fifth row (stored copy 39341199469, PoalimParser)"),
    Layout("leumi",
           {"booking_date": "תאריך", "value_date": "תאריך ערך", "text": "תיאור", "reference": "אסמכתא",
            "debit": "בחובה", "credit": "בזכות", "balance": 'היתרה בש"ח', "details": "תאור מורחב"},
           (("תאריך ערך", "אסמכתא", "בחובה", "בזכות"),),
           "Bank Leumi's export: תאריך (DD/MM/YYYY), תאריך ערך, תיאור, אסמכתא, בחובה, בזכות, היתרה בש\"ח, "
           "תאור מורחב (the full text of a transfer: who paid). Leumi saves it as an HTML table named .xls, "
           "which html.py reads (stored copy found by the Leumi search above: 'Leumi Bank Import - Important "
           "Patterns & Notes', a result without a name)"),
    Layout("discount",
           {"booking_date": "תאריך", "value_date": "יום ערך", "text": "תיאור התנועה",
            "amount": "₪ זכות/חובה", "balance": "₪ יתרה", "reference": "אסמכתה"},
           (("יום ערך", "תיאור התנועה", "זכות/חובה"),),
           "Israel Discount Bank's Excel export ('עובר ושב'): תאריך, יום ערך, תיאור התנועה, ₪ זכות/חובה (one "
           "signed amount: positive is money in), ₪ יתרה, and in the transactions table also אסמכתה, עמלה, "
           "ערוץ ביצוע; the header on the ninth row (stored copies 39341199469, DiscountParser, and "
           "14719250717, DISCOUNT_TRANSACTIONS_COLUMNS)"),
    Layout("mizrahi",
           {"booking_date": "תאריך", "value_date": "תאריך ערך", "text": "סוג תנועה", "credit": "זכות",
            "debit": "חובה", "balance": "יתרה בשח", "reference": "אסמכתא"},
           (("תאריך ערך", "סוג תנועה", "זכות", "חובה", "אסמכתא"),),
           "Mizrahi-Tefahot's export ('יתרה ותנועות בחשבון'): תאריך (DD/MM/YY), תאריך ערך, סוג תנועה, זכות, "
           "חובה, יתרה בשח, אסמכתא (stored copy 32020127269, MIZRAHI_TFAHOT_FIELD_MAPPINGS). That export keeps "
           "the lines on its second sheet; gvia reads the first, so save that sheet alone"),
    Layout("fibi",
           {"value_date": "תאריך ערך", "credit": "זכות", "debit": "חובה", "text": "תאור", "reference": "אסמכתא",
            "booking_date": "תאריך ביצוע"},
           (("תאריך ערך", "זכות", "חובה", "תאור", "אסמכתא", "תאריך ביצוע"),),
           "First International Bank of Israel (הבינלאומי): תאריך ערך, זכות, חובה, תאור, אסמכתא, תאריך ביצוע, "
           "the header on the sixth row, no balance (stored copy 39341199469, InternationalParser)"),
)}

#: The names ``--bank`` takes (also the layout's Hebrew and English names, for people).
BANK_NAMES = {"hapoalim": "hapoalim", "poalim": "hapoalim", "הפועלים": "hapoalim", "leumi": "leumi",
              "לאומי": "leumi", "discount": "discount", "דיסקונט": "discount", "mizrahi": "mizrahi",
              "mizrahi-tefahot": "mizrahi", "מזרחי": "mizrahi", "מזרחי-טפחות": "mizrahi", "fibi": "fibi",
              "first-international": "fibi", "beinleumi": "fibi", "הבינלאומי": "fibi"}


def bank_layout(bank: str) -> Layout:
    name = BANK_NAMES.get(bank.strip().casefold())
    if name is None:
        raise ValidationFailed([FieldProblem(None, "bank", bank, f"no layout for the bank {bank!r}", place="option",
                                             code="statement_unknown_bank", params={"bank": bank,
                                                                                    "banks": ", ".join(LAYOUTS)})],
                               code="statement_refused", file="")
    return LAYOUTS[name]


def detect_layout(headers: list[str]) -> Layout | None:
    keys = {normalize_header(h) for h in headers}
    for layout in LAYOUTS.values():
        for signature in layout.signatures:
            if all(any(normalize_header(s) in k for k in keys) for s in signature):
                return layout
    return None


def read_table_statement(path: Path, *, bank: str | None = None, columns: dict[str, str] | None = None,
                         date_format: str | None = None, country: str = "IL", currency: str = "ILS",
                         account: str = "", decimal_comma: bool = False) -> Statement:
    name = path.name
    layout = bank_layout(bank) if bank else None
    with open(path, "rb") as f:
        head = f.read(512)
    if is_html(head):   # Leumi's export: an HTML table named .xls
        table = read_html_table(path, path.read_bytes())
    else:
        table = read_table(path)
    if layout is None:
        layout = detect_layout(table.headers)
    elif not any(all(any(normalize_header(s) in normalize_header(h) for h in table.headers) for s in sig)
                 for sig in layout.signatures) and not columns:
        raise refuse(name, code="statement_not_bank_layout", message="the file's headers are not this bank's export",
                     field="bank", value=bank or "", bank=layout.name, headers=", ".join(table.headers))
    try:
        mapping = build_mapping("statement", table.headers, overrides=columns or None,
                                preset={"columns": layout.columns} if layout else None)
    except ValidationFailed as exc:
        raise ValidationFailed([p if p.source else _with_source(p, name) for p in exc.problems], exc.summary,
                               exc.code if exc.code != "problems" else "", **exc.params) from None
    dates = DateReader(country, date_format)
    problems: list[FieldProblem] = []
    lines: list[StatementLine] = []

    def cell(cells: list, fieldname: str) -> object:
        i = mapping.index(fieldname)
        if i is None or i >= len(cells):
            return ""
        v = cells[i]
        return v.strip() if isinstance(v, str) else v

    def problem(rownum: int, fieldname: str, value: object, exc: BadValue | None, *, code: str, message: str) -> None:
        problems.append(FieldProblem(rownum, mapping.header(fieldname) or fieldname, cell_text(value),
                                     str(exc) if exc else message, source=name,
                                     code=(exc.code if exc and exc.code else code),
                                     params=dict(exc.params) if exc and exc.code else {}))

    for rownum, cells in table.rows:
        money = {f: cell(cells, f) for f in ("amount", "credit", "debit")}
        booked_cell = cell(cells, "booking_date") or cell(cells, "value_date")
        if booked_cell in ("", None) and all(v in ("", None) for v in money.values()):
            continue   # a title, a sub-total label or a blank line between the lines
        day = _date(dates, booked_cell, rownum, "booking_date" if mapping.has("booking_date") else "value_date",
                    problem)
        value_day = _date(dates, cell(cells, "value_date"), rownum, "value_date", problem) \
            if mapping.has("value_date") and cell(cells, "value_date") not in ("", None) else None
        cur = currency
        if mapping.has("currency") and cell(cells, "currency") not in ("", None):
            try:
                cur = normalize_currency(cell_text(cell(cells, "currency")))
            except (UnknownCurrency, ValueError):
                problem(rownum, "currency", cell(cells, "currency"), None, code="statement_unknown_currency",
                        message="not a currency")
                continue
        amount = _amount(money, mapping.has("amount"), rownum, problem, decimal_comma)
        if day is None or amount is None:
            continue
        try:
            signed = Money.of(amount[0], amount[1] or cur)
        except UnknownCurrency:
            problem(rownum, "amount", amount[0], None, code="statement_unknown_currency", message="not a currency")
            continue
        text = " ".join(cell_text(cell(cells, f)) for f in ("text", "details") if cell_text(cell(cells, f)))
        lines.append(StatementLine(
            position=rownum, account=cell_text(cell(cells, "account")) or account, booking_date=day,
            value_date=value_day, amount=signed, text=text, reference=cell_text(cell(cells, "reference")),
            end_to_end_id=cell_text(cell(cells, "end_to_end_id")), payer_name=cell_text(cell(cells, "payer_name")),
            payer_account=cell_text(cell(cells, "payer_account"))))
    if problems:
        raise ValidationFailed(problems, code="statement_refused", file=name)
    if not lines:
        raise refuse(name, code="statement_no_lines", message="the file holds no statement lines")
    return Statement(name, "table", layout.name if layout else "", tuple(lines))


def _with_source(p: FieldProblem, source: str) -> FieldProblem:
    return FieldProblem(p.row, p.field, p.value, p.message, source=source, place=p.place, code=p.code,
                        params=p.params)


def _date(dates: DateReader, value: object, rownum: int, fieldname: str, problem: Problem) -> date | None:
    if value in ("", None):
        problem(rownum, fieldname, "", None, code="statement_no_date", message="the line has no date")
        return None
    try:
        return dates(value)
    except BadValue as exc:
        problem(rownum, fieldname, value, exc, code="statement_bad_date", message=str(exc))
        return None


def _amount(money: dict[str, object], signed: bool, rownum: int, problem: Problem,
            decimal_comma: bool = False) -> tuple[Decimal, str | None] | None:
    """The line's signed amount and the currency its text names: the amount column, else credit
    minus debit (one of them filled)."""
    fields = ("amount",) if signed else ("credit", "debit")
    read: dict[str, tuple[Decimal, str | None]] = {}
    for f in fields:
        v = money[f]
        if v in ("", None):
            continue
        try:
            number, hint, _places = read_amount(v if not isinstance(v, str) else v.strip(), decimal_comma)
        except BadValue as exc:
            problem(rownum, f, v, exc, code="statement_bad_amount", message=str(exc))
            return None
        read[f] = (abs(number) if f != "amount" else number, hint)
    if not read:
        problem(rownum, fields[0], "", None, code="statement_no_amount", message="the line has no amount")
        return None
    if signed:
        return read["amount"]
    credit = read.get("credit", (Decimal(0), None))
    debit = read.get("debit", (Decimal(0), None))
    return credit[0] - debit[0], credit[1] or debit[1]

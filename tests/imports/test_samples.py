"""Whole sample files through table -> mapping -> parser, with totals worked out by hand."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest

from gvia.core.errors import ValidationFailed
from gvia.core.money import Money, Totals
from gvia.imports.mapping import build_mapping, make_preset
from gvia.imports.rows import RowParser, parse_rows
from gvia.imports.tables import read_table


def load(kind, path, country="IL", currency="ILS", overrides=None, preset=None,
         date_format=None):
    table = read_table(path)
    mapping = build_mapping(kind, table.headers, overrides, preset)
    parser = RowParser(kind, mapping, country, date_format, currency, source=table.source)
    return list(parse_rows(table.rows, parser))


def test_hebrew_windows_1255_invoices(data_dir):
    rows = load("invoices", data_dir / "invoices_he_cp1255.csv")
    assert [(r.row, r.customer_ref, r.invoice_number, r.kind) for r in rows] == [
        (4, "1001", "5001", "invoice"), (5, "1001", "5002", "invoice"),
        (6, "1001", "5003", "credit_note"), (7, "1002", "7001", "invoice"),
        (8, "1003", "9001", "invoice")]
    # open invoices: 11,700.00 + 2,850.00 + 2,340 = 16,890.00 ILS, and 4,000.00 USD;
    # the credit note of 1,170.00 ILS (written -1,170.00) applies to invoice 5002
    open_invoices = Totals(r.open_amount for r in rows if r.kind == "invoice")
    assert open_invoices.as_strings() == {"ILS": "16890.00", "USD": "4000.00"}
    credit = rows[2]
    assert (credit.amount, credit.open_amount, credit.applies_to) == (
        Money.of("1170", "ILS"), Money.of("1170", "ILS"), "5002")
    assert rows[3].issue_date == dt.date(2026, 8, 15) and rows[3].due_date == dt.date(2026, 9, 14)
    customers = {r.customer.ref: r.customer for r in rows}
    assert customers["1001"].name == 'אלון מערכות בע"מ'
    assert customers["1001"].phone == "+97236123456"
    assert customers["1002"].tax_id == "039337423"
    assert customers["1003"].phone == "+442079460958"
    assert rows[0].customer is rows[1].customer is rows[2].customer


def test_english_utf8_bom_semicolon_invoices_of_a_uk_business(data_dir):
    rows = load("invoices", data_dir / "invoices_en_bom.csv", country="GB", currency="GBP")
    # GBP open: 1,250.00 + 100.50 = 1,350.50; the EUR invoice does not say (None)
    assert Totals(r.open_amount for r in rows if r.open_amount).as_strings() == {
        "GBP": "1350.50"}
    assert rows[1].amount == Money.of("2100.50", "GBP")
    assert (rows[2].issue_date, rows[2].amount, rows[2].open_amount) == (
        dt.date(2026, 11, 23), Money.of("999.99", "EUR"), None)


def test_hebrew_payments(data_dir):
    rows = load("payments", data_dir / "payments_he.tsv")
    got = [(r.row, r.customer_ref, r.date, r.amount, r.withholding, r.method, r.cheque_number,
            r.value_date, r.reference, r.invoice_number) for r in rows]
    zero_ils, zero_usd = Money.of("0", "ILS"), Money.of("0", "USD")
    assert got == [
        (2, "1001", dt.date(2026, 10, 5), Money.of("11466", "ILS"), Money.of("234", "ILS"),
         "transfer", None, None, "RCPT-301", "5001"),
        (3, "1002", dt.date(2026, 9, 20), Money.of("1000", "ILS"), zero_ils, "cheque", "000123",
         dt.date(2026, 12, 20), "RCPT-302", "7001"),
        (4, "1003", dt.date(2026, 11, 2), Money.of("1500", "USD"), zero_usd, "card", None, None,
         "RCPT-303", None),
        (5, "1002", dt.date(2026, 9, 21), Money.of("340", "ILS"), zero_ils, "cash", None, None,
         "RCPT-304", None),
    ]
    # counted as paid on invoice 5001: 11,466.00 received + 234.00 withheld = 11,700.00
    assert rows[0].amount + rows[0].withholding == Money.of("11700", "ILS")
    paid = defaultdict(Decimal)
    for r in rows:
        paid[(r.customer_ref, r.currency)] += r.amount.amount + r.withholding.amount
    assert paid == {("1001", "ILS"): Decimal("11700.00"), ("1002", "ILS"): Decimal("1340.00"),
                    ("1003", "USD"): Decimal("1500.00")}


def test_customers(data_dir):
    rows = load("customers", data_dir / "customers_he.csv")
    assert [(r.ref, r.tax_id, r.email, r.phone, r.language, r.type) for r in rows] == [
        ("1001", "514223395", "gvia@alon-systems.co.il", "+97236123456", "he", "business"),
        ("1002", "039337423", None, "+972521234567", None, "consumer"),
        ("1003", "512345679", "accounts@blueocean.example", "+442079460958", "en", "business"),
    ]
    assert rows[0].address == "הברזל 30, תל אביב" and rows[2].contact_name == "John Smith"


def test_a_broken_file_is_refused_with_one_error_per_bad_row(data_dir):
    with pytest.raises(ValidationFailed) as info:
        load("invoices", data_dir / "invoices_broken.csv")
    assert info.value.summary == ("invoices_broken.csv: 4 problem(s) in 4 row(s); nothing was "
                                  "imported")
    assert [(p.source, p.row, p.field, p.value) for p in info.value.problems] == [
        ("invoices_broken.csv", 2, "issue_date", "31/02/2026"),
        ("invoices_broken.csv", 3, "invoice_number", ""),
        ("invoices_broken.csv", 4, "amount", "abc"),
        ("invoices_broken.csv", 5, "currency", "XYZ"),
    ]
    text = str(info.value)
    assert "row 2, column 'issue_date': issue_date: no such date" in text
    assert "row 5, column 'currency': currency: unknown currency" in text


def test_hebrew_xlsx_export_with_a_mapping_and_a_saved_preset(make_xlsx):
    path = make_xlsx([
        ["יתרות לקוחות לתאריך 23/11/2026"],
        [],
        ["לקוח", "שם", "אסמכתא", "ת. אסמכתא", "ת. ערך", "חובה", "יתרה", "מטבע"],
        [1001, "אלון", 5001, dt.date(2026, 9, 1), dt.date(2026, 10, 1), 11700, 11700, "ש\"ח"],
        [1001, "אלון", 5002, dt.date(2026, 10, 1), dt.date(2026, 10, 31), 5850, 2850.1, "ש\"ח"],
        [1002, "גל-אור", 7001, dt.date(2026, 8, 15), dt.date(2026, 9, 14), 2340.55, 2340.55, ""],
    ])
    overrides = {"customer_ref": "לקוח", "issue_date": "ת. אסמכתא", "due_date": "ת. ערך",
                 "amount": "חובה"}
    table = read_table(path)
    mapping = build_mapping("invoices", table.headers, overrides)
    assert mapping.header("invoice_number") == "אסמכתא"   # Hashavshevet's word, found alone
    assert mapping.header("open_amount") == "יתרה"
    parser = RowParser("invoices", mapping, "IL", None, "ILS", source=table.source)
    rows = list(parse_rows(table.rows, parser))
    # 11,700.00 + 2,850.10 + 2,340.55 = 16,890.65 ILS open
    assert Totals(r.open_amount for r in rows).as_strings() == {"ILS": "16890.65"}
    assert [r.invoice_number for r in rows] == ["5001", "5002", "7001"]
    assert [r.row for r in rows] == [4, 5, 6]
    # the same mapping saved as a preset reads the next month's file without --column
    preset = make_preset(mapping)
    again = load("invoices", path, preset=preset)
    assert [(r.invoice_number, r.open_amount) for r in again] == [
        (r.invoice_number, r.open_amount) for r in rows]

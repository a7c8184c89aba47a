"""The row parser: typed rows and the rules each row must follow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gvia.core.errors import FieldProblem, ValidationFailed
from gvia.core.money import Money
from gvia.imports.mapping import build_mapping
from gvia.imports.parsed import CustomerRow, InvoiceRow, PaymentRow
from gvia.imports.rows import RowParser, parse_rows

INVOICE_HEADERS = ["מס' לקוח", "שם לקוח", "ח.פ.", "מס' חשבונית", "סוג מסמך", "חשבונית מקור",
                   "תאריך", "תאריך פירעון", "סכום", "יתרה", "מטבע", "הזמנה", "פרטים"]


def make_parser(kind, headers, overrides=None, country="IL", date_format=None,
                currency="ILS", **kw):
    mapping = build_mapping(kind, headers, overrides)
    return RowParser(kind, mapping, country, date_format, currency, source="f.csv", **kw)


def invoice_row(**cells):
    """A clean invoice row in INVOICE_HEADERS order, with some cells replaced."""
    row = {"ref": "1001", "name": "אלון", "tax": "514223395", "number": "5001", "kind": "",
           "applies": "", "issue": "01/09/2026", "due": "01/10/2026", "amount": "1,170.00",
           "open": "", "currency": "", "po": "", "text": ""}
    row.update(cells)
    return list(row.values())


@pytest.fixture
def invoices():
    return make_parser("invoices", INVOICE_HEADERS)


def only(result):
    """The one problem of a refused row."""
    row, problems = result
    assert row is None and len(problems) == 1, problems
    return problems[0]


# --- invoices ------------------------------------------------------------------------------

def test_a_good_invoice(invoices):
    row, problems = invoices.parse(4, invoice_row(open="585.5", currency='ש"ח', po=" PO-9 ",
                                                  text="ייעוץ"))
    assert problems == []
    assert row == InvoiceRow(
        row=4,
        customer=CustomerRow(row=4, ref="1001", name="אלון", tax_id="514223395"),
        invoice_number="5001", kind="invoice",
        issue_date=dt.date(2026, 9, 1), due_date=dt.date(2026, 10, 1),
        amount=Money.of("1170.00", "ILS"), open_amount=Money.of("585.50", "ILS"),
        applies_to=None, po_number="PO-9", description="ייעוץ")
    assert row.customer_ref == "1001" and row.currency == "ILS"


def test_rows_of_one_customer_share_one_customer_object(invoices):
    first, _ = invoices.parse(2, invoice_row(number="1"))
    second, _ = invoices.parse(3, invoice_row(number="2"))
    other, _ = invoices.parse(4, invoice_row(number="3", name="אלון בע\"מ"))
    assert second.customer is first.customer and second.customer.row == 2
    assert other.customer.name == 'אלון בע"מ' and other.customer.row == 4


def test_due_date_defaults_to_the_issue_date(invoices):
    row, _ = invoices.parse(2, invoice_row(due=""))
    assert row.issue_date == row.due_date == dt.date(2026, 9, 1)


def test_issue_date_defaults_to_the_due_date(invoices):
    row, _ = invoices.parse(2, invoice_row(issue=""))
    assert row.issue_date == row.due_date == dt.date(2026, 10, 1)
    only_due = make_parser("invoices", ["customer_ref", "invoice number", "due date", "amount"])
    row, _ = only_due.parse(2, ["1", "7", "2026-10-01", "5"])
    assert row.issue_date == row.due_date == dt.date(2026, 10, 1)


def test_an_invoice_needs_a_date(invoices):
    p = only(invoices.parse(2, invoice_row(issue="", due=" ")))
    assert (p.row, p.field, p.value) == (2, "תאריך", "")
    assert p.message == "issue_date: missing; every invoice needs an issue date or a due date"


def test_due_date_before_issue_date(invoices):
    p = only(invoices.parse(2, invoice_row(issue="01/10/2026", due="09/01/2026")))
    assert p.field == "תאריך פירעון" and p.value == "09/01/2026"
    assert "before the issue date 2026-10-01" in p.message


def test_every_problem_of_a_row_is_reported_with_its_column(invoices):
    row, problems = invoices.parse(7, invoice_row(number=" ", issue="31/02/2026", amount="abc",
                                                  currency="XYZ", kind="receipt"))
    assert row is None
    assert [(p.source, p.row, p.field, p.value, p.message.split(":")[0]) for p in problems] == [
        ("f.csv", 7, "מס' חשבונית", "", "invoice_number"),
        ("f.csv", 7, "סוג מסמך", "receipt", "kind"),
        ("f.csv", 7, "תאריך", "31/02/2026", "issue_date"),
        ("f.csv", 7, "מטבע", "XYZ", "currency"),
        ("f.csv", 7, "סכום", "abc", "amount"),
    ]
    assert str(problems[2]) == ("f.csv, row 7, column 'תאריך': issue_date: no such date (read "
                                "day first: day 31, month 2, year 2026) (value '31/02/2026')")


def test_a_negative_amount_without_a_kind_is_refused_unless_said_to_be_a_credit_note(invoices):
    row, problems = invoices.parse(2, invoice_row(amount="-1,170.00", open="-1,170.00", applies="4990"))
    problem = problems[0]
    assert row is None and (problem.row, problem.field, problem.value) == (2, "סכום", "-1,170.00")
    assert "negative" in problem.message
    credit_notes = make_parser("invoices", INVOICE_HEADERS, negative_as_credit_notes=True)
    row, _ = credit_notes.parse(2, invoice_row(amount="-1,170.00", open="-1,170.00", applies="4990"))
    assert (row.kind, row.amount, row.open_amount, row.applies_to) == (
        "credit_note", Money.of("1170", "ILS"), Money.of("1170", "ILS"), "4990")
    no_kind_column = make_parser("invoices", ["customer_ref", "invoice number", "date", "amount"],
                                 negative_as_credit_notes=True)
    row, _ = no_kind_column.parse(2, ["1", "7", "2026-10-01", "(250.00)"])
    assert (row.kind, row.amount) == ("credit_note", Money.of("250", "ILS"))


def test_a_credit_note_is_positive_however_it_is_written(invoices):
    for amount in ("300", "-300"):
        row, _ = invoices.parse(2, invoice_row(kind="חשבונית זיכוי", amount=amount, open="-100"))
        assert (row.kind, row.amount, row.open_amount) == (
            "credit_note", Money.of("300", "ILS"), Money.of("100", "ILS"))


def test_a_negative_amount_on_an_invoice_is_an_error(invoices):
    p = only(invoices.parse(2, invoice_row(kind="חשבונית מס", amount="-300")))
    assert p.field == "סכום" and "negative amount on an invoice" in p.message
    assert (p.code, p.params) == ("negative_invoice_amount", {"name": "amount"})


def test_applies_to_is_kept_for_credit_notes_only(invoices):
    row, _ = invoices.parse(2, invoice_row(applies="4990"))
    assert row.kind == "invoice" and row.applies_to is None
    row, _ = invoices.parse(3, invoice_row(kind="credit", applies="4990"))
    assert row.applies_to == "4990"


def test_open_amount_rules(invoices):
    row, _ = invoices.parse(2, invoice_row(open=""))
    assert row.open_amount is None
    row, _ = invoices.parse(2, invoice_row(open="0"))
    assert row.open_amount == Money.of("0", "ILS")
    p = only(invoices.parse(2, invoice_row(amount="1,170.00", open="1,170.01")))
    assert p.field == "יתרה" and "more than the amount 1170.00" in p.message
    p = only(invoices.parse(2, invoice_row(open="-5")))
    assert "negative open amount" in p.message


def test_currency_blank_or_absent_is_the_organizations(invoices):
    row, _ = invoices.parse(2, invoice_row(currency=""))
    assert row.currency == "ILS"
    gb = make_parser("invoices", ["customer_ref", "invoice number", "date", "amount"], country="GB",
                     currency="GBP")
    row, _ = gb.parse(2, ["1", "7", "23/11/2026", "10"])
    assert row.amount == Money.of("10", "GBP") and row.issue_date == dt.date(2026, 11, 23)


def test_currency_written_in_the_amount(invoices):
    row, _ = invoices.parse(2, invoice_row(amount="$4,000.00", open="1,000"))
    assert (row.amount, row.open_amount) == (Money.of("4000", "USD"), Money.of("1000", "USD"))
    row, _ = invoices.parse(2, invoice_row(amount="$4,000.00", currency="usd"))
    assert row.amount == Money.of("4000", "USD")
    p = only(invoices.parse(2, invoice_row(amount="$4,000.00", currency="ILS")))
    assert "written in USD but the currency column says ILS" in p.message
    p = only(invoices.parse(2, invoice_row(amount="4,000.00", open="€ 5")))
    assert p.field == "יתרה" and "in EUR but the amount is in ILS" in p.message


def test_more_decimals_than_the_currency_has(invoices):
    for amount in ("1.250", "1.251", "12.500", "-1.250"):
        p = only(invoices.parse(2, invoice_row(amount=amount)))
        assert "3 decimal places, but ILS has 2" in p.message
    row, _ = invoices.parse(2, invoice_row(amount="0.500"))
    assert row.amount == Money.of("0.50", "ILS")
    row, _ = invoices.parse(2, invoice_row(amount="1250.000"))
    assert row.amount == Money.of("1250", "ILS")
    row, _ = invoices.parse(2, invoice_row(amount="1250.00", currency="JPY"))
    assert row.amount == Money.of("1250", "JPY") and str(row.amount.amount) == "1250"
    p = only(invoices.parse(2, invoice_row(amount="1250.5", currency="JPY")))
    assert "JPY has 0" in p.message


def test_absurd_amounts(invoices):
    p = only(invoices.parse(2, invoice_row(amount="10000000000000")))
    assert "too large" in p.message


def test_a_bad_customer_is_reported_on_each_of_its_rows(invoices):
    for rownum in (2, 3):
        p = only(invoices.parse(rownum, invoice_row(tax="514223390", number=str(rownum))))
        assert (p.row, p.field, p.value) == (rownum, "ח.פ.", "514223390")
        assert p.message.startswith("customer_tax_id: not a valid Israeli ID")
    p = only(invoices.parse(4, invoice_row(ref="")))
    assert p.field == "מס' לקוח" and "customer_ref: missing" in p.message


def test_a_row_with_more_cells_than_headers(invoices):
    values = invoice_row() + ["", ""]
    row, problems = invoices.parse(2, values)
    assert row is not None and problems == []             # empty extra cells are harmless
    p = only(invoices.parse(3, invoice_row(amount="1") + ["250.00"]))
    assert (p.row, p.field, p.value) == (3, "", "250.00")
    assert "14 cells but the header has 13 columns" in p.message


def test_a_short_row_is_padded(invoices):
    row, _ = invoices.parse(2, invoice_row()[:9])
    assert row.amount == Money.of("1170", "ILS") and row.description is None


def test_spreadsheet_cells():
    p = make_parser("invoices", ["customer_ref", "invoice number", "date", "amount", "open"])
    row, problems = p.parse(2, [Decimal("1001"), Decimal("5001"), dt.datetime(2026, 11, 23, 9),
                                Decimal("1462.5"), Decimal("0")])
    assert problems == []
    assert (row.customer.ref, row.invoice_number, row.issue_date, row.amount, row.open_amount) == (
        "1001", "5001", dt.date(2026, 11, 23), Money.of("1462.50", "ILS"), Money.of("0", "ILS"))


def test_date_format_and_month_first():
    p = make_parser("invoices", ["customer_ref", "invoice number", "date", "amount"], country="US",
                    currency="USD")
    row, _ = p.parse(2, ["1", "7", "3/4/2026", "5"])
    assert row.issue_date == dt.date(2026, 3, 4)
    p = make_parser("invoices", ["customer_ref", "invoice number", "date", "amount"],
                    date_format="%Y%m%d")
    row, _ = p.parse(2, ["1", "7", "20261123", "5"])
    assert row.issue_date == dt.date(2026, 11, 23)


def test_decimal_comma():
    p = make_parser("invoices", ["customer_ref", "invoice number", "date", "amount"], country="DE",
                    currency="EUR", decimal_comma=True)
    row, _ = p.parse(2, ["1", "7", "23.11.2026", "1.250,50"])
    assert row.amount == Money.of("1250.50", "EUR")


def test_mapping_of_another_import_is_refused():
    mapping = build_mapping("payments", ["customer_ref", "date", "amount"])
    with pytest.raises(ValueError):
        RowParser("invoices", mapping)


# --- the fast path gives the same answer as the full rules ---------------------------------

cells = st.fixed_dictionaries({
    "ref": st.sampled_from(["1001", "1002", " 1003", ""]),
    "name": st.sampled_from(["אלון", "", "Beta"]),
    "tax": st.sampled_from(["514223395", "039337423", "", "514223390"]),
    "number": st.sampled_from(["5001", " 5002 ", "", "INV-1", Decimal("5003")]),
    "kind": st.sampled_from(["", "invoice", "credit_note", " חשבונית זיכוי", "bogus"]),
    "applies": st.sampled_from(["", "4990"]),
    "issue": st.sampled_from(["01/09/2026", "2026-09-01", "", "31/02/2026", " 02/09/2026"]),
    "due": st.sampled_from(["01/10/2026", "", "01/08/2026", "x"]),
    "amount": st.sampled_from(["1170.00", "1170", "-300", "₪ 1,170.00", "1.250", "abc", "",
                               ".5", "1170.001", "00012", "1e3", "99999999999999", "1,170.00",
                               "1,17.00", "1,170.", ",170", "12,345,678.9", "1,1700",
                               Decimal("1170.00"), Decimal("-5"), Decimal("1.255"),
                               Decimal("1E+14")]),
    "open": st.sampled_from(["", "1170.00", "100", "-100", "2000", "1170", "$5", "1,000",
                             Decimal("1170"), Decimal("0.5")]),
    "currency": st.sampled_from(["", "ILS", "USD", "JPY", " usd", "XYZ", "₪"]),
    "po": st.sampled_from(["", "PO-1"]),
    "text": st.sampled_from(["", " note "]),
})


@settings(max_examples=150, deadline=None)
@given(st.lists(cells, min_size=1, max_size=8))
def test_fast_path_agrees_with_the_full_rules(rows):
    fast = make_parser("invoices", INVOICE_HEADERS)
    full = make_parser("invoices", INVOICE_HEADERS)
    for rownum, row in enumerate(rows, 2):
        values = invoice_row(**row)
        assert fast.parse(rownum, list(values)) == full._parse_invoice(rownum, list(values))


text_cells = st.fixed_dictionaries({
    "ref": st.sampled_from(["1001", "1002", " 1003", ""]),
    "name": st.sampled_from(["אלון", "", "Beta"]),
    "tax": st.sampled_from(["514223395", "", "514223390"]),
    "number": st.sampled_from(["5001", " 5002 ", "", "INV-1"]),
    "kind": st.sampled_from(["", "invoice", "credit_note", " חשבונית זיכוי", "bogus"]),
    "applies": st.sampled_from(["", "4990", " 4991 "]),
    "issue": st.sampled_from(["01/09/2026", "2026-09-01", "", "31/02/2026", " 02/09/2026"]),
    "due": st.sampled_from(["01/10/2026", "", "01/08/2026", "x"]),
    "amount": st.sampled_from(["1170.00", "1170", "-300", "1.250", "abc", "", ".5", "1170.001",
                               "00012.50", "99999999999999.00", "1,170.00", "12.", "٣.00",
                               "0.00", "5"]),
    "open": st.sampled_from(["", "1170.00", "100.00", "-100", "2000.00", "1170", "0.00", "x"]),
    "currency": st.sampled_from(["", "ILS", "USD", "JPY", " usd", "XYZ"]),
    "po": st.sampled_from(["", "PO-1", " "]),
    "text": st.sampled_from(["", " note "]),
})


@settings(max_examples=200, deadline=None)
@given(st.lists(text_cells, min_size=1, max_size=12), st.booleans())
def test_a_batch_parses_as_its_rows_do(rows, long_row):
    """``parse_many`` (column by column) gives what ``parse`` gives row by row, in order —
    also on a second pass, when every cell is in the caches and the columns take over."""
    batch = make_parser("invoices", INVOICE_HEADERS)
    each = make_parser("invoices", INVOICE_HEADERS)
    values = [invoice_row(**row) for row in rows]
    if long_row:
        values[-1] = values[-1] + ["250.00"]
    rownums = list(range(2, 2 + len(values)))
    for _pass in range(2):
        got = batch.parse_many(rownums, [list(v) for v in values])
        expected_rows, expected_problems = [], []
        for rownum, v in zip(rownums, values):
            row, problems = each.parse(rownum, list(v))
            if row is None:
                expected_problems.append(problems)
            else:
                expected_rows.append(row)
        assert got == (expected_rows, expected_problems, len(expected_problems))


def test_clean_batches_take_the_column_path():
    """After the first batch has filled the caches, a clean batch needs no row-by-row work."""
    p = CountingParser("invoices", build_mapping("invoices", INVOICE_HEADERS), source="f.csv")
    first = [invoice_row(number=str(n), amount="1170.50", open="100.00") for n in range(10)]
    p.parse_many(list(range(2, 12)), first)
    calls = p.slow_rows
    more = [invoice_row(number=str(n), amount=f"{n}.05", open="0.00", kind="invoice",
                        currency="ILS") for n in range(10, 1010)]
    good, problems, bad = p.parse_many(list(range(12, 1012)), more)
    assert (len(good), problems, bad) == (1000, [], 0)
    assert p.slow_rows <= calls + 2   # "invoice" and "ILS" are read once, then cached
    assert good[5].amount == Money.of("15.05", "ILS") and good[5].open_amount == Money.of("0", "ILS")
    assert good[5].row == 17 and good[5].customer is good[6].customer


# --- payments ------------------------------------------------------------------------------

PAYMENT_HEADERS = ["מס' לקוח", "תאריך", "סכום", "מטבע", "אמצעי תשלום", "מס' צ'ק", "בנק",
                   "תאריך ערך", "ניכוי במקור", "אישור ניכוי", "אסמכתא", "מס' חשבונית", "שער"]


def payment_row(**cells):
    row = {"ref": "1001", "date": "05/10/2026", "amount": "11,466.00", "currency": "",
           "method": "", "cheque": "", "bank": "", "value": "", "held": "", "cert": "",
           "reference": "", "invoice": "", "rate": ""}
    row.update(cells)
    return list(row.values())


@pytest.fixture
def payments():
    return make_parser("payments", PAYMENT_HEADERS)


def test_a_transfer_with_withholding_tax(payments):
    row, problems = payments.parse(2, payment_row(method="העברה", held="234.00", cert="W-77",
                                                  reference="RCPT-301", invoice="5001"))
    assert problems == []
    assert row == PaymentRow(
        row=2, customer=CustomerRow(row=2, ref="1001"), date=dt.date(2026, 10, 5),
        amount=Money.of("11466", "ILS"), withholding=Money.of("234", "ILS"), method="transfer",
        value_date=None, cheque_number=None, cheque_bank=None, reference="RCPT-301",
        withholding_certificate="W-77", invoice_number="5001", rate=None)
    assert row.customer_ref == "1001" and row.currency == "ILS"


def test_a_post_dated_cheque(payments):
    row, _ = payments.parse(3, payment_row(amount="1,000", cheque="000123", bank="לאומי",
                                           value="20/12/2026"))
    assert (row.method, row.cheque_number, row.cheque_bank, row.value_date, row.withholding) == (
        "cheque", "000123", "לאומי", dt.date(2026, 12, 20), Money.of("0", "ILS"))


def test_method_defaults_to_other(payments):
    row, _ = payments.parse(2, payment_row())
    assert row.method == "other"
    p = only(payments.parse(2, payment_row(method="barter")))
    assert p.field == "אמצעי תשלום" and "unknown payment method" in p.message


def test_payment_in_another_currency_with_a_rate(payments):
    row, _ = payments.parse(2, payment_row(amount="$1,500.00", rate="3.6250", held="$10"))
    assert (row.amount, row.withholding, row.rate) == (
        Money.of("1500", "USD"), Money.of("10", "USD"), Decimal("3.6250"))
    p = only(payments.parse(2, payment_row(rate="-1")))
    assert p.field == "שער" and "more than zero" in p.message


@pytest.mark.parametrize("cells, field, message, code", [
    ({"amount": "-50"}, "סכום", "a payment is a positive amount", "negative_payment"),
    ({"amount": "0"}, "סכום", "nothing was paid", "nothing_paid"),
    ({"amount": ""}, "סכום", "amount: missing", "missing_amount"),
    ({"held": "-5"}, "ניכוי במקור", "withholding cannot be negative", "negative_withholding"),
    ({"held": "€5"}, "ניכוי במקור", "withholding is in EUR but the amount is in ILS", "withholding_currency_differs"),
    ({"date": ""}, "תאריך", "date: missing", "missing_payment_date"),
    ({"value": "32/12/2026"}, "תאריך ערך", "value_date: no such date", "no_such_date_read"),
    ({"ref": ""}, "מס' לקוח", "customer_ref: missing", "missing_customer_ref"),
    ({"currency": "Bitcoin"}, "מטבע", "unknown currency", "unknown_currency_word"),
])
def test_bad_payments(payments, cells, field, message, code):
    p = only(payments.parse(9, payment_row(**cells)))
    assert (p.row, p.field) == (9, field) and message in p.message
    assert p.code == code        # what the edges word (tests/test_core_codes_are_worded.py)


def test_withholding_alone_is_a_payment(payments):
    row, _ = payments.parse(2, payment_row(amount="0", held="300"))
    assert (row.amount, row.withholding) == (Money.of("0", "ILS"), Money.of("300", "ILS"))


def test_minimal_payments_file():
    p = make_parser("payments", ["customer", "date", "amount"], {"customer_ref": "customer"})
    row, _ = p.parse(2, ["C1", "2026-11-23", "5"])
    assert (row.customer, row.method, row.withholding) == (
        CustomerRow(row=2, ref="C1"), "other", Money.of("0", "ILS"))


# --- customers -----------------------------------------------------------------------------

CUSTOMER_HEADERS = ["קוד לקוח", "שם לקוח", "ח.פ.", 'דוא"ל', "טלפון", "שפה", "סוג לקוח",
                    "כתובת", "איש קשר"]


def test_a_customer():
    p = make_parser("customers", CUSTOMER_HEADERS)
    row, problems = p.parse(2, ["1001", 'אלון מערכות בע"מ', "51-422339-5", "Dana@Alon.CO.IL",
                                "03-6123456", "עברית", "עסק", "הברזל 30, תל אביב", "דנה כהן"])
    assert problems == []
    assert row == CustomerRow(row=2, ref="1001", name='אלון מערכות בע"מ', tax_id="514223395",
                              email="Dana@alon.co.il", phone="+97236123456", language="he",
                              type="business", address="הברזל 30, תל אביב",
                              contact_name="דנה כהן", vat_exempt=False)


def test_a_customer_needs_a_name_and_good_details():
    p = make_parser("customers", CUSTOMER_HEADERS)
    row, problems = p.parse(3, ["1002", "", "123", "dana@", "12", "français", "vip", "", ""])
    assert row is None
    assert [(q.field, q.message.split(":")[0]) for q in problems] == [
        ("שם לקוח", "customer_name"), ("ח.פ.", "customer_tax_id"), ('דוא"ל', "customer_email"),
        ("טלפון", "customer_phone"), ("שפה", "customer_language"), ("סוג לקוח", "customer_type")]


def test_foreign_organization_reads_tax_ids_leniently():
    p = make_parser("customers", ["customer_ref", "name", "vat number", "phone"], country="GB",
                    currency="GBP")
    row, _ = p.parse(2, ["C1", "Contoso", "GB123456789", "020 7946 0958"])
    assert (row.tax_id, row.phone) == ("GB123456789", "+442079460958")


# --- parse_rows: all or nothing while streaming --------------------------------------------

def test_parse_rows_yields_good_rows_then_refuses_if_any_was_bad(invoices):
    rows = [(2, invoice_row(number="1")), (3, invoice_row(number="")),
            (4, invoice_row(number="3")), (5, invoice_row(amount="x", issue="x"))]
    seen = []
    with pytest.raises(ValidationFailed) as info:
        for row in parse_rows(rows, invoices):
            seen.append(row.invoice_number)
    assert seen == ["1", "3"]
    assert info.value.summary == "f.csv: 3 problem(s) in 2 row(s); nothing was imported"
    assert [(p.row, p.field) for p in info.value.problems] == [
        (3, "מס' חשבונית"), (5, "תאריך"), (5, "סכום")]


def test_parse_rows_keeps_the_first_problems_only(invoices):
    rows = [(n, invoice_row(number="")) for n in range(2, 12)]
    with pytest.raises(ValidationFailed) as info:
        list(parse_rows(rows, invoices, max_problems=3))
    assert len(info.value.problems) == 3
    assert info.value.summary == ("f.csv: 10 problem(s) in 10 row(s) (the first 3 are listed); "
                                  "nothing was imported")


def test_parse_rows_of_a_clean_file(invoices):
    rows = [(2, invoice_row(number="1")), (3, invoice_row(number="2"))]
    assert [r.invoice_number for r in parse_rows(rows, invoices)] == ["1", "2"]


def test_problems_are_core_field_problems(invoices):
    _, problems = invoices.parse(2, invoice_row(number=""))
    assert isinstance(problems[0], FieldProblem)


payment_cells = st.fixed_dictionaries({
    "ref": st.sampled_from(["1001", "1002", ""]),
    "date": st.sampled_from(["05/10/2026", "2026-10-05", "", "31/02/2026", " 06/10/2026"]),
    "amount": st.sampled_from(["11466.00", "0", "-5", "$5", "1,000", "abc", "", "1.250", "7",
                               "11,466.00", Decimal("7.5"), Decimal("7.505")]),
    "currency": st.sampled_from(["", "ILS", "USD", "XYZ", " usd"]),
    "method": st.sampled_from(["", "transfer", " צ'ק", "barter"]),
    "cheque": st.sampled_from(["", "000123"]),
    "bank": st.sampled_from(["", "לאומי"]),
    "value": st.sampled_from(["", "20/12/2026", "x"]),
    "held": st.sampled_from(["", "234.00", "0", "-1", "€3", "1.5"]),
    "cert": st.sampled_from(["", "W-1"]),
    "reference": st.sampled_from(["", " R-1 "]),
    "invoice": st.sampled_from(["", "5001"]),
    "rate": st.sampled_from(["", "3.6", "0"]),
})


@settings(max_examples=150, deadline=None)
@given(st.lists(payment_cells, min_size=1, max_size=8))
def test_payment_fast_path_agrees_with_the_full_rules(rows):
    fast = make_parser("payments", PAYMENT_HEADERS)
    full = make_parser("payments", PAYMENT_HEADERS)
    for rownum, row in enumerate(rows, 2):
        values = payment_row(**row)
        assert fast.parse(rownum, list(values)) == full._parse_payment(rownum, list(values))


class CountingParser(RowParser):
    """Counts the rows that needed the full rules (the fast path's fallbacks)."""

    slow_rows = 0

    def _parse_invoice(self, rownum, values):
        self.slow_rows += 1
        return super()._parse_invoice(rownum, values)

    def _parse_payment(self, rownum, values):
        self.slow_rows += 1
        return super()._parse_payment(rownum, values)


def test_clean_rows_after_the_first_take_the_fast_path():
    p = CountingParser("invoices", build_mapping("invoices", INVOICE_HEADERS), source="f.csv")
    for n in range(2, 7):   # same customer, dates and currency; padded cells; new numbers
        row, _ = p.parse(n, invoice_row(number=str(n), issue=" 01/09/2026", currency=" ILS",
                                        kind="invoice ", open="100.5", po="PO"))
        assert row.open_amount == Money.of("100.50", "ILS") and row.po_number == "PO"
    assert p.slow_rows == 1
    q = CountingParser("payments", build_mapping("payments", PAYMENT_HEADERS), source="f.csv")
    for n in range(2, 7):
        row, _ = q.parse(n, payment_row(held="1", method="צ'ק", cheque=str(n), value="1/1/2027"))
        assert row.method == "cheque" and row.value_date == dt.date(2027, 1, 1)
    assert q.slow_rows == 1


def test_spreadsheet_rows_take_the_fast_path_too():
    p = CountingParser("invoices", build_mapping("invoices", ["customer_ref", "invoice_number",
                                                              "issue_date", "amount"]))
    for n in range(2, 5):
        row, _ = p.parse(n, [Decimal("1001"), Decimal(n), dt.date(2026, 11, 23), "10.5"])
        assert row.invoice_number == str(n)
    assert p.slow_rows == 1

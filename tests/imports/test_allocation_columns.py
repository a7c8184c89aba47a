"""The invoice import's allocation number (מספר הקצאה) and amount before VAT (issue 15): read
by their Hebrew and English headers, the same on the fast path, the full rules and the column
parser."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from gvia.core.money import Money

from .test_rows import INVOICE_HEADERS, invoice_row, make_parser, only

HEADERS = INVOICE_HEADERS + ["מספר הקצאה", 'סכום לפני מע"מ']


def row(alloc: str = "", before: str = "", **cells) -> list:
    return invoice_row(**cells) + [alloc, before]


def test_the_headers_name_the_fields():
    assert make_parser("invoices", HEADERS)._i["allocation_number"] == len(INVOICE_HEADERS)
    english = make_parser("invoices", ["customer_ref", "invoice_number", "issue_date", "amount",
                                       "Allocation number", "Amount before VAT"])
    assert english._i["allocation_number"] == 4 and english._i["amount_before_vat"] == 5


def test_both_read_and_kept_on_the_row():
    parser = make_parser("invoices", HEADERS)
    got, problems = parser.parse(2, row(" 123456789 ", "10,000.50", amount="11,800.59"))
    assert problems == []
    assert got.allocation_number == "123456789"
    assert got.amount_before_vat == Money.of("10000.50", "ILS") and got.before_vat_minor == 1000050
    blank, _ = parser.parse(3, row(number="5002"))
    assert blank.allocation_number is None and blank.amount_before_vat is None
    # a file without the columns gives None for both
    plain, _ = make_parser("invoices", INVOICE_HEADERS).parse(2, invoice_row())
    assert plain.allocation_number is None and plain.before_vat_minor is None


def test_a_bad_or_negative_amount_before_vat_is_a_problem():
    parser = make_parser("invoices", HEADERS)
    p = only(parser.parse(2, row(before="-5")))
    assert p.field == 'סכום לפני מע"מ' and p.code == "negative_before_vat"
    assert only(parser.parse(3, row(before="abc", number="5003"))).field == 'סכום לפני מע"מ'
    # a credit note's amount before VAT is positive however written
    cn, _ = parser.parse(4, row(before="-100", kind="credit_note", amount="-118", number="CN-1"))
    assert cn.amount_before_vat == Money.of(Decimal(100), "ILS")


cells = st.fixed_dictionaries({
    "number": st.sampled_from(["5001", "5002", "INV-1"]),
    "kind": st.sampled_from(["", "credit_note"]),
    "amount": st.sampled_from(["1170.00", "-300", "abc", "1,170.00"]),
    "currency": st.sampled_from(["", "USD", "JPY"]),
    "alloc": st.sampled_from(["", "123456789", " 987 "]),
    "before": st.sampled_from(["", "1000.00", "1000", "-5", "x", "1,000.00", "1000.001", "0.5"]),
})


@settings(max_examples=150, deadline=None)
@given(st.lists(cells, min_size=1, max_size=8))
def test_fast_path_full_rules_and_columns_agree(rows):
    fast = make_parser("invoices", HEADERS)
    full = make_parser("invoices", HEADERS)
    batch = make_parser("invoices", HEADERS)
    values = [row(**r) for r in rows]
    expected_rows, expected_problems = [], []
    for rownum, v in enumerate(values, 2):
        got = fast.parse(rownum, list(v))
        assert got == full._parse_invoice(rownum, list(v))
        if got[0] is None:
            expected_problems.append(got[1])
        else:
            expected_rows.append(got[0])
    rownums = list(range(2, 2 + len(values)))
    for _pass in range(2):
        assert batch.parse_many(rownums, [list(v) for v in values]) == (
            expected_rows, expected_problems, len(expected_problems))

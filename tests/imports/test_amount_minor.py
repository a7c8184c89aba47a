"""The invoice fast path reads amounts straight into integer minor units (no Decimal per row):
it must accept exactly what the Decimal reading accepts and give exactly its value."""

import datetime as dt
from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from gvia.core.money import Money
from gvia.imports.parsed import CustomerRow, InvoiceRow
from gvia.imports.values import plain_amount, plain_minor

# text built from the characters amounts are written with, plus a few that must be refused
amount_text = st.text(alphabet="0123456789.,-+ ₪$e_٣", max_size=18)
plain_numbers = st.builds(lambda whole, frac: f"{whole}.{frac}" if frac is not None else str(whole),
                          st.integers(0, 10 ** 14), st.one_of(st.none(), st.text("0123456789", max_size=4)))


@settings(max_examples=3000, deadline=None)
@given(st.one_of(amount_text, plain_numbers, st.decimals(allow_nan=True, allow_infinity=True, places=None)),
       st.sampled_from([0, 2, 3]))
@example("1,170.00", 2)
@example("1,170", 2)
@example("12,50", 2)
@example("1250.", 2)
@example(".5", 2)
@example(".", 2)
@example("", 2)
@example("9999999999999.99", 2)
@example("10000000000000", 2)
@example("1.250", 2)
@example("1.250", 3)
@example("١٢", 2)
def test_minor_units_equal_the_decimal_reading(cell, decimals):
    value = plain_amount(cell, decimals)
    expected = None if value is None else int(value.scaleb(decimals))
    assert value is None or value == Decimal(expected).scaleb(-decimals)  # the reading was exact
    assert plain_minor(cell, decimals) == expected


def test_an_invoice_row_keeps_minor_units_and_gives_money_back():
    customer = CustomerRow(row=2, ref="C1")
    day = dt.date(2026, 1, 1)
    row = InvoiceRow(2, customer, "A-1", "invoice", day, day, Money.of("1250.5", "ILS"), Money.of("0", "ILS"))
    assert (row.amount_minor, row.open_minor, row.currency) == (125050, 0, "ILS")
    assert row.amount == Money.of("1250.50", "ILS") and row.open_amount == Money.of("0", "ILS")
    assert row == InvoiceRow.from_minor(2, customer, "A-1", "invoice", day, day, "ILS", 125050, 0, None, None, None)
    no_open = InvoiceRow(2, customer, "A-1", "invoice", day, day, Money.of("3", "JPY"))
    assert no_open.open_amount is None and no_open.amount_minor == 3
    assert "1250.50" in repr(row) and "A-1" in repr(row)

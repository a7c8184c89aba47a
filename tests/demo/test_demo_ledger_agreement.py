"""The generated open amounts are what gvia's own ledger computes from the generated rows.

The ledger (:func:`gvia.core.ledger.allocate`) is the oracle here: the generator's fast
integer copy of its rules must agree with it on every invoice, credit note and customer.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gvia.core.ledger import InvoiceRec, PaymentRec, allocate
from gvia.core.money import Money, Totals
from gvia.demo import INVOICE_FIELDS, PAYMENT_FIELDS, generate


def ledger_of(bundle, as_of: date):
    """Build the ledger's records from a bundle's rows, as an importer would."""
    invoices = [dict(zip(INVOICE_FIELDS, row)) for row in bundle.invoices]
    payments = [dict(zip(PAYMENT_FIELDS, row)) for row in bundle.payments]
    ids = {row["invoice_number"]: k for k, row in enumerate(invoices)}
    recs = [
        InvoiceRec(
            id=k, number=row["invoice_number"], kind=row["kind"],
            issue_date=date.fromisoformat(row["issue_date"]),
            due_date=date.fromisoformat(row["due_date"]),
            amount=Money.of(row["amount"], row["currency"]),
            applies_to=ids[row["applies_to"]] if row["applies_to"] else None,
        )
        for k, row in enumerate(invoices)
    ]
    bounced = set(bundle.bounced_cheques)
    pays = []
    for k, row in enumerate(payments):
        value = date.fromisoformat(row["value_date"]) if row["value_date"] else None
        status = ("bounced" if row["cheque_number"] in bounced and row["cheque_number"]
                  else "pending" if value is not None and value > as_of else "cleared")
        pays.append(PaymentRec(
            id=k, date=date.fromisoformat(row["date"]),
            amount=Money.of(row["amount"], row["currency"]),
            withholding=Money.of(row["withholding"] or "0", row["currency"]),
            status=status, value_date=value,
            invoice_id=ids[row["invoice_number"]] if row["invoice_number"] else None,
            rate=Decimal(row["rate"]) if row["rate"] else None, method=row["method"],
            reference=row["reference"],
        ))
    return invoices, allocate(recs, pays, as_of=as_of)


def assert_agrees(bundle, as_of: date) -> None:
    invoices, result = ledger_of(bundle, as_of)
    for k, row in enumerate(invoices):
        if row["kind"] == "invoice":
            assert str(result.open_amounts[k].amount) == row["open_amount"], (bundle.ref, row)
        else:
            left = result.unapplied_credit_notes.get(k) or Money.zero(row["currency"])
            assert str(left.amount) == row["open_amount"], (bundle.ref, row)
    expected = Totals(Money.of(v, c) for c, v in bundle.unapplied.items())
    assert result.unapplied.as_strings() == expected.as_strings(), bundle.ref


def test_every_customer_agrees_with_the_ledger(hebrew500, as_of):
    _, bundles = hebrew500
    for b in bundles:
        assert_agrees(b, as_of)


def test_english_business_agrees_with_the_ledger(english200, as_of):
    _, bundles = english200
    for b in bundles:
        assert_agrees(b, as_of)


@pytest.mark.parametrize("currencies", [("EUR", "USD", "GBP"), ("ILS", "JPY", "GBP"),
                                        ("KWD", "ILS"), ("ILS",)])
def test_other_currencies_agree_with_the_ledger(as_of, currencies):
    data = generate(150, seed=11, as_of=as_of, currencies=currencies)
    seen = set()
    for b in data.iter_bundles():
        assert_agrees(b, as_of)
        seen |= {row[INVOICE_FIELDS.index("currency")] for row in b.invoices}
    assert seen == set(currencies)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=-10**6, max_value=10**6),
       customers=st.integers(min_value=1, max_value=25),
       per_customer=st.sampled_from([0.5, 1.0, 3.0, 10.0, 40.0]),
       language=st.sampled_from(["he", "en"]),
       day=st.dates(min_value=date(2023, 1, 1), max_value=date(2027, 12, 31)))
def test_any_business_agrees_with_the_ledger(seed, customers, per_customer, language, day):
    data = generate(customers, seed=seed, language=language, as_of=day,
                    invoices_per_customer=per_customer)
    for b in data.iter_bundles():
        assert_agrees(b, day)

"""Statement of account; every balance below is computed by hand."""

from datetime import date
from decimal import Decimal

import pytest

from gvia.core.ledger import InvoiceRec, PaymentRec, allocate
from gvia.core.money import Money, Totals
from gvia.core.statement import OpenItem, statement


def ils(x) -> Money:
    return Money.of(x, "ILS")


def usd(x) -> Money:
    return Money.of(x, "USD")


AS_OF = date(2026, 3, 1)
INVOICES = [
    InvoiceRec(1, "1001", "invoice", date(2026, 1, 1), date(2026, 1, 31), ils(1000)),
    InvoiceRec(3, "1003", "invoice", date(2026, 2, 1), date(2026, 3, 3), usd(100)),
    InvoiceRec(2, "1002", "invoice", date(2026, 2, 1), date(2026, 3, 3), ils(500)),
    InvoiceRec(4, "CN1", "credit_note", date(2026, 2, 5), date(2026, 2, 5), ils(100),
               applies_to=2),
    InvoiceRec(5, "1005", "invoice", date(2026, 3, 2), date(2026, 4, 1), ils(700)),  # after as_of
]
PAYMENTS = [
    PaymentRec(1, date(2026, 2, 10), ils(900), ils("99.40"), "cleared", invoice_id=1,
               reference="TR-1"),
    PaymentRec(2, date(2026, 2, 11), ils("370.37"), ils(0), "pending",
               value_date=date(2026, 4, 15), invoice_id=3, rate=Decimal("0.27"),
               method="cheque", reference="CHQ-77"),
    PaymentRec(3, date(2026, 2, 12), ils(50), ils(0), "bounced", method="cheque",
               reference="CHQ-78"),
    PaymentRec(4, date(2026, 3, 20), ils(10), ils(0), "cleared"),  # after as_of
]


def rows(st):
    return [(ln.date.isoformat(), ln.kind, ln.reference, ln.currency,
             ln.debit and str(ln.debit.amount), ln.credit and str(ln.credit.amount),
             str(ln.balance.amount), ln.pending) for ln in st.lines]


def test_full_statement():
    ledger = allocate(INVOICES, PAYMENTS, as_of=AS_OF)
    st = statement(INVOICES, PAYMENTS, ledger, AS_OF)
    assert rows(st) == [
        ("2026-01-01", "invoice", "1001", "ILS", "1000.00", None, "1000.00", False),
        ("2026-02-01", "invoice", "1002", "ILS", "500.00", None, "1500.00", False),
        ("2026-02-01", "invoice", "1003", "USD", "100.00", None, "100.00", False),
        ("2026-02-05", "credit_note", "CN1", "ILS", None, "100.00", "1400.00", False),
        ("2026-02-10", "payment", "TR-1", "ILS", None, "900.00", "500.00", False),
        ("2026-02-10", "withholding", "TR-1", "ILS", None, "99.40", "400.60", False),
        # 999.40 paid on 1000: the 0.60 left is settled by tolerance on the payment's day
        ("2026-02-10", "tolerance", "1001", "ILS", None, "0.60", "400.00", False),
        ("2026-02-11", "payment", "CHQ-77", "ILS", None, "370.37", "29.63", True),
        # 100 USD / 0.27 = 370.37 ILS taken from the cheque and credited in dollars
        ("2026-02-11", "exchange", "CHQ-77", "ILS", "370.37", None, "400.00", True),
        ("2026-02-11", "exchange", "CHQ-77", "USD", None, "100.00", "0.00", True),
        ("2026-02-12", "bounced", "CHQ-78", "ILS", None, None, "400.00", False),
    ]
    assert st.closing == Totals([ils(400), usd(0)])
    assert st.pending == Totals([ils("370.37")])
    assert st.open_items == [OpenItem(2, "1002", date(2026, 2, 1), date(2026, 3, 3), ils(500),
                                      ils(400), ils(0))]
    assert st.opening == Totals()
    assert [ln.kind for ln in st.lines_in("USD")] == ["invoice", "exchange"]
    assert "post-dated" in st.lines[7].description and "2026-04-15" in st.lines[7].description


def test_since_brings_the_balance_forward():
    ledger = allocate(INVOICES, PAYMENTS, as_of=AS_OF)
    st = statement(INVOICES, PAYMENTS, ledger, AS_OF, since=date(2026, 2, 10),
                   include_bounced=False)
    assert st.opening == Totals([ils(1400), usd(100)])
    assert rows(st)[0] == ("2026-02-10", "payment", "TR-1", "ILS", None, "900.00", "500.00", False)
    assert [ln.kind for ln in st.lines] == ["payment", "withholding", "tolerance", "payment",
                                            "exchange", "exchange"]
    assert st.closing == Totals([ils(400), usd(0)])


def test_credit_shows_as_negative_balance():
    docs = [InvoiceRec(1, "7", "invoice", date(2026, 1, 1), date(2026, 1, 31), ils(100))]
    pays = [PaymentRec(1, date(2026, 1, 20), ils(130), ils(0), "cleared")]
    ledger = allocate(docs, pays)
    st = statement(docs, pays, ledger, AS_OF)
    assert st.closing == Totals([ils(-30)])
    assert st.unapplied == Totals([ils(30)])
    assert st.open_items == []


def test_reductions_have_their_own_lines():
    docs = [
        InvoiceRec(1, "A1", "invoice", date(2026, 1, 1), date(2026, 1, 31), ils(1000),
                   settled_outside=ils(300), written_off=ils(200)),
        InvoiceRec(2, "C2", "credit_note", date(2026, 1, 2), date(2026, 1, 2), ils(80),
                   settled_outside=ils(30)),
    ]
    ledger = allocate(docs, [])
    st = statement(docs, [], ledger, AS_OF)
    assert rows(st) == [
        ("2026-01-01", "invoice", "A1", "ILS", "1000.00", None, "1000.00", False),
        ("2026-01-01", "settled_outside", "A1", "ILS", None, "300.00", "700.00", False),
        ("2026-01-01", "write_off", "A1", "ILS", None, "200.00", "500.00", False),
        ("2026-01-02", "credit_note", "C2", "ILS", None, "80.00", "420.00", False),
        ("2026-01-02", "settled_outside", "C2", "ILS", "30.00", None, "450.00", False),
    ]
    assert ledger.open_amounts == {1: ils(450)}


def test_ledger_for_another_day_is_refused():
    full = allocate(INVOICES, PAYMENTS)  # includes payment 4 and invoice 5 of March
    with pytest.raises(ValueError):
        statement(INVOICES, PAYMENTS, full, AS_OF)
    other = allocate(INVOICES[:2], [], as_of=AS_OF)
    with pytest.raises(ValueError):
        statement(INVOICES, PAYMENTS, other, AS_OF)


def test_json():
    docs = [InvoiceRec(1, "7", "invoice", date(2026, 1, 1), date(2026, 1, 31), ils(100))]
    pays = [PaymentRec(1, date(2026, 1, 20), ils(40), ils(0), "pending", reference="CHQ-1")]
    st = statement(docs, pays, allocate(docs, pays, as_of=AS_OF), AS_OF)
    assert st.to_json_dict() == {
        "as_of": "2026-03-01",
        "since": None,
        "opening_balance": {},
        "lines": [
            {"date": "2026-01-01", "kind": "invoice", "reference": "7",
             "description": "Invoice 7, due 2026-01-31", "currency": "ILS", "debit": "100.00",
             "credit": None, "balance": "100.00", "pending": False},
            {"date": "2026-01-20", "kind": "payment", "reference": "CHQ-1",
             "description": "Payment (transfer): post-dated cheque, not yet cleared",
             "currency": "ILS", "debit": None, "credit": "40.00", "balance": "60.00",
             "pending": True},
        ],
        "closing_balance": {"ILS": "60.00"},
        "pending": {"ILS": "40.00"},
        "unapplied_credit": {},
        "open_items": [{"number": "7", "issue_date": "2026-01-01", "due_date": "2026-01-31",
                        "currency": "ILS", "amount": "100.00", "open": "60.00",
                        "pending_cover": "40.00"}],
    }

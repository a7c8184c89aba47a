"""core/matching.py: which bank line pays what, with its confidence and reasons (issue 18)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from gvia.core.matching import (
    Book,
    GatewayTxn,
    Line,
    OpenInvoice,
    Payer,
    Recorded,
    Tolerance,
    match_all,
    match_line,
    normalize_name,
)
from gvia.core.money import Money

D = date(2026, 11, 20)
TOL = Tolerance(fees={"ILS": Decimal("15"), "USD": Decimal("30")}, fx_percent=Decimal("2"), home="ILS")


def ils(x: str) -> Money:
    return Money.of(x, "ILS")


def inv(i: int, cust: int, number: str, amount: str, due: str = "2026-10-01", cur: str = "ILS") -> OpenInvoice:
    return OpenInvoice(i, cust, number, Money.of(amount, cur), date.fromisoformat(due))


PAYERS = [Payer(1, "1001", ("אלון ציוד בע\"מ", "Alon Equipment Ltd"), ("12-600-123456",)),
          Payer(2, "1002", ("Beta Trading Ltd",)),
          Payer(3, "1003", ("כהן ובניו",))]
INVOICES = [inv(10, 1, "5001", "1000", "2026-09-01"), inv(11, 1, "5002", "2500", "2026-10-01"),
            inv(12, 1, "5003", "400", "2026-11-01"), inv(20, 2, "INV-7001", "1170", "2026-10-05"),
            inv(21, 2, "INV-7002", "3000", "2026-10-20"), inv(30, 3, "8801", "777.70", "2026-10-10")]


def book(**kw: object) -> Book:
    return Book(kw.get("invoices", INVOICES), PAYERS, kw.get("recorded", ()), kw.get("gateway", ()))  # type: ignore[arg-type]  # test helper passes the lists through


def line(amount: str, text: str = "", name: str = "", account: str = "", cur: str = "ILS") -> Line:
    return Line("k", D, Money.of(amount, cur), text, name, account)


def test_invoice_number_in_text_exact_amount() -> None:
    m = match_line(line("2500", "העברה חשבונית 5002"), book(), TOL)
    assert m.kind == "invoices" and m.customer == 1 and m.allocations == ((11, ils("2500")),)
    assert m.codes == ("named_invoice", "amount_exact") and m.confidence == 99


def test_two_numbers_one_transfer_and_bank_charge() -> None:
    m = match_line(line("3490", "inv 5001 5002 fee"), book(), TOL)
    assert {a[0] for a in m.allocations} == {10, 11} and "amount_short" in m.codes
    assert sum(a[1].amount for a in m.allocations) == Decimal("3490")


def test_number_with_letters_and_typo() -> None:
    assert match_line(line("1170", "payment INV-7001"), book(), TOL).allocations == ((20, ils("1170")),)
    m = match_line(line("1170", "payment 7010"), book(), TOL)   # 7001 with two digits swapped
    assert m.codes[0] == "named_invoice_typo" and m.allocations == ((20, ils("1170")),) and m.confidence < 90


def test_partial_payment_of_named_invoice() -> None:
    m = match_line(line("1000", "on account of 5002"), book(), TOL)
    assert m.codes == ("named_invoice", "partial_payment") and m.allocations == ((11, ils("1000")),)


def test_payment_reference_then_combination() -> None:
    m = match_line(line("1400", "ref 1001-2"), book(), TOL)
    assert m.codes[0] == "payment_reference" and m.customer == 1
    assert sorted(a[0] for a in m.allocations) == [10, 12]


def test_payer_account_and_names() -> None:
    assert match_line(line("400", account="12600123456"), book(), TOL).allocations == ((12, ils("400")),)
    m = match_line(line("777.70", name='כהן ובניו בע"מ'), book(), TOL)
    assert m.codes[0] == "name_exact" and m.customer == 3
    m = match_line(line("3000", "העברה מאת BETA TRADING"), book(), TOL)
    assert m.codes[0] == "name_in_text" and m.allocations == ((21, ils("3000")),)
    assert normalize_name('אלון ציוד בע״מ') == ("אלונ", "ציוד")


def test_amount_only_is_a_weak_suggestion_and_nothing_is_none() -> None:
    m = match_line(line("777.70", "transfer"), book(), TOL)
    assert m.codes == ("amount_only",) and m.confidence < 60
    assert match_line(line("12.34", "?"), book(), TOL).kind == "none"
    assert match_line(line("-50", "fee"), book(), TOL).codes == ("not_a_credit",)


def test_recorded_payment_is_linked_not_recorded_again() -> None:
    rec = [Recorded(900, 1, ils("5000"), date(2026, 11, 18), "RC-4411")]
    m = match_line(line("5000", "deposit RC-4411"), book(recorded=rec), TOL)
    assert m.kind == "recorded" and m.recorded == (900,) and m.confidence == 99
    m = match_line(line("5000", name="Alon Equipment"), book(recorded=rec), TOL)
    assert m.kind == "recorded" and m.codes == ("recorded_same_payer",)
    m = match_line(line("5000"), book(recorded=rec), TOL)
    assert m.kind == "recorded" and m.confidence == 85
    # a payment of another customer is not this line
    assert match_line(line("5000", name="Beta Trading"), book(recorded=rec), TOL).kind != "recorded"


def test_gateway_payout_matches_its_transactions_not_invoices() -> None:
    txns = [GatewayTxn(1, "Tranzila", ils("1000"), date(2026, 11, 16)),
            GatewayTxn(2, "Tranzila", ils("1500"), date(2026, 11, 16)),
            GatewayTxn(3, "Tranzila", ils("400"), date(2026, 11, 17))]
    m = match_line(line("2490", "TRANZILA payout"), book(gateway=txns), TOL)
    assert m.kind == "payout" and m.gateway_txns == (1, 2) and m.confidence == 93


def test_foreign_currency_fx_tolerance() -> None:
    invs = [inv(40, 2, "9001", "10000", cur="USD")]
    m = match_line(line("9850", name="Beta Trading", cur="USD"), book(invoices=invs), TOL)
    assert m.kind == "invoices" and "amount_short" in m.codes   # 1.5% short: within 2%
    short = match_line(line("9700", name="Beta Trading", cur="USD"), book(invoices=invs), TOL)
    assert short.codes[1] == "partial_payment"


def test_match_all_does_not_pay_an_invoice_twice() -> None:
    lines = [Line("a", D, ils("2500"), "5002"), Line("b", D, ils("2500"), "5002")]
    first, second = match_all(lines, book(), TOL)
    assert first.allocations == ((11, ils("2500")),) and second.allocations != first.allocations

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
    Reason,
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
    assert m.codes[0] == "named_invoice_typo" and m.allocations == ((20, ils("1170")),) and m.confidence == 90
    # one typo from two invoices, and the amount fits neither: a suggestion only
    invs = [*INVOICES, inv(13, 1, "5011", "50", "2026-11-01")]
    m = match_line(line("2222", "inv 5021"), book(invoices=invs), TOL)
    assert "typo_ambiguous" in m.codes and m.confidence <= 70


def test_a_number_of_another_payer_is_only_a_suggestion() -> None:
    m = match_line(line("777.70", "8801", name="Beta Trading"), book(), TOL)
    assert m.customer == 3 and "payer_differs" in m.codes and m.confidence == 60


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
    # a line naming an invoice still open is a new payment, not the one recorded
    rec2 = [Recorded(901, 1, ils("2500"), date(2026, 11, 18))]
    assert match_line(line("2500", "5002"), book(recorded=rec2), TOL).kind == "invoices"
    # the customer also owes exactly this amount: either reading, a person decides
    m = match_line(line("2500", name="Alon Equipment"), book(recorded=rec2), TOL)
    assert m.kind == "recorded" and "also_open_invoice" in m.codes and m.confidence == 80


def test_gateway_payout_matches_its_transactions_not_invoices() -> None:
    txns = [GatewayTxn(1, "Tranzila", ils("1000"), date(2026, 11, 16)),
            GatewayTxn(2, "Tranzila", ils("1500"), date(2026, 11, 16)),
            GatewayTxn(3, "Tranzila", ils("400"), date(2026, 11, 17))]
    m = match_line(line("2490", "TRANZILA payout"), book(gateway=txns), TOL)
    assert m.kind == "payout" and m.gateway_txns == (1, 2) and m.confidence == 93
    assert m.codes == ("gateway_payout", "gateway_fees")
    # the later day alone, its exact amount, without the gateway's name: a likely match
    m = match_line(line("400"), book(gateway=txns), TOL)
    assert m.gateway_txns == (3,) and m.confidence == 80
    # two gateways' days fit the same line: a person chooses
    both = [*txns, GatewayTxn(4, "Cardcom", ils("400"), date(2026, 11, 15))]
    assert match_line(line("400"), book(gateway=both), TOL).confidence == 75


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


def test_names_close_shared_and_ambiguous_amounts() -> None:
    payers = [*PAYERS, Payer(4, "1004", ("Beta Trading Systems",)), Payer(5, "1005", ("כהן ובניו",))]
    invs = [*INVOICES, inv(50, 4, "9100", "3000"), inv(51, 5, "9200", "640"), inv(52, 5, "9201", "640")]
    b = Book(invs, payers)
    m = match_line(line("3000", name="Beta Trading Systems Haifa"), b, TOL)   # most words of one name
    assert m.codes[0] == "name_close" and m.customer == 4
    m = match_line(line("640", name="כהן ובניו"), b, TOL)      # two customers of one name; one owes 640 …
    assert m.customer == 5 and "name_shared" in m.codes and m.confidence <= 80
    assert "amount_ambiguous" in m.codes                       # … twice: which one, a person says
    assert match_line(line("1", name="כהן ובניו"), b, TOL).codes == ("name_shared",)
    assert Reason.of("amount_exact", n=1).as_dict() == {"code": "amount_exact", "params": {"n": "1"}}


def test_more_than_named_pays_others_overpayment_and_nothing_open() -> None:
    m = match_line(line("2900", "5002 and the rest"), book(), TOL)   # 2,500 named + 400 of 5003
    assert m.codes[1] == "and_others" and {a[0] for a in m.allocations} == {11, 12}
    m = match_line(line("9999", "5002"), book(), TOL)
    assert m.codes[1] == "overpayment" and m.allocations == ((11, ils("2500")),)
    m = match_line(line("100", name="Beta Trading", cur="USD"), book(), TOL)
    assert (m.kind, m.customer, m.codes[1]) == ("none", 2, "nothing_open")
    assert match_line(line("500", "INV 5001"), book(), TOL).codes == ("named_invoice", "partial_payment")
    assert match_line(line("9000", account="12-600-123456"), book(), TOL).codes[1] == "overpayment"
    assert match_line(line("10", account="12-600-123456"), book(), TOL).codes[1] == "partial_payment"
    twice = [*INVOICES, inv(60, 2, "6060", "777.70")]
    assert match_line(line("777.70"), book(invoices=twice), TOL).codes == ("amount_many",)
    assert match_line(line("5", "INV-7001", cur="USD"), book(), TOL).kind == "none"   # its number, not its currency


def test_the_book_forgets_what_lines_took() -> None:
    rec = [Recorded(900, 1, ils("5000"), date(2026, 11, 18), "RC-4411")]
    txns = [GatewayTxn(1, "Grow", ils("100"), date(2026, 11, 16))]
    b = book(recorded=rec, gateway=txns)
    first = match_all([Line("a", D, ils("5000"), "RC-4411"), Line("b", D, ils("100"), "GROW"),
                       Line("c", D, ils("1000"), "5001"), Line("d", D, ils("400"), "5003")], b, TOL)
    assert [m.kind for m in first] == ["recorded", "payout", "invoices", "invoices"]
    assert not b.recorded and not b.gateway_txns and 10 not in b.invoices and 12 not in b.invoices
    b.take(first[2])   # taken twice, or an invoice no longer there: nothing happens
    recorded_by_account = match_line(line("5000", account="12600123456"), book(recorded=rec), TOL)
    assert recorded_by_account.codes == ("recorded_same_payer",)

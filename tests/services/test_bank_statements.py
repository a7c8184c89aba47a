"""Bank statements imported and matched (issue 18): services/ledger/statements.py against the
database — applied above match_auto_apply, suggestions below it, confirm/change/reject/undo, the same
statement twice or overlapping changes nothing, money counted once, a gateway's payout."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from gvia.core.errors import RefusedFor, ValidationFailed
from gvia.services.ledger import statements
from gvia.services.ledger.imports import import_file
from gvia.store.models import Invoice, Payment
from gvia.store.models_gateways import GatewayAccount, GatewayCheckout, GatewayTransaction
from gvia.store.models_statements import BankLine, BankMatch

DATA = Path(__file__).parents[1] / "imports" / "data" / "statements"
DUE = date(2026, 10, 1)


@pytest.fixture
def shop(books):
    alon = books.customer("1001", 'אלון ציוד בע"מ')
    beta = books.customer("1002", "Beta Trading Ltd")
    cohen = books.customer("1003", "כהן ובניו")
    for cust, number, amount in ((alon, "5001", "1000"), (alon, "5002", "2500"), (alon, "5003", "400"),
                                 (beta, "INV-7001", "1170"), (beta, "INV-7002", "3000"), (cohen, "8801", "777.70")):
        books.invoice(cust, number, amount, DUE)
    return books


def open_of(number: str) -> int:
    return Invoice.objects.get(number=number).open_minor


def test_statement_applied_suggested_and_imported_twice(ctx, shop) -> None:
    r = statements.import_statement(ctx, DATA / "camt053_gilboa.xml")
    assert (r.lines, r.new, r.credits, r.applied, r.suggested) == (4, 4, 3, 3, 0)
    assert open_of("5002") == open_of("INV-7001") == open_of("INV-7002") == 0
    paid = Payment.objects.filter(source__startswith="bank statement")
    assert sorted(p.amount_minor for p in paid) == [117000, 250000, 300000]
    # recorded as a payment by hand is, under the bank's reference (a second line of one entry: its own)
    refs = sorted(p.reference for p in paid)
    assert refs[:2] == ["BNK-7781", "BNK-7782"] and refs[2].startswith("BNK-7782/")
    assert Payment.objects.filter(import_key="ref:1001:BNK-7781").exists()
    assert all(m.auto for m in BankMatch.objects.all())
    again = statements.import_statement(ctx, DATA / "camt053_gilboa.xml")
    assert (again.new, again.known, again.applied) == (0, 4, 0) and paid.count() == 3
    # an overlapping MT940 of the same account: its first line is the CAMT's first; two 777.70 lines
    over = statements.import_statement(ctx, DATA / "mt940_gilboa.sta")
    assert (over.known, over.new, over.suggested) == (1, 2, 2)
    first, second = statements.list_matches(ctx, "suggested")[::-1]
    assert first["customer"] == "1003" and [n for n, _a in first["invoices"]] == ["8801"]
    assert first["reasons"][0]["code"] == "name_in_text" and first["confidence"] < 90
    assert second["invoices"] == [] and "nothing_open" in [x["code"] for x in second["reasons"]]
    statements.confirm(ctx, first["id"])
    assert open_of("8801") == 0
    statements.reject(ctx, second["id"])
    with pytest.raises(RefusedFor) as exc:
        statements.reject(ctx, second["id"])
    assert exc.value.code == "match_not_waiting"
    assert [w["line"] for w in statements.list_matches(ctx, "waiting")] == [second["line"]]


def test_undo_and_a_person_changes_the_invoices(ctx, shop) -> None:
    statements.import_statement(ctx, DATA / "camt053_gilboa.xml")
    applied = BankMatch.objects.get(line__reference="BNK-7781")
    statements.undo(ctx, applied.id)
    assert open_of("5002") == 250000 and not Payment.objects.filter(reference__startswith="BNK-7781").exists()
    assert BankLine.objects.get(id=applied.line_id).status == "open"
    with pytest.raises(RefusedFor):
        statements.undo(ctx, applied.id)
    # the person says the 2,500 paid 5001 (1,000) and 5003 (400); the ledger gives the rest to 5002
    m = statements.assign(ctx, applied.line_id, ["5001", "5003"])
    assert open_of("5001") == open_of("5003") == 0 and open_of("5002") == 140000
    made = Payment.objects.filter(reference__startswith="BNK-7781")
    assert sorted(p.amount_minor for p in made) == [40000, 100000, 110000]   # 1,100 names no invoice
    with pytest.raises(RefusedFor) as exc:
        statements.assign(ctx, applied.line_id, ["5002"])
    assert exc.value.code == "match_line_not_waiting"
    statements.undo(ctx, m.id)
    with pytest.raises(RefusedFor) as exc:
        statements.assign(ctx, applied.line_id, ["9999"])
    assert exc.value.code == "match_unknown_invoice"


def test_money_counted_once_imported_payment_then_bank_line(ctx, books, tmp_path) -> None:
    cust = books.customer("2001", "Delta Ltd")
    books.invoice(cust, "6001", "5000", DUE)
    pay = tmp_path / "payments.csv"
    pay.write_text("customer_ref,date,amount,reference\n2001,15/11/2026,5000,RC-9001\n", encoding="utf-8")
    import_file(ctx, "payments", pay, today=date(2026, 11, 20))
    assert open_of("6001") == 0
    bank = tmp_path / "bank.csv"
    bank.write_text("Date,Credit,Text,Reference\n17/11/2026,\"5,000.00\",Delta Ltd RC-9001,B-1\n", encoding="utf-8")
    r = statements.import_statement(ctx, bank)
    assert (r.linked, r.applied) == (1, 0)
    assert sum(p.amount_minor for p in Payment.objects.filter(customer=cust)) == 500000   # ₪5,000 once
    m = BankMatch.objects.get()
    assert m.kind == "recorded" and m.reasons[0]["code"] == "recorded_reference" and m.payments.get().created is False
    statements.undo(ctx, m.id)
    assert Payment.objects.filter(customer=cust).count() == 1 and open_of("6001") == 0   # the imported one stays


def test_money_counted_once_bank_line_then_imported_payment(ctx, books, tmp_path) -> None:
    foxtrot, golf = books.customer("2002", "Foxtrot Ltd"), books.customer("2003", "Golf Ltd")
    books.invoice(foxtrot, "6101", "5000", DUE)
    books.invoice(golf, "6201", "5000", DUE)
    bank = tmp_path / "bank.csv"
    bank.write_text("Date,Credit,Text,Reference\n17/11/2026,5000,Foxtrot Ltd invoice 6101,B-77\n"
                    "17/11/2026,5000,Golf Ltd invoice 6201,B-78\n", encoding="utf-8")
    assert statements.import_statement(ctx, bank).applied == 2
    assert open_of("6101") == open_of("6201") == 0
    # the same transfers, as the bookkeeping program exports them later: one under the bank's
    # reference (it finds the payment the line recorded), one under its receipt's, naming the invoice
    pay = tmp_path / "payments.csv"
    pay.write_text("customer_ref,date,amount,reference,invoice_number\n2002,17/11/2026,5000,B-77,6101\n"
                   "2003,17/11/2026,5000,RC-5555,6201\n", encoding="utf-8")
    import_file(ctx, "payments", pay, today=date(2026, 11, 20))
    for cust in (foxtrot, golf):   # ₪5,000 once each
        assert sum(p.amount_minor for p in Payment.objects.filter(customer=cust)) == 500000
    assert open_of("6101") == open_of("6201") == 0
    fox, gol = BankMatch.objects.order_by("line__position")
    assert (fox.kind, fox.line.status) == ("invoices", "applied")
    assert (gol.kind, gol.line.status) == ("recorded", "linked") and gol.reasons[-1]["code"] == "recorded_later"
    assert gol.payments.get().payment.reference == "RC-5555"


def test_gateway_payout_matched_to_its_transactions(ctx, books, tmp_path) -> None:
    cust = books.customer("3001", "Echo Ltd")
    account = GatewayAccount.objects.create(organization=ctx.org, gateway="tranzila", notify_token="tok-bank")
    checkout = GatewayCheckout.objects.create(organization=ctx.org, account=account, customer=cust, gateway_ref="g1",
                                              reference="3001-1", amount_minor=250000, currency="ILS",
                                              url="https://pay.example/1", created_on=date(2026, 11, 10))
    txns = []
    for i, (minor, day) in enumerate(((100000, 10), (150000, 11))):
        p = books.payment(cust, str(minor // 100), date(2026, 11, day), method="card")
        t = GatewayTransaction.objects.create(organization=ctx.org, gateway="tranzila", transaction_id=f"t{i}",
                                              checkout=checkout, amount_minor=minor, currency="ILS",
                                              received_on=date(2026, 11, day))
        t.payments.add(p)
        txns.append(t)
    bank = tmp_path / "bank.csv"
    bank.write_text("Date,Credit,Text\n13/11/2026,2490,TRANZILA PAYOUT\n", encoding="utf-8")
    before = Payment.objects.count()
    r = statements.import_statement(ctx, bank)
    assert r.linked == 1 and Payment.objects.count() == before
    assert set(GatewayTransaction.objects.values_list("payout_id", flat=True)) == {f"bank:{BankLine.objects.get().key}"}
    statements.undo(ctx, BankMatch.objects.get().id)
    assert set(GatewayTransaction.objects.values_list("payout_id", flat=True)) == {""}


def test_bad_file_changes_nothing(ctx, shop) -> None:
    with pytest.raises(ValidationFailed):
        statements.import_statement(ctx, DATA / "hapoalim_broken.csv")
    assert not BankLine.objects.exists() and not Payment.objects.exists()
    dry = statements.import_statement(ctx, DATA / "hapoalim_shekel.csv", dry_run=True)
    assert (dry.new, dry.credits) == (3, 2) and not BankLine.objects.exists()


def _bank_line_then_receipt(ctx, books, tmp_path, receipt_reference: str):
    """A bank line that recorded ₪5,000 for invoice 6301, then the bookkeeping program's receipt of
    ₪5,000 from the same customer three days later, naming neither the bank's reference nor the
    invoice: the same transfer, or a second payment — only a person knows."""
    hotel = books.customer("2004", "Hotel Ltd")
    books.invoice(hotel, "6301", "5000", DUE)
    books.invoice(hotel, "6302", "5000", DUE)
    bank = tmp_path / "bank.csv"
    bank.write_text("Date,Credit,Text,Reference\n17/11/2026,5000,Hotel Ltd invoice 6301,B-90\n", encoding="utf-8")
    assert statements.import_statement(ctx, bank).applied == 1
    pay = tmp_path / "payments.csv"
    pay.write_text(f"customer_ref,date,amount,reference\n2004,20/11/2026,5000,{receipt_reference}\n", encoding="utf-8")
    import_file(ctx, "payments", pay, today=date(2026, 11, 20))
    return hotel


def paid_by(customer) -> int:
    return sum(p.amount_minor for p in Payment.objects.filter(customer=customer))


@pytest.mark.parametrize("reference", ["RC-9001", ""])
def test_a_receipt_that_may_be_the_bank_line_is_asked_about_not_guessed(ctx, books, tmp_path, reference) -> None:
    hotel = _bank_line_then_receipt(ctx, books, tmp_path, reference)
    assert paid_by(hotel) == 1000000               # both stay counted until a person says
    applied = BankMatch.objects.get(status="applied")
    ask = BankMatch.objects.get(status="suggested")
    receipt = Payment.objects.get(customer=hotel, source__startswith="payments")  # the import's
    assert ask.line_id == applied.line_id and ask.kind == "recorded" and ask.plan["replaces"] == applied.id
    assert ask.plan["recorded"] == [receipt.id]
    code = "maybe_recorded_later" if reference else "maybe_recorded_later_unreferenced"
    assert ask.reasons == [{"code": code, "params": {"date": "2026-11-20", **({"reference": reference} if reference
                                                                                else {})}}]
    row = statements.list_matches(ctx, "suggested")[0]
    assert row["replaces"] == applied.id and row["customer"] == "2004"
    with pytest.raises(RefusedFor) as changed:      # it asks one thing: one payment or two
        statements.confirm(ctx, ask.id, ["6302"])
    assert changed.value.code == "match_replaces_no_change"
    # the same file again asks nothing more
    pay = tmp_path / "payments.csv"
    import_file(ctx, "payments", pay, today=date(2026, 11, 20))
    assert BankMatch.objects.filter(status="suggested").count() == 1


def test_confirmed_the_same_payment_is_counted_once(ctx, books, tmp_path) -> None:
    hotel = _bank_line_then_receipt(ctx, books, tmp_path, "RC-9001")
    ask = BankMatch.objects.get(status="suggested")
    statements.confirm(ctx, ask.id)
    assert paid_by(hotel) == 500000 and Payment.objects.get(customer=hotel).reference == "RC-9001"
    ask.refresh_from_db()
    old = BankMatch.objects.get(id=ask.plan["replaces"])
    assert (ask.status, ask.line.status, old.status) == ("applied", "linked", "undone")
    assert old.reasons[-1] == {"code": "replaced_by_recorded", "params": {"match": ask.id}}
    assert ask.payments.get().payment.reference == "RC-9001" and not ask.payments.get().created
    # the ledger follows: the receipt named no invoice, so it pays the oldest
    assert open_of("6301") + open_of("6302") == 500000
    statements.undo(ctx, ask.id)                    # and it can be taken back: the line waits again
    assert paid_by(hotel) == 500000 and BankLine.objects.get().status == "open"


def test_rejected_they_are_two_payments_and_it_is_not_asked_again(ctx, books, tmp_path) -> None:
    hotel = _bank_line_then_receipt(ctx, books, tmp_path, "RC-9001")
    statements.reject(ctx, BankMatch.objects.get(status="suggested").id)
    assert paid_by(hotel) == 1000000 and open_of("6301") == open_of("6302") == 0
    import_file(ctx, "payments", tmp_path / "payments.csv", today=date(2026, 11, 20))
    assert not BankMatch.objects.filter(status="suggested").exists()

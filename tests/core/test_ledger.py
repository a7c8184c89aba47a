"""Allocation of one customer's credit notes and payments; every number here is by hand."""

from datetime import date
from decimal import Decimal

import pytest

from gvia.core.errors import ValidationFailed
from gvia.core.ledger import (
    Allocation,
    InvoiceRec,
    PaymentRec,
    allocate,
    invoice_order_key,
    natural_key,
    rate_currency,
    tolerance_for,
)
from gvia.core.money import Money


def ils(x) -> Money:
    return Money.of(x, "ILS")


def usd(x) -> Money:
    return Money.of(x, "USD")


def inv(id, amount, due, issued=None, number=None, **kw) -> InvoiceRec:
    return InvoiceRec(id, number or str(1000 + id), "invoice", issued or date(2026, 1, 1),
                      due, amount, **kw)


def cn(id, amount, issued, applies_to=None, **kw) -> InvoiceRec:
    return InvoiceRec(id, f"CN{id}", "credit_note", issued, issued, amount,
                      applies_to=applies_to, **kw)


def pay(id, amount, on, status="cleared", withholding=None, **kw) -> PaymentRec:
    return PaymentRec(id, on, amount, withholding or Money.zero(amount.currency), status, **kw)


JAN31, FEB28, MAR31 = date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)


def pairs(result) -> list[tuple[str, int, int, Money]]:
    return [(a.source, a.source_id, a.invoice_id, a.amount) for a in result.allocations]


class TestOldestFirst:
    def test_unnamed_payment_goes_oldest_due_first(self):
        r = allocate([inv(2, ils(500), FEB28), inv(1, ils(1000), JAN31)],
                     [pay(1, ils(1200), date(2026, 2, 1))])
        assert pairs(r) == [("payment", 1, 1, ils(1000)), ("payment", 1, 2, ils(200))]
        assert r.open_amounts == {1: ils(0), 2: ils(300)}
        assert dict(r.unapplied) == {}

    def test_named_invoice_first_then_oldest(self):
        r = allocate([inv(1, ils(1000), JAN31), inv(2, ils(500), FEB28)],
                     [pay(1, ils(600), date(2026, 2, 1), invoice_id=2)])
        assert pairs(r) == [("payment", 1, 2, ils(500)), ("payment", 1, 1, ils(100))]
        assert r.open_amounts == {1: ils(900), 2: ils(0)}

    def test_named_invoice_not_in_the_list_is_treated_as_naming_none(self):
        r = allocate([inv(1, ils(1000), JAN31)], [pay(1, ils(300), JAN31, invoice_id=99)])
        assert r.open_amounts == {1: ils(700)}

    def test_overpayment_is_unapplied_credit(self):
        r = allocate([inv(1, ils(1000), JAN31)], [pay(7, ils(1250), JAN31)])
        assert r.open_amounts == {1: ils(0)}
        assert dict(r.unapplied) == {"ILS": ils(250)}
        assert r.unapplied_payments == {7: ils(250)}

    def test_payment_without_invoices_is_all_unapplied(self):
        r = allocate([], [pay(1, ils("99.90"), JAN31)])
        assert r.allocations == [] and r.open_amounts == {}
        assert dict(r.unapplied) == {"ILS": ils("99.90")}

    def test_payments_in_date_order_then_id(self):
        a, b = inv(1, ils(100), JAN31), inv(2, ils(100), FEB28)
        # payment 2 is earlier and names invoice 1; payment 1 then finds invoice 1 closed
        r = allocate([a, b], [pay(1, ils(100), date(2026, 3, 10)),
                              pay(2, ils(100), date(2026, 3, 5), invoice_id=1)])
        assert pairs(r) == [("payment", 2, 1, ils(100)), ("payment", 1, 2, ils(100))]
        # same date: id order
        r = allocate([a, b], [pay(2, ils(100), JAN31, invoice_id=1), pay(1, ils(100), JAN31)])
        assert pairs(r) == [("payment", 1, 1, ils(100)), ("payment", 2, 2, ils(100))]

    def test_earlier_overpayment_spills_into_a_later_invoice(self):
        r = allocate([inv(1, ils(100), JAN31), inv(2, ils(100), FEB28, issued=date(2026, 2, 1))],
                     [pay(1, ils(150), date(2026, 1, 20), invoice_id=1),
                      pay(2, ils(100), date(2026, 2, 20), invoice_id=2)])
        assert pairs(r) == [("payment", 1, 1, ils(100)), ("payment", 1, 2, ils(50)),
                            ("payment", 2, 2, ils(50))]
        assert dict(r.unapplied) == {"ILS": ils(50)}

    def test_order_key_due_then_issue_then_natural_number_then_id(self):
        docs = [
            inv(1, ils(1), FEB28, issued=date(2026, 1, 5), number="INV-10"),
            inv(2, ils(1), FEB28, issued=date(2026, 1, 5), number="INV-9"),
            inv(3, ils(1), FEB28, issued=date(2026, 1, 1), number="INV-11"),
            inv(4, ils(1), JAN31, issued=date(2026, 1, 9), number="INV-12"),
            inv(6, ils(1), FEB28, issued=date(2026, 1, 5), number="INV-9"),
        ]
        assert [d.id for d in sorted(docs, key=invoice_order_key)] == [4, 3, 2, 6, 1]
        assert natural_key("A2") < natural_key("A10") < natural_key("B1")

    def test_same_currency_only_without_rate(self):
        r = allocate([inv(1, usd(100), JAN31), inv(2, ils(50), FEB28)],
                     [pay(1, ils(80), JAN31)])
        assert r.open_amounts == {1: usd(100), 2: ils(0)}
        assert dict(r.unapplied) == {"ILS": ils(30)}


class TestWithholding:
    def test_withholding_counts_as_paid(self):
        r = allocate([inv(1, ils(1000), JAN31)],
                     [pay(1, ils(950), JAN31, withholding=ils(50))])
        assert r.allocations == [Allocation("payment", 1, 1, ils(1000), ils(1000), None)]
        assert r.open_amounts == {1: ils(0)}

    def test_withholding_only_payment(self):
        r = allocate([inv(1, ils(1000), JAN31)],
                     [pay(1, ils(0), JAN31, withholding=ils("30.25"))])
        assert r.open_amounts == {1: ils("969.75")}


class TestCrossCurrency:
    RATE = Decimal("0.27")  # USD per ILS

    def test_usd_invoice_paid_in_ils_at_a_rate(self):
        # 400 ILS is worth 108.00 USD: invoice closed, 100 / 0.27 = 370.370... -> 370.37 ILS used
        r = allocate([inv(1, usd(100), JAN31)],
                     [pay(1, ils(400), JAN31, invoice_id=1, rate=self.RATE)])
        assert r.allocations == [Allocation("payment", 1, 1, usd(100), ils("370.37"), self.RATE)]
        assert r.open_amounts == {1: usd(0)}
        assert dict(r.unapplied) == {"ILS": ils("29.63")}

    def test_partial_cross_currency_uses_the_whole_payment(self):
        r = allocate([inv(1, usd(100), JAN31)],
                     [pay(1, ils("100.01"), JAN31, invoice_id=1, rate=self.RATE)])
        # 100.01 * 0.27 = 27.0027 -> 27.00 USD; all 100.01 ILS consumed
        assert r.allocations == [Allocation("payment", 1, 1, usd(27), ils("100.01"), self.RATE)]
        assert r.open_amounts == {1: usd(73)}
        assert dict(r.unapplied) == {}

    def test_withholding_is_converted_too(self):
        r = allocate([inv(1, usd(100), JAN31)],
                     [pay(1, ils(300), JAN31, withholding=ils(20), invoice_id=1, rate=self.RATE)])
        # 320 ILS * 0.27 = 86.40 USD
        assert r.open_amounts == {1: usd("13.60")}
        assert r.allocations[0].source_amount == ils(320)

    def test_without_rate_it_stays_unapplied(self):
        r = allocate([inv(1, usd(100), JAN31)], [pay(1, ils(400), JAN31, invoice_id=1)])
        assert r.allocations == []
        assert r.open_amounts == {1: usd(100)}
        assert dict(r.unapplied) == {"ILS": ils(400)}

    def test_same_currency_invoices_are_preferred(self):
        # ILS invoice 300 first, the remaining 200 ILS * 0.25 = 50.00 USD
        r = allocate([inv(1, usd(100), JAN31), inv(2, ils(300), FEB28)],
                     [pay(1, ils(500), MAR31, rate=Decimal("0.25"))])
        assert pairs(r) == [("payment", 1, 2, ils(300)), ("payment", 1, 1, usd(50))]
        assert r.open_amounts == {1: usd(50), 2: ils(0)}

    def test_named_foreign_invoice_goes_first(self):
        r = allocate([inv(1, usd(100), JAN31), inv(2, ils(300), FEB28)],
                     [pay(1, ils(500), MAR31, invoice_id=1, rate=Decimal("0.25"))])
        # 100 USD / 0.25 = 400 ILS, then 100 ILS to the ILS invoice
        assert pairs(r) == [("payment", 1, 1, usd(100)), ("payment", 1, 2, ils(100))]
        assert r.open_amounts == {1: usd(0), 2: ils(200)}

    def test_rate_is_ambiguous_with_two_foreign_currencies(self):
        docs = [inv(1, usd(100), JAN31), inv(2, Money.of(100, "EUR"), JAN31)]
        p = pay(1, ils(500), MAR31, rate=Decimal("0.25"))
        assert rate_currency(p, docs) is None
        r = allocate(docs, [p])
        assert r.allocations == [] and dict(r.unapplied) == {"ILS": ils(500)}
        named = pay(1, ils(200), MAR31, rate=Decimal("0.25"), invoice_id=2)
        assert rate_currency(named, docs) == "EUR"
        r = allocate(docs, [named])
        assert r.open_amounts == {1: usd(100), 2: Money.of(50, "EUR")}

    def test_rounding_clamps_to_what_is_left(self):
        # 370.36 * 0.27 = 99.9972 -> 100.00 USD closes the invoice; 100/0.27 -> 370.37 > 370.36
        r = allocate([inv(1, usd(100), JAN31)],
                     [pay(1, ils("370.36"), JAN31, rate=self.RATE)])
        assert r.allocations == [Allocation("payment", 1, 1, usd(100), ils("370.36"), self.RATE)]
        assert dict(r.unapplied) == {}

    def test_amount_worth_less_than_half_a_minor_unit_is_not_settled(self):
        # open 0.001 KWD at 0.003 KWD per JPY is 0.33 JPY -> nothing can be taken from the yen
        docs = [inv(1, Money.of("0.001", "KWD"), JAN31)]
        r = allocate(docs, [pay(1, Money.of(100, "JPY"), JAN31, rate=Decimal("0.003"))],
                     tolerance={})
        assert r.allocations == []
        assert r.open_amounts == {1: Money.of("0.001", "KWD")}
        assert dict(r.unapplied) == {"JPY": Money.of(100, "JPY")}


class TestPendingAndBounced:
    def test_pending_cheque_covers_but_is_reported(self):
        r = allocate([inv(1, ils(1000), JAN31), inv(2, ils(500), FEB28)],
                     [pay(1, ils(400), JAN31), pay(2, ils(800), FEB28, status="pending",
                                                   value_date=date(2026, 4, 15))])
        assert pairs(r) == [("payment", 1, 1, ils(400)), ("payment", 2, 1, ils(600)),
                            ("payment", 2, 2, ils(200))]
        assert [a.pending for a in r.allocations] == [False, True, True]
        assert r.open_amounts == {1: ils(0), 2: ils(300)}
        assert r.pending_cover == {1: ils(600), 2: ils(200)}

    def test_bounced_cheque_is_ignored_entirely(self):
        r = allocate([inv(1, ils(1000), JAN31), inv(2, ils(500), FEB28)],
                     [pay(1, ils(400), JAN31), pay(2, ils(800), FEB28, status="bounced")])
        assert pairs(r) == [("payment", 1, 1, ils(400))]
        assert r.open_amounts == {1: ils(600), 2: ils(500)}
        assert r.pending_cover == {} and dict(r.unapplied) == {}

    def test_bounce_frees_invoice_for_later_payment(self):
        docs = [inv(1, ils(1000), JAN31), inv(2, ils(1000), FEB28)]
        later = pay(3, ils(1000), MAR31)
        before = allocate(docs, [pay(2, ils(1000), JAN31, status="pending"), later])
        assert pairs(before) == [("payment", 2, 1, ils(1000)), ("payment", 3, 2, ils(1000))]
        after = allocate(docs, [pay(2, ils(1000), JAN31, status="bounced"), later])
        assert pairs(after) == [("payment", 3, 1, ils(1000))]
        assert after.open_amounts == {1: ils(0), 2: ils(1000)}


class TestCreditNotes:
    def test_to_a_specific_invoice_with_leftover(self):
        r = allocate([inv(1, ils(100), JAN31), inv(2, ils(200), FEB28),
                      cn(3, ils(250), date(2026, 2, 1), applies_to=2)], [])
        assert pairs(r) == [("credit_note", 3, 2, ils(200))]
        assert r.open_amounts == {1: ils(100), 2: ils(0)}
        assert dict(r.unapplied) == {"ILS": ils(50)}
        assert r.unapplied_credit_notes == {3: ils(50)}

    def test_without_target_oldest_first(self):
        r = allocate([inv(1, ils(100), JAN31), inv(2, ils(200), FEB28),
                      cn(3, ils(250), date(2026, 2, 1))], [])
        assert pairs(r) == [("credit_note", 3, 1, ils(100)), ("credit_note", 3, 2, ils(150))]
        assert r.open_amounts == {1: ils(0), 2: ils(50)}

    def test_targeted_credit_notes_go_before_general_ones(self):
        r = allocate([inv(1, ils(100), JAN31), inv(2, ils(200), FEB28),
                      cn(3, ils(150), date(2026, 1, 10)),
                      cn(4, ils(100), date(2026, 2, 10), applies_to=1)], [])
        assert pairs(r) == [("credit_note", 4, 1, ils(100)), ("credit_note", 3, 2, ils(150))]
        assert r.open_amounts == {1: ils(0), 2: ils(50)} and dict(r.unapplied) == {}

    def test_credit_notes_before_payments(self):
        r = allocate([inv(1, ils(100), JAN31), cn(2, ils(100), FEB28, applies_to=1)],
                     [pay(1, ils(100), date(2026, 1, 10), invoice_id=1)])
        assert pairs(r) == [("credit_note", 2, 1, ils(100))]
        assert dict(r.unapplied) == {"ILS": ils(100)}

    def test_credit_note_in_another_currency_is_not_converted(self):
        r = allocate([inv(1, usd(100), JAN31), cn(2, ils(50), FEB28, applies_to=1)], [])
        assert r.allocations == [] and dict(r.unapplied) == {"ILS": ils(50)}

    def test_partly_used_credit_note(self):
        r = allocate([inv(1, ils(100), JAN31),
                      cn(2, ils(80), FEB28, settled_outside=ils(50))], [])
        assert r.open_amounts == {1: ils(70)}


class TestReductions:
    def test_settled_outside_and_written_off_reduce_first(self):
        r = allocate([inv(1, ils(1000), JAN31, settled_outside=ils(400), written_off=ils(100)),
                      inv(2, ils(200), FEB28, settled_outside=ils(200))],
                     [pay(1, ils(600), MAR31)])
        assert pairs(r) == [("payment", 1, 1, ils(500))]
        assert r.open_amounts == {1: ils(0), 2: ils(0)}
        assert dict(r.unapplied) == {"ILS": ils(100)}

    def test_settled_outside_defaults_to_zero(self):
        assert inv(1, ils(5), JAN31).settled_outside == ils(0)
        assert inv(1, usd(5), JAN31).available == usd(5)


class TestTolerance:
    def test_small_rest_after_payment_is_settled(self):
        r = allocate([inv(1, ils(5000), JAN31)], [pay(1, ils("4999.40"), JAN31)])
        settle = Allocation("tolerance", 1, 1, ils("0.60"), ils("0.60"), None)
        assert r.tolerance_settled == [settle]
        assert r.allocations[-1] == settle
        assert r.open_amounts == {1: ils(0)}

    def test_exactly_one_shekel_is_settled_more_is_not(self):
        r = allocate([inv(1, ils(5000), JAN31)], [pay(1, ils(4999), JAN31)])
        assert r.open_amounts == {1: ils(0)}
        r = allocate([inv(1, ils(5000), JAN31)], [pay(1, ils("4998.99"), JAN31)])
        assert r.open_amounts == {1: ils("1.01")} and r.tolerance_settled == []

    def test_not_without_a_payment(self):
        r = allocate([inv(1, ils(100), JAN31), cn(2, ils("99.50"), FEB28)], [])
        assert r.open_amounts == {1: ils("0.50")} and r.tolerance_settled == []

    def test_small_overpayment_stays_unapplied(self):
        r = allocate([inv(1, ils(5000), JAN31)], [pay(1, ils("5000.40"), JAN31)])
        assert r.tolerance_settled == [] and dict(r.unapplied) == {"ILS": ils("0.40")}

    def test_custom_tolerances(self):
        docs = [inv(1, ils(100), JAN31), inv(2, usd(100), JAN31)]
        pays = [pay(1, ils(97), JAN31), pay(2, usd("99.50"), JAN31)]
        assert allocate(docs, pays).open_amounts == {1: ils(3), 2: usd(0)}
        assert allocate(docs, pays, tolerance=ils(5)).open_amounts == {1: ils(0), 2: usd("0.50")}
        assert allocate(docs, pays, tolerance={}).open_amounts == {1: ils(3), 2: usd("0.50")}
        assert allocate(docs, pays, tolerance={"USD": Decimal("0.25")}).open_amounts == {
            1: ils(3), 2: usd("0.50")}
        assert tolerance_for(None, "JPY") == Money.of(1, "JPY")
        with pytest.raises(ValidationFailed):
            allocate(docs, pays, tolerance=ils(-1))

    def test_tolerance_after_a_pending_cheque_is_pending(self):
        r = allocate([inv(1, ils(5000), JAN31)],
                     [pay(1, ils("4999.40"), JAN31, status="pending")])
        assert r.tolerance_settled[0].pending is True
        assert r.pending_cover == {1: ils(5000)}


class TestAsOf:
    def test_later_items_are_left_out(self):
        docs = [inv(1, ils(100), JAN31), inv(2, ils(100), MAR31, issued=date(2026, 3, 1))]
        pays = [pay(1, ils(150), FEB28), pay(2, ils(50), date(2026, 3, 5))]
        r = allocate(docs, pays, as_of=FEB28)
        assert r.open_amounts == {1: ils(0)}
        assert dict(r.unapplied) == {"ILS": ils(50)}
        r = allocate(docs, pays, as_of=MAR31)
        assert r.open_amounts == {1: ils(0), 2: ils(0)} and dict(r.unapplied) == {}


class TestValidation:
    @pytest.mark.parametrize("build", [
        lambda: InvoiceRec(1, "1", "bill", JAN31, JAN31, ils(1)),
        lambda: InvoiceRec(1, "1", "invoice", JAN31, JAN31, ils(-1)),
        lambda: InvoiceRec(1, "1", "invoice", JAN31, JAN31, ils(10), usd(1)),
        lambda: InvoiceRec(1, "1", "invoice", JAN31, JAN31, ils(10), ils(6), written_off=ils(5)),
        lambda: InvoiceRec(1, "1", "invoice", JAN31, JAN31, ils(10), applies_to=2),
        lambda: PaymentRec(1, JAN31, ils(1), ils(0), "lost"),
        lambda: PaymentRec(1, JAN31, ils(1), usd(0), "cleared"),
        lambda: PaymentRec(1, JAN31, ils(-1), ils(0), "cleared"),
        lambda: PaymentRec(1, JAN31, ils(1), ils(0), "cleared", rate=0.27),
        lambda: PaymentRec(1, JAN31, ils(1), ils(0), "cleared", rate=Decimal(0)),
    ])
    def test_bad_records_are_refused(self, build):
        with pytest.raises(ValidationFailed):
            build()

    def test_bad_references_and_duplicates(self):
        with pytest.raises(ValidationFailed):
            allocate([inv(1, ils(1), JAN31), inv(1, ils(2), JAN31)], [])
        with pytest.raises(ValidationFailed):
            allocate([inv(1, ils(1), JAN31)], [pay(1, ils(1), JAN31), pay(1, ils(1), JAN31)])
        with pytest.raises(ValidationFailed):
            allocate([cn(1, ils(1), JAN31), cn(2, ils(1), JAN31, applies_to=1)], [])
        with pytest.raises(ValidationFailed) as info:
            allocate([cn(1, ils(1), JAN31)], [pay(5, ils(1), JAN31, invoice_id=1)])
        assert info.value.problems[0].field == "invoice_id"
        assert info.value.problems[0].source == "PaymentRec 5"


def test_tolerance_mapping_may_hold_money():
    docs = [inv(1, ils(100), JAN31)]
    r = allocate(docs, [pay(1, ils(98), JAN31)], tolerance={"ILS": ils(2)})
    assert r.open_amounts == {1: ils(0)}
    with pytest.raises(ValidationFailed):
        allocate(docs, [], tolerance={"ILS": usd(2)})


def test_tolerance_defaultdict_covers_every_currency():
    from collections import defaultdict

    docs = [inv(1, ils(100), JAN31), inv(2, usd(100), JAN31)]
    pays = [pay(1, ils("98.50"), JAN31), pay(2, usd(98), JAN31)]
    r = allocate(docs, pays, tolerance=defaultdict(lambda: Decimal(2)))
    assert r.open_amounts == {1: ils(0), 2: usd(0)}
    assert [a.amount for a in r.tolerance_settled] == [ils("1.50"), usd(2)]
    with pytest.raises(ValidationFailed):
        allocate(docs, pays, tolerance=defaultdict(lambda: Decimal(-1)))

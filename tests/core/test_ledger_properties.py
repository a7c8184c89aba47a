"""Properties of allocation, aging and statement over generated customers.

No agora is created or lost, per payment, per credit note, per invoice and overall; aging
buckets add up to the open balance; the statement's closing balance is what the documents
and payments say it is.
"""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from gvia.core.aging import age_ledger
from gvia.core.ledger import CREDIT_NOTE, INVOICE, InvoiceRec, PaymentRec, allocate
from gvia.core.money import Money, Totals
from gvia.core.statement import statement

START = date(2026, 1, 1)
SETTINGS = settings(max_examples=150, deadline=None)


def day(n: int) -> date:
    return START + timedelta(days=n)


@st.composite
def customers(draw, currencies=("ILS",), rates=False):
    """(invoices, payments) of one customer; ids are unique, references are valid."""
    n_docs = draw(st.integers(0, 7))
    docs: list[InvoiceRec] = []
    for i in range(1, n_docs + 1):
        code = draw(st.sampled_from(currencies))
        kind = draw(st.sampled_from([INVOICE, INVOICE, INVOICE, CREDIT_NOTE]))
        amount = draw(st.integers(1, 200_000))
        outside = draw(st.one_of(st.just(0), st.integers(0, amount)))
        off = draw(st.one_of(st.none(), st.integers(0, amount - outside)))
        issued = day(draw(st.integers(0, 90)))
        due = issued + timedelta(days=draw(st.integers(0, 60)))
        invoice_ids = [d.id for d in docs if d.kind == INVOICE]
        applies_to = None
        if kind == CREDIT_NOTE and invoice_ids:
            applies_to = draw(st.one_of(st.none(), st.sampled_from(invoice_ids)))
        docs.append(InvoiceRec(
            i, draw(st.sampled_from(["A1", "A2", "A10", "B7", str(i)])), kind, issued, due,
            Money.from_minor(amount, code), Money.from_minor(outside, code), applies_to,
            None if off is None else Money.from_minor(off, code)))
    invoice_ids = [d.id for d in docs if d.kind == INVOICE]
    pays: list[PaymentRec] = []
    for j in range(1, draw(st.integers(0, 7)) + 1):
        code = draw(st.sampled_from(currencies))
        named = draw(st.one_of(st.none(), st.just(999), *(
            [st.sampled_from(invoice_ids)] if invoice_ids else [])))
        rate = None
        if rates and draw(st.booleans()):
            rate = Decimal(draw(st.integers(1, 500_000))).scaleb(-draw(st.integers(0, 4)))
        minor = draw(st.integers(0, 250_000))
        same = [d for d in docs if d.kind == INVOICE and d.currency == code]
        if same and draw(st.booleans()):
            # just short of an invoice: exercises the tolerance
            minor = max(0, draw(st.sampled_from(same)).available.minor - draw(st.integers(0, 150)))
        pays.append(PaymentRec(
            j, day(draw(st.integers(0, 150))),
            Money.from_minor(minor, code),
            Money.from_minor(draw(st.one_of(st.just(0), st.integers(0, 20_000))), code),
            draw(st.sampled_from(["cleared", "cleared", "pending", "bounced"])),
            invoice_id=named, rate=rate))
    return docs, pays


def zero_like(m: Money) -> Money:
    return Money.zero(m.currency)


def check_conservation(docs, pays, r):
    # per payment: what it covers is exactly what its allocations took plus what is left
    for p in pays:
        taken = [a for a in r.allocations if a.source == "payment" and a.source_id == p.id]
        if p.status == "bounced":
            assert taken == [] and p.id not in r.unapplied_payments
            continue
        total = sum((a.source_amount for a in taken), zero_like(p.amount))
        assert total + r.unapplied_payments.get(p.id, zero_like(p.amount)) == p.covers
        assert all(a.pending == (p.status == "pending") for a in taken)
        assert all(a.source_amount.currency == p.currency for a in taken)
    # per credit note
    for c in (d for d in docs if d.kind == CREDIT_NOTE):
        taken = [a for a in r.allocations if a.source == "credit_note" and a.source_id == c.id]
        total = sum((a.amount for a in taken), zero_like(c.amount))
        assert total + r.unapplied_credit_notes.get(c.id, zero_like(c.amount)) == c.available
        assert all(a.amount == a.source_amount for a in taken)
    # per invoice: open = available - everything allocated to it, never below zero
    invoices = [d for d in docs if d.kind == INVOICE]
    assert set(r.open_amounts) == {d.id for d in invoices}
    for d in invoices:
        got = sum((a.amount for a in r.allocations if a.invoice_id == d.id), zero_like(d.amount))
        assert d.available - got == r.open_amounts[d.id]
        assert zero_like(d.amount) <= r.open_amounts[d.id] <= d.available
        pend = sum((a.amount for a in r.allocations if a.invoice_id == d.id and a.pending),
                   zero_like(d.amount))
        assert r.pending_cover.get(d.id, zero_like(d.amount)) == pend
        assert all(a.amount.currency == d.currency and a.amount > zero_like(d.amount)
                   for a in r.allocations if a.invoice_id == d.id)
    assert r.unapplied == Totals([*r.unapplied_payments.values(),
                                  *r.unapplied_credit_notes.values()])
    assert all(m.amount > 0 for m in r.unapplied.values())


@SETTINGS
@given(customers(currencies=("ILS",)))
def test_single_currency_never_creates_or_loses_an_agora(case):
    docs, pays = case
    r = allocate(docs, pays)
    check_conservation(docs, pays, r)
    # overall: money in (payments + credit notes) = money applied + unapplied credit
    z = Money.zero("ILS")
    money_in = sum((p.covers for p in pays if p.status != "bounced"), z) + sum(
        (d.available for d in docs if d.kind == CREDIT_NOTE), z)
    applied = sum((a.amount for a in r.allocations if a.source != "tolerance"), z)
    assert money_in == applied + r.unapplied.get_or_zero("ILS")
    owed = sum((d.available for d in docs if d.kind == INVOICE), z)
    tolerance = sum((a.amount for a in r.tolerance_settled), z)
    assert owed - applied - tolerance == sum(r.open_amounts.values(), z)


@SETTINGS
@given(st.one_of(customers(currencies=("ILS", "USD"), rates=True),
                 customers(currencies=("ILS", "USD", "JPY"), rates=True)))
def test_cross_currency_never_creates_or_loses_an_agora(case):
    docs, pays = case
    r = allocate(docs, pays)
    check_conservation(docs, pays, r)
    for a in r.allocations:
        if a.rate is None:
            assert a.amount == a.source_amount
            continue
        # what was taken, converted, is what was settled, up to rounding on one side:
        # half a minor unit of the invoice currency, or half a payment minor unit at the rate
        unit_inv = Money.from_minor(1, a.amount.currency).amount
        unit_src = Money.from_minor(1, a.source_amount.currency).amount
        diff = abs(a.source_amount.amount * a.rate - a.amount.amount)
        assert diff <= max(unit_inv, a.rate * unit_src) / 2


@SETTINGS
@given(customers(currencies=("ILS", "USD"), rates=True), st.randoms(use_true_random=False))
def test_input_order_does_not_matter(case, rnd):
    docs, pays = case
    first = allocate(docs, pays)
    docs2, pays2 = list(docs), list(pays)
    rnd.shuffle(docs2)
    rnd.shuffle(pays2)
    again = allocate(docs2, pays2)
    assert again.allocations == first.allocations
    assert again.open_amounts == first.open_amounts
    assert again.unapplied == first.unapplied


@SETTINGS
@given(customers(currencies=("ILS", "USD")))
def test_tolerance_leaves_no_small_rest_after_a_payment(case):
    docs, pays = case
    r = allocate(docs, pays)
    one = {"ILS": Money.of(1, "ILS"), "USD": Money.of(1, "USD")}
    paid = {a.invoice_id for a in r.allocations if a.source == "payment"}
    for d in docs:
        if d.kind == INVOICE and d.id in paid:
            open_ = r.open_amounts[d.id]
            assert open_.is_zero or open_ > one[d.currency]
    for a in r.tolerance_settled:
        assert a.invoice_id in paid and a.amount <= one[a.amount.currency]


@SETTINGS
@given(customers(currencies=("ILS", "USD")), st.integers(-30, 400))
def test_aging_buckets_sum_to_the_open_balance(case, offset):
    docs, pays = case
    r = allocate(docs, pays)
    report = age_ledger(docs, r, day(offset))
    open_total = Totals(m for m in r.open_amounts.values() if m)
    assert report.totals == open_total
    for code, row in report.currencies.items():
        assert sum((m for m in row.values()), Money.zero(code)) == open_total[code]
        assert list(row) == ["not_due", "1-30", "31-60", "61-90", "91-180", "180+"]


@SETTINGS
@given(customers(currencies=("ILS",)), st.integers(0, 160))
def test_statement_closing_is_documents_minus_credits_minus_payments(case, as_of_day):
    docs, pays = case
    as_of = day(as_of_day)
    r = allocate(docs, pays, as_of=as_of)
    s = statement(docs, pays, r, as_of)
    z = Money.zero("ILS")
    docs_now = [d for d in docs if d.issue_date <= as_of]
    pays_now = [p for p in pays if p.date <= as_of and p.status != "bounced"]
    invoices = sum((d.amount for d in docs_now if d.kind == INVOICE), z)
    credits = sum((d.amount for d in docs_now if d.kind == CREDIT_NOTE), z)
    reductions = sum((d.reductions for d in docs_now if d.kind == INVOICE), z) - sum(
        (d.reductions for d in docs_now if d.kind == CREDIT_NOTE), z)
    payments = sum((p.amount for p in pays_now), z)
    withholding = sum((p.withholding for p in pays_now), z)
    tolerance = sum((a.amount for a in r.tolerance_settled), z)
    expected = invoices - credits - payments - withholding - reductions - tolerance
    assert s.closing.get_or_zero("ILS") == expected
    assert expected == sum(r.open_amounts.values(), z) - r.unapplied.get_or_zero("ILS")
    if s.lines:
        assert s.lines[-1].balance == expected
    assert [ln.date for ln in s.lines] == sorted(ln.date for ln in s.lines)


@SETTINGS
@given(customers(currencies=("ILS", "USD", "JPY"), rates=True), st.integers(0, 160),
       st.integers(0, 160))
def test_statement_closing_equals_open_minus_unapplied_per_currency(case, as_of_day, since_day):
    docs, pays = case
    as_of = day(as_of_day)
    r = allocate(docs, pays, as_of=as_of)
    s = statement(docs, pays, r, as_of, since=day(since_day))
    open_total = Totals(r.open_amounts.values())
    for code in set(s.closing) | set(open_total) | set(r.unapplied):
        assert s.closing.get_or_zero(code) == (
            open_total.get_or_zero(code) - r.unapplied.get_or_zero(code))
        moved = s.opening.get_or_zero(code)
        for ln in s.lines_in(code):
            moved = moved + (ln.debit or Money.zero(code)) - (ln.credit or Money.zero(code))
            assert ln.balance == moved
        assert moved == s.closing.get_or_zero(code)


@SETTINGS
@given(customers(currencies=("ILS", "USD")))
def test_without_payments_write_offs_or_credit_left_the_allocator_only_subtracts_what_was_settled(case):
    """The import skips the allocator for such customers (ledger_store.customers_with_activity)
    and writes open = amount - settled outside itself: that must be exactly the allocator's answer."""
    from dataclasses import replace

    docs, _payments = case
    docs = [replace(d, written_off=None, settled_outside=d.amount) if d.kind == CREDIT_NOTE
            else replace(d, written_off=None) for d in docs]
    r = allocate(docs, [])
    assert r.allocations == [] and r.tolerance_settled == [] and r.pending_cover == {}
    assert r.unapplied_payments == {} and r.unapplied_credit_notes == {} and not list(r.unapplied.values())
    assert {i: m.minor for i, m in r.open_amounts.items()} == {
        d.id: d.amount.minor - d.settled_outside.minor for d in docs if d.kind == INVOICE}

"""Settlements: offered, approved only by an owner, paid in time (the rest written off with a
record of who approved it and why) or lapsed (the full debt stands)."""

from datetime import date

import pytest

from gvia.core.errors import GviaError, Refused, RefusedFor
from gvia.services.arrangements import settlements
from gvia.services.ledger import books as ledger
from gvia.store.models import Activity, AuditRecord, Case, Invoice, Pause, Settlement, WriteOff

from .conftest import at

pytestmark = pytest.mark.django_db


def _debtor(books):
    c = books.customer("S1", "Blue Ocean Ltd", language="en")
    books.invoice(c, "801", "6000.00", date(2026, 9, 1))
    books.invoice(c, "802", "4000.00", date(2026, 9, 15))
    return c


def _offer(collector, ctx):
    offer = settlements.offer_settlement(collector, "S1", "8500.00", "2026-11-15", "cash-flow trouble; pays at once",
                                         now=at(date(2026, 10, 26)))
    return offer


def test_settlement_paid_in_time_writes_off_the_rest(ctx, books, days, collector):
    c = _debtor(books)
    days.run(date(2026, 10, 26))
    offer = _offer(collector, ctx)
    assert (offer.status, offer.debt_minor, offer.agreed_minor) == ("offered", 1000000, 850000)
    assert not Pause.objects.filter(kind="settlement").exists()   # nothing is paused before an owner approves
    # a collector may not approve it: refused, nothing changed
    with pytest.raises(Refused, match="approving a settlement needs the owner role; dana@gilboa.co.il is collector"):
        settlements.approve_settlement(collector, offer.id, now=at(date(2026, 10, 26)))
    offer.refresh_from_db()
    assert offer.status == "offered" and offer.approved_by == ""
    settlements.approve_settlement(ctx, offer.id, "better than court", now=at(date(2026, 10, 27)))
    offer.refresh_from_db()
    assert (offer.status, offer.approved_by) == ("approved", "owner@gilboa.co.il")
    assert offer.reason == "cash-flow trouble; pays at once; better than court"
    pause = Pause.objects.get(id=offer.pause_id)
    assert (pause.kind, pause.until, pause.active) == ("settlement", date(2026, 11, 15), True)

    books.payment(c, "8500.00", date(2026, 11, 10))
    counts, _ = days.run(date(2026, 11, 10))
    assert counts == {"settlements_paid": 1}
    offer.refresh_from_db()
    assert (offer.status, offer.paid_minor, offer.paid_on, offer.written_off_minor) == (
        "paid", 850000, date(2026, 11, 10), 150000)
    # the payment took 6,000.00 of 801 and 2,500.00 of 802: 1,500.00 of 802 is written off
    [w] = WriteOff.objects.filter(customer=c)
    assert (w.invoice.number, w.amount_minor, w.status, w.origin, w.approved_by) == (
        "802", 150000, "approved", "settlement", "owner@gilboa.co.il")
    assert w.reason == f"settlement {offer.id}: cash-flow trouble; pays at once; better than court"
    assert dict(Invoice.objects.filter(customer=c).values_list("number", "open_minor")) == {"801": 0, "802": 0}
    assert not Pause.objects.get(id=offer.pause_id).active
    # the write-off is a line of its own on the statement, never a deletion
    _, st = ledger.statement(ctx, "S1", date(2026, 11, 10))
    kinds = [(ln.kind, ln.reference, str(ln.credit.amount) if ln.credit else None) for ln in st.lines]
    assert ("write_off", "802", "1500.00") in kinds
    assert st.to_json_dict()["closing_balance"] == {"ILS": "0.00"}
    assert Case.objects.get(customer=c).active is False
    assert AuditRecord.objects.filter(action="settlement.approved", actor="owner@gilboa.co.il").count() == 1


def test_settlement_not_paid_by_the_deadline_lapses_and_the_full_debt_stands(ctx, books, days, collector):
    c = _debtor(books)
    days.run(date(2026, 10, 26))
    offer = _offer(collector, ctx)
    settlements.approve_settlement(ctx, offer.id, now=at(date(2026, 10, 27)))
    books.payment(c, "5000.00", date(2026, 11, 12))
    counts, _ = days.run(date(2026, 11, 15))       # the deadline itself: still open
    assert counts == {}
    counts, report = days.run(date(2026, 11, 16))
    assert counts == {"settlements_lapsed": 1}
    offer.refresh_from_db()
    assert (offer.status, offer.paid_minor, offer.written_off_minor) == ("lapsed", 500000, 0)
    assert not WriteOff.objects.exists()
    open_by_number = dict(Invoice.objects.filter(customer=c).values_list("number", "open_minor"))
    assert open_by_number == {"801": 100000, "802": 400000}
    assert not Pause.objects.get(id=offer.pause_id).active
    assert Activity.objects.filter(customer=c, kind="settlement", data__signal="settlement_lapsed").exists()


def test_offer_never_approved_lapses_at_its_deadline(ctx, books, days, collector):
    _debtor(books)
    offer = _offer(collector, ctx)
    counts, _ = days.run(date(2026, 11, 16))
    assert counts == {"settlements_lapsed": 1}
    offer.refresh_from_db()
    assert offer.status == "lapsed"
    with pytest.raises(RefusedFor) as refused:
        settlements.approve_settlement(ctx, offer.id, "late", now=at(date(2026, 11, 16)))
    assert (refused.value.code, refused.value.params) == ("settlement_not_offered", {"settlement": offer.id})


@pytest.mark.parametrize("amount, deadline, message", [
    ("10000.01", "2026-11-15", "more than the debt 10000.00 ILS"),
    ("10000.00", "2026-11-15", "is the whole debt"),
    ("0", "2026-11-15", "must be more than zero"),
    ("8500.00", "2026-10-25", "is before today"),
])
def test_impossible_settlements_are_refused(ctx, books, collector, amount, deadline, message):
    _debtor(books)
    with pytest.raises(GviaError, match=message):
        settlements.offer_settlement(collector, "S1", amount, deadline, now=at(date(2026, 10, 26)))
    assert not Settlement.objects.exists() and not Activity.objects.exists()


def test_approval_needs_a_reason_and_one_offer_at_a_time(ctx, books, collector):
    _debtor(books)
    offer = settlements.offer_settlement(collector, "S1", "9000", "2026-11-15", now=at(date(2026, 10, 26)))
    with pytest.raises(GviaError, match="needs a reason"):
        settlements.approve_settlement(ctx, offer.id, now=at(date(2026, 10, 26)))
    with pytest.raises(Refused, match=f"already has settlement {offer.id}"):
        settlements.offer_settlement(collector, "S1", "9500", "2026-11-15", now=at(date(2026, 10, 26)))
    settlements.reject_settlement(ctx, offer.id, "too generous", now=at(date(2026, 10, 27)))
    offer.refresh_from_db()
    assert offer.status == "rejected"

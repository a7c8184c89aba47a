"""Disputes (only the disputed invoices leave the ladder; valid by credit note or write-off,
or rejected back onto the ladder; owners reminded) and write-offs (owners approve)."""

from datetime import date

import pytest

from gvia.core.errors import GviaError, Refused, RefusedFor, ValidationFailed
from gvia.services.arrangements import disputes, writeoffs
from gvia.services.arrangements.paid import open_balance
from gvia.services.ledger import books as ledger
from gvia.store import engine_store
from gvia.store.models import Activity, Invoice, OutboxMessage, Pause, Task, WriteOff
from gvia.web import words as web_words

from .conftest import at

pytestmark = pytest.mark.django_db


def _customer(books):
    c = books.customer("D1", "Rimon Catering", language="en", email="office@rimon.co.il")
    books.invoice(c, "1001", "1000.00", date(2026, 10, 1))
    books.invoice(c, "1002", "500.00", date(2026, 10, 1))
    return c


def _disputed_flags(ctx, c, day):
    [snap] = engine_store.load_snapshots(ctx.org.id, day, customer_ids=[c.id]).snapshots
    return {i.number: i.disputed for i in snap.items}


def test_only_the_disputed_invoice_leaves_the_ladder_and_a_credit_note_settles_it(ctx, books, days, collector):
    c = _customer(books)
    d = disputes.open_dispute(collector, "D1", ["1002"], "wrong_amount", "billed 5 trays, 4 delivered",
                              now=at(date(2026, 10, 5)))
    assert (d.status, d.owner.email, d.opened_on, d.remind_after_days) == ("open", "dana@gilboa.co.il",
                                                                          date(2026, 10, 5), 14)
    pause = Pause.objects.get(id=d.pause_id)
    assert (pause.kind, pause.invoices, pause.until) == ("dispute", [Invoice.objects.get(number="1002").id], None)
    assert _disputed_flags(ctx, c, date(2026, 10, 8)) == {"1001": False, "1002": True}
    days.run(date(2026, 10, 8))
    # the ladder goes on for 1001
    assert OutboxMessage.objects.get(customer=c).stage_key == "reminder"
    stage = Activity.objects.get(customer=c, kind="stage")
    assert ["disputed_excluded", {"count": 1}] in stage.data["reasons"]
    # a payment plan leaves the disputed invoice out: 1,000.00, not 1,500.00
    assert open_balance(ctx, c, "ILS")[0].amount == 1000

    disputes.resolve_dispute(collector, d.id, "valid", "credit_note", now=at(date(2026, 10, 12)))
    d.refresh_from_db()
    assert (d.status, d.resolution, d.resolved_on, d.resolved_by) == ("valid", "credit_note", date(2026, 10, 12),
                                                                      "dana@gilboa.co.il")
    cn = Invoice.objects.get(kind="credit_note")
    assert (cn.number, cn.amount_minor, cn.applies_to.number) == (f"D{d.id}-1002", 50000, "1002")
    open_by_number = dict(Invoice.objects.filter(kind="invoice").values_list("number", "open_minor"))
    assert open_by_number == {"1001": 100000, "1002": 0}
    assert not Pause.objects.get(id=d.pause_id).active


def test_rejected_dispute_puts_the_invoice_back_on_the_ladder(ctx, books, days, collector):
    c = _customer(books)
    d = disputes.open_dispute(collector, "D1", ["1001", "1002"], "not_received", now=at(date(2026, 10, 5)))
    _, report = days.run(date(2026, 10, 8))
    assert not OutboxMessage.objects.filter(customer=c).exists()     # everything disputed: nothing to chase
    disputes.resolve_dispute(collector, d.id, "rejected", note="delivery note signed", now=at(date(2026, 10, 12)))
    d.refresh_from_db()
    assert (d.status, d.resolution) == ("rejected", "")
    assert _disputed_flags(ctx, c, date(2026, 10, 12)) == {"1001": False, "1002": False}
    days.run(date(2026, 10, 12))
    assert OutboxMessage.objects.get(customer=c).stage_key == "reminder"
    assert dict(Invoice.objects.filter(kind="invoice").values_list("number", "open_minor")) == {"1001": 100000,
                                                                                               "1002": 50000}
    with pytest.raises(Refused, match="already rejected; a new disagreement is a new dispute"):
        disputes.resolve_dispute(collector, d.id, "valid", "credit_note", now=at(date(2026, 10, 13)))


def test_valid_dispute_written_off_needs_an_owner(ctx, books, collector):
    _customer(books)
    d = disputes.open_dispute(collector, "D1", ["1002"], "service_not_as_expected", now=at(date(2026, 10, 5)))
    with pytest.raises(Refused, match="needs the owner role"):
        disputes.resolve_dispute(collector, d.id, "valid", "write_off", now=at(date(2026, 10, 12)))
    d.refresh_from_db()
    assert d.status == "open" and not WriteOff.objects.exists()
    disputes.resolve_dispute(ctx, d.id, "valid", "write_off", note="goodwill", now=at(date(2026, 10, 12)))
    [w] = WriteOff.objects.all()
    assert (w.invoice.number, w.amount_minor, w.status, w.origin, w.approved_by) == (
        "1002", 50000, "approved", "dispute", "owner@gilboa.co.il")
    assert Invoice.objects.get(number="1002").open_minor == 0


def test_dispute_open_too_long_reminds_its_owner_once(ctx, books, days, collector):
    c = _customer(books)
    d = disputes.open_dispute(collector, "D1", ["1002"], "other", "asks for a meeting", now=at(date(2026, 10, 5)))
    counts, _ = days.run(date(2026, 10, 19))          # 14 days open: not yet
    assert "dispute_reminders" not in counts
    counts, _ = days.run(date(2026, 10, 20))          # 15 days: the owner is reminded
    assert counts["dispute_reminders"] == 1
    task = Task.objects.get(key=f"dispute:{d.id}:overdue")
    assert (task.kind, task.assigned_to.email, task.open, task.customer_id) == ("follow_up", "dana@gilboa.co.il",
                                                                                True, c.id)
    counts, _ = days.run(date(2026, 10, 21))
    assert "dispute_reminders" not in counts and Task.objects.filter(kind="follow_up").count() == 1
    disputes.resolve_dispute(collector, d.id, "rejected", now=at(date(2026, 10, 22)))
    task.refresh_from_db()
    assert (task.open, task.outcome) == (False, "rejected")


@pytest.mark.parametrize("numbers, reason, note, message", [
    ([], "wrong_amount", "", "at least one invoice"),
    (["1001", "1001"], "wrong_amount", "", "named twice"),
    (["1001"], "because", "", "unknown dispute reason"),
    (["1001"], "other", "", "needs a note"),
    (["9999"], "wrong_amount", "", r"not an invoice of D1 \(value '9999'\)"),
])
def test_impossible_disputes_are_refused(ctx, books, collector, numbers, reason, note, message):
    _customer(books)
    with pytest.raises(GviaError, match=message):
        disputes.open_dispute(collector, "D1", numbers, reason, note, now=at(date(2026, 10, 5)))
    assert not Pause.objects.exists() and not Activity.objects.exists()


def test_an_invoice_is_in_one_open_dispute_at_a_time(ctx, books, collector):
    _customer(books)
    first = disputes.open_dispute(collector, "D1", ["1002"], "wrong_amount", now=at(date(2026, 10, 5)))
    with pytest.raises(Refused, match=f"1002 are already in open dispute {first.id}"):
        disputes.open_dispute(collector, "D1", ["1001", "1002"], "not_received", now=at(date(2026, 10, 6)))


def test_write_off_approval_by_a_collector_is_refused_and_an_owner_approves(ctx, books, days, collector):
    c = _customer(books)
    books.payment(c, "400.00", date(2026, 10, 3))
    ledger.recompute(ctx, [c.id])                     # 400.00 goes to 1001: 600.00 open
    w = writeoffs.request_writeoff(collector, "D1", "1001", "customer closed the branch", now=at(date(2026, 10, 5)))
    assert (w.amount_minor, w.status, w.requested_by) == (60000, "requested", "dana@gilboa.co.il")
    assert Invoice.objects.get(number="1001").open_minor == 60000        # a request changes nothing
    with pytest.raises(Refused, match="approving a write-off needs the owner role; dana@gilboa.co.il is collector"):
        writeoffs.approve_writeoff(collector, w.id, now=at(date(2026, 10, 6)))
    w.refresh_from_db()
    assert w.status == "requested" and Invoice.objects.get(number="1001").open_minor == 60000
    writeoffs.approve_writeoff(ctx, w.id, "agreed with the accountant", now=at(date(2026, 10, 6)))
    w.refresh_from_db()
    assert (w.status, w.approved_by, w.decided_on) == ("approved", "owner@gilboa.co.il", date(2026, 10, 6))
    assert Invoice.objects.get(number="1001").open_minor == 0
    ledger.recompute(ctx, [c.id])                     # recomputing from scratch keeps it: it is in the ledger
    assert Invoice.objects.get(number="1001").open_minor == 0
    rep = writeoffs.report(ctx, date(2026, 10, 1), date(2026, 10, 31))
    assert rep.approved.as_strings() == {"ILS": "600.00"}
    assert rep.by_origin["manual"].as_strings() == {"ILS": "600.00"}
    assert writeoffs.report(ctx, date(2026, 11, 1)).rows == []


def test_write_off_above_the_open_amount_or_twice_is_refused(ctx, books, collector):
    _customer(books)
    with pytest.raises(RefusedFor) as refused:
        writeoffs.request_writeoff(collector, "D1", "1002", "bad debt", "500.01", now=at(date(2026, 10, 5)))
    assert refused.value.code == "writeoff_amount"
    he = web_words.refusal_text(refused.value, "he")    # the amounts as the page's locale writes them
    assert he.startswith("סכום המחיקה (") and "היתרה הפתוחה של חשבונית 1002 (" in he
    assert "500.01" in he and "500.00" in he and "ILS" not in he
    with pytest.raises(ValidationFailed) as failed:
        writeoffs.request_writeoff(collector, "D1", "1002", "  ", now=at(date(2026, 10, 5)))
    assert [p.code for p in failed.value.problems] == ["writeoff_needs_reason"]
    writeoffs.request_writeoff(collector, "D1", "1002", "bad debt", "200", now=at(date(2026, 10, 5)))
    with pytest.raises(RefusedFor) as refused:
        writeoffs.request_writeoff(collector, "D1", "1002", "bad debt", now=at(date(2026, 10, 5)))
    assert (refused.value.code, refused.value.params) == ("writeoff_already_waiting", {"number": "1002"})
    assert WriteOff.objects.count() == 1


def test_credit_note_number_given_by_the_accounting_system(ctx, books, collector):
    _customer(books)
    d = disputes.open_dispute(collector, "D1", ["1001"], "already_paid", now=at(date(2026, 10, 5)))
    disputes.resolve_dispute(collector, d.id, "valid", "credit_note", credit_note_number="CN-77",
                             now=at(date(2026, 10, 6)))
    cn = Invoice.objects.get(kind="credit_note")
    assert (cn.number, cn.amount_minor, cn.source) == ("CN-77", 100000, f"gvia dispute {d.id}")
    d2 = disputes.open_dispute(collector, "D1", ["1002"], "already_paid", now=at(date(2026, 10, 6)))
    with pytest.raises(RefusedFor) as refused:
        disputes.resolve_dispute(collector, d2.id, "valid", "credit_note", credit_note_number="CN-77",
                                 now=at(date(2026, 10, 7)))
    assert (refused.value.code, refused.value.params) == ("credit_note_exists", {"number": "CN-77"})
    d2.refresh_from_db()
    assert d2.status == "open" and Invoice.objects.filter(kind="credit_note").count() == 1
    assert [x["id"] for x in disputes.list_disputes(ctx)] == [d2.id]
    assert [x["status"] for x in disputes.list_disputes(ctx, "all")] == ["valid", "open"]


def test_an_approved_write_off_survives_a_re_import_of_the_invoices(ctx, books, tmp_path):
    from gvia.services.ledger.imports import import_file

    f = tmp_path / "invoices.csv"
    f.write_text("customer_ref,customer_name,invoice_number,issue_date,due_date,amount,currency\n"
                 "W1,Written Ltd,4001,2026-09-01,2026-10-01,1000.00,ILS\n", encoding="utf-8")
    import_file(ctx, "invoices", f, today=date(2026, 10, 2))
    w = writeoffs.request_writeoff(ctx, "W1", "4001", "goodwill", "250.00", now=at(date(2026, 10, 5)))
    writeoffs.approve_writeoff(ctx, w.id, now=at(date(2026, 10, 5)))
    assert Invoice.objects.get(number="4001").open_minor == 75000
    # the accounting system corrects the amount: open = 1,200.00 - 250.00 written off
    f.write_text("customer_ref,customer_name,invoice_number,issue_date,due_date,amount,currency\n"
                 "W1,Written Ltd,4001,2026-09-01,2026-10-01,1200.00,ILS\n", encoding="utf-8")
    import_file(ctx, "invoices", f, today=date(2026, 10, 6))
    assert Invoice.objects.get(number="4001").open_minor == 95000

"""Promises to pay, day by day: kept, broken (the ladder resumes, a signal is left), partially
kept, and refused input."""

from datetime import date

import pytest

from gvia.cli import words as cli_words
from gvia.core.errors import GviaError, Refused, RefusedFor, ValidationFailed
from gvia.core.money import Money
from gvia.services.arrangements import promises
from gvia.services.arrangements.describe import describe_arrangements
from gvia.store.models import Activity, Case, OutboxMessage, Pause, Promise

from .conftest import at

pytestmark = pytest.mark.django_db


def _late_customer(books, days):
    c = books.customer("C1", "Gal-Or Productions", language="en")
    books.invoice(c, "1001", "2000.00", date(2026, 10, 1))
    days.run(date(2026, 10, 8))          # 7 days overdue: the friendly reminder
    assert Case.objects.get(customer=c).stage_key == "reminder"
    return c


def test_promise_kept_by_two_payments_ends_the_pause_and_no_second_reminder(ctx, books, days):
    c = _late_customer(books, days)
    p = promises.record_promise(ctx, "C1", "2000.00", "2026-10-20", "call", now=at(date(2026, 10, 12)))
    # due 20 October + 3 days' grace
    assert (p.status, p.pause_until, p.grace_days) == ("open", date(2026, 10, 23), 3)
    pause = Pause.objects.get(id=p.pause_id)
    assert (pause.kind, pause.until, pause.active, pause.invoices) == ("promise", date(2026, 10, 23), True, [])

    books.payment(c, "1200.00", date(2026, 10, 15))
    counts, _ = days.run(date(2026, 10, 15))
    p.refresh_from_db()
    assert (p.status, p.paid_minor) == ("open", 120000)
    assert "promises_kept" not in counts

    books.payment(c, "800.00", date(2026, 10, 19))
    counts, _ = days.run(date(2026, 10, 19))
    p.refresh_from_db()
    assert (p.status, p.paid_minor, p.kept_on) == ("kept", 200000, date(2026, 10, 19))
    assert counts["promises_kept"] == 1
    assert not Pause.objects.get(id=p.pause_id).active
    days.run(date(2026, 10, 22))          # the second reminder's day: nothing is owed any more
    assert not OutboxMessage.objects.filter(customer=c, stage_key="second_reminder").exists()
    assert Case.objects.get(customer=c).active is False
    assert Activity.objects.filter(customer=c, kind="promise", data__status="kept").count() == 1


def test_promise_broken_resumes_the_ladder_where_it_stood_and_records_a_signal(ctx, books, days):
    c = _late_customer(books, days)
    p = promises.record_promise(ctx, "C1", "2000.00", "2026-10-20", "call", now=at(date(2026, 10, 12)))
    # 22 October: the second reminder is due (21 days after the due date) but the case is paused
    _, report = days.run(date(2026, 10, 22))
    assert any(h["reason"] == "paused" for h in report.held_back)
    assert not OutboxMessage.objects.filter(customer=c, stage_key="second_reminder").exists()
    assert describe_arrangements(ctx, c, date(2026, 10, 22), "en") == [
        "Promise to pay ₪2,000.00 by 20/10/2026 (on a call); paid so far ₪0.00; the case is paused through 23/10/2026."]
    # 23 October is the last day of grace; 25 October (Sunday) the promise is broken
    counts, _ = days.run(date(2026, 10, 23))
    p.refresh_from_db()
    assert p.status == "open" and "promises_broken" not in counts
    counts, _ = days.run(date(2026, 10, 25))
    p.refresh_from_db()
    assert (p.status, p.paid_minor, p.closed_on) == ("broken", 0, date(2026, 10, 25))
    assert counts["promises_broken"] == 1
    assert not Pause.objects.get(id=p.pause_id).active
    signal = Activity.objects.get(customer=c, kind="promise", data__status="broken")
    assert signal.data["signal"] == "broken_promise"
    # the ladder goes on from the reminder to the second reminder, not back to the start
    case = Case.objects.get(customer=c)
    assert case.stage_key == "second_reminder"
    assert OutboxMessage.objects.filter(customer=c, stage_key="second_reminder").count() == 1
    assert describe_arrangements(ctx, c, date(2026, 10, 25), "en") == []


def test_partly_kept_promise_is_shown_as_such(ctx, books, days):
    c = _late_customer(books, days)
    p = promises.record_promise(ctx, "C1", "1500.00", "2026-10-20", "email", now=at(date(2026, 10, 12)))
    books.payment(c, "600.00", date(2026, 10, 21))      # within the grace period
    days.run(date(2026, 10, 21))
    p.refresh_from_db()
    assert (p.status, p.paid_minor) == ("open", 60000)
    books.payment(c, "900.00", date(2026, 10, 26))      # after the grace period: pays the debt, not the promise
    counts, _ = days.run(date(2026, 10, 26))
    p.refresh_from_db()
    assert (p.status, p.paid_minor) == ("partially_kept", 60000)
    assert counts == {"promises_partially_kept": 1}
    [(data,)] = Activity.objects.filter(customer=c, kind="promise", data__status="partially_kept").values_list("data")
    assert data["signal"] == "broken_promise" and data["paid"] == "600.00"
    [record] = promises.promise_records(c)
    assert record.status == "broken" and record.paid == Money.of("600.00", "ILS") and record.note == p.note


def test_a_new_promise_replaces_the_open_one_only_when_confirmed(ctx, books, days):
    _late_customer(books, days)
    first = promises.record_promise(ctx, "C1", "2000.00", "2026-10-20", now=at(date(2026, 10, 12)))
    before = (Promise.objects.count(), Pause.objects.filter(active=True).count(), Activity.objects.count())
    with pytest.raises(RefusedFor) as refused:
        promises.record_promise(ctx, "C1", "2000.00", "2026-10-27", now=at(date(2026, 10, 19)))
    assert refused.value.code == "promise_already_open"
    assert refused.value.params == {"promise": first.id, "amount": Money.of("2000.00", "ILS"),
                                    "due": date(2026, 10, 20)}
    assert (Promise.objects.count(), Pause.objects.filter(active=True).count(), Activity.objects.count()) == before
    first.refresh_from_db()
    assert first.status == "open"
    second = promises.record_promise(ctx, "C1", "2000.00", "2026-10-27", now=at(date(2026, 10, 19)),
                                     replace_open=True)
    first.refresh_from_db()
    assert first.status == "cancelled" and not Pause.objects.get(id=first.pause_id).active
    assert second.status == "open" and Pause.objects.get(id=second.pause_id).until == date(2026, 10, 30)


@pytest.mark.parametrize("amount, due, message", [
    ("2000.00", "2026-10-11", "is in the past"),
    ("0", "2026-10-20", "positive amount"),
    ("-5", "2026-10-20", "positive amount"),
    ("10.005", "2026-10-20", "more decimals than ILS allows"),
    ("abc", "2026-10-20", "not an amount"),
])
def test_impossible_promises_are_refused_and_nothing_changes(ctx, books, days, amount, due, message):
    _late_customer(books, days)
    before = (Promise.objects.count(), Pause.objects.count(), Activity.objects.count())
    with pytest.raises((Refused, ValidationFailed)) as exc:
        promises.record_promise(ctx, "C1", amount, due, "call", now=at(date(2026, 10, 12)))
    cli_words.use("en")    # a coded problem as the command line words it
    said = " ".join([str(exc.value), *(cli_words.problem_text(p) for p in getattr(exc.value, "problems", []))])
    assert message in said
    assert (Promise.objects.count(), Pause.objects.count(), Activity.objects.count()) == before


def test_a_promise_larger_than_the_open_balance_is_refused(ctx, books, days):
    c = _late_customer(books, days)
    books.payment(c, "500.00", date(2026, 10, 9))
    from gvia.services.ledger import books as ledger
    ledger.recompute(ctx, [c.id])
    with pytest.raises(RefusedFor) as refused:
        promises.record_promise(ctx, "C1", "1500.01", "2026-10-20", now=at(date(2026, 10, 12)))
    assert refused.value.code == "promise_over_balance"
    assert refused.value.params == {"amount": Money.of("1500.01", "ILS"), "balance": Money.of("1500.00", "ILS")}
    assert not Promise.objects.exists()
    p = promises.record_promise(ctx, "C1", "1500.00", "2026-10-20", now=at(date(2026, 10, 12)))
    assert p.amount_minor == 150000


def test_unknown_source_and_customer_are_refused(ctx, books, days):
    _late_customer(books, days)
    with pytest.raises(GviaError):
        promises.record_promise(ctx, "C1", "100", "2026-10-20", "fax", now=at(date(2026, 10, 12)))
    with pytest.raises(GviaError, match="no customer"):
        promises.record_promise(ctx, "NOPE", "100", "2026-10-20", now=at(date(2026, 10, 12)))


def test_a_promise_of_the_whole_balance_and_in_hebrew(ctx, books, days):
    c = _late_customer(books, days)
    books.invoice(c, "1002", "350.50", date(2026, 10, 5))
    p = promises.record_promise(ctx, "C1", None, "2026-10-20", "portal", now=at(date(2026, 10, 12)))
    assert (p.amount_minor, p.currency) == (235050, "ILS")
    assert describe_arrangements(ctx, c, date(2026, 10, 12), "he") == [
        "הבטחת תשלום של ₪2,350.50 עד 20/10/2026 (בדף הלקוח); שולם עד כה ₪0.00; התהליך מושהה עד 23/10/2026."]

"""The early-warning signals read from the store (gvia.services.engine.signals): each customer's
history in a few queries for all of them, the customers at risk highest score first, and
nothing after the day looked from."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from gvia.services.engine import signals as service
from gvia.store.models import Activity, AuditRecord, Customer, Dispute, Invoice, Promise

TODAY = date(2026, 12, 1)


def ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def _customer(ctx, ref: str, name: str) -> Customer:
    return Customer.objects.create(organization=ctx.org, ref=ref, name=name)


def _invoice(ctx, c: Customer, number: str, due: date, amount: int = 1000_00) -> Invoice:
    return Invoice.objects.create(organization=ctx.org, customer=c, number=number, issue_date=due - timedelta(days=30),
                                  due_date=due, amount_minor=amount, currency="ILS", open_minor=amount)


def _broken_promise(ctx, c: Customer, closed: date) -> None:
    Promise.objects.create(organization=ctx.org, customer=c, amount_minor=500_00, currency="ILS",
                           due=closed - timedelta(days=1), made_on=closed - timedelta(days=10), pause_until=closed,
                           status=Promise.Status.BROKEN, closed_on=closed)


def _reply(ctx, c: Customer, day: date, who: str) -> None:
    Activity.objects.create(organization=ctx.org, customer=c, kind=Activity.Kind.MESSAGE_IN, date=day,
                            at=datetime(day.year, day.month, day.day, 9, tzinfo=timezone.utc), text="שלום",
                            data={"from": who})


@pytest.fixture
def book(ctx):
    """Four customers: Alon (growing overdue and a broken promise), Bina (one overdue invoice and
    a dispute: a low score), Carmel (a broken promise, nothing overdue), Dor (passed around and
    a broken promise, with an overdue invoice)."""
    alon = _customer(ctx, "C1", "Alon")
    for n, days in enumerate((85, 55, 25)):
        _invoice(ctx, alon, f"A-{n}", ago(days))
    _broken_promise(ctx, alon, ago(20))
    bina = _customer(ctx, "C2", "Bina")
    inv = _invoice(ctx, bina, "B-1", ago(10))
    d = Dispute.objects.create(organization=ctx.org, customer=bina, reason="quality", opened_on=ago(5))
    d.invoices.add(inv)
    carmel = _customer(ctx, "C3", "Carmel")
    _broken_promise(ctx, carmel, ago(30))
    dor = _customer(ctx, "C4", "Dor")
    _invoice(ctx, dor, "D-1", ago(40))
    _broken_promise(ctx, dor, ago(15))
    for day, who in ((ago(100), "Ruth"), (ago(60), "Moshe"), (ago(20), "Avi")):
        _reply(ctx, dor, day, who)
    for day in (ago(400), ago(50)):
        AuditRecord.objects.create(organization=ctx.org, actor="owner@gilboa.co.il", action="contact.added",
                                   object_type="customer", object_id=str(dor.id),
                                   at=datetime(day.year, day.month, day.day, 9, tzinfo=timezone.utc))
    return ctx


def test_the_customers_at_risk_highest_score_first(book):
    rows = service.at_risk(book, TODAY)
    assert [(r.ref, r.score) for r in rows] == [("C1", 35), ("C4", 30)]
    assert [s.code for s in rows[0].signals] == ["broken_promises", "growing_balance"]
    assert [s.code for s in rows[1].signals] == ["broken_promises", "passed_around"]
    evidence = {f.code: f.values for s in rows[1].signals for f in s.evidence}
    assert evidence["replies_from_people"]["count"] == 3


def test_a_customer_below_the_bar_or_with_nothing_overdue_is_not_listed_but_has_signals(book):
    assert service.customer_signals(book, "C2", TODAY).score == 5
    carmel = service.customer_signals(book, "C3", TODAY)
    assert (carmel.score, [s.code for s in carmel.signals]) == (20, ["broken_promises"])
    assert "C3" not in [r.ref for r in service.at_risk(book, TODAY)]


def test_nothing_after_the_day_looked_from_counts(book):
    before = service.customer_signals(book, "C1", ago(21))
    assert "broken_promises" not in [s.code for s in before.signals]
    assert service.at_risk(book, ago(200)) == []


def test_the_histories_are_read_in_a_few_queries_for_all_customers(book, django_assert_max_num_queries):
    for n in range(30):
        c = _customer(book, f"X{n}", f"Extra {n}")
        _invoice(book, c, f"X-{n}", ago(50))
        _broken_promise(book, c, ago(10))
    with django_assert_max_num_queries(12):
        rows = service.at_risk(book, TODAY)
    assert len(rows) == 32


def test_looking_from_today_reads_only_customers_overdue_now_with_the_same_result(book, monkeypatch):
    looked_back = [(r.ref, r.score) for r in service.at_risk(book, TODAY)]
    monkeypatch.setattr(service.clock, "org_today", lambda org, moment=None: TODAY)
    read: list[set[int]] = []
    real = service.histories

    def spy(*args, **kwargs):
        out = real(*args, **kwargs)
        read.append(set(out))
        return out

    monkeypatch.setattr(service, "histories", spy)
    assert [(r.ref, r.score) for r in service.at_risk(book, TODAY)] == looked_back
    carmel = Customer.objects.get(organization=book.org, ref="C3")
    assert carmel.id not in read[0] and len(read[0]) == 3          # Alon, Bina, Dor: something overdue

"""The worklist's ``chase_first`` (issue 17): every overdue customer ordered by overdue amount × score ×
days overdue, other currencies at the latest rate on file and marked as estimates, and the groups
(at risk, a promise due today, quick wins); nothing of another organization's."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from gvia.core.money import Money
from gvia.services import settings
from gvia.services.context import resolve
from gvia.services.engine import worklist
from gvia.services.ledger import books as ledger
from gvia.services.org.organizations import init_organization
from gvia.store.models import Promise

from .conftest import Books

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 7)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def paid_on_time(books: Books, c, prefix: str, n: int) -> None:
    for k in range(n):
        inv = books.invoice(c, f"{prefix}{k}", "100.00", ago(200 + 30 * k))
        books.payment(c, "100.00", ago(200 + 30 * k), invoice=inv)


def test_the_order_the_estimates_and_the_groups(ctx, books):
    big = books.customer("A", "אלף")                       # ₪5,000 for 30 days, no warning sign
    books.invoice(big, "A1", "5000.00", ago(30))
    dollars = books.customer("B", "בית")                   # $1,000 for 10 days, a rate on file
    books.invoice(dollars, "B1", "1000.00", ago(10), currency="USD")
    paid_usd = books.invoice(dollars, "B0", "100.00", ago(300), currency="USD")
    books.payment(dollars, "400.00", ago(290), invoice=paid_usd, rate="0.25")   # 0.25 USD per ILS: ₪4 a dollar
    quick = books.customer("C", "גימל")                    # one small invoice, always paid on time
    books.invoice(quick, "C1", "500.00", ago(5))
    paid_on_time(books, quick, "CP", 3)
    promised = books.customer("D", "דלת")
    books.invoice(promised, "D1", "800.00", ago(3))
    Promise.objects.create(organization=ctx.org, customer=promised, amount_minor=80000, currency="ILS", due=TODAY,
                           made_on=ago(3), pause_until=TODAY, status="open")
    Promise.objects.create(organization=ctx.org, customer=dollars, amount_minor=10000, currency="USD",
                           due=ago(60), made_on=ago(70), pause_until=ago(57), status="broken", closed_on=ago(56))
    pounds = books.customer("E", "הא")                     # no rate for pounds on file
    books.invoice(pounds, "E1", "900.00", ago(40), currency="GBP")
    books.invoice(pounds, "E2", "50.00", ago(40))
    ledger.recompute(ctx, [c.id for c in (big, dollars, quick, promised, pounds)])

    rows = worklist.chase_first(ctx, TODAY)
    assert [r.customer_ref for r in rows] == ["B", "A", "C", "D", "E"]     # 800,000 150,000 2,500 2,400 2,000
    b, a, c, d, e = rows
    assert (a.overdue, a.estimated, a.score, a.days_overdue, a.priority) == (
        books_ils("5000.00"), False, 0, 30, Decimal("150000.00"))
    assert (b.overdue, b.estimated, b.days_overdue, b.score, b.groups) == (books_ils("4000.00"), True, 10, 20,
                                                                           ["at_risk"])     # a broken promise
    assert b.priority == Decimal("800000.00")
    assert (e.overdue, e.unconverted, e.estimated) == (books_ils("50.00"), ["GBP"], False)
    assert c.groups == ["quick_win"] and d.groups == ["promise_due_today"] and a.groups == []

    s = worklist.section(ctx, "chase_first", TODAY, group="quick_win")
    assert [r.customer_ref for r in s.rows] == ["C"] and s.total == 1
    assert s.groups == {"at_risk": 1, "promise_due_today": 1, "quick_win": 1}
    assert worklist.section(ctx, "chase_first", TODAY).total == 5
    data = worklist.as_json(worklist.worklist(ctx, TODAY, group="promise_due_today", lenses=True))
    [chase] = [x for x in data["sections"] if x["key"] == "chase_first"]
    assert [r["customer"] for r in chase["rows"]] == ["D"]
    assert chase["rows"][0]["overdue"] == {"amount": "800.00", "currency": "ILS"}
    assert "chase_first" not in worklist.worklist(ctx, TODAY).sections            # a lens: asked for by name
    assert "chase_first" not in worklist.counts(ctx, TODAY)

    settings.set_setting(ctx, "quick_win_below", "ILS=400")              # the invoice is not below it now
    assert worklist.chase_first(ctx, TODAY)[2].groups == []


def books_ils(x: str) -> Money:
    return Money.of(x, "ILS")


def test_another_organization_sees_none_of_it(ctx, books):
    c = books.customer("A", "אלף")
    books.invoice(c, "A1", "5000.00", ago(30))
    ledger.recompute(ctx, [c.id])
    init_organization("Other Ltd", country="IL", admin_email="owner@other.co.il", admin_password="Gvia-test-2026!")
    other = resolve("Other Ltd", "owner@other.co.il")
    assert worklist.chase_first(other, TODAY) == []
    assert [r.customer_ref for r in worklist.chase_first(ctx, TODAY)] == ["A"]

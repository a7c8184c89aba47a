"""The dashboard's panels: waiting today, the last daily run, customers at risk, the 12-month trend."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest

from gvia.core.money import Money
from gvia.services.engine import signals
from gvia.store.models import Activity, AgingSnapshot, Dispute, Invoice, OutboxMessage, Promise
from gvia.web import charts, dashboard_panels

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def panel(response, title: str):
    return next((p for p in response.context["panels"] if p.title == title), None)


def test_waiting_today_and_the_last_run(as_owner, engine):
    r = as_owner.get("/")
    waiting = panel(r, "panel.waiting_title")
    assert waiting.context["counts"] == [("calls", 1), ("approvals", 2)]
    run = panel(r, "panel.last_run_title")
    assert run.context["run"].run_date == TODAY
    # C001 entered the call stage (a call task), C002 the warning (two letters to approve)
    assert run.context["counts"] == {"call_tasks": 1, "enter_stage": 2, "messages_awaiting_approval": 2}
    html = r.content.decode()
    assert 'data-testid="waiting-today"' in html and "שיחות לביצוע" in html
    assert "עברו שלב" in html


def test_nothing_to_show_draws_no_panel(as_owner, world):
    assert as_owner.get("/").context["panels"] == []


# --- customers at risk -----------------------------------------------------------------------------

def _sent(world, customer, at, key):
    return OutboxMessage.objects.create(organization=world.org_a, customer=customer, idempotency_key=key,
                                        channel="email", document="reminder", status="sent", planned_for=at.date(),
                                        sent_at=at)


def test_customers_at_risk_and_why(as_owner, world):
    # C001: two messages sent, no reply since (silence: they never answered, the first 23 days
    # ago) and a promise broken a week ago
    t1 = datetime(2026, 2, 20, 8, tzinfo=timezone.utc)
    _sent(world, world.c1, t1, "a")
    _sent(world, world.c1, t1 + timedelta(days=14), "b")
    Promise.objects.create(organization=world.org_a, customer=world.c1, amount_minor=10000, currency="ILS",
                           due=date(2026, 3, 1), made_on=date(2026, 2, 25), pause_until=date(2026, 3, 4),
                           status="broken", closed_on=date(2026, 3, 8))
    # C002: two messages sent, but a reply after the first of them -> answered
    _sent(world, world.c2, t1, "c")
    Activity.objects.create(organization=world.org_a, customer=world.c2, kind="message_in", date=date(2026, 2, 22),
                            at=t1 + timedelta(days=2), text="we will pay")
    _sent(world, world.c2, t1 + timedelta(days=14), "d")
    # C003 paid everything: a broken promise alone does not list a customer with nothing overdue
    Promise.objects.create(organization=world.org_a, customer=world.c3, amount_minor=10000, currency="ILS",
                           due=date(2026, 3, 1), made_on=date(2026, 2, 25), pause_until=date(2026, 3, 4),
                           status="broken", closed_on=date(2026, 3, 8))
    found = signals.at_risk(world_ctx(world), TODAY)
    assert [(r.ref, r.score, [s.code for s in r.signals]) for r in found] == \
        [("C001", 45, ["silence", "broken_promises"])]
    r = as_owner.get("/")
    shown = panel(r, "panel.risk_title").context["risk"]
    assert shown["total"] == 1
    assert {k: v for k, v in shown["counts"].items() if v} == {"silence": 1, "broken_promises": 1}
    row = shown["rows"][0]
    assert (row.score, row.signals) == (45, ("silence", "broken_promises"))
    assert dict(row.balance.overdue.items()) == {"ILS": Money.of("700", "ILS")}
    html = r.content.decode()
    assert 'data-testid="at-risk"' in html and "הבטחות שהופרו" in html and "שתיקה" in html
    assert re.search(r'data-testid="risk-score">(<[^>]*>)*45<', html)


@pytest.mark.parametrize("days_ago, counts", [(365, True), (366, False)])
def test_a_promise_broken_a_year_ago_still_counts_a_day_more_no_longer(world, days_ago, counts):
    # the window of the broken promises signal (gvia/policies/risk.toml): C001 has 700 overdue
    Promise.objects.create(organization=world.org_a, customer=world.c1, amount_minor=10000, currency="ILS",
                           due=date(2025, 3, 1), made_on=date(2025, 2, 25), pause_until=date(2025, 3, 4),
                           status="partially_kept", closed_on=TODAY - timedelta(days=days_ago))
    found = signals.at_risk(world_ctx(world), TODAY)
    assert [(r.ref, r.score) for r in found] == ([("C001", 20)] if counts else [])


def test_overdue_growing_for_three_months_is_a_signal_below_the_bar_alone(world):
    # an invoice fell due in each of the three 30-day steps before 15 March and is still open
    for n, due in enumerate((date(2026, 1, 5), date(2026, 2, 1), date(2026, 3, 5))):
        Invoice.objects.create(organization=world.org_a, customer=world.c3, number=f"G-{n}", issue_date=due,
                               due_date=due, amount_minor=10000, open_minor=10000, currency="ILS")
    ctx = world_ctx(world)
    c3 = signals.customer_signals(ctx, "C003", TODAY)
    assert ([s.code for s in c3.signals], c3.score) == (["growing_balance"], 15)
    # C001 has one in the second step only (INV-1001, due 31 January): not growing
    assert signals.customer_signals(ctx, "C001", TODAY).signals == ()
    assert signals.at_risk(ctx, TODAY) == []
    Dispute.objects.create(organization=world.org_a, customer=world.c3, reason="other", opened_on=date(2026, 3, 12))
    assert [(r.ref, r.score) for r in signals.at_risk(ctx, TODAY)] == [("C003", 20)]


def world_ctx(world):
    from gvia.services.context import Ctx

    return Ctx(world.org_a, world.owner, "owner")


# --- the 12-month trend ----------------------------------------------------------------------------

def test_months_back_and_closing_figures():
    months = dashboard_panels.months_back(date(2026, 3, 15))
    assert (months[0], months[-1], len(months)) == (date(2025, 4, 1), date(2026, 3, 1), 12)
    rows = [(date(2026, 1, 10), "ILS", 100), (date(2026, 1, 31), "ILS", 300), (date(2026, 3, 14), "ILS", 250),
            (date(2026, 3, 2), "USD", 500)]
    series = dashboard_panels.month_closing(rows, months)
    assert series["ILS"][-3:] == [Money.from_minor(300, "ILS"), None, Money.from_minor(250, "ILS")]
    assert series["USD"][-1] == Money.from_minor(500, "USD") and series["USD"][-2] is None


def test_trend_panel_draws_one_chart_per_currency(as_owner, world):
    for day, minor in ((date(2026, 1, 31), 90000), (date(2026, 2, 28), 80000), (date(2026, 3, 15), 70000)):
        AgingSnapshot.objects.create(organization=world.org_a, date=day, currency="ILS", overdue_minor=minor,
                                     open_minor=minor)
    AgingSnapshot.objects.create(organization=world.org_a, date=date(2026, 3, 15), currency="USD",
                                 overdue_minor=200000, open_minor=200000)
    AgingSnapshot.objects.create(organization=world.org_b, date=date(2026, 3, 15), currency="GBP",
                                 overdue_minor=1, open_minor=1)       # another organization's: not drawn
    r = as_owner.get("/")
    trend = panel(r, "panel.trend_title")
    assert [code for code, _ in trend.context["series"]] == ["ILS", "USD"]
    html = r.content.decode()
    assert html.count('class="chart trend"') == 2
    assert "סך הפיגור ב-" in html


def test_trend_bars_scale_and_direction():
    def m(a: int) -> Money:
        return Money.of(a, "ILS")

    svg_ltr = charts.trend_bars([("Jan", m(100)), ("Feb", None), ("Mar", m(50))], rtl=False,
                                amount_text=str, title="t", empty_text="none")
    # the largest amount fills the plot (240 - 30 - 40 = 170); half of it 85; no bar without a figure
    assert 'height="170.0"' in svg_ltr and 'height="85.0"' in svg_ltr and svg_ltr.count("<rect") == 2
    assert "Feb: none" in svg_ltr
    svg_rtl = charts.trend_bars([("Jan", m(100)), ("Mar", m(50))], rtl=True, amount_text=str, title="t")
    # right to left: January (the first) is drawn at the right: slot 1 of 2 -> centre 12 + 288 + 144 = 444,
    # bar 178.6 wide: x = 444 - 89.3
    first_bar = svg_rtl.split("<rect", 1)[1]
    assert 'height="170.0"' in first_bar.split("/>")[0] and "x=\"354.7\"" in first_bar.split("/>")[0]


def test_the_kept_figures_change_with_the_first_change_made_through_gvia(as_owner, engine):
    """The dashboard keeps its figures while nothing changes; an approval (audited) is seen at once."""
    assert panel(as_owner.get("/"), "panel.waiting_title").context["counts"] == [("calls", 1), ("approvals", 2)]
    as_owner.post(f"/outbox/{engine.letter.id}/approve/")
    assert panel(as_owner.get("/"), "panel.waiting_title").context["counts"] == [("calls", 1), ("approvals", 1)]


def test_the_dashboard_runs_few_queries_when_nothing_changed(as_owner, engine, django_assert_max_num_queries):
    as_owner.get("/")
    with django_assert_max_num_queries(6):
        as_owner.get("/")


def test_the_customers_at_risk_are_read_once_for_the_worklist_and_the_dashboard(as_owner, world, monkeypatch):
    """At 100,000 customers the early-warning list takes seconds (bench/bench_web.py): the
    dashboard's panel and the worklist's section share one kept list."""
    from django.core.cache import cache

    from gvia.services.engine import signals

    calls = []
    real = signals.at_risk
    monkeypatch.setattr(signals, "at_risk", lambda ctx, day, limit=None: calls.append(day) or real(ctx, day, limit))
    assert as_owner.get("/").status_code == 200       # the first page makes the shipped ladder (a change)
    calls.clear()
    cache.clear()
    assert as_owner.get("/worklist/").status_code == 200
    assert as_owner.get("/").status_code == 200
    assert as_owner.get("/worklist/").status_code == 200
    assert len(calls) == 1

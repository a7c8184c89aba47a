"""What the worklist and the dashboard keep so a view reads and writes little (issue 11/13, speed):
the sections counted together in one query, and the HTML of the sections and panels whose figures
are kept per data version — the same as the templates write, per language, renewed with the data."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from gvia.services import audit
from gvia.services.context import Ctx
from gvia.services.engine import worklist
from gvia.store.models import Dispute, OutboxMessage, Pause, Promise, Task

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _ctx(world) -> Ctx:
    return Ctx(world.org_a, world.owner, "owner")


def _rows_in_many_sections(world) -> None:
    org = world.org_a
    Task.objects.create(organization=org, customer=world.c1, kind="call", key="call:1", due_date=TODAY,
                        assigned_to=world.owner)
    Task.objects.create(organization=org, customer=world.c2, kind="call", key="call:2", due_date=TODAY,
                        assigned_to=world.collector)
    Task.objects.create(organization=org, customer=world.c2, kind="call", key="call:later", due_date=TODAY
                        + timedelta(days=3))
    Task.objects.create(organization=org, customer=world.c1, kind="reply", key="reply:1", due_date=TODAY,
                        data={"text": "we pay friday"})
    Task.objects.create(organization=org, customer=world.c1, kind="follow_up", key="bounce:a@x.example",
                        due_date=TODAY, data={"address": "a@x.example", "status": "5.1.1"})
    Promise.objects.create(organization=org, customer=world.c1, amount_minor=30000, currency="ILS", due=TODAY,
                           made_on=TODAY - timedelta(days=3), pause_until=TODAY + timedelta(days=3))
    Pause.objects.create(organization=org, customer=world.c2, kind="promise", until=TODAY, active=True)
    Promise.objects.create(organization=org, customer=world.c2, amount_minor=10000, currency="ILS",
                           due=TODAY - timedelta(days=10), made_on=TODAY - timedelta(days=20),
                           pause_until=TODAY - timedelta(days=7), status="broken", closed_on=TODAY - timedelta(days=5))
    Dispute.objects.create(organization=org, customer=world.c1, reason="quality", opened_on=TODAY - timedelta(days=90),
                           remind_after_days=30)
    Dispute.objects.create(organization=org, customer=world.c2, reason="quality", opened_on=TODAY - timedelta(days=2),
                           remind_after_days=30)
    OutboxMessage.objects.create(organization=org, customer=world.c1, idempotency_key="k:1", cycle=1,
                                 stage_key="reminder", channel="email", document="reminder",
                                 status="awaiting_approval", planned_for=TODAY)
    # another organization's rows are never counted
    Task.objects.create(organization=world.org_b, customer=world.s1, kind="call", key="b:call", due_date=TODAY)


@pytest.mark.parametrize("mine", [False, True])
def test_the_sections_counted_together_are_each_sections_own_count(world, mine):
    _rows_in_many_sections(world)
    ctx = _ctx(world)
    user = world.collector if mine else None
    together = worklist.counts(ctx, TODAY, mine=user)
    apart = {name: src.count(worklist._reading(ctx, TODAY, None, user, None))
             for name, src in worklist.SOURCES.items() if name not in worklist.LENSES}
    assert together == apart
    assert (together["calls"], together["replies"], together["failing_addresses"], together["promises_due"],
            together["broken_promises"], together["disputes_too_long"]) == (2 if not mine else 1, 1, 1, 2, 1, 1)
    work = worklist.worklist(ctx, TODAY, mine=user)
    assert work.counts == together
    for name, s in work.sections.items():
        alone = worklist.section(ctx, name, TODAY, per_page=worklist.OVERVIEW_ROWS, mine=user)
        assert (s.total, s.rows) == (alone.total, alone.rows), name


def test_the_counting_query_is_made_once_and_counts_anew(world, django_assert_num_queries):
    ctx = _ctx(world)
    assert worklist.counts(ctx, TODAY)["calls"] == 0
    Task.objects.create(organization=world.org_a, customer=world.c1, kind="call", key="call:new", due_date=TODAY)
    reading = worklist._reading(ctx, TODAY, None, None, None)
    counted = [src for src in worklist.SOURCES.values() if src.counted or src.within]
    with django_assert_num_queries(1):
        found = worklist._counted_together(reading, counted)
    assert found["calls"] == 1
    assert set(found) == {src.name for src in counted}


# --- the kept HTML ---------------------------------------------------------------------------------

def _at_risk(world) -> None:
    """C001 at risk: two messages sent and no answer since, a promise broken a week ago."""
    t1 = datetime(2026, 2, 20, 8, tzinfo=timezone.utc)
    for n, at in enumerate((t1, t1 + timedelta(days=14))):
        OutboxMessage.objects.create(organization=world.org_a, customer=world.c1, idempotency_key=f"sent:{n}",
                                     channel="email", document="reminder", status="sent", planned_for=at.date(),
                                     sent_at=at)
    Promise.objects.create(organization=world.org_a, customer=world.c1, amount_minor=10000, currency="ILS",
                           due=date(2026, 3, 1), made_on=date(2026, 2, 25), pause_until=date(2026, 3, 4),
                           status="broken", closed_on=date(2026, 3, 8))


def _section_html(html: str, name: str) -> str:
    found = re.search(rf'<section class="card work-section section-{name}".*?</section>', html, re.S)
    assert found, name
    return found.group(0)


def test_a_kept_sections_html_is_what_its_template_writes_in_the_readers_language(client, world):
    _at_risk(world)
    client.force_login(world.owner)
    r = client.get("/worklist/")
    section = r.context["work"]["at_risk"]
    assert section.total == 1 and section.html
    with translation.override("he"):
        written = render_to_string("gvia/worklist/_at_risk.html", {"section": section})
    assert section.html == written and written in _section_html(r.content.decode(), "at_risk")
    assert "שתיקה" in section.html
    again = client.get("/worklist/")                     # kept: the same HTML
    assert again.context["work"]["at_risk"].html == section.html
    client.force_login(world.viewer)                     # reads English: the section in English
    html = _section_html(client.get("/worklist/").content.decode(), "at_risk")
    assert "Silence" in html and "שתיקה" not in html


def test_a_kept_sections_html_changes_with_the_first_change_made_through_gvia(client, world):
    _at_risk(world)
    client.force_login(world.owner)
    assert "section-at_risk" in client.get("/worklist/").content.decode()
    Promise.objects.filter(organization=world.org_a).delete()
    OutboxMessage.objects.filter(organization=world.org_a, status="sent").delete()
    audit.record(_ctx(world), "promise.deleted")       # a change made through gvia: a new data version
    r = client.get("/worklist/")
    assert r.context["work"]["at_risk"].total == 0 and "section-at_risk" not in r.content.decode()


def test_the_dashboards_kept_panels_are_what_their_templates_write(client, world):
    _at_risk(world)
    client.force_login(world.owner)
    r = client.get("/")
    risk = next(p for p in r.context["panels"] if p.title == "panel.risk_title")
    with translation.override("he"):
        assert risk.html == render_to_string(risk.template, {"panel": risk})
    assert 'data-testid="at-risk"' in risk.html and risk.html in r.content.decode()
    client.force_login(world.viewer)
    risk_en = next(p for p in client.get("/").context["panels"] if p.title == "panel.risk_title")
    assert "Silence" in risk_en.html and "שתיקה" not in risk_en.html
    Promise.objects.filter(organization=world.org_a).delete()
    OutboxMessage.objects.filter(organization=world.org_a, status="sent").delete()
    audit.record(_ctx(world), "promise.deleted")
    assert all(p.title != "panel.risk_title" for p in client.get("/").context["panels"])


def test_the_dashboards_aging_is_written_once_per_language_and_data_version(client, world):
    client.force_login(world.owner)
    he = client.get("/").content.decode()
    client.force_login(world.viewer)
    en = client.get("/").content.decode()
    assert "Aging — " in en and "Aging — " not in he
    he_aging = re.findall(r'<section class="card aging".*?</section>', he, re.S)
    en_aging = re.findall(r'<section class="card aging".*?</section>', en, re.S)
    assert len(he_aging) == len(en_aging) >= 1 and he_aging != en_aging

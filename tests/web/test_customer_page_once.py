"""The customer page computes each thing once: the explanation in parts (its arrangements listed
apart, not described twice), the timeline from the invoices, payments and documents the page
reads anyway; and the worklist's sections count only when a page is full."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gvia.services.arrangements import promises
from gvia.services.clock import org_today
from gvia.services.context import Ctx
from gvia.services.engine import daily_run
from gvia.store import engine_store
from gvia.store.models import Customer, Invoice, Payment, Task
from gvia.web import case_view, timeline
from gvia.web import day as collectors_day

pytestmark = pytest.mark.django_db


def _promise(world):
    ctx = Ctx(world.org_a, world.owner, "owner")
    return promises.record_promise(ctx, "C002", "500.00", org_today(world.org_a) + timedelta(days=7),
                                   currency="USD")


def test_explain_in_parts_tells_the_same_as_explain(engine):
    world = engine.world
    _promise(world)
    ctx = Ctx(world.org_a, world.owner, "owner")
    parts = daily_run.explain_parts(ctx, world.c2, lang="en")
    assert parts.text == daily_run.explain(ctx, "C002", lang="en")
    assert len(parts.arrangements) == 1 and "500.00" in parts.arrangements[0]
    assert parts.lines and not set(parts.lines) & set(parts.arrangements)
    assert all(line.startswith("Message ") for line in parts.messages)


def test_the_page_describes_the_arrangements_once(as_owner, engine, monkeypatch):
    world = engine.world
    _promise(world)
    calls = []
    real = daily_run.describe_arrangements

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(daily_run, "describe_arrangements", counted)
    monkeypatch.setattr(case_view, "describe_arrangements", counted)
    case = as_owner.get(f"/customers/{world.c2.id}/").context["case"]
    assert len(calls) == 1
    assert len(case.arrangements) == 1 and "500" in case.arrangements[0]
    assert case.explanation and not set(case.explanation) & set(case.arrangements)


@pytest.mark.parametrize("more", [0, 80])
def test_the_pages_timeline_is_the_timeline(as_owner, engine, more):
    """Entries built from the page's own lists are the ones the providers would give (the page
    lists 200 invoices: past that, the timeline's newest are still among them)."""
    world = engine.world
    for n in range(more):
        Invoice.objects.create(organization=world.org_a, customer=world.c1, number=f"T-{n}",
                               issue_date=f"2026-0{1 + n % 9}-{1 + n % 28:02d}", due_date="2026-10-01",
                               amount_minor=100 + n, open_minor=100 + n, currency="ILS")
        Payment.objects.create(organization=world.org_a, customer=world.c1, date=f"2026-0{1 + n % 9}-15",
                               amount_minor=10 + n, currency="ILS", import_key=f"t{n}")
    r = as_owner.get(f"/customers/{world.c1.id}/")
    ctx = Ctx(world.org_a, world.owner, "owner")
    expected = timeline.timeline(ctx, world.c1, 61)[:60]
    assert r.context["entries"] == expected
    assert len(expected) == (60 if more else len(expected)) and expected


def _replies(world, n):
    for i in range(n):
        Task.objects.create(organization=world.org_a, customer=world.c1, kind="reply", key=f"reply:{i}",
                            due_date="2026-11-01", data={"text": f"answer {i}"})


@pytest.mark.parametrize("n, page, total", [(0, 1, 0), (3, 1, 3), (25, 1, 25), (26, 2, 26), (30, 3, 30), (50, 2, 50)])
def test_a_section_counts_its_rows_right_without_counting_every_time(world, n, page, total):
    _replies(world, n)
    ctx = Ctx(world.org_a, world.owner, "owner")
    section = collectors_day.section(ctx, "replies", org_today(world.org_a), {}, page, collectors_day.PAGE_ROWS)
    assert section.total == total
    assert len(section.rows) == max(0, min(collectors_day.PAGE_ROWS, n - (page - 1) * collectors_day.PAGE_ROWS))


def test_a_customer_with_nothing_due_and_no_case_reads_no_snapshot(engine):
    """The page of a customer with nothing due and no case running reads their cases and due
    invoices and stops there (the empty set the whole read would give); the written basis is not
    read at all."""
    world = engine.world
    quiet = Customer.objects.create(organization=world.org_a, ref="Q-1", name="Quiet Ltd")
    today = org_today(world.org_a)
    asked = []
    with CaptureQueriesContext(connection) as read:
        snaps = engine_store.load_snapshots(world.org_a.id, today, customer_ids=[quiet.id],
                                            written_basis=lambda cid, lang: asked.append(cid) or True)
    assert (snaps.snapshots, snaps.cases, snaps.policy_of, len(read)) == ([], {}, {}, 2)
    assert not asked
    ctx = Ctx(world.org_a, world.owner, "owner")
    with CaptureQueriesContext(connection) as read:
        daily_run.explain_parts(ctx, quiet, lang="en")
    assert not [q for q in read if "claim_basis" in q["sql"]]         # the written basis: not read
    busy = engine_store.load_snapshots(world.org_a.id, today, customer_ids=[world.c2.id])
    assert [s.customer_id for s in busy.snapshots] == [world.c2.id]   # one with a case still has its own

"""What keeps the pages fast at 100,000 customers, as behaviour: the Server-Timing header, the
kept figures (per organization, per day, shared by the server's processes, one set per
database), the customer list's pages without counting every match, and the customer page's
number of queries not growing with the customer's history."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from gvia.web.timing import parse

from .conftest import TODAY

ROOT = Path(__file__).resolve().parents[2]


# --- Server-Timing -----------------------------------------------------------------------------

def test_parse_server_timing():
    assert parse("app;dur=12.5, cpu;dur=9") == {"app": 12.5, "cpu": 9.0}
    assert parse("app;desc=x, db;dur=abc, miss") == {}
    assert parse("") == {}


@pytest.mark.django_db
def test_every_response_says_how_long_the_server_took(as_owner, client):
    r = as_owner.get("/customers/")
    timing = parse(r["Server-Timing"])
    assert set(timing) == {"app", "cpu"} and timing["app"] > 0 and timing["cpu"] >= 0
    client.logout()
    assert "app" in parse(client.get("/login/")["Server-Timing"])    # public pages and redirects too
    assert "app" in parse(client.get("/customers/")["Server-Timing"])


# --- kept figures --------------------------------------------------------------------------------

@pytest.mark.django_db
def test_kept_figures_are_per_organization_and_change_with_the_data(world):
    from gvia.services.context import Ctx
    from gvia.services.engine import activities
    from gvia.web import cached

    a, b = Ctx(world.org_a, world.owner, "owner"), Ctx(world.org_b, world.owner_b, "owner")
    assert cached.remember(a, "figure", TODAY, lambda: "A") == "A"
    assert cached.remember(b, "figure", TODAY, lambda: "B") == "B"          # not A's
    assert cached.remember(a, "figure", TODAY, lambda: "again") == "A"      # kept
    assert cached.remember(a, "figure", date(2026, 3, 16), lambda: "tomorrow") == "tomorrow"
    activities.add(a, "C001", "note", "שינוי")                                # audited: a new version
    assert cached.remember(a, "figure", TODAY, lambda: "after") == "after"
    assert cached.remember(b, "figure", TODAY, lambda: "again") == "B"      # B's data did not change


def _in_a_process(home: Path, db_url: str, code: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GVIA_", "PYTEST", "DJANGO"))}
    env.update(GVIA_HOME=str(home), GVIA_DATABASE_URL=db_url, DJANGO_SETTINGS_MODULE="gvia.settings",
               PYTHONPATH=str(ROOT / "src"), GVIA_SECRET_KEY="test")
    out = subprocess.run([sys.executable, "-c", "import django; django.setup()\n"
                          "from django.core.cache import cache\n" + code],
                         env=env, cwd=str(home), capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_the_servers_processes_share_kept_figures_one_set_per_database(tmp_path):
    one, other = f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'other.db'}"
    backend = _in_a_process(tmp_path, one, "from django.conf import settings\n"
                                           "print(settings.CACHES['default']['BACKEND'])\n"
                                           "cache.set('gvia:test', 'kept', 60)")
    assert backend.endswith("FileBasedCache")
    assert list((tmp_path / "var" / "cache").iterdir())                       # in files under var/
    assert _in_a_process(tmp_path, one, "print(cache.get('gvia:test'))") == "kept"      # another process
    assert _in_a_process(tmp_path, other, "print(cache.get('gvia:test'))") == "None"    # another database


# --- the customer list's pages ------------------------------------------------------------------

def _many(world, n: int, name: str = "Many"):
    from gvia.store.models import Customer

    Customer.objects.bulk_create([Customer(organization=world.org_a, ref=f"M{i:04d}", name=f"{name} {i:04d}")
                                  for i in range(n)])


@pytest.mark.django_db
def test_a_search_with_many_matches_is_not_counted_until_its_last_page(as_owner, world):
    from gvia.web import queries

    _many(world, queries.FEW + 60)
    r = as_owner.get("/customers/", {"q": "Many"})
    result = r.context["result"]
    assert result.total is None and result.pages is None                    # not counted
    assert result.has_next and not result.has_previous and len(result.rows) == queries.PER_PAGE
    assert [row.name for row in result.rows][:2] == ["Many 0000", "Many 0001"]     # in name order
    html = r.content.decode()
    assert "לקוחות" in html and "יש עוד" in html and "?q=Many&amp;page=2" in html
    assert "מתוך" not in html                                                # no "of N" without N
    last = as_owner.get("/customers/", {"q": "Many", "page": 12}).context["result"]
    assert (last.total, last.pages, last.has_next, len(last.rows)) == (queries.FEW + 60, 12, False, 10)


@pytest.mark.django_db
def test_a_filtered_list_pages_by_reading_one_row_more(as_owner, world):
    from gvia.store.models import Customer, Invoice
    from gvia.web import queries

    for i in range(queries.PER_PAGE + 5):
        c = Customer.objects.create(organization=world.org_a, ref=f"L{i:03d}", name=f"Late {i:03d}")
        Invoice.objects.create(organization=world.org_a, customer=c, number=f"L-{i}", issue_date="2026-01-01",
                               due_date="2026-02-01", amount_minor=1000, open_minor=1000, currency="ILS")
    first = as_owner.get("/customers/", {"overdue": "31-60"}).context["result"]   # 42 days; C001 43
    assert first.total is None and first.has_next and len(first.rows) == queries.PER_PAGE
    second = as_owner.get("/customers/", {"overdue": "31-60", "page": 2}).context["result"]
    assert (second.total, second.has_next, len(second.rows)) == (queries.PER_PAGE + 6, False, 6)
    assert {r.ref for r in first.rows} | {r.ref for r in second.rows} == (
        {f"L{i:03d}" for i in range(queries.PER_PAGE + 5)} | {"C001"})


@pytest.mark.django_db
def test_ordered_by_amount_the_order_is_kept_until_the_data_changes(as_owner, world):
    from gvia.services.context import Ctx
    from gvia.services.engine import activities
    from gvia.store.models import Customer, Invoice

    assert [r.ref for r in as_owner.get("/customers/", {"sort": "-overdue"}).context["result"].rows] == ["C001"]
    c = Customer.objects.create(organization=world.org_a, ref="C009", name="תשע")
    Invoice.objects.create(organization=world.org_a, customer=c, number="INV-9", issue_date="2026-01-01",
                           due_date="2026-02-01", amount_minor=900000, open_minor=900000, currency="ILS")
    # written behind gvia's back (no audit record): the kept order stands
    assert [r.ref for r in as_owner.get("/customers/", {"sort": "-overdue"}).context["result"].rows] == ["C001"]
    activities.add(Ctx(world.org_a, world.owner, "owner"), "C009", "note", "נוסף")    # a change through gvia
    result = as_owner.get("/customers/", {"sort": "-overdue"}).context["result"]
    assert [r.ref for r in result.rows] == ["C009", "C001"] and result.total == 2


@pytest.mark.django_db
@pytest.mark.parametrize("q,expected", [
    ("AP@Beta", ["C002"]),              # an e-mail as typed, upper case too
    ("alon@", ["C001"]),                # the start of an e-mail
    ("+972501234567", ["C001"]),        # a phone as stored
    ("972-50-1234567", ["C001"]),       # with the country code, without the +
    ("50-1234567", []),                 # the middle of a phone is not searched
    ("0312", []),                       # nor a short number in a phone
])
def test_search_by_email_prefix_and_whole_phone(as_owner, world, q, expected):
    assert [row.ref for row in as_owner.get("/customers/", {"q": q}).context["result"].rows] == expected


# --- the customer page's queries ------------------------------------------------------------------

@pytest.mark.django_db
def test_the_customer_pages_queries_do_not_grow_with_its_history(as_owner, engine, django_assert_max_num_queries):
    from gvia.services.context import Ctx
    from gvia.services.engine import activities
    from gvia.store.models import Contact, Invoice, Payment

    world = engine.world
    # 71: the predicted payment dates read the organization's lateness (one grouped query)
    with django_assert_max_num_queries(71) as first:
        as_owner.get(f"/customers/{world.c1.id}/")
    ctx = Ctx(world.org_a, world.owner, "owner")
    for n in range(25):
        Invoice.objects.create(organization=world.org_a, customer=world.c1, number=f"H-{n}", issue_date="2026-02-01",
                               due_date="2026-04-01", amount_minor=100, open_minor=100, currency="ILS")
        Payment.objects.create(organization=world.org_a, customer=world.c1, date="2026-02-02", amount_minor=50,
                               currency="ILS", import_key=f"h{n}")
        Contact.objects.create(customer=world.c1, name=f"איש קשר {n}", phone=f"+9725000000{n:02d}")
        activities.add(ctx, "C001", "note", f"הערה {n}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        r = as_owner.get(f"/customers/{world.c1.id}/")
    assert len(r.context["d"].invoices) == 27 and len(r.context["d"].contacts) == 26

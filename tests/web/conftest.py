"""Fixtures for the web tests: two organizations with people of every role, and a small ledger
whose numbers are worked out by hand below.

Today is fixed at 2026-03-15 (``TODAY``), through the one place the pages take it from.

Organization A ("גלבוע ציוד", IL, ILS):
- C001 "אלון שיווק בע"מ": INV-1001 1,000.00 ILS issued 2026-01-01 due 2026-01-31 (43 days late);
  INV-1002 500.00 ILS issued 2026-03-01 due 2026-03-31 (not due); payment 300.00 ILS on
  2026-02-10 naming no invoice -> goes to the oldest-due, INV-1001: open 700.00, INV-1002 500.00.
- C002 "Beta Trading Ltd": INV-2001 2,000.00 USD issued 2025-10-01 due 2025-11-01
  (134 days late: 31 days of Nov ... (2026-03-15 - 2025-11-01) = 30+31+31+28+14 = 134).
- C003 "גמא מוצרים": INV-3001 250.00 ILS issued 2026-02-08 due 2026-03-10, paid in full by a
  payment of 250.00 ILS on 2026-03-12 -> open 0.
So: ILS overdue 700.00 (bucket 31-60), ILS not due 500.00, USD overdue 2,000.00 (bucket 91-180);
customers overdue 2 of 3; invoices overdue 2 of 3 open.

Organization B ("Secret Corp"): customer S001 with invoice INV-9001 — nobody from A may see them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

TODAY = date(2026, 3, 15)
PASSWORD = "correct-horse-9"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()      # ids repeat between tests; nothing cached may leak from one to the next
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch):
    monkeypatch.setattr("gvia.web.views.common.org_today", lambda org: TODAY)


@dataclass
class World:
    org_a: object
    org_b: object
    owner: object
    collector: object
    viewer: object
    owner_b: object
    multi: object
    c1: object
    c2: object
    c3: object
    s1: object
    inv_1001: object
    inv_1002: object
    inv_2001: object
    inv_3001: object
    inv_9001: object


def _user(email: str):
    return get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)


def make_world() -> World:
    from gvia.services.context import Ctx
    from gvia.services.ledger import books as ledger
    from gvia.services.org.organizations import init_organization
    from gvia.store.models import Contact, Customer, Invoice, Membership, Payment

    org_a = init_organization("גלבוע ציוד", country="IL", admin_email="owner@a.test", admin_password=PASSWORD)
    org_b = init_organization("Secret Corp", country="GB", admin_email="owner@b.test", admin_password=PASSWORD)
    User = get_user_model()
    owner = User.objects.get(email="owner@a.test")
    owner_b = User.objects.get(email="owner@b.test")
    collector, viewer, multi = _user("collector@a.test"), _user("viewer@a.test"), _user("multi@x.test")
    Membership.objects.create(user=collector, organization=org_a, role="collector", language="he")
    Membership.objects.create(user=viewer, organization=org_a, role="viewer", language="en")
    Membership.objects.create(user=multi, organization=org_a, role="collector")
    Membership.objects.create(user=multi, organization=org_b, role="viewer")

    def customer(org, ref, name, **kw):
        return Customer.objects.create(organization=org, ref=ref, name=name, **kw)

    def invoice(c, number, issue, due, minor, cur):
        return Invoice.objects.create(organization=c.organization, customer=c, number=number, issue_date=issue,
                                      due_date=due, amount_minor=minor, currency=cur, open_minor=minor)

    def payment(c, key, day, minor, cur, **kw):
        return Payment.objects.create(organization=c.organization, customer=c, date=day, amount_minor=minor,
                                      currency=cur, import_key=key, **kw)

    c1 = customer(org_a, "C001", 'אלון שיווק בע"מ', tax_id="514000001", phone="+972501234567",
                  email="alon@example.co.il")
    Contact.objects.create(customer=c1, name="דנה כהן", role="הנהלת חשבונות", email="dana@alon.example",
                           phone="+97231234567", is_primary=True, is_billing=True)
    c2 = customer(org_a, "C002", "Beta Trading Ltd", language="en", email="ap@beta.example")
    c3 = customer(org_a, "C003", "גמא מוצרים")
    s1 = customer(org_b, "S001", "Hidden Customer Ltd")
    inv_1001 = invoice(c1, "INV-1001", date(2026, 1, 1), date(2026, 1, 31), 100000, "ILS")
    inv_1002 = invoice(c1, "INV-1002", date(2026, 3, 1), date(2026, 3, 31), 50000, "ILS")
    inv_2001 = invoice(c2, "INV-2001", date(2025, 10, 1), date(2025, 11, 1), 200000, "USD")
    inv_3001 = invoice(c3, "INV-3001", date(2026, 2, 8), date(2026, 3, 10), 25000, "ILS")
    inv_9001 = invoice(s1, "INV-9001", date(2026, 1, 1), date(2026, 1, 31), 99900, "GBP")
    payment(c1, "p1", date(2026, 2, 10), 30000, "ILS", reference="TR-77")
    payment(c3, "p2", date(2026, 3, 12), 25000, "ILS", method="cheque", cheque_number="4455")
    ledger.recompute(Ctx(org_a, None), [c1.id, c2.id, c3.id])
    ledger.recompute(Ctx(org_b, None), [s1.id])
    for inv in (inv_1001, inv_1002, inv_2001, inv_3001, inv_9001):
        inv.refresh_from_db()
    return World(org_a, org_b, owner, collector, viewer, owner_b, multi, c1, c2, c3, s1,
                 inv_1001, inv_1002, inv_2001, inv_3001, inv_9001)


@pytest.fixture
def world(db) -> World:
    return make_world()


@pytest.fixture
def as_owner(client, world):
    client.force_login(world.owner)
    return client


@pytest.fixture
def as_collector(client, world):
    client.force_login(world.collector)
    return client


@pytest.fixture
def as_viewer(client, world):
    client.force_login(world.viewer)
    return client


# --- the engine's side: a clock at TODAY, and a case file for the worklist ---------------------
# NOW is 09:00 in Israel on TODAY. The services read the clock (gvia.services.clock.now_utc) for
# "today"; the pages read it too, so both agree on the business date.

NOW = datetime(2026, 3, 15, 9, 0, tzinfo=ZoneInfo("Asia/Jerusalem")).astimezone(timezone.utc)


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch):
    monkeypatch.setattr("gvia.services.clock.now_utc", lambda: NOW)


@dataclass
class Engine:
    """The world after one daily run on TODAY (default Israeli ladder, every message approved by a
    person): C001 (INV-1001, 43 days late) was at the second reminder since 1 March, so today it
    reaches the call stage — a call task due today with its two numbers; C002 (INV-2001, 134 days
    late) was at the call stage and the customer refused, so today it reaches the warning letter —
    a registered letter and an e-mail, both awaiting an owner's approval. Its debt is in USD, so
    the stage sends its fallback, the general warning letter, not the Execution Office notice
    (shekels only); the organization and C002 have the details a warning letter prints, so the
    letters wait for approval instead of being held for them (gvia.services.engine.holds)."""

    world: World
    call: object            # the call task of C001
    letter: object          # the registered warning letter of C002
    email: object           # its e-mail copy


def make_engine(world: World) -> Engine:
    from gvia.services.context import Ctx
    from gvia.services.engine import daily_run
    from gvia.store.models import Address, Case, OutboxMessage, Task

    org = world.org_a
    org.tax_id, org.address, org.phone = "514567899", "רחוב הרצל 1\nתל אביב 6100000", "03-5550123"
    org.email, org.signatory_name = "billing@gilboa.co.il", "רונית כהן"
    org.name_en, org.address_en = "Gilboa Equipment Ltd", "1 Herzl St\nTel Aviv 6100000"
    org.save()
    world.c2.tax_id = "515000115"
    world.c2.save()
    Address.objects.create(customer=world.c2, line1="10 Harbour Rd", city="Haifa", postal_code="3100001")
    Case.objects.create(organization=world.org_a, customer=world.c1, cycle=1, stage_key="second_reminder",
                        active=True, state={
                            "cycle": 1, "cycle_open": True, "cycle_started": "2026-02-01",
                            "stage_key": "second_reminder", "stage_entered": "2026-03-01",
                            "history": [["reminder", "2026-02-07"], ["second_reminder", "2026-03-01"]],
                            "calls_unanswered": 0})
    Case.objects.create(organization=world.org_a, customer=world.c2, cycle=1, stage_key="call", active=True, state={
        "cycle": 1, "cycle_open": True, "cycle_started": "2025-11-02", "stage_key": "call",
        "stage_entered": "2026-03-01",
        "history": [["reminder", "2026-02-07"], ["second_reminder", "2026-02-21"], ["call", "2026-03-01"]],
        "calls_unanswered": 0, "last_call_outcome": "refused"})
    daily_run.run(Ctx(world.org_a, None, "owner"), NOW)
    return Engine(world, Task.objects.get(customer=world.c1, kind="call"),
                  OutboxMessage.objects.get(customer=world.c2, channel="registered_letter"),
                  OutboxMessage.objects.get(customer=world.c2, channel="email"))


@pytest.fixture
def engine(world) -> Engine:
    return make_engine(world)

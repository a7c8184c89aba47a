"""Every page with the hand-worked ledger of conftest.py (today 2026-03-15)."""

from __future__ import annotations

import re

import pytest

from gvia.core.money import Money

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# --- dashboard ---------------------------------------------------------------------------------

def test_dashboard_totals_per_currency(as_owner, world):
    r = as_owner.get("/")
    assert r.status_code == 200
    d = r.context["data"]
    assert dict(d.overdue.items()) == {"ILS": Money.of("700.00", "ILS"), "USD": Money.of("2000.00", "USD")}
    assert (d.customers, d.customers_overdue, d.open_invoices, d.overdue_invoices) == (3, 2, 3, 2)
    ils = d.aging.currencies["ILS"]
    assert (ils["not_due"], ils["31-60"]) == (Money.of("500", "ILS"), Money.of("700", "ILS"))
    assert d.aging.currencies["USD"]["91-180"] == Money.of("2000", "USD")
    html = r.content.decode()
    assert '<bdi dir="ltr" class="num">₪700.00</bdi>' in html
    assert '<bdi dir="ltr" class="num">$2,000.00</bdi>' in html
    assert html.count("<svg") == 2             # one chart per currency, never mixed
    assert 'lang="he" dir="rtl"' in html


def test_dashboard_in_english_for_an_english_user(as_viewer):
    html = as_viewer.get("/").content.decode()
    assert 'lang="en" dir="ltr"' in html
    assert "Overdue in total" in html and "Aging — US Dollar (US$)" in html   # en_IL writes US$


def test_dashboard_of_an_empty_organization_invites_to_import(client, world):
    from gvia.services.org.organizations import init_organization
    from gvia.store.models import Membership

    empty = init_organization("Empty Ltd", country="GB", admin_email="e@e.test", admin_password="Gvia-test-2026!")
    user = Membership.objects.get(organization=empty).user
    client.force_login(user)
    r = client.get("/")
    assert r.status_code == 200
    assert "No data yet" in r.content.decode()
    assert "<svg" not in r.content.decode()


def test_dashboard_panels_appear_only_when_they_have_something(as_owner, world, monkeypatch):
    from gvia.web import dashboard_panels, panels

    sources = dashboard_panels.SOURCES
    monkeypatch.setattr(dashboard_panels, "SOURCES", (
        lambda ctx, today: None, lambda ctx, today: panels.Panel("nav.dashboard", "gvia/_messages.html"), *sources))
    r = as_owner.get("/")
    assert [p.title for p in r.context["panels"]] == ["nav.dashboard"]
    monkeypatch.setattr(dashboard_panels, "SOURCES", sources)
    from django.core.cache import cache

    cache.clear()        # the panels are kept while the data does not change (gvia.web.cached)
    assert as_owner.get("/").context["panels"] == []


# --- customers ---------------------------------------------------------------------------------

def names(response) -> list[str]:
    return [row.name for row in response.context["result"].rows]


def test_customer_list_with_balances(as_owner, world):
    r = as_owner.get("/customers/")
    assert names(r) == ['Beta Trading Ltd', 'אלון שיווק בע"מ', "גמא מוצרים"]   # by name
    rows = {row.ref: row for row in r.context["result"].rows}
    assert dict(rows["C001"].balance.open.items()) == {"ILS": Money.of("1200", "ILS")}
    assert dict(rows["C001"].balance.overdue.items()) == {"ILS": Money.of("700", "ILS")}
    assert rows["C001"].balance.days_overdue == 43
    assert rows["C002"].balance.days_overdue == 134
    assert rows["C003"].balance.open == {}


@pytest.mark.parametrize("q,expected", [
    ("אלון", ["C001"]),                       # name
    ("c00", ["C002", "C001", "C003"]),        # reference (sorted by name)
    ("514000001", ["C001"]),                  # tax id
    ("050-1234567", ["C001"]),                # phone as people type it; stored +972501234567
    ("03-1234567", ["C001"]),                 # a contact's phone
    ("ap@beta", ["C002"]),                    # e-mail
    ("dana@alon", ["C001"]),                  # a contact's e-mail
    ("דנה", ["C001"]),                        # a contact's name
    ("nobody", []),
])
def test_search(as_owner, world, q, expected):
    r = as_owner.get("/customers/", {"q": q})
    assert [row.ref for row in r.context["result"].rows] == expected


def test_filter_by_currency(as_owner, world):
    assert as_owner.get("/customers/").context["currencies"] == ["ILS", "USD"]   # its own first
    assert names(as_owner.get("/customers/", {"currency": "USD"})) == ["Beta Trading Ltd"]
    # ILS customers with something open: C001 only (C003 is paid)
    assert [r.ref for r in as_owner.get("/customers/", {"currency": "ILS"}).context["result"].rows] == ["C001"]


@pytest.mark.parametrize("overdue,expected", [
    ("any", ["C002", "C001"]),
    ("none", ["C003"]),
    ("31-60", ["C001"]),        # 43 days
    ("91-180", ["C002"]),       # 134 days
    ("1-30", []),
    ("180+", []),
])
def test_filter_by_overdue_range(as_owner, world, overdue, expected):
    r = as_owner.get("/customers/", {"overdue": overdue})
    assert [row.ref for row in r.context["result"].rows] == expected


def test_nothing_overdue_in_one_currency(as_owner, world):
    from gvia.store.models import Customer, Invoice

    c5 = Customer.objects.create(organization=world.org_a, ref="C005", name="חמש")
    Invoice.objects.create(organization=world.org_a, customer=c5, number="INV-5", issue_date="2026-03-01",
                           due_date="2026-04-01", amount_minor=100, open_minor=100, currency="ILS")
    # C001 has ILS overdue; C003 has nothing open in ILS; C005 has ILS open and not late
    r = as_owner.get("/customers/", {"overdue": "none", "currency": "ILS"})
    assert [row.ref for row in r.context["result"].rows] == ["C005"]


def test_a_short_number_does_not_match_every_phone(as_owner, world):
    assert [r.ref for r in as_owner.get("/customers/", {"q": "001"}).context["result"].rows] == ["C001"]


def test_sort_by_days_overdue_and_by_amount(as_owner, world):
    r = as_owner.get("/customers/", {"sort": "-days"})
    assert [row.ref for row in r.context["result"].rows] == ["C002", "C001"]   # 134 days, then 43
    assert r.context["f"].overdue == "any"                                     # shown in the form
    r = as_owner.get("/customers/", {"sort": "-overdue"})
    assert r.context["f"].currency == "ILS"          # amounts are compared in one currency only
    assert [row.ref for row in r.context["result"].rows] == ["C001"]
    r = as_owner.get("/customers/", {"sort": "-overdue", "currency": "USD"})
    assert [row.ref for row in r.context["result"].rows] == ["C002"]
    assert names(as_owner.get("/customers/", {"sort": "-name"})) == ["גמא מוצרים", 'אלון שיווק בע"מ',
                                                                      "Beta Trading Ltd"]
    rows = as_owner.get("/customers/", {"sort": "ref"}).context["result"].rows
    assert [r.ref for r in rows] == ["C001", "C002", "C003"]


def test_bad_parameters_are_ignored(as_owner, world):
    r = as_owner.get("/customers/", {"sort": "drop table", "overdue": "x", "page": "abc", "currency": "<b>"})
    assert r.status_code == 200
    assert r.context["f"].sort == "name" and r.context["f"].page == 1


def test_pagination_at_50_per_page(as_owner, world):
    from gvia.store.models import Customer

    Customer.objects.bulk_create([Customer(organization=world.org_a, ref=f"P{i:03d}", name=f"Page {i:03d}")
                                  for i in range(120)])
    r = as_owner.get("/customers/", {"q": "Page", "page": 3})
    result = r.context["result"]
    assert (result.total, result.pages, result.page, len(result.rows)) == (120, 3, 3, 20)
    assert result.rows[0].name == "Page 100" and (result.first_index, result.last_index) == (101, 120)
    html = r.content.decode()
    assert "?q=Page&amp;page=2" in html        # the previous page keeps the search


def test_a_search_with_many_matches_pages_in_name_order(as_owner, world):
    from gvia.store.models import Customer

    Customer.objects.bulk_create([Customer(organization=world.org_a, ref=f"M{i:04d}", name=f"Many {i:04d}")
                                  for i in range(520)])          # more than queries.FEW
    result = as_owner.get("/customers/", {"q": "Many", "page": 11}).context["result"]
    assert (result.total, result.pages, len(result.rows)) == (520, 11, 20)
    assert [r.name for r in result.rows][:2] == ["Many 0500", "Many 0501"]


def test_customer_list_is_a_fixed_number_of_queries(as_owner, world, django_assert_max_num_queries):
    from gvia.store.models import Customer, Invoice

    for i in range(60):
        c = Customer.objects.create(organization=world.org_a, ref=f"Q{i:03d}", name=f"Q {i:03d}")
        Invoice.objects.create(organization=world.org_a, customer=c, number=f"Q-{i}", issue_date="2026-01-01",
                               due_date="2026-02-01", amount_minor=1000, open_minor=1000, currency="ILS")
    for params in ({}, {"sort": "-overdue"}, {"overdue": "31-60"}, {"q": "Q 0"}):
        with django_assert_max_num_queries(12):
            r = as_owner.get("/customers/", params)
        assert r.status_code == 200


def test_htmx_search_returns_only_the_results(as_owner, world):
    r = as_owner.get("/customers/", {"q": "Beta"}, HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "<html" not in html and "Beta Trading Ltd" in html


def test_customer_page(as_owner, world):
    r = as_owner.get(f"/customers/{world.c1.id}/")
    assert r.status_code == 200
    d = r.context["d"]
    assert [(i.number, i.status, i.days_overdue, i.open) for i in d.invoices] == [
        ("INV-1002", "open", 0, Money.of("500", "ILS")),
        ("INV-1001", "overdue", 43, Money.of("700", "ILS")),
    ]
    assert [(p.amount, p.reference) for p in d.payments] == [(Money.of("300", "ILS"), "TR-77")]
    html = r.content.decode()
    assert "050-123-4567" in html                          # the phone as people read it
    assert "dana@alon.example" in html
    kinds = [e.kind for e in r.context["entries"]]
    assert kinds == ["invoice", "payment", "invoice"]      # newest first: 01/03, 10/02, 01/01
    assert "התקבל תשלום של" in html


def test_timeline_shows_a_bounced_cheque(as_owner, world):
    from gvia.services.context import Ctx
    from gvia.services.ledger import books as ledger

    ledger.bounce_cheque(Ctx(world.org_a, world.owner, "owner"), "4455")
    r = as_owner.get(f"/customers/{world.c3.id}/")
    kinds = [e.kind for e in r.context["entries"]]
    assert kinds[0] == "audit" and "payment_bounced" in kinds
    assert "שיק סומן כחוזר" in r.content.decode()
    # the invoice is open and overdue again: 5 days past 10/03
    assert [(i.status, i.days_overdue) for i in r.context["d"].invoices] == [("overdue", 5)]


def test_invoice_page(as_owner, world):
    r = as_owner.get(f"/invoices/{world.inv_1001.id}/")
    assert r.status_code == 200
    d = r.context["d"]
    assert (d.row.status, d.row.days_overdue, d.row.open) == ("overdue", 43, Money.of("700", "ILS"))
    assert [(a.source, a.amount) for a in d.allocations] == [("payment", Money.of("300", "ILS"))]
    assert "TR-77" in r.content.decode()


def test_paid_invoice_page(as_owner, world):
    d = as_owner.get(f"/invoices/{world.inv_3001.id}/").context["d"]
    assert (d.row.status, d.row.open) == ("paid", Money.of("0", "ILS"))


def test_statement_page_and_csv(as_owner, world):
    r = as_owner.get(f"/customers/{world.c1.id}/statement/")
    assert r.status_code == 200
    st = r.context["st"]
    assert [(ln.kind, ln.reference, str(ln.balance.amount)) for ln in st.lines] == [
        ("invoice", "INV-1001", "1000.00"), ("payment", "TR-77", "700.00"), ("invoice", "INV-1002", "1200.00")]
    assert st.closing["ILS"] == Money.of("1200", "ILS")
    assert "חשבונית לתשלום עד" in r.content.decode()
    r = as_owner.get(f"/customers/{world.c1.id}/statement/", {"format": "csv", "as_of": "2026-02-28"})
    assert r["Content-Type"].startswith("text/csv")
    body = r.content.decode("utf-8-sig").splitlines()
    assert body[0].startswith("date,kind,reference")
    assert body[1:] == ["2026-01-01,invoice,INV-1001,\"Invoice INV-1001, due 2026-01-31\",ILS,1000.00,,1000.00,",
                        "2026-02-10,payment,TR-77,Payment (transfer),ILS,,300.00,700.00,"]


def test_every_page_answers_in_english_too(client, world):
    client.force_login(world.viewer)
    for url in ("/", "/customers/", f"/customers/{world.c1.id}/", f"/customers/{world.c1.id}/statement/",
                f"/invoices/{world.inv_1001.id}/"):
        r = client.get(url)
        assert r.status_code == 200 and 'dir="ltr"' in r.content.decode(), url


def test_static_files_and_font(client, db):
    from django.contrib.staticfiles import finders

    assert finders.find("gvia/app.css")
    r = client.get("/fonts/heebo.ttf")
    assert r.status_code == 200 and r["Content-Type"] == "font/ttf"
    assert "max-age" in r["Cache-Control"]

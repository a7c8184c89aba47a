"""The customer's page (issue 16): /p/<token>/ without signing in shows that customer's open
invoices (due and not yet due, from the ledger and core/demand), the statement as a PDF, how to pay
(bank details, the case's payment reference), in the customer's language with a switch (he, en, ar,
ru); expired, revoked and unknown links get a polite page (410/404) in the customer's language;
opening is on the timeline once a day; one customer's link never shows another's data."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from gvia.services.context import Ctx
from gvia.services.context import resolve as resolve_ctx
from gvia.services.ledger import books as ledger
from gvia.services.org.organizations import init_organization
from gvia.services.portal import links
from gvia.store.models import Activity, Customer, Organization

TODAY = date(2026, 3, 15)
NOW = datetime(2026, 3, 15, 9, 0, tzinfo=ZoneInfo("Asia/Jerusalem")).astimezone(timezone.utc)


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch):
    monkeypatch.setattr("gvia.services.clock.now_utc", lambda: NOW)


@pytest.fixture
def shop(ctx, books):
    """Gilboa (bank details set) with two customers, and another organization with one."""
    Organization.objects.filter(id=ctx.org.id).update(
        bank_name="בנק הפועלים", bank_branch="612", bank_account="123456", phone="04-6001234",
        email="billing@gilboa.co.il", name_en="Gilboa Office Supplies Ltd")
    ctx.org.refresh_from_db()
    a1 = books.customer("A1", "אלפא מסחר", language="he", email="ap@alfa.co.il")
    a2 = books.customer("A2", "Beta Trading", language="en")
    books.invoice(a1, "INV-1001", "1170.00", date(2026, 2, 1), issue=date(2026, 1, 2))
    books.invoice(a1, "INV-1002", "500.00", date(2026, 4, 1), issue=date(2026, 3, 1))
    books.invoice(a1, "INV-1003", "300.00", date(2026, 1, 10), issue=date(2025, 12, 10))
    books.payment(a1, "300.00", date(2026, 1, 20))                 # pays INV-1003 (oldest due first)
    books.invoice(a2, "INV-2001", "777.00", date(2026, 2, 20))
    ledger.recompute(ctx, [a1.id, a2.id])
    init_organization("Other Ltd", country="GB", admin_email="owner@other.co.uk", admin_password="Gvia-test-2026!")
    other = resolve_ctx("other-ltd", "owner@other.co.uk")
    b1 = Customer.objects.create(organization=other.org, ref="A1", name="Hidden Customer Ltd", language="en")
    from tests.services.conftest import Books

    Books(other).invoice(b1, "INV-9001", "999.00", date(2026, 2, 2), currency="GBP")
    ledger.recompute(Ctx(other.org, None), [b1.id])
    return {"org": ctx.org, "a1": a1, "a2": a2, "b1": b1, "other": other.org}


def _url(org, customer, **kw) -> str:
    return "/p/" + links.issue_link(org, customer, today=TODAY, **kw).token + "/"


def test_the_page_shows_what_is_due_and_how_to_pay_in_hebrew(client, shop):
    url = _url(shop["org"], shop["a1"])
    r = client.get(url)
    assert r.status_code == 200
    page = r.content.decode()
    assert 'lang="he" dir="rtl"' in page
    assert "שלום, <bdi>אלפא מסחר</bdi>" in page
    assert "INV-1001" in page and "INV-1002" in page and "INV-1003" not in page     # paid: not open
    assert "באיחור של <bdi>42</bdi> ימים" in page                                     # due 1 Feb, 15 Mar
    assert "טרם הגיע מועד התשלום" in page                                            # INV-1002, due 1 Apr
    assert "לתשלום עכשיו: <bdi>₪1,170.00</bdi>" in page                             # core/demand's total
    assert "טרם הגיע מועד תשלומו: <bdi>₪500.00</bdi>" in page
    assert "בנק הפועלים" in page and "123456" in page
    assert "נא לציין בתשלום את אסמכתת התשלום <bdi>A1-1</bdi>" in page                 # the case's reference
    assert "INV-2001" not in page and "Beta Trading" not in page and "Hidden Customer" not in page
    # private: not cached, no Referer with the token, not indexed; gvia's own style only
    assert r["Cache-Control"] == "no-store, private" and r["Referrer-Policy"] == "no-referrer"
    assert "noindex" in r["X-Robots-Tag"]
    assert "script-src 'self'" in r["Content-Security-Policy"] and "<script" not in page
    assert "/static/gvia/portal.css" in page and "http://" not in page.split("<main")[0].replace(
        'href="http://', "")


def test_the_customers_language_then_the_switch_in_english_arabic_and_russian(client, shop):
    url = _url(shop["org"], shop["a2"])
    en = client.get(url).content.decode()
    assert 'lang="en" dir="ltr"' in en and "Hello, <bdi>Beta Trading</bdi>" in en
    assert "Gilboa Office Supplies Ltd" in en                       # the English name for other languages
    assert "<bdi>23</bdi> days overdue" in en and "Due now: <bdi>₪777.00</bdi>" in en
    for code, name in (("he", "עברית"), ("ar", "العربية"), ("ru", "Русский")):
        assert f'href="?lang={code}" lang="{code}"' in en and name in en
    ar = client.get(url + "?lang=ar").content.decode()
    assert 'lang="ar" dir="rtl"' in ar and "مرحبًا" in ar and "كيف تدفع" in ar
    assert "English" in ar and "?lang=en" in ar
    ru = client.get(url + "?lang=ru").content.decode()
    assert 'lang="ru" dir="ltr"' in ru and "Здравствуйте" in ru and "просрочен на <bdi>23</bdi> дня" in ru
    assert client.get(url + "?lang=xx").content.decode().count('lang="en" dir="ltr"') == 1   # unknown: the customer's


def test_nothing_open_is_said_kindly(client, shop, books):
    c = books.customer("A9", "גמא", language="he")
    page = client.get(_url(shop["org"], c)).content.decode()
    assert "אין שום דבר פתוח בחשבון שלך. תודה!" in page


def test_the_statement_downloads_as_that_customers_pdf(client, shop):
    url = _url(shop["org"], shop["a1"])
    r = client.get(url + "statement.pdf?lang=he")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"].startswith('attachment; filename="statement-A1-2026-03-15')
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    assert "INV-1001" in text and "INV-2001" not in text and "INV-9001" not in text
    ru = client.get(url + "statement.pdf?lang=ru")      # Russian: the Hebrew original, then its translation
    assert ru.status_code == 200 and ru.content.startswith(b"%PDF")


def test_expired_revoked_and_unknown_links_get_a_polite_page_in_the_customers_language(client, shop):
    org, a1, a2 = shop["org"], shop["a1"], shop["a2"]
    short = links.issue_link(org, a2, today=TODAY - timedelta(days=10), days=5)
    r = client.get(f"/p/{short.token}/")
    assert r.status_code == 410
    page = r.content.decode()
    assert 'lang="en"' in page and "expired on <bdi>10/03/2026</bdi>" in page
    assert "Please ask <bdi>Gilboa Office Supplies Ltd</bdi> for a new link" in page
    revoked = links.issue_link(org, a1, today=TODAY)
    links.revoke_all(org, a1)
    r = client.get(f"/p/{revoked.token}/")
    assert r.status_code == 410 and "הקישור לדף שלך אצל <bdi>Gilboa Office Supplies</bdi> בוטל" in r.content.decode()
    assert client.get(f"/p/{revoked.token}/statement.pdf").status_code == 410
    r = client.get("/p/not-a-token/", HTTP_ACCEPT_LANGUAGE="ru")
    assert r.status_code == 404 and "Мы не нашли эту страницу" in r.content.decode()
    r = client.get("/p/not-a-token/?lang=ar")
    assert r.status_code == 404 and 'dir="rtl"' in r.content.decode() and "لم نتمكن" in r.content.decode()
    for answer in (client.get(f"/p/{short.token}/"), client.get("/p/x.y/")):
        assert "Traceback" not in answer.content.decode() and "Django" not in answer.content.decode()
        assert answer["Cache-Control"] == "no-store, private"


def test_a_statement_that_cannot_be_made_says_so_politely(client, shop, monkeypatch):
    from gvia.core.errors import ValidationFailed
    from gvia.services.portal import page

    def fails(*args, **kwargs):
        raise ValidationFailed([])

    monkeypatch.setattr(page, "statement_pdf", fails)
    r = client.get(_url(shop["org"], shop["a2"]) + "statement.pdf")
    assert r.status_code == 409
    text = r.content.decode()
    assert "Not available right now" in text and "contact <bdi>Gilboa Office Supplies Ltd</bdi>" in text


def test_one_customers_link_never_shows_anothers_data(client, shop):
    a1 = links.issue_link(shop["org"], shop["a1"], today=TODAY)
    b1 = links.issue_link(shop["other"], shop["b1"], today=TODAY)
    token_id, sig = a1.token.split(".")
    b_id, b_sig = b1.token.split(".")
    for url in (f"/p/{token_id}.{b_sig}/", f"/p/{b_id}.{sig}/", f"/p/{token_id}/", f"/p/{a1.token}x/",
                f"/p/{a1.token}/?customer={shop['b1'].id}", f"/p/{token_id}.{sig[:-2]}/statement.pdf"):
        r = client.get(url)
        page = r.content.decode("utf-8", "replace")
        assert "Hidden Customer" not in page and "INV-9001" not in page, url
        if "customer=" not in url:
            assert r.status_code == 404, url
    a_page = client.get(f"/p/{a1.token}/?customer={shop['b1'].id}").content.decode()
    assert "אלפא מסחר" in a_page and "INV-9001" not in a_page
    b_page = client.get(f"/p/{b1.token}/").content.decode()
    assert "Hidden Customer Ltd" in b_page and "INV-9001" in b_page and "אלפא" not in b_page
    assert client.post(f"/p/{a1.token}/").status_code == 405


def test_opening_is_on_the_timeline_once_a_day(client, shop):
    url = _url(shop["org"], shop["a1"])
    for _ in range(3):
        assert client.get(url).status_code == 200
    client.get(url + "statement.pdf")
    opened = Activity.objects.filter(customer=shop["a1"], kind="portal")
    assert opened.count() == 1 and opened.get().data["event"] == "portal.opened" and opened.get().date == TODAY
    from gvia.web.case_timeline import event_detail  # the staff's timeline words it

    assert event_detail(opened.get().data, "he") == "דף הלקוח נפתח מהקישור"
    assert event_detail(opened.get().data, "en") == "Opened their page from the link"

"""The customer's page in a real browser (issue 16): opened from its link without signing in, in
Hebrew, English, Arabic and Russian, on a phone (375×667) and a desk. Each language's page is read
as the customer reads it: the page's ``lang`` and ``dir``; a title; no word of another script that
is not data (the organization's and the customer's names, invoice numbers, the bank's fields, the
language switch's own names, IBAN/SWIFT/PDF); nothing wider than the phone's screen; no request to
another host and no Content-Security-Policy violation. The polite page of an expired link, too."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from gvia.services import clock
from gvia.services.context import resolve
from gvia.services.ledger import books as ledger
from gvia.services.org.organizations import init_organization
from gvia.services.portal import links
from gvia.store.models import Customer, Organization
from tests.services.conftest import Books

from .conftest import WAIT_MS, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
pytest.importorskip("playwright.sync_api")

LATIN = re.compile(r"[A-Za-z]{2,}")
HEBREW = re.compile(r"[\u05d0-\u05ea]{2,}")
ARABIC = re.compile(r"[\u0600-\u06ff]{2,}")
CYRILLIC = re.compile(r"[\u0400-\u04ff]{2,}")
SCRIPT = {"he": HEBREW, "en": LATIN, "ar": ARABIC, "ru": CYRILLIC}
STANDARDS = {"iban", "swift", "bic", "pdf", "gvia"}
# the page's text, one text node after another (so a label and its value stay two words), without
# the elements marked as another language (the language switch)
TEXT = """() => { const lang = document.documentElement.lang; const b = document.body.cloneNode(true);
  b.querySelectorAll('[lang]').forEach(e => { if (e.lang && e.lang !== lang) e.remove(); });
  const w = document.createTreeWalker(b, NodeFilter.SHOW_TEXT); const out = [];
  while (w.nextNode()) out.push(w.currentNode.nodeValue);
  return out.join(' '); }"""


def _world():
    init_organization("גלבוע ציוד משרדי", country="IL", admin_email="owner@gilboa.co.il",
                      admin_password="Gvia-test-2026!")
    ctx = resolve(None, "owner@gilboa.co.il")
    Organization.objects.filter(id=ctx.org.id).update(
        name_en="Gilboa Office Supplies", bank_name="Leumi", bank_branch="800", bank_account="555123",
        bank_iban="IL620108000000099999999", phone="04-6001234", email="billing@gilboa.co.il")
    ctx.org.refresh_from_db()
    today = clock.org_today(ctx.org)
    books = Books(ctx)
    customer = books.customer("C1", "Levant Trading", language="ar", email="ap@levant.example")
    books.invoice(customer, "INV-5001", "2340.00", today - timedelta(days=40), issue=today - timedelta(days=70))
    books.invoice(customer, "INV-5002", "880.50", today + timedelta(days=12), issue=today - timedelta(days=18))
    other = books.customer("C2", "Secret Neighbour", language="he")
    books.invoice(other, "INV-6001", "999.00", today - timedelta(days=5))
    ledger.recompute(ctx, [customer.id, other.id])
    return ctx, customer, today


def _data_words(ctx, customer: Customer) -> set[str]:
    texts = [ctx.org.name, ctx.org.name_en, ctx.org.bank_name, ctx.org.email, customer.name, "INV-5001", "INV-5002",
             customer.ref + "-1"]
    return {w.lower() for t in texts for w in LATIN.findall(t)} | {w for t in texts for w in HEBREW.findall(t)}


def _foreign(text: str, lang: str, data: set[str]) -> set[str]:
    text = re.sub(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", " ", text)
    found = set()
    for script_lang, pattern in SCRIPT.items():
        if script_lang == lang:
            continue
        for w in pattern.findall(text):
            if w.lower() not in data and w not in data and w.lower() not in STANDARDS:
                found.add(w)
    return found


@pytest.mark.parametrize("size", [(375, 667), (1280, 900)], ids=["phone", "desk"])
def test_the_customers_page_in_four_languages(browser, live_server, size):
    ctx, customer, today = _world()
    token = links.issue_link(ctx.org, customer, today=today).token
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="ar",
                                  is_mobile=size[0] < 600, has_touch=size[0] < 600)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    outside: list[str] = []
    violations: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(live_server.url) else outside.append(r.url))
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    data = _data_words(ctx, customer)
    try:
        page.goto(f"{live_server.url}/p/{token}/")             # the customer's language: Arabic
        expected = {"ar": ("rtl", "مرحبًا"), "he": ("rtl", "שלום"), "en": ("ltr", "Hello"),
                    "ru": ("ltr", "Здравствуйте")}
        for lang in ("ar", "he", "en", "ru"):
            if lang != "ar":
                page.click(f"[data-testid=portal-lang-{lang}]")   # the switch
            html = page.locator("html")
            assert html.get_attribute("lang") == lang and html.get_attribute("dir") == expected[lang][0], lang
            assert page.title().strip(), lang
            text = page.evaluate(TEXT)
            assert expected[lang][1] in text, lang
            assert "INV-5001" in text and "INV-5002" in text and "INV-6001" not in text and "Secret" not in text
            assert not _foreign(text, lang, data), (lang, _foreign(text, lang, data))
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= size[0], (lang, width)                 # nothing wider than the screen
            shot(page, f"portal-{lang}-{size[0]}")
        with page.expect_download() as download:
            page.click("[data-testid=portal-statement]")
        assert download.value.suggested_filename.startswith("statement-C1-")
        # an expired link: the polite page, in the customer's language
        old = links.issue_link(ctx.org, customer, today=today - timedelta(days=100), days=10).token
        response = page.goto(f"{live_server.url}/p/{old}/")
        assert response is not None and response.status == 410
        assert page.locator("html").get_attribute("lang") == "ar" and "انتهت صلاحية" in page.evaluate(TEXT)
        assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
    finally:
        context.close()
    assert outside == [] and violations == []

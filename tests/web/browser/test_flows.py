"""The main flows in a real browser, in Hebrew (right to left) and English.

The data is the hand-worked ledger of ``tests/web/conftest.py`` (today 2026-03-15).
"""

from __future__ import annotations

import re

import pytest

from ..conftest import PASSWORD, make_world
from .conftest import shot

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BAD_CSV = (
    "מס' לקוח,שם לקוח,מס' חשבונית,תאריך,תאריך פירעון,סכום,מטבע\n"
    "C001,אלון שיווק,INV-5001,01/03/2026,31/03/2026,\"1,250.00\",ILS\n"
    "C004,דלתא בע\"מ,INV-5002,31/02/2026,31/03/2026,800,ILS\n"
    "C004,דלתא בע\"מ,INV-5003,01/03/2026,31/03/2026,abc,ILS\n"
)
GOOD_CSV = (
    "מס' לקוח,שם לקוח,מס' חשבונית,תאריך,תאריך פירעון,סכום,מטבע\n"
    "C001,אלון שיווק,INV-5001,01/03/2026,31/03/2026,\"1,250.00\",ILS\n"
    "C004,דלתא בע\"מ,INV-5002,02/03/2026,01/04/2026,800,ILS\n"
)


def login(page, email: str) -> None:
    page.goto(page.base + "/")
    assert "/login/" in page.url
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))


def html_attrs(page) -> tuple[str, str]:
    return page.get_attribute("html", "dir"), page.get_attribute("html", "lang")


def test_log_in_switch_language_and_back(page):
    world = make_world()
    login(page, "Owner@A.test")        # the e-mail is matched whatever its case
    assert html_attrs(page) == ("rtl", "he")
    assert page.text_content("h1") == "לוח בקרה"
    assert page.text_content("[data-testid=overdue-ILS]").strip() == "₪700.00"
    # right to left: the navigation is on the right of the content
    nav, main = page.locator(".sidenav").bounding_box(), page.locator("main").bounding_box()
    assert nav["x"] > main["x"]
    shot(page, "dashboard-he")

    page.click("[data-testid=lang-en]")
    page.wait_for_selector("html[dir=ltr]")
    assert html_attrs(page) == ("ltr", "en")
    assert page.text_content("h1") == "Dashboard"
    nav, main = page.locator(".sidenav").bounding_box(), page.locator("main").bounding_box()
    assert nav["x"] < main["x"]
    shot(page, "dashboard-en")

    page.click("[data-testid=lang-he]")
    page.wait_for_selector("html[dir=rtl]")
    assert page.text_content("h1") == "לוח בקרה"
    from gvia.store.models import Membership

    assert Membership.objects.get(user=world.owner, organization=world.org_a).language == "he"


def test_search_customers_and_open_one(page):
    world = make_world()
    login(page, "owner@a.test")
    page.click(".sidenav >> text=לקוחות")
    page.wait_for_selector("table.customers")
    assert page.locator("table.customers tbody tr").count() == 3
    shot(page, "customers-he")
    page.fill("#q", "אלון")                 # htmx reloads the results as one types
    expect(page.locator("table.customers tbody tr")).to_have_count(1)   # no eval: the CSP forbids it
    assert "q=" in page.url                 # the search is in the address, so it can be shared
    page.fill("#q", "0501234567")           # a phone as people type it finds +972501234567
    expect(page.locator("table.customers tbody tr")).to_have_count(1)   # no eval: the CSP forbids it
    page.click("a.customer-link")
    page.wait_for_url(re.compile(rf"/customers/{world.c1.id}/$"))
    assert page.text_content("h1").strip().startswith("אלון שיווק")
    assert page.locator("#invoices tbody tr").count() == 2
    assert "₪700.00" in page.text_content("#invoices")
    shot(page, "customer-he")

    page.click("#invoices >> text=INV-1001")
    page.wait_for_url(re.compile(rf"/invoices/{world.inv_1001.id}/$"))
    shot(page, "invoice-he")
    page.goto(page.base + f"/customers/{world.c1.id}/statement/")
    assert "₪1,200.00" in page.text_content("tfoot")
    shot(page, "statement-he")


def _upload(page, tmp_path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    page.goto(page.base + "/imports/")
    page.select_option("#id_kind", "invoices")
    page.set_input_files("#id_file", str(path))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/imports/[^/]+/$"))


def test_import_with_a_bad_row_shows_the_errors_and_writes_nothing(page, tmp_path):
    make_world()
    from gvia.store.models import Customer, Invoice

    invoices, customers = Invoice.objects.count(), Customer.objects.count()
    login(page, "collector@a.test")
    _upload(page, tmp_path, "חשבוניות.csv", BAD_CSV)
    # the columns were recognised from the Hebrew headers
    assert page.input_value("#id_col_invoice_number") == "#3"
    assert page.input_value("#id_col_due_date") == "#5"
    page.click("button[value=preview]")
    problems = page.locator("[data-testid=import-problems]")
    problems.wait_for()
    text = problems.text_content()
    assert "31/02/2026" in text and "abc" in text
    rows = page.locator(".problems-table tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("td").nth(0).text_content().strip() == "3"
    assert rows.nth(1).locator("td").nth(0).text_content().strip() == "4"
    assert page.locator("[data-testid=import-commit]").count() == 0
    shot(page, "import-errors-he")
    assert (Invoice.objects.count(), Customer.objects.count()) == (invoices, customers)

    _upload(page, tmp_path, "good.csv", GOOD_CSV)
    page.click("button[value=preview]")
    page.locator("[data-testid=import-preview]").wait_for()
    assert Invoice.objects.count() == invoices
    shot(page, "import-preview-he")
    page.click("[data-testid=import-commit]")
    page.wait_for_url(re.compile(r"/imports/done/$"))
    assert Invoice.objects.count() == invoices + 2
    assert Customer.objects.filter(ref="C004").exists()


def test_settings_pages_and_phone_layout(page, phone):
    world = make_world()
    login(page, "owner@a.test")
    page.goto(page.base + "/settings/")
    shot(page, "settings-he")
    page.goto(page.base + "/settings/users/")
    assert "viewer@a.test" in page.text_content("table.members")
    shot(page, "users-he")

    login(phone, "owner@a.test")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1   # nothing wider than the phone
    shot(phone, "dashboard-phone-he")
    phone.goto(phone.base + f"/customers/{world.c1.id}/")
    shot(phone, "customer-phone-he")


def test_keyboard_reaches_the_search_and_the_skip_link(page):
    make_world()
    login(page, "owner@a.test")
    page.goto(page.base + "/customers/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.focus("#q")
    page.keyboard.type("Beta")
    page.keyboard.press("Enter")
    expect(page.locator("table.customers tbody tr")).to_have_count(1)   # no eval: the CSP forbids it
    assert "Beta Trading" in page.text_content("table.customers")

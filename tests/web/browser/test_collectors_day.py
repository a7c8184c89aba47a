"""The collector's day in a real browser: work the worklist, approve a warning letter, preview a
payment plan, the ladder, and the pages in both languages and on a phone.

The data is the engine's world of ``tests/web/conftest.py`` (today 2026-03-15): C001 has a call
to make, C002 a warning letter (registered, and by e-mail) waiting for an owner's approval: the
general warning letter, its stage's fallback, since C002's debt is in USD.
"""

from __future__ import annotations

import re

import pytest

from ..conftest import make_engine, make_world
from .conftest import shot as full_shot
from .test_flows import html_attrs, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str):
    """A full-page screenshot from the top (the sticky top bar drawn where it belongs)."""
    page.evaluate("window.scrollTo(0, 0)")
    return full_shot(page, name)


def test_work_the_worklist_log_a_call_with_a_promise_and_see_the_case_paused(page):
    engine = make_engine(make_world())
    c1 = engine.world.c1
    login(page, "collector@a.test")
    page.click(".sidenav >> text=העבודה היום")
    page.wait_for_url(re.compile(r"/worklist/$"))
    assert html_attrs(page) == ("rtl", "he")
    card = page.locator(f"#call-{engine.call.id}")
    assert "INV-1001" in card.text_content() and "03-123-4567" in card.text_content()
    shot(page, "worklist-he")

    card.locator("[data-testid=outcome-promised]").click()
    card.locator("input[name=promise_date]").fill("2026-03-20")
    card.locator("input[name=amount]").fill("700")
    card.locator("textarea[name=note]").first.fill("אחרי המשכורת")
    card.locator("text=שמירת ההבטחה").click()
    done = page.locator("[data-testid=call-done]")
    done.wait_for()                                    # swapped in place by htmx, no page load
    assert "/worklist/" in page.url
    assert "23/03/2026" in done.text_content()           # the promise's date and 3 days of grace
    shot(page, "worklist-call-logged-he")

    page.click(f"text={c1.name}")
    page.wait_for_url(re.compile(rf"/customers/{c1.id}/$"))
    page.locator("[data-testid=paused]").wait_for()
    case = page.locator("[data-testid=case]").text_content()
    assert "מושהה" in case and "23/03/2026" in case
    assert "שיחה: הבטיח לשלם" in page.text_content("#timeline")
    shot(page, "customer-case-he")


def test_approve_a_warning_letter_and_see_it_queued_in_the_outbox(page):
    engine = make_engine(make_world())
    login(page, "owner@a.test")
    page.goto(page.base + "/worklist/")
    row = page.locator(f"#msg-{engine.letter.id}")
    # the general warning letter: C002's debt is in USD, so not the Execution Office notice (ILS only)
    assert "מכתב התראה" in row.text_content() and "אישור בעלים" in row.text_content()
    assert "התראה לפני הוצאה לפועל" not in row.text_content()
    row.locator("[data-testid=approve]").click()
    page.locator(f"#msg-{engine.letter.id}[data-status=queued]").wait_for()
    assert "בתור לשליחה" in page.locator(f"#msg-{engine.letter.id}").text_content()

    page.click(".sidenav >> text=דואר יוצא")
    page.wait_for_url(re.compile(r"/outbox/$"))
    page.select_option("#status", "queued")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"status=queued"))
    rows = page.locator("[data-testid=outbox-row]")
    assert rows.count() == 1
    assert rows.nth(0).get_attribute("data-status") == "queued"
    assert "דואר רשום" in rows.nth(0).text_content()
    shot(page, "outbox-he")


def test_plan_preview_in_place_then_agree(page):
    world = make_world()
    login(page, "owner@a.test")
    page.goto(page.base + f"/customers/{world.c1.id}/")
    page.click("#act-plan > summary")
    page.fill("#plan_installments", "2")
    page.fill("#plan_first", "2026-04-01")
    page.click("[data-testid=plan-preview]")
    schedule = page.locator("[data-testid=plan-schedule]")
    schedule.wait_for()
    assert "₪600.00" in schedule.text_content() and "03/05/2026" in schedule.text_content()
    shot(page, "plan-preview-he")
    page.click("[data-testid=plan-agree]")
    page.locator("[data-testid=case] >> text=כתב ההסדר (PDF)").wait_for()     # the page reloaded with it
    assert "₪1,200.00 ב-2 תשלומים" in page.locator("[data-testid=case]").text_content()


def test_the_pages_in_english_and_back_and_the_dashboard_panels(page):
    make_engine(make_world())
    login(page, "owner@a.test")
    page.wait_for_selector("[data-testid=waiting-today]")
    shot(page, "dashboard-panels-he")
    page.goto(page.base + "/worklist/")
    page.click("[data-testid=lang-en]")
    page.wait_for_selector("html[dir=ltr]")
    assert page.text_content("h1") == "Today's work"
    assert "Calls to make" in page.text_content("main")
    nav, main = page.locator(".sidenav").bounding_box(), page.locator("main").bounding_box()
    assert nav["x"] < main["x"]
    shot(page, "worklist-en")
    page.goto(page.base + "/policy/")
    assert "7 days after the due date" in page.text_content(".ladder")
    shot(page, "policy-en")
    page.click("[data-testid=lang-he]")
    page.wait_for_selector("html[dir=rtl]")
    assert page.text_content("h1") == "מדרג הגבייה"
    nav, main = page.locator(".sidenav").bounding_box(), page.locator("main").bounding_box()
    assert nav["x"] > main["x"]
    shot(page, "policy-he")


def test_a_policy_with_a_mistake_shows_it_by_its_line(page):
    make_world()
    login(page, "owner@a.test")
    page.goto(page.base + "/policy/")
    text = page.input_value("#policy_text")
    page.fill("#policy_text", text.replace("wait_days = 7", "wait_days = -7", 1))
    page.click("button[value=check]")
    problems = page.locator("[data-testid=policy-problems]")
    problems.wait_for()
    assert "wait_days" in problems.text_content()
    shot(page, "policy-problems-he")


def test_worklist_and_customer_page_on_a_phone(phone):
    engine = make_engine(make_world())
    login(phone, "collector@a.test")
    phone.goto(phone.base + "/worklist/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    shot(phone, "worklist-phone-he")
    phone.goto(phone.base + f"/customers/{engine.world.c1.id}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    shot(phone, "customer-case-phone-he")

"""Who to chase first and a call that says why, in a real browser (issue 17): from the worklist's
button to the ordered list and one group, in Hebrew and in English; a call logged on the worklist's
card with "why they have not paid" records the case's reason.

The data is the engine's world of ``tests/web/conftest.py`` (today 2026-03-15)."""

from __future__ import annotations

import re

import pytest

from gvia.store.models import Case

from ..conftest import make_engine, make_world
from .test_flows import html_attrs, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chase_first_and_its_groups_in_both_languages(page):
    engine = make_engine(make_world())
    login(page, "collector@a.test")
    page.goto(page.base + "/worklist/")
    assert html_attrs(page) == ("rtl", "he")
    page.click("[data-testid=chase-first]")
    page.wait_for_url(re.compile(r"show=chase_first"))
    rows = page.locator("[data-testid=chase-row]")
    assert rows.count() >= 1
    assert "ימי איחור:" in rows.first.text_content()
    assert engine.world.c1.name in page.text_content("main") or engine.world.c2.name in page.text_content("main")
    page.click("[data-testid=group-quick_win]")
    page.wait_for_url(re.compile(r"group=quick_win"))
    assert page.locator("a[aria-current=page][data-testid=group-quick_win]").count() == 1


def test_chase_first_in_english(page):
    make_engine(make_world())
    login(page, "viewer@a.test")                       # the viewer reads English
    page.goto(page.base + "/worklist/")
    page.click("[data-testid=chase-first]")
    page.wait_for_url(re.compile(r"show=chase_first"))
    assert html_attrs(page) == ("ltr", "en")
    text = page.text_content("main")
    assert "Who to chase first" in text and "days overdue:" in text and "ימי איחור" not in text


def test_a_call_on_the_worklist_says_why_they_have_not_paid(page):
    engine = make_engine(make_world())
    login(page, "collector@a.test")
    page.goto(page.base + "/worklist/")
    card = page.locator(f"#call-{engine.call.id}")
    card.locator("[data-testid=outcome-call-back]").click()
    card.locator("input[name=call_back_at]").fill("2026-03-17T10:00")
    card.locator("[data-testid=call-nonpayment]").nth(2).select_option("cash_flow")
    card.locator("text=שמירת מועד החזרה").click()
    page.locator("[data-testid=call-done]").wait_for()
    case = Case.objects.get(customer_id=engine.world.c1.id)
    assert (case.nonpayment_reason, case.nonpayment_source) == ("cash_flow", "call")

"""Issue 13 in a real browser, in Hebrew and in English: a group of messages approved at once after
one of its previews (refused before it, the counts changing in place), and the customer page on a
375x667 phone keeping the open amount and the case's status in view while the page scrolls.

The data is the engine's world of ``tests/web/conftest.py``: C002's warning letter waits for an
owner's approval, by registered mail and by e-mail (one group: same stage, same document)."""

from __future__ import annotations

import re

import pytest

from gvia.store.models import Membership, OutboxMessage

from ..conftest import make_engine, make_world
from .conftest import WAIT_MS
from .test_flows import html_attrs, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "he": {"refused": "יש לפתוח תצוגה מקדימה אחת של הקבוצה", "done": "אושרו: 2", "none": "ממתינות לאישור: 0",
           "open": "יתרה פתוחה", "status": "גבייה"},
    "en": {"refused": "Open one preview of this group", "done": "Approved: 2", "none": "Awaiting approval: 0",
           "open": "Open balance", "status": "Collection"},
}


def _as(lang: str, email: str, world) -> None:
    Membership.objects.filter(user__email=email, organization=world.org_a).update(language=lang)


@pytest.mark.parametrize("lang", ["he", "en"])
def test_approve_a_group_after_one_preview(page, lang):
    engine = make_engine(make_world())
    _as(lang, "owner@a.test", engine.world)
    w = WORDS[lang]
    login(page, "owner@a.test")
    page.goto(page.base + "/approvals/")
    assert html_attrs(page) == (("rtl", "he") if lang == "he" else ("ltr", "en"))
    group = page.locator("[data-testid=approval-group]")
    assert group.locator("[data-testid=approval-row]").count() == 2
    group.locator("[data-testid=approve-group]").click()          # before any preview: refused in place
    page.locator("#approval-groups .message-error").wait_for()
    assert w["refused"] in page.text_content("#approval-groups")
    assert OutboxMessage.objects.filter(status="awaiting_approval").count() == 2
    page.locator("[data-testid=preview]").first.click()
    page.wait_for_url(re.compile(r"/approvals/preview/\d+/$"))
    page.goto(page.base + "/approvals/")
    page.locator("[data-testid=approve-group]").click()
    page.locator("#approval-groups .message-success").wait_for()   # swapped in place by htmx
    assert "/approvals/" in page.url
    text = page.text_content("#approval-groups")
    assert w["done"] in text and w["none"] in text
    assert OutboxMessage.objects.filter(status="awaiting_approval").count() == 0


@pytest.mark.parametrize("lang", ["he", "en"])
def test_the_customer_page_on_a_375x667_phone(browser, live_server, lang):
    engine = make_engine(make_world())
    _as(lang, "collector@a.test", engine.world)
    context = browser.new_context(viewport={"width": 375, "height": 667}, locale="he-IL" if lang == "he" else "en-GB",
                                  is_mobile=True, has_touch=True)
    context.set_default_timeout(WAIT_MS)
    phone = context.new_page()
    phone.base = live_server.url
    try:
        login(phone, "collector@a.test")
        phone.goto(phone.base + f"/customers/{engine.world.c1.id}/")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375 + 1
        phone.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        phone.wait_for_timeout(200)
        summary = phone.locator("[data-testid=customer-summary]")
        box = summary.bounding_box()
        assert box is not None and -1 <= box["y"] <= 5 and box["height"] < 667 / 2, box   # stuck at the top
        text = summary.text_content()
        assert w(lang, "open") in text and w(lang, "status") in text and "₪" in text
        phone.locator("[data-testid=customer-summary] a[href='#timeline']").click()
        phone.wait_for_timeout(200)
        assert phone.locator("#timeline").bounding_box()["y"] < 667
    finally:
        context.close()


def w(lang: str, key: str) -> str:
    return WORDS[lang][key]

"""The outbox's message page in a browser: its facts and buttons come at once, and the e-mail as the
customer will receive it fills in as soon as it is composed (the panel the page loads from
``/outbox/<id>/received/``) — in the reader's language, with the attachment opening the PDF."""

from __future__ import annotations

import pytest

from gvia.core.errors import Worded
from gvia.core.message_log import added
from gvia.services.clock import org_today
from gvia.services.sending.compose import compose_message
from gvia.store.models import OutboxMessage

from ..conftest import NOW, make_engine, make_world
from .conftest import shot
from .test_flows import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect


def test_the_message_page_fills_in_the_email_as_composed(page):
    world = make_world()
    msg = make_engine(world).email
    email = compose_message(msg, msg.organization, org_today(msg.organization), files=False).email
    login(page, "owner@a.test")
    page.goto(page.base + f"/outbox/{msg.id}/")
    expect(page.get_by_test_id("email-subject")).to_have_text(email.subject)
    expect(page.get_by_test_id("received-later")).to_have_count(0)      # the placeholder is replaced
    assert page.get_by_test_id("email-text").inner_text().strip() == email.text.strip()
    for a in email.attachments:
        expect(page.get_by_role("link", name=a.filename)).to_have_attribute("href", f"/outbox/{msg.id}/pdf/")


def test_what_became_of_a_message_reads_in_hebrew_right_to_left(page):
    """The page's log: each entry in the reader's Hebrew, the mail server's own words kept as written
    (and left to right) inside the right-to-left sentence."""
    world = make_world()
    msg = make_engine(world).email
    reply = "550 5.1.1 <ap@beta.example>: no such user"
    OutboxMessage.objects.filter(id=msg.id).update(status="failed", attempts=1, log=added(
        [], NOW, Worded(f"attempt 1: {reply}", "outbox_attempt_failed", attempt=1, reply=reply)))
    login(page, "owner@a.test")
    page.goto(page.base + f"/outbox/{msg.id}/")
    log = page.get_by_test_id("message-log")
    expect(log.locator("li")).to_have_count(1)
    text = log.inner_text()
    assert "ניסיון 1 נכשל:" in text and reply in text.replace("\u2068", "").replace("\u2069", "")
    assert log.evaluate("e => getComputedStyle(e).direction") == "rtl"
    # right to left: the entry's time, its first word, stands at the right edge of its line
    edges = log.locator("li").evaluate("e => [e.getBoundingClientRect().right, "
                                       "e.querySelector('time').getBoundingClientRect().right]")
    assert abs(edges[0] - edges[1]) < 1, edges
    shot(page, "message-log-he")

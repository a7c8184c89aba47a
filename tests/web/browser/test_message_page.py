"""The outbox's message page in a browser: its facts and buttons come at once, and the e-mail as the
customer will receive it fills in as soon as it is composed (the panel the page loads from
``/outbox/<id>/received/``) — in the reader's language, with the attachment opening the PDF."""

from __future__ import annotations

import pytest

from gvia.services.clock import org_today
from gvia.services.sending.compose import compose_message

from ..conftest import make_engine, make_world
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

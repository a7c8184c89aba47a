"""Every page works under the Content-Security-Policy (issue 14, finding 8): the owner opens each
main page in chromium and not one script, style, font or image is refused by the policy, htmx
included (a search that reloads the results as one types)."""

from __future__ import annotations

import re

import pytest

from ..conftest import make_engine, make_world
from .test_flows import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect


def test_no_page_breaks_the_content_security_policy(page):
    world = make_world()
    engine = make_engine(world)
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                         "console.error('Content Security Policy violation: ' "
                         "+ e.violatedDirective + ' ' + e.blockedURI))")
    login(page, "owner@a.test")
    header = page.request.get(page.base + "/").headers.get("content-security-policy", "")
    assert "script-src 'self'" in header and "unsafe-inline" not in header.split("style-src")[0]
    paths = ["/", "/customers/", f"/customers/{world.c1.id}/", f"/customers/{world.c1.id}/statement/",
             f"/invoices/{world.inv_1001.id}/", "/worklist/", "/outbox/", f"/outbox/{engine.email.id}/",
             "/policy/", "/imports/", "/settings/", "/settings/users/", "/settings/sending/",
             "/settings/calendar/", "/settings/mail/", "/settings/interest/", "/settings/mailbox/",
             "/account/two-factor/", "/password/change/"]
    for path in paths:
        response = page.goto(page.base + path)
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
    page.goto(page.base + "/customers/")
    page.fill("#q", "אלון")                    # htmx at work under the policy
    expect(page.locator("table.customers tbody tr")).to_have_count(1)
    page.goto(page.base + "/login/")
    assert re.search(r"/(login/)?$", page.url)
    assert violations == []

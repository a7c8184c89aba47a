"""No such page and a server error answer in the reader's language (issue 13): Django's own pages
say "The requested resource was not found on this server." on a Hebrew page."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_no_such_page_in_the_members_language(as_collector, world):
    r = as_collector.get("/no-such-page/")
    page = r.content.decode()
    assert r.status_code == 404
    assert "אין דף כזה" in page and "<title>אין דף כזה · gvia</title>" in page
    assert "requested resource" not in page


def test_an_object_of_nobody_is_a_page_of_gvia_too(as_collector, world):
    r = as_collector.get("/customers/999999/")
    assert r.status_code == 404 and "אין דף כזה" in r.content.decode()


def test_signed_out_the_browsers_language(world):
    r = Client().get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert r.status_code == 404 and "No such page" in r.content.decode()
    r = Client().get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="he-IL")
    assert r.status_code == 404 and "אין דף כזה" in r.content.decode()


def test_a_server_error_says_nothing_changed(world, settings):
    from django.urls import get_resolver

    from gvia.web.views.errors import server_error

    assert get_resolver().resolve_error_handler(500) is server_error
    request = Client().get("/login/").wsgi_request
    r = server_error(request)
    assert r.status_code == 500 and "משהו השתבש" in r.content.decode()


def test_the_customer_page_is_titled_with_the_customers_name(as_collector, world):
    page = as_collector.get(f"/customers/{world.c1.id}/").content.decode()
    assert '<title>אלון שיווק בע&quot;מ · gvia</title>' in page


def test_refusals_on_forms_the_page_shows_unposted_are_pages_not_server_errors(as_owner, world, settings):
    """Found by the language walk's empty forms: cancelling a plan and approving a settlement
    with an empty form crashed (a refusal put on a form that was never posted), and so did a
    case file with a damaged stored PDF; a form sent without its section was an empty page."""
    from .test_sealed import objects_of

    objs = objects_of(world.org_a, world.c1, world.inv_1001, world.owner, "alpha-note", "alpha.pdf",
                      "Alpha subject", settings)
    c = world.c1.id
    for url in (f"/customers/{c}/plan/{objs['plan'].id}/cancel/",
                f"/customers/{c}/settlement/{objs['settlement'].id}/approve/"):
        r = as_owner.post(url, {})
        assert r.status_code == 400, url
        assert "<title>" in r.content.decode() and "אלון שיווק" in r.content.decode()
    r = as_owner.post(f"/customers/{c}/casefile/", {})
    assert r.status_code in (200, 302), r.status_code        # the damaged upload has a page of its own
    for url in ("/settings/", f"/settings/users/{objs['membership'].id}/role/"):
        r = as_owner.post(url, {})
        assert r.status_code == 400 and "הטופס לא נשלח במלואו" in r.content.decode(), url

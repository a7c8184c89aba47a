"""Links to a customer's page (issue 16): signed, expiring, revocable, one customer's page only
(gvia.services.portal.links)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from gvia.core.errors import NotFound, Refused, RefusedFor
from gvia.services import settings
from gvia.services.context import resolve as resolve_ctx
from gvia.services.org.organizations import init_organization
from gvia.services.portal import links
from gvia.store.models import Activity, AuditRecord, Customer, PortalLink

TODAY = date(2026, 3, 15)


@pytest.fixture
def two(ctx):
    """Two organizations, each with two customers."""
    init_organization("Other Ltd", country="GB", admin_email="owner@other.co.uk", admin_password="Gvia-test-2026!")
    other = resolve_ctx("other-ltd", "owner@other.co.uk")
    mk = Customer.objects.create
    return {
        "ctx": ctx, "other": other,
        "a1": mk(organization=ctx.org, ref="A1", name="אלפא בע\"מ", language="he"),
        "a2": mk(organization=ctx.org, ref="A2", name="Beta Ltd", language="en"),
        "b1": mk(organization=other.org, ref="A1", name="Other's customer", language="en"),
    }


def _refused(token: str, today: date = TODAY) -> RefusedFor:
    with pytest.raises(RefusedFor) as e:
        links.resolve(token, today=today)
    return e.value


def test_a_link_opens_its_customers_page_only_and_is_an_absolute_url_from_public_url(two):
    org = two["ctx"].org
    issued = links.issue_link(org, two["a1"], today=TODAY)
    assert issued.url == f"http://127.0.0.1:8000/p/{issued.token}/"
    assert links.resolve(issued.token, today=TODAY) == (org, two["a1"])
    assert issued.expires_on == TODAY + timedelta(days=90)          # portal_link_days' default
    other = links.issue_link(two["other"].org, two["b1"], today=TODAY)
    assert links.resolve(other.token, today=TODAY) == (two["other"].org, two["b1"])
    assert issued.token != other.token and len(issued.link.token_id) >= 22 and len(issued.token) == 45


def test_public_url_comes_from_the_setting_else_the_environment(two, monkeypatch):
    org = two["ctx"].org
    monkeypatch.setenv("GVIA_PUBLIC_URL", "https://pay.example.com/")
    assert links.issue_link(org, two["a1"], today=TODAY).url.startswith("https://pay.example.com/p/")
    settings.set_setting(two["ctx"], "public_url", "https://gvia.gilboa.co.il/collect/")
    assert links.issue_link(org, two["a1"], today=TODAY).url.startswith("https://gvia.gilboa.co.il/collect/p/")
    with pytest.raises(Exception) as e:
        settings.set_setting(two["ctx"], "public_url", "javascript:alert(1)")
    assert e.value.problems[0].code == "setting_public_url"


def test_days_the_setting_and_a_letters_sixty_days(two):
    org = two["ctx"].org
    assert links.issue_link(org, two["a1"], today=TODAY, days=10).expires_on == date(2026, 3, 25)
    settings.set_setting(two["ctx"], "portal_link_days", "30")
    assert links.issue_link(org, two["a1"], today=TODAY).expires_on == date(2026, 4, 14)
    # a letter dated today lives at least 60 days even when the setting says 30
    letter = links.issue_link(org, two["a1"], today=TODAY, min_until=links.letter_min_until(TODAY),
                              issued_by="letter", issued_ref="7")
    assert letter.expires_on == date(2026, 5, 14)
    assert links.resolve(letter.token, today=date(2026, 5, 14)) == (org, two["a1"])
    assert _refused(letter.token, date(2026, 5, 15)).code == "portal_link_expired"


def test_an_expired_link_is_refused_with_the_customers_language(two):
    issued = links.issue_link(two["ctx"].org, two["a2"], today=TODAY, days=5)
    assert links.resolve(issued.token, today=date(2026, 3, 20))
    exc = _refused(issued.token, date(2026, 3, 21))
    assert exc.code == "portal_link_expired"
    assert exc.params["language"] == "en" and exc.params["expired_on"] == date(2026, 3, 20)
    assert exc.params["organization"] == "Gilboa Office Supplies"


def test_revoke_all_closes_every_link_of_that_customer_only(two):
    org = two["ctx"].org
    first = links.issue_link(org, two["a1"], today=TODAY)
    second = links.issue_link(org, two["a1"], today=TODAY, issued_by="message", issued_ref="12")
    kept = links.issue_link(org, two["a2"], today=TODAY)
    assert links.revoke_all(org, two["a1"]) == 2
    for issued in (first, second):
        exc = _refused(issued.token)
        assert exc.code == "portal_link_revoked" and exc.params["language"] == "he"
    assert links.resolve(kept.token, today=TODAY) == (org, two["a2"])
    assert links.revoke_all(org, two["a1"]) == 0                      # nothing left open
    # a new link after revoking opens again
    assert links.resolve(links.issue_link(org, two["a1"], today=TODAY).token, today=TODAY)[1] == two["a1"]


def test_tampered_forged_and_unknown_tokens_are_refused_alike(two, settings):
    issued = links.issue_link(two["ctx"].org, two["a1"], today=TODAY)
    token_id, sig = issued.token.split(".")
    other = links.issue_link(two["ctx"].org, two["a2"], today=TODAY)
    def flip(text: str) -> str:                                          # its last character changed
        return text[:-1] + ("A" if text[-1] != "A" else "B")

    for token in ("", "x", token_id, f"{token_id}.", f"{token_id}.{flip(sig)}", f"{flip(token_id)}.{sig}",
                  f"{other.link.token_id}.{sig}",                       # another customer's id with this signature
                  f"{token_id}.{links.signature(token_id, secret='not-the-servers-secret')}",
                  issued.token + "/../1", "../" + issued.token):
        assert _refused(token).code == "portal_link_unknown", token
    # a well-signed id that was never issued (a deleted row) is unknown too
    forged = "never-issued." + links.signature("never-issued")
    assert _refused(forged).code == "portal_link_unknown"
    assert "language" not in _refused(forged).params                   # nothing said about anyone


def test_one_organizations_link_never_reaches_another_organizations_customer(two):
    org_a, org_b = two["ctx"].org, two["other"].org
    with pytest.raises(NotFound):
        links.issue_link(org_a, two["b1"], today=TODAY)                 # org A, org B's customer
    with pytest.raises(NotFound):
        links.revoke_all(org_a, two["b1"])
    # a row pointing org A's link at org B's customer (damaged data) opens nothing
    bad = links.issue_link(org_a, two["a1"], today=TODAY)
    PortalLink.objects.filter(id=bad.link.id).update(customer=two["b1"])
    assert _refused(bad.token).code == "portal_link_unknown"
    # same customer reference in both organizations: each link opens its own
    a = links.issue_link(org_a, two["a1"], today=TODAY)
    b = links.issue_link(org_b, two["b1"], today=TODAY)
    assert links.resolve(a.token, today=TODAY)[1].name == "אלפא בע\"מ"
    assert links.resolve(b.token, today=TODAY)[1].name == "Other's customer"


def test_a_message_composed_twice_carries_one_link(two):
    org = two["ctx"].org
    one = links.issue_link(org, two["a1"], today=TODAY, issued_by="message", issued_ref="41")
    again = links.issue_link(org, two["a1"], today=TODAY, issued_by="message", issued_ref="41")
    assert again.token == one.token and again.url == one.url
    assert links.issue_link(org, two["a1"], today=TODAY, issued_by="message", issued_ref="42").token != one.token
    links.revoke_all(org, two["a1"])
    assert links.issue_link(org, two["a1"], today=TODAY, issued_by="message", issued_ref="41").token != one.token


def test_opening_the_page_is_on_the_timeline_once_a_day_per_link(two):
    org = two["ctx"].org
    issued = links.issue_link(org, two["a1"], today=TODAY)
    at = datetime(2026, 3, 15, 10, tzinfo=timezone.utc)
    link = links.resolve_link(issued.token, today=TODAY)
    assert links.record_opened(link, today=TODAY, at=at) is True
    assert links.record_opened(links.resolve_link(issued.token, today=TODAY), today=TODAY, at=at) is False
    assert links.record_opened(link, today=TODAY + timedelta(days=1), at=at) is True
    opened = Activity.objects.filter(customer=two["a1"], kind="portal")
    assert opened.count() == 2
    assert opened.first().data["event"] == "portal.opened" and opened.first().data["link"] == link.id


def test_a_person_issues_and_revokes_by_reference_audited_and_a_viewer_may_not(two):
    ctx = two["ctx"]
    issued = links.link_for_customer(ctx, "A1", today=TODAY, days=7)
    assert issued.link.issued_by == "person" and issued.link.issued_ref == "owner@gilboa.co.il"
    assert links.revoke_for_customer(ctx, "A1") == 1
    assert list(AuditRecord.objects.filter(organization=ctx.org, action__startswith="portal.")
                .values_list("action", flat=True).order_by("id")) == ["portal.link", "portal.revoke"]
    with pytest.raises(NotFound):
        links.link_for_customer(ctx, "NOPE", today=TODAY)
    viewer = type(ctx)(ctx.org, ctx.user, "viewer")
    with pytest.raises(Refused):
        links.link_for_customer(viewer, "A1", today=TODAY)

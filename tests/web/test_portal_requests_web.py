"""A person decides on the web what a customer asked for on their page (issue 16): the pending
request on the customer page and in the worklist, in Hebrew and English; approving a proposed
contact adds it and queues the two confirmations; approving a plan beyond the limits is an
owner's; the timeline words the customer's answer and its reason."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from gvia.services.portal import actions
from gvia.store.models import Contact, OutboxMessage, PaymentPlan
from gvia.store.models_portal_requests import PortalRequest

from .conftest import NOW, TODAY

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = re.sub(r"[\u2066-\u2069]", "", response.content.decode())      # the values' bidi isolation
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _lang(client, lang: str) -> None:
    client.post("/language/", {"language": lang, "next": "/"})


def test_a_proposed_contact_is_shown_and_approved_in_hebrew(as_collector, world):
    v = actions.Visitor(world.org_a, world.c1, link_id=5)
    req = actions.propose_contact(v, "Noa", "noa@alon.example", now=NOW)
    page = as_collector.get(f"/customers/{world.c1.id}/")
    text = text_of(page)
    assert "איש קשר חדש לחיובים: noa@alon.example" in text
    assert "לא יישלח לשם דבר עד שתאשרו" in text
    work = text_of(as_collector.get("/worklist/"))
    assert "בקשות מדף הלקוח" in work and "noa@alon.example" in work

    r = as_collector.post(f"/customers/{world.c1.id}/requests/{req.id}/approve/")
    assert r.status_code == 302
    assert Contact.objects.get(email="noa@alon.example").is_billing
    assert sorted(m.to_addrs[0] for m in OutboxMessage.objects.filter(document="portal_contact_changed")) == [
        "dana@alon.example", "noa@alon.example"]
    after = text_of(as_collector.get(f"/customers/{world.c1.id}/"))
    assert "בקשת הלקוח אושרה." in after
    assert "איש הקשר החדש לחיובים אושר" in after           # on the timeline


def test_a_plan_beyond_the_limits_is_the_owners_and_the_answer_is_worded_in_english(client, world):
    v = actions.Visitor(world.org_a, world.c1, link_id=5)
    told = actions.tell(v, "waiting_allocation_number", "We need the allocation number first", now=NOW)
    req = actions.ask_plan(v, 12, TODAY + timedelta(days=7), now=NOW)          # 1200 in 12: beyond 6 months
    assert req.waits_for == ["plan_beyond_limits"]
    client.force_login(world.collector)
    _lang(client, "en")
    page = text_of(client.get(f"/customers/{world.c1.id}/"))
    assert "Answered on their page: Waiting for an allocation number — We need the allocation number first" in page
    assert "beyond the plan limits: an owner decides" in page
    r = client.post(f"/customers/{world.c1.id}/requests/{req.id}/approve/", follow=True)
    assert "This plan goes beyond the plan limits: an owner decides it" in text_of(r)
    assert PortalRequest.objects.get(id=req.id).status == "pending" and not PaymentPlan.objects.exists()
    client.force_login(world.owner)
    client.post(f"/customers/{world.c1.id}/requests/{req.id}/approve/")
    assert PaymentPlan.objects.get(customer=world.c1).installments_count == 12
    assert told.status == "done"


def test_another_organizations_request_is_not_found(as_owner, world):
    b = actions.Visitor(world.org_b, world.s1, link_id=9)
    req = actions.propose_contact(b, "Spy", "spy@b.example", now=NOW)
    assert as_owner.post(f"/customers/{world.c1.id}/requests/{req.id}/approve/").status_code == 404
    assert as_owner.post(f"/customers/{world.s1.id}/requests/{req.id}/approve/").status_code == 404
    assert PortalRequest.objects.get(id=req.id).status == "pending"


def test_an_answer_from_the_page_is_a_reply_to_read_with_its_reason(as_collector, world):
    actions.tell(actions.Visitor(world.org_a, world.c1, link_id=5), "forgot", "", now=NOW)
    work = as_collector.get("/worklist/")
    [row] = work.context["work"]["replies"].rows
    assert (row.customer_ref, row.reason, row.text) == ("C001", "forgot", "")
    assert 'data-testid="reply-reason">שכחו<' in work.content.decode()

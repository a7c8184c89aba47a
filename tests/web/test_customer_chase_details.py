"""The customer's details form also says how the customer is chased (issue 13: edit a customer
from the web): "do not chase" with its reason, and the ladder assigned to them
(:func:`gvia.services.engine.policies.assign`); changed through the one service
(:func:`gvia.services.ledger.customers.update_customer`), audited, refused for a viewer."""

from __future__ import annotations

import pytest

from gvia.store.models import AuditRecord, Customer

from .test_customer_details import details_post

pytestmark = pytest.mark.django_db


def _second_ladder(world) -> str:
    from gvia.policies import default_policy_text
    from gvia.services.context import Ctx
    from gvia.services.engine import policies

    policies.save_policy(Ctx(world.org_a, world.owner, "owner"), default_policy_text("IL"), "test", name="gentle",
                         make_default=False)
    return "gentle"


def test_do_not_chase_and_the_ladder_from_the_details_form(as_collector, world):
    name = _second_ladder(world)
    page = as_collector.get(f"/customers/{world.c1.id}/actions/details/").content.decode()
    assert 'name="do_not_chase"' in page and f'value="{name}"' in page and "ברירת המחדל של הארגון" in page
    r = as_collector.post(f"/customers/{world.c1.id}/details/", details_post(
        do_not_chase="on", do_not_chase_reason="  בהליך   הסדר נושים ", policy=name))
    assert r.status_code == 302
    c = Customer.objects.select_related("policy").get(id=world.c1.id)
    assert (c.do_not_chase, c.do_not_chase_reason, c.policy.name) == (True, "בהליך הסדר נושים", name)
    changes = AuditRecord.objects.get(action="customer.updated").details["changes"]
    assert changes["do_not_chase"] == [False, True] and changes["policy"] == ["", name]
    assert AuditRecord.objects.filter(action="policy.assigned").count() == 1
    page = as_collector.get(f"/customers/{world.c1.id}/").content.decode()
    assert "בהליך הסדר נושים" in page
    # off again: the reason goes with it, and back to the default ladder
    r = as_collector.post(f"/customers/{world.c1.id}/details/", details_post(do_not_chase_reason="x", policy=""))
    assert r.status_code == 302
    c = Customer.objects.get(id=world.c1.id)
    assert (c.do_not_chase, c.do_not_chase_reason, c.policy_id) == (False, "", None)


def test_a_ladder_the_organization_does_not_have_is_refused(as_collector, world):
    r = as_collector.post(f"/customers/{world.c1.id}/details/", details_post(policy="no-such-ladder"))
    assert r.status_code == 400 and r.context["actions"]["details"].errors.get("policy")
    assert Customer.objects.get(id=world.c1.id).policy_id is None


def test_a_viewer_cannot_stop_the_chase(as_viewer, world):
    r = as_viewer.post(f"/customers/{world.c1.id}/details/", details_post(do_not_chase="on"))
    assert r.status_code == 403
    assert not Customer.objects.get(id=world.c1.id).do_not_chase

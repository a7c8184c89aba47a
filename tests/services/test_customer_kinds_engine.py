"""What the engine makes of each customer kind (issue 12): sole traders are individuals for the
UK Pre-Action Protocol (the individuals' ladder, like consumers) and in business for statutory
late-payment interest (like companies and public bodies; a consumer is not)."""

from __future__ import annotations

from datetime import date

import pytest

from gvia.services.context import Ctx
from gvia.services.engine import policies
from gvia.services.ledger import books as ledger
from gvia.services.legal.interest import late_debts
from gvia.services.org.organizations import init_organization
from gvia.store import engine_store
from gvia.store.models import Customer, Invoice

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)
KINDS = ("business", "sole_trader", "consumer", "public_body")


@pytest.fixture
def uk(db):
    org = init_organization("Harbour Joinery Ltd", country="GB", admin_email="owner@harbour.test",
                            admin_password="Gvia-test-2026!")
    ctx = Ctx(org, None, "owner")
    for i, kind in enumerate(KINDS):
        c = Customer.objects.create(organization=org, ref=f"C{i}", name=kind, kind=kind, language="en")
        Invoice.objects.create(organization=org, customer=c, number=f"HJ-{i}", issue_date=date(2026, 8, 1),
                               due_date=date(2026, 8, 31), amount_minor=100000, currency="GBP", open_minor=100000)
    ledger.recompute(ctx, list(Customer.objects.filter(organization=org).values_list("id", flat=True)))
    return ctx


def test_sole_traders_get_the_pre_action_protocol_ladder_like_consumers(uk):
    ladder = {c.kind: policies.policy_for_customer(uk, c)[0].policy.name
              for c in Customer.objects.filter(organization=uk.org)}
    assert ladder["sole_trader"] == ladder["consumer"] == policies.CONSUMER_NAME
    assert ladder["business"] == ladder["public_body"] != policies.CONSUMER_NAME
    snapshots = engine_store.load_snapshots(uk.org.id, TODAY)
    individuals = {Customer.objects.get(id=cid).kind for cid in snapshots.consumer}
    assert individuals == {"sole_trader", "consumer"}


def test_sole_traders_and_public_bodies_owe_commercial_interest_consumers_do_not(uk):
    in_business = {c.kind: all(d.business_customer for d in late_debts(c, TODAY))
                   for c in Customer.objects.filter(organization=uk.org)}
    assert in_business == {"business": True, "sole_trader": True, "consumer": False, "public_body": True}

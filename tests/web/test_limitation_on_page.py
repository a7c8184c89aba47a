"""The customer page says until when the earliest open invoice can be claimed in court, and from
what the period was counted (issue 12: limitation shown everywhere)."""

from __future__ import annotations

from datetime import date

import pytest

from gvia.store.models import Invoice, Payment
from gvia.web import display

pytestmark = pytest.mark.django_db


def test_the_customer_page_shows_the_limitation_date(as_owner, engine):
    # the world: INV-1001 due 31 Jan 2026, paid in part on 10 Feb 2026 (the payment named no invoice:
    # the ledger gave it to the oldest due, INV-1001); Israel: 7 years from that part payment
    c1 = engine.world.c1
    r = as_owner.get(f"/customers/{c1.id}/")
    assert r.status_code == 200
    lim = r.context["case"].limitation
    assert (lim.invoice_number, lim.why, lim.counted_from, lim.end, lim.state) == \
        ("INV-1001", "part_payment", date(2026, 2, 10), date(2033, 2, 10), "running")
    html = r.content.decode()
    part = html.split('data-testid="limitation"')[1].split("</p>")[0]
    assert "התיישנות" in part and display.date_text(date(2033, 2, 10)) in part and "תשלום חלקי" in part
    assert display.date_text(date(2026, 2, 10)) in part


def test_without_a_part_payment_the_page_counts_from_the_due_date(as_owner, engine):
    from gvia.services.context import Ctx
    from gvia.services.ledger import books as ledger

    world = engine.world
    Payment.objects.filter(customer=world.c1).delete()
    ledger.recompute(Ctx(world.org_a, world.owner, "owner"), [world.c1.id])
    lim = as_owner.get(f"/customers/{world.c1.id}/").context["case"].limitation
    assert (lim.invoice_number, lim.why, lim.end) == ("INV-1001", "due", date(2033, 1, 31))
    assert Invoice.objects.get(customer=world.c1, number="INV-1001").due_date == date(2026, 1, 31)

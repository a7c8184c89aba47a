"""Israel's suppliers' payment law on the web (issue 15): the customer details form marks a large
business (and another organization's customer cannot be marked through it), and the worklist's
``suppliers_law`` section lists an invoice whose agreed day is later than the law's until the buyer
is marked large."""

from __future__ import annotations

import re
from datetime import date

import pytest

from gvia.store.models import Customer, Invoice

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_the_worklist_section_until_the_buyer_is_marked_large(as_owner, world):
    c = world.c3                      # גמא מוצרים, a business; INV-3001 issued 8 Feb, due 10 Mar
    Invoice.objects.filter(id=world.inv_3001.id).update(due_date=date(2026, 6, 30), open_minor=25000)
    page = as_owner.get("/worklist/?show=suppliers_law")
    assert page.status_code == 200
    text = _text(page.content.decode())
    assert "INV-3001" in text and "מועד החוק 14/04/2026" in text and "יש להחליט" in text
    card = as_owner.get(f"/customers/{c.id}/").content.decode()
    assert 'data-testid="suppliers-law-flag"' in card and "ממתין להחלטתכם" in card
    form = as_owner.get(f"/customers/{c.id}/actions/details/").content.decode()
    assert 'name="large_business"' in form and "עסק גדול" in form
    data = {"name": c.name, "kind": "business", "language": "he", "large_business": "on"}
    r = as_owner.post(f"/customers/{c.id}/details/", data)
    assert r.status_code in (200, 302), r.content.decode()[:500]
    assert Customer.objects.get(id=c.id).large_business is True
    after = _text(as_owner.get("/worklist/?show=suppliers_law").content.decode())
    assert "INV-3001" not in after
    assert 'data-testid="suppliers-law-flag"' not in as_owner.get(f"/customers/{c.id}/").content.decode()


def test_another_organization_s_customer_cannot_be_marked(as_owner, world):
    r = as_owner.post(f"/customers/{world.s1.id}/details/", {"name": "x", "kind": "business", "language": "he",
                                                             "large_business": "on"})
    assert r.status_code == 404
    assert Customer.objects.get(id=world.s1.id).large_business is False

"""The customer page edits the customer's details (issue 12): its kind (sole trader, public body
...), number, contact details, the agreement on file (claim_basis) and its address; they are
checked as an import checks them, audited, and shown on the page. The settings page edits the
organization's English name, address and signatory, and checks its phone number."""

from __future__ import annotations

import re

import pytest

from gvia.store.models import Address, AuditRecord, Customer

pytestmark = pytest.mark.django_db


def details_post(**changes) -> dict:
    data = {"name": 'אלון שיווק בע"מ', "kind": "business", "tax_id": "514000001", "email": "alon@example.co.il",
            "phone": "+972501234567", "language": "he", "claim_basis": "", "line1": "", "line2": "", "city": "",
            "postal_code": ""}
    data.update(changes)
    return data


def test_the_customer_page_changes_kind_claim_basis_and_address(as_collector, world):
    page = as_collector.get(f"/customers/{world.c1.id}/actions/details/").content.decode()
    assert 'name="claim_basis"' in page and 'value="sole_trader"' in page and 'value="public_body"' in page
    r = as_collector.post(f"/customers/{world.c1.id}/details/", details_post(
        kind="sole_trader", claim_basis="הסכם מסגרת חתום מיום 01/03/2024", line1="הרצל 10", city="חיפה",
        postal_code="3100000", phone="050-7654321"))
    assert r.status_code == 302
    c = Customer.objects.get(id=world.c1.id)
    assert (c.kind, c.claim_basis, c.phone) == ("sole_trader", "הסכם מסגרת חתום מיום 01/03/2024", "+972507654321")
    a = Address.objects.get(customer=c)
    assert (a.line1, a.city, a.postal_code) == ("הרצל 10", "חיפה", "3100000")
    rec = AuditRecord.objects.get(action="customer.updated")
    assert rec.details["changes"]["kind"] == ["business", "sole_trader"] and rec.actor == "collector@a.test"
    html = as_collector.get(f"/customers/{world.c1.id}/").content.decode()
    assert "עוסק (מורשה או פטור)" in html and "הסכם מסגרת חתום מיום 01/03/2024" in html
    # nothing changed: nothing recorded
    as_collector.post(f"/customers/{world.c1.id}/details/", details_post(
        kind="sole_trader", claim_basis="הסכם מסגרת חתום מיום 01/03/2024", line1="הרצל 10", city="חיפה",
        postal_code="3100000", phone="050-7654321"))
    assert AuditRecord.objects.filter(action="customer.updated").count() == 1


@pytest.mark.parametrize("field, value", [("tax_id", "123456789"), ("email", "not-an-email"),
                                          ("phone", "12"), ("kind", "alien"), ("name", " "),
                                          ("city", "חיפה")])   # an address without its first line
def test_bad_customer_details_are_refused_next_to_their_field(as_collector, world, field, value):
    r = as_collector.post(f"/customers/{world.c1.id}/details/", details_post(**{field: value}))
    assert r.status_code == 400
    form = r.context["actions"]["details"]
    errors = form.errors.get("line1" if field == "city" else field)
    assert errors, form.errors
    assert all(re.search("[\u0590-\u05ff]", e) for e in errors), errors     # worded in the reader's Hebrew
    assert Customer.objects.get(id=world.c1.id).kind == "business"
    assert not AuditRecord.objects.filter(action="customer.updated").exists()


def test_a_viewer_cannot_change_a_customer_nor_another_organization(as_viewer, world, client):
    assert as_viewer.post(f"/customers/{world.c1.id}/details/", details_post(kind="consumer")).status_code == 403
    assert Customer.objects.get(id=world.c1.id).kind == "business"


def test_the_settings_page_edits_the_english_details(as_owner, world):
    from .test_settings_and_account import org_post

    r = as_owner.post("/settings/", org_post(name_en="Gilboa Equipment Ltd", address_en="5 HaAlon St\nHaifa"))
    assert r.status_code == 302
    r = as_owner.post("/settings/", {"section": "letterhead", "lh-signatory_name": "רונית לוי",
                                     "lh-signatory_title": "מנהלת כספים", "lh-signatory_name_en": "Ronit Levi",
                                     "lh-signatory_title_en": "Finance Manager", "lh-accent_color": "#2a6f97"})
    assert r.status_code == 302
    world.org_a.refresh_from_db()
    assert (world.org_a.name_en, world.org_a.address_en, world.org_a.signatory_name_en,
            world.org_a.signatory_title_en) == ("Gilboa Equipment Ltd", "5 HaAlon St\nHaifa", "Ronit Levi",
                                                "Finance Manager")
    page = as_owner.get("/settings/").content.decode()
    assert "Gilboa Equipment Ltd" in page and "Ronit Levi" in page


def test_the_settings_page_refuses_a_phone_that_is_not_one(as_owner, world):
    from .test_settings_and_account import org_post

    r = as_owner.post("/settings/", org_post(phone="call me"))
    assert r.status_code == 400 and r.context["org_form"].errors["phone"]
    assert "אינו מספר טלפון" in r.content.decode() and "not a phone number" not in r.content.decode()

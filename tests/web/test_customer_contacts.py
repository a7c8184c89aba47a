"""A customer's contacts from the web (issue 13: edit a customer without the command line): add,
change and remove a contact, checked as an import checks it (one e-mail address, a phone in E.164
form), one primary contact at a time, audited; refused in words; a viewer and another customer's
contact refused."""

from __future__ import annotations

import pytest

from gvia.store.models import AuditRecord, Contact

pytestmark = pytest.mark.django_db


def _post(name="", role="", email="", phone="", **flags) -> dict:
    data = {"name": name, "role": role, "email": email, "phone": phone}
    data.update({k: "on" for k, v in flags.items() if v})
    return data


def test_add_change_and_remove_a_contact(as_collector, world):
    dana = Contact.objects.get(customer=world.c1)
    url = f"/customers/{world.c1.id}/contacts/"
    page = as_collector.get(url).content.decode()
    assert f'data-testid="contact-{dana.id}"' in page and "דנה כהן" in page
    assert f'href="{url}"' in as_collector.get(f"/customers/{world.c1.id}/").content.decode()
    r = as_collector.post(url, _post(name="יוסי לוי", role="מנכ\"ל", email="Yossi@Alon.Example", phone="03-7654321",
                                     is_primary=True, cc=True))
    assert r.status_code == 302
    yossi = Contact.objects.get(customer=world.c1, name="יוסי לוי")
    assert (yossi.email, yossi.phone, yossi.is_primary, yossi.cc) == ("Yossi@alon.example", "+97237654321", True,
                                                                      True)
    dana.refresh_from_db()
    assert not dana.is_primary                              # one primary contact at a time
    r = as_collector.post(f"{url}{dana.id}/", _post(name="דנה כהן-לוי", email="dana@alon.example", is_billing=True))
    assert r.status_code == 302
    dana.refresh_from_db()
    assert (dana.name, dana.is_billing, dana.phone) == ("דנה כהן-לוי", True, "")
    assert as_collector.post(f"{url}{yossi.id}/remove/").status_code == 302
    assert not Contact.objects.filter(id=yossi.id).exists()
    assert list(AuditRecord.objects.filter(action__startswith="contact.").order_by("id")
                .values_list("action", flat=True)) == ["contact.added", "contact.changed", "contact.removed"]


def test_a_refused_contact_says_why_in_hebrew_and_changes_nothing(as_collector, world):
    url = f"/customers/{world.c1.id}/contacts/"
    r = as_collector.post(url, _post(email="not-an-email"))
    assert r.status_code == 400 and "זו אינה כתובת דוא&quot;ל אחת" in r.content.decode()
    r = as_collector.post(url, _post(phone="12"))
    assert r.status_code == 400 and "זה אינו מספר טלפון" in r.content.decode()
    r = as_collector.post(url, _post(role="רק תפקיד"))
    assert r.status_code == 400 and "לאיש קשר נדרשים" in r.content.decode()
    assert Contact.objects.filter(customer=world.c1).count() == 1
    assert not AuditRecord.objects.filter(action__startswith="contact.").exists()


def test_a_viewer_and_another_customers_contact_are_refused(client, world):
    dana = Contact.objects.get(customer=world.c1)
    client.force_login(world.viewer)
    assert client.get(f"/customers/{world.c1.id}/contacts/").status_code == 403
    assert client.post(f"/customers/{world.c1.id}/contacts/{dana.id}/remove/").status_code == 403
    client.force_login(world.collector)
    assert client.post(f"/customers/{world.c2.id}/contacts/{dana.id}/", _post(name="x")).status_code == 404
    assert client.post(f"/customers/{world.c2.id}/contacts/{dana.id}/remove/").status_code == 404
    assert Contact.objects.get(id=dana.id).name == "דנה כהן"

"""Signing in, the current organization, roles, and one organization's data hidden from another."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from gvia.store.models import AuditRecord, Document, Membership, Organization

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


# --- signing in --------------------------------------------------------------------------------

def test_pages_need_a_signed_in_user(client, world):
    for url in ("/", "/customers/", f"/customers/{world.c1.id}/", "/imports/", "/settings/"):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/login/?next="), url


def test_log_in_with_the_email_in_any_case(client, world):
    r = client.post("/login/", {"username": "  Owner@A.TEST ", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/"
    assert client.get("/").status_code == 200


def test_wrong_password_is_refused_in_the_page_language(client, world):
    r = client.post("/login/", {"username": "owner@a.test", "password": "nope"})
    assert r.status_code == 200
    assert 'dir="rtl"' in r.content.decode()
    assert r.context["form"].errors


def test_login_page_labels_every_input(client, db):
    html = client.get("/login/").content.decode()
    for field in ("id_username", "id_password"):
        assert f'<label for="{field}">' in html


def test_log_out_is_a_post(as_owner):
    r = as_owner.post("/logout/")
    assert r.status_code == 302 and r["Location"] == "/login/"
    assert as_owner.get("/").status_code == 302


def test_a_user_without_an_organization_is_told_so(client, db):
    user = get_user_model().objects.create_user("lonely@x.test", "lonely@x.test", PASSWORD)
    client.force_login(user)
    r = client.get("/")
    assert r.status_code == 403
    assert "אינו שייך לאף ארגון" in r.content.decode()


# --- the current organization ------------------------------------------------------------------

def test_switch_between_own_organizations(client, world):
    client.force_login(world.multi)
    html = client.get("/").content.decode()
    assert 'id="org-select"' in html                        # several organizations: a switcher
    assert world.org_a.name in html and world.org_b.name in html
    r = client.post("/organization/switch/", {"org": world.org_b.id})
    assert r.status_code == 302
    assert client.get(f"/customers/{world.s1.id}/").status_code == 200
    assert client.get(f"/customers/{world.c1.id}/").status_code == 404
    client.post("/organization/switch/", {"org": world.org_a.id})
    assert client.get(f"/customers/{world.c1.id}/").status_code == 200


def test_cannot_switch_to_an_organization_one_does_not_belong_to(client, world):
    client.force_login(world.collector)
    assert client.post("/organization/switch/", {"org": world.org_b.id}).status_code == 404
    assert client.post("/organization/switch/", {"org": "x"}).status_code == 404
    assert client.get(f"/customers/{world.s1.id}/").status_code == 404


def test_a_forged_session_organization_falls_back_to_ones_own(client, world):
    client.force_login(world.collector)
    session = client.session
    session["gvia_org"] = world.org_b.id
    session.save()
    r = client.get("/customers/")
    assert r.status_code == 200
    names = [row.name for row in r.context["result"].rows]
    assert "Hidden Customer Ltd" not in names and "Beta Trading Ltd" in names
    assert client.session["gvia_org"] == world.org_a.id


# --- one organization never sees another's data ------------------------------------------------

def _b_document(world) -> Document:
    from gvia.services import files as documents
    from gvia.services.context import Ctx

    return documents.upload_document(Ctx(world.org_b, world.owner_b, "owner"), world.s1, "agreement",
                                     b"%PDF-1.4 secret", "secret.pdf")


def test_guessing_another_organizations_ids_gives_404(as_owner, world):
    doc = _b_document(world)
    for url in (f"/customers/{world.s1.id}/", f"/customers/{world.s1.id}/statement/",
                f"/customers/{world.s1.id}/statement/?format=csv", f"/invoices/{world.inv_9001.id}/",
                f"/documents/{doc.id}/", "/customers/999999/", "/invoices/999999/"):
        assert as_owner.get(url).status_code == 404, url
    r = as_owner.get("/customers/?q=Hidden")
    assert r.context["result"].total == 0


def test_cannot_post_changes_to_another_organizations_records(as_owner, world):
    before = Document.objects.count()
    r = as_owner.post(f"/customers/{world.s1.id}/documents/",
                      {"kind": "agreement", "file": SimpleUploadedFile("x.pdf", b"%PDF x")})
    assert r.status_code == 404
    assert Document.objects.count() == before
    b_member = Membership.objects.get(organization=world.org_b, user=world.owner_b)
    assert as_owner.post(f"/settings/users/{b_member.id}/role/", {"role": "viewer"}).status_code == 404
    assert as_owner.post(f"/settings/users/{b_member.id}/remove/").status_code == 404
    b_member.refresh_from_db()
    assert b_member.role == "owner"


def test_cannot_attach_another_organizations_invoice(as_owner, world):
    r = as_owner.post(f"/customers/{world.c1.id}/documents/",
                      {"kind": "agreement", "invoice": world.inv_9001.id, "file": SimpleUploadedFile("x.pdf", b"x")})
    assert r.status_code == 400      # not one of the choices
    assert Document.objects.filter(customer=world.c1).count() == 0


def test_another_organizations_import_token_is_unknown(client, world):
    client.force_login(world.multi)           # member of both
    session = client.session
    session["gvia_imports"] = {"tok": {"org": world.org_b.id, "path": "org-2/imports/x/y.csv", "name": "y.csv",
                                       "kind": "invoices", "preset": ""}}
    session["gvia_org"] = world.org_a.id
    session.save()
    assert client.get("/imports/tok/").status_code == 404


# --- roles -------------------------------------------------------------------------------------

def test_viewer_reads_but_cannot_change(as_viewer, world):
    assert as_viewer.get("/").status_code == 200
    assert as_viewer.get(f"/customers/{world.c1.id}/").status_code == 200
    r = as_viewer.post(f"/customers/{world.c1.id}/documents/",
                       {"kind": "agreement", "file": SimpleUploadedFile("a.pdf", b"%PDF")})
    assert r.status_code == 403
    assert Document.objects.count() == 0
    assert as_viewer.get("/imports/").status_code == 403
    assert as_viewer.get("/settings/").status_code == 403
    html = as_viewer.get(f"/customers/{world.c1.id}/").content.decode()
    assert "/documents/\"" not in html and 'enctype="multipart/form-data"' not in html   # no upload form


def test_collector_cannot_open_owner_pages(as_collector, world):
    for url in ("/settings/", "/settings/users/"):
        r = as_collector.get(url)
        assert r.status_code == 403
        assert "רק לבעלים" in r.content.decode()
    r = as_collector.post("/settings/users/invite/", {"invite-email": "x@y.test", "invite-role": "owner"})
    assert r.status_code == 403
    assert not get_user_model().objects.filter(email="x@y.test").exists()


def test_navigation_shows_only_what_the_role_may_open(as_viewer, world):
    html = as_viewer.get("/").content.decode()
    assert 'href="/customers/"' in html
    assert 'href="/imports/"' not in html and 'href="/settings/"' not in html


def test_every_change_is_audited_with_who(as_owner, world):
    as_owner.post("/language/", {"language": "en", "next": "/"})
    rec = AuditRecord.objects.filter(action="user.language_set").get()
    assert (rec.actor, rec.organization_id, rec.details) == ("owner@a.test", world.org_a.id, {"language": "en"})
    assert Organization.objects.count() == 2

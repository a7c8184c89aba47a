"""Settings (owner only), people and roles, passwords, and the language switch."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from gvia.store.models import AuditRecord, Membership

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def caught_mail() -> list:
    """The e-mails in the local mail catcher (where mail goes without an SMTP server)."""
    from email import message_from_bytes, policy

    from django.conf import settings

    return [message_from_bytes(p.read_bytes(), policy=policy.default)
            for p in sorted(settings.MAIL_CATCHER_DIR.glob("*.eml"))]


def org_post(**changes) -> dict:
    data = {"section": "organization", "org-name": "גלבוע ציוד בע\"מ", "org-tax_id": "514000002",
            "org-address": "האלון 5, חיפה", "org-phone": "04-1234567", "org-email": "office@gilboa.example",
            "org-bank_details": "לאומי 10-800-1234567", "org-payment_link": "https://pay.example/gilboa",
            "org-default_language": "he", "org-time_zone": "Asia/Jerusalem"}
    data.update({f"org-{k}": v for k, v in changes.items()})
    return data


def test_organization_details_are_saved_and_audited(as_owner, world):
    assert as_owner.get("/settings/").status_code == 200
    r = as_owner.post("/settings/", org_post())
    assert r.status_code == 302
    world.org_a.refresh_from_db()
    assert (world.org_a.name, world.org_a.tax_id, world.org_a.payment_link) == (
        'גלבוע ציוד בע"מ', "514000002", "https://pay.example/gilboa")
    rec = AuditRecord.objects.get(action="organization.updated")
    assert rec.actor == "owner@a.test"
    assert rec.details["changes"]["name"] == ["גלבוע ציוד", 'גלבוע ציוד בע"מ']
    # saving again changes nothing and records nothing
    as_owner.post("/settings/", org_post())
    assert AuditRecord.objects.filter(action="organization.updated").count() == 1


@pytest.mark.parametrize("field,value", [("email", "not-an-email"), ("time_zone", "Mars/Base"),
                                         ("default_language", "fr"), ("name", "  "),
                                         ("payment_link", "not a url")])
def test_bad_organization_details_are_refused(as_owner, world, field, value):
    r = as_owner.post("/settings/", org_post(**{field: value}))
    assert r.status_code == 400
    assert r.context["org_form"].errors[field]
    world.org_a.refresh_from_db()
    assert world.org_a.name == "גלבוע ציוד"


def test_letterhead_and_logo(as_owner, world):
    r = as_owner.post("/settings/", {"section": "letterhead", "lh-signatory_name": "רונית לוי",
                                     "lh-signatory_title": "מנהלת כספים", "lh-accent_color": "#2A6F97",
                                     "lh-logo": SimpleUploadedFile("logo.png", PNG, content_type="image/png")})
    assert r.status_code == 302
    world.org_a.refresh_from_db()
    assert (world.org_a.signatory_name, world.org_a.accent_color) == ("רונית לוי", "#2a6f97")
    assert world.org_a.logo_path.endswith(".png")
    logo = as_owner.get("/settings/logo/")
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    assert {a.action for a in AuditRecord.objects.all()} >= {"letterhead.updated", "organization.logo_set"}
    r = as_owner.post("/settings/", {"section": "letterhead", "lh-accent_color": "#2a6f97", "lh-remove_logo": "on",
                                     "lh-signatory_name": "רונית לוי", "lh-signatory_title": "מנהלת כספים"})
    world.org_a.refresh_from_db()
    assert world.org_a.logo_path == ""


def test_bad_logo_and_colour_are_refused(as_owner, world):
    r = as_owner.post("/settings/", {"section": "letterhead", "lh-accent_color": "red"})
    assert r.status_code == 400 and r.context["letter_form"].errors["accent_color"]
    r = as_owner.post("/settings/", {"section": "letterhead", "lh-accent_color": "#000000",
                                     "lh-logo": SimpleUploadedFile("x.png", b"GIF89a....")})
    assert r.status_code == 400
    world.org_a.refresh_from_db()
    assert world.org_a.logo_path == ""


def test_invite_a_collector_who_gets_a_password_email(as_owner, world):
    r = as_owner.post("/settings/users/invite/", {"invite-email": "New.Person@A.test", "invite-role": "collector"})
    assert r.status_code == 302
    m = Membership.objects.get(organization=world.org_a, user__email="new.person@a.test")
    assert m.role == "collector"
    [sent] = caught_mail()             # no SMTP server configured: the local mail catcher
    assert sent["To"] == "new.person@a.test"
    link = re.search(r"https?://[^/]+(/password/reset/\S+/)", sent.get_body(("plain",)).get_content()).group(1)
    # following the link, the new person chooses a password and signs in with it
    client = as_owner.__class__()
    r = client.get(link, follow=True)
    form_url = r.redirect_chain[-1][0]
    r = client.post(form_url, {"new_password1": "a-Much-better-pass-7", "new_password2": "a-Much-better-pass-7"})
    assert r.status_code == 302
    r = client.post("/login/", {"username": "new.person@a.test", "password": "a-Much-better-pass-7"})
    assert r.status_code == 302
    assert AuditRecord.objects.filter(action="member.added").exists()


def test_inviting_a_member_twice_is_refused(as_owner, world):
    r = as_owner.post("/settings/users/invite/", {"invite-email": "viewer@a.test", "invite-role": "owner"}, follow=True)
    assert "viewer@a.test כבר חבר ב־" in r.content.decode()
    assert Membership.objects.get(organization=world.org_a, user=world.viewer).role == "viewer"


def test_change_role_and_remove_and_keep_an_owner(as_owner, world):
    viewer = Membership.objects.get(organization=world.org_a, user=world.viewer)
    as_owner.post(f"/settings/users/{viewer.id}/role/", {"role": "collector"})
    viewer.refresh_from_db()
    assert viewer.role == "collector"
    me = Membership.objects.get(organization=world.org_a, user=world.owner)
    r = as_owner.post(f"/settings/users/{me.id}/role/", {"role": "viewer"}, follow=True)
    assert "הוא הבעלים היחיד: הפכו מישהו אחר לבעלים קודם" in r.content.decode()
    me.refresh_from_db()
    assert me.role == "owner"
    r = as_owner.post(f"/settings/users/{me.id}/remove/", follow=True)
    assert Membership.objects.filter(id=me.id).exists()
    as_owner.post(f"/settings/users/{viewer.id}/remove/")
    assert not Membership.objects.filter(id=viewer.id).exists()
    assert get_user_model().objects.filter(email="viewer@a.test").exists()
    assert [a.action for a in AuditRecord.objects.filter(action__startswith="member.").order_by("id")] == [
        "member.role_changed", "member.removed"]


def test_users_page_labels_each_role_select(as_owner, world):
    html = as_owner.get("/settings/users/").content.decode()
    ids = re.findall(r'<select name="role" id="(m\d+_role)"', html)
    assert len(ids) == 4 and len(set(ids)) == 4      # owner, collector, viewer, multi: ids unique
    for i in ids:
        assert f'<label for="{i}"' in html


def test_password_change(as_collector, world):
    r = as_collector.post("/password/change/", {"old_password": PASSWORD, "new_password1": "Brand-new-pass-42",
                                                "new_password2": "Brand-new-pass-42"})
    assert r.status_code == 302
    world.collector.refresh_from_db()
    assert world.collector.check_password("Brand-new-pass-42")


def test_password_change_errors_are_in_hebrew(as_collector, world):
    r = as_collector.post("/password/change/", {"old_password": "wrong", "new_password1": "x", "new_password2": "y"})
    assert r.status_code == 200
    html = r.content.decode()
    assert 'dir="rtl"' in html and "הסיסמה הנוכחית" in html


def test_password_reset_for_unknown_email_says_the_same(client, world):
    r = client.post("/password/reset/", {"email": "nobody@nowhere.test"})
    assert r.status_code == 302 and r["Location"] == "/password/reset/sent/"
    assert caught_mail() == []
    client.post("/password/reset/", {"email": "OWNER@a.test"})
    [sent] = caught_mail()
    assert "gvia" in sent["Subject"] and sent["To"] == "owner@a.test"


def test_language_switch_is_kept_per_user(client, world):
    client.force_login(world.multi)
    r = client.post("/language/", {"language": "en", "next": "/customers/"})
    assert r.status_code == 302 and r["Location"] == "/customers/"
    assert set(Membership.objects.filter(user=world.multi).values_list("language", flat=True)) == {"en"}
    assert 'dir="ltr"' in client.get("/customers/").content.decode()
    client.post("/language/", {"language": "he"})
    assert 'dir="rtl"' in client.get("/customers/").content.decode()


def test_language_switch_before_signing_in_and_bad_values(client, db):
    r = client.post("/language/", {"language": "en", "next": "/login/"})
    assert r.status_code == 302 and r["Location"] == "/login/"
    assert 'dir="ltr"' in client.get("/login/").content.decode()
    assert client.post("/language/", {"language": "fr"}).status_code == 400
    r = client.post("/language/", {"language": "he", "next": "https://evil.example/"})
    assert r["Location"] == "/"

"""Login and passwords (issue 14, finding 4): sign-ins are throttled (django-axes: 10 failures for
an account in 15 minutes lock it for 15 minutes, the right password refused too; 50 from one
address lock the address), the page says when to try again in the reader's language, an owner
unlocks; Django's password rules on every password set; argon2 first, older hashes upgraded at
the next sign-in; a TOTP second factor each member may turn on and an organization may require
of its owners."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from gvia.core.errors import Refused
from gvia.store.models import AuditRecord, Membership

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, email, password, **extra):
    return client.post("/login/", {"username": email, "password": password}, **extra)


def signed_in(client) -> bool:
    return client.get("/").status_code == 200


def fail(client, email, times, **extra):
    for _ in range(times):
        r = sign_in(client, email, "wrong-password-x", **extra)
        assert r.status_code in (200, 429)


def test_ten_failures_lock_the_account_and_the_right_password_is_refused(client, world):
    fail(client, "collector@a.test", 10, HTTP_ACCEPT_LANGUAGE="en")
    r = sign_in(client, "collector@a.test", PASSWORD, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 429
    assert "Too many failed sign-ins. Try again in 15 minutes" in r.content.decode()
    assert not signed_in(client)
    # another person at the same address still signs in
    other = Client()
    assert sign_in(other, "viewer@a.test", PASSWORD).status_code == 302 and signed_in(other)


def test_the_lock_message_is_in_hebrew_for_a_hebrew_reader(client, world):
    fail(client, "collector@a.test", 10)
    r = sign_in(client, "collector@a.test", PASSWORD, HTTP_ACCEPT_LANGUAGE="he")
    assert r.status_code == 429
    assert "אפשר לנסות שוב בעוד" in r.content.decode() and "15" in r.content.decode()


def test_nine_failures_do_not_lock(client, world):
    fail(client, "collector@a.test", 9)
    assert sign_in(client, "collector@a.test", PASSWORD).status_code == 302 and signed_in(client)


def test_the_lock_ends_after_fifteen_minutes(client, world):
    fail(client, "collector@a.test", 10)
    assert sign_in(client, "collector@a.test", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16))
    assert sign_in(client, "collector@a.test", PASSWORD).status_code == 302 and signed_in(client)


def test_fifty_failures_from_one_address_lock_the_address(client, world):
    for n in range(50):
        sign_in(client, f"nobody{n}@a.test", "wrong-password-x", REMOTE_ADDR="10.9.8.7")
    r = sign_in(client, "viewer@a.test", PASSWORD, REMOTE_ADDR="10.9.8.7", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 429 and "Try again in" in r.content.decode()
    other = Client(REMOTE_ADDR="10.9.8.8")
    assert sign_in(other, "viewer@a.test", PASSWORD, REMOTE_ADDR="10.9.8.8").status_code == 302


def test_an_owner_unlocks_a_member_on_the_users_page(as_owner, world):
    client = Client()
    fail(client, "collector@a.test", 10)
    assert sign_in(client, "collector@a.test", PASSWORD).status_code == 429
    page = as_owner.get("/settings/users/").content.decode()
    unlock_url = f"/settings/users/{Membership.objects.get(user=world.collector).id}/unlock/"
    assert unlock_url in page
    assert as_owner.post(unlock_url).status_code == 302
    assert AuditRecord.objects.filter(action="member.unlocked").exists()
    assert sign_in(client, "collector@a.test", PASSWORD).status_code == 302 and signed_in(client)


def test_a_collector_cannot_unlock(as_collector, world):
    m = Membership.objects.get(user=world.owner, organization=world.org_a)
    assert as_collector.post(f"/settings/users/{m.id}/unlock/").status_code == 403


# --- password rules ---------------------------------------------------------------------------

def test_password_change_refuses_weak_passwords(as_collector, world):
    for weak in ("1", "password1", "12345678901", "collector@a.test"):
        r = as_collector.post("/password/change/", {"old_password": PASSWORD, "new_password1": weak,
                                                    "new_password2": weak})
        assert r.status_code == 200, weak     # the form again, with the rule broken
        assert r.context["form"].errors.get("new_password2"), weak
    world.collector.refresh_from_db()
    assert world.collector.check_password(PASSWORD)


def test_services_refuse_weak_passwords(world):
    from gvia.services.context import Ctx
    from gvia.services.org.organizations import add_member, init_organization

    with pytest.raises(Refused, match="too common"):
        init_organization("Weak Ltd", admin_email="weak@w.test", admin_password="password1")
    with pytest.raises(Refused, match="too short"):
        add_member(Ctx(world.org_a, world.owner, "owner"), "new@a.test", "abc", "viewer")


# --- argon2 -----------------------------------------------------------------------------------

def test_argon2_is_first_and_an_older_hash_is_upgraded_at_sign_in(client, world, settings):
    from gvia import settings as gvia_settings

    assert gvia_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    settings.PASSWORD_HASHERS = gvia_settings.PASSWORD_HASHERS
    user = world.viewer
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save()
    assert sign_in(client, "viewer@a.test", PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
    assert user.check_password(PASSWORD)


# --- the second factor ------------------------------------------------------------------------

def code(device, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def turn_on(client, user) -> TOTPDevice:
    assert client.post("/account/two-factor/", {"action": "start"}).status_code == 302
    page = client.get("/account/two-factor/").content.decode()
    assert "<svg" in page            # the QR code, drawn inline (no script, no data: URL)
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    r = client.post("/account/two-factor/", {"action": "confirm", "code": code(device)})
    assert r.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_an_owner_turns_on_the_second_factor_and_then_needs_a_code(client, as_owner, world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = turn_on(as_owner, world.owner)
    fresh = Client()
    r = sign_in(fresh, "owner@a.test", PASSWORD)
    assert r.status_code == 302 and r["Location"] == "/login/code/"
    assert not signed_in(fresh)                         # the password alone signs nobody in
    assert fresh.post("/login/code/", {"code": "000000"}).status_code == 400
    assert not signed_in(fresh)
    r = fresh.post("/login/code/", {"code": code(device, 1)})
    assert r.status_code == 302 and signed_in(fresh)


def test_a_wrong_code_does_not_turn_it_on(as_owner, world):
    as_owner.post("/account/two-factor/", {"action": "start"})
    r = as_owner.post("/account/two-factor/", {"action": "confirm", "code": "123"})
    assert r.status_code == 400
    assert not TOTPDevice.objects.filter(user=world.owner, confirmed=True).exists()


def test_an_organization_can_require_it_of_owners(client, as_owner, world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    assert as_owner.post("/settings/users/two-factor/", {"required": "1"}).status_code == 302
    world.org_a.refresh_from_db()
    assert world.org_a.settings["owner_two_factor"] is True
    r = as_owner.get("/customers/")                    # an owner without it is sent to turn it on
    assert r.status_code == 302 and r["Location"].startswith("/account/two-factor/")
    device = turn_on(as_owner, world.owner)
    assert as_owner.get("/customers/").status_code == 200
    # it cannot be turned off while required
    r = as_owner.post("/account/two-factor/", {"action": "off", "code": code(device, 1)})
    assert r.status_code == 400 and TOTPDevice.objects.filter(user=world.owner, confirmed=True).exists()
    # a collector is not asked
    other = Client()
    other.force_login(world.collector)
    assert other.get("/customers/").status_code == 200


def test_a_session_from_before_the_rule_must_confirm_with_a_code(client, world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = TOTPDevice.objects.create(user=world.owner, name="gvia", confirmed=True)
    org = world.org_a
    org.settings = {**(org.settings or {}), "owner_two_factor": True}
    org.save()
    client.force_login(world.owner)
    r = client.get("/")
    assert r.status_code == 302 and r["Location"].startswith("/account/two-factor/")
    assert client.post("/account/two-factor/", {"action": "verify", "code": code(device)}).status_code == 302
    assert client.get("/").status_code == 200


def test_password_hashes_are_argon2_for_new_users(settings):
    from gvia import settings as gvia_settings

    settings.PASSWORD_HASHERS = gvia_settings.PASSWORD_HASHERS
    user = get_user_model()(username="x@x.test")
    user.set_password("A-fine-password-1")
    assert user.password.startswith("argon2$")


@pytest.mark.parametrize("lang, words", [
    ("en", "The e-mail address or the password is not right"),
    ("he", "כתובת הדוא״ל או הסיסמה אינן נכונות")])
def test_a_wrong_password_says_e_mail_not_username_and_nothing_of_case(client, world, lang, words):
    r = sign_in(client, "collector@a.test", "wrong-password-x", HTTP_ACCEPT_LANGUAGE=lang)
    page = re.sub(r"<[^>]*>", " ", r.content.decode())      # the words a person reads
    assert r.status_code == 200 and words in page
    for django_words in ("username", "case-sensitive", "case sensitive", "שם משתמש", "רישיות"):
        assert django_words not in page.lower()

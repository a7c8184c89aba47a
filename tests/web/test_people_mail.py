"""Mail for people reaches them (issue 14, finding 7): invitations and password-reset links go on
the mail path of the organization's customer messages — its SMTP settings, GVIA_SMTP_*, or the
local mail catcher — and a failure is shown to the person who sent the invitation, never
swallowed behind "invited"."""

from __future__ import annotations

import re
from email import message_from_bytes, policy

import pytest

from gvia.store.models import AuditRecord, Membership
from tests.support.smtpd import Recorder, free_port, start_smtp

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _gvia_mail_path(settings, monkeypatch):
    """As deployed: Django's own mail setting as gvia's settings module declares it (the web
    tests' conftest swaps in locmem), and no SMTP server in the environment unless a test sets one."""
    import gvia.settings as deployed

    settings.EMAIL_BACKEND = deployed.EMAIL_BACKEND
    for name in ("GVIA_SMTP_HOST", "GVIA_SMTP_PORT", "GVIA_SMTP_USER", "GVIA_SMTP_PASSWORD", "GVIA_SMTP_SECURITY",
                 "GVIA_MAIL_FROM"):
        monkeypatch.delenv(name, raising=False)


def caught(settings) -> list:
    return [message_from_bytes(p.read_bytes(), policy=policy.default)
            for p in sorted(settings.MAIL_CATCHER_DIR.glob("*.eml"))]


def smtp_of(org, server) -> None:
    org.settings = {**(org.settings or {}), "smtp": {"host": server.host, "port": server.port}}
    org.email = "billing@gilboa.example"
    org.save()


def invite(client, email="new.person@a.test"):
    return client.post("/settings/users/invite/", {"invite-email": email, "invite-role": "collector"}, follow=True)


def test_an_invitation_without_a_mail_server_is_in_the_local_catcher(as_owner, world, settings):
    r = invite(as_owner)
    assert r.status_code == 200 and "new.person@a.test" in r.content.decode()
    [sent] = caught(settings)
    assert sent["To"] == "new.person@a.test" and sent["X-Gvia-Person-Mail"] == "invitation"
    link = re.search(r"https?://[^/]+(/password/reset/\S+/)", sent.get_body(("plain",)).get_content()).group(1)
    assert as_owner.__class__().get(link, follow=True).status_code == 200
    assert AuditRecord.objects.filter(action="member.invitation_sent", organization=world.org_a).exists()


def test_an_invitation_goes_through_the_organizations_smtp_server(as_owner, world):
    server = start_smtp()
    try:
        smtp_of(world.org_a, server)
        invite(as_owner)
        [got] = server.handler.received
        assert got.rcpt_tos == ["new.person@a.test"] and got.mail_from == "billing@gilboa.example"
        assert "/password/reset/" in got.message.get_body(("plain",)).get_content()
    finally:
        server.stop()


def test_an_invitation_through_gvia_smtp_from_the_environment(as_owner, world, monkeypatch):
    server = start_smtp()
    try:
        monkeypatch.setenv("GVIA_SMTP_HOST", server.host)
        monkeypatch.setenv("GVIA_SMTP_PORT", str(server.port))
        invite(as_owner)
        assert [r.rcpt_tos for r in server.handler.received] == [["new.person@a.test"]]
    finally:
        server.stop()


def test_an_invitation_that_cannot_be_sent_is_shown_to_the_owner(as_owner, world):
    refusing = Recorder()
    refusing.rcpt_reply = "550 5.1.1 no such mailbox here"
    server = start_smtp(refusing)
    try:
        smtp_of(world.org_a, server)
        r = invite(as_owner)
        html = r.content.decode()
        # the owner reads Hebrew: "… was added, but the e-mail … was not sent: <the server's words>"
        assert "לא נשלח" in html and "5.1.1 no such mailbox here" in html
        assert "ונשלח" not in html
    finally:
        server.stop()
    # nobody listening at all
    smtp_of(world.org_a, type("Gone", (), {"host": "127.0.0.1", "port": free_port()})())
    r = invite(as_owner, "another@a.test")
    assert "לא נשלח" in r.content.decode()
    assert Membership.objects.filter(organization=world.org_a, user__email="another@a.test").exists()
    assert AuditRecord.objects.filter(action="member.invitation_not_sent").count() == 2


def test_a_password_reset_goes_on_the_users_organizations_path(client, world, settings):
    server = start_smtp()
    try:
        smtp_of(world.org_b, server)
        r = client.post("/password/reset/", {"email": "owner@b.test"})
        assert r.status_code == 302 and r["Location"] == "/password/reset/sent/"
        [got] = server.handler.received
        assert got.rcpt_tos == ["owner@b.test"] and got.message["X-Gvia-Person-Mail"] == "password_reset"
        # a member of A (no server of its own): the local catcher
        client.post("/password/reset/", {"email": "viewer@a.test"})
        [sent] = caught(settings)
        assert sent["To"] == "viewer@a.test"
    finally:
        server.stop()


def test_a_password_reset_that_cannot_be_sent_says_so(client, world):
    smtp_of(world.org_a, type("Gone", (), {"host": "127.0.0.1", "port": free_port()})())
    r = client.post("/password/reset/", {"email": "owner@a.test"})
    assert r.status_code == 200
    assert "לא ניתן היה לשלוח" in r.content.decode()          # the page's language: Hebrew


def test_invitations_never_show_in_any_organizations_mailbox(as_owner, world, settings):
    invite(as_owner)
    [sent] = sorted(settings.MAIL_CATCHER_DIR.glob("*.eml"))
    page = as_owner.get("/settings/mailbox/")
    assert page.status_code == 200 and "new.person@a.test" not in page.content.decode()
    assert as_owner.get(f"/settings/mailbox/{sent.name}/").status_code == 404


def test_djangos_own_mail_takes_gvias_path(world, settings):
    from django.core.mail import send_mail

    assert send_mail("hello", "body", None, ["ops@example.test"]) == 1
    [sent] = caught(settings)
    assert sent["To"] == "ops@example.test"

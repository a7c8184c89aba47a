"""The reply mailbox on the web (issue 16): its settings on the e-mail settings page (the
password kept sealed, a connection check against a real dovecot), and the worklist's two
sections — messages from nobody known (assign, dismiss) and suggested promises (confirm with a
corrected amount, dismiss) — in Hebrew and English; another organization's ids are not found."""

from __future__ import annotations

from datetime import date, datetime, timezone
from html import escape

import pytest
from django.urls import reverse

from gvia.services.arrangements import suggestions
from gvia.services.context import Ctx
from gvia.store.models import Activity, Promise
from gvia.store.models_inbound import InboundMail, SuggestedPromise

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _inbound(org, uid: int, sender: str, text: str) -> InboundMail:
    return InboundMail.objects.create(organization=org, folder="INBOX", uidvalidity=1, uid=uid,
                                      message_id=f"<u{uid}.{org.id}@x.test>", kind="reply", status="unmatched",
                                      from_addr=sender, subject="Re: invoice", read_at=datetime(2026, 3, 15, 8,
                                                                                             tzinfo=timezone.utc),
                                      text=text)


@pytest.mark.imap
def test_the_reply_mailbox_on_the_settings_page(as_owner, world, dovecot):
    dovecot.add_user("web@gilboa.test", "Web-box-2026")
    page = as_owner.get(reverse("settings_mail"))
    assert page.status_code == 200 and "תיבת התשובות" in page.content.decode()
    saved = as_owner.post(reverse("settings_mail"), {
        "section": "replies", "host": "127.0.0.1", "port": str(dovecot.port), "user": "web@gilboa.test",
        "password": "Web-box-2026", "folder": "", "security": "none", "poll_minutes": "10"})
    assert saved.status_code == 302
    world.org_a.refresh_from_db()
    stored = world.org_a.settings
    assert stored["mailbox.password"].startswith("sealed:v1:") and stored["mailbox.poll_minutes"] == 10
    page = as_owner.get(reverse("settings_mail")).content.decode()
    assert "Web-box-2026" not in page
    checked = as_owner.post(reverse("settings_mail"), {"section": "replies_check"})
    assert "החיבור הצליח" in checked.content.decode()
    bad = as_owner.post(reverse("settings_mail"), {"section": "replies", "host": "127.0.0.1", "port": "99999",
                                                   "user": "web@gilboa.test", "password": "", "folder": "",
                                                   "security": "none", "poll_minutes": "10"})
    assert bad.status_code == 400
    world.org_a.refresh_from_db()
    assert world.org_a.settings["mailbox.port"] == dovecot.port                  # all or nothing


def test_a_message_from_nobody_known_is_assigned_from_the_worklist(as_collector, world):
    mine = _inbound(world.org_a, 1, "someone@gmail.test", "נשלם בשבוע הבא")
    theirs = _inbound(world.org_b, 1, "spy@b.test", "SECRET-NOTE-B")
    page = as_collector.get(reverse("worklist"), {"show": "unmatched_replies"}).content.decode()
    assert "someone@gmail.test" in page and "הודעות מאף אחד מוכר" in page and "SECRET-NOTE-B" not in page
    r = as_collector.post(reverse("unmatched_decide"), {"id": mine.id, "decision": "assign", "customer": "C002"})
    assert r.status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.customer) == ("assigned", world.c2)
    assert Activity.objects.get(customer=world.c2, kind="message_in").text == "נשלם בשבוע הבא"
    # next week from Sunday 15 March 2026 (the message's day): Saturday 28 March
    assert SuggestedPromise.objects.get(customer=world.c2).due == date(2026, 3, 28)
    assert as_collector.post(reverse("unmatched_decide"), {"id": theirs.id, "decision": "dismiss"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "unmatched"


def test_a_suggested_promise_is_confirmed_from_the_worklist(client, world):
    client.force_login(world.viewer)        # reads English, may not decide
    ctx = Ctx(world.org_a, world.owner)
    s = suggestions.suggest(ctx, world.c1, 'שלום, נעביר 500 ש"ח ב-20/3', TODAY, "reply")
    other = suggestions.suggest(ctx, world.c3, "We'll pay 100 tomorrow.", TODAY, "call")
    page = client.get(reverse("worklist"), {"show": "suggested_promises"}).content.decode()
    assert "Suggested promises to pay" in page and escape('שלום, נעביר 500 ש"ח ב-20/3') in page
    assert client.post(reverse("suggestion_decide"), {"id": s.id, "decision": "confirm"}).status_code == 403
    client.force_login(world.collector)
    r = client.post(reverse("suggestion_decide"), {"id": s.id, "decision": "confirm", "amount": "400",
                                                   "due": "2026-03-22"}, follow=True)
    assert "נרשמה הבטחה לתשלום עד" in r.content.decode()
    promise = Promise.objects.get(customer=world.c1)
    assert (promise.amount_minor, promise.due, promise.source) == (40000, date(2026, 3, 22), "email")
    client.post(reverse("suggestion_decide"), {"id": other.id, "decision": "dismiss"})
    assert SuggestedPromise.objects.get(id=other.id).status == "dismissed"
    again = client.post(reverse("suggestion_decide"), {"id": s.id, "decision": "confirm"}, follow=True)
    assert "כבר טופלה" in again.content.decode()


def test_an_address_that_bounced_is_listed_until_it_works_again(as_collector, world):
    from gvia.store.models import Task
    from gvia.store.models_inbound import FailingAddress

    for org, customer, address in ((world.org_a, world.c1, "dana@alon.example"),
                                   (world.org_b, world.s1, "spy@b.test")):
        FailingAddress.objects.create(organization=org, address=address, customer=customer, status="5.1.1",
                                      since=datetime(2026, 3, 14, tzinfo=timezone.utc))
        Task.objects.create(organization=org, customer=customer, kind="follow_up", key=f"bounce:{address}",
                            due_date=TODAY, data={"reason": "address_failing", "address": address, "status": "5.1.1"})
    page = as_collector.get(reverse("worklist"), {"show": "failing_addresses"}).content.decode()
    assert "כתובות שהדואר אליהן חזר" in page and "dana@alon.example" in page and "spy@b.test" not in page
    assert as_collector.post(reverse("address_works"), {"address": "spy@b.test"}).status_code == 404
    assert FailingAddress.objects.get(address="spy@b.test").active
    r = as_collector.post(reverse("address_works"), {"address": "Dana@Alon.example"}, follow=True)
    assert "ההודעות יישלחו שוב אל" in r.content.decode()
    assert not FailingAddress.objects.get(address="dana@alon.example").active
    assert not Task.objects.get(key="bounce:dana@alon.example").open

"""The providers' callbacks (``/hooks/texts/<provider>/<org>/``) through Django's test client:
a signed delivery report dates or fails the message, a signed "הסר"/STOP records the opt-out
(timeline, customer page) and stops the next message, a reply reaches the timeline and the
worklist; a forged, unsigned, oversized or replayed call changes nothing (more)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.test import Client

from gvia.core.message_log import english
from gvia.services import clock
from gvia.services.sending.dispatch import dispatch_due
from gvia.store.models import Activity, OutboxMessage, Task
from gvia.store.models_sms import TextEvent, TextOptOut
from tests.texts.conftest import MOBILE, MON, at, plan

pytestmark = pytest.mark.django_db
FORM = "application/x-www-form-urlencoded"       # how Twilio posts


def hook(ctx, provider: str) -> tuple[str, str]:
    path = f"/hooks/texts/{provider}/{ctx.org.slug}/"
    return path, "http://127.0.0.1:8000" + path


def twilio_post(fake, ctx, params: dict[str, str], token: str | None = None):
    path, url = hook(ctx, "twilio")
    return Client().post(path, urlencode(params), content_type=FORM, **fake.signed(url, params, token))


def sent_sms(ctx, books, fake_twilio) -> OutboxMessage:
    [msg] = plan(ctx, books)
    assert dispatch_due(lambda: at(MON, 10), "w1").sent == 1
    msg.refresh_from_db()
    return msg


def test_twilio_delivered_dates_the_message_once(ctx, books, fake_twilio):
    msg = sent_sms(ctx, books, fake_twilio)
    params = {"MessageSid": msg.message_id, "MessageStatus": "delivered", "To": MOBILE, "AccountSid": fake_twilio.sid}
    assert twilio_post(fake_twilio, ctx, params).status_code == 200
    again = twilio_post(fake_twilio, ctx, params)           # Twilio retries: kept once
    assert again.status_code == 200 and again.json() == {"new": 0, "again": 1}
    msg.refresh_from_db()
    assert msg.delivered_date == clock.org_today(ctx.org) and msg.status == "sent"
    assert TextEvent.objects.filter(message=msg, status="delivered").count() == 1


def test_twilio_undelivered_fails_the_message_with_a_task(ctx, books, fake_twilio):
    msg = sent_sms(ctx, books, fake_twilio)
    params = {"MessageSid": msg.message_id, "MessageStatus": "undelivered", "ErrorCode": "30003", "To": MOBILE}
    assert twilio_post(fake_twilio, ctx, params).status_code == 200
    msg.refresh_from_db()
    assert msg.status == "failed"
    assert (msg.log[-1]["code"], msg.log[-1]["params"]["error"]) == ("outbox_text_not_delivered", "30003")
    assert Task.objects.get(message=msg, kind="failed_message").open
    assert Activity.objects.get(data__event="text_not_delivered").data["error"] == "30003"


def test_a_forged_twilio_callback_is_refused_and_changes_nothing(ctx, books, fake_twilio):
    msg = sent_sms(ctx, books, fake_twilio)
    params = {"MessageSid": msg.message_id, "MessageStatus": "undelivered", "To": MOBILE}
    assert twilio_post(fake_twilio, ctx, params, token="not-the-auth-token").status_code == 403
    path, _ = hook(ctx, "twilio")
    assert Client().post(path, urlencode(params), content_type=FORM).status_code == 403          # unsigned
    signed = fake_twilio.signed(hook(ctx, "twilio")[1], params)
    altered = urlencode({**params, "MessageStatus": "delivered"})
    assert Client().post(path, altered, content_type=FORM, **signed).status_code == 403
    msg.refresh_from_db()
    assert msg.status == "sent" and not TextEvent.objects.exists() and not Task.objects.exists()


def test_a_stop_reply_records_the_opt_out_and_stops_the_next_text(ctx, books, fake_twilio):
    msg = sent_sms(ctx, books, fake_twilio)
    params = {"MessageSid": "SM" + "9" * 32, "From": MOBILE, "To": fake_twilio.from_, "Body": "הסר",
              "AccountSid": fake_twilio.sid}
    assert twilio_post(fake_twilio, ctx, params).status_code == 200
    out = TextOptOut.objects.get(phone=MOBILE)
    assert (out.source, out.customer_id, out.text) == ("reply", msg.customer_id, "הסר")
    assert Activity.objects.get(data__event="text_opt_out").customer_id == msg.customer_id
    # the next text to that number is cancelled before it leaves
    nxt = OutboxMessage.objects.create(organization=ctx.org, customer=msg.customer, idempotency_key="manual:sms:2",
                                       channel="sms", document="reminder", language="he", status="queued",
                                       planned_for=MON)
    assert dispatch_due(lambda: at(MON, 11), "w1").cancelled == 1
    nxt.refresh_from_db()
    assert nxt.status == "cancelled" and len(fake_twilio.sent) == 1


def test_a_reply_goes_on_the_timeline_and_the_worklist(ctx, books, fake_twilio):
    msg = sent_sms(ctx, books, fake_twilio)
    params = {"MessageSid": "SM" + "8" * 32, "From": MOBILE, "To": fake_twilio.from_, "Body": "אשלם ביום חמישי"}
    assert twilio_post(fake_twilio, ctx, params).status_code == 200
    reply = Activity.objects.get(kind="message_in")
    assert (reply.customer_id, reply.text, reply.data["channel"]) == (msg.customer_id, "אשלם ביום חמישי", "sms")
    assert Task.objects.get(kind="reply").data["text"] == "אשלם ביום חמישי"
    assert not TextOptOut.objects.exists()


def test_whatsapp_verification_and_signed_notifications(ctx, books, fake_whatsapp):
    path, _ = hook(ctx, "whatsapp")
    ok = Client().get(path, {"hub.mode": "subscribe", "hub.verify_token": "wa-verify", "hub.challenge": "1158201444"})
    assert (ok.status_code, ok.content) == (200, b"1158201444")
    assert Client().get(path, {"hub.mode": "subscribe", "hub.verify_token": "guess",
                               "hub.challenge": "1"}).status_code == 403
    [msg] = plan(ctx, books, channels=("whatsapp",))
    assert dispatch_due(lambda: at(MON, 10), "w1").sent == 1
    msg.refresh_from_db()
    body, headers = fake_whatsapp.webhook({"statuses": [{"id": msg.message_id, "status": "read",
                                                         "timestamp": "1762675200", "recipient_id": MOBILE[1:]}]})
    forged_body, forged = fake_whatsapp.webhook({"statuses": [{"id": msg.message_id, "status": "failed",
                                                               "recipient_id": MOBILE[1:]}]}, secret="other")
    assert Client().post(path, forged_body, content_type="application/json", **forged).status_code == 403
    assert Client().post(path, body, content_type="application/json", **headers).status_code == 200
    msg.refresh_from_db()
    assert msg.delivered_date == clock.org_today(ctx.org) and msg.status == "sent"
    stop, headers = fake_whatsapp.webhook({"contacts": [{"profile": {"name": "Dani"}, "wa_id": MOBILE[1:]}],
                                           "messages": [{"from": MOBILE[1:], "id": "wamid.IN1", "timestamp": "1",
                                                         "type": "text", "text": {"body": "STOP"}}]})
    assert Client().post(path, stop, content_type="application/json", **headers).status_code == 200
    assert TextOptOut.objects.get(phone=MOBILE).channel == "whatsapp"


def test_an_oversized_or_unknown_call_is_refused(ctx, fake_whatsapp):
    path, _ = hook(ctx, "whatsapp")
    big = b"{" + b" " * (64 * 1024 + 10) + b"}"
    assert Client().post(path, big, content_type="application/json").status_code == 413
    for other in ("/hooks/texts/whatsapp/no-such-org/", f"/hooks/texts/pigeon/{ctx.org.slug}/"):
        assert Client().post(other, b"{}", content_type="application/json").status_code == 404
    assert not TextEvent.objects.exists()


def test_a_reply_from_an_unknown_number_is_kept_and_shown_on_the_settings_tab(ctx, fake_twilio, client):
    params = {"MessageSid": "SM" + "7" * 32, "From": "+972545551234", "To": fake_twilio.from_, "Body": "מי זה?"}
    assert twilio_post(fake_twilio, ctx, params).status_code == 200
    event = TextEvent.objects.get(kind="inbound")
    assert event.customer is None and event.text == "מי זה?"
    assert not Activity.objects.filter(kind="message_in").exists()
    client.force_login(ctx.user)
    html = client.get("/settings/texts/").content.decode()
    assert 'data-testid="texts-unmatched"' in html and "מי זה?" in html


def test_a_delivery_report_that_comes_before_the_send_is_recorded_is_not_lost(ctx, books, fake_twilio):
    # Twilio's sids are predictable in the fake: the report of the first message arrives first
    sid = "SM" + f"{1:032d}"
    params = {"MessageSid": sid, "MessageStatus": "undelivered", "ErrorCode": "30005", "To": MOBILE}
    assert twilio_post(fake_twilio, ctx, params).status_code == 200
    assert TextEvent.objects.get().message is None
    msg = sent_sms(ctx, books, fake_twilio)
    assert msg.message_id == sid
    assert msg.status == "failed" and "30005" in english(msg.log)
    assert TextEvent.objects.get().message_id == msg.id
    assert Task.objects.get(message=msg, kind="failed_message").open

"""SMS and WhatsApp through the outbox, against local fakes of 019, Twilio and the WhatsApp Cloud
API: sent once with its proof and a line on the timeline; a crash at each point around the send
never sends twice; sending hours, approval, do-not-chase and opt-out respected; what a provider's
refusal, an error and a dropped connection mean."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from gvia.core.message_log import english, said
from gvia.core.texting import segments
from gvia.services.sending import texts
from gvia.services.sending.dispatch import dispatch_due, read_raw, recover_stale
from gvia.store.models import Activity, Task
from gvia.store.models_sms import TextOptOut
from tests.texts.conftest import MOBILE, MON, at, plan

pytestmark = pytest.mark.django_db


def test_an_sms_through_019_is_sent_once_in_hebrew_with_the_page_link(ctx, books, fake019):
    [msg] = plan(ctx, books)
    assert (msg.channel, msg.status, msg.language) == ("sms", "queued", "he")
    rep = dispatch_due(lambda: at(MON, 10), "w1")
    assert rep.sent == 1
    [got] = fake019.sent
    assert got["phone"] == "0527654321" and got["id"] == f"gvia-{msg.id}" and got["source"] == "Gilboa"
    text = got["message"]
    assert text.startswith("Gilboa Office Supplies: ") and "₪1,250.00" in text and "לתשלום" in text
    assert "/p/" in text                                               # the customer's page
    seg = segments(text)
    assert seg.encoding == "ucs2" and seg.count <= 2
    msg.refresh_from_db()
    assert msg.status == "sent" and msg.to_addrs == [MOBILE] and msg.message_id == got["shipment_id"]
    proof = read_raw(msg.raw_path)
    assert "0527654321".encode() in proof and b"tok-019" not in proof          # the proof hides the token
    act = Activity.objects.get(kind="message_out")
    assert act.data["channel"] == "sms" and act.data["provider"] == "019"
    assert dispatch_due(lambda: at(MON, 11), "w1").sent == 0                      # never twice
    assert len(fake019.sent) == 1


def test_credentials_are_stored_sealed(ctx, fake019):
    ctx.org.refresh_from_db()
    assert ctx.org.settings["sms.019.token"].startswith("sealed:v1:")
    assert "tok-019" not in str(ctx.org.settings)


def test_twilio_sms_in_english_names_its_status_callback(ctx, books, fake_twilio):
    [msg] = plan(ctx, books, language="en")
    assert dispatch_due(lambda: at(MON, 10), "w1").sent == 1
    [got] = fake_twilio.sent
    assert got["To"] == MOBILE and got["From"] == fake_twilio.from_
    assert got["Body"].startswith("Gilboa Office Supplies: ILS 1,250.00 is overdue. Details and payment: http")
    seg = segments(got["Body"])
    assert seg.encoding == "gsm7" and seg.count <= 2          # the ISO code keeps a Latin text in GSM-7
    assert got["StatusCallback"] == f"http://127.0.0.1:8000/hooks/texts/twilio/{ctx.org.slug}/"
    msg.refresh_from_db()
    assert msg.message_id == got["sid"]


def test_whatsapp_sends_the_approved_template_with_its_parameters(ctx, books, fake_whatsapp):
    [msg] = plan(ctx, books, channels=("whatsapp",))
    assert dispatch_due(lambda: at(MON, 10), "w1").sent == 1
    [got] = fake_whatsapp.sent
    assert got["to"] == "972527654321" and got["template"] == ("gvia_payment_reminder", "he")
    org, total, link = got["params"]
    assert (org, total) == ("Gilboa Office Supplies", "₪1,250.00") and "/p/" in link
    msg.refresh_from_db()
    assert msg.status == "sent" and msg.message_id == got["id"]


def test_an_unapproved_template_fails_with_a_task(ctx, books, fake_whatsapp):
    fake_whatsapp.templates.clear()
    [msg] = plan(ctx, books, channels=("whatsapp",))
    assert dispatch_due(lambda: at(MON, 10), "w1").failed == 1
    msg.refresh_from_db()
    assert msg.status == "failed" and "132001" in english(msg.log)
    assert Task.objects.get(message=msg).kind == "failed_message"


class Crash(BaseException):
    """The worker dies here (not an Exception: nothing in the dispatcher catches it)."""


def crash_at(point: str):
    def checkpoint(name: str) -> None:
        if name == point:
            raise Crash(name)
    return checkpoint


@pytest.mark.parametrize("point, ends", [
    ("claimed", "sent"),          # nothing left: queued again, sent once by the next worker
    ("before_send", "sent"),
    ("data_sent", "uncertain"),   # the provider has the request: a person decides, nobody re-sends
    ("accepted", "uncertain"),
    ("before_record", "uncertain"),
])
def test_a_crash_around_the_send_never_sends_twice(ctx, books, fake019, point, ends):
    [msg] = plan(ctx, books)
    with pytest.raises(Crash):
        dispatch_due(lambda: at(MON, 10), "w1", checkpoint=crash_at(point))
    for _ in range(500):            # the fake handles a request whose answer nobody reads in its own thread
        if point not in ("data_sent",) or fake019.sent:
            break
        time.sleep(0.01)
    recover_stale(at(MON, 10, 1), everything=True)          # the next worker starts
    dispatch_due(lambda: at(MON, 10, 2), "w2")
    msg.refresh_from_db()
    assert msg.status == ends
    assert len(fake019.sent) == 1                            # received once, either way
    if ends == "uncertain":
        assert Task.objects.get(message=msg).kind == "uncertain_message"


def test_outside_the_sending_hours_nothing_leaves(ctx, books, fake019):
    [msg] = plan(ctx, books, sending_hours="09:00-17:00")
    assert dispatch_due(lambda: at(MON, 20), "w1").handled == 0
    assert dispatch_due(lambda: at(MON, 8, 30), "w1").handled == 0
    assert fake019.sent == []
    assert dispatch_due(lambda: at(MON, 9, 5), "w1").sent == 1


def test_a_message_awaiting_approval_waits(ctx, books, fake019):
    [msg] = plan(ctx, books, sending_mode="approve_all")
    assert msg.status == "awaiting_approval"
    assert dispatch_due(lambda: at(MON, 10), "w1").handled == 0
    assert fake019.sent == []


def test_do_not_chase_cancels(ctx, books, fake019):
    [msg] = plan(ctx, books)
    msg.customer.do_not_chase = True
    msg.customer.save()
    assert dispatch_due(lambda: at(MON, 10), "w1").cancelled == 1
    assert fake019.sent == []


def test_a_number_that_opted_out_gets_nothing(ctx, books, fake019):
    [msg] = plan(ctx, books)
    assert texts.opt_out(ctx, "0527654321", now=at(MON, 9)) == MOBILE
    assert dispatch_due(lambda: at(MON, 10), "w1").cancelled == 1
    assert fake019.sent == []
    msg.refresh_from_db()
    assert msg.status == "cancelled" and said(msg.log[-1]).params["why"].code == "outbox_why_no_more_texts"
    line = Activity.objects.get(kind="system", data__event="text_opt_out")
    assert line.customer_id == msg.customer_id and line.data["source"] == "person"


def test_twilio_refusing_an_unsubscribed_number_records_the_opt_out(ctx, books, fake_twilio):
    fake_twilio.stopped.add(MOBILE)
    [msg] = plan(ctx, books)
    assert dispatch_due(lambda: at(MON, 10), "w1").cancelled == 1
    assert TextOptOut.objects.get(phone=MOBILE).source == "provider"
    msg.refresh_from_db()
    assert msg.status == "cancelled"


def test_a_customer_without_a_mobile_fails_with_a_task(ctx, books, fake019):
    [msg] = plan(ctx, books, phone="03-6123456")           # a landline
    assert dispatch_due(lambda: at(MON, 10), "w1").failed == 1
    msg.refresh_from_db()
    assert "text_no_mobile" in english(msg.log) and Task.objects.get(message=msg).kind == "failed_message"


def test_no_provider_fails_with_a_task(ctx, books):
    [msg] = plan(ctx, books)
    assert dispatch_due(lambda: at(MON, 10), "w1").failed == 1
    msg.refresh_from_db()
    assert said(msg.log[-1]).params["reply"].code == "outbox_no_provider"


@pytest.mark.parametrize("status, body, ends", [
    (429, {"code": 20429, "message": "Too Many Requests"}, "queued"),     # retried later
    (500, {"code": 20500, "message": "Internal Server Error"}, "uncertain"),
    (None, {}, "uncertain"),                                             # the connection drops, no reply
    (400, {"code": 21211, "message": "Invalid 'To' Phone Number"}, "failed"),
])
def test_what_a_provider_error_means(ctx, books, fake_twilio, status, body, ends):
    [msg] = plan(ctx, books)
    fake_twilio.fail_with(status, body)
    dispatch_due(lambda: at(MON, 10), "w1")
    msg.refresh_from_db()
    assert msg.status == ends
    if ends == "queued":
        assert msg.next_attempt_at == at(MON, 10) + timedelta(minutes=1)
        assert dispatch_due(lambda: at(MON, 10, 2), "w1").sent == 1
        assert len(fake_twilio.sent) == 1


def test_a_token_sealed_by_another_installation_fails_that_message_with_a_task(ctx, books, fake019):
    [msg] = plan(ctx, books)
    ctx.org.refresh_from_db()
    ctx.org.settings["sms.019.token"] = "sealed:v1:not-this-installations"
    ctx.org.save()
    rep = dispatch_due(lambda: at(MON, 10), "w1")
    assert rep.failed == 1 and fake019.sent == []
    msg.refresh_from_db()
    assert msg.status == "failed" and said(msg.log[-1]).params["reply"].code == "outbox_provider_unreadable"


def test_a_test_text_goes_through_the_provider_and_is_audited(ctx, fake019):
    from gvia.core.errors import RefusedFor
    from gvia.store.models import AuditRecord

    got = texts.send_test(ctx, "052-765-4321")
    [sent] = fake019.sent
    assert sent["phone"] == "0527654321" and sent["message"].startswith("Gilboa Office Supplies: הודעת בדיקה")
    assert got == sent["shipment_id"]
    assert AuditRecord.objects.filter(action="texts.test").count() == 1
    with pytest.raises(RefusedFor) as no:
        texts.send_test(ctx, "052-765-4321", "whatsapp")          # WhatsApp is not set up
    assert no.value.code == "text_no_provider"
    fake019.fail_with(200, {"status": 4, "message": "not enough credit"})
    with pytest.raises(RefusedFor) as failed:
        texts.send_test(ctx, "052-765-4321")
    assert failed.value.code == "text_test_failed" and "credit" in failed.value.params["error"]

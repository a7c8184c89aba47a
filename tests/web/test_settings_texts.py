"""The SMS and WhatsApp settings tab (issue 16): owners only; the credentials go through the
settings — secrets sealed, never shown back, kept when their field is left empty —; the page
names the callback addresses and the numbers that opted out, in Hebrew and in English; the
customer page says when the customer's mobile asked for no more texts."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from gvia.services import settings
from gvia.services.sending import texts
from gvia.store.models import Contact, Customer, Membership
from gvia.store.models_sms import TextOptOut

pytestmark = pytest.mark.django_db


def _speak(world, user, lang: str) -> None:
    Membership.objects.filter(user=user, organization=world.org_a).update(language=lang)


def test_owner_sets_twilio_and_the_secret_stays_hidden(as_owner, world):
    _speak(world, world.owner, "en")
    page = as_owner.get("/settings/texts/")
    assert page.status_code == 200 and "Nobody: no SMS is sent" in page.content.decode()
    r = as_owner.post("/settings/texts/", {"provider": "twilio", "twilio_account_sid": "AC42",
                                           "twilio_auth_token": "tw-Secret-77", "twilio_from": "+15005550006"})
    assert r.status_code == 302
    world.org_a.refresh_from_db()
    assert settings.value(world.org_a, "sms.provider") == "twilio"
    assert world.org_a.settings["sms.twilio.auth_token"].startswith("sealed:v1:")
    html = as_owner.get("/settings/texts/").content.decode()
    assert "tw-Secret-77" not in html and "set (hidden)" in html
    assert f"/hooks/texts/twilio/{world.org_a.slug}/" in html and "in use" in html
    # saved again with the secret left empty: kept
    assert as_owner.post("/settings/texts/", {"provider": "twilio", "twilio_account_sid": "AC42",
                                              "twilio_from": "+15005550006"}).status_code == 302
    world.org_a.refresh_from_db()
    assert settings.value(world.org_a, "sms.twilio.auth_token") == "tw-Secret-77"


def test_a_bad_value_changes_nothing_and_is_named_in_hebrew(as_owner, world):
    _speak(world, world.owner, "he")
    r = as_owner.post("/settings/texts/", {"provider": "019", "s019_username": "gilboa",
                                           "s019_source": "a-sender-name-too-long"})
    assert r.status_code == 400
    world.org_a.refresh_from_db()
    assert settings.value(world.org_a, "sms.provider") == "" and settings.value(world.org_a, "sms.019.username") == ""
    assert "מי שולח את המסרונים" in r.content.decode()


def test_a_collector_cannot_open_it(as_collector):
    assert as_collector.get("/settings/texts/").status_code in (302, 403)


def test_the_opt_out_shows_on_the_customer_page_and_the_settings(as_owner, world):
    _speak(world, world.owner, "he")
    customer = Customer.objects.filter(organization=world.org_a).first()
    Contact.objects.create(customer=customer, name="Dana", phone="052-765-4321", is_billing=True)
    texts.record_opt_out(world.org_a, "+972527654321", TextOptOut.Source.REPLY,
                         datetime(2026, 11, 9, 8, tzinfo=timezone.utc), provider="twilio", channel="sms", text="הסר")
    html = as_owner.get(f"/customers/{customer.id}/").content.decode()
    assert 'data-testid="text-opt-out"' in html and "ביקש לא לקבל מסרונים" in html
    settings_page = as_owner.get("/settings/texts/").content.decode()
    assert "השיבו &quot;הסר&quot;" in settings_page or 'השיבו "הסר"' in settings_page


def test_an_sms_awaiting_approval_is_previewed_as_its_text(as_owner, world):
    from datetime import date

    from django.urls import reverse

    from gvia.store.models import Invoice, OutboxMessage

    _speak(world, world.owner, "he")
    customer = Customer.objects.filter(organization=world.org_a).first()
    Contact.objects.create(customer=customer, name="Dana", phone="052-765-4321", is_billing=True)
    if not Invoice.objects.filter(customer=customer, due_date__lt=date.today()).exclude(open_minor=0).exists():
        Invoice.objects.create(organization=world.org_a, customer=customer, number="SMS-1", issue_date=date(2026, 1, 1),
                               due_date=date(2026, 1, 31), amount_minor=125000, open_minor=125000, currency="ILS")
    msg = OutboxMessage.objects.create(organization=world.org_a, customer=customer, idempotency_key="case:x:sms",
                                       stage_key="reminder", channel="sms", document="reminder", language="he",
                                       status="awaiting_approval", needs_approval=True, planned_for=date.today())
    page = as_owner.get(reverse("approval_preview", args=[msg.id]))
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="text-preview"' in html and "מסרון" in html
    assert "/p/" in html and "לתשלום" in html


def test_the_timeline_words_an_opt_out_in_the_readers_language(as_owner, world):
    customer = Customer.objects.filter(organization=world.org_a).first()
    Contact.objects.create(customer=customer, name="Dana", phone="052-765-4321", is_billing=True)
    texts.record_opt_out(world.org_a, "+972527654321", TextOptOut.Source.REPLY,
                         datetime(2026, 11, 9, 8, tzinfo=timezone.utc), provider="twilio", channel="sms", text="STOP")
    _speak(world, world.owner, "en")
    html = as_owner.get(f"/customers/{customer.id}/?timeline=all").content.decode()
    assert "asked for no more SMS or WhatsApp messages" in html
    _speak(world, world.owner, "he")
    html = as_owner.get(f"/customers/{customer.id}/?timeline=all").content.decode()
    assert "ביקש לא לקבל עוד מסרונים" in html

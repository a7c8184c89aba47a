"""Texts (SMS and WhatsApp) against local fakes of each provider's API: an organization whose
ladder's first reminder goes by SMS and WhatsApp, a customer with a mobile number, one overdue
invoice."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from gvia.policies import default_policy_text
from gvia.services.engine import daily_run, policies
from gvia.services.sending import texts
from gvia.store.models import OutboxMessage
from tests.fakes.sms019 import Fake019
from tests.fakes.twilio import FakeTwilio
from tests.fakes.whatsapp import FakeWhatsApp
from tests.services.conftest import Books

IL = ZoneInfo("Asia/Jerusalem")
MON = date(2026, 11, 9)     # a Monday: the reminder of an invoice due Mon 2 Nov is due
MOBILE = "+972527654321"


def at(d: date, hour: int, minute: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=IL).astimezone(timezone.utc)


@pytest.fixture
def books(ctx) -> Books:
    return Books(ctx)


def ladder(channels: tuple[str, ...]) -> str:
    """The shipped Israeli ladder, its first reminder sent on ``channels``."""
    old = '  { channel = "email", document = "reminder" },\n]'
    text = default_policy_text("IL")
    assert old in text
    actions = "".join(f'  {{ channel = "{c}", document = "reminder" }},\n' for c in channels)
    return text.replace(old, actions + "]", 1)


def plan(ctx, books, channels=("sms",), phone="052-765-4321", language="he", **cfg) -> list[OutboxMessage]:
    ctx.org.settings.update({"sending_mode": "automatic", "send_rate_per_minute": 0, **cfg})
    ctx.org.save()
    policies.save_policy(ctx, ladder(channels), make_default=True)
    c = books.customer("C1", "דני כהן בע״מ", language=language, phone=phone)
    books.invoice(c, "1001", "1250.00", date(2026, 11, 2))
    daily_run.run(ctx, at(MON, 8))
    return list(OutboxMessage.objects.filter(channel__in=channels).order_by("id"))


@pytest.fixture
def fake019(ctx):
    with Fake019() as fake:
        texts.set_provider(ctx, "019", {"username": fake.username, "token": fake.token, "source": fake.source,
                                        "url": fake.url + "/api"})
        yield fake


@pytest.fixture
def fake_twilio(ctx):
    with FakeTwilio() as fake:
        texts.set_provider(ctx, "twilio", {"account_sid": fake.sid, "auth_token": fake.token, "from": fake.from_,
                                           "url": fake.url})
        yield fake


@pytest.fixture
def fake_whatsapp(ctx):
    with FakeWhatsApp() as fake:
        texts.set_provider(ctx, "whatsapp", {"phone_number_id": fake.phone_id, "token": fake.token,
                                             "app_secret": fake.app_secret, "verify_token": "wa-verify",
                                             "url": fake.url})
        yield fake

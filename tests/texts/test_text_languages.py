"""Short texts in the customer's language (issue 16): a customer who reads Russian or Arabic gets
the SMS in Russian or Arabic, from the documents catalog, with the page's link, within two UCS-2
segments; WhatsApp's template is asked for in that language."""

from __future__ import annotations

import pytest

from gvia.core.texting import segments
from gvia.services.sending.dispatch import dispatch_due
from tests.texts.conftest import MON, at, plan

pytestmark = pytest.mark.django_db


def test_an_sms_in_russian(ctx, books, fake019):
    [msg] = plan(ctx, books, language="ru")
    assert msg.language == "ru"
    assert dispatch_due(lambda: at(MON, 10), "w1").sent == 1
    [got] = fake019.sent
    text = got["message"]
    assert text.startswith("Gilboa Office Supplies: просрочено ₪1\xa0250,00. Оплатить: http://127.0.0.1:8000/p/")
    seg = segments(text)
    assert seg.encoding == "ucs2" and seg.count <= 2


def test_an_sms_in_arabic(ctx, books, fake019):
    plan(ctx, books, language="ar")
    assert dispatch_due(lambda: at(MON, 10), "w1").sent == 1
    [got] = fake019.sent
    text = got["message"]
    assert text.startswith("Gilboa Office Supplies: تأخّر دفع ") and "للتفاصيل والدفع: http" in text
    assert segments(text).count <= 2


def test_a_whatsapp_template_is_asked_for_in_the_customers_language(ctx, books, fake_whatsapp):
    fake_whatsapp.templates.add(("gvia_payment_reminder", "ru"))     # approved in Russian too
    plan(ctx, books, channels=("whatsapp",), language="ru")
    assert dispatch_due(lambda: at(MON, 10), "w1").sent == 1
    [got] = fake_whatsapp.sent
    assert got["template"] == ("gvia_payment_reminder", "ru")

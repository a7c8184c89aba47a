"""What the customer answers on their page (issue 16), through the page's own forms without
signing in: the forms in each language, each answer recorded for the link's customer only (a
promise, a plan request, a dispute with its attachment, what happened, a new contact), bad input
and refusals worded in the customer's language, the rate limits answered with 429, and a forged
token or another customer's invoice never reaching anything."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from gvia.services.portal import actions, links
from gvia.store.models import Activity, Dispute, Document, Promise
from gvia.store.models_portal_requests import PortalRequest

TODAY = date(2026, 3, 15)
NOW = datetime(2026, 3, 15, 9, 0, tzinfo=ZoneInfo("Asia/Jerusalem")).astimezone(timezone.utc)
PDF = b"%PDF-1.4\n%%EOF\n"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch):
    monkeypatch.setattr("gvia.services.clock.now_utc", lambda: NOW)


def text_of(response) -> str:
    html = re.sub(r"[\u2066-\u2069]|</?bdi>", "", response.content.decode())     # values' isolation
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def page(ctx, books):
    a1 = books.customer("A1", "אלפא מסחר", language="he", email="ap@alfa.co.il")
    a2 = books.customer("A2", "Beta Trading", language="en")
    books.invoice(a1, "1001", "2000.00", date(2026, 2, 1))
    books.invoice(a1, "1002", "1000.00", date(2026, 4, 1), issue=date(2026, 3, 1))
    books.invoice(a2, "2001", "700.00", date(2026, 2, 1))
    link = links.issue_link(ctx.org, a1, today=TODAY)
    return {"a1": a1, "a2": a2, "link": link, "path": links.page_path(link.token)}


@pytest.mark.parametrize("lang, heading, reason", [
    ("he", "ספרו לנו מה קרה", "שכחנו"), ("en", "Tell us what happened", "We forgot"),
    ("ar", "أخبرونا بما حدث", "نسينا"), ("ru", "Расскажите, что случилось", "Мы забыли")])
def test_the_page_offers_the_answers_in_each_language(client, page, lang, heading, reason):
    text = text_of(client.get(f"{page['path']}?lang={lang}"))
    assert heading in text and reason in text
    assert "answer/promise/" in client.get(page["path"]).content.decode()


def test_a_promise_within_the_limits_is_recorded_and_said_in_hebrew(client, page):
    r = client.post(f"{page['path']}answer/promise/?lang=he", {"due": "2026-03-31", "amount": ""})
    assert r.status_code == 200 and r["Cache-Control"] == "no-store, private"
    assert "ההתחייבות שלכם לשלם" in text_of(r) and "31/03/2026" in text_of(r)
    p = Promise.objects.get(customer=page["a1"])
    assert (p.amount_minor, p.source, p.created_by) == (300000, "portal", "customer:A1")
    assert PortalRequest.objects.get().link_id == page["link"].link.id


def test_a_plan_request_waits_and_a_bad_date_is_worded_in_english(client, page):
    r = client.post(f"{page['path']}answer/plan/?lang=en", {"installments": "3", "first": "2026-03-22"})
    assert r.status_code == 200
    assert "your request for a payment plan was sent" in text_of(r)
    assert PortalRequest.objects.get(kind="plan").status == "pending"
    r = client.post(f"{page['path']}answer/plan/?lang=en", {"installments": "3", "first": "2026-03-01"})
    assert r.status_code == 400
    assert "This date has passed; choose today (15/03/2026) or later." in text_of(r)
    # the page lists what the customer sent, and where it stands
    mine = text_of(client.get(f"{page['path']}?lang=en"))
    assert "15/03/2026: a request for a payment plan of ₪3,000.00 · waiting for an answer" in mine


def test_a_dispute_with_its_attachment_and_never_another_customers_invoice(client, page):
    r = client.post(f"{page['path']}answer/dispute/?lang=ru", {"invoice": ["2001"], "reason": "wrong_amount"})
    assert r.status_code == 400 and "2001 — не ваш открытый счёт." in text_of(r)
    assert not Dispute.objects.exists()
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = client.post(f"{page['path']}answer/dispute/?lang=ru", {
        "invoice": ["1001"], "reason": "not_received", "note": "Товар не пришёл",
        "attachment": SimpleUploadedFile("waybill.pdf", PDF, content_type="application/pdf")})
    assert r.status_code == 200 and "отмечен как оспариваемый" in text_of(r)
    d = Dispute.objects.get(customer=page["a1"])
    assert list(d.invoices.values_list("number", flat=True)) == ["1001"]
    assert Document.objects.get(customer=page["a1"]).file_name == "waybill.pdf"
    r = client.post(f"{page['path']}answer/dispute/?lang=ar", {
        "invoice": ["1002"], "reason": "other", "note": "x",
        "attachment": SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/pdf")})
    assert r.status_code == 400 and "أرفقوا ملف PDF أو صورة." in text_of(r)
    over = SimpleUploadedFile("over.pdf", PDF + b"0" * actions.UPLOAD_MAX_BYTES)     # just over: checked, unread
    r = client.post(f"{page['path']}answer/dispute/?lang=en", {"invoice": ["1002"], "reason": "wrong_amount",
                                                              "attachment": over})
    assert r.status_code == 400 and "The file is too large: at most 10 MB." in text_of(r)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (actions.UPLOAD_MAX_BYTES + 300 * 1024))
    r = client.post(f"{page['path']}answer/dispute/?lang=en", {"invoice": ["1002"], "reason": "wrong_amount",
                                                              "attachment": big})
    assert r.status_code == 413 and "The file is too large: at most 10 MB." in text_of(r)
    assert Dispute.objects.count() == 1


def test_telling_what_happened_and_a_new_contact(client, page):
    r = client.post(f"{page['path']}answer/tell/", {"reason": "cash_flow", "text": "הלקוח שלנו משלם ב-20"})
    assert r.status_code == 200 and "קיבלנו את ההודעה שלכם" in text_of(r)
    assert Activity.objects.get(customer=page["a1"], kind="message_in").data["nonpayment"] == "cash_flow"
    r = client.post(f"{page['path']}answer/contact/", {"name": "נועה", "email": "noa@alfa.co.il"})
    assert r.status_code == 200 and PortalRequest.objects.get(kind="contact").status == "pending"


def test_the_rate_limit_is_a_polite_429_and_a_forged_token_reaches_nothing(client, page):
    for i in range(actions.ACTIONS_PER_HOUR):
        PortalRequest.objects.create(organization=page["a1"].organization, customer=page["a1"], kind="told",
                                     status="done", link_id=page["link"].link.id, at=NOW - timedelta(minutes=i))
    r = client.post(f"{page['path']}answer/tell/?lang=en", {"reason": "forgot", "text": "sorry"})
    assert r.status_code == 429 and "at most 30" in text_of(r)
    forged = page["path"].replace("/p/", "/p/x")
    assert client.post(f"{forged}answer/tell/", {"reason": "forgot", "text": "x"}).status_code == 404
    assert client.post(f"{page['path']}answer/nothing/", {}).status_code == 404
    assert not Activity.objects.filter(kind="message_in").exists()

"""Messages to customers who read Arabic or Russian (issue 16): the e-mail is in their language
and carries the Hebrew original, unchanged, and its courtesy translation as two PDFs (caught by
a real SMTP server on loopback); a letter on paper puts the translation's pages after the
original's; the customer's language accepts ar and ru (the form's service and an imported file)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from gvia.core.errors import ValidationFailed
from gvia.imports.values import BadValue, parse_language
from gvia.services.ledger import customers
from gvia.services.letters import on_demand
from gvia.services.portal import links
from gvia.services.sending.compose import compose_message
from gvia.services.sending.dispatch import dispatch_due
from gvia.store.models import Customer, OutboxMessage
from tests.documents.pdftext import normalise, pdf_text
from tests.letters.conftest import AS_OF, at, bakery, message
from tests.support.smtpd import start_smtp

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch):
    monkeypatch.setattr("gvia.services.clock.now_utc", lambda: at(AS_OF))


@pytest.fixture
def smtp(ctx):
    server = start_smtp()
    ctx.org.settings.update({"sending_mode": "automatic", "send_rate_per_minute": 0,
                             "smtp": {"host": server.host, "port": server.port, "security": "none"}})
    ctx.org.save()
    yield server
    server.stop()


@pytest.fixture
def shop(ctx, books):
    return bakery(ctx, books)


def reads(customer: Customer, msg: OutboxMessage, lang: str) -> None:
    Customer.objects.filter(id=customer.id).update(language=lang)
    OutboxMessage.objects.filter(id=msg.id).update(language=lang)
    customer.refresh_from_db()
    msg.refresh_from_db()


def pdfs(message) -> dict[str, bytes]:
    return {part.get_filename(): part.get_content() for part in message.iter_attachments()
            if part.get_content_type() == "application/pdf"}


def text(pdf: bytes) -> str:
    return normalise(pdf_text(pdf))


def test_an_email_to_an_arabic_reader_carries_the_hebrew_original_and_its_translation(ctx, shop, smtp):
    msg = message(ctx, shop, "warning_letter", "email")
    hebrew = compose_message(msg, ctx.org, AS_OF).email          # what a Hebrew reader gets
    [(original_name, original)] = [(a.filename, a.content) for a in hebrew.attachments]
    assert original_name == "מכתב התראה C-100 2026-11-23.pdf"

    reads(shop, msg, "ar")
    assert dispatch_due(lambda: at(AS_OF), "w1").sent == 1
    [got] = smtp.handler.received
    mail = got.message
    assert mail["Subject"] == "إنذار قبل اتخاذ إجراءات قانونية – دين بقيمة ₪13,230.40"
    body = mail.get_body(("plain",)).get_content()
    assert "ترجمة غير رسمية للتسهيل عليكم فقط. المستند المُلزِم هو الأصل باللغة العبرية المؤرخ" in body
    assert "نطالبكم رسميًا بدفع كامل رصيد الدين" in body and "SH-1003" in body
    assert 'dir="rtl"' in mail.get_body(("html",)).get_content()
    files = pdfs(mail)
    assert list(files) == [original_name, "إنذار – ترجمة غير رسمية C-100 2026-11-23.pdf"]
    assert files[original_name] == original                       # the original, byte for byte
    translation = text(files["إنذار – ترجمة غير رسمية C-100 2026-11-23.pdf"])
    for word in ("ترجمة", "العبرية", "إنذار", "الدين", "الفاتورة"):
        assert word in translation, word
    assert "SH-1002" in translation and "₪13,230.40" in translation
    assert "תרגום לנוחותכם בלבד" in translation                  # the notice again, for the file


def test_a_reminder_email_to_a_russian_reader_is_written_in_russian(ctx, shop):
    msg = message(ctx, shop, "reminder", "email", attach=["statement"])
    reads(shop, msg, "ru")
    email = compose_message(msg, ctx.org, AS_OF).email
    assert email.subject == "Напоминание: 2 счёта ещё не оплачены"
    said = normalise(email.text)
    assert "По нашим данным, 2 счёта, указанные ниже, на общую сумму ₪13 230,40 ещё не оплачены." in said
    assert "Неофициальный перевод" not in email.text              # an e-mail of its own, not a translation
    # the attached statement goes as its Hebrew original and its translation
    names = [a.filename for a in email.attachments]
    assert names == ["דף חשבון C-100 2026-11-23.pdf", "Выписка по счёту — перевод для удобства C-100 2026-11-23.pdf"]
    statement = text(email.attachments[1].content)
    assert "Неофициальный перевод" in statement and "Выписка по счёту" in statement


def test_a_registered_letter_puts_the_translation_after_the_original(ctx, shop):
    msg = message(ctx, shop, "warning_letter", "registered_letter")
    hebrew = compose_message(msg, ctx.org, AS_OF).pdf
    reads(shop, msg, "ru")
    both = compose_message(msg, ctx.org, AS_OF).pdf
    n = len(PdfReader(io.BytesIO(hebrew)).pages)
    pages = PdfReader(io.BytesIO(both)).pages
    assert len(pages) > n
    original = "".join(p.extract_text() for p in pages[:n])
    assert original == "".join(p.extract_text() for p in PdfReader(io.BytesIO(hebrew)).pages)
    translation = text(both)[len(text(hebrew)) - 40:]
    assert "Неофициальный перевод" in translation and "Заказным письмом с уведомлением о вручении" in translation


def test_the_outbox_preview_shows_the_original_then_the_translation(ctx, shop):
    from gvia.web.pdfs import message_pdf

    msg = message(ctx, shop, "second_reminder", "letter", attach=["statement"])
    reads(shop, msg, "ru")
    got = text(message_pdf(ctx, msg, AS_OF))
    order = [got.index(w) for w in ("תזכורת שנייה לתשלום", "דף חשבון", "Повторное напоминание об оплате",
                                    "Выписка по счёту")]
    assert order == sorted(order)


def test_the_print_batch_puts_a_russian_readers_translation_in_the_same_envelope(ctx, shop, tmp_path):
    from gvia.services.letters.print_batch import render_due

    msg = message(ctx, shop, "warning_letter", "registered_letter", language="ru")
    reads(shop, msg, "ru")
    result = render_due(ctx, AS_OF, tmp_path / "print", processes=2, now=at(AS_OF))   # two processes: pickled
    assert (result.letters, result.failed) == (1, 0), result.problems
    [letter] = result.files
    got = text(letter.read_bytes())
    assert got.index("מכתב התראה") < got.index("Неофициальный перевод") and "SH-1003" in got


def test_a_letter_on_demand_for_an_arabic_reader_is_the_original_then_its_translation(ctx, shop):
    hebrew = on_demand.letter_pdf(ctx, shop.ref, "reminder", AS_OF, "he")
    shop.language = "ar"
    shop.save()
    both = on_demand.letter_pdf(ctx, shop.ref, "reminder", AS_OF)
    n = len(PdfReader(io.BytesIO(hebrew)).pages)
    pages = PdfReader(io.BytesIO(both)).pages
    assert len(pages) == 2 * n
    assert [p.extract_text() for p in pages[:n]] == [p.extract_text() for p in PdfReader(io.BytesIO(hebrew)).pages]
    translation = text(both)
    assert "ترجمة" in translation and "تذكير" in translation and "SH-1003" in translation


def test_the_customers_page_gives_a_russian_reader_the_statement_and_its_translation(ctx, shop, client):
    link = links.issue_link(ctx.org, shop, today=AS_OF)
    r = client.get(f"/p/{link.token}/statement.pdf?lang=ru")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    got = text(r.content)
    assert got.index("דף חשבון") < got.index("Выписка по счёту") and "Неофициальный перевод" in got
    assert "SH-1002" in got


def test_the_customers_language_may_be_arabic_or_russian_and_nothing_unknown(ctx, shop):
    customers.update_customer(ctx, shop.ref, {"language": "ar"})
    assert Customer.objects.get(id=shop.id).language == "ar"
    customers.update_customer(ctx, shop.ref, {"language": "ru"})
    assert Customer.objects.get(id=shop.id).language == "ru"
    with pytest.raises(ValidationFailed):
        customers.update_customer(ctx, shop.ref, {"language": "fr"})
    assert parse_language("العربية") == "ar" and parse_language("ערבית") == "ar"
    assert parse_language("Русский") == "ru" and parse_language("russian") == "ru"
    with pytest.raises(BadValue):
        parse_language("français")

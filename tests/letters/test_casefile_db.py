"""The case file built from the database: what was sent with its proof, calls, promises, the
attached documents merged in, and a checklist that says what is missing until it is there."""

from __future__ import annotations

from datetime import date

import pytest

from gvia.services.engine import calls
from gvia.services.letters import casefile
from gvia.services.letters.print_batch import render_due
from gvia.services.sending import outbox
from gvia.store.models import OutboxMessage, Promise
from tests.documents.pdftext import page_count, pdf_pages

from .conftest import AS_OF, NAME, at, message, text, upload

pytestmark = pytest.mark.django_db

MISSING = ("אין בתיק הסכם חתום", "מכתב ההתראה לא נשלח בדואר רשום, או שמספר הדואר הרשום לא נרשם",
           "אין הוכחה שמכתב ההתראה נמסר")


def checklist(ctx, c, day) -> dict[str, bool]:
    from gvia.documents import checklist as items

    return {i.key: i.ok for i in items(casefile.casefile_context(ctx, c, day))}


def test_the_checklist_says_what_is_missing_until_it_is_on_file(ctx, shop, tmp_path):
    # an e-mailed warning letter with the SMTP server's reply, a call, a broken promise
    message(ctx, shop, "warning_letter", "email", status="sent", key="manual:w-mail", sent_at=at(date(2026, 11, 1)),
            subject="התראה לפני נקיטת הליכים משפטיים", to_addrs=["avi@sharon-bakery.co.il"],
            server_reply="250 2.0.0 Ok: queued as 4F1C21A0B2")
    calls.log_call(ctx, "C-100", "no_answer", now=at(date(2026, 11, 3)))
    Promise.objects.create(organization=ctx.org, customer=shop, amount_minor=500000, currency="ILS",
                           due=date(2026, 11, 10), made_on=date(2026, 11, 5), pause_until=date(2026, 11, 10),
                           status=Promise.Status.BROKEN)
    got = text(casefile.build(ctx, "C-100", AS_OF))
    for missing in MISSING:
        assert missing in got, missing
    assert checklist(ctx, shop, AS_OF) == {
        "signed_agreement": False, "warning": True, "registered": False, "delivered": False,
        "invoice_copies": False, "debtor_id": True, "debtor_address": True, "fixed_sum": True}
    # the summary and the sections, with the amounts the ledger computes: what is due on the day
    # (13,230.40, core.demand), SH-1004's 760.00 not due until 01/12/2026 and listed apart
    assert "לתשלום עד מועד התיק | ₪13,230.40" in got
    assert "SH-1002 | 05/08/2026 | 04/09/2026 | ₪1,980.40 | ₪1,230.40 | 80" in got
    assert "250 2.0.0 Ok: queued as 4F1C21A0B2" in got and "avi@sharon-bakery.co.il" in got
    assert "אין מענה (שיחות שלא נענו: 1)" in got and "unanswered" not in got   # the file's language
    assert "05/11/2026 | ₪5,000.00 | 10/11/2026 | הופרה" in got

    # now the signed agreement, and the warning letter printed, posted by registered mail and delivered
    upload(ctx, shop, "agreement", "הסכם חתום.pdf")
    letter = message(ctx, shop, "warning_letter", "registered_letter", key="manual:w-paper",
                     planned=date(2026, 11, 2))
    assert render_due(ctx, date(2026, 11, 2), tmp_path / "print", processes=1, now=at(date(2026, 11, 2))).letters == 1
    outbox.record_registered(ctx, letter.id, "RR123456789IL", posted=date(2026, 11, 2),
                             delivered=date(2026, 11, 4), now=at(date(2026, 11, 5)))
    pdf = casefile.build(ctx, "C-100", AS_OF)
    got = text(pdf)
    for missing in MISSING:
        assert missing not in got, missing
    for present in ("הסכם חתום מצורף לתיק", "מכתב ההתראה נשלח בדואר רשום (RR123456789IL)",
                    "יש אישור מסירה למכתב ההתראה (04/11/2026)",
                    "דואר רשום RR123456789IL · נמסר לדואר 02/11/2026 · אישור מסירה 04/11/2026"):
        assert present in got, present
    assert checklist(ctx, shop, AS_OF) == {
        "signed_agreement": True, "warning": True, "registered": True, "delivered": True,
        "invoice_copies": False, "debtor_id": True, "debtor_address": True, "fixed_sum": True}
    # the agreement and a copy of the letter as printed are merged in after the file's own pages
    assert "הסכם חתום.pdf" in got and "העתק מכתב שנשלח" in got
    assert "Signed agreement" in got
    sent = OutboxMessage.objects.get(id=letter.id)
    assert sent.status == "sent" and sent.raw_path.endswith(".pdf")
    assert page_count(pdf) >= 4


def test_invoice_copies_complete_the_file(ctx, shop):
    from gvia.store.models import Invoice

    for number in ("SH-1002", "SH-1003", "SH-1004"):
        upload(ctx, shop, "invoice_copy", f"{number}.pdf", invoice=Invoice.objects.get(number=number))
    assert checklist(ctx, shop, AS_OF)["invoice_copies"] is True


def test_a_file_that_is_not_a_pdf_or_an_image_is_left_out(ctx, shop):
    upload(ctx, shop, "other", "notes.docx", data=b"PK\x03\x04 not a pdf")
    pdf = casefile.build(ctx, "C-100", AS_OF)
    first, statement = pdf_pages(pdf)          # the file's own two pages, nothing merged after them
    # the summary: the customer, what is open, the oldest invoice, what is missing
    assert f"תיק גבייה: {NAME}" in first and f"סיכום הלקוח | {NAME} ח.פ. | 515000115" in first
    assert "כתובת | רחוב הגפן 7, כפר סבא 4410001" in first and "איש קשר | אבי לוי · avi@sharon-bakery.co.il" in first
    assert "לתשלום עד מועד התיק | ₪13,230.40 חשבוניות פתוחות | 3" in first
    assert "החשבונית הוותיקה ביותר | SH-1002 · לתשלום עד 04/09/2026, באיחור של 80 ימים" in first
    assert "חסרים העתקי חשבוניות: SH-1002, SH-1003, SH-1004" in first
    # the statement and the open invoices with the ledger's amounts (the payment went oldest first)
    assert "15/10/2026 | תשלום | ₪5,000.00 | ₪13,230.40" in statement
    for line in ("SH-1002 | 05/08/2026 | 04/09/2026 | ₪1,980.40 | ₪1,230.40 | 80",
                 "SH-1003 | 10/09/2026 | 10/10/2026 | ₪12,000.00 | ₪12,000.00 | 44",
                 "סה״כ לתשלום | ₪13,230.40", "טרם הגיע מועד תשלומן במועד התיק (אינן ביתרה הפתוחה)", "SH-1004"):
        assert line in statement, line
    # every section is there; the .docx is listed nowhere (it cannot be merged)
    for section in ("מכתבים והודעות שנשלחו אין רישומים.", "יומן שיחות אין רישומים.", "הבטחות תשלום אין רישומים.",
                    "מסמכים מצורפים אין רישומים."):
        assert section in statement, section
    assert "notes.docx" not in first + statement


def test_calls_and_promises_are_worded_in_the_files_language(ctx, shop):
    """What each call achieved and a promise kept in part read in the file's language — never the
    English of the log — with amounts and days as that language writes them."""
    calls.log_call(ctx, "C-100", "promised", promise_date=date(2026, 11, 20), amount="400",
                   now=at(date(2026, 11, 10)))
    calls.log_call(ctx, "C-100", "wrong_number", now=at(date(2026, 11, 12)))
    Promise.objects.filter(customer=shop).update(status=Promise.Status.PARTIALLY_KEPT, paid_minor=15000)
    english = text(casefile.build(ctx, "C-100", AS_OF, language="en"))
    assert "promised to pay ₪400.00 by 20/11/2026" in english and "wrong number" in english
    assert "broken; ₪150.00 paid" in english and "partly kept" not in english
    hebrew = text(casefile.build(ctx, "C-100", AS_OF, language="he"))
    assert "הבטיח לשלם ₪400.00 עד 20/11/2026" in hebrew and "מספר שגוי" in hebrew
    assert "הופרה; שולמו ₪150.00" in hebrew
    for english_words in ("promised to pay", "wrong number", "paid"):
        assert english_words not in hebrew

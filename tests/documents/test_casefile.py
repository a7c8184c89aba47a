"""The case file: cover with the checklist of what is missing, all sections, attachments
merged in with the index pointing at the right pages."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime

import pytest
import typst
from pypdf import PdfReader

from gvia.core.errors import ValidationFailed
from gvia.documents import build_casefile, checklist, render
from gvia.documents.model import Attachment, SentMessage
from gvia.documents.samples import sample_casefile, sample_letter

from .pdftext import page_count, pdf_pages, pdf_text


def keys(items):
    return {c.key: c.ok for c in items}


def test_checklist_of_the_sample_file():
    items = checklist(sample_casefile("en"))
    assert keys(items) == {"signed_agreement": False, "warning": True, "registered": True,
                           "delivered": False, "invoice_copies": False, "debtor_id": True,
                           "debtor_address": True}
    texts = [c.text for c in items]
    assert "No signed agreement on file" in texts
    assert "No proof that the warning letter was delivered" in texts
    assert "The warning letter went by registered mail (RR123456789IL) · posted 02/11/2026" in texts
    assert "Invoice copies missing: INV-2026-0042, INV-2026-0057, INV-2026-0061" in texts


def test_checklist_when_everything_is_on_file():
    base = sample_casefile("en")
    warning = replace(base.messages[-1], delivered_on=date(2026, 11, 5))
    atts = (Attachment(title="agreement.pdf", kind="signed_agreement", data=b"%PDF-"),) + tuple(
        Attachment(title=f"{n}.pdf", kind="invoice_copy", data=b"%PDF-", invoice_number=n)
        for n in ("INV-2026-0042", "INV-2026-0057", "INV-2026-0061"))
    ctx = replace(base, messages=base.messages[:-1] + (warning,), attachments=atts)
    assert all(c.ok for c in checklist(ctx))
    assert "The warning letter's delivery is confirmed (05/11/2026)" in [c.text for c in checklist(ctx)]


def test_checklist_without_a_warning_or_debtor_details():
    base = sample_casefile("he")
    ctx = replace(base, messages=base.messages[:2],
                  debtor=replace(base.debtor, tax_id="", address_lines=()))
    got = {c.key: c for c in checklist(ctx)}
    assert got["warning"].text == "לא נשלח מכתב התראה"
    assert "registered" not in got and "delivered" not in got
    assert got["debtor_id"].text == "חסר מספר זהות או ח.פ. של הלקוח"
    assert got["debtor_address"].text == "חסרה כתובת הלקוח"


def _notice(**kw) -> SentMessage:
    return SentMessage(**{**dict(sent_at=datetime(2026, 11, 1, 9, 30), channel="registered_mail",
                                 document="warning_execution_office", subject="Notice", stage="1:legal_notice",
                                 registered_number="RR999IL", posted_on=date(2026, 11, 3)), **kw})


def test_execution_office_notice_period_is_counted_from_the_recorded_delivery():
    base = sample_casefile("en")
    notice = _notice(delivered_on=date(2026, 11, 5))
    # delivered 5 November: 30 whole days pass on 5 December, the claim may be filed on 6 December
    early = replace(base, messages=base.messages + (notice,), as_of=date(2026, 12, 5))
    item = {c.key: c for c in checklist(early)}["notice"]
    assert not item.ok
    assert item.text == ("30 days have not yet passed since the section 81A1 notice was delivered (05/11/2026): "
                         "the claim can be filed from 06/12/2026 (counted from the recorded delivery, the "
                         "stricter reading of the section)")
    late = replace(early, as_of=date(2026, 12, 6))
    assert {c.key: c for c in checklist(late)}["notice"].ok


def test_a_notice_without_a_recorded_delivery_has_no_filing_day_and_then_goes_to_a_person():
    base = sample_casefile("en")
    waiting = replace(base, messages=base.messages + (_notice(),), as_of=date(2026, 11, 10))
    item = {c.key: c for c in checklist(waiting)}["notice"]
    assert not item.ok and "posted on 03/11/2026 but its delivery is not recorded yet" in item.text
    late = replace(waiting, as_of=date(2026, 12, 20))
    item = {c.key: c for c in checklist(late)}["notice"]
    assert not item.ok
    assert item.text.startswith("No delivery of the section 81A1 notice is recorded 21 days after it was "
                                "posted on 03/11/2026: find out whether it was returned, refused or unclaimed")


def test_the_registered_letter_is_the_proof_even_when_its_email_copy_went_later():
    base = sample_casefile("en")
    letter = _notice(delivered_on=date(2026, 11, 5))
    copy = SentMessage(sent_at=datetime(2026, 11, 4, 8, 0), channel="email", document="warning_execution_office",
                       subject="Notice (copy)", stage="1:legal_notice", proof="250 Ok")
    ctx = replace(base, messages=(*base.messages, letter, copy), as_of=date(2026, 12, 6))
    got = {c.key: c for c in checklist(ctx)}
    assert got["registered"].ok and got["delivered"].ok and got["notice"].ok
    assert got["registered"].text == "The warning letter went by registered mail (RR999IL) · posted 03/11/2026"
    assert got["delivered"].text == "The warning letter's delivery is confirmed (05/11/2026)"
    assert "06/12/2026" in got["notice"].text
    # an e-mail of another stage, later, is that stage's own: it is not the letter's copy
    other = replace(copy, stage="2:legal_notice", sent_at=datetime(2026, 12, 1, 8, 0))
    got = {c.key: c for c in checklist(replace(ctx, messages=(*base.messages, letter, other)))}
    assert not got["registered"].ok and not got["notice"].ok


def png_bytes() -> bytes:
    return typst.compile(b'#set page(width: 60mm, height: 40mm)\n#rect(width: 100%, height: 100%, fill: blue)',
                         format="png", ppi=30)


@pytest.fixture(scope="module")
def casefile_pdf():
    two_pages = render(sample_letter("warning_letter", "he"))
    assert page_count(two_pages) == 2
    ctx = sample_casefile("he", attachments=(
        Attachment(title="מכתב ההתראה שנשלח", kind="other", data=two_pages),
        Attachment(title="אישור מסירה (סריקה)", kind="delivery_proof", data=png_bytes()),
    ))
    return ctx, build_casefile(ctx)


def test_casefile_sections_and_amounts(casefile_pdf):
    ctx, pdf = casefile_pdf
    text = pdf_text(pdf)
    for needle in (
        "תיק גבייה: אלפא Tech בע״מ",
        "לתשלום עד מועד התיק | ₪16,031.57",                     # 15,666.17 + 215.40 + 150.00
        "חשבוניות פתוחות | 3",
        "החשבונית הוותיקה ביותר | INV-2026-0042 · לתשלום עד 31/08/2026, באיחור של 84 ימים",
        "נשלחו ללקוח 3 מכתבים והודעות (האחרון ביום 02/11/2026)",
        "הלקוח נתן הבטחת תשלום אחת", "הבטחה אחת הופרה",
        "אין בתיק הסכם חתום",
        "יש אישור מסירה למכתב ההתראה",                 # a delivery_proof is attached
        "05/10/2026 | תשלום | TRF-88120 | ₪2,340.00 | ₪15,666.17",
        "INV-2026-0057 | 03/09/2026 | 03/10/2026 | ₪4,680.00 | ₪2,340.00 | 51",
        "250 2.0.0 Ok: queued as 4F1C21A0B2",
        "דואר רשום RR123456789IL · נמסר לדואר 02/11/2026 · טרם התקבל אישור מסירה",
        "20/10/2026 | דנה לוי | יוסי כהן", "הבטיח לשלם ₪5,000.00 עד 31/10/2026",   # the outcome, worded
        "20/10/2026 | ₪5,000.00 | 31/10/2026 | הופרה",
    ):
        assert needle in text, needle


def test_attachments_are_merged_and_the_index_points_at_them(casefile_pdf):
    ctx, pdf = casefile_pdf
    reader = PdfReader(io.BytesIO(pdf))
    total = len(reader.pages)
    own = total - 3                      # 2 pages of the letter + 1 page for the image
    pages = pdf_pages(pdf)
    # the index: title | kind | pages | first page
    assert f"מכתב ההתראה שנשלח | מסמך | 2 | {own + 1}" in pdf_text(pdf)
    assert f"אישור מסירה (סריקה) | אישור מסירה | 1 | {own + 3}" in pdf_text(pdf)
    # the merged letter is where the index says
    assert "הנדון: מכתב התראה לפני נקיטת הליכים משפטיים" in pages[own]
    assert "אישור מסירה (סריקה)" in pages[own + 2]
    # the case file's own pages count the attachments in "page x of y"
    assert f"עמוד 1 מתוך {total}" in pages[0]
    assert [o.title for o in reader.outline] == ["מכתב ההתראה שנשלח", "אישור מסירה (סריקה)"]


def test_empty_sections_say_so():
    ctx = sample_casefile("en", messages=(), calls=(), promises=(), statement=None)
    text = pdf_text(build_casefile(ctx))
    assert text.count("Nothing recorded.") == 6   # statement, messages, calls, promises, payment record, attachments
    assert "No collection steps have been taken yet." in text


def test_attachment_that_is_neither_pdf_nor_image_is_refused():
    ctx = sample_casefile("en", attachments=(Attachment(title="notes.txt", data=b"hello"),))
    with pytest.raises(ValidationFailed):
        build_casefile(ctx)


def test_attachment_needs_a_path_or_data():
    ctx = sample_casefile("en", attachments=(Attachment(title="nothing"),))
    with pytest.raises(ValidationFailed):
        build_casefile(ctx)


def test_outstanding_is_what_is_due_on_the_files_date_and_later_invoices_are_apart():
    from gvia.core.money import Money
    from gvia.documents.model import InvoiceLine

    base = sample_casefile("en")
    later = InvoiceLine(number="INV-2026-0099", issue_date=date(2026, 11, 20), due_date=date(2026, 12, 20),
                        original=Money.of("1000.00", "ILS"), open=Money.of("1000.00", "ILS"))
    ctx = replace(base, invoices=base.invoices + (later,))
    assert ctx.totals.get_or_zero("ILS") == base.totals.get_or_zero("ILS")    # not yet due: not counted
    text = pdf_text(build_casefile(ctx))
    assert "Due by the file's date | ₪16,031.57" in text
    assert "Not yet due on the file's date (not in the amount outstanding)" in text and "INV-2026-0099" in text


@pytest.mark.parametrize("lang, words", [("en", "could not be included"), ("he", "לא ניתן היה לצרף")])
def test_a_damaged_pdf_attachment_gets_a_page_saying_so_instead_of_failing_the_file(lang, words):
    damaged = Attachment(title="signed-order.pdf", kind="signed_agreement", data=b"%PDF-1.4 the rest is lost")
    pdf = build_casefile(sample_casefile(lang, attachments=(damaged,)))
    reader = PdfReader(io.BytesIO(pdf))
    pages = pdf_pages(pdf)
    assert words in pages[-1] and "signed-order.pdf" in pages[-1]
    assert [o.title for o in reader.outline] == ["signed-order.pdf"]
    assert "signed-order.pdf | " in pdf_text(pdf) and f"| 1 | {len(reader.pages)}" in pdf_text(pdf)


def test_a_notice_sent_before_any_rule_on_file_has_no_notice_line():
    base = sample_casefile("en")
    old = _notice(sent_at=datetime(2014, 1, 5, 9, 0), posted_on=date(2014, 1, 5), delivered_on=date(2014, 1, 7))
    items = {c.key for c in checklist(replace(base, messages=base.messages + (old,)))}
    assert "notice" not in items and "warning" in items

"""The customer's payment record printed in the case file (issue 17): the figures of
gvia.core.payment_record, in the file's language, read back from the PDF; an empty record says
nothing is recorded."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from gvia.core.payment_record import PaymentRecord, YearRecord
from gvia.documents import build_casefile
from gvia.documents.samples import sample_casefile

from .pdftext import pdf_text

RECORD = PaymentRecord(
    paid=12, on_time=9, on_time_percent=75, average_days_late=Decimal("6.5"), recent_days_late=Decimal("18.0"),
    earlier_days_late=Decimal("2.5"), trend="later", promises_kept=1, promises_closed=3, plans_completed=0,
    plans_ended=1, bounced_cheques=2,
    years=(YearRecord(2026, 5, 2, Decimal("14.2")), YearRecord(2025, 7, 7, Decimal("0.0"))))


def test_the_record_in_hebrew():
    text = pdf_text(build_casefile(replace(sample_casefile("he"), payment_record=RECORD)))
    assert "היסטוריית תשלומים" in text
    assert "9 מתוך 12 חשבוניות ששולמו במלואן (75%)" in text
    assert "משלם מאוחר יותר" in text and "18.0" in text and "2.5" in text
    assert "הבטחות תשלום שקוימו" in text and "1 מתוך 3" in text
    assert "הסדרי תשלום שהושלמו" in text and "0 מתוך 1" in text
    assert "שיקים שחזרו" in text
    assert "2026" in text and "14.2" in text


def test_the_record_in_english():
    text = pdf_text(build_casefile(replace(sample_casefile("en"), payment_record=RECORD)))
    assert "Payment record" in text and "9 of 12 invoices paid in full (75%)" in text
    assert "18.0 days late on average in the last 12 months, 2.5 before: paying later" in text
    assert "Bounced cheques" in text and "Promises to pay kept" in text


def test_no_record_says_nothing_is_recorded():
    empty = PaymentRecord(0, 0, None, None, None, None, None, 0, 0, 0, 0, 0, ())
    text = pdf_text(build_casefile(replace(sample_casefile("en"), payment_record=empty)))
    after = text.split("Payment record", 1)[1]
    assert "9 of 12" not in text and "Nothing recorded" in after[:80]

"""The statement's interest and fee lines, from a context (no database).

The sample statement closes at 15,666.17; with interest 215.40 and a collection fee of 150.00
as their own lines the balance including them is 15,666.17 + 215.40 + 150.00 = 16,031.57.
"""

from __future__ import annotations

import pytest

from gvia.core.errors import ValidationFailed
from gvia.documents import email_body, render
from gvia.documents.samples import sample_extra_lines, sample_statement

from .pdftext import pdf_text

ROWS = {
    "he": ("יתרת סגירה | ₪15,666.17", "ריבית פיגורים (לפי חוק פסיקת ריבית והצמדה) | ₪215.40",
           "דמי גבייה | ₪150.00", "יתרה כולל ריבית וחיובים נוספים | ₪16,031.57",
           "היתרה לתשלום, כולל ריבית וחיובים נוספים: ₪16,031.57."),
    "en": ("Closing balance | ₪15,666.17", "Late-payment interest (statutory rate) | ₪215.40",
           "Collection fee | ₪150.00", "Balance including interest and charges | ₪16,031.57",
           "Balance due, including interest and charges: ₪16,031.57."),
}


@pytest.mark.parametrize("lang", ["he", "en"])
def test_interest_and_fees_follow_the_entries_in_order(lang):
    ctx = sample_statement(lang, extra_lines=sample_extra_lines(lang))
    got = pdf_text(render(ctx))
    at = [got.index(row) for row in ROWS[lang]]
    assert at == sorted(at), got
    assert "15,666.17" in email_body(ctx).text and "16,031.57" in email_body(ctx).text


@pytest.mark.parametrize("lang", ["he", "en"])
def test_without_extra_lines_the_statement_is_as_before(lang):
    got = pdf_text(render(sample_statement(lang)))
    assert ROWS[lang][0] in got
    for absent in ("215.40", "150.00", "16,031.57", ROWS[lang][3].split(" |")[0]):
        assert absent not in got, absent


def test_interest_that_could_not_be_computed_is_said_not_shown():
    got = pdf_text(render(sample_statement("en", interest_unavailable=True)))
    assert "Interest and charges could not be worked out as at 23/11/2026" in got
    assert "Balance due: ₪15,666.17." in got and "16,031.57" not in got


def test_lines_and_could_not_compute_together_are_refused():
    with pytest.raises(ValidationFailed):
        render(sample_statement("en", extra_lines=sample_extra_lines("en"), interest_unavailable=True))

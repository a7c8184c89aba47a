"""Right-to-left checked two ways: the extracted text reads in logical order, and the glyphs
sit where a Hebrew reader expects them (positions on the page, independent of extraction).
"""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from gvia.core.money import Money, Totals
from gvia.core.statement import Statement, StatementLine
from gvia.documents import render
from gvia.documents.samples import sample_statement

from .pdftext import normalise, pdf_spans, pdf_text


def _span(spans, needle: str):
    hits = [s for s in spans if needle in normalise(s[2])]
    assert hits, f"{needle!r} not on the page"
    return hits[0]


def test_extraction_reads_hebrew_in_logical_order_where_pypdf_alone_does_not(rendered):
    pdf = rendered.pdf("warning_letter", "he")
    title = "הנדון: מכתב התראה לפני נקיטת הליכים משפטיים"
    assert title in pdf_text(pdf)
    # pypdf's own extraction follows the glyphs left to right: the words come out reversed
    naive = normalise(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert title not in naive


def test_hebrew_words_run_right_to_left_on_the_page(rendered):
    spans = pdf_spans(rendered.pdf("warning_letter", "he"))
    demand = _span(spans, "הננו דורשים מכם")
    line = sorted((s for s in spans if abs(s[1] - demand[1]) < 1), key=lambda s: -s[0])
    # read from the right edge leftwards, the line is the sentence in its logical order
    assert [normalise(s[2]) for s in line] == [
        "הננו דורשים מכם לשלם את מלוא יתרת החוב, בסך", "₪16,031.57", ", לא יאוחר מיום",
        "13/12/2026", "(", "14", "ימי עסקים ממועד"]


def test_tables_run_right_to_left_in_hebrew_and_left_to_right_in_english(rendered):
    for lang, rtl in (("he", True), ("en", False)):
        spans = pdf_spans(rendered.pdf("reminder", lang))
        number = _span(spans, "INV-2026-0057")
        row = [s for s in spans if abs(s[1] - number[1]) < 1]
        open_amount = [s for s in row if normalise(s[2]) == "₪2,340.00"][0]
        assert (number[0] > open_amount[0]) is rtl


def test_invoice_numbers_amounts_and_email_keep_their_own_order_inside_hebrew(rendered):
    spans = pdf_spans(rendered.pdf("reminder", "he"))
    texts = [normalise(s[2]) for s in spans]
    # each LTR token is drawn as one left-to-right run, characters in order
    for token in ("INV-2026-0042", "₪12,345.67", "billing@galil-wood.co.il", "04-9981234",
                  "L-2026-00042"):
        assert token in texts


def test_a_negative_balance_in_hebrew_keeps_its_minus_sign_in_front():
    lines = [
        StatementLine(date(2026, 9, 1), "invoice", "INV-1", "", "ILS", Money.of("1000", "ILS"), None,
                      Money.of("1000", "ILS")),
        StatementLine(date(2026, 9, 15), "payment", "TRF-9", "", "ILS", None, Money.of("1500", "ILS"),
                      Money.of("-500", "ILS")),
    ]
    st = Statement(as_of=date(2026, 11, 23), since=None, opening=Totals(), lines=lines,
                   closing=Totals([Money.of("-500", "ILS")]), pending=Totals(), open_items=[],
                   unapplied=Totals())
    pdf = render(sample_statement("he", statement=st))
    text = pdf_text(pdf)
    # 1,000.00 - 1,500.00 = -500.00: the customer is in credit by 500.00
    assert "15/09/2026 | תשלום | TRF-9 | ₪1,500.00 | -₪500.00" in text
    assert "יתרת סגירה | -₪500.00" in text
    assert "יתרת זכות לטובתכם: ₪500.00." in text
    spans = pdf_spans(pdf)
    minus = [s for s in spans if normalise(s[2]) == "-₪500.00"]
    assert minus, "the negative amount is one left-to-right run"

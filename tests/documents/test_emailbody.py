"""E-mail bodies come from the same composed text as the PDF: same sentences, same amounts."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gvia.core.formatting import BIDI_CONTROLS
from gvia.documents import compose, email_body
from gvia.documents.compose import Pairs, Para, Table
from gvia.documents.emailbody import html_inline
from gvia.documents.samples import sample_context, sample_letter

from .conftest import ALL
from .pdftext import normalise
from .test_documents_pdf import TOTAL_OPEN, TOTAL_WARNING


def html_text(body: str) -> str:
    """What a reader sees: block tags become breaks, inline tags (span, strong, a) vanish."""
    body = re.sub(r"</?(p|div|tr|td|th|br|li|ol|ul|h2|h3|table|thead|tbody)\b[^>]*>", " ", body)
    return normalise(html.unescape(re.sub(r"<[^>]+>", "", body)))


@pytest.mark.parametrize("document, lang", ALL)
def test_email_and_pdf_say_the_same_things(rendered, document, lang):
    ctx = sample_context(document, lang)
    mail = email_body(ctx)
    pdf = rendered.text(document, lang)
    text = normalise(mail.text)
    page = html_text(mail.html)
    for block in compose(ctx).email_blocks:
        if isinstance(block, Para):
            sentence = normalise(block.text)
            assert sentence in pdf, sentence
            assert sentence in text, sentence
            assert sentence in page, sentence
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    value = normalise(cell.text)
                    if value:
                        assert value in pdf and value in text and value in page, value
        elif isinstance(block, Pairs):
            for label, value in block.items:
                assert normalise(value) in text and normalise(value) in page


@pytest.mark.parametrize("lang", ["he", "en"])
def test_amounts_in_the_email_are_the_letter_amounts(lang):
    for document, total in (("reminder", TOTAL_OPEN), ("warning_letter", TOTAL_WARNING)):
        mail = email_body(sample_letter(document, lang))
        for amount in ("₪12,345.67", "₪2,340.00", "₪980.50", total):
            assert amount in mail.text
            assert amount in mail.html
    mail = email_body(sample_letter("warning_letter", lang))
    assert "₪215.40" in mail.text and "₪150.00" in mail.text


def test_subjects():
    assert email_body(sample_letter("reminder", "he")).subject == "תזכורת: 3 חשבוניות טרם שולמו"
    assert email_body(sample_letter("reminder", "en")).subject == "Reminder: 3 invoices are still open"
    one = sample_letter("reminder", "en")
    one = sample_letter("reminder", "en", invoices=one.invoices[:1])
    assert email_body(one).subject == "Reminder: invoice INV-2026-0042 is still open"
    assert email_body(sample_letter("warning_letter", "en")).subject == \
        "Letter before legal action: outstanding balance of ₪16,031.57"


def test_hebrew_html_is_right_to_left_with_ltr_spans():
    body = email_body(sample_letter("reminder", "he")).html
    assert '<html lang="he" dir="rtl">' in body
    assert 'dir="rtl" style="max-width:640px' in body
    assert '<span dir="ltr" style="white-space:nowrap">INV-2026-0042</span>' in body
    assert '<a href="https://pay.galil-wood.co.il/p/7F3K"' in body
    assert "\u2066" not in body and "\u2069" not in body  # isolates became spans
    assert 'text-align:right' in body


def test_english_html_is_left_to_right_and_plain():
    mail = email_body(sample_letter("reminder", "en"))
    assert '<html lang="en" dir="ltr">' in mail.html
    assert "<span dir=" not in mail.html  # nothing to isolate in an English letter
    assert not re.search("[\u2066-\u2069]", mail.text)


def test_customer_text_cannot_inject_markup():
    from gvia.documents.samples import sample_debtor

    evil = sample_debtor("en", contact_person='<script>alert("x")</script> **bold** {total}')
    mail = email_body(sample_letter("reminder", "en", debtor=evil))
    assert "<script>" not in mail.html
    assert "&lt;script&gt;" in mail.html
    assert 'Dear <script>alert("x")</script> **bold** {total},' in mail.text


def test_html_inline_nests_isolates():
    nowrap = ' style="white-space:nowrap"'
    assert html_inline("a \u2066INV-1\u2069 b") == f'a <span dir="ltr"{nowrap}>INV-1</span> b'
    assert html_inline("\u2068שלום\u2069") == '<span dir="rtl">שלום</span>'
    assert html_inline("x < y & \u2066z") == f'x &lt; y &amp; <span dir="ltr"{nowrap}>z</span>'


@pytest.mark.parametrize("document", ["reminder", "second_reminder", "warning_letter", "warning_execution_office"])
def test_a_hebrew_subject_carries_no_invisible_direction_marks(document):
    letter = sample_letter(document, "he")
    subject = email_body(letter).subject
    assert subject and not set(subject) & BIDI_CONTROLS, ascii(subject)
    # while the body keeps them around invoice numbers, where they order the text
    assert set(email_body(letter).text) & BIDI_CONTROLS


def _html_inline_char_by_char(text: str) -> str:
    """html_inline as it was first written, a character at a time: the reference for the faster one."""
    import html as html_lib

    from gvia.core.formatting import FSI, LRI, PDI, RLI, has_rtl, strip_bidi

    def first_strong_rtl(s: str) -> bool:
        return next((has_rtl(ch) for ch in s if ch.isalpha()), False)

    out, depth, i = [], 0, 0
    while i < len(text):
        ch = text[i]
        if ch in (LRI, RLI, FSI):
            end = text.find(PDI, i + 1)
            inner = text[i + 1:end if end >= 0 else len(text)]
            rtl = first_strong_rtl(inner) if ch == FSI else ch == RLI
            keep = ' style="white-space:nowrap"' if ch == LRI and len(inner) <= 40 else ""
            out.append(f'<span dir="{"rtl" if rtl else "ltr"}"{keep}>')
            depth += 1
        elif ch == PDI:
            if depth:
                out.append("</span>")
                depth -= 1
        else:
            out.append(html_lib.escape(strip_bidi(ch)))
        i += 1
    out.append("</span>" * depth)
    return "".join(out)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab <&>\"'שלום 12.5") + ["\u2066", "\u2067", "\u2068", "\u2069",
                                                                        "\u200e", "\u200f", "\u202a", "\u202c"]),
               max_size=60))
def test_html_inline_gives_what_the_character_loop_gave(text):
    assert html_inline(text) == _html_inline_char_by_char(text)

"""A customer with 80 open invoices (the table breaks across pages and repeats its header)
and a customer whose name mixes Hebrew and English."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from gvia.core.money import Money
from gvia.documents import email_body, render
from gvia.documents.model import InvoiceLine
from gvia.documents.samples import sample_debtor, sample_letter

from .pdftext import page_count, pdf_pages, pdf_text

HEADER = {"he": "חשבונית | תאריך | לתשלום עד | סכום החשבונית | יתרה לתשלום | ימי פיגור",
          "en": "Invoice | Date | Due | Invoiced | Outstanding | Days late"}


def squash(text: str) -> str:
    return re.sub(r"[\s|]", "", text)


def eighty() -> tuple[InvoiceLine, ...]:
    """Invoice k (1..80): invoiced 200 + k, open 100 + k shekels, due 1 July 2026 + k days."""
    return tuple(
        InvoiceLine(number=f"INV-80-{k:03d}", issue_date=date(2026, 6, 1) + timedelta(days=k),
                    due_date=date(2026, 7, 1) + timedelta(days=k),
                    original=Money.of(200 + k, "ILS"), open=Money.of(100 + k, "ILS"))
        for k in range(1, 81))


@pytest.fixture(scope="module", params=["he", "en"])
def long_letter(request):
    lang = request.param
    return lang, render(sample_letter("warning_letter", lang, invoices=eighty(), extra_lines=()))


def test_eighty_invoices_all_listed_once_with_the_total(long_letter):
    lang, pdf = long_letter
    text = pdf_text(pdf)
    for k in range(1, 81):
        due = date(2026, 7, 1) + timedelta(days=k)
        days = (date(2026, 11, 23) - due).days
        row = (f"INV-80-{k:03d} | {(date(2026, 6, 1) + timedelta(days=k)).strftime('%d/%m/%Y')} | "
               f"{due.strftime('%d/%m/%Y')} | ₪{200 + k:,}.00 | ₪{100 + k:,}.00 | {days}")
        assert text.count(row) == 1, row
    # sum of (100 + k) for k = 1..80 = 8,000 + 3,240 = 11,240.00
    total = {"he": "סה״כ לתשלום | ₪11,240.00", "en": "Total due | ₪11,240.00"}[lang]
    assert text.count(total) == 1
    assert "₪11,240.00" in text.split(total)[1]  # and the demand after the table repeats it


def test_long_table_breaks_across_pages_and_repeats_its_header(long_letter):
    lang, pdf = long_letter
    pages = pdf_pages(pdf)
    assert page_count(pdf) >= 3
    with_rows = [squash(p) for p in pages if "INV-80-" in p]
    assert len(with_rows) >= 2
    header = squash(HEADER[lang])
    for page in with_rows:
        # a repeated header is an untagged artifact, so its cells carry no " | " between
        # them: compare without separators and spaces. It comes before the first row.
        assert header in page
        assert page.index(header) < page.index("INV-80-")
    # later pages carry the running head and the page number
    assert {"he": "עמוד 2 מתוך", "en": "Page 2 of"}[lang] in pages[1]


MIXED = "אלפא Tech Solutions בע״מ"


@pytest.mark.parametrize("lang", ["he", "en"])
def test_name_mixing_hebrew_and_english(lang):
    debtor = sample_debtor(lang, name=MIXED, contact_person="John בן-דוד")
    ctx = sample_letter("reminder", lang, debtor=debtor)
    text = pdf_text(render(ctx))
    assert MIXED in text
    greeting = {"he": "שלום John בן-דוד,", "en": "Dear John בן-דוד,"}[lang]
    assert greeting in text
    mail = email_body(ctx)
    assert greeting in mail.text.replace("\u2068", "").replace("\u2069", "")
    # in HTML a name of the other direction is an isolate with the direction of its first
    # letter: "John בן-דוד" starts with a Latin letter, so it is a left-to-right span
    assert '<span dir="ltr">John בן-דוד</span>' in mail.html


def test_mixed_name_in_an_english_agreement_email_is_a_right_to_left_span():
    from gvia.documents.samples import sample_plan

    mail = email_body(sample_plan("en", debtor=sample_debtor("en", name=MIXED)))
    assert f'<span dir="rtl">{MIXED}</span>' in mail.html
    assert f"and \u2068{MIXED}\u2069 (Company no. 515432109)" in mail.text


def test_mixed_name_is_drawn_right_to_left_inside_english():
    """In an English letter the Hebrew-first name is one right-to-left unit: its first word
    (אלפא) is drawn to the right of its last (בע״מ)."""
    from .pdftext import normalise, pdf_spans

    debtor = sample_debtor("en", name=MIXED)
    spans = pdf_spans(render(sample_letter("reminder", "en", debtor=debtor)))
    first = [s for s in spans if normalise(s[2]) == "אלפא"]
    last = [s for s in spans if normalise(s[2]) == "בע״מ"]
    assert first and last
    same_line = [(a, b) for a in first for b in last if abs(a[1] - b[1]) < 1]
    assert same_line and all(a[0] > b[0] for a, b in same_line)

"""Rendering many documents on several processes, and the print batch for window envelopes."""

from __future__ import annotations

from datetime import date

import pytest

from gvia.core.errors import ValidationFailed
from gvia.documents import BatchFailed, print_batch, render, render_many
from gvia.documents.samples import AS_OF, sample_debtor, sample_letter, sample_letterhead, sample_statement

from .pdftext import page_count, pdf_pages, pdf_spans, pdf_text


def reminders(n: int, lang: str = "he"):
    return [sample_letter("reminder", lang, reference=f"L-2026-{i:05d}") for i in range(n)]


def test_render_many_on_two_processes_keeps_the_order_and_reports_progress():
    ctxs = reminders(5) + [sample_statement("en", reference="S-1")]
    seen = []
    pdfs = render_many(ctxs, processes=2, progress=seen.append)
    assert seen == [1, 2, 3, 4, 5, 6]
    assert len(pdfs) == 6
    for i in range(5):
        assert f"סימוכין | L-2026-{i:05d}" in pdf_text(pdfs[i])
    assert "Statement of account" in pdf_text(pdfs[5])


def test_render_many_in_process_gives_the_same_bytes():
    ctxs = reminders(2)
    assert render_many(ctxs, processes=1) == render_many(ctxs, processes=2)


def test_a_failing_document_is_returned_or_raised_with_its_index():
    bad = sample_letter("warning_letter", "en", debtor=sample_debtor("en", tax_id=""))
    ctxs = reminders(2, "en") + [bad]
    out = render_many(ctxs, processes=1, errors="return")
    assert isinstance(out[2], ValidationFailed) and isinstance(out[0], bytes)
    with pytest.raises(BatchFailed) as e:
        render_many(ctxs, processes=1)
    assert e.value.index == 2


def test_an_error_from_a_worker_process_keeps_its_problems():
    bad = sample_letter("warning_letter", "en", debtor=sample_debtor("en", tax_id=""))
    out = render_many(reminders(1, "en") + [bad], processes=2, errors="return")
    assert isinstance(out[1], ValidationFailed)
    assert [p.field for p in out[1].problems] == ["debtor.tax_id"]


def test_a_batch_from_letters_already_rendered():
    from gvia.documents import Posting, assemble_print_batch

    one = render(sample_letter("reminder", "en", reference="L-1"))                 # 1 page
    two = render(sample_letter("warning_letter", "en", reference="L-2"))           # 2 pages
    postings = [Posting(reference="L-1", debtor=sample_debtor("en")),
                Posting(reference="L-2", debtor=sample_debtor("en"), registered=True)]
    pdf = assemble_print_batch(list(zip(postings, [one, two])), sample_letterhead("en"), AS_OF, duplex=True)
    pages = pdf_pages(pdf)
    # 1 page + a blank back, 2 pages, then the posting list
    assert len(pages) == 5 and pages[1] == ""
    assert "L-1 | Alpha Tech Ltd" in pages[-1] and "L-2 | Alpha Tech Ltd" in pages[-1]
    assert "2 מכתבים להדפסה ולמשלוח." in pages[-1]          # the organization writes Hebrew


def test_print_batch_lays_out_every_letter_and_a_posting_list():
    ctxs = [sample_letter("warning_letter", "he", reference="L-1"),      # 2 pages
            sample_letter("reminder", "he", reference="L-2"),            # 1 page
            sample_letter("reminder", "en", reference="L-3")]            # 1 page
    pdf = print_batch(ctxs, when=date(2026, 11, 24))
    pages = pdf_pages(pdf)
    assert len(pages) == 5
    assert "עמוד 1 מתוך 2" in pages[0] and "עמוד 2 מתוך 2" in pages[1]
    assert "עמוד 1 מתוך 1" in pages[2]
    assert "Page 1 of 1" in pages[3]
    # the posting list: in the organization's language, one row per letter
    assert "רשימת דברי דואר – 24/11/2026" in pages[4]
    assert "3 מכתבים להדפסה ולמשלוח." in pages[4]
    assert "# | סימוכין | נמען | כתובת | רשום | מס׳ דואר רשום" in pages[4]
    for row in ("1 | L-1 | אלפא Tech בע״מ", "2 | L-2 | אלפא Tech בע״מ", "3 | L-3 | Alpha Tech Ltd",
                "שדרות רוטשילד 45, תל אביב-יפו", "45 Rothschild Blvd, Tel Aviv-Yafo"):
        assert row in pages[4]
    # registered: only the warning letter
    posting = pages[4].split("מס׳ דואר רשום", 1)[1]
    assert posting.count(" כן") == 1 and posting.count(" לא") == 2
    # each letter's first page has the address in the window, later pages a running head
    assert pages[1].startswith("נגרות הגליל בע״מ · מכתב התראה")


def test_duplex_starts_every_letter_on_a_new_sheet():
    ctxs = [sample_letter("reminder", "he", reference="L-1"),            # page 1 (+ blank 2)
            sample_letter("warning_letter", "he", reference="L-2"),      # pages 3-4
            sample_letter("reminder", "en", reference="L-3")]            # page 5 (+ blank 6)
    pdf = print_batch(ctxs, duplex=True, posting_list=True)
    pages = pdf_pages(pdf)
    assert page_count(pdf) == 7                                           # posting list on 7
    assert pages[1] == "" and pages[5] == ""
    assert "L-2" in pages[2] and "Page 1 of 1" in pages[4]
    assert "רשימת דברי דואר" in pages[6]


def test_print_batch_needs_letters():
    with pytest.raises(ValidationFailed):
        print_batch([])


MM = 72 / 25.4


@pytest.mark.parametrize("envelope, left, right", [
    ("din-left", 20, 105),      # DIN 5008 form B address field: 20..105 mm from the left
    ("din-right", 105, 190),    # mirrored to 20 mm from the right edge
])
def test_address_sits_in_the_window(envelope, left, right):
    from gvia.documents.samples import sample_letterhead

    ctx = sample_letter("warning_letter", "he", letterhead=sample_letterhead("he", envelope=envelope))
    spans = pdf_spans(print_batch([ctx], posting_list=False))
    address = [s for s in spans if s[2].strip() in ("לכבוד", "אלפא", "Tech", "בע״מ", "שדרות רוטשילד",
                                                     "לידי יוסי כהן")]
    assert len(address) >= 5
    for x, y, _ in address:
        assert left * MM < x < right * MM
        assert (45 + 17.7) * MM < y < 90 * MM          # under the notes zone, inside the field
    notice = [s for s in spans if s[2].strip() == "בדואר רשום עם אישור מסירה"][0]
    assert 45 * MM < notice[1] < (45 + 17.7) * MM     # the endorsement is in the notes zone

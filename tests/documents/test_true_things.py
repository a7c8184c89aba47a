"""Letters say true things (issue 12), read from the rendered PDF's text (and the e-mail body):
the Hebrew warning letter asks and offers to talk; "despite our earlier approaches" only when
there were some; the claim-basis sentence only when a basis is known; settlement offers marked
"without prejudice"; the courtesy note never calls an overdue invoice "due soon"; a reminder
names an invoice with its own amount, interest as a line of its own; a UK letter names the
statutory interest it claims and goes by "signed-for" post; no Hebrew name inside an English
sentence. The layout cases are in test_layout.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from gvia.core.formatting import has_rtl
from gvia.core.money import Money
from gvia.documents import render
from gvia.documents.compose import Para, compose
from gvia.documents.emailbody import email_body
from gvia.documents.model import StatutoryInterest
from gvia.documents.samples import (
    sample_extra_lines,
    sample_letter,
    sample_letter_of_claim,
    sample_letterhead,
    sample_settlement,
    uk_letterhead,
)

from .pdftext import normalise, pdf_text

EARLIER = {"he": "על אף פניותינו הקודמות", "en": "Despite our earlier reminders"}


def both(ctx) -> tuple[str, str]:
    """The PDF's text and the e-mail's plain text."""
    return pdf_text(render(ctx)), normalise(email_body(ctx).text)


def test_the_hebrew_warning_letter_asks_why_and_offers_to_talk():
    pdf, mail = both(sample_letter("warning_letter", "he"))
    questions = ("לפני שנמשיך, נשמח להבין מדוע החוב טרם שולם. האם יש בעיה באחת החשבוניות, או בסחורה או "
                 "בשירות שסיפקנו? האם יש קושי תזרימי שנוכל לתכנן יחד פתרון עבורו? נשמח לשוחח איתכם – "
                 "התקשרו אלינו או השיבו למכתב זה.")
    for got in (pdf, mail):
        assert questions in got
        assert got.index(questions) < got.index("הננו דורשים")            # asked before the demand
    en, _ = both(sample_letter("warning_letter", "en"))
    assert "Is there a problem with an invoice, or with the goods or services we supplied?" in en


@pytest.mark.parametrize("lang", ["he", "en"])
def test_earlier_approaches_only_when_there_were_some(lang):
    for approaches in (0, 2):
        pdf, mail = both(sample_letter("warning_letter", lang, earlier_approaches=approaches))
        for got in (pdf, mail):
            assert (EARLIER[lang] in got) is bool(approaches)
    loc_first = pdf_text(render(sample_letter_of_claim(lang, earlier_approaches=0)))
    loc_after = pdf_text(render(sample_letter_of_claim(lang, earlier_approaches=1)))
    later = {"he": "על אף תזכורותינו הקודמות", "en": "despite our earlier reminders"}[lang]
    assert later not in loc_first and later in loc_after
    second = {"he": "פנינו אליכם לאחרונה", "en": "We wrote to you recently"}[lang]
    assert second not in pdf_text(render(sample_letter("second_reminder", lang)))
    assert second in pdf_text(render(sample_letter("second_reminder", lang, earlier_approaches=1)))


@pytest.mark.parametrize("lang", ["he", "en"])
def test_the_claim_basis_sentence_only_when_a_basis_is_known(lang):
    sentence = {"he": "החוב נובע מהתחייבותכם על פי", "en": "The debt arises"}[lang]
    basis = {"he": "הסכם המסגרת מיום 01/03/2026", "en": "the framework agreement of 1 March 2026"}[lang]
    assert sentence not in pdf_text(render(sample_letter("warning_letter", lang)))
    got = pdf_text(render(sample_letter("warning_letter", lang, claim_basis=basis)))
    assert f"{sentence} {basis}" in got or f"{sentence} under {basis}" in got
    # the Execution Office notice names it (and is refused without one: checks.py)
    notice = pdf_text(render(sample_letter("warning_execution_office", lang)))
    assert sentence in notice


@pytest.mark.parametrize("lang", ["he", "en"])
def test_a_settlement_offer_is_marked_without_prejudice(lang):
    mark = {"he": "ללא הודאה ובלי לפגוע בזכויות", "en": "Without prejudice"}[lang]
    greeting = {"he": "א.ג.נ.,", "en": "Dear Yossi Cohen,"}[lang]
    pdf, mail = both(sample_settlement(lang))
    for got in (pdf, mail):
        assert got.index(mark) < got.index(greeting)                   # at the head of the letter
    assert "<strong>" + mark + "</strong>" in email_body(sample_settlement(lang)).html


@pytest.mark.parametrize("lang", ["he", "en"])
def test_the_courtesy_note_never_calls_an_overdue_invoice_due_soon(lang):
    soon = {"he": ("מתקרב", "בקרוב"), "en": ("soon",)}[lang]
    # every invoice already past its due date on 23/11/2026
    overdue = sample_letter("courtesy", lang, as_of=date(2026, 11, 23))
    c = compose(overdue)
    pdf = pdf_text(render(overdue))
    for word in soon:
        assert word not in pdf and word not in c.subject
    assert {"he": "כבר חלף", "en": "past their due date"}[lang] in pdf
    # on 15/09/2026: INV-2026-0042 (due 31/08) is past due, the two others come due soon
    mixed = pdf_text(render(sample_letter("courtesy", lang, as_of=date(2026, 9, 15))))
    past = {"he": "מועד התשלום של החשבונית שלהלן כבר חלף", "en": "The invoice below is already past its due date"}
    assert mixed.index(soon[0]) < mixed.index(past[lang]) < mixed.index("INV-2026-0042")


def test_a_reminder_names_an_invoice_at_its_own_amount_interest_apart():
    """The UK reminder used to say "invoice 10862 for £380.51" of a £292 invoice (interest folded in)."""
    lc = sample_letter("reminder", "en", invoices=sample_letter("reminder").invoices[:1],
                       extra_lines=sample_extra_lines("en"))
    pdf, mail = both(lc)
    for got in (pdf, mail):
        assert "invoice INV-2026-0042 for ₪12,345.67, which was due on 31/08/2026" in got
        assert "Late-payment interest (statutory rate) | ₪215.40" in got and "Collection fee | ₪150.00" in got
        assert "with them, the total due is ₪12,711.07" in got and "Total due | ₪12,711.07" in got


STATUTORY = StatutoryInterest(percents=("12.25",), base_rates=("4.25",), daily=Money.of("0.56", "GBP"),
                              fixed=Money.of("110.00", "GBP"))


@pytest.mark.parametrize("document", ["warning_letter", "letter_of_claim"])
def test_a_uk_letter_names_the_statutory_interest_it_claims(document):
    base = sample_letter_of_claim("en") if document == "letter_of_claim" else sample_letter(
        "warning_letter", "en", letterhead=uk_letterhead())
    pdf, mail = both(replace(base, statutory=STATUTORY))
    act = ("As the law allows, we are claiming statutory interest under the Late Payment of Commercial Debts "
           "(Interest) Act 1998 at 12.25% a year (8% over the Bank of England base rate of 4.25%). It adds £0.56 "
           "for each day the debt remains unpaid. We are also claiming £110.00 in fixed sums under section 5A "
           "of the Act.")
    assert act in pdf and act in mail
    assert "Late Payment" not in pdf_text(render(base))                # not claimed: not named


def test_uk_registered_post_is_signed_for():
    uk = pdf_text(render(sample_letter("warning_letter", "en", letterhead=uk_letterhead())))
    assert "By signed-for post" in uk and "delivery confirmation" not in uk
    il = pdf_text(render(sample_letter("warning_letter", "en")))
    assert "By registered mail with delivery confirmation" in il


def test_no_hebrew_name_of_the_business_inside_an_english_sentence():
    """A business whose signatory has only a Hebrew name: the English sentence about whom to
    contact takes its generic form; the name is still printed under the signature."""
    lh = sample_letterhead("en", signatory_name="דנה לוי")
    lc = sample_letter("warning_letter", "en", letterhead=lh)
    c = compose(lc)
    for b in c.blocks:
        if isinstance(b, Para):
            assert not has_rtl(b.text), b.text
    got = pdf_text(render(lc))
    assert "If you have any questions, please contact us on 04-9981234" in got
    assert "דנה לוי" in got                                             # under the signature

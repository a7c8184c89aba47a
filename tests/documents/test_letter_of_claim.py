"""The UK letter of claim (Pre-Action Protocol for Debt Claims): what the letter must say,
its three annexes on pages of their own, the e-mail without the forms, and the checks.

Hand-computed from samples.sample_letter_of_claim: HJ-1001 1,250.00 open, HJ-1019 840.00
of which 420.00 open, interest 38.64: 1,250.00 + 420.00 + 38.64 = 1,708.64 GBP. The letter
is dated 23/11/2026; 30 days later is 23/12/2026.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from gvia.core.errors import ValidationFailed
from gvia.core.legal_rules import pre_action_debt_rule
from gvia.documents import email_body, render
from gvia.documents.casefile import checklist
from gvia.documents.legal import DEBT_ADVICE
from gvia.documents.model import SentMessage
from gvia.documents.samples import sample_casefile, sample_letter_of_claim, uk_letterhead

from .pdftext import pdf_pages, pdf_text

EN_ELEMENTS = [
    # the Protocol, the debt and what it arises from
    "We are writing to you under the Pre-Action Protocol for Debt Claims.",
    "The debt arises under the agreement of 3 June 2026 for fitting a kitchen, between you and "
    "Harbour Joinery Ltd. You can ask us for a copy of the agreement.",
    "As at 23/11/2026, the outstanding balance is £1,708.64, made up as follows:",
    "HJ-1001 | 01/07/2026 | 31/07/2026 | £1,250.00 | £1,250.00 | 115",
    "HJ-1019 | 12/08/2026 | 11/09/2026 | £840.00 | £420.00 | 73",
    # interest as its own line, and that it continues
    "Late-payment interest (8% a year) | £38.64",
    "Total due | £1,708.64",
    "It continues to be added to the unpaid balance",
    # the 30-day reply period, where the Reply Form goes
    "Please reply within 30 days of the date of this letter, that is by 23/12/2026.",
    "send it to us at Unit 4, Quayside Works, Leeds LS10 1JF, or by e-mail to accounts@harbour-joinery.co.uk.",
    # how to pay
    "If you agree that you owe the debt, please pay £1,708.64 by 23/12/2026.",
    "Sort code | 20-32-06",
    "Account number | 43218765",
    "Payment reference | LOC-2026-0007",
    "https://pay.harbour-joinery.co.uk/i/9QX2",
    # instalments, disputes, free advice, what happens next
    "We will consider any reasonable offer to pay by instalments",
    "If you do not agree that you owe the debt, or part of it, please tell us why on the Reply Form.",
    "If you tell us that you are getting debt advice, we will give you a reasonable amount of extra time",
    "If we have not heard from you by 23/12/2026",
    "Dear Daniel Cohen,",
    "Yours sincerely,",
    "Enclosed: Information Sheet, Reply Form, Financial Statement.",
]


@pytest.fixture(scope="module")
def en_pdf() -> bytes:
    return render(sample_letter_of_claim("en"))


@pytest.fixture(scope="module")
def he_pdf() -> bytes:
    return render(sample_letter_of_claim("he"))


def test_the_letter_holds_every_element_the_protocol_asks_for(en_pdf):
    text = pdf_text(en_pdf)
    for element in EN_ELEMENTS:
        assert element in text, element


def test_each_annex_starts_a_page_of_its_own(en_pdf):
    pages = pdf_pages(en_pdf)
    heads = {"Information Sheet": None, "Reply Form": None, "Financial Statement": None}
    running = "Harbour Joinery Ltd · Letter of claim · Daniel Cohen "
    for i, page in enumerate(pages):
        for title in heads:
            if page.startswith(running + title + " With the letter of claim dated 23/11/2026"):
                heads[title] = i
    assert None not in heads.values(), heads
    assert 0 < heads["Information Sheet"] < heads["Reply Form"] < heads["Financial Statement"]
    info = pages[heads["Information Sheet"]]
    for a in DEBT_ADVICE:
        assert a.name in info and a.website in info
        if a.phone:
            assert a.phone in info
    assert "You should reply within 30 days of the date of the letter" in info
    form = " ".join(pages[heads["Reply Form"]:heads["Financial Statement"]])
    assert "Name | Daniel Cohen" in form and "Address | 14 Elm Grove, Harrogate HG1 2AB" in form
    assert "I agree that I owe the whole debt of £1,708.64." in form
    assert "I do not agree that I owe the debt." in form
    assert "I am getting debt advice from the organisation named here" in form
    fs = " ".join(pages[heads["Financial Statement"]:])
    for row in ("Wages or salary, after tax", "Rent or mortgage", "Council tax", "Total income",
                "Total outgoings", "Money left each month (income less outgoings)", "Owed to"):
        assert row in fs, row


def test_the_hebrew_version_reads_in_order_and_offers_the_english(he_pdf):
    text = pdf_text(he_pdf)
    assert "נבקש את תשובתכם בתוך 30 ימים מתאריך מכתב זה, כלומר עד 23/12/2026." in text
    assert "נכון ליום 23/11/2026, יתרת החוב עומדת על £1,708.64, כמפורט להלן:" in text
    assert "ריבית פיגורים (8% לשנה) | £38.64" in text
    assert "סה״כ לתשלום | £1,708.64" in text
    assert "חובכם כלפי Harbour Joinery Ltd בגין החשבוניות המפורטות להלן טרם שולם" in text
    assert "נוסח באנגלית של מכתב זה ושל נספחיו יישלח אליכם לפי בקשה." in text
    for title in ("דף מידע", "טופס תשובה", "הצהרה על מצב כספי"):
        assert title in text


def test_the_email_carries_the_letter_but_not_the_forms():
    mail = email_body(sample_letter_of_claim("en"))
    assert mail.subject == "Letter of claim: £1,708.64 owed to Harbour Joinery Ltd"
    assert "Please reply within 30 days of the date of this letter, that is by 23/12/2026." in mail.text
    assert "£38.64" in mail.text and "£1,708.64" in mail.html
    for form_only in ("National Debtline", "Wages or salary", "I agree that I owe the whole debt"):
        assert form_only not in mail.text and form_only not in mail.html


def test_interest_and_agreement_sentences_follow_the_data():
    no_interest = replace(sample_letter_of_claim("en"), extra_lines=(), claim_basis="")
    text = pdf_text(render(no_interest))
    assert "We are not adding interest or any other charges to this debt at present." in text
    assert "The debt is for the goods or services we supplied to you" in text
    assert "Total due | £1,670.00" in text          # 1,250.00 + 420.00
    stopped = replace(sample_letter_of_claim("en"), interest_continuing=False)
    assert "We are not adding interest" in pdf_text(render(stopped))


def test_the_reply_period_is_at_least_thirty_days():
    assert pre_action_debt_rule(date(2026, 11, 23)).reply_by(date(2026, 11, 23)) == date(2026, 12, 23)
    with pytest.raises(ValidationFailed) as e:
        render(sample_letter_of_claim("en", deadline=date(2026, 12, 22)))
    assert [p.field for p in e.value.problems] == ["deadline"]
    with pytest.raises(ValidationFailed):
        render(sample_letter_of_claim("en", deadline=None))


def test_the_creditor_must_say_where_to_reply_and_how_to_talk():
    bare = uk_letterhead(address_lines=(), phone="", email="")
    with pytest.raises(ValidationFailed) as e:
        render(sample_letter_of_claim("en", letterhead=bare))
    assert {p.field for p in e.value.problems} == {"letterhead.address_lines", "letterhead.phone"}


def test_a_consumer_needs_no_id_number():
    ctx = sample_letter_of_claim("en")
    assert ctx.debtor.tax_id == "" and ctx.debtor.is_individual
    assert render(ctx).startswith(b"%PDF")


def test_a_letter_of_claim_counts_as_the_warning_in_the_case_file():
    sent = SentMessage(sent_at=date(2026, 11, 23), channel="registered_mail", document="letter_of_claim",
                       subject="Letter of claim", registered_number="RR1234GB", posted_on=date(2026, 11, 23),
                       delivered_on=date(2026, 11, 25))
    items = {c.key: c for c in checklist(replace(sample_casefile("en"), messages=(sent,)))}
    assert items["warning"].ok and items["registered"].ok and items["delivered"].ok
    assert "25/11/2026" in items["delivered"].text

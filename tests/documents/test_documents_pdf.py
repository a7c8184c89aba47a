"""Every document in both languages: the text of the rendered PDF holds the customer's name,
each invoice number, each amount as the locale writes it and the total, in logical order.

The expected strings are written out by hand from the sample data (gvia.documents.samples):
open invoices 12,345.67 + 2,340.00 + 980.50 = 15,666.17; with interest 215.40 and a fee
150.00 the warning letter asks for 16,031.57. Days overdue on 23/11/2026: due 31/08 -> 84,
due 03/10 -> 51, due 20/10 -> 34.
"""

from __future__ import annotations

import pytest

from gvia.documents import render
from gvia.documents.samples import sample_letter

from .conftest import ALL
from .pdftext import page_count, pdf_pages, pdf_text

NAME = {"he": "אלפא Tech בע״מ", "en": "Alpha Tech Ltd"}
ORG = {"he": "נגרות הגליל בע״מ", "en": "Galil Woodworks Ltd"}
# the letter of claim is a UK business's (samples.sample_letter_of_claim)
UK_NAME = {"he": "דניאל כהן", "en": "Daniel Cohen"}
UK_ORG = "Harbour Joinery Ltd"
TOTAL_OPEN = "₪15,666.17"
TOTAL_WARNING = "₪16,031.57"
TOTAL_LABEL = {"he": "סה״כ לתשלום", "en": "Total due"}

# invoice rows as the full table shows them: number | issued | due | invoiced | open | days late
FULL_ROWS = [
    "INV-2026-0042 | 01/08/2026 | 31/08/2026 | ₪12,345.67 | ₪12,345.67 | 84",
    "INV-2026-0057 | 03/09/2026 | 03/10/2026 | ₪4,680.00 | ₪2,340.00 | 51",
    "INV-2026-0061 | 20/09/2026 | 20/10/2026 | ₪980.50 | ₪980.50 | 34",
]
SHORT_ROWS = [  # courtesy: number | issued | due | amount
    "INV-2026-0042 | 01/08/2026 | 31/08/2026 | ₪12,345.67",
    "INV-2026-0057 | 03/09/2026 | 03/10/2026 | ₪2,340.00",
    "INV-2026-0061 | 20/09/2026 | 20/10/2026 | ₪980.50",
]


def expected(document: str, lang: str) -> list[str]:
    """What the PDF of each document must show, in reading order within each string."""
    total_row = f"{TOTAL_LABEL[lang]} | "
    if document == "courtesy":
        return SHORT_ROWS + [total_row + TOTAL_OPEN]
    if document in ("reminder", "second_reminder", "warning_execution_office", "debt_notice"):
        return FULL_ROWS + [total_row + TOTAL_OPEN]
    if document == "warning_letter":
        extra = {"he": ["ריבית פיגורים (לפי חוק פסיקת ריבית והצמדה) | ₪215.40", "דמי גבייה | ₪150.00"],
                 "en": ["Late-payment interest (statutory rate) | ₪215.40", "Collection fee | ₪150.00"]}[lang]
        return FULL_ROWS + extra + [total_row + TOTAL_WARNING]
    if document == "letter_of_claim":
        # 1,250.00 + 420.00 open + 38.64 interest = 1,708.64; 115 and 73 days late on 23/11/2026
        interest = {"he": "ריבית פיגורים (8% לשנה) | £38.64",
                    "en": "Late-payment interest (8% a year) | £38.64"}[lang]
        return ["HJ-1001 | 01/07/2026 | 31/07/2026 | £1,250.00 | £1,250.00 | 115",
                "HJ-1019 | 12/08/2026 | 11/09/2026 | £840.00 | £420.00 | 73",
                interest, f"{total_row}£1,708.64"]
    if document == "statement":
        kinds = {"he": ("חשבונית", "תשלום", "יתרת סגירה"), "en": ("Invoice", "Payment", "Closing balance")}[lang]
        inv, pay, closing = kinds
        return [f"01/08/2026 | {inv} | INV-2026-0042 | ₪12,345.67 | ₪12,345.67",
                f"03/09/2026 | {inv} | INV-2026-0057 | ₪4,680.00 | ₪17,025.67",
                f"20/09/2026 | {inv} | INV-2026-0061 | ₪980.50 | ₪18,006.17",
                f"05/10/2026 | {pay} | TRF-88120 | ₪2,340.00 | ₪15,666.17",
                f"{closing} | ₪15,666.17"]
    if document == "payment_plan":
        return SHORT_ROWS + ["1 | 01/12/2026 | ₪3,916.54", "2 | 01/01/2027 | ₪3,916.54",
                             "3 | 01/02/2027 | ₪3,916.54", "4 | 01/03/2027 | ₪3,916.55",
                             f"{total_row}₪15,666.17"]
    if document == "settlement":
        labels = {"he": ("החוב נכון ליום 23/11/2026", "הסכום המוסכם", "הסכום שנוותר עליו", "לתשלום עד"),
                  "en": ("Debt as at 23/11/2026", "Agreed amount", "Amount waived", "Pay by")}[lang]
        return [f"{labels[0]} | ₪16,031.57", f"{labels[1]} | ₪14,500.00",
                f"{labels[2]} | ₪1,531.57", f"{labels[3]} | 15/12/2026"]
    raise AssertionError(document)


@pytest.mark.parametrize("document, lang", ALL)
def test_name_numbers_amounts_and_total(rendered, document, lang):
    text = rendered.text(document, lang)
    uk = document == "letter_of_claim"
    consumer = document == "debt_notice"     # Israel's consumer debt notice goes to a person
    assert ({"he": "דנה כהן", "en": "Dana Cohen"} if consumer else UK_NAME if uk else NAME)[lang] in text
    assert (UK_ORG if uk else ORG[lang]) in text
    for row in expected(document, lang):
        assert row in text, f"{row!r} not in the {document} ({lang})"


@pytest.mark.parametrize("document, lang", ALL)
def test_every_document_fits_its_pages_and_numbers_them(rendered, document, lang):
    pdf = rendered.pdf(document, lang)
    n = page_count(pdf)
    label = "עמוד {} מתוך {}" if lang == "he" else "Page {} of {}"
    pages = pdf_pages(pdf)
    for i, page in enumerate(pages, 1):
        assert label.format(i, n) in page


# Whole sentences, as a reader reads them: proof that the Hebrew comes out in logical order
# with the left-to-right pieces (amounts, invoice numbers, e-mail) in their place.
SENTENCES = {
    ("reminder", "he"): "לפי הרישומים שלנו, 3 החשבוניות שלהלן, בסך כולל של ₪15,666.17, טרם שולמו.",
    ("reminder", "en"): "According to our records, the 3 invoices below, totalling ₪15,666.17, have not yet been paid.",
    ("courtesy", "he"): "רצינו להזכיר בנעימות שמועד התשלום של 3 החשבוניות שלהלן, בסך כולל של ₪15,666.17, מתקרב.",
    ("second_reminder", "he"): "היתרה לתשלום היא ₪15,666.17, והוותיקה מבין החשבוניות נמצאת באיחור של 84 ימים.",
    ("second_reminder", "en"): "The balance due is ₪15,666.17, and the oldest of the invoices is now 84 days "
                               "past its due date.",
    ("warning_letter", "he"): "הננו דורשים מכם לשלם את מלוא יתרת החוב, בסך ₪16,031.57, לא יאוחר מיום 13/12/2026 "
                              "(14 ימי עסקים ממועד מכתב זה).",
    ("warning_letter", "en"): "We now formally demand that you pay the full outstanding balance of ₪16,031.57 no "
                              "later than 13/12/2026 (14 business days from the date of this letter).",
    ("statement", "he"): "היתרה לתשלום: ₪15,666.17.",
    ("payment_plan", "he"): "הצדדים מסכימים כי נכון ליום 23/11/2026 עומד חוב הלקוח כלפי הנושה על ₪15,666.17.",
    ("settlement", "he"): "אם הסכום של ₪14,500.00 יתקבל במלואו לא יאוחר מיום 15/12/2026, נוותר על יתרת החוב, "
                          "בסך ₪1,531.57, ונראה בחוב כמסולק במלואו.",
    ("settlement", "en"): "If we receive ₪14,500.00 in full no later than 15/12/2026, we will waive the rest of "
                          "the debt, ₪1,531.57, and treat the debt as fully settled.",
}


@pytest.mark.parametrize("key", sorted(SENTENCES))
def test_sentences_read_in_logical_order(rendered, key):
    assert SENTENCES[key] in rendered.text(*key)


def test_contact_line_keeps_phone_and_email_in_place(rendered):
    text = rendered.text("reminder", "he")
    assert "לכל שאלה אפשר לפנות אל דנה לוי בטלפון 04-9981234 או בדוא״ל billing@galil-wood.co.il." in text


def test_english_letter_for_a_us_organization_uses_us_formats():
    from datetime import date

    from gvia.core.money import Money
    from gvia.documents.model import InvoiceLine
    from gvia.documents.samples import sample_letterhead

    inv = (InvoiceLine(number="A-17", issue_date=date(2026, 10, 1), due_date=date(2026, 10, 31),
                       original=Money.of("1234.50", "USD"), open=Money.of("1234.50", "USD")),
           InvoiceLine(number="A-18", issue_date=date(2026, 10, 5), due_date=date(2026, 11, 4),
                       original=Money.of("99.99", "USD"), open=Money.of("99.99", "USD")))
    ctx = sample_letter("reminder", "en", letterhead=sample_letterhead("en", locale="en-US"),
                        invoices=inv, deadline=date(2026, 12, 7))
    text = pdf_text(render(ctx))
    # 1,234.50 + 99.99 = 1,334.49; month first; 23 days and 19 days late on 11/23/2026
    assert "A-17 | 10/01/2026 | 10/31/2026 | $1,234.50 | $1,234.50 | 23" in text
    assert "A-18 | 10/05/2026 | 11/04/2026 | $99.99 | $99.99 | 19" in text
    assert "Total due | $1,334.49" in text
    assert "settle the balance by 12/07/2026." in text


def test_totals_in_two_currencies_are_never_added():
    from datetime import date

    from gvia.core.money import Money
    from gvia.documents.model import InvoiceLine

    inv = (InvoiceLine(number="X-1", issue_date=date(2026, 9, 1), due_date=date(2026, 10, 1),
                       original=Money.of("1000", "ILS"), open=Money.of("1000", "ILS")),
           InvoiceLine(number="X-2", issue_date=date(2026, 9, 1), due_date=date(2026, 10, 1),
                       original=Money.of("250", "USD"), open=Money.of("250", "USD")))
    for lang, rows, phrase in (
        ("he", ["סה״כ לתשלום (ILS) | ₪1,000.00", "סה״כ לתשלום (USD) | $250.00"], "₪1,000.00 ו־$250.00"),
        # an English letter of an Israeli organization is written en-GB: CLDR says US$ there
        ("en", ["Total due (ILS) | ₪1,000.00", "Total due (USD) | US$250.00"], "₪1,000.00 and US$250.00"),
    ):
        text = pdf_text(render(sample_letter("reminder", lang, invoices=inv)))
        for row in rows:
            assert row in text
        assert phrase in text


def test_same_context_gives_the_same_bytes():
    ctx = sample_letter("reminder", "he")
    assert render(ctx) == render(ctx)

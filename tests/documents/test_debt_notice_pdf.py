"""The consumer debt notice (document ``debt_notice``, issue 15) holds, in Hebrew and in English,
what the sources name: that it is the notice of the Consumer Protection Law s.13B2, the unpaid
charges with their amounts and due dates, the 14 days counted from the day it is sent and the
first day a step may come (counted by core/debt_notice.py, across a month end here), that it
costs nothing, how to pay and what to do if a charge is wrong. Read from the PDF's text."""

from __future__ import annotations

from datetime import date

import pytest

from gvia.documents import email_body, render
from gvia.documents.samples import sample_letter

from .pdftext import pdf_text

ELEMENTS = {
    "he": [
        "הנדון: הודעת חוב",
        "לכבוד דנה כהן",
        "הודעה זו היא הודעת חוב לפי סעיף 13ב2 לחוק הגנת הצרכן, התשמ״א-1981.",
        "לפי הרישומים שלנו, 3 החשבוניות שלהלן, בסך כולל של ₪15,666.17, לא שולמו במועדים שנקבעו לתשלומן.",
        "INV-2026-0042 | 01/08/2026 | 31/08/2026 | ₪12,345.67 | ₪12,345.67 | 84",
        "INV-2026-0057 | 03/09/2026 | 03/10/2026 | ₪4,680.00 | ₪2,340.00 | 51",
        "סה״כ לתשלום | ₪15,666.17",
        "לא ננקוט כל פעולה לגביית החוב לפני שיחלפו 14 ימים מיום שליחת הודעה זו (23/11/2026), "
        "כלומר לא לפני 08/12/2026.",
        "הודעה זו אינה כרוכה בתשלום כלשהו מצדכם.",
        "סימוכין להעברה | L-2026-00042",
        "אם לדעתכם אחד החיובים אינו נכון, או שכבר שילמתם, אנא פנו אלינו ונבדוק זאת יחד.",
        "בברכה, דנה לוי מנהלת כספים נגרות הגליל בע״מ",
    ],
    "en": [
        "Debt notice Dear Dana Cohen,",
        "This is a debt notice under section 13B2 of the Consumer Protection Law, 5741-1981.",
        "According to our records, the 3 invoices below, totalling ₪15,666.17, were not paid on the dates set "
        "for their payment.",
        "INV-2026-0061 | 20/09/2026 | 20/10/2026 | ₪980.50 | ₪980.50 | 34",
        "Total due | ₪15,666.17",
        "We will take no step to collect this debt until 14 days have passed from the day this notice is sent "
        "(23/11/2026), that is, not before 08/12/2026.",
        "This notice costs you nothing.",
        "If you think any of these charges is wrong, or you have already paid, please contact us",
    ],
}


@pytest.mark.parametrize("lang", ["he", "en"])
def test_the_notice_holds_what_the_sources_name(lang):
    text = pdf_text(render(sample_letter("debt_notice", lang)))
    for element in ELEMENTS[lang]:
        assert element in text, (element, text)


def test_one_charge_and_the_wait_across_a_month_end():
    one = sample_letter("debt_notice", "en", as_of=date(2027, 1, 25))
    one = sample_letter("debt_notice", "en", as_of=date(2027, 1, 25), invoices=one.invoices[:1])
    text = pdf_text(render(one))
    assert "invoice INV-2026-0042 for ₪12,345.67, due on 31/08/2026, was not paid on the date set" in text
    assert "(25/01/2027), that is, not before 09/02/2027." in text
    assert "If you think this charge is wrong, or you have already paid it" in text


def test_the_email_carries_the_notice():
    body = email_body(sample_letter("debt_notice", "he"))
    assert "הודעת חוב: 3 חשבוניות לא שולמו במועד" == body.subject
    assert "לא לפני 08/12/2026" in body.text

"""The formal warning letter holds every element the issue lists, in both languages, and the
Execution Office notice adds what section 81A1 requires."""

from __future__ import annotations

import pytest

from .test_documents_pdf import FULL_ROWS

ELEMENTS = {
    "he": {
        "creditor name": "נגרות הגליל בע״מ",
        "creditor company number": "ח.פ. 514789632",
        "creditor address": "רחוב התעשייה 12, כרמיאל 2161002",
        "creditor contact person": "איש קשר | דנה לוי",
        "creditor phone": "טלפון | 04-9981234",
        "creditor e-mail": "דוא״ל | billing@galil-wood.co.il",
        "debtor name": "לכבוד אלפא Tech בע״מ",
        "debtor company number": "ח.פ. 515432109",
        "debtor address": "שדרות רוטשילד 45 תל אביב-יפו 6578403",
        "table header": "חשבונית | תאריך | לתשלום עד | סכום החשבונית | יתרה לתשלום | ימי פיגור",
        "interest line": "ריבית פיגורים (לפי חוק פסיקת ריבית והצמדה) | ₪215.40",
        "fee line": "דמי גבייה | ₪150.00",
        "total": "סה״כ לתשלום | ₪16,031.57",
        "demand and deadline": "לשלם את מלוא יתרת החוב, בסך ₪16,031.57, לא יאוחר מיום 13/12/2026 "
                               "(14 ימי עסקים ממועד מכתב זה).",
        "bank account": "מספר חשבון | 345678",
        "bank": "בנק | בנק הפועלים (12)",
        "branch": "סניף | 612",
        "payment reference": "סימוכין להעברה | L-2026-00042",
        "payment link": "https://pay.galil-wood.co.il/p/7F3K",
        "consequences": "נפעל לגבייתו בהליכים משפטיים, ללא התראה נוספת",
        "payment plan offer": "ונשמח לבחון עמכם הסדר תשלומים.",
        "date": "תאריך | 23/11/2026",
        "hebrew date": "י״ג בכסלו תשפ״ז",
        "registered mail": "בדואר רשום עם אישור מסירה",
        "signature": "בכבוד רב, דנה לוי מנהלת כספים נגרות הגליל בע״מ",
    },
    "en": {
        "creditor name": "Galil Woodworks Ltd",
        "creditor company number": "Company no. 514789632",
        "creditor address": "12 HaTaasiya St, Karmiel 2161002, Israel",
        "creditor contact person": "Contact | Dana Levi",
        "creditor phone": "Phone | 04-9981234",
        "creditor e-mail": "E-mail | billing@galil-wood.co.il",
        "debtor name": "Alpha Tech Ltd",
        "debtor company number": "Company no. 515432109",
        "debtor address": "45 Rothschild Blvd Tel Aviv-Yafo 6578403, Israel",
        "table header": "Invoice | Date | Due | Invoiced | Outstanding | Days late",
        "interest line": "Late-payment interest (statutory rate) | ₪215.40",
        "fee line": "Collection fee | ₪150.00",
        "total": "Total due | ₪16,031.57",
        "demand and deadline": "pay the full outstanding balance of ₪16,031.57 no later than 13/12/2026 "
                               "(14 business days from the date of this letter).",
        "bank account": "Account number | 345678",
        "bank": "Bank | Bank Hapoalim (12)",
        "branch": "Branch | 612",
        "payment reference": "Payment reference | L-2026-00042",
        "payment link": "https://pay.galil-wood.co.il/p/7F3K",
        "consequences": "we will take legal proceedings to recover it without further notice",
        "payment plan offer": "we will consider a payment plan with you.",
        "date": "Date | 23/11/2026",
        "registered mail": "By registered mail with delivery confirmation",
        "signature": "Yours sincerely, Dana Levi Finance Manager Galil Woodworks Ltd",
    },
}


@pytest.mark.parametrize("lang", ["he", "en"])
@pytest.mark.parametrize("document", ["warning_letter", "warning_execution_office"])
def test_every_required_element(rendered, lang, document):
    text = rendered.text(document, lang)
    missing = []
    for what, needle in ELEMENTS[lang].items():
        if document == "warning_execution_office" and what in ("interest line", "fee line"):
            continue
        if document == "warning_execution_office" and what == "total":
            needle = needle.replace("16,031.57", "15,666.17")
        if document == "warning_execution_office" and what in ("demand and deadline", "consequences"):
            continue  # the notice states both in its own words (see the next test)
        if needle not in text:
            missing.append(what)
    assert not missing, f"{document} ({lang}) lacks: {missing}"
    for row in FULL_ROWS:
        assert row in text


EXECUTION_OFFICE = {
    "he": ["התראה זו נשלחת אליכם בדואר רשום עם אישור מסירה, לפי סעיף 81א1 לחוק ההוצאה לפועל, התשכ״ז–1967.",
           "החוב נובע מהתחייבותכם על פי הסכם ההתקשרות מיום 01/03/2026.",
           "אפשר להגיש את התביעה רק בחלוף 30 ימים ממועד המצאת התראה זו לידיכם, ולכן היא לא תוגש לפני 24/12/2026.",
           "נא לשלם את מלוא החוב, בסך ₪15,666.17, לא יאוחר מיום 23/12/2026.",
           "תוכלו להגיש התנגדות לביצועה"],
    "en": ["under section 81A1 of the Execution Law, 5727-1967 (Israel).",
           "The debt arises from your undertaking under the supply agreement of 1 March 2026.",
           "the claim may be filed only once 30 days have passed since this notice is delivered to you, so "
           "it will not be filed before 24/12/2026.",
           "please pay the full balance of ₪15,666.17 no later than 23/12/2026.",
           "you will be entitled to file an objection to its enforcement"],
}


@pytest.mark.parametrize("lang", ["he", "en"])
def test_execution_office_notice_states_the_statutory_terms(rendered, lang):
    text = rendered.text("warning_execution_office", lang)
    for needle in EXECUTION_OFFICE[lang]:
        assert needle in text


@pytest.mark.parametrize("lang", ["he", "en"])
def test_early_letters_name_no_consequences(rendered, lang):
    words = {"he": ["הליכים משפטיים", "התראה"], "en": ["legal", "proceedings"]}[lang]
    for document in ("courtesy", "reminder"):
        text = rendered.text(document, lang)
        for w in words:
            assert w not in text, f"{document} ({lang}) mentions {w!r}"

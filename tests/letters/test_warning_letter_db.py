"""The warning letter before legal proceedings, from the database: every element the issue lists.

Customer C-400 (hand-computed, letter of Mon 23/11/2026, contractual interest 4% a year, simple,
365-day year, from the day after the due date; a payment counts from the day after it):

    WL-1  issued 01/09/2026 due 30/09/2026 10,000.00; paid 4,000.00 on 15/10/2026 -> open 6,000.00
          interest 1-15 Oct: 10,000 x 4% x 15/365 = 16.4383..., 16 Oct-23 Nov: 6,000 x 4% x 39/365
          = 25.6438...; 42.0821... -> 42.08
    WL-2  issued 11/10/2026 due 10/11/2026  2,000.00 open; interest 11-23 Nov: 2,000 x 4% x 13/365
          = 2.8493... -> 2.85
    total 6,000.00 + 2,000.00 + 42.08 + 2.85 = 8,044.93; deadline 14 days: Mon 07/12/2026
"""

from __future__ import annotations

from datetime import date

import pytest

from gvia.documents import render
from gvia.services.ledger import books as ledger
from gvia.services.legal import interest
from gvia.services.letters import content as letters

from .conftest import AS_OF, customer, letterhead, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def c400(ctx, books):
    letterhead(ctx.org)
    c = customer(books, "C-400", "נגריית העמק בע״מ")
    books.invoice(c, "WL-1", "10000.00", date(2026, 9, 30), date(2026, 9, 1))
    books.invoice(c, "WL-2", "2000.00", date(2026, 11, 10), date(2026, 10, 11))
    books.payment(c, "4000.00", date(2026, 10, 15))
    ledger.recompute(ctx, [c.id])
    interest.set_rule(ctx, {"method": "contractual", "percent": "4"})
    return c


def test_the_hebrew_warning_letter_holds_every_element(ctx, c400):
    lc = letters.letter_context(ctx, c400, "warning_letter", AS_OF, language="he", reference="C-400-9")
    got = text(render(lc))
    elements = [
        # the creditor: name, company number, address, contact person, phone, e-mail
        "Gilboa Office Supplies", "ח.פ. 514567899", "רחוב הרצל 1, תל אביב 6100000", "איש קשר | רונית כהן",
        "טלפון | 03-5550123", "דוא״ל | billing@gilboa.co.il",
        # the debtor: full name, company number, address
        "לכבוד נגריית העמק בע״מ ח.פ. 515000115", "רחוב הגפן 7 כפר סבא 4410001",
        # the debt: each invoice (number, date, due date, original, open), interest on its own line, total
        "WL-1 | 01/09/2026 | 30/09/2026 | ₪10,000.00 | ₪6,000.00 | 54",
        "WL-2 | 11/10/2026 | 10/11/2026 | ₪2,000.00 | ₪2,000.00 | 13",
        "ריבית פיגורים (על חשבוניות WL-1, WL-2, עד 23/11/2026) | ₪44.93",
        "סה״כ לתשלום | ₪8,044.93",
        # the demand and the deadline
        "הננו דורשים מכם לשלם את מלוא יתרת החוב, בסך ₪8,044.93, לא יאוחר מיום 07/12/2026 (14 ימים ממועד מכתב זה).",
        # how to pay: the bank account (from the organization's bank details) and the payment link
        "בנק | לאומי (10)", "סניף | 800", "מספר חשבון | 12345678", "סימוכין להעברה | C-400-9",
        "https://pay.gilboa.co.il/x1",
        # what will happen, and the offer of a payment plan
        "נפעל לגבייתו בהליכים משפטיים", "ונשמח לבחון עמכם הסדר תשלומים",
        # the date, Gregorian and Hebrew; registered mail; the signature
        "תאריך | 23/11/2026", "י״ג בכסלו תשפ״ז", "בדואר רשום עם אישור מסירה", "בכבוד רב, רונית כהן מנהלת חשבונות",
    ]
    for element in elements:
        assert element in got, element


def test_the_english_warning_letter_says_the_same(ctx, c400):
    got = text(render(letters.letter_context(ctx, c400, "warning_letter", AS_OF, language="en")))
    for element in ("Company no. 514567899", "WL-1 | 01/09/2026 | 30/09/2026 | ₪10,000.00 | ₪6,000.00 | 54",
                    "WL-2 | 11/10/2026 | 10/11/2026 | ₪2,000.00 | ₪2,000.00 | 13", "| ₪44.93",
                    "Total due | ₪8,044.93", "no later than 07/12/2026 (14 days from the date of this letter)",
                    "By registered mail with delivery confirmation", "Account number | 12345678"):
        assert element in got, element


def test_a_disputed_invoice_is_not_demanded(ctx, c400, books):
    from gvia.store.models import Invoice, Pause

    wl2 = Invoice.objects.get(number="WL-2")
    Pause.objects.create(organization=ctx.org, customer=c400, kind=Pause.Kind.DISPUTE, reason="not delivered",
                         invoices=[wl2.id])
    lc = letters.letter_context(ctx, c400, "warning_letter", AS_OF, language="he")
    assert [ln.number for ln in lc.invoices] == ["WL-1"]


def test_the_deadline_follows_the_organizations_settings(ctx, c400):
    ctx.org.settings.update({"warning_deadline_days": 10, "deadline_business_days": True})
    ctx.org.save()
    lc = letters.letter_context(ctx, c400, "warning_letter", AS_OF, language="en")
    # 10 Israeli business days from Mon 23/11 (Fri and Sat off): 24-26 Nov (3), 29 Nov-3 Dec (8),
    # 6-7 Dec (10) -> Mon 07/12/2026
    assert (lc.deadline, lc.deadline_days, lc.business_days) == (date(2026, 12, 7), 10, True)
    assert "(10 business days from the date of this letter)" in text(render(lc))


def test_bank_details_typed_as_text():
    from gvia.documents.model import BankAccount

    assert letters.bank_from_text("Bank: Barclays\nSort code: 20-32-06\nAccount number: 43218765") == \
        BankAccount(bank="Barclays", sort_code="20-32-06", account="43218765")
    assert letters.bank_from_text("בנק לאומי, סניף 800, חשבון 12345678") == \
        BankAccount(lines=("בנק לאומי, סניף 800, חשבון 12345678",))
    assert letters.bank_from_text("  \n") is None

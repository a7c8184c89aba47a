"""Interest and fees on the statement of account: their own lines after the entries, never
folded into them, in Hebrew and English; none without an interest rule; a note when they
cannot be computed.

Customer C-400 (the warning letter's, see test_warning_letter_db: contractual interest 4% a
year, simple, 365-day year; statement of Mon 23/11/2026):

    01/09/2026 invoice WL-1 10,000.00   balance 10,000.00
    11/10/2026 invoice WL-2  2,000.00   balance 12,000.00
    15/10/2026 payment       4,000.00   balance  8,000.00  (closing balance)
    interest WL-1 16.4383... + 25.6438... + WL-2 2.8493... = 44.9315... -> 44.93 (rounded once
    per currency, as the letters do: 42.08 + 2.85 = 44.93 too)
    balance including interest 8,000.00 + 44.93 = 8,044.93
"""

from __future__ import annotations

from datetime import date

import pytest

from gvia.documents import email_body, render
from gvia.services.ledger import books as ledger
from gvia.services.legal import interest
from gvia.services.letters import content as letters

from . import test_warning_letter_db as warning_letter
from .conftest import AS_OF, customer, letterhead, text

pytestmark = pytest.mark.django_db

c400 = warning_letter.c400   # the customer of the warning letter's tests, the same fixture

EXPECTED = {
    "he": ("ריבית וחיובים נוספים נכון ליום 23/11/2026",
           "ריבית פיגורים (על חשבוניות WL-1, WL-2, עד 23/11/2026) | ₪44.93",
           "יתרה כולל ריבית וחיובים נוספים | ₪8,044.93",
           "יתרת סגירה | ₪8,000.00",
           "היתרה לתשלום, כולל ריבית וחיובים נוספים: ₪8,044.93."),
    "en": ("Interest and charges as at 23/11/2026",
           "Late-payment interest (on invoice(s) WL-1, WL-2, to 23/11/2026) | ₪44.93",
           "Balance including interest and charges | ₪8,044.93",
           "Closing balance | ₪8,000.00",
           "Balance due, including interest and charges: ₪8,044.93."),
}


@pytest.mark.parametrize("lang", ["he", "en"])
def test_the_statement_shows_interest_as_its_own_lines(ctx, c400, lang):
    notes: list = []
    sc = letters.statement_context(ctx, c400, AS_OF, lang, notes=notes)
    assert notes == [] and not sc.interest_unavailable
    got = text(render(sc))
    for element in EXPECTED[lang]:
        assert element in got, element
    # the entries keep their own amounts: interest is not folded into any of them
    assert "11/10/2026" in got and "₪2,000.00 | ₪12,000.00" in got
    assert "₪4,000.00 | ₪8,000.00" in got
    # the interest section comes after the entries, and the e-mail says the same as the PDF
    assert got.index(EXPECTED[lang][3]) < got.index(EXPECTED[lang][0]) < got.index(EXPECTED[lang][2])
    body = email_body(sc).text
    assert "44.93" in body and "8,044.93" in body


@pytest.mark.parametrize("lang", ["he", "en"])
def test_no_interest_rule_no_interest_lines(ctx, books, lang):
    letterhead(ctx.org)
    c = customer(books, "C-401", "סטודיו אורן")
    books.invoice(c, "NI-1", "3000.00", date(2026, 9, 30), date(2026, 9, 1))
    ledger.recompute(ctx, [c.id])
    sc = letters.statement_context(ctx, c, AS_OF, lang)
    assert sc.extra_lines == () and not sc.interest_unavailable
    got = text(render(sc))
    heading, line, with_interest, closing, _ = EXPECTED[lang]
    for absent in (heading.split(" 23/11")[0], with_interest.split(" |")[0], line.split(" (")[0]):
        assert absent not in got, absent
    assert closing.replace("8,000.00", "3,000.00") in got
    due = {"he": "היתרה לתשלום: ₪3,000.00.", "en": "Balance due: ₪3,000.00."}[lang]
    assert due in got


def test_a_missing_rate_is_said_on_the_statement(ctx, books):
    c = books.customer("UK2", "Late Ltd", language="en")
    books.invoice(c, "INV-GB2", "2000.00", date(2026, 6, 30), currency="GBP")
    interest.set_rule(ctx, {"method": "gb_late_payment"})
    # interest from 1 July 2026: the reference date 30 June 2026 is after the shipped table ends
    notes: list = []
    sc = letters.statement_context(ctx, c, date(2026, 7, 30), "en", notes=notes)
    assert sc.extra_lines == () and sc.interest_unavailable
    assert [(n.code, n.params["table"]) for n in notes] == [("rate_table_incomplete", "gb_boe_base_rate")]
    got = text(render(sc))
    assert "Interest and charges could not be worked out as at 30/07/2026" in got
    assert "Balance due: £2,000.00." in got


def test_a_missing_rate_is_said_in_the_case_file(ctx, books):
    """The lawyer's file says its amounts leave interest out, rather than leaving it out silently."""
    from gvia.services.letters import casefile

    c = books.customer("UK3", "Later Ltd", language="en")
    books.invoice(c, "INV-GB3", "2000.00", date(2026, 6, 30), currency="GBP")
    interest.set_rule(ctx, {"method": "gb_late_payment"})
    cf = casefile.casefile_context(ctx, c, date(2026, 7, 30), "en")
    assert cf.extra_lines == () and cf.interest_unavailable and not cf.interest_by_law
    got = text(casefile.build(ctx, "UK3", date(2026, 7, 30), language="en"))
    assert "could not be worked out as at 30/07/2026: the amounts in this file do not include them" in got

"""Every document in both languages, built from the database through the services, checked by
extracting the PDF's text: the customer's name, each invoice number, each open amount as the
ledger computes it after the partial payment, and the total (numbers in conftest's doc).

Days late on 23/11/2026: SH-1002 due 04/09 -> 26 + 31 + 23 = 80; SH-1003 due 10/10 -> 21 + 23 = 44.
Every letter demands what is due on its date, 13,230.40; SH-1004 (760.00, due 01/12/2026) is
listed apart as not yet due (issue 12: the formal letters used to demand 13,990.40, with
SH-1004 "0 days late" inside the total).
"""

from __future__ import annotations

from datetime import date

import pytest

from gvia.documents import render
from gvia.services.arrangements import plans, settlements
from gvia.services.letters import content as letters

from .conftest import AS_OF, NAME, at, text

pytestmark = pytest.mark.django_db

TOTAL = {"he": "סה״כ לתשלום", "en": "Total due"}
APART = {"he": "טרם הגיע מועד תשלומן – אינן נדרשות במכתב זה", "en": "Not yet due — not demanded"}
FULL = ["SH-1002 | 05/08/2026 | 04/09/2026 | ₪1,980.40 | ₪1,230.40 | 80",
        "SH-1003 | 10/09/2026 | 10/10/2026 | ₪12,000.00 | ₪12,000.00 | 44"]
NOT_DUE = "SH-1004 | 01/11/2026 | 01/12/2026 | ₪760.00"       # listed apart: no days late, no total
SHORT = ["SH-1002 | 05/08/2026 | 04/09/2026 | ₪1,230.40", "SH-1003 | 10/09/2026 | 10/10/2026 | ₪12,000.00",
         "SH-1004 | 01/11/2026 | 01/12/2026 | ₪760.00"]
DEMANDED = FULL + ["{total} | ₪13,230.40", "{apart}", NOT_DUE]

EXPECTED = {
    # every letter that demands: the invoices due on its date and their total, then SH-1004 apart
    "reminder": DEMANDED,
    "second_reminder": DEMANDED,
    "warning_letter": DEMANDED,
    "warning_execution_office": DEMANDED,
    "letter_of_claim": DEMANDED,
    # the courtesy note: SH-1004 comes due soon (its own total); the others are past due
    "courtesy": [SHORT[2], "{total} | ₪760.00"] + FULL + ["{total} | ₪13,230.40"],
}
DEADLINE = {  # 14 days after 23/11 (Mon 07/12); 30 days for the s.81A1 notice and the letter of claim
    "warning_letter": "07/12/2026", "warning_execution_office": "23/12/2026", "letter_of_claim": "23/12/2026"}


@pytest.mark.parametrize("lang", ["he", "en"])
@pytest.mark.parametrize("document", sorted(EXPECTED))
def test_letters_from_the_books(ctx, shop, document, lang):
    # the written basis in each language: an English letter never quotes the Hebrew one
    ctx.org.settings = {**ctx.org.settings, "claim_basis": {"he": "הזמנת עבודה חתומה מיום 01/06/2026",
                                                           "en": "the signed work order of 01/06/2026"}}
    ctx.org.save()
    lc = letters.letter_context(ctx, shop, document, AS_OF, language=lang, reference="C-100-1")
    got = text(render(lc))
    assert NAME in got
    at = 0
    for row in EXPECTED[document]:                       # each in this order
        found = got.find(row.format(total=TOTAL[lang], apart=APART[lang]), at)
        assert found >= 0, row
        at = found
    assert "SH-1001" not in got                          # paid in full by the payment
    if document != "courtesy":                           # SH-1004 only apart, after the demanded total
        assert got.count("SH-1004") == 1 and got.index("SH-1004") > got.index(APART[lang])
        assert "₪13,990.40" not in got
    if document in DEADLINE:
        assert DEADLINE[document] in got


@pytest.mark.parametrize("lang", ["he", "en"])
def test_statement_from_the_books(ctx, shop, lang):
    got = text(render(letters.statement_context(ctx, shop, AS_OF, lang)))
    inv, pay, closing = {"he": ("חשבונית", "תשלום", "יתרת סגירה"),
                         "en": ("Invoice", "Payment", "Closing balance")}[lang]
    assert NAME in got
    for row in (f"01/07/2026 | {inv} | SH-1001 | ₪4,250.00 | ₪4,250.00",
                f"05/08/2026 | {inv} | SH-1002 | ₪1,980.40 | ₪6,230.40",
                f"10/09/2026 | {inv} | SH-1003 | ₪12,000.00 | ₪18,230.40",
                f"15/10/2026 | {pay} | ₪5,000.00 | ₪13,230.40",       # no reference: an empty cell
                f"01/11/2026 | {inv} | SH-1004 | ₪760.00 | ₪13,990.40",
                f"{closing} | ₪13,990.40"):
        assert row in got, row


@pytest.mark.parametrize("lang", ["he", "en"])
def test_payment_plan_and_settlement_from_the_books(ctx, shop, lang):
    now = at(AS_OF)
    # 13,990.40 in four monthly installments: 13,990.40 / 4 = 3,497.60 exactly; Fri 1 January 2027
    # is a day off in Israel, so the second moves to Sun 3 January
    plan = plans.create_plan(ctx, "C-100", 4, "monthly", date(2026, 12, 1), now=now).plan
    got = text(letters.arrangement_pdf(ctx, "payment_plan", plan.id, lang))
    assert NAME in got and "₪13,990.40" in got
    for row in SHORT:
        assert row in got, row
    for n, due in enumerate(("01/12/2026", "03/01/2027", "01/02/2027", "01/03/2027"), 1):
        assert f"{n} | {due} | ₪3,497.60" in got
    assert f"{TOTAL[lang]} | ₪13,990.40" in got
    plans.cancel_plan(ctx, plan.id, "replaced by a settlement", now=now)
    # a settlement offer demands payment, so its debt is what is due on 23/11/2026: 13,230.40
    # (SH-1004, due 01/12, is not part of it); pay 12,000.00 by 15/12/2026 and 1,230.40 is waived
    offer = settlements.offer_settlement(ctx, "C-100", "12000.00", date(2026, 12, 15), now=now)
    assert offer.debt_minor == 1323040
    got = text(letters.arrangement_pdf(ctx, "settlement", offer.id, lang))
    labels = {"he": ("החוב נכון ליום 23/11/2026", "הסכום המוסכם", "הסכום שנוותר עליו"),
              "en": ("Debt as at 23/11/2026", "Agreed amount", "Amount waived")}[lang]
    assert NAME in got
    for row in (f"{labels[0]} | ₪13,230.40", f"{labels[1]} | ₪12,000.00", f"{labels[2]} | ₪1,230.40"):
        assert row in got, row
    for row in FULL:
        assert row in got, row
    assert "SH-1004" not in got

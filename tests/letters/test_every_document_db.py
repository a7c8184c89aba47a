"""Every document in both languages, built from the database through the services, checked by
extracting the PDF's text: the customer's name, each invoice number, each open amount as the
ledger computes it after the partial payment, and the total (numbers in conftest's doc).

Days late on 23/11/2026: SH-1002 due 04/09 -> 26 + 31 + 23 = 80; SH-1003 due 10/10 -> 21 + 23 = 44.
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
FULL = ["SH-1002 | 05/08/2026 | 04/09/2026 | ₪1,980.40 | ₪1,230.40 | 80",
        "SH-1003 | 10/09/2026 | 10/10/2026 | ₪12,000.00 | ₪12,000.00 | 44"]
NOT_DUE = "SH-1004 | 01/11/2026 | 01/12/2026 | ₪760.00 | ₪760.00 | 0"
SHORT = ["SH-1002 | 05/08/2026 | 04/09/2026 | ₪1,230.40", "SH-1003 | 10/09/2026 | 10/10/2026 | ₪12,000.00",
         "SH-1004 | 01/11/2026 | 01/12/2026 | ₪760.00"]

EXPECTED = {
    # reminders: the overdue invoices only
    "reminder": FULL + ["{total} | ₪13,230.40"],
    "second_reminder": FULL + ["{total} | ₪13,230.40"],
    # the courtesy note and the formal letters: every open invoice
    "courtesy": SHORT + ["{total} | ₪13,990.40"],
    "warning_letter": FULL + [NOT_DUE, "{total} | ₪13,990.40"],
    "warning_execution_office": FULL + [NOT_DUE, "{total} | ₪13,990.40"],
    "letter_of_claim": FULL + [NOT_DUE, "{total} | ₪13,990.40"],
}
DEADLINE = {  # 14 days after 23/11 (Mon 07/12); 30 days for the s.81A1 notice and the letter of claim
    "warning_letter": "07/12/2026", "warning_execution_office": "23/12/2026", "letter_of_claim": "23/12/2026"}


@pytest.mark.parametrize("lang", ["he", "en"])
@pytest.mark.parametrize("document", sorted(EXPECTED))
def test_letters_from_the_books(ctx, shop, document, lang):
    lc = letters.letter_context(ctx, shop, document, AS_OF, language=lang, reference="C-100-1")
    got = text(render(lc))
    assert NAME in got
    for row in EXPECTED[document]:
        assert row.format(total=TOTAL[lang]) in got, row
    if document == "courtesy" or document.endswith("reminder"):
        assert "SH-1001" not in got                      # paid in full by the payment
    if document.endswith("reminder"):
        assert "SH-1004" not in got                      # not due yet
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
    # pay 12,000.00 by 15/12/2026 and 13,990.40 - 12,000.00 = 1,990.40 is waived
    offer = settlements.offer_settlement(ctx, "C-100", "12000.00", date(2026, 12, 15), now=now)
    got = text(letters.arrangement_pdf(ctx, "settlement", offer.id, lang))
    labels = {"he": ("החוב נכון ליום 23/11/2026", "הסכום המוסכם", "הסכום שנוותר עליו"),
              "en": ("Debt as at 23/11/2026", "Agreed amount", "Amount waived")}[lang]
    assert NAME in got
    for row in (f"{labels[0]} | ₪13,990.40", f"{labels[1]} | ₪12,000.00", f"{labels[2]} | ₪1,990.40"):
        assert row in got, row
    for row in FULL:
        assert row in got, row

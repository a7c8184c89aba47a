"""No letter threatens proceedings on a debt past its limitation date (issue 12): a warning letter
to a customer with one time-barred and one live invoice demands only the live one and lists the
other apart as not claimed; a reminder, which threatens nothing, asks for both.

Customer C-700 (Israel: 7 years, Prescription Law s.5; letters dated Mon 23/11/2026):

    LM-OLD   due 01/05/2019  3,000.00  limitation date 01/05/2026: time-barred on 23/11/2026
    LM-LIVE  due 30/09/2026  2,000.00  limitation date 30/09/2033
"""

from __future__ import annotations

from datetime import date

import pytest

from gvia.core.errors import Refused
from gvia.documents import render
from gvia.services.ledger import books as ledger
from gvia.services.letters import content as letters

from .conftest import AS_OF, customer, letterhead, text

pytestmark = pytest.mark.django_db

NOT_CLAIMED = "חשבוניות נוספות — אינן נדרשות במכתב זה"


@pytest.fixture
def c700(ctx, books):
    letterhead(ctx.org)
    c = customer(books, "C-700", "מסגריית הגליל בע״מ")
    books.invoice(c, "LM-OLD", "3000.00", date(2019, 5, 1), date(2019, 4, 1))
    books.invoice(c, "LM-LIVE", "2000.00", date(2026, 9, 30), date(2026, 9, 1))
    ledger.recompute(ctx, [c.id])
    return c


def test_a_warning_letter_demands_only_the_live_invoice(ctx, c700):
    lc = letters.letter_context(ctx, c700, "warning_letter", AS_OF, language="he")
    assert [ln.number for ln in lc.demand.demanded] == ["LM-LIVE"]
    assert [(ln.number, ln.limitation_date) for ln in lc.demand.time_barred] == [("LM-OLD", date(2026, 5, 1))]
    got = text(render(lc))
    assert "סה״כ לתשלום | ₪2,000.00" in got
    assert "₪5,000.00" not in got
    demanded_part, apart = got.split(NOT_CLAIMED)
    assert "LM-LIVE" in demanded_part and "LM-OLD" not in demanded_part
    assert "LM-OLD" in apart and "₪3,000.00" in apart


def test_a_reminder_threatens_nothing_and_asks_for_both(ctx, c700):
    got = text(render(letters.letter_context(ctx, c700, "reminder", AS_OF, language="he")))
    assert "LM-OLD" in got and "₪5,000.00" in got and NOT_CLAIMED not in got


def test_a_warning_letter_with_only_a_time_barred_debt_is_refused(ctx, books):
    letterhead(ctx.org)
    c = customer(books, "C-701", "ותיקים בע״מ")
    books.invoice(c, "LM-1", "900.00", date(2018, 1, 15))
    ledger.recompute(ctx, [c.id])
    with pytest.raises(Refused, match="past its limitation date"):
        letters.letter_context(ctx, c, "warning_letter", AS_OF, language="he")
    assert letters.letter_context(ctx, c, "second_reminder", AS_OF, language="he").demand.demanded


def test_in_israel_a_part_payment_after_expiry_makes_it_claimable_again(ctx, books, c700):
    old = c700.invoices.get(number="LM-OLD")
    books.payment(c700, "100.00", date(2026, 8, 2), invoice=old)      # s.9: "within or after the period"
    ledger.recompute(ctx, [c700.id])
    lc = letters.letter_context(ctx, c700, "warning_letter", AS_OF, language="he")
    assert [ln.number for ln in lc.demand.demanded] == ["LM-OLD", "LM-LIVE"] and lc.demand.time_barred == ()
    assert "סה״כ לתשלום | ₪4,900.00" in text(render(lc))


def test_the_case_file_shows_the_limitation_date_of_each_invoice(ctx, c700):
    from gvia.services.letters import casefile

    got = text(casefile.build(ctx, "C-700", AS_OF, "he"))
    assert "מועד ההתיישנות של כל חשבונית" in got
    assert "LM-OLD | התיישנה: מועד ההתיישנות, 01/05/2026, חלף" in got
    assert "LM-LIVE | ניתנת לתביעה בבית משפט עד 30/09/2033" in got


def test_nor_does_it_claim_interest_on_the_time_barred_invoice(ctx, c700):
    from gvia.services.legal import interest

    interest.set_rule(ctx, {"method": "contractual", "percent": "4"})
    # LM-LIVE: 2,000.00 x 4% x 54/365 (1 Oct - 23 Nov 2026) = 11.8356... -> 11.84; nothing on LM-OLD
    got = text(render(letters.letter_context(ctx, c700, "warning_letter", AS_OF, language="he")))
    demanded_part = got.split(NOT_CLAIMED)[0]
    assert "(על חשבוניות LM-LIVE, עד 23/11/2026) | ₪11.84" in demanded_part
    assert "LM-OLD" not in demanded_part and "סה״כ לתשלום | ₪2,011.84" in demanded_part
    # a reminder threatens nothing: interest on both
    reminder = text(render(letters.letter_context(ctx, c700, "reminder", AS_OF, language="he")))
    assert "LM-OLD, LM-LIVE" in reminder

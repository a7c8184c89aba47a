"""The agreement PDFs, `describe_arrangements` for explain, the limitation worklist and the
legal routes."""

from datetime import date
from decimal import Decimal as D

import pytest

from gvia.core.errors import NotFound, Refused
from gvia.services.arrangements import plans, settlements
from gvia.services.arrangements.describe import describe_arrangements
from gvia.services.legal import limitation
from gvia.services.legal import routes as legal
from gvia.services.letters import content as letters
from tests.documents.pdftext import pdf_text

from .conftest import at

pytestmark = pytest.mark.django_db


def test_plan_agreement_pdf_lists_the_installments(ctx, books):
    c = books.customer("P1", "Alon Systems Ltd", language="en")
    books.invoice(c, "701", "1000.00", date(2026, 9, 1))
    books.invoice(c, "702", "2000.01", date(2026, 9, 1))
    plan = plans.create_plan(ctx, "P1", 3, "monthly", "2026-10-15", now=at(date(2026, 10, 5))).plan
    text = pdf_text(letters.arrangement_pdf(ctx, "payment_plan", str(plan.id), "en"))
    assert f"PP-2026-{plan.id:03d}" in text
    for due, amount in (("15/10/2026", "1,000.00"), ("15/11/2026", "1,000.00"), ("15/12/2026", "1,000.01")):
        assert due in text and amount in text
    assert "3,000.01" in text and "Alon Systems Ltd" in text
    with pytest.raises(NotFound):
        letters.arrangement_pdf(ctx, "payment_plan", "999", "en")


def test_settlement_offer_pdf(ctx, books):
    c = books.customer("S1", "Blue Ocean Ltd", language="he")
    books.invoice(c, "801", "6000.00", date(2026, 9, 1))
    offer = settlements.offer_settlement(ctx, "S1", "5400.00", "2026-11-15", "hardship", now=at(date(2026, 10, 26)))
    text = pdf_text(letters.arrangement_pdf(ctx, "settlement", offer.id))       # the customer's language: Hebrew
    assert f"SO-2026-{offer.id:03d}" in text
    assert "5,400.00" in text and "6,000.00" in text and "600.00" in text and "15/11/2026" in text
    with pytest.raises(Refused):
        letters.arrangement_pdf(ctx, "statement", offer.id)


def test_describe_arrangements_in_hebrew_and_english(ctx, books, collector):
    from gvia.services.arrangements import disputes, writeoffs

    c = books.customer("E1", "Rimon", language="he")
    books.invoice(c, "1001", "1000.00", date(2026, 10, 1))
    books.invoice(c, "1002", "500.00", date(2026, 10, 1))
    d = disputes.open_dispute(collector, "E1", ["1002"], "wrong_amount", now=at(date(2026, 10, 5)))
    offer = settlements.offer_settlement(collector, "E1", "900.00", "2026-11-15", "hardship", now=at(date(2026, 10, 5)))
    w = writeoffs.request_writeoff(collector, "E1", "1001", "small", "100", now=at(date(2026, 10, 5)))
    assert describe_arrangements(ctx, c, date(2026, 10, 6), "en") == [
        f"Settlement offer {offer.id}: ₪900.00 of ₪1,000.00 by 15/11/2026, awaiting an owner's approval.",
        f"Dispute {d.id} on invoice(s) 1002 (wrong amount) open since 05/10/2026: these invoices are off the ladder "
        "until it is resolved.",
        f"Write-off {w.id} of ₪100.00 on invoice 1001 awaits an owner's approval.",
    ]
    he = describe_arrangements(ctx, c, date(2026, 10, 6), "he")
    assert he[0] == f"הצעת פשרה {offer.id}: ₪900.00 מתוך ₪1,000.00 עד 15/11/2026, ממתינה לאישור בעלים."
    assert len(he) == 3


def test_debts_nearing_limitation_are_flagged_well_before(ctx, books):
    c = books.customer("L1", "Old Debts Ltd")
    books.invoice(c, "A", "100.00", date(2019, 12, 1))    # 7 years: 1 December 2026; flagged from 1 June 2026
    books.invoice(c, "B", "200.00", date(2019, 5, 1))     # limitation date 1 May 2026: passed
    books.invoice(c, "C", "300.00", date(2020, 3, 1))     # 1 March 2027; flagged from 1 September 2026
    books.invoice(c, "D", "400.00", date(2019, 11, 1), settled="400.00")   # nothing open: never flagged
    flags = limitation.nearing(ctx, date(2026, 7, 1))
    assert [(f.invoice_number, f.state, f.limitation_date, f.days_left) for f in flags] == [
        ("B", "expired", date(2026, 5, 1), -61),
        # 1 July to 1 December 2026: 31 + 31 + 30 + 31 + 30 = 153 days
        ("A", "nearing", date(2026, 12, 1), 153),
    ]
    assert flags[1].warn_from == date(2026, 6, 1) and "Prescription Law" in flags[1].source
    assert [f.invoice_number for f in limitation.nearing(ctx, date(2026, 9, 1))] == ["B", "A", "C"]
    # the organization may set its own period
    ctx.org.settings["limitation_years"] = 8
    assert limitation.nearing(ctx, date(2026, 7, 1)) == []


def test_legal_routes_for_a_shekel_debt(ctx, books):
    c = books.customer("R1", "Big Debtor Ltd")
    books.invoice(c, "9001", "30000.00", date(2026, 3, 1))
    # no written contract or undertaking on file: the fixed-sum route does not fit (fixed_sum_fit)
    res = legal.routes(ctx, "R1", date(2026, 7, 1))
    assert res.written_basis is False
    assert {r.code: r.fits for r in res.routes}["execution_office_fixed_sum"] is False
    c.claim_basis = "Supply agreement of 1 January 2026"
    c.save()
    res = legal.routes(ctx, "R1", date(2026, 7, 1))
    assert res.claim.amount == 30000
    fits = {r.code: r.fits for r in res.routes}
    # ₪30,000 is within the ₪75,000 fixed-sum cap, above the ₪25,000 shortened track, within the
    # magistrates' ₪2,500,000; the small-claims figure for 2026 is not on file
    assert fits == {"execution_office_fixed_sum": True, "execution_office_shortened_track": False,
                    "small_claims_court": None, "magistrates_court": True, "district_court": False}
    with pytest.raises(Refused, match="no overdue debt in shekels"):
        legal.routes(ctx, "R1", date(2026, 2, 1))


def test_legal_claim_includes_interest_and_leaves_disputed_invoices_out(ctx, books, collector):
    from gvia.services.arrangements import disputes
    from gvia.services.legal import interest

    c = books.customer("R2", "Debtor Two Ltd")
    books.invoice(c, "9101", "30000.00", date(2026, 3, 1))
    books.invoice(c, "9102", "50000.00", date(2026, 3, 1))
    disputes.open_dispute(collector, "R2", ["9102"], "not_received", now=at(date(2026, 3, 10)))
    interest.set_rule(ctx, {"method": "contractual", "percent": "4"})
    res = legal.routes(ctx, "R2", date(2026, 7, 1))
    # interest on 9101 from 2 March to 1 July 2026: 30 (March) + 30 + 31 + 30 + 1 = 122 days;
    # 30000 × 4% × 122 / 365 = 146400 / 365 = 401.0958… → ₪401.10 (9102 is disputed: no interest)
    assert (res.principal.amount, res.interest.amount, res.claim.amount) == (30000, D("401.10"), D("30401.10"))
    assert res.notes == ["invoice(s) 9102 are under an open dispute and left out of the claim"]
    assert {r.code: r.fits for r in res.routes}["execution_office_shortened_track"] is False

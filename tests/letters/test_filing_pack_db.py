"""The legal route whole and the filing pack for a fixed-sum claim (issue 15).

C-100 of the letters' conftest, with its s.81A1 notice posted on 24 Nov and delivered on 29 Nov
2026 (tests/letters/test_one_legal_clock_db.py): the claim may be filed from 30 Dec 2026. The pack
is built from the one route computation and shows the case's facts: the creditor, the debtor, the
invoices in the claim and their amounts, the warning's registered number, posting and delivery,
and the attachments the Enforcement and Collection Authority's page names."""

from __future__ import annotations

import json
from datetime import date

import pytest

from gvia.core.customer_kinds import CONSUMER
from gvia.core.errors import NotFound
from gvia.core.legal_routes import ConsumerNotice
from gvia.core.money import Money
from gvia.documents.filing_pack import ATTACHMENTS
from gvia.services import settings
from gvia.services.legal import filing_pack
from gvia.services.legal import routes as legal
from gvia.store.models import Customer, Invoice
from tests.documents.pdftext import pdf_text

from .test_one_legal_clock_db import DELIVERED, FILING, POSTED, _the_case

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)


def test_the_pack_is_filled_from_the_case(ctx, books, tmp_path):
    shop, letter, _ = _the_case(ctx, books, tmp_path)
    pack = filing_pack.build(ctx, "C-100", TODAY, language="he")
    data = pack.as_dict()
    res = legal.routes(ctx, "C-100", today=TODAY)

    # the one route computation: the same filing day, claim and fit
    assert data["filing_day"] == FILING.isoformat() == res.filing_day.isoformat()
    assert data["claim"] == str(res.claim.amount) and data["principal"] == str(res.principal.amount)
    assert data["fits"] is True and data["blockers"] == []
    # the invoices of the claim: those due before the filing day, as the route counted them
    claimed = sum((Money.of(i["open"], "ILS") for i in data["invoices"]), Money.zero("ILS"))
    assert claimed == res.principal
    numbers = [i["number"] for i in data["invoices"]]
    assert numbers == [number for _, number, _, _ in res.claimed] and "SH-1003" in numbers
    sh3 = next(i for i in data["invoices"] if i["number"] == "SH-1003")
    assert (sh3["issued"], sh3["due"]) == ("2026-09-10", "2026-10-10")
    # the creditor and the debtor as the letters show them
    assert data["creditor"]["name"] == ctx.org.name and data["debtor"]["name"] == shop.name
    assert data["debtor"]["customer_ref"] == "C-100"
    # the warning and its delivery proof
    assert data["warning"] == {"registered_number": "RR555000111IL", "posted": POSTED.isoformat(),
                               "delivered": DELIVERED.isoformat(), "earliest_filing": FILING.isoformat()}
    held = {a["name"]: a["held"] for a in data["attachments"]}
    assert list(held) == list(ATTACHMENTS)
    assert held["warning_copy"] is True and held["delivery_confirmation"] is True
    assert held["statement_of_claim"] is False            # gvia does not write it
    # what is sourced and what is not
    assert data["sources"]["attachments"]["url"] == "https://eca.what2do.co.il/P34891"
    assert "אישור מסירה" in data["sources"]["attachments"]["quote"]
    assert data["form_fields"] is None and "not found" in data["form_fields_note"]
    json.dumps(data, ensure_ascii=False)                   # the CLI writes it as it is

    text = pdf_text(pack.pdf())
    for expected in ("תיק הגשה לתביעה על סכום קצוב", "RR555000111IL", "24/11/2026", "29/11/2026", "30/12/2026",
                     "SH-1003", "12,000.00", "רשימת השדות של טופס הבקשה עצמו לא נמצאה", "eca.what2do.co.il",
                     "אישור המסירה של ההתראה", "לא ידוע על דבר שמונע הגשה"):
        assert expected in text, expected

    english = pdf_text(filing_pack.build(ctx, "C-100", TODAY, language="en").pdf())
    assert "Filing pack for a fixed-sum claim" in english and "RR555000111IL" in english
    assert "was not found in a recorded source" in english


def test_what_stands_in_the_way_is_on_the_page(ctx, books, tmp_path):
    _the_case(ctx, books, tmp_path)
    # asked for a day before the filing clock allows: too early, with the first day
    early = filing_pack.build(ctx, "C-100", TODAY, filing_day=date(2026, 12, 20), language="en")
    assert [b["code"] for b in early.as_dict()["blockers"]] == ["too_early"]
    assert early.as_dict()["blockers"][0]["date"] == FILING.isoformat()
    assert "Too early: it may be filed from 30/12/2026" in pdf_text(early.pdf())
    # more than the cap on the filing day
    Invoice.objects.filter(customer__ref="C-100", number="SH-1003").update(open_minor=9_000_000)
    over = filing_pack.build(ctx, "C-100", TODAY, language="en").as_dict()
    assert over["fits"] is False
    assert {"code": "over_fixed_sum_cap", "total": "75000.00"} in over["blockers"]


def test_a_customer_without_a_warning_has_nothing_to_prove(ctx, books):
    c = books.customer("N1", "No Warning Ltd")
    books.invoice(c, "N-1", "1000.00", date(2026, 10, 1), date(2026, 9, 1))
    data = filing_pack.build(ctx, "N1", TODAY, language="he").as_dict()
    assert data["warning"] is None
    assert "not_posted" in [b["code"] for b in data["blockers"]]
    held = {a["name"]: a["held"] for a in data["attachments"]}
    assert held == {"statement_of_claim": False, "written_evidence": False, "warning_copy": False,
                    "delivery_confirmation": False}


def test_the_routes_read_the_creditor_settings_and_the_consumer_notice(ctx, books):
    from datetime import datetime, timezone

    from gvia.services.engine import debt_notices
    from gvia.store.models import OutboxMessage

    c = books.customer("S1", "Shai Cohen", kind=CONSUMER)
    books.invoice(c, "S-1", "3000.00", date(2026, 10, 1), date(2026, 9, 1))
    Customer.objects.filter(id=c.id).update(claim_basis="Service agreement of 1 September 2026")
    # a consumer without a debt notice (core/debt_notice.py, read on the filing day): no route
    res = legal.routes(ctx, "S1", date(2026, 12, 10), today=TODAY)
    assert {(r.fits, r.reason.code) for r in res.routes} == {(False, "route_consumer_notice_not_sent")}
    # the notice sent by e-mail on 1 Dec: 14 whole days after it, a step may come from 16 Dec
    msg = OutboxMessage.objects.create(
        organization=ctx.org, customer=c, idempotency_key="notice:S1", channel="email", document="debt_notice",
        status="sent", sent_at=datetime(2026, 12, 1, 10, tzinfo=timezone.utc), planned_for=date(2026, 12, 1))
    debt_notices.record_message(msg, [Invoice.objects.get(customer=c, number="S-1").id],
                                datetime(2026, 12, 1, 10, tzinfo=timezone.utc))
    early = legal.routes(ctx, "S1", date(2026, 12, 10), today=TODAY).routes[0]
    assert (early.fits, early.reason.code) == (False, "route_consumer_notice_wait")
    assert early.reason.params["day"] == date(2026, 12, 16)
    assert legal.routes(ctx, "S1", date(2026, 12, 16), today=TODAY).routes[0].fits is True
    # the notice's 14 days passed before the filing day: the routes are judged on the amount
    sent = ConsumerNotice("sent", allowed_from=date(2026, 12, 1))
    res = legal.routes(ctx, "S1", date(2026, 12, 10), today=TODAY, consumer_notice=sent)
    fits = {r.code: r.fits for r in res.routes}
    assert fits["execution_office_fixed_sum"] is True
    # the business as an individual, not represented: the small claim and the shortened track fit
    assert fits["small_claims_court"] is None and fits["execution_office_shortened_track"] is True
    settings.set_setting(ctx, "legal.creditor", "individual")
    settings.set_setting(ctx, "legal.represented", "yes")
    fits = {r.code: r.fits for r in legal.routes(ctx, "S1", date(2026, 12, 10), today=TODAY,
                                                 consumer_notice=sent).routes}
    # 2026's small-claims limit is not on file: cannot tell, whoever files
    assert fits["small_claims_court"] is None and fits["execution_office_shortened_track"] is False
    # a company cannot file a small claim, whatever the year's limit
    settings.set_setting(ctx, "legal.creditor", "company")
    small = legal.routes(ctx, "S1", date(2026, 12, 10), today=TODAY, consumer_notice=sent).routes[2]
    assert (small.fits, small.reason.code) == (False, "route_small_claims_company")


def test_a_time_barred_invoice_is_left_out_of_the_claim(ctx, books):
    c = books.customer("T1", "Old Debts Ltd")
    books.invoice(c, "OLD-1", "5000.00", date(2018, 1, 1), date(2017, 12, 1))
    books.invoice(c, "NEW-1", "2000.00", date(2026, 10, 1), date(2026, 9, 1))
    res = legal.routes(ctx, "T1", date(2026, 12, 10), today=TODAY)
    assert res.principal == Money.of(2000, "ILS") and res.time_barred == Money.of(5000, "ILS")
    assert [n.code for n in res.notes] == ["route_note_time_barred"] and "OLD-1" in res.notes[0]
    # the pack's data names the note by its code and values, not in English
    notes = filing_pack.build(ctx, "T1", TODAY, filing_day=date(2026, 12, 10)).as_dict()["notes"]
    assert notes == [{"code": "route_note_time_barred", "numbers": "OLD-1", "day": "2026-12-10"}]
    # only the barred one left: no route fits, and the pack says why
    Invoice.objects.filter(customer=c, number="NEW-1").update(open_minor=0)
    res = legal.routes(ctx, "T1", date(2026, 12, 10), today=TODAY)
    assert {(r.fits, r.reason.code) for r in res.routes} == {(False, "route_time_barred")}
    assert "time_barred" in [b["code"] for b in filing_pack.build(ctx, "T1", TODAY).as_dict()["blockers"]]


def test_another_organizations_customer_is_unreachable(ctx, books):
    from gvia.services.context import resolve
    from gvia.services.org.organizations import init_organization

    c = books.customer("X1", "Ours Ltd")
    books.invoice(c, "X-1", "1000.00", date(2026, 10, 1), date(2026, 9, 1))
    made = init_organization("Other Business", country="IL", admin_email="owner@other.co.il",
                             admin_password="Gvia-test-2026!")
    other = resolve(made.slug, "owner@other.co.il")
    assert other.org != ctx.org
    with pytest.raises(NotFound):
        filing_pack.build(other, "X1", TODAY)
    with pytest.raises(NotFound):
        legal.routes(other, "X1", today=TODAY)


def test_the_case_file_lists_every_route_and_why(ctx, books, tmp_path):
    from gvia.services.letters import casefile

    _the_case(ctx, books, tmp_path)
    res = legal.routes(ctx, "C-100", today=TODAY)
    text = pdf_text(casefile.build(ctx, "C-100", TODAY, "he"))
    assert "מסלולים משפטיים ביום ההגשה הראשון" in text
    # the routes as the one computation judged them: under ₪25,000 with its interest, so within the
    # fixed-sum cap and the shortened track; not the district court
    assert {r.code: r.fits for r in res.routes} == {
        "execution_office_fixed_sum": True, "execution_office_shortened_track": True, "small_claims_court": None,
        "magistrates_court": True, "district_court": False}
    assert "הוצאה לפועל: תביעה על סכום קצוב | מתאים | אינו עולה על ₪75,000.00" in text
    assert "הוצאה לפועל: המסלול המקוצר | מתאים | אינו עולה על ₪25,000.00" in text
    assert "בית המשפט המחוזי | אינו מתאים | אינו עולה על ₪2,500,000.00" in text
    # 2026's small-claims limit is not on file: cannot tell, with the day
    assert "אי אפשר לדעת" in text and "הסכום שחל ב־30/12/2026 אינו בטבלה" in text
    english = pdf_text(casefile.build(ctx, "C-100", TODAY, "en"))
    assert "Legal routes on the first filing day" in english and "Magistrates' court | Fits | within" in english


def test_the_shortened_track_is_judged_with_interest(ctx, books):
    from decimal import Decimal

    from gvia.services.legal import interest

    c = books.customer("I1", "Interest Ltd")
    books.invoice(c, "I-1", "24800.00", date(2026, 3, 1), date(2026, 2, 1))
    no_interest = legal.routes(ctx, "I1", date(2026, 7, 1), today=date(2026, 6, 1))
    assert no_interest.claim == Money.of(24800, "ILS")
    assert no_interest.routes[1].fits is True                     # ₪24,800 ≤ ₪25,000
    interest.set_rule(ctx, {"method": "contractual", "percent": "4"})
    res = legal.routes(ctx, "I1", date(2026, 7, 1), today=date(2026, 6, 1))
    # 2 March to 1 July 2026: 122 days; 24,800 × 4% × 122 / 365 = 331.57…
    assert res.interest.amount == Decimal("331.57") and res.claim.amount == Decimal("25131.57")
    assert (res.routes[1].fits, res.routes[1].reason.code) == (False, "route_over")
    assert res.routes[0].fits is not None                           # the fixed-sum route: judged on the claim too

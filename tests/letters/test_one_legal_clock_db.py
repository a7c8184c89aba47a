"""One legal clock (issue 12): the same s.81A1 case through the letter, the case file, `gvia legal`
and the engine gives one answer on whether the fixed-sum route fits and on the first filing day.

C-100 of the conftest (13,230.40 due on 23/11/2026), in cycle 1 at the warning stage of the
default Israeli ladder. Its s.81A1 notice is printed on Mon 23 Nov (the letter's date), posted
by registered mail on Tue 24 Nov, its e-mail copy goes on Wed 25 Nov, and the delivery
confirmation says Sun 29 Nov. The filing clock: 30 whole days after 29 Nov pass on 29 Dec, so
the claim may be filed on Wed 30 Dec 2026 (counted from the posting it would have been Fri
25 Dec, so Sun 27 Dec). The letter, printed before anything was delivered, names the earliest
day the same clock allows for its own date (delivered that day: 24 Dec)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from gvia.core.escalation import CaseState, StageEntry
from gvia.core.legal_rules import earliest_filing, execution_office_rule, fixed_sum_fit
from gvia.services.engine import daily_run
from gvia.services.files import resolve_path
from gvia.services.legal import routes as legal
from gvia.services.letters import casefile
from gvia.services.letters.print_batch import render_due
from gvia.services.letters.reference import payment_reference
from gvia.services.sending import outbox
from gvia.services.sending.compose import compose_message
from gvia.store.models import Case, Invoice, OutboxMessage
from tests.documents.pdftext import pdf_text

from .conftest import AS_OF, at, bakery, message

pytestmark = pytest.mark.django_db

POSTED, COPY_SENT, DELIVERED = date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 29)
FILING = date(2026, 12, 30)
STAGE = "warning_letter"


def _the_case(ctx, books, tmp_path):
    shop = bakery(ctx, books)
    # SH-1003 (12,000.00) needs its allocation number, or the engine waits for it (issue 15)
    Invoice.objects.filter(customer=shop, number="SH-1003").update(allocation_number="612345678")
    state = CaseState(cycle=1, cycle_open=True, cycle_started=date(2026, 9, 5), stage_key=STAGE,
                      stage_entered=AS_OF, history=(StageEntry("reminder", date(2026, 9, 11)),
                                                    StageEntry(STAGE, AS_OF)),
                      deadline_stage=STAGE)
    Case.objects.create(organization=ctx.org, customer=shop, state=state.as_dict(), cycle=1, stage_key=STAGE,
                        stage_entered=AS_OF, active=True)
    letter = message(ctx, shop, "warning_execution_office", "registered_letter", key="case:c100:1:w:letter",
                     cycle=1, stage_key=STAGE, planned=AS_OF)
    assert render_due(ctx, AS_OF, tmp_path / "print", processes=1, now=at(AS_OF)).letters == 1
    copy = message(ctx, shop, "warning_execution_office", "email", key="case:c100:1:w:email", cycle=1,
                   stage_key=STAGE, status="sent", sent_at=at(COPY_SENT), to_addrs=["avi@sharon-bakery.co.il"],
                   server_reply="250 2.0.0 Ok: queued as 11AA")
    outbox.record_registered(ctx, letter.id, "RR555000111IL", posted=POSTED, now=at(POSTED, 12))
    outbox.record_registered(ctx, letter.id, "RR555000111IL", delivered=DELIVERED, now=at(DELIVERED, 12))
    letter.refresh_from_db()
    return shop, letter, copy


def test_the_letter_the_case_file_legal_and_the_engine_agree(ctx, books, tmp_path):
    shop, letter, copy = _the_case(ctx, books, tmp_path)
    rule = execution_office_rule(DELIVERED)
    assert earliest_filing(rule, POSTED, DELIVERED).on == FILING

    # the letter: dated 23 Nov, it names the earliest day for a notice delivered on its date
    printed = pdf_text(resolve_path(letter.raw_path).read_bytes())
    bound = earliest_filing(execution_office_rule(AS_OF), AS_OF, AS_OF).on
    assert bound == date(2026, 12, 24) and bound <= FILING
    assert "ולכן היא לא תוגש לפני 24/12/2026" in printed
    assert payment_reference("C-100", 1) in printed

    # `gvia legal --format json` (the command prints this dictionary): the same day, the same fit
    res = legal.routes(ctx, "C-100", today=date(2026, 12, 1))
    data = res.as_dict()
    assert data["filing_day"] == FILING.isoformat()
    assert data["notice"]["earliest_filing"] == FILING.isoformat() and data["notice"]["code"] == "from_delivery"
    assert (data["notice"]["registered_number"], data["notice"]["posted"], data["notice"]["delivered"]) == (
        "RR555000111IL", POSTED.isoformat(), DELIVERED.isoformat())
    fixed = next(r for r in data["routes"] if r["code"] == "execution_office_fixed_sum")
    assert fixed["fits"] is True is fixed_sum_fit(res.claim, FILING, True).fits
    assert data["written_basis"] is True

    # the case file: the registered letter proves the stage although its e-mail copy went later
    text = pdf_text(casefile.build(ctx, "C-100", date(2026, 12, 1)))
    assert "RR555000111IL" in text and "24/11/2026" in text and "29/11/2026" in text
    assert "אפשר להגיש מיום 30/12/2026" in text
    assert "מכתב ההתראה לא נשלח בדואר רשום" not in text and "אין הוכחה שמכתב ההתראה נמסר" not in text
    assert payment_reference("C-100", 1) in text

    # the engine: the legal referral waits for the same day
    assert "2026-12-30" in daily_run.explain(ctx, "C-100", at(date(2026, 12, 1), 12), "en")
    assert daily_run.run(ctx, at(date(2026, 12, 27), 8)).counts.get("enter_stage") is None
    assert daily_run.run(ctx, at(date(2026, 12, 29), 8)).counts.get("enter_stage") is None
    assert daily_run.run(ctx, at(FILING, 8)).counts.get("enter_stage") == 1
    assert Case.objects.get(customer=shop).stage_key == "legal"


def test_both_messages_of_the_stage_carry_the_case_payment_reference(ctx, books, tmp_path):
    shop, letter, copy = _the_case(ctx, books, tmp_path)
    ref = payment_reference("C-100", 1)
    email = compose_message(copy, ctx.org, COPY_SENT).email
    assert ref in email.text and all(ref in pdf_text(a.content) for a in email.attachments)
    again = OutboxMessage.objects.get(id=letter.id)
    assert ref in pdf_text(compose_message(again, ctx.org, AS_OF).pdf)


def test_the_case_file_judges_the_fixed_sum_route_as_gvia_legal_does(ctx, books, tmp_path):
    shop, letter, copy = _the_case(ctx, books, tmp_path)
    day = date(2026, 12, 1)
    res = legal.routes(ctx, "C-100", today=day)
    text = pdf_text(casefile.build(ctx, "C-100", day))
    assert "מתאים לתביעה על סכום קצוב בהוצאה לפועל (תקרה ₪75,000.00)" in text
    assert f"ביום {FILING:%d/%m/%Y}, יום ההגשה הראשון" in text and res.filing_day == FILING
    # without a written basis neither fits, and both say so
    ctx.org.settings = {k: v for k, v in ctx.org.settings.items() if k != "claim_basis"}
    ctx.org.save()
    fixed = next(r for r in legal.routes(ctx, "C-100", today=day).routes if r.code == "execution_office_fixed_sum")
    assert fixed.fits is False
    text = pdf_text(casefile.build(ctx, "C-100", day))
    assert "אינו מתאים לתביעה על סכום קצוב בהוצאה לפועל: אין בתיק חוזה או התחייבות בכתב" in text


def test_a_registered_warning_without_a_delivery_confirmation_goes_to_a_person(ctx, books, tmp_path):
    from gvia.core.legal_rules import filing_clock
    from gvia.services.engine import worklist

    shop = bakery(ctx, books)
    state = CaseState(cycle=1, cycle_open=True, cycle_started=date(2026, 9, 5), stage_key=STAGE,
                      stage_entered=AS_OF, history=(StageEntry(STAGE, AS_OF),), deadline_stage=STAGE)
    Case.objects.create(organization=ctx.org, customer=shop, state=state.as_dict(), cycle=1, stage_key=STAGE,
                        stage_entered=AS_OF, active=True)
    letter = message(ctx, shop, "warning_execution_office", "registered_letter", key="case:c100:1:w:letter",
                     cycle=1, stage_key=STAGE, planned=AS_OF)
    assert render_due(ctx, AS_OF, tmp_path / "print", processes=1, now=at(AS_OF)).letters == 1
    outbox.record_registered(ctx, letter.id, "RR777IL", posted=POSTED, now=at(POSTED, 12))
    ask = POSTED + timedelta(days=filing_clock(POSTED).confirmation_wait_days)     # Tue 15 Dec
    assert worklist.section(ctx, "no_delivery_confirmation", ask - timedelta(days=1)).total == 0
    rows = worklist.section(ctx, "no_delivery_confirmation", ask).rows
    assert [(r.customer_ref, r.number, r.date, r.days) for r in rows] == [("C-100", "RR777IL", POSTED, 21)]
    # the engine holds the legal referral for the same reason, and says it
    run = daily_run.run(ctx, at(ask, 8))
    assert run.held_back == [{"reason": "no_delivery_confirmation", "customers": 1}]
    assert "no delivery of the warning" in daily_run.explain(ctx, "C-100", at(ask, 9), "en")
    # the confirmation recorded (here: a refusal to accept, which counts as service): off the list
    outbox.record_registered(ctx, letter.id, "RR777IL", delivered=date(2026, 11, 30), now=at(ask, 12))
    assert worklist.section(ctx, "no_delivery_confirmation", ask).total == 0
    assert "2026-12-31" in daily_run.explain(ctx, "C-100", at(ask, 13), "en")   # 30 Nov + 31


def test_gvia_legal_says_when_the_day_asked_for_is_before_the_filing_clock_allows(ctx, books, tmp_path):
    _the_case(ctx, books, tmp_path)
    early = legal.routes(ctx, "C-100", FILING - timedelta(days=1), today=date(2026, 12, 1))
    assert early.filing_allowed is False and early.as_dict()["filing_allowed"] is False
    assert legal.routes(ctx, "C-100", FILING, today=date(2026, 12, 1)).filing_allowed is True


def test_a_notice_posted_before_any_rule_on_file_is_no_notice(ctx, books):
    shop = bakery(ctx, books)
    message(ctx, shop, "warning_execution_office", "registered_letter", key="old", status="sent",
            registered_number="RR1", posted_date=date(2014, 1, 5), sent_at=at(date(2014, 1, 5)))
    res = legal.routes(ctx, "C-100", today=AS_OF)
    assert res.notice.message_id is None and res.notice.filing.code == "not_posted"

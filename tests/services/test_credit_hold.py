"""Credit hold and the reason for non-payment over the database (issue 17): a person sets and lifts
a hold (audited, on the timeline, in the customer list), the policy's [credit_hold] rule only
suggests one (the worklist's section, `gvia customer holds`), and a case carries why the customer
has not paid."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from gvia.core.errors import RefusedFor, ValidationFailed
from gvia.services.engine import nonpayment
from gvia.services.engine import worklist as worklist_service
from gvia.services.ledger import credit_hold
from gvia.services.ledger.customers import list_customers
from gvia.store.models import Activity, AuditRecord, Case, Customer
from gvia.web.case_timeline import event_detail

pytestmark = pytest.mark.django_db
DAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 7, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def owing(books):
    """The shipped Israeli ladder suggests a hold from 60 days past due above ₪10,000."""
    old_big = books.customer("C1", "ישן וגדול")
    books.invoice(old_big, "1001", "10000.01", date(2026, 10, 8))          # 60 days late, above
    old_small = books.customer("C2", "ישן וקטן")
    books.invoice(old_small, "2001", "10000.00", date(2026, 9, 1))          # not above ₪10,000
    new_big = books.customer("C3", "חדש וגדול")
    books.invoice(new_big, "3001", "50000.00", date(2026, 10, 9))          # 59 days late
    dollars = books.customer("C4", "Dollar Ltd")
    books.invoice(dollars, "4001", "90000.00", date(2026, 1, 1), currency="USD")   # no USD figure in il.toml
    return old_big, old_small, new_big, dollars


def test_the_policy_rule_suggests_only_old_and_large_debts(ctx, owing):
    found = credit_hold.suggestions(ctx, DAY)
    assert [(s.customer_ref, s.days_overdue, str(s.overdue.amount), s.after_days, str(s.above.amount))
            for s in found] == [("C1", 60, "10000.01", 60, "10000.00")]
    section = worklist_service.section(ctx, "credit_hold", DAY)
    assert section.total == 1 and section.rows[0].customer_ref == "C1"


def test_a_person_sets_and_lifts_a_hold_audited_and_on_the_timeline(ctx, owing):
    with pytest.raises(ValidationFailed) as err:
        credit_hold.set_hold(ctx, "C1", "   ", now=NOW)
    assert err.value.problems[0].code == "credit_hold_reason_required"
    assert not Customer.objects.get(ref="C1").credit_hold

    credit_hold.set_hold(ctx, "C1", "  שישים   יום בלי תשובה ", now=NOW)
    c = Customer.objects.get(ref="C1")
    assert (c.credit_hold, c.credit_hold_reason, c.credit_hold_since, c.credit_hold_by) == (
        True, "שישים יום בלי תשובה", DAY, "owner@gilboa.co.il")
    assert credit_hold.suggestions(ctx, DAY) == []                 # held: no longer suggested
    [listed] = [r for r in list_customers(ctx, DAY) if r["ref"] == "C1"]
    assert listed["credit_hold"] == {"reason": "שישים יום בלי תשובה", "since": "2026-12-07"}
    line = Activity.objects.filter(customer=c).latest("id")
    assert event_detail(line.data, "he") == "הלקוח הועבר לעצירת אשראי — \u2068שישים יום בלי תשובה\u2069"
    assert event_detail(line.data, "en") == "Put on credit hold — \u2068שישים יום בלי תשובה\u2069"

    credit_hold.lift_hold(ctx, "C1", now=NOW)
    c.refresh_from_db()
    assert (c.credit_hold, c.credit_hold_reason, c.credit_hold_since) == (False, "", None)
    with pytest.raises(RefusedFor) as refused:
        credit_hold.lift_hold(ctx, "C1", now=NOW)
    assert refused.value.code == "credit_hold_not_set"
    assert list(AuditRecord.objects.filter(action__startswith="customer.credit_hold").values_list(
        "action", flat=True).order_by("id")) == ["customer.credit_hold", "customer.credit_hold_lifted"]


def test_a_viewer_cannot_set_a_hold(ctx, owing):
    from gvia.core.errors import Refused
    from gvia.services.context import Ctx

    with pytest.raises(Refused):
        credit_hold.set_hold(Ctx(ctx.org, ctx.user, "viewer"), "C1", "x", now=NOW)


def test_the_reason_for_non_payment_is_one_of_the_list_and_is_counted(ctx, owing):
    with pytest.raises(ValidationFailed) as err:
        nonpayment.set_reason(ctx, "C1", "lazy", now=NOW)
    assert err.value.problems[0].code == "nonpayment_unknown"
    nonpayment.set_reason(ctx, "C1", "cash_flow", "מחכים לתשלום מלקוח שלהם", source="call", now=NOW)
    case = Case.objects.get(customer__ref="C1")
    assert (case.nonpayment_reason, case.nonpayment_note, case.nonpayment_on, case.nonpayment_source) == (
        "cash_flow", "מחכים לתשלום מלקוח שלהם", DAY, "call")
    Case.objects.filter(id=case.id).update(active=True)
    nonpayment.set_reason(ctx, "C2", "forgot", now=NOW)
    Case.objects.filter(customer__ref="C2").update(active=True)
    shares = nonpayment.shares(ctx)
    assert (shares["cash_flow"], shares["forgot"], shares["refuses"], shares[""]) == (1, 1, 0, 0)
    line = Activity.objects.filter(customer__ref="C1").latest("id")
    assert event_detail(line.data, "he") == (
        "סיבת אי-התשלום: \u2068תזרים מזומנים\u2069 — \u2068מחכים לתשלום מלקוח שלהם\u2069")

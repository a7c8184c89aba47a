"""What a customer does on their page (issue 16), through the services a person would use: each
action on the timeline, audited, rate-limited, and the case reacting (a reply's pause, a promise's
pause, a plan waiting for approval, a disputed invoice off the ladder, a contact kept as proposed)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from email import message_from_bytes, policy

import pytest

from gvia.channels.catcher import read_messages
from gvia.core.errors import RefusedFor, ValidationFailed
from gvia.services import settings as org_settings
from gvia.services.engine import daily_run, worklist
from gvia.services.portal import actions, requests
from gvia.services.sending.compose import compose_message
from gvia.services.sending.dispatch import dispatch_due
from gvia.store.models import (
    Activity,
    AuditRecord,
    Case,
    Contact,
    Dispute,
    Document,
    OutboxMessage,
    Pause,
    PaymentPlan,
    Promise,
    Task,
)
from gvia.store.models_portal_requests import PortalRequest

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def at(d: date, hour: int = 9) -> datetime:
    return datetime(d.year, d.month, d.day, hour - 2, 0, tzinfo=timezone.utc)   # Israel in winter


@pytest.fixture
def visitor(ctx, books):
    c = books.customer("C1", "Gal-Or Productions", language="en", email="ap@galor.example")
    books.invoice(c, "1001", "2000.00", date(2026, 11, 1))
    books.invoice(c, "1002", "1000.00", date(2026, 11, 3))
    return actions.Visitor(ctx.org, c, link_id=77)


def test_telling_what_happened_is_a_reply_that_pauses_and_waits_to_be_read(ctx, visitor):
    req = actions.tell(visitor, "cash_flow", "Our client pays us on the 20th", now=at(date(2026, 11, 5)))
    assert (req.kind, req.status, req.link_id) == ("told", "done", 77)
    reply = Activity.objects.get(id=req.result_id)
    assert (reply.kind, reply.actor, reply.data["source"], reply.data["nonpayment"]) == (
        "message_in", "customer:C1", "portal", "cash_flow")
    task = Task.objects.get(customer=visitor.customer, kind="reply")
    assert task.open and task.data["source"] == "portal"
    # the worklist's replies show it; the reply pauses the ladder for the policy's reply days
    rows = worklist.worklist(ctx, date(2026, 11, 5)).sections["replies"].rows
    assert [r.text for r in rows] == ["Our client pays us on the 20th"]
    assert daily_run.run(ctx, at(date(2026, 11, 10))).held_back == [{"reason": "reply_pause", "customers": 1}]
    assert AuditRecord.objects.filter(action="portal.told", actor="customer:C1").count() == 1
    case = Case.objects.get(customer=visitor.customer)          # the case's reason for non-payment (issue 17)
    assert (case.nonpayment_reason, case.nonpayment_source, case.nonpayment_note) == (
        "cash_flow", "portal", "Our client pays us on the 20th")


def test_a_reason_from_the_list_and_words_for_other(visitor):
    with pytest.raises(ValidationFailed) as e:
        actions.tell(visitor, "refuses", "", now=at(date(2026, 11, 5)))
    assert [p.code for p in e.value.problems] == ["portal_choose_reason"]
    with pytest.raises(ValidationFailed) as e:
        actions.tell(visitor, "other", "  ", now=at(date(2026, 11, 5)))
    assert [p.code for p in e.value.problems] == ["portal_say_what"]
    assert not PortalRequest.objects.exists() and not Activity.objects.exists()


def test_a_promise_within_the_limits_is_recorded_at_once_and_pauses_the_case(visitor):
    req = actions.promise(visitor, "2026-11-20", now=at(date(2026, 11, 5)))
    assert (req.status, req.waits_for) == ("done", [])
    p = Promise.objects.get(id=req.result_id)
    assert (p.amount_minor, p.due, p.source, p.created_by) == (300000, date(2026, 11, 20), "portal", "customer:C1")
    assert Pause.objects.get(id=p.pause_id).active


def test_a_promise_too_far_or_partial_waits_for_a_person_who_approves_it(ctx, visitor):
    far = actions.promise(visitor, "2026-12-31", now=at(date(2026, 11, 5)))     # 56 days > 30
    assert (far.status, far.waits_for) == ("pending", ["promise_beyond_days"])
    assert not Promise.objects.exists()
    line = Activity.objects.get(kind="portal", data__event="portal.promise_requested")
    assert (line.data["amount"], line.data["due"], line.data["request"]) == ("3000.00", "2026-12-31", far.id)
    part = actions.promise(visitor, "2026-11-20", "500", now=at(date(2026, 11, 5)))
    assert part.waits_for == ["promise_partial"]
    section = worklist.worklist(ctx, date(2026, 11, 5)).sections["portal_requests"]
    assert [(r.request_id, r.kind) for r in section.rows] == [(far.id, "promise"), (part.id, "promise")]

    requests.decide(ctx, far.id, approve=True, now=at(date(2026, 11, 6)))
    far.refresh_from_db()
    assert (far.status, far.decided_by) == ("approved", "owner@gilboa.co.il")
    assert Promise.objects.get(id=far.result_id).due == date(2026, 12, 31)
    requests.decide(ctx, part.id, approve=False, note="the whole amount please", now=at(date(2026, 11, 6)))
    assert PortalRequest.objects.get(id=part.id).status == "rejected"
    assert Promise.objects.count() == 1
    with pytest.raises(RefusedFor) as e:
        requests.decide(ctx, part.id, approve=True)
    assert e.value.code == "portal_request_decided"


def test_partial_promises_and_the_days_are_settings(ctx, visitor):
    org_settings.set_setting(ctx, "portal_partial_promises", "true")
    org_settings.set_setting(ctx, "portal_promise_max_days", "60")
    req = actions.promise(visitor, "2026-12-31", "500", now=at(date(2026, 11, 5)))
    assert req.status == "done" and Promise.objects.get(id=req.result_id).amount_minor == 50000


def test_a_promise_in_the_past_or_over_the_balance_is_refused_and_nothing_changes(visitor):
    with pytest.raises(ValidationFailed) as e:
        actions.promise(visitor, "2026-11-01", "9000", now=at(date(2026, 11, 5)))
    assert [p.code for p in e.value.problems] == ["before_today", "portal_amount_over_balance"]
    assert not PortalRequest.objects.exists()


def test_the_page_proposes_plans_within_the_limits_and_a_request_waits_for_approval(ctx, visitor):
    # limits: 6 months, at least 500 an instalment; 3000 from 12 Nov
    options = actions.plan_options(visitor, date(2026, 11, 5))
    assert options.balance.minor == 300000 and options.first == date(2026, 11, 12)
    assert [o.installments for o in options.proposed] == [2, 3, 4, 5, 6]
    assert not [o for o in options.options if o.installments == 7][0].within_limits

    req = actions.ask_plan(visitor, 3, "2026-11-12", now=at(date(2026, 11, 5)))
    assert (req.status, req.waits_for, req.data["each"]) == ("pending", ["plan_needs_approval"], "1000.00")
    assert not PaymentPlan.objects.exists()
    requests.decide(ctx, req.id, approve=True, now=at(date(2026, 11, 6)))
    plan = PaymentPlan.objects.get(id=PortalRequest.objects.get(id=req.id).result_id)
    assert (plan.installments_count, plan.total_minor, plan.first_date) == (3, 300000, date(2026, 11, 12))
    with pytest.raises(RefusedFor) as e:
        actions.ask_plan(visitor, 3, "2026-11-12", now=at(date(2026, 11, 6)))
    assert e.value.code == "portal_plan_running"


def test_a_plan_within_the_limits_is_agreed_at_once_when_the_policy_allows(ctx, visitor, collector_ctx):
    org_settings.set_setting(ctx, "portal_plans_automatic", "true")
    req = actions.ask_plan(visitor, 2, "2026-11-12", now=at(date(2026, 11, 5)))
    assert req.status == "done" and PaymentPlan.objects.get(id=req.result_id).pause.active
    PaymentPlan.objects.all().delete()
    beyond = actions.ask_plan(visitor, 12, "2026-11-12", now=at(date(2026, 11, 5)))
    assert beyond.waits_for == ["plan_beyond_limits"]
    with pytest.raises(RefusedFor) as e:       # beyond the limits: an owner decides
        requests.decide(collector_ctx, beyond.id, approve=True, now=at(date(2026, 11, 6)))
    assert e.value.code == "portal_plan_needs_owner"


def test_a_dispute_with_an_attachment_takes_that_invoice_off_the_ladder(ctx, visitor):
    req = actions.dispute(visitor, ["1002"], "wrong_amount", "We ordered 10, not 20",
                          attachment=("order.pdf", PDF), now=at(date(2026, 11, 5)))
    d = Dispute.objects.get(id=req.result_id)
    assert (d.reason, sorted(d.invoices.values_list("number", flat=True))) == ("wrong_amount", ["1002"])
    pause = Pause.objects.get(id=d.pause_id)
    assert pause.kind == "dispute" and pause.invoices == [d.invoices.get().id]
    doc = Document.objects.get(id=req.data["document"])
    assert (doc.file_name, doc.content_type, doc.invoice.number) == ("order.pdf", "application/pdf", "1002")
    assert req.uploads == 1


def test_a_dispute_refuses_another_customers_invoice_a_bad_file_and_a_large_one(ctx, books, visitor):
    other = books.customer("C2", "Someone Else")
    books.invoice(other, "2001", "100.00", date(2026, 11, 1))
    with pytest.raises(ValidationFailed) as e:
        actions.dispute(visitor, ["2001"], "wrong_amount", now=at(date(2026, 11, 5)))
    assert [(p.code, p.params) for p in e.value.problems] == [("portal_not_your_invoice", {"number": "2001"})]
    with pytest.raises(ValidationFailed) as e:
        actions.dispute(visitor, ["1001"], "other", "", attachment=("x.exe", b"MZ\x90\x00"), now=at(date(2026, 11, 5)))
    assert [p.code for p in e.value.problems] == ["portal_say_what", "portal_file_type"]
    big = PDF + b"0" * actions.UPLOAD_MAX_BYTES
    with pytest.raises(ValidationFailed) as e:
        actions.dispute(visitor, ["1001"], "not_received", attachment=("big.pdf", big), now=at(date(2026, 11, 5)))
    assert [p.code for p in e.value.problems] == ["portal_file_too_large"]
    assert not Dispute.objects.exists() and not Document.objects.exists()


def test_thirty_actions_an_hour_and_five_uploads_a_day_per_link(visitor):
    start = at(date(2026, 11, 5))
    for i in range(actions.ACTIONS_PER_HOUR):
        actions.tell(visitor, "forgot", f"sorry {i}", now=start + timedelta(minutes=i))
    with pytest.raises(RefusedFor) as e:
        actions.tell(visitor, "forgot", "once more", now=start + timedelta(minutes=59))
    assert (e.value.code, e.value.params) == ("portal_too_many_actions", {"most": 30})
    actions.tell(visitor, "forgot", "an hour later", now=start + timedelta(minutes=61))   # the first has aged out
    PortalRequest.objects.all().delete()
    later = at(date(2026, 11, 6))
    for i in range(actions.UPLOADS_PER_DAY):
        PortalRequest.objects.create(organization=visitor.org, customer=visitor.customer, link_id=77, kind="dispute",
                                     status="done", uploads=1, at=later - timedelta(hours=i + 2))
    with pytest.raises(RefusedFor) as e:
        actions.dispute(visitor, ["1001"], "not_received", attachment=("a.pdf", PDF), now=later)
    assert e.value.code == "portal_too_many_uploads"
    assert not Dispute.objects.exists()
    # another link of the same customer has its own allowance
    other = actions.Visitor(visitor.org, visitor.customer, link_id=78)
    actions.dispute(other, ["1001"], "not_received", attachment=("a.pdf", PDF), now=later)


def test_a_proposed_contact_gets_nothing_until_confirmed_then_both_addresses_are_told_once(ctx, visitor, settings):
    req = actions.propose_contact(visitor, "Noa", "noa@galor.example", "050-1234567", now=at(date(2026, 11, 5)))
    assert (req.status, req.waits_for) == ("pending", ["contact_needs_confirmation"])
    assert not Contact.objects.filter(email="noa@galor.example").exists()
    with pytest.raises(ValidationFailed) as e:
        actions.propose_contact(visitor, "X", "not-an-address", now=at(date(2026, 11, 5)))
    assert [p.code for p in e.value.problems] == ["portal_email_invalid"]

    requests.decide(ctx, req.id, approve=True, now=at(date(2026, 11, 6)))
    contact = Contact.objects.get(email="noa@galor.example")
    assert contact.is_billing
    notices = OutboxMessage.objects.filter(customer=visitor.customer, document="portal_contact_changed")
    assert sorted(m.to_addrs[0] for m in notices) == ["ap@galor.example", "noa@galor.example"]
    assert {m.status for m in notices} == {"queued"}
    email = compose_message(notices.get(to_addrs=["ap@galor.example"]), ctx.org, date(2026, 11, 6)).email
    assert email.to == ["ap@galor.example"] and "noa@galor.example" in email.text
    # the worker sends each once, to its own address only, however often it runs
    for _ in range(2):
        dispatch_due(lambda: at(date(2026, 11, 8), 10), "test-worker")
    caught = [message_from_bytes(p.read_bytes(), policy=policy.default)
              for p in read_messages(settings.MAIL_CATCHER_DIR)]
    assert sorted(m["To"] for m in caught) == ["ap@galor.example", "noa@galor.example"]
    assert all("noa@galor.example" in m.get_body(("plain",)).get_content() for m in caught)


@pytest.fixture
def collector_ctx(ctx):
    from gvia.services.context import resolve
    from gvia.services.org.organizations import add_member

    add_member(ctx, "dana@gilboa.co.il", "Gvia-test-2026!", "collector")
    return resolve(None, "dana@gilboa.co.il")


def test_a_request_that_waits_for_a_person_holds_the_ladder_and_its_messages(ctx, visitor):
    """A plan the customer asked for on their page is an answer: until a person answers it (for the
    reply days at most), the daily run plans nothing new and no automatic message overtakes it."""
    from gvia.services.sending.dispatch import still_wanted

    req = actions.ask_plan(visitor, 3, "2026-11-12", now=at(date(2026, 11, 5)))
    assert req.status == "pending"
    msg = OutboxMessage.objects.create(
        organization=ctx.org, customer=visitor.customer, idempotency_key="test:held", cycle=1, stage_key="reminder",
        channel="email", document="reminder", status="queued", planned_for=date(2026, 11, 6))
    held = daily_run.run(ctx, at(date(2026, 11, 8))).held_back      # the reminder was due: held
    assert {"reason": "request_pending", "customers": 1} in held
    verdict = still_wanted(msg, ctx.org, date(2026, 11, 6), reply_pause_days=3)
    assert verdict.wait_until is not None and verdict.wait_reason.code == "outbox_why_asked"
    why = verdict.wait_reason.params
    assert (why["request_kind"], why["day"]) == ("plan", date(2026, 11, 5))
    assert verdict.wait_until.date() == date(2026, 11, 9)          # the day after the reply days
    # a message a person approved after the request was made has been seen: it goes
    msg.approved_at = at(date(2026, 11, 6))
    assert still_wanted(msg, ctx.org, date(2026, 11, 6), reply_pause_days=3).wait_until is None
    msg.approved_at = None
    # answered (here: not agreed): the hold ends at once
    requests.decide(ctx, req.id, approve=False, note="the whole amount by the end of the month",
                    now=at(date(2026, 11, 6)))
    assert still_wanted(msg, ctx.org, date(2026, 11, 6), reply_pause_days=3).wait_until is None
    assert not any(h["reason"] == "request_pending" for h in daily_run.run(ctx, at(date(2026, 11, 8))).held_back)

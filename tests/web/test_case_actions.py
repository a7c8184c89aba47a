"""The customer page's case and its actions: each goes through its service (which checks and
audits), refusals come back next to the fields, roles and other organizations are kept out."""

from __future__ import annotations

from datetime import date

import pytest

from gvia.store.models import (
    Activity,
    AuditRecord,
    Dispute,
    OutboxMessage,
    Pause,
    PaymentPlan,
    PlanInstallment,
    Promise,
    Settlement,
)
from tests.documents.pdftext import pdf_text

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def url(world, action: str, customer=None) -> str:
    return f"/customers/{(customer or world.c1).id}/{action}/"


# --- the case on the page --------------------------------------------------------------------------

def test_the_page_says_where_the_case_stands_and_why(as_owner, engine):
    r = as_owner.get(f"/customers/{engine.world.c1.id}/")
    assert r.status_code == 200
    case = r.context["case"]
    assert (case.stage_key, case.stage, case.since) == ("call", "שיחת טלפון", TODAY)
    assert case.explanation[0].startswith("חשבונית INV-1001 באיחור של 43 ימים")
    assert "ממתינים לתוצאת השיחה" in case.explanation[0]
    html = r.content.decode()
    assert 'id="case"' in html and 'id="actions"' in html
    c1 = engine.world.c1.id
    for action in ("promise", "plan", "settlement", "dispute", "pause", "note", "casefile"):
        # each action's form is loaded when its section is opened, and posts to the action
        assert f'hx-get="/customers/{c1}/actions/{action}/"' in html
        assert f'action="/customers/{c1}/{action}/"' not in html
        fragment = as_owner.get(f"/customers/{c1}/actions/{action}/", HTTP_HX_REQUEST="true")
        assert fragment.status_code == 200 and "<html" not in fragment.content.decode()
        assert f'action="/customers/{c1}/{action}/"' in fragment.content.decode()


def test_an_action_form_without_javascript_is_the_page_with_that_form_open(as_collector, world):
    r = as_collector.get(f"/customers/{world.c1.id}/actions/pause/")
    assert r.status_code == 200 and r.context["open_action"] == "pause"
    html = r.content.decode()
    assert '<details class="action" id="act-pause" open>' in html
    assert f'action="/customers/{world.c1.id}/pause/"' in html and 'id="pause_until"' in html
    assert f'action="/customers/{world.c1.id}/note/"' not in html          # the others stay folded
    assert as_collector.get(f"/customers/{world.c1.id}/actions/frobnicate/").status_code == 404


def test_action_forms_are_for_those_who_may_act_on_their_own_customers(client, world):
    client.force_login(world.viewer)
    assert client.get(f"/customers/{world.c1.id}/actions/note/", HTTP_HX_REQUEST="true").status_code == 403
    client.force_login(world.owner)
    assert client.get(f"/customers/{world.c1.id}/actions/note/", HTTP_HX_REQUEST="true").status_code == 200
    assert client.get(f"/customers/{world.s1.id}/actions/note/", HTTP_HX_REQUEST="true").status_code == 404


def test_the_case_in_english_for_an_english_reader(as_viewer, engine):
    r = as_viewer.get(f"/customers/{engine.world.c2.id}/")
    case = r.context["case"]
    assert case.stage == "Warning letter before proceedings"
    assert case.explanation[0].startswith("Invoice INV-2001 is 134 days overdue")
    assert 'id="actions"' not in r.content.decode()              # a viewer has no actions


def test_the_timeline_shows_the_case(as_owner, engine):
    from gvia.services.context import Ctx
    from gvia.services.engine import calls

    calls.log_call(Ctx(engine.world.org_a, engine.world.collector, "collector"), "C001", "no_answer",
                   note="ניסיתי פעמיים")
    r = as_owner.get(f"/customers/{engine.world.c1.id}/")
    kinds = [e.kind for e in r.context["entries"]]
    assert kinds[:2] == ["call", "activity_stage"]
    call = r.context["entries"][0]
    assert (call.params["outcome"].text("he"), call.detail, call.actor) == ("אין מענה", "ניסיתי פעמיים",
                                                                            "collector@a.test")
    assert "call.logged" not in str(kinds)                      # the audit line is not shown twice
    c2 = as_owner.get(f"/customers/{engine.world.c2.id}/")
    messages = [e for e in c2.context["entries"] if e.kind == "message"]
    assert len(messages) == 2 and {e.params["status"] for e in messages} == {"outbox.status.awaiting_approval"}
    assert "מכתב התראה" not in c2.content.decode() or "ממתין לאישור" in c2.content.decode()


# --- promises, plans, settlements ------------------------------------------------------------------

def test_record_a_promise(as_collector, world):
    r = as_collector.post(url(world, "promise"), {"amount": "500", "due": "2026-03-25", "note": "בטלפון"})
    assert r.status_code == 302 and r["Location"].endswith(f"/customers/{world.c1.id}/#case")
    p = Promise.objects.get(customer=world.c1)
    assert (p.amount_minor, p.currency, p.due, p.created_by) == (50000, "ILS", date(2026, 3, 25), "collector@a.test")
    # grace of 3 days: paused through the 28th
    assert Pause.objects.get(customer=world.c1, kind="promise").until == date(2026, 3, 28)
    assert AuditRecord.objects.filter(action="promise.recorded").exists()
    page = as_collector.get(f"/customers/{world.c1.id}/")
    assert any("הבטחת תשלום של" in line for line in page.context["case"].arrangements)


def test_a_promise_in_the_past_comes_back_with_the_reason(as_collector, world):
    r = as_collector.post(url(world, "promise"), {"amount": "500", "due": "2026-03-01"})
    assert r.status_code == 400
    assert r.context["open_action"] == "promise"
    assert r.context["actions"]["promise"].errors
    assert not Promise.objects.exists()


def test_plan_preview_writes_nothing_then_agree(as_collector, world):
    data = {"installments": "2", "frequency": "monthly", "first": "2026-04-01", "down": "", "currency": "ILS"}
    r = as_collector.post(url(world, "plan"), {**data, "action": "preview"})
    assert r.status_code == 200
    preview = r.context["plan_preview"]
    # 1,200.00 ILS open (700 overdue + 500 not yet due) in two of 600.00: Wed 1 April, and
    # 1 May, a Friday (a day off in Israel), moved to Sunday 3 May
    assert str(preview.total) == "1200.00 ILS"
    assert [(i.due, i.amount_minor) for i in preview.installments] == [(date(2026, 4, 1), 60000),
                                                                      (date(2026, 5, 3), 60000)]
    assert preview.limits_exceeded == []
    assert not PaymentPlan.objects.exists() and not AuditRecord.objects.filter(action="plan.created").exists()
    assert not Activity.objects.filter(kind="plan").exists()
    # in place, with htmx
    r = as_collector.post(url(world, "plan"), {**data, "action": "preview"}, HTTP_HX_REQUEST="true")
    assert 'data-testid="plan-schedule"' in r.content.decode()
    assert 'id="plan-area"' in r.content.decode()
    r = as_collector.post(url(world, "plan"), {**data, "action": "agree"})
    assert r.status_code == 302
    plan = PaymentPlan.objects.get(customer=world.c1)
    assert (plan.total_minor, plan.installments_count, plan.created_by) == (120000, 2, "collector@a.test")
    assert PlanInstallment.objects.filter(plan=plan).count() == 2


def test_a_plan_beyond_a_collectors_limits_is_refused_with_the_reasons(as_collector, world):
    # 1,200.00 in 12: 100.00 each, under the 500.00 a collector may agree alone, and a year long
    r = as_collector.post(url(world, "plan"), {"installments": "12", "frequency": "monthly", "first": "2026-04-01",
                                               "currency": "ILS", "action": "preview"})
    assert r.status_code == 400
    page = r.content.decode()        # the preview words the refusal for the reader (issue 13): Hebrew here
    assert "התוכנית חורגת ממה שגובה רשאי להסכים לבדו ודורשת בעלים" in page and "פחות מהמינימום של" in page
    assert "needs an owner" not in page and "less than the minimum" not in page
    assert not PaymentPlan.objects.exists()


def test_plan_agreement_pdf_and_cancel(as_owner, world):
    as_owner.post(url(world, "plan"), {"installments": "2", "frequency": "monthly", "first": "2026-04-01",
                                       "currency": "ILS", "action": "agree"})
    plan = PaymentPlan.objects.get(customer=world.c1)
    page = as_owner.get(f"/customers/{world.c1.id}/")
    assert page.context["case"].plans == [plan]
    # the plan is valid (two installments adding up to the 1,200.00 open, in its currency) and the
    # organization has the name the agreement needs: the PDF is produced, not refused (409)
    r = as_owner.get(f"/customers/{world.c1.id}/agreements/payment_plan/{plan.id}.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == f'inline; filename="payment_plan-C001-{plan.id}.pdf"'
    got = pdf_text(r.content)
    assert f"PP-2026-{plan.id:03d}" in got and 'לבין אלון שיווק בע"מ (ח.פ. 514000001)' in got
    assert "INV-1001 | 01/01/2026 | 31/01/2026 | ₪700.00" in got
    assert "INV-1002 | 01/03/2026 | 31/03/2026 | ₪500.00" in got
    # 1 May 2026 is a Friday: the second installment moves to Sunday 3 May
    assert "1 | 01/04/2026 | ₪600.00 2 | 03/05/2026 | ₪600.00 סה״כ לתשלום | ₪1,200.00" in got
    assert as_owner.get(f"/customers/{world.c2.id}/agreements/payment_plan/{plan.id}.pdf").status_code == 404
    as_owner.post(f"/customers/{world.c1.id}/plan/{plan.id}/cancel/", {"reason": "טעות"})
    plan.refresh_from_db()
    assert (plan.status, plan.end_reason) == ("cancelled", "טעות")


def test_settlement_offered_by_a_collector_approved_by_an_owner(client, world):
    client.force_login(world.collector)
    # the debt a settlement settles is what is due today (INV-1001's ₪700), not INV-1002 due later
    r = client.post(url(world, "settlement"), {"amount": "500", "deadline": "2026-03-31", "reason": "קושי זמני",
                                               "currency": "ILS", "waives_interest": "on"})
    assert r.status_code == 302
    s = Settlement.objects.get(customer=world.c1)
    assert (s.status, s.agreed_minor, s.debt_minor) == ("offered", 50000, 70000)
    assert client.post(f"/customers/{world.c1.id}/settlement/{s.id}/approve/").status_code == 403
    client.force_login(world.owner)
    client.post(f"/customers/{world.c1.id}/settlement/{s.id}/approve/", {"reason": "לקוח ותיק"})
    s.refresh_from_db()
    assert (s.status, s.approved_by) == ("approved", "owner@a.test")
    assert client.post(f"/customers/{world.c1.id}/settlement/{s.id}/frobnicate/").status_code == 404


# --- disputes, pauses, notes -------------------------------------------------------------------------

def test_open_and_resolve_a_dispute(as_collector, world):
    r = as_collector.post(url(world, "dispute"), {"invoices": ["INV-1001"], "reason": "wrong_amount",
                                                  "note": "חויבו פעמיים"})
    assert r.status_code == 302
    d = Dispute.objects.get(customer=world.c1)
    assert list(d.invoices.values_list("number", flat=True)) == ["INV-1001"]
    page = as_collector.get(f"/customers/{world.c1.id}/")
    assert page.context["case"].disputes == [d]
    as_collector.post(f"/customers/{world.c1.id}/dispute/{d.id}/resolve/", {"outcome": "rejected", "note": "נבדק"})
    d.refresh_from_db()
    assert d.status == "rejected"


def test_a_dispute_names_only_the_customers_open_invoices(as_collector, world):
    r = as_collector.post(url(world, "dispute"), {"invoices": ["INV-9001"], "reason": "wrong_amount"})
    assert r.status_code == 400
    assert not Dispute.objects.exists()


def test_pause_and_resume(as_collector, world):
    r = as_collector.post(url(world, "pause"), {"until": "2026-04-01", "reason": "הלקוח באשפוז"})
    assert r.status_code == 302
    p = Pause.objects.get(customer=world.c1, kind="manual")
    assert (p.until, p.reason, p.created_by) == (date(2026, 4, 1), "הלקוח באשפוז", "collector@a.test")
    page = as_collector.get(f"/customers/{world.c1.id}/")
    assert page.context["case"].paused
    as_collector.post(f"/customers/{world.c1.id}/pause/{p.id}/lift/")
    p.refresh_from_db()
    assert not p.active
    assert as_collector.post(f"/customers/{world.c2.id}/pause/{p.id}/lift/").status_code == 404


def test_a_pause_needs_a_reason(as_collector, world):
    r = as_collector.post(url(world, "pause"), {"until": "2026-04-01", "reason": ""})
    assert r.status_code == 400 and r.context["open_action"] == "pause"
    assert not Pause.objects.exists()


def test_add_a_note_and_a_reply(as_collector, world):
    as_collector.post(url(world, "note"), {"kind": "note", "text": "ביקשו חשבונית מתוקנת"})
    as_collector.post(url(world, "note"), {"kind": "reply", "text": "נשלם בשבוע הבא"})
    kinds = sorted(Activity.objects.filter(customer=world.c1).values_list("kind", flat=True))
    assert kinds == ["message_in", "note"]
    page = as_collector.get(f"/customers/{world.c1.id}/")
    details = [e.detail for e in page.context["entries"] if e.kind.startswith("activity_")]
    assert "ביקשו חשבונית מתוקנת" in details and "נשלם בשבוע הבא" in details


# --- documents -----------------------------------------------------------------------------------------

def test_statement_pdf(as_viewer, world):
    r = as_viewer.get(f"/customers/{world.c1.id}/statement.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert r["Content-Disposition"] == 'attachment; filename="statement-C001-2026-03-15.pdf"'


def test_case_file_is_built_by_a_collector_and_audited(as_collector, world):
    # a collector may build it, and nothing the case file needs is missing: a PDF, never a refusal (400)
    r = as_collector.post(url(world, "casefile"), {"as_of": "2026-03-15", "language": "he"})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == 'attachment; filename="casefile-C001-2026-03-15.pdf"'
    got = pdf_text(r.content)
    # what is due on the file's date: INV-1002 (₪500) is due on 31/03
    assert 'תיק גבייה: אלון שיווק בע"מ' in got and "לתשלום עד מועד התיק | ₪700.00" in got
    assert "INV-1001 | 01/01/2026 | 31/01/2026 | ₪1,000.00 | ₪700.00 | 43" in got
    audit = AuditRecord.objects.get(action="casefile.built", actor="collector@a.test")
    assert (audit.object_id, audit.details["as_of"]) == (str(world.c1.id), "2026-03-15")


def test_send_now_queues_a_reminder_through_the_outbox_service(as_collector, world):
    assert 'send-now' in as_collector.get(f"/customers/{world.c1.id}/").content.decode()
    before = OutboxMessage.objects.filter(customer=world.c1, idempotency_key__startswith="manual:").count()
    # the button asks first: a post without the confirmation sends nothing and says so
    r = as_collector.post(url(world, "send-now"), follow=True)
    assert "לא נשלח דבר: יש לאשר את שליחת התזכורת" in r.content.decode()
    msgs = OutboxMessage.objects.filter(customer=world.c1, idempotency_key__startswith="manual:")
    assert msgs.count() == before
    as_collector.post(url(world, "send-now"), {"confirm": "1"})
    assert msgs.count() == before + 1
    assert msgs.latest("id").status == "queued"
    # a double click is refused by the service and shown, not sent twice
    r = as_collector.post(url(world, "send-now"), {"confirm": "1"}, follow=True)
    assert "כבר ממתינה לשליחה" in r.content.decode()      # worded in the collector's Hebrew
    assert msgs.count() == before + 1


# --- roles and other organizations ---------------------------------------------------------------------

ACTIONS = {
    "call": {"outcome": "no_answer"}, "promise": {"amount": "1", "due": "2026-03-20"},
    "plan": {"installments": "2", "frequency": "monthly", "first": "2026-04-01", "action": "agree"},
    "settlement": {"amount": "1", "deadline": "2026-03-31"}, "dispute": {"invoices": ["INV-9001"], "reason": "other"},
    "pause": {"until": "2026-04-01", "reason": "x"}, "note": {"kind": "note", "text": "x"},
    "casefile": {}, "send-now": {},
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_a_viewer_changes_nothing(as_viewer, world, action):
    before = AuditRecord.objects.count()
    assert as_viewer.post(url(world, action), ACTIONS[action]).status_code == 403
    assert AuditRecord.objects.count() == before


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_another_organizations_customer_is_not_found(as_owner, world, action):
    before = AuditRecord.objects.count()
    assert as_owner.post(url(world, action, world.s1), ACTIONS[action]).status_code == 404
    assert AuditRecord.objects.count() == before


def test_guessed_ids_of_another_organization_give_404(as_owner, world):
    from gvia.services.arrangements import disputes
    from gvia.services.context import Ctx
    from gvia.store.models import Customer, Invoice, OutboxMessage

    b = Ctx(world.org_b, world.owner_b, "owner")
    Invoice.objects.filter(id=world.inv_9001.id).update(due_date=date(2026, 1, 31))
    d = disputes.open_dispute(b, "S001", ["INV-9001"], "wrong_amount")
    m = OutboxMessage.objects.create(organization=world.org_b, customer=world.s1, idempotency_key="b:1",
                                     channel="email", document="reminder", status="awaiting_approval",
                                     planned_for=TODAY)
    p = Pause.objects.create(organization=world.org_b, customer=world.s1, kind="manual", until=date(2026, 4, 1),
                             reason="b")
    s1 = world.s1
    for path in (f"/outbox/{m.id}/", f"/outbox/{m.id}/received/", f"/outbox/{m.id}/pdf/",
                 f"/customers/{s1.id}/statement.pdf",
                 f"/customers/{world.c1.id}/agreements/settlement/999999.pdf"):
        assert as_owner.get(path).status_code == 404, path
    for path in (f"/outbox/{m.id}/approve/", f"/outbox/{m.id}/reject/", f"/outbox/{m.id}/resolve/",
                 f"/customers/{world.c1.id}/dispute/{d.id}/resolve/", f"/customers/{world.c1.id}/pause/{p.id}/lift/",
                 f"/customers/{s1.id}/dispute/{d.id}/resolve/"):
        assert as_owner.post(path, {"outcome": "rejected", "sent": "1"}).status_code == 404, path
    m.refresh_from_db()
    d.refresh_from_db()
    p.refresh_from_db()
    assert (m.status, d.status, p.active) == ("awaiting_approval", "open", True)
    assert Customer.objects.filter(organization=world.org_a).count() == 3


def test_arrangements_are_listed_once(as_collector, world):
    as_collector.post(url(world, "promise"), {"amount": "500", "due": "2026-03-25"})
    case = as_collector.get(f"/customers/{world.c1.id}/").context["case"]
    promise_lines = [line for line in case.explanation + case.arrangements if "הבטחת תשלום של" in line]
    assert len(promise_lines) == 1 and promise_lines[0] in case.arrangements

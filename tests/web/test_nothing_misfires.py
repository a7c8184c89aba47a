"""Nothing that misfires (issue 13), through the pages: after a rejected message the customer page
asks a person to choose (plan it again, skip the stage, pause), every refusal worded in the reader's
language; "next" on the case card respects a pause made since the last run."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest

from gvia.core.message_log import from_text
from gvia.store.models import Case, OutboxMessage, Pause

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def _reject_warning(client, engine):
    r = client.post(f"/outbox/{engine.letter.id}/reject/", {"reason": "wrong address"})
    assert r.status_code == 302
    engine.letter.refresh_from_db()
    assert engine.letter.status == "rejected"


def test_a_rejected_message_asks_for_a_choice_on_the_customer_page(as_owner, engine):
    _reject_warning(as_owner, engine)
    c2 = engine.world.c2
    assert Case.objects.get(customer=c2).state["rejected_stage"] == engine.letter.stage_key
    html = as_owner.get(f"/customers/{c2.id}/").content.decode()
    assert 'data-testid="rejected-choice"' in html
    assert "הודעה של שלב" in html and "נדחתה" in html and "לתכנן מחדש (לאישור)" in html
    r = as_owner.post(f"/customers/{c2.id}/after-rejection/", {"choice": "replan"}, follow=True)
    assert "ההודעה ממתינה שוב לאישור" in r.content.decode()
    engine.letter.refresh_from_db()
    assert engine.letter.status == "awaiting_approval"
    assert 'data-testid="rejected-choice"' not in r.content.decode()


def test_refusals_are_worded_in_the_readers_language(as_owner, engine, client):
    c2 = engine.world.c2
    # nothing rejected yet
    r = as_owner.post(f"/customers/{c2.id}/after-rejection/", {"choice": "skip"}, follow=True)
    assert "אין בתיק הודעה שנדחתה וממתינה להחלטה" in r.content.decode()
    _reject_warning(as_owner, engine)
    r = as_owner.post(f"/customers/{c2.id}/after-rejection/", {"choice": "send anyway"}, follow=True)
    assert "יש לבחור: לתכנן מחדש, לדלג על השלב או להשהות" in r.content.decode()
    r = as_owner.post(f"/customers/{c2.id}/after-rejection/", {"choice": "pause"}, follow=True)
    assert "להשהיה נדרש יום הסיום" in r.content.decode()
    r = as_owner.post(f"/customers/{c2.id}/after-rejection/",
                      {"choice": "pause", "until": "2026-03-01", "reason": "x"}, follow=True)
    assert "ההשהיה אינה יכולה להסתיים לפני היום" in r.content.decode()
    assert not Pause.objects.filter(customer=c2, kind="manual").exists()
    # the English reader gets English
    client.force_login(engine.world.viewer)
    html = client.get(f"/customers/{c2.id}/").content.decode()
    assert "was rejected" in html and "Plan it again" not in html   # a viewer sees, cannot choose
    r = client.post(f"/customers/{c2.id}/after-rejection/", {"choice": "skip"})
    assert r.status_code == 403


def test_pause_after_a_rejection(as_owner, engine):
    _reject_warning(as_owner, engine)
    c2 = engine.world.c2
    r = as_owner.post(f"/customers/{c2.id}/after-rejection/",
                      {"choice": "pause", "until": "2026-03-24", "reason": "checking the address"}, follow=True)
    html = r.content.decode()
    assert "התיק הושהה; השלב יתוכנן מחדש אחרי ההשהיה" in html
    assert Pause.objects.get(customer=c2, kind="manual").until == date(2026, 3, 24)
    # the case card's "next" says the pause first, then the stage
    assert "מושהה עד 24/03/2026 (השהיה ידנית); אחר כך:" in text(html)
    assert OutboxMessage.objects.get(id=engine.letter.id).idempotency_key.endswith(f":rejected:{engine.letter.id}")


def test_next_respects_a_promise_made_since_the_last_run(as_collector, engine):
    c1 = engine.world.c1
    before = as_collector.get(f"/customers/{c1.id}/").content.decode()
    assert "הצעד הבא:" in before
    r = as_collector.post(f"/customers/{c1.id}/promise/", {"amount": "", "due": "2026-03-24", "currency": "",
                                                          "note": ""}, follow=True)
    assert r.status_code == 200
    html = as_collector.get(f"/customers/{c1.id}/").content.decode()
    # the promise pauses the case through its grace days (27/03): "next" says so first
    assert "מושהה עד 27/03/2026 (הבטחת תשלום); אחר כך: מכתב התראה לפני נקיטת הליכים" in text(html)


def test_a_promise_over_the_open_balance_is_refused_in_hebrew(as_collector, world):
    from gvia.store.models import Promise

    # C001 owes 1,200.00 (1,000 + 500 less 300 paid)
    r = as_collector.post(f"/customers/{world.c1.id}/promise/", {"amount": "1200.01", "due": "2026-03-24"})
    assert r.status_code == 400
    assert "ההבטחה (" in text(r.content.decode()) and "גבוהה מהסכום שהלקוח חייב" in text(r.content.decode())
    assert not Promise.objects.exists()


def test_a_second_promise_replaces_the_first_only_when_ticked(as_collector, world):
    from gvia.store.models import Promise

    c1 = world.c1.id
    assert as_collector.post(f"/customers/{c1}/promise/", {"amount": "500", "due": "2026-03-24"}).status_code == 302
    first = Promise.objects.get()
    r = as_collector.post(f"/customers/{c1}/promise/", {"amount": "700", "due": "2026-03-30"})
    assert r.status_code == 400
    html = text(r.content.decode())
    assert f"הבטחה {first.id} (" in html and "עדיין פתוחה: יש לסמן 'מחליפה את ההבטחה הפתוחה'" in html
    assert list(Promise.objects.values_list("status", flat=True)) == ["open"]
    r = as_collector.post(f"/customers/{c1}/promise/", {"amount": "700", "due": "2026-03-30", "replace_open": "on"})
    assert r.status_code == 302
    assert sorted(Promise.objects.values_list("status", flat=True)) == ["cancelled", "open"]


def test_send_now_asks_first_and_is_refused_while_a_message_awaits_approval(as_owner, engine):
    c2 = engine.world.c2          # its warning letter awaits an owner's approval
    html = as_owner.get(f"/customers/{c2.id}/").content.decode()
    assert 'data-testid="send-now-confirm"' in html and 'name="confirm" value="1"' in html
    r = as_owner.post(f"/customers/{c2.id}/send-now/", {"confirm": "1"}, follow=True)
    assert f"הודעה {engine.letter.id} אל Beta Trading Ltd ממתינה להחלטה" in text(r.content.decode())
    assert not OutboxMessage.objects.filter(customer=c2, idempotency_key__startswith="manual:").exists()
    # without the confirmation it says the same at once (nothing would go anyway)
    r = as_owner.post(f"/customers/{c2.id}/send-now/", follow=True)
    assert "ממתינה להחלטה" in text(r.content.decode())


def _held(world, **kw):
    return OutboxMessage.objects.create(
        organization=world.org_a, customer=world.c3, idempotency_key="test:held", cycle=1, stage_key="warning_letter",
        channel="registered_letter", document="warning_letter", status="held", needs_approval=True,
        planned_for=date(2026, 3, 15),
        reasons=[["held_for_details", {"missing": ["org_signatory_name", "customer_address"],
                                       "release_to": "awaiting_approval"}]], **kw)


def test_a_held_message_lists_what_is_missing_and_where_to_fill_it_in(as_owner, world):
    msg = _held(world)
    for url in ("/outbox/?status=held", f"/outbox/{msg.id}/", f"/customers/{world.c3.id}/"):
        html = as_owner.get(url).content.decode()
        assert "לא ניתן להפיק את המכתב, ולכן גם לא לאשר אותו, עד שיושלמו הפרטים האלה:" in html, url
        assert 'href="/settings/#id_lh-signatory_name"' in html, url
        assert f'href="/customers/{world.c3.id}/actions/details/#details_line1"' in html, url
        assert 'data-testid="approve"' not in html, url
    # the links lead to the fields
    assert 'id="id_lh-signatory_name"' in as_owner.get("/settings/").content.decode()
    assert 'id="details_line1"' in as_owner.get(f"/customers/{world.c3.id}/actions/details/").content.decode()


def test_a_message_that_failed_before_it_left_is_never_marked_delivered(as_owner, world):
    msg = OutboxMessage.objects.create(
        organization=world.org_a, customer=world.c1, idempotency_key="test:failed", cycle=1, stage_key="reminder",
        channel="email", document="reminder", status="failed", planned_for=date(2026, 3, 15),
        log=from_text("attempt 1: could not build the message"))
    r = as_owner.post(f"/outbox/{msg.id}/resolve/", {"sent": "1"}, follow=True)
    assert f"הודעה {msg.id} נכשלה לפני שיצאה מ-gvia" in text(r.content.decode())
    msg.refresh_from_db()
    assert msg.status == "failed" and msg.sent_at is None
    as_owner.post(f"/outbox/{msg.id}/resolve/", {"sent": "0"})      # queued again: allowed
    msg.refresh_from_db()
    assert msg.status == "queued"


def test_the_customer_page_badges_a_disputed_invoice_and_keeps_its_summary_together(as_collector, world):
    from gvia.services.arrangements import disputes
    from gvia.services.context import Ctx

    disputes.open_dispute(Ctx(world.org_a, world.collector, "collector"), "C001", ["INV-1002"], "wrong_amount")
    html = as_collector.get(f"/customers/{world.c1.id}/").content.decode()
    rows = re.findall(r'<tr class="status-[^"]*">.*?</tr>', html, re.S)
    disputed = [r for r in rows if 'data-testid="disputed"' in r]
    assert len(disputed) == 1 and "INV-1002" in disputed[0] and "במחלוקת" in disputed[0]
    # the open amount, the case's status and the links to the page's parts (the timeline among
    # them) are one block, which a phone keeps in view (app.css: .customer-summary, sticky)
    summary = html[html.index('data-testid="customer-summary"'):html.index('<div class="two-col">')]
    assert 'data-testid="case-status"' in summary and "יתרה פתוחה" in text(summary) and "₪" in summary
    assert 'href="#timeline"' in summary and 'id="timeline"' in html


def test_a_rejected_row_leads_to_the_choice(as_owner, engine):
    r = as_owner.post(f"/outbox/{engine.letter.id}/reject/", {"reason": "wrong address"}, HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert 'data-testid="after-rejection"' in html and f'href="/customers/{engine.world.c2.id}/#case"' in html
    assert "התיק ממתין: יש לבחור בדף הלקוח" in html

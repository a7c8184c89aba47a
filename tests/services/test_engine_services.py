"""The engine's use cases over the database: settings, approvals and roles, calls, pauses,
replies, the worklist, resolving the outbox, registered letters, the mail test."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from gvia.core.errors import NotFound, Refused, ValidationFailed
from gvia.core.message_log import said
from gvia.services import settings as org_settings
from gvia.services.context import resolve
from gvia.services.engine import approvals, calls, daily_run, pauses, worklist
from gvia.services.engine.activities import add as add_activity
from gvia.services.org.organizations import add_member
from gvia.services.sending import outbox
from gvia.services.sending.dispatch import dispatch_due
from gvia.services.sending.mailconfig import send_test, smtp_settings
from gvia.store.models import Activity, Address, AuditRecord, Case, OutboxMessage, Pause, Promise, Task

pytestmark = pytest.mark.django_db
IL = ZoneInfo("Asia/Jerusalem")


def at(d: date, hour: int = 9) -> datetime:
    return datetime(d.year, d.month, d.day, hour, tzinfo=IL).astimezone(timezone.utc)


# --- settings ---------------------------------------------------------------------------------

def test_settings_are_checked_and_audited(ctx):
    assert org_settings.set_setting(ctx, "sending_mode", "automatic") == "automatic"
    assert org_settings.set_setting(ctx, "sending_hours", "8:30-16:00") == "08:30-16:00"
    assert org_settings.set_setting(ctx, "smtp.port", "2525") == 2525
    org_settings.set_setting(ctx, "smtp.password", "s3cret")
    assert org_settings.set_setting(ctx, "extra_holidays", "2026-12-31, 2026-12-30") == ["2026-12-30", "2026-12-31"]
    ctx.org.refresh_from_db()
    assert ctx.org.settings["smtp"]["port"] == 2525
    stored = ctx.org.settings["smtp"]["password"]
    assert stored.startswith("sealed:v1:") and "s3cret" not in stored      # sealed in the database
    assert smtp_settings(ctx.org) is None                                   # no host yet
    org_settings.set_setting(ctx, "smtp.host", "smtp.example.com")
    assert smtp_settings(ctx.org).password == "s3cret"                      # the sender gets the real one
    shown = {r["key"]: r for r in org_settings.show(ctx)}
    assert shown["smtp.password"]["value"] == "********"
    assert (shown["daily_run_time"]["value"], shown["daily_run_time"]["source"]) == ("06:00", "default")
    assert AuditRecord.objects.get(action="settings.set", details__key="smtp.password").details["value"] == "(hidden)"
    for key, bad in (("sending_mode", "sometimes"), ("sending_hours", "17:00-09:00"), ("daily_run_time", "6am"),
                     ("send_rate_per_minute", "-1"), ("stale_data_business_days", "three"),
                     ("smtp.security", "tls"), ("weekend", "fri,funday"), ("no_such_key", "1")):
        with pytest.raises(ValidationFailed):
            org_settings.set_setting(ctx, key, bad)
    ctx.org.refresh_from_db()
    assert ctx.org.settings["sending_mode"] == "automatic"
    org_settings.unset_setting(ctx, "sending_hours")
    ctx.org.refresh_from_db()
    assert "sending_hours" not in ctx.org.settings


def test_a_collector_cannot_change_settings(ctx):
    add_member(ctx, "col@gilboa.co.il", "Gvia-test-2026!", "collector")
    with pytest.raises(Refused, match="owner"):
        org_settings.set_setting(resolve(None, "col@gilboa.co.il"), "sending_mode", "off")


def test_weekend_setting_moves_stages(ctx, books):
    # A business working Sunday-Thursday but also closed on Thursdays: a stage due Thursday waits.
    org_settings.set_setting(ctx, "weekend", "thu,fri,sat")
    c = books.customer("W", "W Ltd", language="en")
    books.invoice(c, "1", "100.00", date(2026, 10, 29))        # Thu; +7 = Thu 5 Nov
    assert daily_run.run(ctx, at(date(2026, 11, 5))).counts.get("enter_stage") is None
    assert daily_run.run(ctx, at(date(2026, 11, 8))).counts.get("enter_stage") == 1   # Sun 8 Nov


# --- approvals and roles ----------------------------------------------------------------------

def test_collector_may_approve_mode_held_messages_but_not_stages_that_need_approval(ctx, books):
    add_member(ctx, "col@gilboa.co.il", "Gvia-test-2026!", "collector")
    col = resolve(None, "col@gilboa.co.il")
    c = books.customer("A", "Alon", language="en", email="a@alon.example", tax_id="513456782")
    Address.objects.create(customer=c, line1="5 Independence St", city="Haifa")
    # the details a warning letter prints, so that it waits for approval rather than being held for them
    ctx.org.tax_id, ctx.org.address, ctx.org.phone = "514567899", "1 Herzl St\nTel Aviv", "03-5551234"
    ctx.org.email, ctx.org.signatory_name = "billing@gilboa.co.il", "Yael Gilboa"
    ctx.org.save()
    books.invoice(c, "1001", "5000.00", date(2026, 8, 1))
    daily_run.run(ctx, at(date(2026, 11, 10)))         # approve_all: the reminder waits for a person
    reminder = OutboxMessage.objects.get(customer=c)
    assert (reminder.status, reminder.needs_approval) == ("awaiting_approval", False)
    approvals.approve(col, reminder.id, at(date(2026, 11, 10)))
    reminder.refresh_from_db()
    assert (reminder.status, reminder.approved_by) == ("queued", "col@gilboa.co.il")
    # walk the case to the warning: second reminder, call (settled by a refusal), warning
    Case.objects.filter(customer=c).update(state={
        "cycle": 1, "cycle_open": True, "cycle_started": "2026-08-02", "stage_key": "call",
        "stage_entered": "2026-11-01", "history": [["reminder", "2026-10-10"], ["second_reminder", "2026-10-20"],
                                                   ["call", "2026-11-01"]],
        "calls_unanswered": 0, "last_call_outcome": "refused"}, stage_key="call")
    daily_run.run(ctx, at(date(2026, 11, 10), 10))
    warning = OutboxMessage.objects.get(customer=c, stage_key="warning_letter", channel="email")
    assert (warning.status, warning.needs_approval) == ("awaiting_approval", True)
    with pytest.raises(Refused, match="only an owner"):
        approvals.approve(col, warning.id)
    with pytest.raises(Refused, match="only an owner"):
        approvals.reject(col, warning.id, "too early")
    approvals.reject(ctx, warning.id, "talk to them first")
    warning.refresh_from_db()
    assert warning.status == "rejected"
    assert (said(warning.log[-1]).code, said(warning.log[-1]).params) == (
        "outbox_rejected", {"by": ctx.actor, "reason": "talk to them first"})
    with pytest.raises(Refused, match="not awaiting approval"):
        approvals.approve(ctx, warning.id)
    with pytest.raises(NotFound):
        approvals.approve(ctx, 99999)
    assert [m.id for m in approvals.pending(ctx)] == [
        OutboxMessage.objects.get(customer=c, stage_key="warning_letter", channel="registered_letter").id]


# --- calls --------------------------------------------------------------------------------------

def _at_call(ctx, books, ref="K"):
    ctx.org.settings["sending_mode"] = "automatic"
    ctx.org.save()
    c = books.customer(ref, f"{ref} Ltd", language="en", email=f"x@{ref.lower()}.example", phone="03-1234567")
    inv = books.invoice(c, f"{ref}-1", "2000.00", date(2026, 9, 1))
    books.invoice(c, f"{ref}-2", "500.00", date(2026, 9, 10))
    # reminder Tue 8 Sep (+7); second Tue 22 Sep (+21); call Thu 1 Oct (+30, Chol HaMoed)
    for d in (date(2026, 9, 8), date(2026, 9, 22), date(2026, 10, 1)):
        daily_run.run(ctx, at(d, 8))
        dispatch_due(lambda: at(d, 10), "test")          # to the local catcher
    assert Case.objects.get(customer=c).stage_key == "call"
    return c, inv


def test_call_task_has_numbers_items_and_the_worklist_shows_the_script(ctx, books):
    c, _inv = _at_call(ctx, books)
    task = Task.objects.get(customer=c, kind="call")
    assert task.data["phones"] == [{"name": "", "role": "", "phone": "03-1234567"}]
    assert [(i["number"], i["open"]) for i in task.data["open_items"]] == [("K-1", "2000.00"), ("K-2", "500.00")]
    wl = worklist.worklist(ctx, date(2026, 10, 1))
    [call] = wl["calls"].rows
    assert call.customer_ref == "K" and call.stage_key == "call" and "solution" in call.script[0]


def test_three_unanswered_calls_move_the_case_on(ctx, books):
    c, _ = _at_call(ctx, books)
    for i, d in enumerate((date(2026, 10, 1), date(2026, 10, 4), date(2026, 10, 5)), start=1):
        res = calls.log_call(ctx, "K", "no-answer", now=at(d, 11))
        assert res.unanswered == i and res.case_moved_on == (i == 3)
    task = Task.objects.get(customer=c, kind="call")
    assert (task.open, task.outcome) == (False, "no_answer x3")
    assert Activity.objects.filter(customer=c, kind="call").count() == 3
    # warning +45 = Fri 16 Oct -> Sun 18 Oct
    assert daily_run.run(ctx, at(date(2026, 10, 15), 8)).counts.get("enter_stage") is None
    assert daily_run.run(ctx, at(date(2026, 10, 18), 8)).counts.get("enter_stage") == 1


def test_a_promise_pauses_until_its_date_then_the_ladder_resumes(ctx, books):
    c, _ = _at_call(ctx, books)
    res = calls.log_call(ctx, "K", "promised", promise_date=date(2026, 10, 22), amount="2,500",
                         now=at(date(2026, 10, 1), 11))
    # the promise pauses the case through its date plus the 3 days' grace: Thu 22 Oct + 3 = Sun 25 Oct
    assert res.case_moved_on and res.pause.kind == "promise" and res.pause.until == date(2026, 10, 25)
    promise = Promise.objects.get(customer=c)
    assert (promise.amount_minor, promise.source, promise.due) == (250000, "call", date(2026, 10, 22))
    assert not Task.objects.get(customer=c, kind="call").open
    # warning +45 = Fri 16 Oct -> Sun 18 Oct, but the promise holds it through Sun 25 Oct
    for d in (date(2026, 10, 18), date(2026, 10, 22), date(2026, 10, 25)):
        rep = daily_run.run(ctx, at(d, 8))
        assert rep.counts.get("enter_stage") is None and rep.held_back == [{"reason": "paused", "customers": 1}]
    # nothing was paid: the promise is broken on Mon 26 Oct and the ladder resumes that day
    rep = daily_run.run(ctx, at(date(2026, 10, 26), 8))
    assert rep.counts.get("enter_stage") == 1 and rep.arrangements.get("promises_broken") == 1


def test_a_dispute_takes_the_invoice_off_the_ladder(ctx, books):
    c, inv = _at_call(ctx, books)
    res = calls.log_call(ctx, "K", "disputed", invoice_numbers=("K-1",), reason="goods damaged",
                         now=at(date(2026, 10, 1), 11))
    assert res.pause.kind == "dispute" and res.pause.invoices == [inv.id]
    text = daily_run.explain(ctx, "K", at(date(2026, 10, 2)), "en")
    ladder, *arrangements = text.splitlines()
    assert "K-2" in ladder and "K-1" not in ladder
    assert any("Dispute" in line and "K-1" in line for line in arrangements)
    with pytest.raises(ValidationFailed):
        calls.log_call(ctx, "K", "disputed", invoice_numbers=("NOPE",))
    with pytest.raises(ValidationFailed):
        calls.log_call(ctx, "K", "disputed")


def test_call_back_pauses_until_that_day_and_keeps_the_task_open(ctx, books):
    c, _ = _at_call(ctx, books)
    res = calls.log_call(ctx, "K", "call-back", at=at(date(2026, 10, 6), 14), now=at(date(2026, 10, 1), 11))
    task = Task.objects.get(customer=c, kind="call")
    assert res.pause.kind == "call_back" and res.pause.until == date(2026, 10, 6)
    assert task.open and task.due_date == date(2026, 10, 6) and not res.case_moved_on
    with pytest.raises(ValidationFailed):
        calls.log_call(ctx, "K", "shouted")
    with pytest.raises(ValidationFailed):
        calls.log_call(ctx, "K", "promised")          # no date


def test_the_ladder_waits_for_the_previous_stages_message_to_go_out(ctx, books):
    c = books.customer("W", "Wait Ltd", language="en", email="w@wait.example")
    books.invoice(c, "W1", "1000.00", date(2026, 10, 1))
    daily_run.run(ctx, at(date(2026, 10, 8)))          # reminder, awaiting approval (approve every message)
    rep = daily_run.run(ctx, at(date(2026, 10, 22)))   # +21: the second reminder is due, but…
    assert rep.counts.get("enter_stage") is None and rep.held_back == [{"reason": "paused", "customers": 1}]
    assert "the reminder message is still awaiting approval" in daily_run.explain(ctx, "W", at(date(2026, 10, 22)),
                                                                                  "en")
    approvals.approve(ctx, OutboxMessage.objects.get(customer=c).id, at(date(2026, 10, 22), 10))
    assert dispatch_due(lambda: at(date(2026, 10, 22), 11), "t").sent == 1
    assert daily_run.run(ctx, at(date(2026, 10, 25))).counts.get("enter_stage") == 1   # Sun 25 Oct


# --- pauses and replies -------------------------------------------------------------------------

def test_manual_pause_holds_the_case_through_its_date(ctx, books):
    c = books.customer("P", "P Ltd", language="en")
    books.invoice(c, "P1", "1000.00", date(2026, 11, 1))
    p = pauses.pause(ctx, "P", date(2026, 11, 12), "owner is abroad", now=at(date(2026, 11, 2)))
    assert Activity.objects.get(customer=c, kind="pause").data["pause"] == p.id
    # reminder due Sun 8 Nov: held through Thu 12 Nov; Fri/Sat off; Sun 15 Nov
    assert daily_run.run(ctx, at(date(2026, 11, 8))).held_back == [{"reason": "paused", "customers": 1}]
    assert daily_run.run(ctx, at(date(2026, 11, 12))).counts.get("enter_stage") is None
    assert daily_run.run(ctx, at(date(2026, 11, 15))).counts.get("enter_stage") == 1
    with pytest.raises(ValidationFailed):
        pauses.pause(ctx, "P", date(2026, 1, 1), "past", now=at(date(2026, 11, 2)))
    with pytest.raises(ValidationFailed):
        pauses.pause(ctx, "P", date(2026, 12, 1), "  ", now=at(date(2026, 11, 2)))
    pauses.lift(ctx, p.id, now=at(date(2026, 11, 16)))
    assert not Pause.objects.get(id=p.id).active


def test_a_reply_pauses_for_the_policys_days_and_opens_a_task(ctx, books):
    c = books.customer("R", "R Ltd", language="en")
    books.invoice(c, "R1", "1000.00", date(2026, 11, 1))
    add_activity(ctx, "R", "reply", "We paid on Friday", now=at(date(2026, 11, 5)))
    assert Task.objects.get(customer=c, kind="reply").open
    # reply Thu 5 Nov pauses 5 days, through Tue 10 Nov; reminder due Sun 8 Nov waits for Wed 11 Nov
    assert daily_run.run(ctx, at(date(2026, 11, 10))).held_back == [{"reason": "reply_pause", "customers": 1}]
    assert daily_run.run(ctx, at(date(2026, 11, 11))).counts.get("enter_stage") == 1
    with pytest.raises(ValidationFailed):
        add_activity(ctx, "R", "shout", "x")


def test_organization_reply_pause_setting_overrides_the_policy(ctx, books):
    org_settings.set_setting(ctx, "reply_pause_days", "1")
    c = books.customer("R", "R Ltd", language="en")
    books.invoice(c, "R1", "1000.00", date(2026, 11, 1))
    add_activity(ctx, "R", "reply", "call me", now=at(date(2026, 11, 5)))
    rep = daily_run.run(ctx, at(date(2026, 11, 8)))      # paused through Fri 6 Nov only
    assert rep.counts.get("enter_stage") == 1
    assert rep.policy_versions[0]["note"].startswith("reply_pause_days overridden")


# --- the outbox ---------------------------------------------------------------------------------

def test_resolving_uncertain_and_failed_messages(ctx, books):
    c = books.customer("U", "U Ltd", language="en")
    books.invoice(c, "U1", "1000.00", date(2026, 11, 1))
    daily_run.run(ctx, at(date(2026, 11, 10)))
    msg = OutboxMessage.objects.get(customer=c)
    with pytest.raises(Refused) as refused:
        outbox.resolve(ctx, msg.id, sent=True)
    assert (refused.value.code, refused.value.params) == ("message_not_unresolved", {"message": msg.id})
    OutboxMessage.objects.filter(id=msg.id).update(status="uncertain", attempts=3)
    Task.objects.create(organization=ctx.org, customer=c, kind="uncertain_message", key=f"u:{msg.id}",
                        due_date=date(2026, 11, 10), message=msg)
    outbox.resolve(ctx, msg.id, sent=False, now=at(date(2026, 11, 10)))
    msg.refresh_from_db()
    assert (msg.status, msg.attempts) == ("queued", 0) and msg.log[-1]["code"] == "outbox_marked_not_sent"
    assert not Task.objects.get(key=f"u:{msg.id}").open
    OutboxMessage.objects.filter(id=msg.id).update(status="failed")
    # it failed before it left (nothing was handed to the server): never marked sent (issue 13)
    with pytest.raises(Refused, match="failed before it left"):
        outbox.resolve(ctx, msg.id, sent=True, now=at(date(2026, 11, 10)))
    OutboxMessage.objects.filter(id=msg.id).update(send_started_at=at(date(2026, 11, 10)))   # it was handed over
    outbox.resolve(ctx, msg.id, sent=True, now=at(date(2026, 11, 10)))
    msg.refresh_from_db()
    assert msg.status == "sent" and msg.sent_at is not None
    assert [m.id for m in outbox.list_messages(ctx, "sent")] == [msg.id]
    with pytest.raises(ValidationFailed):
        outbox.list_messages(ctx, "lost")


def test_registered_letter_refusals(ctx, books):
    c = books.customer("L", "L Ltd", language="en")
    books.invoice(c, "L1", "1000.00", date(2026, 11, 1))
    daily_run.run(ctx, at(date(2026, 11, 10)))
    email = OutboxMessage.objects.get(customer=c)
    with pytest.raises(Refused) as refused:
        outbox.record_registered(ctx, email.id, "RR1", posted=date(2026, 11, 10), now=at(date(2026, 11, 10)))
    assert (refused.value.code, refused.value.params) == ("message_not_a_letter", {"message": email.id})
    with pytest.raises(ValidationFailed) as failed:
        outbox.record_registered(ctx, email.id, "", posted=date(2026, 11, 20), delivered=date(2026, 11, 19),
                                 now=at(date(2026, 11, 10)))
    assert [(p.field, p.code) for p in failed.value.problems] == [
        ("number", "registered_number_needed"), ("posted", "after_today"), ("delivered", "delivered_before_posted")]


def test_mail_test_goes_to_the_local_catcher_without_smtp(ctx, settings):
    reply = send_test(ctx, "someone@example.com")
    assert "local mail catcher" in reply
    [eml] = list(settings.MAIL_CATCHER_DIR.glob("*.eml"))
    assert b"someone@example.com" in eml.read_bytes()
    with pytest.raises(Refused):
        send_test(ctx, "not-an-address")


def test_a_password_sealed_under_another_key_asks_to_be_set_again(ctx, settings):
    org_settings.set_setting(ctx, "smtp.host", "smtp.example.com")
    org_settings.set_setting(ctx, "smtp.password", "s3cret")
    settings.SECRET_KEY = "another installation's key"
    with pytest.raises(Refused, match="SMTP password.*another secret key.*set it again"):
        smtp_settings(ctx.org)
    ctx.org.settings["smtp"]["password"] = "plain-from-before"          # stored before sealing existed
    assert smtp_settings(ctx.org).password == "plain-from-before"


"""The policy page (the ladder as steps, checked edits, the preview of today's run, new versions)
and the engine's settings tabs (sending, calendar, e-mail, interest, the local mailbox)."""

from __future__ import annotations

from datetime import date

import pytest

from gvia.policies import default_policy_text
from gvia.services import settings as org_settings
from gvia.services.engine import policies
from gvia.services.sending.mailconfig import smtp_settings
from gvia.store.models import AuditRecord, InterestRule, OutboxMessage, Policy, PolicyVersion
from gvia.web import ladder

from .conftest import TODAY
from .test_worklist import text_of

pytestmark = pytest.mark.django_db


# --- the ladder ----------------------------------------------------------------------------------

def test_the_ladder_as_steps(as_viewer, world):
    r = as_viewer.get("/policy/")
    assert r.status_code == 200
    steps = ladder.steps(r.context["checked"], "en")      # what the page writes (ladder.steps_html)
    assert [s.key for s in steps] == ["courtesy", "reminder", "second_reminder", "call", "warning_letter", "legal"]
    reminder, warning = steps[1], steps[4]
    assert (reminder.name, reminder.when_key, reminder.days, reminder.approval) == (
        "Friendly reminder", "ladder.when.after_due", 7, False)
    assert (steps[0].when_key, steps[0].days, steps[0].enabled) == ("ladder.when.before_due", 3, False)
    assert (warning.approval, warning.deadline_days) == (True, 14)
    assert [a.channel for a in warning.actions] == ["registered_letter", "email"]
    text = text_of(r)
    assert "7 days after the due date" in text and "Registered letter" in text
    assert 'id="edit"' not in r.content.decode()              # only owners edit


def test_the_ladder_in_hebrew(as_owner, world):
    text = text_of(as_owner.get("/policy/"))
    assert "תזכורת ידידותית" in text and "7 ימים אחרי מועד התשלום" in text


def test_a_versions_steps_are_written_once_in_each_language_and_locale(as_owner, world):
    from django.template.loader import render_to_string
    from django.utils import translation

    from gvia.web import display

    version = as_owner.get("/policy/").context["version"]
    try:
        for lang, country in (("he", "IL"), ("en", "IL"), ("en", "US")):
            with translation.override(lang):
                display.activate(lang, country)
                kept = ladder.steps_html(version, lang)
                assert kept == render_to_string("gvia/policy/_steps.html",
                                                {"steps": ladder.steps(policies.parse(version), lang)})
                assert ladder.steps_html(version, lang) is kept           # written once
    finally:
        display.activate("he", "IL")                                     # the default again
    assert "Friendly reminder" in kept and "תזכורת ידידותית" not in kept
    edited = PolicyVersion(policy=version.policy, version=version.version + 1, text=_edited(version.text))
    assert ladder.steps_html(edited, "en") != kept                     # another version, its own steps


def _edited(text: str) -> str:
    return text.replace("after_due_days = 7\n", "after_due_days = 5\n", 1)


def test_check_shows_each_problem_by_line_and_field_and_saves_nothing(as_owner, world):
    as_owner.get("/policy/")
    text = default_policy_text("IL").replace('after_due_days = 21', 'after_due_days = "soon"')
    bad_line = next(n for n, line in enumerate(text.splitlines(), 1) if '"soon"' in line)
    r = as_owner.post("/policy/", {"text": text, "action": "save"})
    assert r.status_code == 400
    problems = r.context["problems"]
    assert [p.row for p in problems] == [bad_line]
    assert "after_due_days" in problems[0].field
    lines = [(n, found) for n, _line, found in r.context["lines"] if found]
    assert [n for n, _ in lines] == [bad_line]
    assert 'data-testid="policy-problems"' in r.content.decode()
    assert PolicyVersion.objects.count() == 1


def test_check_a_valid_change_shows_the_new_steps(as_owner, world):
    as_owner.get("/policy/")
    r = as_owner.post("/policy/", {"text": _edited(default_policy_text("IL")), "action": "check"})
    assert r.status_code == 200
    assert r.context["candidate"][1].days == 5
    assert PolicyVersion.objects.count() == 1


def test_preview_today_under_the_change_then_save_a_new_version(as_owner, world):
    as_owner.get("/policy/")
    # with the reminder 50 days after the due date instead of 7, C001 (43 days late) waits: only
    # C002 (134 days) starts today
    text = default_policy_text("IL").replace("after_due_days = 7\n", "after_due_days = 50\n", 1) \
        .replace("after_due_days = 21", "after_due_days = 51").replace("after_due_days = 30", "after_due_days = 52") \
        .replace("after_due_days = 45", "after_due_days = 53").replace("after_due_days = 60", "after_due_days = 64")
    r = as_owner.post("/policy/", {"text": text, "action": "preview"})
    assert r.status_code == 200, r.context["problems"]
    now, changed = r.context["preview"]
    assert (now.entering, now.messages) == ({"reminder": 2}, 2)
    assert (changed.entering, changed.messages) == ({"reminder": 1}, 1)
    assert 'data-testid="policy-preview"' in r.content.decode()
    # nothing stayed: no version, no run, no case, no audit of either
    assert PolicyVersion.objects.count() == 1 and not OutboxMessage.objects.exists()
    assert not AuditRecord.objects.filter(action="policy.saved", details__version=2).exists()
    r = as_owner.post("/policy/", {"text": text, "action": "save"})
    assert r.status_code == 302
    assert list(PolicyVersion.objects.order_by("version").values_list("version", "created_by")) == [
        (1, ""), (2, "owner@a.test")] or PolicyVersion.objects.count() == 2
    assert as_owner.get("/policy/").context["version"].version == 2
    r = as_owner.post("/policy/", {"text": text, "action": "save"})      # the same text again: no new version
    assert PolicyVersion.objects.count() == 2


def test_only_owners_change_the_policy(client, world):
    client.force_login(world.collector)
    client.get("/policy/")
    r = client.post("/policy/", {"text": default_policy_text("IL"), "action": "save"})
    assert r.status_code == 403
    client.force_login(world.viewer)
    assert client.post("/policy/", {"text": "x", "action": "check"}).status_code == 403


def test_another_organizations_policy_is_not_found(as_owner, world):
    from gvia.services.context import Ctx
    from gvia.services.engine import policies

    policies.ensure_default(Ctx(world.org_b, world.owner_b, "owner"))
    theirs = Policy.objects.get(organization=world.org_b)
    assert as_owner.get(f"/policy/?policy={theirs.id}").status_code == 404
    assert as_owner.post("/policy/", {"policy": theirs.id, "text": "x", "action": "save"}).status_code == 404


def test_the_picker_names_each_policy_from_one_reading_of_their_versions(as_owner, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as q:
            assert as_owner.get(url).status_code == 200
        return len(q.captured_queries)

    as_owner.get("/policy/")                        # the shipped ladder, made on first use
    shown = queries("/policy/")
    default = Policy.objects.get(organization=world.org_a)          # one policy: no picker
    for n in (1, 2):                                 # more policies: the same queries
        other = Policy.objects.create(organization=world.org_a, name=f"other {n}")
        for version in (1, 2):
            PolicyVersion.objects.create(policy=other, version=version, fingerprint=f"{n}.{version}",
                                         text=default_policy_text("IL").replace("default", f"v{version}", 1))
    assert queries("/policy/") == shown + 1          # the picker: every policy's latest version at once
    assert queries(f"/policy/?policy={other.id}") == shown + 1
    r = as_owner.get(f"/policy/?policy={other.id}")
    picker = r.context["picker"]
    assert [pid for pid, _title in picker] == [p.id for p in r.context["policies"]]
    assert picker[0][0] == default.id and len(picker) == 3
    assert r.context["version"].version == 2 and r.context["versions"][0] == r.context["version"]
    assert f'<option value="{other.id}" selected>' in r.content.decode()


# --- settings ------------------------------------------------------------------------------------

def test_sending_settings_are_checked_and_saved_together(as_owner, world):
    r = as_owner.get("/settings/sending/")
    assert r.status_code == 200
    assert r.context["form"].initial["sending_mode"] == "approve_all"
    r = as_owner.post("/settings/sending/", {"sending_mode": "automatic", "sending_hours": "17:00-09:00",
                                             "daily_run_time": "06:00", "send_rate_per_minute": "60"})
    assert r.status_code == 400
    assert r.context["form"].errors["sending_hours"]
    world.org_a.refresh_from_db()
    assert "sending_mode" not in world.org_a.settings                 # nothing was saved
    r = as_owner.post("/settings/sending/", {"sending_mode": "automatic", "sending_hours": "08:30-16:00",
                                             "daily_run_time": "06:00", "send_rate_per_minute": "60"})
    assert r.status_code == 302
    world.org_a.refresh_from_db()
    assert (world.org_a.settings["sending_mode"], world.org_a.settings["sending_hours"]) == ("automatic", "08:30-16:00")
    assert "daily_run_time" not in world.org_a.settings         # unchanged from the default: not stored
    assert AuditRecord.objects.filter(action="settings.set", details__key="sending_mode").exists()


def test_calendar_settings(as_owner, world):
    r = as_owner.get("/settings/calendar/")
    assert sorted(r.context["form"].initial["weekend"]) == ["fri", "sat"]      # Israel's days off
    # Passover 2026 (2 April) is among the coming days off, with its name
    assert date(2026, 4, 2) in [d for d, _ in r.context["days_off"]]
    r = as_owner.post("/settings/calendar/", {"weekend": ["fri", "sat"], "extra_holidays": "2026-12-31\n2026-12-30",
                                              "extra_workdays": ""})
    assert r.status_code == 302
    world.org_a.refresh_from_db()
    assert world.org_a.settings["extra_holidays"] == ["2026-12-30", "2026-12-31"]
    assert "weekend" not in world.org_a.settings              # the country's days off: nothing stored
    r = as_owner.post("/settings/calendar/", {"weekend": ["thu", "fri", "sat"], "extra_holidays": "31/12/2026"})
    assert r.status_code == 400
    world.org_a.refresh_from_db()
    assert "weekend" not in world.org_a.settings


def test_smtp_settings_keep_the_password_and_never_show_it(as_owner, world):
    r = as_owner.post("/settings/mail/", {"section": "smtp", "host": "smtp.example.com", "port": "587",
                                          "user": "billing", "password": "s3cret", "security": "starttls",
                                          "mail_from": "billing@a.test"})
    assert r.status_code == 302
    world.org_a.refresh_from_db()
    assert smtp_settings(world.org_a).password == "s3cret" and "s3cret" not in str(world.org_a.settings)
    html = as_owner.get("/settings/mail/").content.decode()
    assert "s3cret" not in html and "smtp.example.com" in html
    as_owner.post("/settings/mail/", {"section": "smtp", "host": "smtp.example.com", "port": "2525", "user": "billing",
                                      "password": "", "security": "starttls", "mail_from": "billing@a.test"})
    world.org_a.refresh_from_db()
    assert (smtp_settings(world.org_a).password, world.org_a.settings["smtp"]["port"]) == ("s3cret", 2525)


def test_connection_check_and_test_message_through_the_local_catcher(as_owner, world, tmp_path, settings):
    settings.MAIL_CATCHER_DIR = tmp_path
    r = as_owner.post("/settings/mail/", {"section": "check"})
    assert r.context["check"][1] == "mail.check_catcher"
    r = as_owner.post("/settings/mail/", {"section": "test", "address": "me@a.test"})
    assert r.status_code == 302
    assert len(list(tmp_path.glob("*.eml"))) == 1
    assert AuditRecord.objects.filter(action="mail.test").exists()


def test_connection_check_reports_a_server_that_does_not_answer(as_owner, world):
    from gvia.services import settings as org_settings
    from gvia.services.context import Ctx

    ctx = Ctx(world.org_a, world.owner, "owner")
    org_settings.set_setting(ctx, "smtp.host", "127.0.0.1")
    org_settings.set_setting(ctx, "smtp.port", "1")
    r = as_owner.post("/settings/mail/", {"section": "check"})
    assert r.status_code == 400 and r.context["check"][0] == "error"


def test_interest_rule(as_owner, world):
    r = as_owner.post("/settings/interest/", {"method": "contractual", "percent": "4.5", "compounding": "simple"})
    assert r.status_code == 302
    rule = InterestRule.objects.get(organization=world.org_a, customer=None)
    assert rule.rule == {"method": "contractual", "percent": "4.5", "compounding": "simple"}
    r = as_owner.post("/settings/interest/", {"method": "contractual", "percent": "lots"})
    assert r.status_code == 400 and r.context["form"].errors["percent"]
    as_owner.post("/settings/interest/", {"method": "none"})
    assert not InterestRule.objects.filter(organization=world.org_a).exists()


def test_settings_tabs_are_for_owners_only(as_collector, world):
    for path in ("/settings/sending/", "/settings/calendar/", "/settings/mail/", "/settings/interest/",
                 "/settings/mailbox/"):
        assert as_collector.get(path).status_code == 403, path
        if path != "/settings/mailbox/":
            assert as_collector.post(path, {"sending_mode": "off"}).status_code == 403, path
    world.org_a.refresh_from_db()
    assert org_settings.value(world.org_a, "sending_mode") == "approve_all"


# --- the local mailbox -----------------------------------------------------------------------------

def _caught(world, tmp_path):
    from gvia.channels.catcher import CatcherSender
    from gvia.channels.mime import Attachment, OutgoingEmail, build

    def send(org_msg_id, sender, subject):
        mail = OutgoingEmail(from_name="x", from_addr=sender, to=["alon@example.co.il"], subject=subject,
                             text="שלום", html="<p dir='rtl'>שלום <script>alert(1)</script></p>",
                             attachments=[Attachment("תזכורת C001.pdf", b"%PDF-1.4 x")],
                             message_id=f"<m{org_msg_id}@a.test>", headers={"X-Gvia-Message": str(org_msg_id)})
        CatcherSender(tmp_path).send(build(mail), sender, ["alon@example.co.il"])

    ours = OutboxMessage.objects.create(organization=world.org_a, customer=world.c1, idempotency_key="m1",
                                        channel="email", document="reminder", status="sent", planned_for=TODAY)
    theirs = OutboxMessage.objects.create(organization=world.org_b, customer=world.s1, idempotency_key="m2",
                                          channel="email", document="reminder", status="sent", planned_for=TODAY)
    send(ours.id, "billing@a.test", "תזכורת לתשלום")
    send(theirs.id, "billing@b.test", "Secret reminder")


def test_the_mailbox_shows_this_organizations_messages_as_the_customer_sees_them(as_owner, world, tmp_path, settings):
    settings.MAIL_CATCHER_DIR = tmp_path
    _caught(world, tmp_path)
    r = as_owner.get("/settings/mailbox/")
    caught = r.context["caught"]
    assert [m.subject for m in caught] == ["תזכורת לתשלום"]
    assert caught[0].customer_id == world.c1.id
    page = as_owner.get(f"/settings/mailbox/{caught[0].name}/")
    html = page.content.decode()
    assert 'sandbox=""' in html and "srcdoc=" in html
    assert "<script>alert" not in html                       # escaped into the sandboxed frame
    a = as_owner.get(f"/settings/mailbox/{caught[0].name}/attachments/0/")
    assert a.content == b"%PDF-1.4 x" and "attachment" in a["Content-Disposition"]
    assert as_owner.get(f"/settings/mailbox/{caught[0].name}/attachments/5/").status_code == 404
    secret = next(p.name for p in tmp_path.glob("*.eml") if p.name != caught[0].name)
    assert as_owner.get(f"/settings/mailbox/{secret}/").status_code == 404
    assert as_owner.get("/settings/mailbox/..%2F..%2Fetc%2Fpasswd/").status_code == 404


def test_the_days_off_and_time_zones_are_named_in_the_readers_language(as_owner, world):
    from gvia.store.models import Membership

    world.org_a.settings = {**world.org_a.settings, "extra_holidays": ["2026-04-20"]}
    world.org_a.save(update_fields=["settings"])
    days = dict(as_owner.get("/settings/calendar/").context["days_off"])
    assert days[date(2026, 4, 2)] == "פסח" and days[date(2026, 4, 20)] == "יום חופש של העסק"
    zones = dict(as_owner.get("/settings/").context["form"].fields["time_zone"].choices)
    assert zones["Asia/Jerusalem"] == "שעון ישראל" and "Asia/Tel_Aviv" not in zones      # an alias, once
    Membership.objects.filter(user=world.owner).update(language="en")
    days = dict(as_owner.get("/settings/calendar/").context["days_off"])
    assert days[date(2026, 4, 2)] == "Pesach" and days[date(2026, 4, 20)] == "The business's own holiday"
    zones = dict(as_owner.get("/settings/").context["form"].fields["time_zone"].choices)
    assert zones["Europe/London"] == "United Kingdom Time"


def test_the_ladder_page_says_which_letter_goes_when_the_route_does_not_fit(as_owner, world):
    html = as_owner.get("/policy/").content.decode()
    assert "כשהחוב אינו מתאים למסלול ההוצאה לפועל:" in html

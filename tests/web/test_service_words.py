"""A service's refusal reaches the page in the reader's language (issue 13): the service raises a
code and its values (:class:`gvia.core.errors.RefusedFor`), :mod:`gvia.web.words` words it from
the web catalog, dates as the organization writes them — never the English sentence or an ISO
date."""

from __future__ import annotations

import re
from datetime import date

from gvia.core.errors import FieldProblem, Refused, RefusedFor, ValidationFailed
from gvia.core.money import Money
from gvia.web import display, words

from .conftest import TODAY

HEBREW = re.compile(r"[\u0590-\u05ff]")


def _page(r) -> str:
    return r.content.decode()


def test_send_now_with_nothing_overdue_is_refused_in_hebrew_with_the_days_date(as_collector, world):
    # C003's only invoice is paid: nothing to remind of (the collector reads Hebrew)
    r = as_collector.post(f"/customers/{world.c3.id}/send-now/", follow=True)
    page = _page(r)
    assert "אין על מה להזכיר" in page and "גמא מוצרים" in page
    assert "nothing to remind of" not in page and TODAY.isoformat() not in page
    assert display.date_text(TODAY, "he_IL") in page


def test_send_now_refusal_in_english_for_an_english_reader(client, world):
    from gvia.store.models import Membership

    Membership.objects.filter(user=world.collector).update(language="en")
    client.force_login(world.collector)
    page = _page(client.post(f"/customers/{world.c3.id}/send-now/", follow=True))
    assert "has nothing overdue on 15/03/2026: there is nothing to remind of" in page


def test_a_letter_with_nothing_due_is_refused_in_hebrew_on_the_pdf_page(as_collector, world):
    r = as_collector.get(f"/customers/{world.c3.id}/letter.pdf", {"document": "warning_letter", "language": "he"})
    assert r.status_code == 409
    page = _page(r)
    assert "אין על מה לכתוב" in page and "15/03/2026" in page
    assert "nothing to write about" not in page and "2026-03-15" not in page


def test_words_formats_values_and_falls_back_to_the_english_of_an_uncoded_error(world):
    display.activate("he", "IL")
    exc = RefusedFor("send_now_nothing_overdue", "English for logs", customer="Acme", today=date(2026, 3, 15))
    assert words.refusal_text(exc, "he") == (
        "ללקוח Acme אין חוב שמועד פירעונו עבר נכון ליום 15/03/2026: אין על מה להזכיר")
    assert words.refusal_text(Refused("an old English refusal"), "he") == "an old English refusal"
    assert words.refusal_text(RefusedFor("no_such_code_yet", "its English"), "he") == "its English"
    assert words.value_text(Money.of("1250", "ILS"), "he") == display.money_text(Money.of("1250", "ILS"))
    coded = FieldProblem(3, "due_date", "x", "English", code="no_such_code_yet")
    assert words.problem_text(coded, "he") == "English"
    assert words.error_texts(ValidationFailed([coded]), "he") == [str(coded)]


# --- import problems ---------------------------------------------------------------------------

NO_REF = "שם לקוח,מס' חשבונית,תאריך,תאריך פירעון,סכום\nאלון,INV-7001,01/03/2026,31/02/2026,100\n"


def test_a_missing_required_column_is_asked_for_in_hebrew_without_a_command_line_flag(as_collector, world):
    from .test_imports_web import upload

    url = upload(as_collector, NO_REF)
    r = as_collector.get(url)
    page = _page(r)
    assert "אין עמודה עבור" in page and "בחרו את העמודה שלה למטה" in page
    assert "--column" not in page and "Name the column" not in page
    shown = [p for p in r.context["problems"] if "אין עמודה" in p.message]
    assert shown and shown[0].field != "customer_ref"       # named as the form names it, not the key


def test_a_date_that_does_not_exist_is_explained_in_hebrew(as_collector, world):
    from .test_imports_web import mapping_of, preview_data, upload

    url = upload(as_collector, "מס' לקוח,שם לקוח,מס' חשבונית,תאריך,תאריך פירעון,סכום\n"
                               "C001,אלון,INV-7001,01/03/2026,31/02/2026,100\n")
    cols = mapping_of(as_collector.get(url))
    r = as_collector.post(url, preview_data(cols))
    assert r.status_code == 400
    messages = [p.message for p in r.context["problems"] if p.value == "31/02/2026"]
    assert messages == ["אין תאריך כזה (נקרא כיום 31, חודש 2, שנה 2026)"]
    assert "no such date" not in _page(r)


# --- the customer page's arrangements ------------------------------------------------------------

def test_a_second_plan_is_refused_in_hebrew_without_the_command_line(as_collector, world):
    plan = {"installments": "2", "frequency": "monthly", "first": "2026-04-01", "action": "agree"}
    r = as_collector.post(f"/customers/{world.c1.id}/plan/", plan)
    assert r.status_code == 302, r.content.decode()[:500]
    r = as_collector.post(f"/customers/{world.c1.id}/plan/", plan)
    page = _page(r)
    assert r.status_code == 400
    assert "ללקוח C001 כבר פעיל הסדר תשלומים" in page and "יש לבטל אותו קודם" in page
    assert "gvia plan cancel" not in page and "already has payment plan" not in page


def test_an_invoice_already_in_dispute_is_refused_in_hebrew(as_collector, world):
    dispute = {"invoices": ["INV-1001"], "reason": "wrong_amount"}
    assert as_collector.post(f"/customers/{world.c1.id}/dispute/", dispute).status_code == 302
    r = as_collector.post(f"/customers/{world.c1.id}/dispute/", dispute)
    page = _page(r)
    assert r.status_code == 400
    assert "חשבוניות INV-1001 כבר במחלוקת פתוחה" in page and "already in open dispute" not in page


def test_a_pause_that_ends_before_today_says_so_in_hebrew_with_the_days_date(as_collector, world):
    r = as_collector.post(f"/customers/{world.c1.id}/pause/", {"until": "2026-03-01", "reason": "x"})
    page = _page(r)
    assert r.status_code == 400
    assert "מוקדם מהיום (15/03/2026)" in page
    assert "is before today" not in page and "2026-03-15" not in page


def test_a_call_back_without_its_time_and_a_dispute_without_invoices_name_no_command_line_option(
        as_collector, world):
    r = as_collector.post(f"/customers/{world.c1.id}/call/", {"outcome": "call_back"})
    page = _page(r)
    assert r.status_code == 400 and "לשיחה חוזרת נדרש המועד שסוכם" in page and "--at" not in page
    r = as_collector.post(f"/customers/{world.c1.id}/call/", {"outcome": "disputed"})
    page = _page(r)
    assert r.status_code == 400 and "יש לבחור את החשבוניות שבמחלוקת" in page and "--invoice" not in page


# --- the policy page's check ---------------------------------------------------------------------

def test_a_policy_problem_is_worded_in_hebrew_on_the_policy_page(as_owner, world):
    from gvia.policies import default_policy_text

    as_owner.get("/policy/")          # the owner reads Hebrew
    text = default_policy_text("IL").replace('after_due_days = 21', 'after_due_days = "soon"')
    r = as_owner.post("/policy/", {"text": text, "action": "check"})
    assert r.status_code == 400
    assert [p.message for p in r.context["problems"]] == ["נדרש מספר שלם של ימים"]
    page = _page(r)
    assert "נדרש מספר שלם של ימים" in page and "must be a whole number of days" not in page


# --- the settings pages --------------------------------------------------------------------------

def test_a_setting_that_does_not_pass_its_check_is_worded_in_hebrew(as_owner, world):
    r = as_owner.post("/settings/sending/", {"sending_mode": "automatic", "sending_hours": "17:00-09:00",
                                             "daily_run_time": "06:00", "send_rate_per_minute": "60"})
    assert r.status_code == 400
    assert r.context["form"].errors["sending_hours"] == ["שעות השליחה צריכות להסתיים אחרי שהן מתחילות"]
    assert "must end after they start" not in _page(r)


def test_policy_problems_keep_their_toml_examples_when_worded(world):
    import pytest

    from gvia.core.policy import load_policy
    from gvia.policies import default_policy_text

    text = default_policy_text("IL").replace("actions = [", "actions = 3\nold_actions = [", 1)   # two problems
    with pytest.raises(ValidationFailed) as failed:
        load_policy(text, "test")
    worded = [words.problem_text(p, "he") for p in failed.value.problems]
    assert "צריך להיות רשימה של { channel = …, document = … }" in worded
    assert any(w.startswith("מפתח לא מוכר old_actions; מותרים כאן: ") for w in worded)     # a value named "key"
    assert [words.problem_text(p, "en") for p in failed.value.problems if p.code == "policy_actions_list"] == [
        "Must be a list of { channel = …, document = … }"]

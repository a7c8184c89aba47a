"""What the core and the importers say reaches the page in the reader's language (issue 13): a
reader of a file's cells raises a code (:class:`gvia.imports.values.BadValue`), the row's problem
carries it, and the page words it from the web catalog — never the English of the log."""

from __future__ import annotations

from .test_imports_web import mapping_of, preview_data, upload

BAD_CELLS = ("מס' לקוח,שם לקוח,מס' חשבונית,תאריך,תאריך פירעון,סכום,מטבע\n"
             "C001,אלון,INV-7001,01/03/2026,31/03/2026,שלושים,ש\"ח\n"
             "C001,אלון,INV-7002,01/03/2026,31/03/2026,100,פסוס\n")


def _problems(client) -> tuple[dict[str, str], str]:
    url = upload(client, BAD_CELLS)
    r = client.post(url, preview_data(mapping_of(client.get(url))))
    assert r.status_code == 400
    return {p.value: p.message for p in r.context["problems"]}, r.content.decode()


def test_an_amount_and_a_currency_that_cannot_be_read_are_explained_in_hebrew(as_collector, world):
    shown, page = _problems(as_collector)
    assert shown["שלושים"] == "אינו סכום"
    assert shown["פסוס"] == "מטבע לא מוכר; כתבו ש״ח, דולר, יורו או ליש״ט, או קוד מטבע בינלאומי כגון ILS"
    assert "not an amount" not in page and "unknown currency" not in page


def test_the_same_problems_in_english_for_an_english_reader(client, world):
    from gvia.store.models import Membership

    Membership.objects.filter(user=world.collector).update(language="en")
    client.force_login(world.collector)
    shown, _ = _problems(client)
    assert shown["שלושים"] == "Not an amount"
    assert shown["פסוס"] == "Unknown currency; write an ISO code such as ILS, USD or EUR"


def test_a_negative_amount_without_a_kind_asks_for_the_box_not_the_command_line_option(as_collector, world):
    url = upload(as_collector, "מס' לקוח,שם לקוח,מס' חשבונית,תאריך,תאריך פירעון,סכום\n"
                               "C001,אלון,INV-7003,01/03/2026,31/03/2026,-250.00\n")
    r = as_collector.post(url, preview_data(mapping_of(as_collector.get(url))))
    assert r.status_code == 400
    assert [p.message for p in r.context["problems"] if p.value == "-250.00"] == [
        "סכום שלילי ואין עמודת סוג: הוסיפו עמודת סוג, או סמנו שהשורות השליליות הן זיכויים"]
    page = r.content.decode()
    assert "--negative-as-credit-notes" not in page and "negative amount" not in page


def test_a_file_that_cannot_be_read_is_explained_in_hebrew(as_collector, world):
    url = upload(as_collector, "\n\n")
    r = as_collector.get(url)
    assert r.status_code == 400
    assert [p.message for p in r.context["problems"]] == ["הקובץ ריק: אין בו כותרת ואין בו שורות"]
    assert "the file is empty" not in r.content.decode()


# --- the customer page's arrangements: the core's rules ----------------------------------------

def test_a_down_payment_covering_the_balance_is_refused_in_hebrew(as_collector, world):
    plan = {"installments": "2", "frequency": "monthly", "first": "2026-04-01", "down": "999999",
            "action": "agree"}
    r = as_collector.post(f"/customers/{world.c1.id}/plan/", plan)
    page = r.content.decode()
    assert r.status_code == 400
    assert "מכסה את כל היתרה" in page and "אין צורך בהסדר תשלומים" in page
    assert "covers the whole balance" not in page


def test_a_promise_for_nothing_is_refused_in_hebrew(as_collector, world):
    r = as_collector.post(f"/customers/{world.c1.id}/promise/", {"amount": "0", "due": "2026-04-01"})
    page = r.content.decode()
    assert r.status_code == 400
    assert "הבטחת תשלום צריכה להיות על סכום חיובי" in page and "positive amount" not in page


def test_the_plan_preview_words_the_core_s_refusal_in_hebrew(as_collector, world):
    plan = {"installments": "2", "frequency": "monthly", "first": "2026-04-01", "down": "999999"}
    r = as_collector.post(f"/customers/{world.c1.id}/plan/", plan, HTTP_HX_REQUEST="true")
    page = r.content.decode()
    assert "אין צורך בהסדר תשלומים" in page and "covers the whole balance" not in page


def test_an_import_s_summaries_are_worded_and_counted_by_each_language_s_plural_rules(tmp_path):
    import pytest

    from gvia.core.errors import ValidationFailed
    from gvia.imports import build_mapping
    from gvia.imports.rows import RowParser, parse_rows
    from gvia.imports.tables import read_table
    from gvia.web import words

    empty = tmp_path / "empty.csv"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as unreadable:
        read_table(empty)
    assert words.summary_text(unreadable.value, "he") == "empty.csv: לא ניתן לקרוא את הקובץ; דבר לא יובא"
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_CELLS, encoding="utf-8")
    table = read_table(bad)
    parser = RowParser("invoices", build_mapping("invoices", table.headers), source="bad.csv")
    for limit, he, en in (
            (1000, "bad.csv: נמצאו שתי בעיות (שורות שגויות: 2); דבר לא יובא",
             "bad.csv: 2 problems (rows with problems: 2); nothing was imported"),
            (1, "bad.csv: נמצאו 2 בעיות (שורות שגויות: 2); מוצגת הראשונה; דבר לא יובא",
             "bad.csv: 2 problems (rows with problems: 2); the first is listed; nothing was imported")):
        with pytest.raises(ValidationFailed) as failed:
            list(parse_rows(table.rows, parser, max_problems=limit))
        assert (words.summary_text(failed.value, "he"), words.summary_text(failed.value, "en")) == (he, en)


# --- the policy page's check -------------------------------------------------------------------

def test_a_stage_with_two_triggers_is_explained_in_hebrew_on_the_policy_page(as_owner, world):
    from gvia.policies import default_policy_text

    as_owner.get("/policy/")          # the owner reads Hebrew
    text = default_policy_text("IL").replace("after_due_days = 21", "after_due_days = 21\nafter_previous_days = 3", 1)
    r = as_owner.post("/policy/", {"text": text, "action": "check"})
    assert r.status_code == 400
    assert [p.message for p in r.context["problems"]] == ["כתבו after_due_days או after_previous_days, לא את שניהם"]
    assert "not both" not in r.content.decode()

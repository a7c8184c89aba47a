"""The UI words (the web catalogs): every key used in every language, placeholders, no words
outside a catalog in the templates, direction, bucket and language names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gvia.web import i18n

WEB = Path(__file__).resolve().parents[2] / "src" / "gvia" / "web"

# families of keys built in templates as "prefix."|add:value, with every value they take
FAMILIES = {
    "allocation.": ("payment", "credit_note", "tolerance"),
    "customer.kind.": ("business", "consumer"),
    "customers.sort.": ("name", "-name", "ref", "-ref", "-overdue", "overdue", "-days", "days"),
    "document.": ("agreement", "invoice_copy", "delivery_proof", "letter", "other"),
    "import.kind.": ("invoices", "payments", "customers"),
    "invoice.kind.": ("invoice", "credit_note"),
    "method.": ("transfer", "card", "cash", "cheque", "other"),
    "payment.status.": ("cleared", "pending", "bounced"),
    "statement.kind.": ("invoice", "credit_note", "settled_outside", "write_off", "payment", "withholding",
                        "exchange", "tolerance", "bounced"),
    "statement.text.": ("credit_note", "settled_outside", "write_off", "payment", "withholding", "exchange",
                        "tolerance", "bounced", "invoice"),
    "status.": ("open", "overdue", "paid", "credit_note"),
    "role.": ("owner", "collector", "viewer"),
    "forbidden.": ("no_membership", "needs_collector", "needs_owner"),
    "timeline.": ("invoice", "credit_note", "payment", "payment_pending", "payment_bounced", "document", "audit",
                  "call", "message", "activity_message_out_document", "activity_letter_document")
                 + tuple(f"activity_{k}" for k in ("message_out", "message_in", "call", "note", "stage", "pause",
                                                   "letter", "promise", "plan", "dispute", "settlement", "writeoff",
                                                   "portal", "system")),
    # the engine's and the arrangements' pages
    "actions.": ("promise", "plan", "settlement", "dispute", "pause", "note", "casefile", "promise_submit",
                 "plan_submit", "settlement_submit", "dispute_submit", "pause_submit", "note_submit",
                 "casefile_submit"),
    "call.logged.": ("promised", "disputed", "call_back", "no_answer", "refused", "wrong_number"),
    "call.outcome.": ("promised", "disputed", "call_back", "no_answer", "refused", "wrong_number"),
    "channel.": ("email", "letter", "registered_letter", "sms", "whatsapp", "call_task"),
    "doc.": ("courtesy", "reminder", "second_reminder", "warning_letter", "warning_execution_office",
             "letter_of_claim", "statement", "payment_plan", "settlement"),
    "outbox.status.": ("awaiting_approval", "queued", "held", "sending", "sent", "failed", "uncertain", "rejected",
                       "cancelled"),
    "pause.kind.": ("manual", "promise", "plan", "dispute", "settlement", "call_back"),
    "promise.source.": ("call", "email", "portal", "manual"),
    "promise.status.": ("open", "kept", "partially_kept", "broken", "cancelled"),
    "dispute.reason.": ("service_not_as_expected", "wrong_amount", "not_received", "already_paid", "other"),
    "dispute.outcome.": ("rejected", "valid_credit_note", "valid_write_off"),
    "signal.": ("silence", "slower_replies", "passed_around", "partial_payments", "broken_promises",
                "missed_instalments", "bounced_cheques", "later_payments", "growing_balance", "disputes"),
    "run.count.": ("none", "enter_stage", "start_cycle", "end_cycle", "hold", "messages_queued",
                   "messages_awaiting_approval", "messages_cancelled", "call_tasks"),
    "run.hold.": ("stale_data", "sending_off", "do_not_chase", "paused", "reply_pause", "below_minimum",
                  "awaiting_call_outcome", "awaiting_warning_sent", "no_delivery_confirmation",
                  "awaiting_delivery_confirmation", "no_warning_sent", "held"),
    "settlement.status.": ("offered", "approved"),
    "worklist.section.": ("calls", "approvals", "failed", "uncertain", "replies", "promises_due", "broken_promises",
                          "missed_installments", "disputes_too_long", "nearing_limitation",
                          "no_delivery_confirmation", "at_risk"),
    "note.added.": ("note", "reply"),
    "note.kind.": ("note", "reply"),
    "plan.frequency.": ("weekly", "biweekly", "monthly"),
    "ladder.when.": ("after_due", "before_due", "on_due", "after_previous", "after_due_business",
                     "before_due_business", "on_due_business", "after_previous_business"),
    "setting.mode.": ("off", "approve_all", "automatic"),
    "setting.security.": ("none", "starttls", "ssl"),
    "weekday.": ("sun", "mon", "tue", "wed", "thu", "fri", "sat"),
    "interest.method.": ("none", "contractual", "gb_late_payment", "eu_late_payment", "il_linkage"),
    "interest.compounding.": ("simple", "monthly", "annual"),
    "interest.il_kind.": ("none", "linked", "arrears"),
    "mail.": ("check_catcher", "check_ok", "check_failed"),
}


def used_keys() -> set[str]:
    keys: set[str] = set()
    for path in (WEB / "templates").rglob("*.*"):
        text = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r"\{% t ['\"]([a-z0-9_.\-]+)['\"]", text))
        keys |= {k for k in re.findall(r"['\"]([a-z0-9_.\-]+)['\"]\|tr", text)}
    for path in WEB.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r"(?:text|done)\([^)]*?['\"]([a-z_]+\.[a-z0-9_.\-]+)['\"]", text))
        keys |= set(re.findall(r"\(['\"][a-z_]+['\"], ['\"](settings\.tab_[a-z_]+)['\"]\)", text))
        keys |= set(re.findall(r"Panel\(['\"]([a-z_]+\.[a-z0-9_.]+)['\"]", text))
        keys |= set(re.findall(r"label_keys = \{[^}]*\}", text) and
                    re.findall(r":\s*['\"]([a-z]+\.field\.[a-z_]+)['\"]", text))
    from gvia.web import navigation

    keys |= {item.label for item in navigation.ITEMS}
    keys = {k for k in keys if not k.endswith(".") and not k.startswith("_")}
    for prefix, values in FAMILIES.items():
        keys |= {prefix + v for v in values}
    return keys


def test_every_key_used_exists_in_every_language():
    used = used_keys()
    for lang in i18n.languages():
        assert sorted(k for k in used if not i18n.catalogs().has(k, lang)) == [], lang


def test_every_text_is_non_empty_and_placeholders_match():
    c = i18n.catalogs()
    for lang in c.languages:
        assert c.ids(lang) == c.ids("en"), lang
        for key in c.ids(lang):      # a plural entry: each form, the placeholders of them all
            forms, en = c.forms(key, lang), c.forms(key, "en")
            assert all(text.strip() for text in forms), (lang, key)
            assert ({p for t in forms for p in re.findall(r"\{(\w+)\}", t)}
                    == {p for t in en for p in re.findall(r"\{(\w+)\}", t)}), (lang, key)


def test_hebrew_texts_are_hebrew():
    c = i18n.catalogs()
    not_hebrew = [k for k in c.ids("he") for text in c.forms(k, "he")
                  if not re.search(r"[\u0590-\u05ff]", text)
                  and not re.fullmatch(r"[{}\w]+", text)]
    assert not_hebrew == []


# words a template may show as they are: the product's name, and its Hebrew initial in the logo
NOT_WORDS = {"gvia", "ג"}
SHOWN_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "aria-description", "aria-roledescription",
                    "label", "summary"}


def words_outside_tags(source: str) -> list[str]:
    """The human words of a template that do not come from ``{% t %}``, a variable or a tag:
    text between elements and the attributes people read (aria-label, title, placeholder, alt)."""
    from html.parser import HTMLParser

    body = re.sub(r"\{% comment %\}.*?\{% endcomment %\}|\{#.*?#\}", "", source, flags=re.S)
    body = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", " ", body, flags=re.S)
    words = re.compile(r"[^\W\d_]{2,}|[\u0590-\u05ff]")
    found: list[str] = []

    class Scan(HTMLParser):
        code = 0

        def handle_starttag(self, tag, attrs):
            self.code += tag in ("script", "style")
            found.extend(f"{tag}[{k}]={v!r}" for k, v in attrs
                         if k in SHOWN_ATTRIBUTES and v and set(words.findall(v)) - NOT_WORDS)

        def handle_endtag(self, tag):
            self.code -= tag in ("script", "style")

        def handle_data(self, data):
            if not self.code and set(words.findall(data)) - NOT_WORDS:
                found.append(data.strip())

    Scan(convert_charrefs=True).feed(body)
    return found


def test_no_template_holds_words_outside_a_catalog():
    left = {str(p.relative_to(WEB)): w for p in sorted((WEB / "templates").rglob("*.*"))
            if (w := words_outside_tags(p.read_text(encoding="utf-8")))}
    assert left == {}


def test_the_template_scan_finds_words():
    assert words_outside_tags('<p>{% t "a.b" %} Save</p>') == ["Save"]
    assert words_outside_tags('<a aria-label="לוח">{{ x }}</a>') == ["a[aria-label]='לוח'"]
    assert words_outside_tags('<b title="{% t "x" %}">{{ n }} · gvia</b>{# a note #}') == []


def test_no_view_holds_hebrew_words():
    """A Hebrew string in the web's Python code would be words outside the catalogs. (English
    strings there are errors for developers, 404 reasons, and the services' sentences, which a
    later change turns into codes.)"""
    import ast

    found = []
    for path in WEB.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = {id(n.body[0].value) for n in ast.walk(tree)
                if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef)) and n.body
                and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        found += [f"{path.relative_to(WEB)}:{n.lineno}" for n in ast.walk(tree)
                  if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs
                  and re.search(r"[\u0590-\u05ff]", n.value)]
    assert found == []


def test_text_fills_placeholders_and_falls_back_to_the_key():
    assert i18n.text("pager.page_of", "en", page=2, pages=7) == "Page 2 of 7"
    assert i18n.text("pager.page_of", "he", page=2, pages=7) == "עמוד 2 מתוך 7"
    assert i18n.text("no.such.key", "he") == "no.such.key"


@pytest.mark.parametrize("raw,lang", [("he", "he"), ("he-il", "he"), ("en-us", "en"), ("en_GB", "en"),
                                      ("fr", "he"), (None, "he"), ("", "he")])
def test_normalize(raw, lang):
    assert i18n.normalize(raw) == lang


def test_direction():
    assert (i18n.direction("he"), i18n.direction("en")) == ("rtl", "ltr")


@pytest.mark.parametrize("name,he,en", [
    ("not_due", "טרם הגיע מועדן", "Not yet due"),
    ("1-30", "1-30 ימים", "1-30 days"),
    ("91-180", "91-180 ימים", "91-180 days"),
    ("180+", "מעל 180 ימים", "Over 180 days"),
])
def test_bucket_labels(name, he, en):
    assert i18n.bucket_label(name, "he") == he
    assert i18n.bucket_label(name, "en") == en


def test_key_translates_and_falls_back():
    assert i18n.Key("method.cheque").text("he") == "שיק"
    assert i18n.Key("audit.something.new", fallback="something.new").text("en") == "something.new"


def test_language_names_come_from_cldr():
    assert (i18n.language_name("he", "he"), i18n.language_name("he", "en")) == ("עברית", "Hebrew")
    assert (i18n.language_name("en", "he"), i18n.language_name("en", "en")) == ("אנגלית", "English")


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["he", "en"])
def test_every_form_field_has_words_for_its_label_and_choices(lang):
    """A label or choice showing its own key would mean a missing word."""
    from django.utils import translation

    from gvia.web import forms

    built = [forms.CallForm(invoice_numbers=["1"]), forms.PromiseForm(currencies=["ILS"]),
             forms.PlanForm(currencies=["ILS"]), forms.SettlementForm(currencies=["ILS"]), forms.DecisionForm(),
             forms.DisputeForm(invoice_numbers=["1"]), forms.DisputeResolveForm(), forms.PauseForm(),
             forms.NoteForm(), forms.CaseFileForm(), forms.FreeTextForm(), forms.PolicyTextForm(),
             forms.SendingForm(), forms.CalendarForm(), forms.SmtpForm(), forms.MailTestForm(), forms.InterestForm()]
    with translation.override(lang):
        built = [type(f)(**_kwargs(f)) for f in built]
    key = re.compile(r"^[a-z_]+\.[a-z0-9_.]+$")
    for form in built:
        for name, field in form.fields.items():
            assert not key.match(str(field.label)), (type(form).__name__, name, field.label)
            for _value, label in getattr(field, "choices", []) or []:
                assert not key.match(str(label)), (type(form).__name__, name, label)


def _kwargs(form) -> dict:
    from gvia.web import forms

    if isinstance(form, (forms.CallForm, forms.DisputeForm)):
        return {"invoice_numbers": ["1"]}
    if isinstance(form, (forms.PromiseForm, forms.PlanForm, forms.SettlementForm)):
        return {"currencies": ["ILS"]}
    return {}

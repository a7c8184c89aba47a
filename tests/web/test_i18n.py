"""The UI words: both languages for every key used, placeholders, direction, bucket names."""

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
    "language.": ("he", "en"),
    "method.": ("transfer", "card", "cash", "cheque", "other"),
    "payment.status.": ("cleared", "pending", "bounced"),
    "statement.kind.": ("invoice", "credit_note", "settled_outside", "write_off", "payment", "withholding",
                        "exchange", "tolerance", "bounced"),
    "statement.text.": ("credit_note", "settled_outside", "write_off", "payment", "withholding", "exchange",
                        "tolerance", "bounced", "invoice"),
    "status.": ("open", "overdue", "paid", "credit_note"),
    "role.": ("owner", "collector", "viewer"),
    "forbidden.": ("no_membership", "needs_collector", "needs_owner"),
    "timeline.": ("invoice", "credit_note", "payment", "payment_pending", "payment_bounced", "document", "audit"),
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
    from gvia.web import navigation

    keys |= {item.label for item in navigation.ITEMS}
    keys = {k for k in keys if not k.endswith(".")}
    for prefix, values in FAMILIES.items():
        keys |= {prefix + v for v in values}
    return keys


def test_every_key_used_exists_in_both_languages():
    missing = sorted(k for k in used_keys() if k not in i18n.STRINGS)
    assert missing == []


def test_every_text_is_non_empty_and_placeholders_match():
    for key, (he, en) in i18n.STRINGS.items():
        assert he.strip() and en.strip(), key
        assert sorted(re.findall(r"\{(\w+)\}", he)) == sorted(re.findall(r"\{(\w+)\}", en)), key


def test_hebrew_texts_are_hebrew():
    not_hebrew = [k for k, (he, _) in i18n.STRINGS.items()
                  if not re.search(r"[\u0590-\u05ff]", he) and not re.fullmatch(r"[{}\w]+", he)]
    assert not_hebrew == []


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


def test_add_refuses_a_conflicting_or_half_translated_key():
    with pytest.raises(ValueError):
        i18n.add({"nav.dashboard": ("אחר", "Other")})
    with pytest.raises(ValueError):
        i18n.add({"test.only_english": ("", "English")})
    i18n.add({"nav.dashboard": i18n.STRINGS["nav.dashboard"]})   # the same words again is fine

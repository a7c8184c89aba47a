"""The customer's page speaks Hebrew, English, Arabic and Russian (issue 16): a language may have
only some of gvia's catalogs (Arabic and Russian have only ``portal``), each domain's languages
being those with its catalog, checked against that domain's English when loaded."""

from __future__ import annotations

import re
import shutil

import pytest

from gvia import locale
from gvia.locale.build import ROOT, compile_catalogs
from gvia.web.portal import words


def test_arabic_and_russian_are_the_pages_languages_only():
    assert locale.languages("portal") == ("he", "en", "ar", "ru")
    assert locale.languages("web") == ("he", "en") and locale.languages("cli") == ("he", "en")
    assert "portal" in locale.DOMAINS
    locale.check_compiled()                                  # every domain, every language it has
    d = locale.domain("portal")
    assert d.ids("ar") == d.ids("en") == d.ids("ru") == d.ids("he")
    assert locale.direction("ar") == "rtl" and locale.direction("ru") == "ltr"


def test_plural_forms_of_each_language():
    forms = {n: words.plural("status.overdue", "ar", n) for n in (1, 2, 3, 11, 100)}
    assert forms == {1: "متأخرة يومًا واحدًا", 2: "متأخرة يومين", 3: "متأخرة 3 أيام", 11: "متأخرة 11 يومًا",
                     100: "متأخرة 100 يوم"}
    assert [words.plural("status.overdue", "ru", n) for n in (1, 3, 5, 21)] == [
        "просрочен на 1 день", "просрочен на 3 дня", "просрочен на 5 дней", "просрочен на 21 день"]
    assert words.plural("status.overdue", "he", 2) == "באיחור של יומיים"


def test_choose_a_language_the_page_speaks():
    assert words.choose("ru-RU", "he") == "ru"
    assert words.choose("fr", None, "ar_IL") == "ar"
    assert words.choose("fr", "de") == "he"


def test_a_new_language_with_only_the_pages_catalog_is_accepted_and_checked(tmp_path):
    fr = tmp_path / "fr" / "LC_MESSAGES"
    fr.mkdir(parents=True)
    text = (ROOT / "en" / "LC_MESSAGES" / "portal.po").read_text(encoding="utf-8").replace(
        "Language: en", "Language: fr").replace('msgstr "Hello, {customer}"', 'msgstr "Bonjour, {customer}"')
    (fr / "portal.po").write_text(text, encoding="utf-8")
    compile_catalogs(tmp_path)
    with locale.extra_dir(tmp_path):
        assert locale.languages("portal") == ("he", "en", "ar", "fr", "ru")
        assert locale.languages("web") == ("he", "en")         # no web catalog: not a language of the pages
        assert locale.domain("portal").text("page.hello", "fr") == "Bonjour, {customer}"
    # a placeholder the English does not have fails when loaded, naming the catalog and the id
    (fr / "portal.po").write_text(text.replace('msgstr "Bonjour, {customer}"', 'msgstr "Bonjour, {client}"'),
                                  encoding="utf-8")
    compile_catalogs(tmp_path)
    with locale.extra_dir(tmp_path), pytest.raises(locale.CatalogError) as e:
        locale.domain("portal")
    assert "page.hello" in str(e.value) and "{client}" in str(e.value)
    shutil.rmtree(tmp_path / "fr")


def test_every_key_the_pages_templates_use_is_in_every_language():
    from pathlib import Path

    import gvia.web

    folder = Path(gvia.web.__file__).parent / "templates" / "portal"
    used: set[str] = set()
    for path in folder.rglob("*.html"):
        used |= set(re.findall(r"\{% ptn? ['\"]([a-z0-9_.\-]+)['\"]", path.read_text(encoding="utf-8")))
    used = {k for k in used if not k.endswith(".")}          # a family's prefix, completed by a value
    assert {"page.title", "status.overdue", "gone.expired", "pay.reference"} <= used
    d = locale.domain("portal")
    for lang in d.languages:
        assert sorted(k for k in used if not d.has(k, lang)) == [], lang

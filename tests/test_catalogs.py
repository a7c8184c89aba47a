"""The catalogs (gvia.locale): every id in every shipped language with the same placeholders, each
language's plural forms from CLDR, a typo caught when the catalogs load, and a catalog changed but
not compiled stopping gvia with one line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from gvia import locale
from gvia.locale.build import ROOT, catalog_files, compile_catalogs, is_stale

SHIPPED = ("he", "en")


def _checked(name: str) -> locale.Domain:
    if name == "documents":
        from gvia.documents.wording import catalogs

        return catalogs()
    return locale.domain(name)


@pytest.mark.parametrize("name", locale.DOMAINS)
def test_every_id_is_in_every_shipped_language_with_the_same_placeholders(name):
    d = _checked(name)                     # loading checks ids, plural forms, placeholders; raises
    assert d.languages[:2] == SHIPPED
    # every language with a catalog of the domain is complete (ar, ru: none left out for a missing id)
    assert not d.left_out, {lang: [p.id for p in found] for lang, found in d.left_out.items()}
    assert d.languages == locale.languages(name)
    for lang in d.languages:
        assert d.ids(lang) == d.ids("en")
        for key in d.ids("en"):
            expected = set().union(*(locale.placeholders(f) for f in d.forms(key, "en")))
            found = set().union(*(locale.placeholders(f) for f in d.forms(key, lang)))
            assert found <= expected, (name, lang, key)
            if name != "documents":          # a document's translation may leave one out ("א.ג.נ.,")
                assert found == expected, (name, lang, key)


@pytest.mark.parametrize("po", catalog_files(), ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_each_catalog_has_its_languages_plural_forms_from_cldr(po):
    lang = po.parent.parent.name
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang)
    plural = get_plural(lang)
    assert catalog.plural_forms == plural.plural_forms
    assert catalog.num_plurals == plural.num_plurals
    for message in catalog:
        if message.id and message.pluralizable:
            assert len(message.string) == plural.num_plurals and all(message.string), message.id
        assert "fuzzy" not in message.flags or not message.id, message.id


def test_hebrew_has_a_dual():
    from gvia.documents.wording import texts

    assert get_plural("he").plural_expr == "(n == 1 ? 0 : n == 2 ? 1 : 2)"
    he = texts("he")
    assert [he("labels.days", n, n=str(n)) for n in (1, 2, 3, 0)] == ["יום אחד", "יומיים", "3 ימים", "0 ימים"]
    assert [texts("en")("labels.days", n, n=str(n)) for n in (1, 2)] == ["1 day", "2 days"]


def test_a_text_left_out_on_purpose_is_empty():
    from gvia.documents.wording import texts

    assert texts("en")("labels.re") == "" and texts("he")("labels.re") == "הנדון:"


@pytest.fixture
def copy(tmp_path):
    """The shipped web and cli catalogs copied to a folder of their own, compiled there."""
    for po in catalog_files():
        if po.stem in ("web", "cli"):
            target = tmp_path / po.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(po, target)
    compile_catalogs(tmp_path)
    return tmp_path


def _edit(po: Path, old: str, new: str) -> None:
    text = po.read_text(encoding="utf-8")
    assert old in text
    po.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_placeholder_typo_fails_when_loaded_naming_the_catalog_the_id_and_the_placeholder(copy):
    po = copy / "he" / "LC_MESSAGES" / "web.po"
    _edit(po, 'msgstr "עמוד {page} מתוך {pages}"', 'msgstr "עמוד {page} מתוך {pagse}"')
    compile_catalogs(copy)
    with locale.extra_dir(copy), pytest.raises(locale.CatalogError) as e:
        locale.domain("web")
    shown = str(e.value)
    assert str(po) in shown or "he/LC_MESSAGES/web.po" in shown
    assert {(p.id, p.message) for p in e.value.problems} == {
        ("pager.page_of", "unknown placeholder {pagse}"), ("pager.page_of", "placeholder {pages} missing")}


def test_a_catalog_changed_and_not_compiled_stops_gvia_with_one_line(copy, capsys):
    from gvia.cli.main import run

    po = copy / "he" / "LC_MESSAGES" / "cli.po"
    mo = po.with_suffix(".mo")
    with locale.extra_dir(copy):
        locale.check_compiled()                       # compiled: nothing to say
        shutil.copy2(po, po.with_suffix(".bak"))
        po.touch()                                    # newer, but the same words: still compiled
        assert not is_stale(po)
        _edit(po, 'msgstr "לא בוצע:"', 'msgstr "סירוב:"')
        assert is_stale(po)
        with pytest.raises(locale.CatalogNotCompiled) as e:
            locale.check_compiled()
        line = str(e.value.code)
        assert "\n" not in line and "cli.po is newer than its compiled .mo" in line and "-m gvia.locale" in line
        assert run(["aging"]) == 1                    # before any work, one line on stderr
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "cli.po is newer than its compiled .mo" in err
        mo.unlink()
        with pytest.raises(locale.CatalogNotCompiled, match="cli.po is not compiled"):
            locale.check_compiled()
        assert [m.name for m in compile_catalogs(copy)] == ["cli.mo"]
        locale.check_compiled()


def test_the_compiled_catalogs_are_not_in_git():
    ignore = (Path(__file__).resolve().parents[1] / ".gitignore").read_text()
    assert "src/gvia/locale/**/*.mo" in ignore

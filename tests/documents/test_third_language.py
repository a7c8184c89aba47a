"""Adding a language is adding its catalogs (and, for a script the fonts do not cover, a font):
Russian written as a translator would and read from a folder of its own (it stands in for the
Russian gvia ships). Its words reach the PDF and the e-mail, counted with Russian's three plural forms. Noto Sans,
already in every document's fallback fonts, covers Cyrillic, so no font is added."""

from __future__ import annotations

import pytest

from gvia import locale
from gvia.core.errors import ValidationFailed
from gvia.documents import email_body, languages, render
from gvia.documents.samples import sample_letter
from gvia.documents.wording import texts
from tests.support.catalogs import add_language

from .pdftext import pdf_text


@pytest.fixture
def russian(tmp_path):
    add_language(tmp_path, "ru")
    with locale.extra_dir(tmp_path):
        yield


def test_a_document_in_a_language_gvia_does_not_ship(russian):
    assert languages() == ("he", "en", "ar", "ru")
    ctx = sample_letter("reminder", "ru")
    text = pdf_text(render(ctx))
    assert "Напоминание об оплате" in text and "Дата" in text
    mail = email_body(ctx)
    assert "Напоминание об оплате" in mail.html


def test_its_plural_forms_come_from_its_catalog(russian):
    t = texts("ru")
    assert [t("labels.days", n, n=str(n)) for n in (1, 3, 5, 11, 21, 22)] == [
        "1 день", "3 дня", "5 дней", "11 дней", "21 день", "22 дня"]


def test_a_language_not_yet_translated_is_left_out_and_named(tmp_path, caplog):
    from gvia.documents.wording import catalogs
    from gvia.locale.build import compile_catalogs, new_language

    new_language("ru", tmp_path)          # every entry still fuzzy: none is compiled
    compile_catalogs(tmp_path)
    with locale.extra_dir(tmp_path):
        d = catalogs()                    # Hebrew and English documents still work
        assert d.languages == ("he", "en", "ar") and "ru" not in languages()
        assert any(p.id == "reminder.title" and p.message == "missing in this language" for p in d.left_out["ru"])
        assert "'ru' is left out" in caplog.text
        with pytest.raises(ValidationFailed):       # nothing is written in it meanwhile
            texts("ru")

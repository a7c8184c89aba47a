"""Courtesy translations (issue 16): a letter to a customer who reads Arabic or Russian is the
Hebrew original, unchanged, plus a translation of it marked as such (gvia.documents.courtesy).
The PDFs are read back with the text extractor the other document tests use."""

from __future__ import annotations

import re

import pytest

from gvia.documents import render
from gvia.documents.compose import compose
from gvia.documents.courtesy import (
    Languages,
    Translation,
    compose_translation,
    languages_for,
    render_translation,
    translated,
    translation_email,
    translation_file_title,
)
from gvia.documents.samples import sample_letter
from gvia.documents.wording import languages
from tests.documents.pdftext import normalise, pdf_text

ARABIC = re.compile(r"[\u0600-\u06FF]")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def text(pdf: bytes) -> str:
    return normalise(pdf_text(pdf))


def test_the_documents_speak_arabic_and_russian():
    assert {"he", "en", "ar", "ru"} <= set(languages())


@pytest.mark.parametrize("reader, org, expected", [
    ("he", "he", Languages("he")),
    ("en", "he", Languages("en")),              # English is a language of record: no translation
    ("ar", "he", Languages("he", "ar")),
    ("ru", "he", Languages("he", "ru")),
    ("ru", "en", Languages("en", "ru")),        # a business abroad: its English original
    ("ar", "ar", Languages("he", "ar")),        # never an Arabic original
])
def test_which_language_is_the_document_of_record(reader, org, expected):
    assert languages_for(reader, org) == expected


def test_a_translation_of_a_document_into_its_own_language_is_refused():
    with pytest.raises(ValueError):
        Translation(sample_letter("reminder", "he"), "he")


def test_the_russian_translation_of_a_warning_letter_is_marked_and_has_the_same_facts():
    original = sample_letter("warning_letter", "he")
    got = text(render_translation(Translation(original, "ru")))
    # the notice first, in Russian and in Hebrew, with the original's date
    assert ("Неофициальный перевод, предоставляется только для Вашего удобства. Обязывающим документом "
            "является оригинал на иврите от 23.11.2026, прилагаемый к этому переводу.") in got
    assert "תרגום לנוחותכם בלבד. המסמך המחייב הוא המקור בעברית מיום 23/11/2026, המצורף לתרגום זה." in got
    assert got.index("Неофициальный перевод") < got.index("Уважаемый(ая)")
    # the letter itself in Russian: title, demand, the same invoices, amounts and deadline
    assert "Предупреждение перед обращением в суд" in got
    assert "Настоящим мы официально требуем уплатить всю сумму задолженности, ₪16 031,57, не позднее 13.12.2026" in got
    for number in ("INV-2026-0042", "INV-2026-0057", "INV-2026-0061", "L-2026-00042"):
        assert number in got
    # the Hebrew calendar date is the original's alone
    assert original.hebrew_date and "תשפ" not in got and "תשפ" in text(render(original))


def test_the_arabic_translation_of_a_warning_letter_holds_its_words():
    original = sample_letter("warning_letter", "he")
    pdf = render_translation(Translation(original, "ar"))
    got = text(pdf)
    for word in ("ترجمة", "العبرية", "المرفق", "إنذار", "الموضوع", "الدين", "رصيد", "الفاتورة", "التاريخ"):
        assert word in got, word
    assert "תרגום לנוחותכם בלבד" in got and "₪16,031.57" in got and "INV-2026-0061" in got


def test_every_later_page_of_a_translation_names_it_in_its_running_head():
    original = sample_letter("warning_letter", "he")
    c = compose_translation(Translation(original, "ru"))
    assert c.running_head.startswith("Неофициальный перевод — не является обязывающим документом · ")
    assert c.running_head.endswith(compose(translated(original, "ru")).running_head)
    pdf = render_translation(Translation(original, "ru"))
    assert text(pdf).count("Неофициальный перевод — не является обязывающим документом") >= 1   # page 2's head


def test_the_original_is_unchanged_by_its_translation():
    original = sample_letter("warning_execution_office", "he")
    before = render(original)
    translation = Translation(original, "ar")
    render_translation(translation)
    assert render(original) == before                    # same bytes: the document of record
    assert translated(original, "ar").language == "ar" and original.language == "he"
    assert not ARABIC.search(text(before)) and not CYRILLIC.search(text(before))
    # a Translation renders through render() like any document, as the print batch does
    assert text(render(translation)) == text(render_translation(translation))  # type: ignore[arg-type]  # the batch's list


def test_the_email_of_a_translation_is_in_the_readers_language_only():
    body = translation_email(Translation(sample_letter("reminder", "he"), "ru"))
    assert body.subject.startswith("Напоминание: ")
    assert body.text.index("Неофициальный перевод") < body.text.index("По нашим данным")
    assert "תרגום" not in body.text and "תרגום" not in body.html      # no Hebrew notice in the e-mail
    assert '<html lang="ru" dir="ltr">' in body.html
    arabic = translation_email(Translation(sample_letter("reminder", "he"), "ar"))
    assert '<html lang="ar" dir="rtl">' in arabic.html and "ترجمة غير رسمية" in arabic.text


def test_a_translations_file_says_what_it_is():
    assert translation_file_title("إنذار", "ar") == "إنذار – ترجمة غير رسمية"
    assert translation_file_title("Предупреждение", "ru") == "Предупреждение — перевод для удобства"

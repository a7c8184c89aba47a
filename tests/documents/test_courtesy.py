"""Courtesy translations (issue 16): a letter to a customer who reads Arabic or Russian is the
Hebrew original, unchanged, plus a translation of it marked as such (gvia.documents.courtesy).
The PDFs are read back with the text extractor the other document tests use."""

from __future__ import annotations

import re
from dataclasses import replace

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
from gvia.documents.model import DOCUMENTS, LetterContext
from gvia.documents.samples import ils, sample_context, sample_letter
from gvia.documents.wording import catalogs, languages
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


def _invoices(n: int):
    base = sample_letter("reminder", "he").invoices[0]
    return tuple(replace(base, number=f"INV-{k:04d}", original=ils("100.00"), open=ils("100.00"))
                 for k in range(1, n + 1))


@pytest.mark.parametrize("language", ["ar", "ru"])
@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_document_translates_for_every_plural_form(document, language):
    """Composed (not rendered, for speed) for 1, 2, 3, 5, 11 and 21 invoices: every plural form of
    both languages (Russian's "one" is also 21's), each with the values its words ask for."""
    original = sample_context(document, "he" if document != "letter_of_claim" else "en")
    counts = (1, 2, 3, 5, 11, 21) if isinstance(original, LetterContext) else (None,)
    for n in counts:
        ctx = original if n is None else replace(original, invoices=_invoices(n))
        body = translation_email(Translation(ctx, language))
        assert body.subject and body.text
        assert (ARABIC if language == "ar" else CYRILLIC).search(body.subject), (document, n, body.subject)


# words the same in English, Arabic and Russian (codes, names, forms' marks)
SAME_AS_ENGLISH = {"labels.iban", "labels.swift", "labels.sort_code", "labels.routing_number", "posting.col_number",
                   "casefile.channels.sms", "casefile.channels.whatsapp", "labels.re", "labels.to",
                   "letter_of_claim.language_note", "columns.number"}


@pytest.mark.parametrize("language", ["ar", "ru"])
def test_nothing_is_left_in_english(language):
    d = catalogs()
    left = {key for key in d.ids("en") if d.forms(key, language) == d.forms(key, "en")}
    assert left <= SAME_AS_ENGLISH, sorted(left - SAME_AS_ENGLISH)
    script = ARABIC if language == "ar" else CYRILLIC
    for key in d.ids("en") - SAME_AS_ENGLISH:
        for form in d.forms(key, language):
            assert script.search(form) or not re.search("[A-Za-z]{3}", re.sub(r"\{\w+\}", "", form)), (key, form)

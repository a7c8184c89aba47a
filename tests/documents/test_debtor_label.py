"""The label of the customer's number on a letter follows the customer's kind: ח.פ. for a
company, ע.מ. for a sole trader (never ח.פ.), ת.ז. for a person, a corporation's number for a
public body — read from the rendered PDF's text."""

from __future__ import annotations

import pytest

from gvia.documents import render
from gvia.documents.samples import sample_debtor, sample_letter

from .pdftext import pdf_text

NUMBER = "515432109"        # the sample debtor's
LABELS = {"he": {"business": "ח.פ.", "sole_trader": "ע.מ.", "consumer": "ת.ז.", "public_body": "מס' תאגיד"},
          "en": {"business": "Company no.", "sole_trader": "Tax ID", "consumer": "ID no.",
                 "public_body": "Registration no."}}


@pytest.mark.parametrize("lang", ["he", "en"])
@pytest.mark.parametrize("kind", ["business", "sole_trader", "consumer", "public_body"])
def test_the_warning_letter_labels_the_number_by_kind(kind, lang):
    text = pdf_text(render(sample_letter("warning_letter", lang, debtor=sample_debtor(lang, kind=kind))))
    assert f"{LABELS[lang][kind]} {NUMBER}" in text
    for other, label in LABELS[lang].items():
        if other != kind:
            assert f"{label} {NUMBER}" not in text


def test_a_sole_trader_whose_number_is_their_personal_id():
    debtor = sample_debtor("he", kind="sole_trader", id_label="person_id")
    text = pdf_text(render(sample_letter("warning_letter", "he", debtor=debtor)))
    assert f"ת.ז. {NUMBER}" in text and f"ח.פ. {NUMBER}" not in text


def test_an_individual_without_a_contact_is_greeted_by_name():
    for kind, greeted in (("sole_trader", True), ("consumer", True), ("business", False), ("public_body", False)):
        debtor = sample_debtor("en", kind=kind, contact_person="", name="Dana Mizrahi")
        text = pdf_text(render(sample_letter("reminder", "en", debtor=debtor)))
        assert ("Dear Dana Mizrahi" in text) is greeted, kind

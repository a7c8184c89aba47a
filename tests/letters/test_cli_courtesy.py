"""`gvia letter --lang ar|ru` (issue 16): the Hebrew original, then its courtesy translation, in one
PDF; the same database as tests/letters/test_cli_letters.py (its module fixture)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.cli.conftest import Gvia
from tests.documents.pdftext import normalise, pdf_text
from tests.letters.test_cli_letters import books  # noqa: F401 — the module's database, a fixture

pytestmark = pytest.mark.slow


def test_gvia_letter_in_arabic_is_the_hebrew_original_then_its_translation(books: Gvia, tmp_path):  # noqa: F811 — the fixture
    he, ar = tmp_path / "he.pdf", tmp_path / "ar.pdf"
    for lang, out in (("he", he), ("ar", ar)):
        r = books("letter", "C-100", "--document", "reminder", "--lang", lang, "--as-of", "2026-11-23",
                  "--out", str(out))
        assert r.code == 0, r.err
    original = [p.extract_text() for p in PdfReader(io.BytesIO(he.read_bytes())).pages]
    both = PdfReader(io.BytesIO(ar.read_bytes())).pages
    assert [p.extract_text() for p in both[:len(original)]] == original
    got = normalise(pdf_text(ar.read_bytes()))
    assert got.index("תזכורת לתשלום") < got.index("ترجمة") and "تذكير" in got and "SH-3" in got
    r = books("letter", "C-100", "--document", "reminder", "--lang", "fr", "--out", str(tmp_path / "fr.pdf"))
    assert r.code != 0                           # a language gvia does not write in

"""Shared fixtures for the document tests: rendered sample PDFs are cached per session,
since rendering is the slow part (about 10 ms each)."""

from __future__ import annotations

import pytest

from gvia.documents import render
from gvia.documents.model import DOCUMENTS
from gvia.documents.samples import sample_context

from .pdftext import pdf_text


class _Rendered:
    def __init__(self) -> None:
        self._pdf: dict[tuple[str, str], bytes] = {}

    def pdf(self, document: str, language: str) -> bytes:
        key = (document, language)
        if key not in self._pdf:
            self._pdf[key] = render(sample_context(document, language))
        return self._pdf[key]

    def text(self, document: str, language: str) -> str:
        return pdf_text(self.pdf(document, language))


@pytest.fixture(scope="session")
def rendered() -> _Rendered:
    return _Rendered()


ALL = [(d, lang) for d in DOCUMENTS for lang in ("he", "en")]

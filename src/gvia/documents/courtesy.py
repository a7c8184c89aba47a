"""Courtesy translations: a letter to a customer who reads Arabic or Russian (issue 16).

Letters, statements and agreements are the documents of record of a collection: a court, the
Execution Office or a lawyer reads them, and their words are what the business said. In Israel
that document is written in Hebrew (an organization abroad writes its letters in English): the
``RECORD_LANGUAGES``. A customer whose language is another one gvia writes in (the ``documents``
catalogs: Arabic, Russian) receives **the original, unchanged, plus a courtesy translation** of
it — never a letter in their language alone:

* the original is exactly the document a Hebrew reader would get for the same facts (the same
  context rendered in the record language: same bytes, same checksum for the proof log);
* the translation is the same context — the same amounts, dates, invoices, deadline, reference,
  claim basis and free text, taken from the original's context, not read again — in the
  customer's language (:func:`translated`), with the Hebrew calendar date left to the original;
* it is a **separate document**, marked as a translation: its first block says, in the
  customer's language and again in the original's, that it is a courtesy translation and that
  the binding document is the original of that date (``translation.notice.<record>``), and every
  later page's running head repeats it (``translation.head``). An e-mail carries both as two PDF
  files (the translation's name says so, ``translation.file``); on paper the translation's pages
  follow the original's in the same envelope, each document with its own page numbers.

Why a second document and not the translation inside the original: a lawyer asked to rely on the
letter wants one self-contained original — its pages, its page count ("page 2 of 2") and its
signature exactly as sent to every customer, with nothing in another language that a court
would have to have translated or that could be argued to be part of the notice; the translation
can then be set aside without touching the original, and if the two ever read differently the
notice on the translation says which one binds. Translated paragraphs inside the letter, or pages
numbered as the letter's own ("page 3 of 4"), would make the translation part of the document of
record. Where one file holds both (paper, a download: :func:`render_for_reader`), they stay two
documents: the original's pages exactly as they are alone, then the translation starting on a
new page with its own page numbers.

Why Hebrew is the document of record in Israel: "The state's language is Hebrew", and Arabic
"has a special status" (Basic Law: Israel as the Nation-State of the Jewish People, s.4, quoted
at https://en.wikipedia.org/wiki/Basic_Law:_Israel_as_the_Nation-State_of_the_Jewish_People and
https://medium.com/@ethanhill_92978/technically-arabic-is-fine-in-israel-a720024de007); "Israeli
courts require that foreign language legal documents be translated into Hebrew and certified by
a notary before they are admissible" (https://menoralaw.com/ru/?p=40787). A letter in Arabic or
Russian alone would have to be translated before a court or the Execution Office read it; an
uncertified translation by gvia could not stand in for the original. No rule on the language of
a collection letter itself was found in the stored texts (searches: "Basic Law Israel Nation
State Hebrew official language Arabic special status", "Israel courts language of proceedings
Hebrew translation of documents foreign language"), so this is the conservative choice, and its
one home is :func:`languages_for`.

The e-mail body of a translated letter is the translation (the customer reads their own
language first) with the notice in their language only; the PDF of the translation also has the
notice in the original's language, for whoever handles the file later.

No database here: callers (:mod:`gvia.services.sending.compose`) pass the original's context
and get a :class:`Translation`, which renders, batches and becomes an e-mail body like any
document context.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from typing import Callable

from pypdf import PdfWriter

from gvia.core.formatting import strip_bidi

from .compose import Composed, DocFormat, Para, compose
from .emailbody import EmailBody, to_html, to_text
from .model import DocumentContext, LetterContext
from .render import render, render_composed
from .wording import Run, texts

RECORD_LANGUAGES = ("he", "en")
"""The languages a document of record is written in: Hebrew in Israel, English abroad."""

DEFAULT_RECORD = "he"


@dataclass(frozen=True)
class Languages:
    """The language of the document of record, and of its courtesy translation (None: none)."""

    record: str
    translation: str | None = None


def languages_for(reader: str, org_language: str) -> Languages:
    """The languages of a document for a customer who reads ``reader``, from an organization
    whose own language is ``org_language``: a record language as it is; any other language gets
    the organization's record language (Hebrew when it has none) with a translation into
    ``reader``."""
    if reader in RECORD_LANGUAGES:
        return Languages(reader)
    record = org_language if org_language in RECORD_LANGUAGES else DEFAULT_RECORD
    return Languages(record, reader)


def translated(original: DocumentContext, language: str) -> DocumentContext:
    """``original``'s facts in ``language``: the same context but for its language (and no
    Hebrew calendar date, which belongs to the Hebrew original)."""
    if isinstance(original, LetterContext):
        return replace(original, language=language, hebrew_date=False)
    return replace(original, language=language)


@dataclass(frozen=True)
class Translation:
    """The courtesy translation of ``original`` into ``language``: a document of its own, which
    :func:`gvia.documents.compose.compose` (and so ``render``, ``render_many`` and
    ``email_body``) composes with :func:`compose_translation`. ``record_notice``: the notice
    also in the original's language (the PDF; not the e-mail body)."""

    original: DocumentContext
    language: str
    record_notice: bool = True

    def __post_init__(self) -> None:
        if self.original.language == self.language:
            raise ValueError(f"a translation of a {self.language} document into {self.language}")


def compose_translation(t: Translation) -> Composed:
    """The translation composed: the notice first (in its language; with ``record_notice``, again
    in the original's), then the document; the running head of every later page names it a
    courtesy translation."""
    original, language = t.original, t.language
    composed = compose(translated(original, language))
    f = DocFormat(language, original.letterhead.locale)
    key = f"translation.notice.{original.language}"
    notice = [Para(tuple(Run(r.text, True, r.link) for r in f.t.runs(key, date=f.date(original.as_of))))]
    if t.record_notice:
        g = DocFormat(original.language, original.letterhead.locale)
        notice.append(Para((Run(f.name(g.t(key, date=g.date(original.as_of)))),), "note"))
    head = " · ".join(x for x in (f.t("translation.head"), composed.running_head) if x)
    cut = composed.pdf_only_from
    return replace(composed, blocks=(*notice, *composed.blocks), running_head=head,
                   pdf_only_from=None if cut is None else cut + len(notice))


def render_translation(t: Translation) -> bytes:
    """The translation's PDF (what :func:`gvia.documents.render.render` gives for it)."""
    return render_composed(compose_translation(t))


def render_for_reader(build: Callable[[str], DocumentContext], reader: str, org_language: str) -> bytes:
    """One PDF of a document for a reader of ``reader`` (printed or downloaded: a letter on demand,
    a statement from the customer's page): ``build(language)`` gives the document's context in a
    language; the original in the language of record, then, for a reader of another language, its
    translation's pages (an e-mail carries them as two files instead)."""
    languages = languages_for(reader, org_language)
    original = build(languages.record)
    if languages.translation is None:
        return render(original)
    out = io.BytesIO()
    writer = PdfWriter()
    for part in (render(original), render_translation(Translation(original, languages.translation))):
        writer.append(io.BytesIO(part))
    writer.write(out)
    return out.getvalue()


def translation_email(t: Translation) -> EmailBody:
    """The translation as an e-mail body, without the notice in the original's language (the
    same subject rule as :func:`gvia.documents.emailbody.email_body`)."""
    c = compose_translation(replace(t, record_notice=False))
    return EmailBody(subject=strip_bidi(c.subject), text=to_text(c), html=to_html(c))


def translation_file_title(title: str, language: str) -> str:
    """A translation's file title in ``language``: "<title> – courtesy translation"."""
    return texts(language)("translation.file", title=title)


__all__ = ["RECORD_LANGUAGES", "DEFAULT_RECORD", "Languages", "languages_for", "translated", "Translation",
           "compose_translation", "render_translation", "render_for_reader", "translation_email",
           "translation_file_title"]

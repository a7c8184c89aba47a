"""PDFs the pages show or hand out, rendered on request and never stored:

* :func:`message_pdf` — an outbox message as it would go out today: its document, then each
  document it attaches, from the same contexts the dispatcher uses
  (:func:`gvia.services.sending.compose.message_contexts`), so the preview is what the customer gets
  (amounts as the ledger stands now, the free text, the deadline its stage gives);
* :func:`statement_pdf` — the customer's statement of account as of a day, in their language (for
  a reader of Arabic or Russian: the Hebrew original, then its courtesy translation,
  :func:`gvia.documents.courtesy.render_for_reader`).

Both raise :class:`gvia.core.errors.Refused` when there is nothing to write about (a letter for
a customer who owes nothing any more), and ValidationFailed when the document lacks what it
must say (a warning before the Execution Office needs the organization's company number...):
:func:`refused` is the page that says which, instead of the PDF.
"""

from __future__ import annotations

import re
from datetime import date

from django.http import HttpResponse
from django.shortcuts import render

from gvia.core.errors import GviaError
from gvia.documents.courtesy import render_for_reader
from gvia.documents.render import render as render_pdf
from gvia.services.context import Ctx
from gvia.services.letters.content import statement_context
from gvia.services.sending.compose import merge_pdfs, message_contexts
from gvia.store.models import Customer, OutboxMessage

from . import i18n, words


def message_pdf(ctx: Ctx, msg: OutboxMessage, today: date) -> bytes:
    return merge_pdfs([render_pdf(c) for c in message_contexts(ctx, msg, msg.customer, today)])


def statement_pdf(ctx: Ctx, customer: Customer, as_of: date) -> bytes:
    return render_for_reader(lambda lang: statement_context(ctx, customer, as_of, lang),
                             customer.language or ctx.org.default_language, ctx.org.default_language)


def refused(request, exc: GviaError, customer: Customer) -> HttpResponse:
    """Why the PDF cannot be produced, every problem listed (409)."""
    lang = i18n.normalize(getattr(request, "LANGUAGE_CODE", "he"))
    found = getattr(exc, "problems", [])
    problems = [words.problem_line(p, lang) for p in found]
    reason = i18n.text("pdf.refused_problems", lang) if found else words.refusal_text(exc, lang)
    return render(request, "gvia/pdf_refused.html", {"reason": reason,
                                                     "problems": problems, "c": customer}, status=409)


def file_name(*parts: str) -> str:
    """A download name of plain characters: "statement-C001-2026-03-15.pdf"."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", "-".join(p for p in parts if p)) + ".pdf"

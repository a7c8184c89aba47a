"""Documents: letters, statements, payment plans, settlements, case files and print
batches as PDFs (Typst), and the e-mail bodies of the same documents.

No database here: callers pass the plain dataclasses of :mod:`gvia.documents.model`.

>>> from gvia.documents import render, email_body, samples
>>> pdf = render(samples.sample_letter("warning_letter", "he"))
>>> mail = email_body(samples.sample_letter("reminder", "en"))

How it fits together: :mod:`.compose` turns a context into words and numbers once
(texts from the ``documents`` gettext catalogs, :mod:`.wording`; formatting from
:mod:`gvia.core.formatting`); :mod:`.render` draws that with ``templates/document.typ``;
:mod:`.emailbody` writes the same thing as an e-mail; :mod:`.casefile` and :mod:`.batch`
assemble several documents. The legal figures the letters print (the Execution Office's
notice period, the Pre-Action Protocol's reply period) are the core's,
:mod:`gvia.core.legal_rules`.
"""

from . import samples
from .batch import BatchFailed, Posting, assemble_print_batch, print_batch, render_many
from .casefile import CheckItem, build_casefile, checklist, compose_casefile
from .compose import Composed, compose
from .emailbody import EmailBody, email_body
from .envelope import ENVELOPES, Envelope
from .legal import DEBT_ADVICE, DebtAdvice
from .model import (
    ATTACHMENT_KINDS,
    CHANNELS,
    DOCUMENTS,
    LETTER_DOCUMENTS,
    Attachment,
    BankAccount,
    CallRecord,
    CaseFileContext,
    Debtor,
    DocumentContext,
    ExtraLine,
    Installment,
    InvoiceLine,
    LetterContext,
    Letterhead,
    PlanContext,
    PromiseRecord,
    SentMessage,
    SettlementContext,
    StatementContext,
)
from .render import RenderFailed, render
from .wording import languages

__all__ = [
    "render", "render_many", "print_batch", "assemble_print_batch", "Posting", "email_body", "build_casefile",
    "checklist",
    "compose", "compose_casefile", "samples",
    "EmailBody", "Composed", "CheckItem", "BatchFailed", "RenderFailed",
    "Envelope", "ENVELOPES", "DebtAdvice", "DEBT_ADVICE",
    "DOCUMENTS", "LETTER_DOCUMENTS", "languages", "CHANNELS", "ATTACHMENT_KINDS",
    "BankAccount", "Letterhead", "Debtor", "InvoiceLine", "ExtraLine", "LetterContext",
    "StatementContext", "Installment", "PlanContext", "SettlementContext", "DocumentContext",
    "SentMessage", "CallRecord", "PromiseRecord", "Attachment", "CaseFileContext",
]

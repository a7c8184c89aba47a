"""Many documents at once: across processes, or as one print batch for the post.

:func:`render_many` renders documents on several processes (one Typst compiler per
process, built once). Workers are started with the "forkserver" method where the
platform has it (else "spawn"), never with a plain fork of a process that may already
run Typst's threads. Results come back in the order of the contexts; ``progress(done)``
is called in the calling process as each one arrives.

:func:`print_batch` lays the day's paper letters out as one PDF for window envelopes
(every letter uses the envelope layout of its letterhead, see
:mod:`gvia.documents.envelope`), each letter starting on a new sheet when printing on both
sides, and ends with a posting list: one row per letter with a blank column to write the
registered-mail number in, which is then recorded with ``gvia mail registered``.
A print batch belongs to one organization; the posting list uses the first letter's
letterhead and the organization's language. :func:`assemble_print_batch` makes the same
batch from letters already rendered (the copies kept as proof of what was sent), for
letters rendered earlier in the day by the dispatcher.
"""

from __future__ import annotations

import io
import multiprocessing as mp
import os
from dataclasses import dataclass, replace
from datetime import date
from types import SimpleNamespace
from typing import Callable, Sequence

from pypdf import PdfReader, PdfWriter

from gvia.core.errors import FieldProblem, GviaError, ValidationFailed
from gvia.core.formatting import parse_locale

from .compose import Cell, Column, Composed, DocFormat, Para, Row, Table, compose, frame
from .model import Debtor, DocumentContext, Letterhead
from .render import compile_pdf, compiler, render, typst_doc

Progress = Callable[[int], None]


class BatchFailed(GviaError):
    """A document of a batch could not be rendered; ``index`` says which."""

    def __init__(self, index: int, error: BaseException) -> None:
        self.index = index
        self.error = error
        super().__init__(f"document {index} of the batch failed: {error}")


def _warm() -> None:
    compiler()


@dataclass(frozen=True)
class _Failed:
    """An error on its way back from a worker process: ValidationFailed does not survive
    pickling as it is (its arguments are not its constructor's), so it travels as its parts."""

    kind: type
    args: tuple

    @classmethod
    def of(cls, e: GviaError) -> "_Failed":
        if isinstance(e, ValidationFailed):
            return cls(ValidationFailed, (list(e.problems), e.summary))
        return cls(type(e), e.args)

    def error(self) -> GviaError:
        return self.kind(*self.args)


def _render_one(ctx: DocumentContext) -> bytes | _Failed:
    try:
        return render(ctx)
    except GviaError as e:
        return _Failed.of(e)


def _mp_context():
    methods = mp.get_all_start_methods()
    if "forkserver" in methods:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["gvia.documents.render"])
        return ctx
    return mp.get_context("spawn")


def render_many(ctxs: Sequence[DocumentContext], *, processes: int | None = None,
                progress: Progress | None = None,
                errors: str = "raise") -> list[bytes | GviaError]:
    """The PDF of every context, in order, rendered on ``processes`` processes
    (default: all cores; 1 renders here, without starting any).

    ``errors="raise"`` raises :class:`BatchFailed` for the first document that fails
    (after the others finished); ``errors="return"`` puts the error (a GviaError, e.g.
    ValidationFailed) in its place in the list.
    """
    if errors not in ("raise", "return"):
        raise ValueError("errors must be 'raise' or 'return'")
    n = len(ctxs)
    procs = max(1, min(processes or os.cpu_count() or 1, n))
    results: list[bytes | GviaError] = []
    if procs == 1:
        for i, ctx in enumerate(ctxs):
            res = _render_one(ctx)
            results.append(res.error() if isinstance(res, _Failed) else res)
            if progress:
                progress(i + 1)
    else:
        chunk = max(1, min(16, n // (procs * 8)))
        with _mp_context().Pool(procs, initializer=_warm) as pool:
            for i, res in enumerate(pool.imap(_render_one, ctxs, chunksize=chunk)):
                results.append(res.error() if isinstance(res, _Failed) else res)
                if progress:
                    progress(i + 1)
    if errors == "raise":
        for i, result in enumerate(results):
            if isinstance(result, GviaError):
                raise BatchFailed(i, result)
    return results


@dataclass(frozen=True, kw_only=True)
class Posting:
    """One envelope of a print batch, as the posting list shows it."""

    reference: str
    debtor: Debtor
    registered: bool = False


def posting_for(ctx: DocumentContext) -> Posting:
    return Posting(reference=ctx.reference, debtor=ctx.debtor,
                   registered=bool(getattr(ctx, "registered_mail", False)))


def _posting_list(postings: Sequence[Posting], letterhead: Letterhead, when: date) -> Composed:
    language = "he" if parse_locale(letterhead.locale).language == "he" else "en"
    f = DocFormat(language, letterhead.locale)
    t = f.t
    rows = []
    for i, ps in enumerate(postings, 1):
        d = ps.debtor
        rows.append(Row((Cell(f.count(i)), Cell(f.ltr(ps.reference)), Cell(f.name(d.name)),
                         Cell(", ".join(f.name(a) for a in d.address_lines)),
                         Cell(t("labels.yes") if ps.registered else t("labels.no")),
                         Cell(""))))
    table = Table((Column(t("posting.col_number"), width="7mm"),
                   Column(t("posting.col_reference"), width="26mm"),
                   Column(t("posting.col_recipient"), width="1fr"),
                   Column(t("posting.col_address"), width="1.6fr"),
                   Column(t("posting.col_registered"), width="13mm"),
                   Column(t("posting.col_tracking"), width="32mm")), tuple(rows))
    intro = Para(tuple(t.runs("posting.intro", len(rows), count=f.count(len(rows)))))
    head = SimpleNamespace(letterhead=letterhead, debtor=postings[0].debtor, reference="", as_of=when)
    title = t("posting.title", date=f.date(when))
    c = frame(f, head, document="posting_list", subject=title, title=title, blocks=[intro, table],
              layout="report", title_prefix=False)
    return replace(c, meta=(), running_head=c.subject)


def _nothing() -> ValidationFailed:
    return ValidationFailed([FieldProblem(None, "letters", "", "no letters to print")])


def print_batch(ctxs: Sequence[DocumentContext], *, duplex: bool = False,
                posting_list: bool = True, when: date | None = None) -> bytes:
    """One PDF with every letter laid out for a window envelope (see the module doc).

    ``duplex``: each letter starts on an odd page, so no sheet carries two letters.
    ``when``: the posting date printed on the posting list (default: the latest letter date).
    """
    if not ctxs:
        raise _nothing()
    letters = [compose(c) for c in ctxs]
    when = when or max(c.as_of for c in ctxs)
    docs = [typst_doc(c) for c in letters]
    if posting_list:
        docs.append(typst_doc(_posting_list([posting_for(c) for c in ctxs], ctxs[0].letterhead, when)))
    first = letters[0]
    return compile_pdf(docs, title=first.sender.name, author=first.author, when=when, duplex=duplex)


def assemble_print_batch(letters: Sequence[tuple[Posting, bytes]], letterhead: Letterhead, when: date, *,
                         duplex: bool = False, posting_list: bool = True) -> bytes:
    """One PDF from letters already rendered (the stored copies of what was sent, so that
    what is printed is exactly what was kept as proof), each envelope's PDF in turn, then
    the posting list. ``duplex``: a blank page after a letter with an odd number of pages."""
    if not letters:
        raise _nothing()
    writer = PdfWriter()
    for _posting, pdf in letters:
        writer.append(PdfReader(io.BytesIO(pdf)))
        if duplex and len(writer.pages) % 2:
            last = writer.pages[-1].mediabox
            writer.add_blank_page(width=last.width, height=last.height)
    if posting_list:
        c = _posting_list([ps for ps, _ in letters], letterhead, when)
        writer.append(PdfReader(io.BytesIO(compile_pdf([typst_doc(c)], title=c.subject, author=c.author,
                                                       when=when))))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


__all__ = ["BatchFailed", "Posting", "posting_for", "render_many", "print_batch", "assemble_print_batch"]

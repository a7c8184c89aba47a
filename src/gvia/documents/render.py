"""PDF from a composed document, with Typst.

One compiler per thread (and process), built once from ``templates/document.typ``
(building it from bytes breaks on the second compile) with the fonts of
:mod:`gvia.documents.fonts` only and system fonts ignored. The file system root is "/" so
that a letterhead's logo can be read from where it is stored. No ``@preview`` packages:
nothing is downloaded when a document is compiled.

Each document's data goes in as JSON through a file of the compiler's own, written just
before the compile and removed just after; ``sys.inputs`` only names that file and never
changes. Changing ``sys.inputs`` at every compile would rebuild Typst's standard library
each time, and everything Typst memoizes is keyed on the library: the template's parts
would be evaluated again and nothing laid out for one letter could serve the next.

The PDF's creation date is the document's date, so the same context always gives the
same bytes (useful for checksums of stored letters and for tests).
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
import threading
from datetime import date, datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any, Sequence, cast

import typst

from gvia.core.errors import FieldProblem, GviaError, ValidationFailed
from gvia.core.formatting import strip_bidi

from .compose import (
    Checklist,
    Choices,
    Composed,
    Heading,
    Image,
    Items,
    PageBreak,
    Pairs,
    Para,
    Qr,
    Signature,
    Signatures,
    Table,
    WriteIn,
    compose,
)
from .fonts import font_stack, typst_fonts
from .model import DocumentContext

TEMPLATE = "document.typ"

_local = threading.local()


class RenderFailed(GviaError):
    """Typst could not compile a document (a bug in a template, not in the data)."""


def _template_path() -> str:
    return str(resources.files("gvia.documents").joinpath("templates").joinpath(TEMPLATE))


class _Compiler:
    """A Typst compiler and the path of the data file it reads (see the module's doc)."""

    def __init__(self) -> None:
        fd, self.data_path = tempfile.mkstemp(prefix="gvia-typst-", suffix=".json")
        os.close(fd)
        os.unlink(self.data_path)
        self.pid = os.getpid()
        self.typst = typst.Compiler(_template_path(), root="/", font_paths=typst_fonts(),
                                    ignore_system_fonts=True,
                                    sys_inputs={"data-file": self.data_path})

    def compile(self, data: bytes, *, timestamp: datetime) -> bytes:
        fd = os.open(self.data_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            # one PDF document: bytes (a list of bytes is what per-page image formats give)
            return cast(bytes, self.typst.compile(format="pdf", timestamp=timestamp))
        finally:
            os.unlink(self.data_path)


def compiler() -> _Compiler:
    """This thread's compiler for the template (built on first use, and again in a
    forked child, which must not share its parent's data file)."""
    c = getattr(_local, "compiler", None)
    if c is None or c.pid != os.getpid():
        c = _Compiler()
        _local.compiler = c
    return c


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _runs(runs) -> list[list[Any]]:
    """Runs for the template; an e-mail address inside a run becomes a run of its own that
    is never broken across lines (Typst would break it at a hyphen)."""
    out: list[list[Any]] = []
    for r in runs:
        if r.link:
            out.append([r.text, r.bold, strip_bidi(r.text), False])
            continue
        at = 0
        for m in EMAIL.finditer(r.text):
            if m.start() > at:
                out.append([r.text[at:m.start()], r.bold, None, False])
            out.append([m.group(), r.bold, None, True])
            at = m.end()
        if at < len(r.text) or not out:
            out.append([r.text[at:], r.bold, None, False])
    return out


ZWSP = "\u200b"
_LONG_TOKEN = re.compile(r"\S{25,}")
_BREAK_AFTER = re.compile(r"([./@=:;_<>-])")
_RUN_OF_16 = re.compile(r"[^\u200b]{16}(?=[^\u200b])")


def breakable(text: str) -> str:
    """``text`` with places where a long token without spaces (a server's reply, a message id,
    an e-mail address: proof strings in a table cell) may wrap: a zero-width space after its
    punctuation, and after every 16 characters that have none, so it never runs off the page."""
    def places(m: re.Match[str]) -> str:
        token = _BREAK_AFTER.sub(lambda x: x.group(1) + ZWSP, m.group(0))
        return _RUN_OF_16.sub(lambda x: x.group(0) + ZWSP, token)

    return _LONG_TOKEN.sub(places, text)


def _block(b) -> dict[str, Any]:
    if isinstance(b, Para):
        return {"k": "p", "r": _runs(b.runs), "s": b.style}
    if isinstance(b, Heading):
        return {"k": "h", "t": b.text, "l": b.level}
    if isinstance(b, Table):
        return {"k": "table", "form": b.form,
                "cols": [{"t": c.title, "a": c.align, "w": c.width} for c in b.columns],
                "rows": [{"s": r.style, "c": [[breakable(c.text), c.span, c.page_after_end] for c in r.cells]}
                         for r in b.rows]}
    if isinstance(b, Pairs):
        return {"k": "pairs", "t": b.title, "items": [list(x) for x in b.items]}
    if isinstance(b, Items):
        return {"k": "items", "items": [_runs(x) for x in b.items]}
    if isinstance(b, Signature):
        return {"k": "sig", "lines": list(b.lines)}
    if isinstance(b, Signatures):
        return {"k": "sigs", "parties": [list(p) for p in b.parties],
                "labels": [x for x in (b.name_label, b.signature_label, b.date_label) if x]}
    if isinstance(b, Checklist):
        return {"k": "check", "items": [[ok, text] for ok, text in b.items]}
    if isinstance(b, Choices):
        return {"k": "choices", "items": [[_runs(runs), blank] for runs, blank in b.options]}
    if isinstance(b, WriteIn):
        return {"k": "write", "t": b.label, "n": b.lines}
    if isinstance(b, PageBreak):
        return {"k": "pb"}
    if isinstance(b, Image):
        return {"k": "img", "path": b.path, "caption": b.caption}
    if isinstance(b, Qr):
        return {"k": "qr", "svg": qr_svg(b.url), "r": _runs(b.runs)}
    raise TypeError(f"unknown block {type(b).__name__}")


def qr_svg(url: str) -> str:
    """``url`` as a QR code (segno; error correction M, no quiet zone: the template leaves the margin), SVG."""
    import segno

    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", xmldecl=False, svgns=True, nl=False, border=0)
    return out.getvalue().decode("ascii")


def _logo(path: str | None) -> str | None:
    """The logo's absolute path (Typst's root is "/"); ValidationFailed if it is missing."""
    if not path:
        return None
    p = Path(path).expanduser().resolve()
    if not p.is_file():
        raise ValidationFailed([FieldProblem(None, "letterhead.logo_path", str(path),
                                             "logo file not found")])
    return str(p)


def typst_doc(c: Composed, *, marks: bool = True) -> dict[str, Any]:
    """The JSON the template reads for one document."""
    e = c.envelope
    return {
        "layout": c.layout,
        "lang": c.language,
        "rtl": c.rtl,
        "paper": e.paper,
        "env": {"wx": e.window_x, "wy": e.window_y, "ww": e.window_w, "wh": e.window_h,
                "notes": e.notes_h, "ix": e.info_x, "iy": e.info_y, "iw": e.info_w,
                "body": e.body_y, "folds": list(e.folds)},
        "fonts": {"body": font_stack(c.body_font, "body_font"),
                  "heading": font_stack(c.heading_font, "heading_font")},
        "accent": c.accent,
        "title": c.title,
        "title_prefix": c.title_prefix,
        "sender": {"name": c.sender.name, "lines": list(c.sender.lines),
                   "return": c.sender.return_line, "logo": _logo(c.sender.logo)},
        "recipient": list(c.recipient),
        "notice": c.notice,
        "meta": [list(m) for m in c.meta],
        "blocks": [_block(b) for b in c.blocks],
        "footer": c.footer,
        "head": c.running_head,
        "page_label": c.page_label,
        "extra_pages": c.extra_pages,
        "marks": marks and c.layout == "letter",
    }


def compile_pdf(docs: Sequence[dict[str, Any]], *, title: str, author: str, when: date,
                duplex: bool = False) -> bytes:
    """Compile documents (from :func:`typst_doc`) into one PDF."""
    data = {"docs": list(docs), "title": title, "author": [author] if author else [],
            "date": [when.year, when.month, when.day], "duplex": duplex}
    stamp = datetime(when.year, when.month, when.day, tzinfo=timezone.utc)
    try:
        pdf = compiler().compile(json.dumps(data, ensure_ascii=False).encode(), timestamp=stamp)
    except typst.TypstError as e:  # pragma: no cover - a template bug
        raise RenderFailed(f"Typst failed: {e.message}\n{e.diagnostic}") from e
    return pdf


def render_composed(c: Composed) -> bytes:
    return compile_pdf([typst_doc(c)], title=c.subject, author=c.author, when=c.as_of)


def render(ctx: DocumentContext) -> bytes:
    """The PDF of one document (any context: letter, statement, plan, settlement).

    Raises :class:`~gvia.core.errors.ValidationFailed` when the context lacks something
    the document needs (see :mod:`gvia.documents.checks`).
    """
    return render_composed(compose(ctx))


__all__ = ["RenderFailed", "compiler", "typst_doc", "compile_pdf", "render_composed", "render"]

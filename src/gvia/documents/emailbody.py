"""The e-mail version of a document, from the same composed text as its PDF.

:func:`email_body` composes the document (:func:`gvia.documents.compose.compose`) and
writes it as plain text and as HTML: the same title, sentences, table rows, amounts,
payment details and signature, so an e-mail and its PDF never disagree.

Blocks a document marks as PDF-only (the forms annexed to a letter of claim) are left
out: the e-mail carries the letter, and its PDF goes with it as an attachment.

HTML is a single centred column with inline styles (mail clients ignore style sheets),
``dir="rtl"`` and right alignment for Hebrew. Bidi isolates in the text become
``<span dir="ltr">`` / ``<span dir="rtl">`` (the direction of a first-strong isolate is
decided here, since some clients ignore ``dir="auto"``); links become ``<a>``. The plain
text keeps the isolate characters, which mail clients honour, so invoice numbers and
amounts stay in place inside Hebrew sentences.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from gvia.core.formatting import FSI, LRI, PDI, RLI, has_rtl, strip_bidi

from .compose import (
    Checklist,
    Choices,
    Composed,
    Heading,
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
from .model import DocumentContext
from .wording import Run


@dataclass(frozen=True)
class EmailBody:
    subject: str
    text: str
    html: str


# --- plain text ----------------------------------------------------------------------

def _runs_text(runs: tuple[Run, ...]) -> str:
    return "".join(r.text for r in runs)


def _table_text(b: Table) -> list[str]:
    lines = [" | ".join(c.title for c in b.columns)]
    for r in b.rows:
        lines.append(" | ".join(c.text for c in r.cells if c.text))
    return lines


def to_text(c: Composed) -> str:
    """The document as plain text: paragraphs separated by blank lines."""
    out: list[str] = [f"{c.title_prefix} {c.title}".strip()]
    for b in c.email_blocks:
        if isinstance(b, (Para, Qr)):            # a link's QR code is for paper: its sentence only
            out.append(_runs_text(b.runs))
        elif isinstance(b, Heading):
            out.append(b.text)
        elif isinstance(b, Table):
            out.append("\n".join(_table_text(b)))
        elif isinstance(b, Pairs):
            lines = [b.title] if b.title else []
            lines += [f"{label}: {value}" if label else value for label, value in b.items]
            out.append("\n".join(lines))
        elif isinstance(b, Items):
            out.append("\n".join(f"{i}. {_runs_text(x)}" for i, x in enumerate(b.items, 1)))
        elif isinstance(b, Signature):
            out.append("\n".join(b.lines))
        elif isinstance(b, Signatures):
            out.append("\n".join(f"{role}: {name}" for role, name in b.parties))
        elif isinstance(b, Checklist):
            out.append("\n".join(("[x] " if ok else "[ ] ") + t for ok, t in b.items))
        elif isinstance(b, Choices):
            out.append("\n".join("[ ] " + _runs_text(runs) + (" ____" if blank else "")
                                 for runs, blank in b.options))
        elif isinstance(b, WriteIn):
            out.append(f"{b.label} ____")
        elif isinstance(b, PageBreak):
            continue
    out.append("\n".join([c.sender.name, *c.sender.lines]))
    return "\n\n".join(x for x in out if x) + "\n"


# --- HTML ----------------------------------------------------------------------------

def _first_strong_rtl(text: str) -> bool:
    for ch in text:
        if ch.isalpha():
            return has_rtl(ch)
    return False


_ISOLATE_MARKS = re.compile(f"([{LRI}{RLI}{FSI}{PDI}])")


def html_inline(text: str) -> str:
    """Escape text for HTML, turning bidi isolates into spans with an explicit ``dir`` (the text
    between the marks escaped a run at a time, without its other bidi controls)."""
    out: list[str] = []
    depth = 0
    at = 0                                   # where the part begins in ``text``
    for k, part in enumerate(_ISOLATE_MARKS.split(text)):
        if k % 2 == 0:                       # text between two marks
            if part:
                out.append(html.escape(strip_bidi(part)))
        elif part == PDI:
            if depth:
                out.append("</span>")
                depth -= 1
        else:                                # an isolate opens: its text runs to the next PDI
            end = text.find(PDI, at + 1)
            inner = text[at + 1:end if end >= 0 else len(text)]
            rtl = _first_strong_rtl(inner) if part == FSI else part == RLI
            # a short left-to-right token (invoice number, reference, amount) never wraps
            keep = ' style="white-space:nowrap"' if part == LRI and len(inner) <= 40 else ""
            out.append(f'<span dir="{"rtl" if rtl else "ltr"}"{keep}>')
            depth += 1
        at += len(part)
    out.append("</span>" * depth)
    return "".join(out)


def tint(colour: str, keep: float) -> str:
    """``#rrggbb`` mixed with white, keeping ``keep`` of the colour (old clients lack rgba)."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))

    def mix(v: int) -> int:
        return round(255 - (255 - v) * keep)

    return f"#{mix(r):02x}{mix(g):02x}{mix(b):02x}"


def _runs_html(runs: tuple[Run, ...], accent: str) -> str:
    parts = []
    for r in runs:
        s = html_inline(r.text)
        if r.link:
            s = (f'<a href="{html.escape(strip_bidi(r.text), quote=True)}" '
                 f'style="color:{accent}">{s}</a>')
        if r.bold:
            s = f"<strong>{s}</strong>"
        parts.append(s)
    return "".join(parts)


def _table_html(b: Table, c: Composed, start: str, end: str) -> str:
    accent = c.accent
    head = "".join(
        f'<th style="text-align:{end if col.align == "end" else start};padding:6px 8px;'
        f'background:{tint(accent, 0.12)};color:{accent};font-size:13px">{html_inline(col.title)}</th>'
        for col in b.columns)
    rows = []
    for r in b.rows:
        cells, x = [], 0
        for cell in r.cells:
            col = b.columns[min(x, len(b.columns) - 1)]
            align = end if (col.align == "end" and cell.span == 1) else start
            weight = "font-weight:bold;" if r.style in ("total", "balance") else ""
            border = f"border-top:1.5px solid {accent};" if r.style == "total" else "border-top:1px solid #e3e6ea;"
            span = f' colspan="{cell.span}"' if cell.span > 1 else ""
            cells.append(f'<td{span} style="text-align:{align};padding:5px 8px;{border}{weight}'
                         f'font-size:13px">{html_inline(cell.text)}</td>')
            x += cell.span
        rows.append("<tr>" + "".join(cells) + "</tr>")
    d = "rtl" if c.rtl else "ltr"
    return (f'<table dir="{d}" role="presentation" cellspacing="0" cellpadding="0" '
            f'style="border-collapse:collapse;width:100%;margin:12px 0">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def to_html(c: Composed) -> str:
    """The document as a self-contained HTML e-mail body."""
    d = "rtl" if c.rtl else "ltr"
    start, end = ("right", "left") if c.rtl else ("left", "right")
    accent = c.accent
    parts: list[str] = [
        f'<h2 style="font-size:19px;color:{accent};margin:0 0 16px">'
        f"{html_inline(f'{c.title_prefix} {c.title}'.strip())}</h2>"]
    for b in c.email_blocks:
        if isinstance(b, (Para, Qr)):
            parts.append(f'<p style="margin:0 0 12px">{_runs_html(b.runs, accent)}</p>')
        elif isinstance(b, Heading):
            parts.append(f'<h3 style="font-size:16px;color:{accent};margin:18px 0 8px">'
                         f"{html_inline(b.text)}</h3>")
        elif isinstance(b, Table):
            parts.append(_table_html(b, c, start, end))
        elif isinstance(b, Pairs):
            rows = "".join(
                f'<tr><td style="padding:3px 0;color:#555;white-space:nowrap;padding-{end}:16px">'
                f"{html_inline(label)}</td><td style=\"padding:3px 0\">{html_inline(value)}</td></tr>"
                for label, value in b.items)
            title = (f'<div style="font-weight:bold;color:{accent};margin-bottom:6px">'
                     f"{html_inline(b.title)}</div>") if b.title else ""
            parts.append(f'<div style="background:{tint(accent, 0.06)};padding:10px 14px;margin:8px 0 14px;'
                         f'border-radius:3px">{title}<table dir="{d}" role="presentation" '
                         f'style="border-collapse:collapse;font-size:14px">{rows}</table></div>')
        elif isinstance(b, Items):
            items = "".join(f'<li style="margin-bottom:6px">{_runs_html(x, accent)}</li>' for x in b.items)
            parts.append(f'<ol style="margin:0 0 12px;padding-{start}:22px">{items}</ol>')
        elif isinstance(b, Signature):
            lines = "<br>".join(f"<strong>{html_inline(x)}</strong>" if i == 0 else html_inline(x)
                                for i, x in enumerate(b.lines))
            parts.append(f'<p style="margin:4px 0 12px">{lines}</p>')
        elif isinstance(b, Signatures):
            parts.append("".join(f"<p>{html_inline(role)}: {html_inline(name)}</p>"
                                 for role, name in b.parties))
        elif isinstance(b, Checklist):
            items = "".join(f"<li>{'&#10003;' if ok else '&#10007;'} {html_inline(t)}</li>"
                            for ok, t in b.items)
            parts.append(f"<ul>{items}</ul>")
        elif isinstance(b, Choices):
            items = "".join(f"<li>&#9744; {_runs_html(runs, accent)}</li>" for runs, _ in b.options)
            parts.append(f'<ul style="list-style:none;padding-{start}:0">{items}</ul>')
        elif isinstance(b, WriteIn):
            parts.append(f"<p>{html_inline(b.label)} ____</p>")
    footer = "<br>".join(html_inline(x) for x in (c.sender.name, *c.sender.lines))
    parts.append(f'<p style="margin:20px 0 0;padding-top:10px;border-top:1px solid #e3e6ea;'
                 f'font-size:12px;color:#666">{footer}</p>')
    body = "\n".join(parts)
    return (f'<!DOCTYPE html>\n<html lang="{c.language}" dir="{d}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(strip_bidi(c.subject))}</title></head>"
            f'<body style="margin:0;padding:0;background:#f4f6f8">'
            f'<div dir="{d}" style="max-width:640px;margin:0 auto;background:#ffffff;padding:24px 28px;'
            f"font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.55;color:#1d232a;"
            f'text-align:{start}">\n{body}\n</div></body></html>\n')


def email_body(ctx: DocumentContext) -> EmailBody:
    """Subject, plain text and HTML of the document, from the same texts as its PDF. The subject
    carries no bidi control characters: mail clients show them as boxes or spaces in a subject
    line (and list views cut them mid-isolate), and a subject line is laid out as one paragraph."""
    c = compose(ctx)
    return EmailBody(subject=strip_bidi(c.subject), text=to_text(c), html=to_html(c))


__all__ = ["EmailBody", "email_body", "to_text", "to_html", "html_inline"]

"""Text of a Typst PDF in logical (reading) order, for tests.

pypdf's own ``extract_text`` puts the words of a Hebrew line in visual order (left to
right), so "מכתב התראה" comes out as "התראהמכתב". Typst writes what is needed to recover
the logical order, and this reader uses exactly that, nothing guessed:

* text objects (``BT`` ... ``ET``) are written in reading order, one per bidi run;
* a right-to-left piece is wrapped in ``/ReversedChars BMC`` (PDF 32000, 14.8.2.3.3): its
  glyphs are in visual order, so its characters are reversed back, and consecutive
  reversed pieces inside one text object (written left to right) are put back in
  reading order;
* an ``/ActualText`` span replaces the glyphs under it (how Typst carries the invisible
  bidi isolates U+2066..U+2069).

Characters come from each font's ToUnicode CMap. A new line starts when the vertical
position changes. On one line, text objects whose extents (from the fonts' glyph widths)
touch, directly or through others, form one block, a sentence with its nested bidi runs;
blocks apart (table cells, a label and its value) are separated by a tab. :func:`normalise` then drops bidi control
characters and the zero-width spaces that let a long proof string wrap, folds white space and shows a tab as " | ",
so tests compare plain logical strings such as "INV-2026-0042 | 01/08/2026 | ₪12,345.67".
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from pypdf import PdfReader
from pypdf.generic import ContentStream

# bidi controls, and the zero-width spaces where a long token in a table cell may wrap
BIDI = dict.fromkeys(map(ord, "\u200b\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
TOUCH = 1.0  # points: runs closer than this belong to one piece of text


def _utf16(b: bytes) -> str:
    return b.decode("utf-16-be", errors="replace")


@dataclass
class _Font:
    chars: dict[bytes, str] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    default_width: float = 1000.0


def _font(font) -> _Font:
    """ToUnicode (2-byte code -> text) and glyph widths of a Type0 / Identity-H font."""
    f = _Font()
    tu = font.get("/ToUnicode")
    if tu is not None:
        data = tu.get_object().get_data().decode("latin-1")
        for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
            for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                f.chars[bytes.fromhex(src)] = _utf16(bytes.fromhex(dst))
        for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
            for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                a, b, d = int(lo, 16), int(hi, 16), int(dst, 16)
                for i in range(b - a + 1):
                    f.chars[(a + i).to_bytes(len(lo) // 2, "big")] = chr(d + i)
    desc = font.get("/DescendantFonts")
    if desc:
        cid = desc[0].get_object()
        f.default_width = float(cid.get("/DW", 1000))
        w = list(cid.get("/W", []))
        i = 0
        while i < len(w):
            first = int(w[i])
            nxt = w[i + 1].get_object() if hasattr(w[i + 1], "get_object") else w[i + 1]
            if isinstance(nxt, list):
                for k, width in enumerate(nxt):
                    f.widths[first + k] = float(width)
                i += 2
            else:
                for c in range(first, int(nxt) + 1):
                    f.widths[c] = float(w[i + 2])
                i += 3
    return f


def _raw(operand) -> bytes:
    if isinstance(operand, bytes):
        return bytes(operand)
    ob = getattr(operand, "original_bytes", None)
    return ob if ob is not None else str(operand).encode("latin-1")


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) or hasattr(x, "as_numeric")


@dataclass
class _Group:
    """One text object: its pieces (text, reversed?) and its horizontal extent."""

    y: float
    pieces: list[tuple[str, bool]] = field(default_factory=list)
    x0: float = float("inf")
    x1: float = float("-inf")

    def text(self) -> str:
        out: list[str] = []
        i = 0
        while i < len(self.pieces):
            if self.pieces[i][1]:
                j = i
                while j < len(self.pieces) and self.pieces[j][1]:
                    j += 1
                out.extend(t for t, _ in reversed(self.pieces[i:j]))
                i = j
            else:
                out.append(self.pieces[i][0])
                i += 1
        return "".join(out)


def _groups(page, reader) -> list[_Group]:
    fonts = {name: _font(f.get_object()) for name, f in (page["/Resources"].get("/Font") or {}).items()}
    ops = ContentStream(page.get_contents(), reader).operations
    groups: list[_Group] = []
    cur: _Group | None = None
    stack: list[dict] = []
    cm = [(0.0, 0.0)]
    tm = (0.0, 0.0)
    font, size = _Font(), 1.0

    def emit(parts) -> None:
        nonlocal cur
        x = cm[-1][0] + tm[0]
        y = cm[-1][1] + tm[1]
        if cur is None:
            cur = _Group(y)
        codes, text, width = [], [], 0.0
        for part in parts:
            if _is_number(part):
                width -= float(part) / 1000 * size
                continue
            raw = _raw(part)
            for i in range(0, len(raw) - 1, 2):
                code = raw[i:i + 2]
                text.append(font.chars.get(code, "\ufffd"))
                width += font.widths.get(int.from_bytes(code, "big"), font.default_width) / 1000 * size
                codes.append(code)
        cur.x0, cur.x1 = min(cur.x0, x), max(cur.x1, x + width)
        actual = next((m for m in reversed(stack) if m["actual"] is not None), None)
        rev = any(m["rev"] for m in stack)
        if actual is not None:
            if not actual["emitted"]:
                actual["emitted"] = True
                cur.pieces.append((actual["actual"], rev))
            return
        s = "".join(text)
        cur.pieces.append((s[::-1] if rev else s, rev))

    for operands, op in ops:
        if op == b"q":
            cm.append(cm[-1])
        elif op == b"Q":
            cm.pop()
        elif op == b"cm":
            cm[-1] = (float(operands[4]), float(operands[5]))
        elif op == b"BT":
            cur = None
        elif op == b"ET":
            if cur is not None and cur.pieces:
                groups.append(cur)
            cur = None
        elif op == b"Tm":
            tm = (float(operands[4]), float(operands[5]))
        elif op == b"Tf":
            font, size = fonts.get(operands[0], _Font()), float(operands[1])
        elif op in (b"BDC", b"BMC"):
            props = operands[1] if op == b"BDC" and len(operands) > 1 else {}
            actual = props.get("/ActualText") if hasattr(props, "get") else None
            stack.append({"rev": operands[0] == "/ReversedChars", "emitted": False,
                          "actual": str(actual) if actual is not None else None})
        elif op == b"EMC":
            if stack:
                stack.pop()
        elif op == b"Tj":
            emit([operands[0]])
        elif op == b"TJ":
            emit(list(operands[0]))
    return groups


def _blocks(line: list[_Group]) -> list[int]:
    """For each text object of one line, the number of the block it belongs to: text
    objects whose extents touch, directly or through others, form one block (a sentence
    with its nested right-to-left and left-to-right runs); blocks are apart (table cells)."""
    order = sorted(range(len(line)), key=lambda i: line[i].x0)
    block = [0] * len(line)
    n, right = -1, float("-inf")
    for i in order:
        if line[i].x0 > right + TOUCH:
            n += 1
        block[i] = n
        right = max(right, line[i].x1)
    return block


def page_lines(page, reader, spans: list | None = None) -> list[str]:
    """The page's lines in reading order. With ``spans`` (a list), also appends
    ``(x, y, text)`` for every text object: x of its left edge and y of its baseline, in
    points from the page's top-left corner."""
    height = float(page.mediabox.height)
    lines: list[list[_Group]] = []
    for g in _groups(page, reader):
        if spans is not None:
            spans.append((g.x0, height - g.y, g.text()))
        if not lines or abs(g.y - lines[-1][-1].y) > 1.0:
            lines.append([g])
        else:
            lines[-1].append(g)
    out = []
    for line in lines:
        block = _blocks(line)
        parts = [line[0].text()]
        for i in range(1, len(line)):
            parts.append(("" if block[i] == block[i - 1] else "\t") + line[i].text())
        out.append("".join(parts))
    return out


def pdf_lines(pdf: bytes) -> list[str]:
    """Every line of every page, in reading order, bidi marks kept."""
    reader = PdfReader(io.BytesIO(pdf))
    out: list[str] = []
    for page in reader.pages:
        out += page_lines(page, reader)
    return out


def pdf_pages(pdf: bytes) -> list[str]:
    """The normalised text of each page."""
    reader = PdfReader(io.BytesIO(pdf))
    return [normalise("\n".join(page_lines(p, reader))) for p in reader.pages]


def pdf_spans(pdf: bytes, page: int = 0) -> list[tuple[float, float, str]]:
    """(x, y, text) of every text object on one page, in points from the top-left corner."""
    reader = PdfReader(io.BytesIO(pdf))
    spans: list = []
    page_lines(reader.pages[page], reader, spans)
    return spans


def normalise(text: str) -> str:
    """Without bidi controls, no-break spaces as spaces, white space folded (a tab between
    table cells becomes " | ")."""
    t = text.translate(BIDI).replace("\u00a0", " ")
    t = re.sub(r"[ \n]*\t[ \n]*", " | ", t)
    return re.sub(r"[ \n\r\f\v]+", " ", t).strip()


def pdf_text(pdf: bytes) -> str:
    """The whole document as one normalised string (lines joined by spaces)."""
    return normalise("\n".join(pdf_lines(pdf)))


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)

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
position changes; on one line, text that belongs to another structure element (another
table cell, a label and its value) is separated by a tab, read from the PDF's structure
tree (Typst writes tagged PDF). :func:`normalise` then drops bidi control characters and folds white
space, so tests compare plain logical strings.
"""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from pypdf.generic import ContentStream

BIDI = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


INLINE = frozenset({"/Span", "/Strong", "/Em", "/Link", "/Quote", "/Code", "/Annot"})


def _hex(s: str) -> bytes:
    return bytes.fromhex(s)


def _utf16(b: bytes) -> str:
    return b.decode("utf-16-be", errors="replace")


def _cmap(font) -> dict[bytes, str]:
    """The ToUnicode CMap of a Type0 font: 2-byte code -> text."""
    out: dict[bytes, str] = {}
    tu = font.get("/ToUnicode")
    if tu is None:
        return out
    data = tu.get_object().get_data().decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[_hex(src)] = _utf16(_hex(dst))
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            a, b, d = int(lo, 16), int(hi, 16), int(dst, 16)
            width = len(lo) // 2
            for i in range(b - a + 1):
                out[(a + i).to_bytes(width, "big")] = chr(d + i)
    return out


def _decode(raw: bytes, cmap: dict[bytes, str]) -> str:
    return "".join(cmap.get(raw[i:i + 2], "\ufffd") for i in range(0, len(raw) - 1, 2))


def _raw(operand) -> bytes:
    if isinstance(operand, bytes):
        return bytes(operand)
    ob = getattr(operand, "original_bytes", None)
    return ob if ob is not None else str(operand).encode("latin-1")


def _owners(reader) -> dict[tuple[int, int], int]:
    """(page object number, MCID) -> a number for the structure element holding it."""
    owners: dict[tuple[int, int], int] = {}
    root = reader.trailer["/Root"].get("/StructTreeRoot")
    if root is None:
        return owners
    counter = [0]

    def pg_num(ref, inherited):
        return ref.idnum if ref is not None and hasattr(ref, "idnum") else inherited

    def walk(node, pg, parent=0):
        node = node.get_object()
        if hasattr(node, "as_numeric") or isinstance(node, int):
            return
        pg = pg_num(node.get("/Pg"), pg)
        kids = node.get("/K")
        if kids is None:
            return
        kids = list(kids) if isinstance(kids, list) else [kids]
        if node.get("/S") in INLINE and parent:
            me = parent                   # bold text, a link: part of the same paragraph
        else:
            counter[0] += 1
            me = counter[0]
        for k in kids:
            obj = k.get_object() if hasattr(k, "get_object") else k
            if isinstance(obj, int):
                owners[(pg, int(obj))] = me
            elif hasattr(obj, "get") and "/MCID" in obj:
                owners[(pg_num(obj.get("/Pg"), pg), int(obj["/MCID"]))] = me
            elif hasattr(obj, "get"):
                walk(obj, pg, me)

    walk(root, None)
    return owners


def page_lines(page, reader, owners: dict | None = None, spans: list | None = None) -> list[str]:
    """The page's lines in reading order. With ``spans`` (a list), also appends
    ``(x, y, text)`` for every text object: x of its left edge and y of its baseline, in
    points from the page's top-left corner."""
    owners = owners or {}
    height = float(page.mediabox.height)
    page_num = page.indirect_reference.idnum if page.indirect_reference else None
    fonts = {name: _cmap(f.get_object())
             for name, f in (page["/Resources"].get("/Font") or {}).items()}
    ops = ContentStream(page.get_contents(), reader).operations
    lines: list[list[str]] = []
    last_y: float | None = None
    group: list[tuple[str, bool]] = []   # (text, reversed) pieces of one top-level span
    owner: int | None = None             # structure element of the current span
    last_owner: int | None = None
    stack: list[dict] = []               # marked content: {"rev", "actual", "emitted"}
    cm_y = [0.0]
    cm_x = [0.0]
    tm_y = 0.0
    cmap: dict[bytes, str] = {}

    def flush() -> None:
        nonlocal group, last_owner
        if not group:
            return
        out: list[str] = []
        i = 0
        while i < len(group):
            if group[i][1]:
                j = i
                while j < len(group) and group[j][1]:
                    j += 1
                out.extend(text for text, _ in reversed(group[i:j]))
                i = j
            else:
                out.append(group[i][0])
                i += 1
        text = "".join(out)
        if spans is not None:
            spans.append((cm_x[-1], height - (cm_y[-1] + tm_y), text))
        if not lines:
            lines.append([])
        if lines[-1] and owner is not None and last_owner is not None and owner != last_owner:
            text = "\t" + text
        lines[-1].append(text)
        last_owner = owner
        group = []

    def emit(text: str) -> None:
        nonlocal last_y, last_owner
        y = round(cm_y[-1] + tm_y, 1)
        if last_y is None or abs(y - last_y) > 1.0:
            flush()
            lines.append([])
            last_y = y
            last_owner = None
        actual = next((m for m in reversed(stack) if m["actual"] is not None), None)
        rev = any(m["rev"] for m in stack)
        if actual is not None:
            if not actual["emitted"]:
                actual["emitted"] = True
                group.append((actual["actual"], rev))
            return
        group.append((text[::-1] if rev else text, rev))

    for operands, op in ops:
        if op == b"q":
            cm_y.append(cm_y[-1])
            cm_x.append(cm_x[-1])
        elif op == b"Q":
            cm_y.pop()
            cm_x.pop()
        elif op == b"cm":
            cm_x[-1] = float(operands[4])
            cm_y[-1] = float(operands[5])
        elif op == b"Tm":
            tm_y = float(operands[5])
        elif op == b"Tf":
            cmap = fonts.get(operands[0], {})
        elif op in (b"BDC", b"BMC"):
            props = operands[1] if op == b"BDC" and len(operands) > 1 else {}
            actual = props.get("/ActualText") if hasattr(props, "get") else None
            if not stack:
                flush()
                mcid = props.get("/MCID") if hasattr(props, "get") else None
                owner = owners.get((page_num, int(mcid))) if mcid is not None else None
            stack.append({"rev": operands[0] == "/ReversedChars", "emitted": False,
                          "actual": str(actual) if actual is not None else None})
        elif op == b"EMC":
            if stack:
                stack.pop()
        elif op == b"ET":
            flush()
        elif op == b"Tj":
            emit(_decode(_raw(operands[0]), cmap))
        elif op == b"TJ":
            emit("".join(_decode(_raw(x), cmap) for x in operands[0] if not isinstance(x, (int, float))
                         and not hasattr(x, "as_numeric")))
    flush()
    return ["".join(parts) for parts in lines]


def pdf_lines(pdf: bytes) -> list[str]:
    """Every line of every page, in reading order, bidi marks kept."""
    reader = PdfReader(io.BytesIO(pdf))
    owners = _owners(reader)
    out: list[str] = []
    for page in reader.pages:
        out += page_lines(page, reader, owners)
    return out


def pdf_pages(pdf: bytes) -> list[str]:
    """The normalised text of each page."""
    reader = PdfReader(io.BytesIO(pdf))
    owners = _owners(reader)
    return [normalise(" ".join(page_lines(p, reader, owners))) for p in reader.pages]


def pdf_spans(pdf: bytes, page: int = 0) -> list[tuple[float, float, str]]:
    """(x, y, text) of every text object on one page, in points from the top-left corner."""
    reader = PdfReader(io.BytesIO(pdf))
    spans: list = []
    page_lines(reader.pages[page], reader, _owners(reader), spans)
    return spans


def normalise(text: str) -> str:
    """Without bidi controls, no-break spaces as spaces, white space folded (a tab between
    table cells becomes " | ")."""
    t = text.translate(BIDI).replace("\u00a0", " ")
    t = re.sub(r"[ \n]*\t[ \n]*", " | ", t)
    return re.sub(r"[ \n\r\f\v]+", " ", t).strip()


def pdf_text(pdf: bytes) -> str:
    """The whole document as one normalised string (lines joined by spaces)."""
    return normalise(" ".join(pdf_lines(pdf)))


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)

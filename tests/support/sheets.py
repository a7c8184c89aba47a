"""Spreadsheets made for tests: a real XLSX "zip bomb" — about 7.5 MB that unpacks to 1.9 GB.

Built in about two seconds: one megabyte of the same sheet rows is deflated once (ending with a
full flush, so the compressor starts afresh) and those compressed bytes are written 1,900 times;
zipfile computes the real CRC and sizes, so the archive is valid and unpacks for real (calamine
would read every row of it)."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '</Types>')
ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8"?>'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
             'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" xmlns:r="{RELS}">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?>'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                 'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
HEADER_ROW = ('<row r="1"><c r="A1" t="inlineStr"><is><t>customer_ref</t></is></c>'
              '<c r="B1" t="inlineStr"><is><t>invoice_number</t></is></c>'
              '<c r="C1" t="inlineStr"><is><t>issue_date</t></is></c>'
              '<c r="D1" t="inlineStr"><is><t>due_date</t></is></c>'
              '<c r="E1" t="inlineStr"><is><t>amount</t></is></c></row>')


class _Repeating:
    """A raw-deflate compressor that deflates ``chunk`` once and repeats those bytes."""

    def __init__(self, chunk: bytes):
        self.chunk, self.cache = chunk, None
        self.z = zlib.compressobj(9, zlib.DEFLATED, -15)

    def compress(self, data: bytes) -> bytes:
        if data is self.chunk:
            if self.cache is None:
                self.cache = self.z.compress(data) + self.z.flush(zlib.Z_FULL_FLUSH)
            return self.cache
        return self.z.compress(data) + self.z.flush(zlib.Z_FULL_FLUSH)

    def flush(self) -> bytes:
        return self.z.flush()


def _sheet_start(dimension: str | None) -> bytes:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">{dim}<sheetData>{HEADER_ROW}'.encode()


def write_xlsx(path: Path, *, sheet_body: bytes = b"", repeat: int = 0, chunk: bytes = b"",
               dimension: str | None = None) -> Path:
    """An XLSX with one sheet: the header row, ``sheet_body``, then ``chunk`` written ``repeat``
    times (deflated once, see the module)."""
    original = zipfile._get_compressor
    compressors: list[_Repeating] = []

    def repeating(*args, **kwargs):
        compressors.append(_Repeating(chunk))
        return compressors[-1]

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        zipfile._get_compressor = repeating
        try:
            with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
                f.write(_sheet_start(dimension) + sheet_body)
                for _ in range(repeat):
                    f.write(chunk)
                f.write(b"</sheetData></worksheet>")
        finally:
            zipfile._get_compressor = original
    return path


def zip_bomb(path: Path, gigabytes: float = 1.9) -> Path:
    """About 7.5 MB on disk, ``gigabytes`` unpacked: rows of five identical cells, ~1.9 GB of them."""
    row = b'<row><c t="n"><v>1</v></c><c t="n"><v>2</v></c><c t="n"><v>3</v></c><c t="n"><v>4</v></c>' \
          b'<c t="n"><v>5</v></c></row>'
    chunk = row * ((1 << 20) // len(row))
    return write_xlsx(path, repeat=int(gigabytes * 1000 * 1000 * 1000 / len(chunk)), chunk=chunk)


def rows_xlsx(path: Path, rows: int, *, declare: bool = True) -> Path:
    """A small, honest XLSX of ``rows`` invoice rows (with a ``<dimension>`` when ``declare``)."""
    body = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>C1</t></is></c><c r="B%d" t="inlineStr"><is><t>N%d</t></is>'
        b'</c><c r="C%d" t="inlineStr"><is><t>2026-01-01</t></is></c><c r="D%d" t="inlineStr"><is>'
        b'<t>2026-02-01</t></is></c><c r="E%d"><v>10</v></c></row>' % ((n,) * 4 + (n,) * 3)
        for n in range(2, rows + 2))
    return write_xlsx(path, sheet_body=body, dimension=f"A1:E{rows + 1}" if declare else None)

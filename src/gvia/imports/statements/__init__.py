"""Bank statements read into typed lines (issue 18): files → :class:`Statement`, no database.

:func:`read_statement` tells the format from the file's first bytes — CAMT.053 XML (``camt.py``,
pycamt), SWIFT MT940 (``swift.py``, mt-940), OFX (``ofx.py``, ofxparse) — and reads anything else
as a table, an Israeli bank's export by its layout or any other by the column mapping
(``banks.py``). A file that cannot be read, or any line of it, refuses the whole file with
problems naming the file, the row (a table's row, an entry's order) and the field; nothing is
half read. Each line's identity: :func:`lines.line_keys`.
"""

from __future__ import annotations

from pathlib import Path

from gvia.core.errors import NotFoundFor

from .banks import BANK_NAMES, LAYOUTS, bank_layout, detect_layout
from .lines import Statement, StatementLine, line_keys, refuse

__all__ = ["read_statement", "detect_format", "Statement", "StatementLine", "line_keys", "LAYOUTS",
           "BANK_NAMES", "bank_layout", "detect_layout", "MAX_STATEMENT_BYTES"]

#: A statement file larger than this is refused before it is read (a year of a busy account's
#: CAMT.053 is a few megabytes).
MAX_STATEMENT_BYTES = 50 * 1024 * 1024


def detect_format(head: bytes) -> str:
    """"camt053", "mt940", "ofx" or "table" from a file's first bytes."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:4096]
    low = text.lower()
    if b"ofxheader" in low or b"<ofx>" in low:
        return "ofx"
    if low.startswith(b"<?xml") or low.startswith(b"<document"):
        return "camt053" if b"camt.05" in low or b"bktocstmrstmt" in low else "xml"
    if b":20:" in text and (b":25:" in text or b":60f:" in low or b":61:" in text):
        return "mt940"
    return "table"


def read_statement(path: Path | str, *, bank: str | None = None, columns: dict[str, str] | None = None,
                   date_format: str | None = None, country: str = "IL", currency: str = "ILS",
                   account: str = "", decimal_comma: bool = False) -> Statement:
    """Read one statement file. ``bank`` chooses an Israeli bank's layout for a table (see
    :data:`LAYOUTS`); ``columns`` (``--column FIELD=HEADER``) and ``date_format`` serve a table
    without one (``decimal_comma``: a table writes 2500,00); ``currency`` and ``account`` are used
    where the file does not say them."""
    path = Path(path)
    if not path.is_file():
        raise NotFoundFor("no_such_file", f"no such file: {path}", path=str(path))
    size = path.stat().st_size
    if size > MAX_STATEMENT_BYTES:
        raise refuse(path.name, code="statement_too_big", message="the file is larger than a statement can be",
                     most=str(MAX_STATEMENT_BYTES // (1024 * 1024)))
    with open(path, "rb") as f:
        head = f.read(8192)
    fmt = detect_format(head)
    if fmt == "table":
        from .banks import read_table_statement
        return read_table_statement(path, bank=bank, columns=columns, date_format=date_format, country=country,
                                    currency=currency, account=account, decimal_comma=decimal_comma)
    data = path.read_bytes()
    if fmt == "camt053":
        from .camt import read_camt
        return read_camt(path, data, account)
    if fmt == "mt940":
        from .swift import read_mt940
        return read_mt940(path, data, account)
    if fmt == "ofx":
        from .ofx import read_ofx
        return read_ofx(path, data, account, currency)
    raise refuse(path.name, code="statement_unreadable",
                 message="an XML file that is not a CAMT.053 statement", format="XML")

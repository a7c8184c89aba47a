"""Write a generated demo business as three CSV files: customers, invoices, payments.

By default the files are what gvia's import reads without any mapping: UTF-8, canonical
field names as headers, ISO dates, amounts like "1250.00". For import tests the same data
can be written the way an Israeli accounting program exports it: Hebrew headers
(:data:`HEBREW_HEADERS`; the import then needs ``--column FIELD=HEADER`` for each),
Windows-1255 encoding, dates as ``%d/%m/%Y`` and amounts with thousands separators
("1,250.00"). Values such as ``kind`` and ``method`` stay canonical in every style.

All three files are written in one pass over the customers, so writing a million invoices
needs memory for one customer at a time. With ``workers`` > 1 the customers are split into
consecutive ranges written by that many processes and the parts joined in order: the files
are byte for byte the same as with one process, only sooner.
"""

from __future__ import annotations

import csv
import os
import shutil
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from .generator import CUSTOMER_FIELDS, INVOICE_FIELDS, PAYMENT_FIELDS, DemoData, DemoSpec

FILE_NAMES: dict[str, str] = {
    "customers": "customers.csv", "invoices": "invoices.csv", "payments": "payments.csv",
}
FIELDS: dict[str, tuple[str, ...]] = {
    "customers": CUSTOMER_FIELDS, "invoices": INVOICE_FIELDS, "payments": PAYMENT_FIELDS,
}

# The headers an Israeli accounting export uses, per file and canonical field.
HEBREW_HEADERS: dict[str, dict[str, str]] = {
    "customers": {
        "customer_ref": "מס' לקוח", "customer_name": "שם לקוח", "customer_tax_id": "מס' עוסק",
        "customer_email": "דואר אלקטרוני", "customer_phone": "טלפון", "customer_language": "שפה",
        "customer_type": "סוג לקוח", "customer_address": "כתובת", "contact_name": "איש קשר",
        "customer_claim_basis": "בסיס התביעה",
    },
    "invoices": {
        "customer_ref": "מס' לקוח", "customer_name": "שם לקוח", "kind": "סוג מסמך",
        "applies_to": "מסמך מקור", "invoice_number": "מס' חשבונית", "po_number": "מס' הזמנה",
        "issue_date": "תאריך", "due_date": "תאריך פירעון", "amount": "סכום", "open_amount": "יתרה",
        "currency": "מטבע", "description": "פרטים", "allocation_number": "מספר הקצאה",
    },
    "payments": {
        "customer_ref": "מס' לקוח", "date": "תאריך", "value_date": "תאריך ערך", "amount": "סכום",
        "currency": "מטבע", "method": "אמצעי תשלום", "cheque_number": "מס' שיק",
        "reference": "אסמכתא", "withholding": "ניכוי במקור", "invoice_number": "מס' חשבונית",
        "rate": "שער",
    },
}

_DATE_FIELDS = {"issue_date", "due_date", "date", "value_date"}
_AMOUNT_FIELDS = {"amount", "open_amount", "withholding"}
ENCODINGS = ("utf-8", "utf-8-sig", "windows-1255")


def with_thousands(amount: str) -> str:
    """"1250000.00" -> "1,250,000.00"."""
    if not amount:
        return amount
    whole, dot, frac = amount.partition(".")
    return f"{int(whole):,}{dot}{frac}"


@dataclass(frozen=True)
class _Style:
    """How the rows are written (everything but the header line)."""

    encoding: str
    date_format: str | None
    thousands: bool
    open_amount: bool


class _Reformat:
    """Rewrites the date and amount columns of one file's rows, when the style asks."""

    def __init__(self, fields: tuple[str, ...], style: _Style) -> None:
        self.dates = ([k for k, f in enumerate(fields) if f in _DATE_FIELDS]
                      if style.date_format else [])
        self.amounts = [k for k, f in enumerate(fields) if f in _AMOUNT_FIELDS] if style.thousands else []
        self.date_format = style.date_format or ""
        self._cache: dict[str, str] = {"": ""}

    @property
    def active(self) -> bool:
        return bool(self.dates or self.amounts)

    def _date(self, iso: str) -> str:
        out = self._cache.get(iso)
        if out is None:
            out = self._cache[iso] = date.fromisoformat(iso).strftime(self.date_format)
        return out

    def __call__(self, row: Sequence[str]) -> list[str]:
        out = list(row)
        for k in self.dates:
            out[k] = self._date(out[k])
        for k in self.amounts:
            out[k] = with_thousands(out[k])
        return out


def _write_rows(data: DemoData, start: int, stop: int, paths: dict[str, Path], style: _Style,
                mode: str, progress: Callable[[int], None] | None = None) -> None:
    """Append the rows of customers ``start`` to ``stop`` to the three files."""
    f_inv = _Reformat(INVOICE_FIELDS, style)
    f_pay = _Reformat(PAYMENT_FIELDS, style)
    drop = None if style.open_amount else INVOICE_FIELDS.index("open_amount")
    # a BOM only at the start of a whole file, never in a part
    encoding = "utf-8" if style.encoding == "utf-8-sig" and mode == "a" else style.encoding
    files = {name: open(paths[name], mode, encoding=encoding, newline="", errors="strict")
             for name in FILE_NAMES}
    try:
        w_cust, w_inv, w_pay = (csv.writer(files[n]) for n in FILE_NAMES)
        for done, b in enumerate(data.iter_bundles(start, stop), 1):
            w_cust.writerow(b.profile.row())
            invoices: Sequence[Sequence[str]] = b.invoices
            if f_inv.active:
                invoices = [f_inv(row) for row in invoices]
            if drop is not None:
                invoices = [(*row[:drop], *row[drop + 1:]) for row in invoices]
            w_inv.writerows(invoices)
            w_pay.writerows([f_pay(row) for row in b.payments] if f_pay.active else b.payments)
            if progress is not None:
                progress(done)
    finally:
        for f in files.values():
            f.close()


def _write_part(spec: DemoSpec, start: int, stop: int, paths: dict[str, Path],
                style: _Style) -> int:
    """In a worker process: write one range of customers into part files."""
    _write_rows(DemoData(spec), start, stop, paths, style, "w")
    return stop - start


def write_csv(data: DemoData, directory: str | Path, *, headers: str = "canonical",
              encoding: str = "utf-8", date_format: str | None = None, thousands: bool = False,
              open_amount: bool = True, workers: int = 1,
              progress: Callable[[int], None] | None = None) -> dict[str, Path]:
    """Write customers.csv, invoices.csv and payments.csv into ``directory`` (created if
    missing) and return their paths by name ("customers", "invoices", "payments").

    ``headers``: "canonical" (the import's field names) or "hebrew" (:data:`HEBREW_HEADERS`).
    ``encoding``: "utf-8", "utf-8-sig" (with BOM, as Excel writes) or "windows-1255".
    ``date_format``: a strftime format for the date columns (default ISO, "2025-03-02").
    ``thousands``: write amounts as "1,250.00". ``open_amount``: include the invoices'
    open_amount column (leave it out when the payments are imported too: gvia computes it).
    ``workers``: processes to write with (the output does not depend on it).
    ``progress`` is called with the number of customers written so far.
    """
    if headers not in ("canonical", "hebrew"):
        raise ValueError(f"headers must be 'canonical' or 'hebrew', not {headers!r}")
    if encoding not in ENCODINGS:
        raise ValueError(f"encoding must be one of {ENCODINGS}, not {encoding!r}")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a whole number >= 1, not {workers!r}")
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    style = _Style(encoding, date_format, thousands, open_amount)
    paths = {name: folder / FILE_NAMES[name] for name in FILE_NAMES}
    for name, path in paths.items():
        fields = [f for f in FIELDS[name] if open_amount or f != "open_amount"]
        line = [HEBREW_HEADERS[name][f] for f in fields] if headers == "hebrew" else fields
        with open(path, "w", encoding=encoding, newline="", errors="strict") as f:
            csv.writer(f).writerow(line)
    n = data.customer_count
    if workers == 1 or n < 2000:
        _write_rows(data, 0, n, paths, style, "a", progress)
        return paths
    chunks = workers * 2
    bounds = [n * k // chunks for k in range(chunks + 1)]
    parts = [{name: folder / f".{FILE_NAMES[name]}.part{k}" for name in FILE_NAMES}
             for k in range(chunks)]
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_write_part, data.spec, bounds[k], bounds[k + 1], parts[k],
                                   _Style("utf-8" if encoding == "utf-8-sig" else encoding,
                                          date_format, thousands, open_amount))
                       for k in range(chunks)]
            done = 0
            for future in as_completed(futures):
                done += future.result()
                if progress is not None:
                    progress(done)
        for name, path in paths.items():
            with open(path, "ab") as out:
                for part in parts:
                    with open(part[name], "rb") as piece:
                        shutil.copyfileobj(piece, out, 1 << 20)
    finally:
        for part in parts:
            for p in part.values():
                if p.exists():
                    os.remove(p)
    return paths

"""Write a generated demo business as three CSV files: customers, invoices, payments.

By default the files are what gvia's import reads without any mapping: UTF-8, canonical
field names as headers, ISO dates, amounts like "1250.00". For import tests the same data
can be written the way an Israeli accounting program exports it: Hebrew headers
(:data:`HEBREW_HEADERS`; the import then needs ``--column FIELD=HEADER`` for each),
Windows-1255 encoding, dates as ``%d/%m/%Y`` and amounts with thousands separators
("1,250.00"). Values such as ``kind`` and ``method`` stay canonical in every style.

All three files are written in one pass over the customers, so writing a million invoices
needs memory for one customer at a time.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Callable

from .generator import CUSTOMER_FIELDS, INVOICE_FIELDS, PAYMENT_FIELDS, DemoData

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
    },
    "invoices": {
        "customer_ref": "מס' לקוח", "customer_name": "שם לקוח", "kind": "סוג מסמך",
        "applies_to": "מסמך מקור", "invoice_number": "מס' חשבונית", "po_number": "מס' הזמנה",
        "issue_date": "תאריך", "due_date": "תאריך פירעון", "amount": "סכום", "open_amount": "יתרה",
        "currency": "מטבע", "description": "פרטים",
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


class _Reformat:
    """Rewrites the date and amount columns of rows of one file, when asked to."""

    def __init__(self, fields: tuple[str, ...], date_format: str | None, thousands: bool) -> None:
        self.dates = [k for k, f in enumerate(fields) if f in _DATE_FIELDS] if date_format else []
        self.amounts = [k for k, f in enumerate(fields) if f in _AMOUNT_FIELDS] if thousands else []
        self.date_format = date_format
        self._cache: dict[str, str] = {"": ""}

    @property
    def active(self) -> bool:
        return bool(self.dates or self.amounts)

    def _date(self, iso: str) -> str:
        out = self._cache.get(iso)
        if out is None:
            out = self._cache[iso] = date.fromisoformat(iso).strftime(self.date_format or "")
        return out

    def __call__(self, row: tuple[str, ...]) -> list[str]:
        out = list(row)
        for k in self.dates:
            out[k] = self._date(out[k])
        for k in self.amounts:
            out[k] = with_thousands(out[k])
        return out


def write_csv(data: DemoData, directory: str | Path, *, headers: str = "canonical",
              encoding: str = "utf-8", date_format: str | None = None, thousands: bool = False,
              open_amount: bool = True,
              progress: Callable[[int], None] | None = None) -> dict[str, Path]:
    """Write customers.csv, invoices.csv and payments.csv into ``directory`` (created if
    missing) and return their paths by name ("customers", "invoices", "payments").

    ``headers``: "canonical" (the import's field names) or "hebrew" (:data:`HEBREW_HEADERS`).
    ``encoding``: "utf-8", "utf-8-sig" (with BOM, as Excel writes) or "windows-1255".
    ``date_format``: a strftime format for the date columns (default ISO, "2025-03-02").
    ``thousands``: write amounts as "1,250.00". ``open_amount``: include the invoices'
    open_amount column (leave it out when the payments are imported too: gvia computes it).
    ``progress`` is called with the number of customers written so far, after each one.
    """
    if headers not in ("canonical", "hebrew"):
        raise ValueError(f"headers must be 'canonical' or 'hebrew', not {headers!r}")
    if encoding not in ENCODINGS:
        raise ValueError(f"encoding must be one of {ENCODINGS}, not {encoding!r}")
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    fields = dict(FIELDS)
    drop_open = None
    if not open_amount:
        drop_open = INVOICE_FIELDS.index("open_amount")
        fields["invoices"] = tuple(f for f in INVOICE_FIELDS if f != "open_amount")
    paths = {name: folder / FILE_NAMES[name] for name in FILE_NAMES}
    reformat = {name: _Reformat(FIELDS[name], date_format, thousands) for name in FILE_NAMES}
    files = {name: open(paths[name], "w", encoding=encoding, newline="", errors="strict")
             for name in FILE_NAMES}
    try:
        out = {name: csv.writer(f) for name, f in files.items()}
        for name, writer in out.items():
            names = fields[name]
            writer.writerow([HEBREW_HEADERS[name][f] for f in names] if headers == "hebrew"
                            else names)
        w_cust, w_inv, w_pay = out["customers"], out["invoices"], out["payments"]
        f_inv, f_pay = reformat["invoices"], reformat["payments"]
        for done, b in enumerate(data.iter_bundles(), 1):
            w_cust.writerow(b.profile.row())
            invoices = b.invoices
            if f_inv.active:
                invoices = [f_inv(row) for row in invoices]
            if drop_open is not None:
                invoices = [row[:drop_open] + row[drop_open + 1:] for row in invoices]
            w_inv.writerows(invoices)
            w_pay.writerows([f_pay(row) for row in b.payments] if f_pay.active else b.payments)
            if progress is not None:
                progress(done)
    finally:
        for f in files.values():
            f.close()
    return paths

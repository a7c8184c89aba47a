"""A deterministic demo business for gvia: see :mod:`gvia.demo.generator`."""

from .csvout import HEBREW_HEADERS, write_csv
from .generator import (
    BEHAVIOURS,
    CUSTOMER_FIELDS,
    INVOICE_FIELDS,
    PAYMENT_FIELDS,
    CustomerBundle,
    DemoData,
    generate,
)

__all__ = [
    "BEHAVIOURS", "CUSTOMER_FIELDS", "INVOICE_FIELDS", "PAYMENT_FIELDS", "CustomerBundle",
    "DemoData", "generate", "write_csv", "HEBREW_HEADERS",
]

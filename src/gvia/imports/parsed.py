"""The typed records an import file's rows are parsed into: :class:`CustomerRow`,
:class:`InvoiceRow` (a tuple of integer minor units, light enough for a million rows) and
:class:`PaymentRow`. The row parser (rows.py) and the column parser (columns.py) both build them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple, Union

from gvia.core.money import Money


@dataclass(frozen=True, slots=True)
class CustomerRow:
    """A customer as a file describes it. ``row`` is the first row it appears on."""

    row: int
    ref: str
    name: str | None = None
    tax_id: str | None = None
    email: str | None = None
    phone: str | None = None
    language: str | None = None   # "he" | "en"
    type: str | None = None       # business | sole_trader | consumer | public_body
    address: str | None = None
    contact_name: str | None = None
    claim_basis: str | None = None  # the written agreement on file
    vat_exempt: bool | None = None  # an exempt dealer (עוסק פטור); None: the file has no type
    large_business: bool | None = None  # a large buyer (the suppliers' payment law); None: not said


class _InvoiceFields(NamedTuple):
    row: int
    customer: CustomerRow
    invoice_number: str
    kind: str                      # "invoice" | "credit_note"
    issue_date: dt.date
    due_date: dt.date
    currency: str
    amount_minor: int              # never negative
    open_minor: int | None         # None: the file does not say what is open
    applies_to: str | None         # credit notes only: the invoice it reduces
    po_number: str | None
    description: str | None
    allocation_number: str | None = None   # Israel's מספר הקצאה
    before_vat_minor: int | None = None    # the amount before VAT, when the file says it


_WIDTH = len(_InvoiceFields._fields)


class InvoiceRow(_InvoiceFields):
    """One invoice or credit note. ``amount`` is never negative.

    Built like a dataclass — ``InvoiceRow(row, customer, invoice_number, kind, issue_date,
    due_date, amount, open_amount=None, applies_to=None, po_number=None, description=None,
    allocation_number=None, amount_before_vat=None)``
    with ``amount`` and ``open_amount`` as Money — but kept as a tuple of integer minor units
    (``amount_minor``, ``open_minor``, ``currency``): a million rows of it are a tenth of the
    memory and time of frozen dataclasses holding Money. ``amount`` and ``open_amount`` give
    the Money back. The parser's fast path builds it from minor units directly
    (:meth:`from_minor`).
    """

    __slots__ = ()

    def __new__(cls, row: int, customer: CustomerRow, invoice_number: str, kind: str,
                issue_date: dt.date, due_date: dt.date, amount: Money,
                open_amount: Money | None = None, applies_to: str | None = None,
                po_number: str | None = None, description: str | None = None,
                allocation_number: str | None = None,
                amount_before_vat: Money | None = None) -> "InvoiceRow":
        if open_amount is not None and open_amount.currency != amount.currency:
            raise ValueError("the open amount and the amount are in different currencies")  # not shown: rows.py checks
        return tuple.__new__(cls, (row, customer, invoice_number, kind, issue_date, due_date,
                                   amount.currency, amount.minor,
                                   None if open_amount is None else open_amount.minor,
                                   applies_to, po_number, description, allocation_number,
                                   None if amount_before_vat is None else amount_before_vat.minor))

    @classmethod
    def from_minor(cls, *fields) -> "InvoiceRow":
        """From the tuple's own fields, in order (see ``_fields``); the optional last ones
        (allocation number, amount before VAT) may be left out."""
        if len(fields) < _WIDTH:
            fields = fields + (None,) * (_WIDTH - len(fields))
        return tuple.__new__(cls, fields)

    def __reduce__(self):
        return (InvoiceRow.from_minor, tuple(self))

    @property
    def amount(self) -> Money:
        return Money.from_minor(self.amount_minor, self.currency)

    @property
    def open_amount(self) -> Money | None:
        return None if self.open_minor is None else Money.from_minor(self.open_minor, self.currency)

    @property
    def amount_before_vat(self) -> Money | None:
        return None if self.before_vat_minor is None else Money.from_minor(self.before_vat_minor, self.currency)

    @property
    def customer_ref(self) -> str:
        return self.customer.ref

    def __repr__(self) -> str:
        return (f"InvoiceRow(row={self.row}, customer_ref={self.customer.ref!r}, "
                f"invoice_number={self.invoice_number!r}, kind={self.kind!r}, "
                f"issue_date={self.issue_date}, due_date={self.due_date}, amount={self.amount}, "
                f"open_amount={self.open_amount}, applies_to={self.applies_to!r}, "
                f"po_number={self.po_number!r}, description={self.description!r}, "
                f"allocation_number={self.allocation_number!r}, "
                f"amount_before_vat={self.amount_before_vat})")


@dataclass(frozen=True, slots=True)
class PaymentRow:
    """One payment received. ``amount`` is what was received; ``withholding`` comes on top."""

    row: int
    customer: CustomerRow
    date: dt.date
    amount: Money
    withholding: Money             # zero when none
    method: str                    # "transfer" | "card" | "cash" | "cheque" | "other"
    value_date: dt.date | None = None
    cheque_number: str | None = None
    cheque_bank: str | None = None
    reference: str | None = None
    withholding_certificate: str | None = None
    invoice_number: str | None = None
    rate: Decimal | None = None

    @property
    def customer_ref(self) -> str:
        return self.customer.ref

    @property
    def currency(self) -> str:
        return self.amount.currency


ParsedRow = Union[CustomerRow, InvoiceRow, PaymentRow]

"""An export's documents as the rows every import writes: customers, invoices, payments.

The rows are the CSV import's own (``imports/parsed.py``), so the same services plan and write
them (``services/ledger/imports.py import_rows``). Their ``row`` is the line of BKMVDATA.TXT
the record is on.

- **Customers** are the accounts the imported documents name (C100 field 1225, the customer's
  key, which is B110's field 1403): their name, address and VAT number from B110 when the
  export has it, else from the document (1207–1211, 1214, 1215). Accounts no document names
  (banks, income, suppliers) are not customers and are left.
- **Invoices**: transaction invoices, tax invoices, consolidated invoices and tax
  invoice-receipts (300, 305, 310, 320), for the amount including VAT (1223) — or, on an export
  invoice, the final amount in its foreign currency (1217, 1218) — and the amount before VAT
  (1221) for the allocation-number rule. The date is the document's date (1230), else the date
  it was produced (1205). The unified files carry no due date; as in a CSV without a due date
  column (``imports/rows.py``), the due date is the invoice's date, and the organization's
  ladder counts from there. A transaction invoice (300) that a tax invoice in the same export
  names as its base document (D110 fields 1256, 1257) is the same debt: only the tax invoice is
  imported. A negative total on an invoice is refused (its field 1223), as a CSV's is.
- **Credit notes** (330), positive, reducing the invoice their lines name as base document.
- **Payments**: each D120 line of a receipt or a tax invoice-receipt (400, 320), on the
  document's date, in the means of payment of field 1306, a cheque with its due date (1311) as
  value date and its number; the tax withheld (1224) comes with the first line. A tax
  invoice-receipt's payments name its own invoice; a receipt's, the one invoice its D110 lines name as
  their base document, if they name one (the service keeps the name only for an invoice gvia
  holds or the export brings, else the ledger pays the oldest first). A receipt without D120 lines is one payment
  of its total, by a means the export does not say ("other"). Each payment's reference is
  ``<type>-<number>/<line>``, so importing the export again finds it again.

No allocation number: version 1.31 has no field for it (``layout.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gvia.core.errors import FieldProblem
from gvia.core.money import Money
from gvia.imports.parsed import CustomerRow, InvoiceRow, PaymentRow

from . import layout
from .records import Document, Export


@dataclass
class UnifiedRows:
    """What an export imports, and what it leaves (by document type; cancelled documents; the
    transaction invoices a tax invoice replaces; accounts that are not customers)."""

    customers: list[CustomerRow]
    invoices: list[InvoiceRow]
    payments: list[PaymentRow]
    left_types: dict[int, int] = field(default_factory=dict)
    cancelled: int = 0
    replaced: int = 0
    other_accounts: int = 0


def _customer(doc: Document, export: Export) -> CustomerRow:
    account = export.accounts.get(doc.customer_key)
    if account is not None:
        return CustomerRow(row=account.line, ref=doc.customer_key, name=account.name or doc.customer_name or None,
                           tax_id=account.tax_id or doc.customer_tax_id or None, phone=doc.customer_phone or None,
                           address=account.address or doc.customer_address or None)
    return CustomerRow(row=doc.line, ref=doc.customer_key, name=doc.customer_name or None,
                       tax_id=doc.customer_tax_id or None, phone=doc.customer_phone or None,
                       address=doc.customer_address or None)


def _replaced_transaction_invoices(export: Export) -> set[str]:
    """The numbers of the transaction invoices (300) a tax invoice of the export is based on."""
    transaction = {d.number for d in export.documents if d.type == 300 and d.imported}
    out: set[str] = set()
    for d in export.documents:
        if d.imported and d.type in (305, 310, 320):
            out.update(ln.base_number for ln in d.lines if ln.base_type == 300 and ln.base_number in transaction)
    return out


def _base_invoice(doc: Document) -> str | None:
    """The one invoice a document's lines name as their base document (1256, 1257), if one."""
    named = {line.base_number for line in doc.lines if line.base_type in layout.INVOICE_TYPES and line.base_number}
    return named.pop() if len(named) == 1 else None


def to_rows(export: Export) -> tuple[UnifiedRows, list[FieldProblem]]:
    """The export's customers, invoices and payments; the problems of what cannot be imported
    (a negative invoice, a negative payment), naming the line and the field."""
    problems: list[FieldProblem] = []
    replaced = _replaced_transaction_invoices(export)
    customers: dict[str, CustomerRow] = {}
    invoices: list[InvoiceRow] = []
    payments: list[PaymentRow] = []
    out = UnifiedRows([], invoices, payments)
    for doc in export.documents:
        if not doc.imported:
            if doc.cancelled:
                out.cancelled += 1
            else:
                out.left_types[doc.type] = out.left_types.get(doc.type, 0) + 1
            continue
        if doc.type == 300 and doc.number in replaced:
            out.replaced += 1
            continue
        customer = customers.get(doc.customer_key)
        if customer is None:
            customer = customers[doc.customer_key] = _customer(doc, export)
        description = next((ln.description for ln in sorted(doc.lines, key=lambda x: x.number) if ln.description),
                           None)
        if doc.type in layout.INVOICE_TYPES or doc.type in layout.CREDIT_NOTE_TYPES:
            credit = doc.type in layout.CREDIT_NOTE_TYPES
            if doc.amount.amount < 0 and not credit:
                problems.append(FieldProblem(doc.line, "C100 1223", str(doc.amount.amount),
                                             "a negative amount on an invoice", export.source, place="record_field",
                                             code="unified_negative_invoice"))
                continue
            before = doc.before_vat
            if before is not None and before.currency != doc.amount.currency:
                before = None
            invoices.append(InvoiceRow(
                doc.line, customer, doc.number, "credit_note" if credit else "invoice", doc.date, doc.date,
                Money.of(abs(doc.amount.amount), doc.amount.currency), None,
                _base_invoice(doc) if credit else None, None, description, None,
                None if before is None else Money.of(abs(before.amount), before.currency)))
        if doc.type in layout.RECEIPT_TYPES:
            _payments(doc, export, customer, payments, problems)
    out.customers = list(customers.values())
    out.other_accounts = len(set(export.accounts) - set(customers))
    return out, problems


def _payments(doc: Document, export: Export, customer: CustomerRow, payments: list[PaymentRow],
              problems: list[FieldProblem]) -> None:
    currency = export.header.currency
    withheld = Money.from_minor(abs(doc.withholding_minor), currency)
    lines = sorted(doc.payments, key=lambda p: p.number)
    if not lines and doc.amount.amount > 0:
        # a receipt (or a tax invoice-receipt, paid when it was issued) without its D120 lines:
        # the money it says it received, by a means the export does not say
        payments.append(PaymentRow(
            row=doc.line, customer=customer, date=doc.date, amount=doc.amount, withholding=(
                withheld if doc.amount.currency == currency else Money.zero(doc.amount.currency)), method="other",
            reference=f"{doc.type}-{doc.number}",
            invoice_number=doc.number if doc.type in layout.INVOICE_TYPES else _base_invoice(doc)))
        return
    for i, p in enumerate(lines):
        if p.amount_minor < 0:
            problems.append(FieldProblem(p.line, "D120 1312", str(Money.from_minor(p.amount_minor, currency).amount),
                                         "a negative payment", export.source, place="record_field",
                                         code="unified_negative_payment"))
            continue
        if p.amount_minor == 0:
            continue
        method = layout.PAYMENT_METHODS[p.method]
        payments.append(PaymentRow(
            row=p.line, customer=customer, date=doc.date, amount=Money.from_minor(p.amount_minor, currency),
            withholding=withheld if i == 0 else Money.zero(currency), method=method,
            value_date=p.due_date if method == "cheque" else None,
            cheque_number=(p.cheque_number or None) if method == "cheque" else None,
            cheque_bank=(f"{p.bank}-{p.branch}" if p.bank else None) if method == "cheque" else None,
            reference=f"{doc.type}-{doc.number}/{p.number}",
            invoice_number=doc.number if doc.type in layout.INVOICE_TYPES else _base_invoice(doc)))

"""``/invoices``: invoices and credit notes — listed (paged; filters ``customer_id``, ``number``,
``kind``, ``open``, ``due_before``, ``due_after``), one, and the bulk upsert (the invoices import,
:mod:`gvia.api.bulk`: a number is the invoice's identity; one bad row changes nothing). The open
amount is the ledger's (:func:`gvia.services.ledger.books.recompute`), never computed here."""

from __future__ import annotations

from typing import Any

from ninja import Field, Query, Router, Schema

from gvia.core.errors import NotFoundFor
from gvia.store.models import Invoice

from ..bulk import upsert
from ..common import (
    MAX_ID,
    MAX_ROWS,
    Amount,
    Day,
    Id,
    KeyCtx,
    MoneyOut,
    Page,
    ShortText,
    Text,
    ctx_of,
    money,
    paged,
)
from .customers import BulkReport

router = Router()


class InvoiceOut(Schema):
    id: int
    customer_id: int
    number: str
    kind: str
    applies_to_id: int | None
    issue_date: Day
    due_date: Day
    amount: MoneyOut
    open: MoneyOut
    po_number: str
    allocation_number: str
    description: str


class InvoicePage(Schema):
    items: list[InvoiceOut]
    next_after: int | None


class InvoiceFilter(Page):
    customer_id: int | None = Field(None, ge=1, le=MAX_ID)
    number: ShortText | None = None
    kind: ShortText | None = Field(None, description="invoice or credit_note")
    open: bool | None = Field(None, description="Only invoices with something open (true) or settled (false)")
    due_before: Day | None = None
    due_after: Day | None = None


def invoice_json(i: Invoice) -> dict:
    return {"id": i.id, "customer_id": i.customer_id, "number": i.number, "kind": i.kind,
            "applies_to_id": i.applies_to_id, "issue_date": i.issue_date, "due_date": i.due_date,
            "amount": money(i.amount_minor, i.currency), "open": money(i.open_minor, i.currency),
            "po_number": i.po_number, "allocation_number": i.allocation_number, "description": i.description}


def invoice_of(ctx: KeyCtx, invoice_id: int) -> Invoice:
    invoice = Invoice.objects.filter(organization=ctx.org, id=invoice_id).first()
    if invoice is None:
        raise NotFoundFor("no_invoice", f"no invoice {invoice_id}", id=invoice_id)
    return invoice


@router.get("/", response=InvoicePage, summary="List invoices and credit notes")
def list_invoices(request, filters: Query[InvoiceFilter]) -> Any:
    ctx = ctx_of(request)
    qs = Invoice.objects.filter(organization=ctx.org)
    for name, lookup in (("customer_id", "customer_id"), ("number", "number"), ("kind", "kind"),
                         ("due_before", "due_date__lt"), ("due_after", "due_date__gt")):
        value = getattr(filters, name)
        if value is not None:
            qs = qs.filter(**{lookup: value})
    if filters.open is not None:
        qs = qs.exclude(open_minor=0) if filters.open else qs.filter(open_minor=0)
    return paged(qs, filters, lambda rows: [invoice_json(i) for i in rows])


@router.get("/{int:invoice_id}", response=InvoiceOut, summary="One invoice or credit note")
def get_invoice(request, invoice_id: Id) -> Any:
    return invoice_json(invoice_of(ctx_of(request), invoice_id))


class InvoiceRow(Schema):
    """One row of the invoices import (its canonical fields; ``gvia import --help``)."""

    customer_ref: ShortText
    invoice_number: ShortText
    amount: Amount | ShortText
    issue_date: Day | None = None
    due_date: Day | None = None
    kind: ShortText | None = Field(None, description="invoice or credit_note")
    applies_to: ShortText | None = None
    po_number: ShortText | None = None
    open_amount: Amount | ShortText | None = None
    currency: ShortText | None = None
    description: Text | None = None
    allocation_number: ShortText | None = None
    amount_before_vat: Amount | ShortText | None = None
    customer_name: Text | None = None
    customer_tax_id: ShortText | None = None
    customer_email: Text | None = None
    customer_phone: ShortText | None = None
    customer_language: ShortText | None = None
    customer_type: ShortText | None = None
    customer_address: Text | None = None
    contact_name: Text | None = None
    customer_claim_basis: Text | None = None


class InvoiceBulk(Schema):
    rows: list[InvoiceRow] = Field(min_length=1, max_length=MAX_ROWS)
    dry_run: bool = Field(False, description="Check and count, write nothing")
    negative_as_credit_notes: bool = Field(False, description="A negative row with no kind is a credit note")


@router.post("/bulk", response=BulkReport, summary="Create or update invoices, all or nothing (write)")
def bulk_invoices(request, body: InvoiceBulk) -> Any:
    ctx = ctx_of(request, "write")
    return upsert(request, ctx, "invoices", [r.dict() for r in body.rows], dry_run=body.dry_run,
                  negative_as_credit_notes=body.negative_as_credit_notes)

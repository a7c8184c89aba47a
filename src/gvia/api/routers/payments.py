"""``/payments``: payments received — listed (paged; filters ``customer_id``, ``reference``,
``date_from``, ``date_to``), one, and the bulk upsert (the payments import, :mod:`gvia.api.bulk`:
a payment's identity is its reference, else its row's values; the same file twice, or a payment a
bank line already recorded, is counted once; one bad row changes nothing)."""

from __future__ import annotations

from typing import Any

from ninja import Field, Query, Router, Schema

from gvia.core.errors import NotFoundFor
from gvia.store.models import Payment

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


class PaymentOut(Schema):
    id: int
    customer_id: int
    date: Day
    value_date: Day | None
    amount: MoneyOut
    withholding: MoneyOut
    method: str
    status: str
    reference: str
    cheque_number: str
    invoice_id: int | None


class PaymentPage(Schema):
    items: list[PaymentOut]
    next_after: int | None


class PaymentFilter(Page):
    customer_id: int | None = Field(None, ge=1, le=MAX_ID)
    reference: ShortText | None = None
    date_from: Day | None = None
    date_to: Day | None = None


def payment_json(p: Payment) -> dict:
    return {"id": p.id, "customer_id": p.customer_id, "date": p.date, "value_date": p.value_date,
            "amount": money(p.amount_minor, p.currency), "withholding": money(p.withholding_minor, p.currency),
            "method": p.method, "status": p.status, "reference": p.reference, "cheque_number": p.cheque_number,
            "invoice_id": p.invoice_id}


def payment_of(ctx: KeyCtx, payment_id: int) -> Payment:
    payment = Payment.objects.filter(organization=ctx.org, id=payment_id).first()
    if payment is None:
        raise NotFoundFor("no_payment", f"no payment {payment_id}", id=payment_id)
    return payment


@router.get("/", response=PaymentPage, summary="List payments")
def list_payments(request, filters: Query[PaymentFilter]) -> Any:
    ctx = ctx_of(request)
    qs = Payment.objects.filter(organization=ctx.org)
    for name, lookup in (("customer_id", "customer_id"), ("reference", "reference"), ("date_from", "date__gte"),
                         ("date_to", "date__lte")):
        value = getattr(filters, name)
        if value is not None:
            qs = qs.filter(**{lookup: value})
    return paged(qs, filters, lambda rows: [payment_json(p) for p in rows])


@router.get("/{int:payment_id}", response=PaymentOut, summary="One payment")
def get_payment(request, payment_id: Id) -> Any:
    return payment_json(payment_of(ctx_of(request), payment_id))


class PaymentRow(Schema):
    """One row of the payments import (its canonical fields; ``gvia import --help``)."""

    customer_ref: ShortText
    date: Day
    amount: Amount | ShortText
    customer_name: Text | None = None
    value_date: Day | None = None
    currency: ShortText | None = None
    method: ShortText | None = Field(None, description="transfer, card, cash, cheque or other")
    cheque_number: ShortText | None = None
    cheque_bank: ShortText | None = None
    reference: ShortText | None = Field(None, description="The payment's identity: sent again, it updates")
    withholding: Amount | ShortText | None = None
    withholding_certificate: ShortText | None = None
    invoice_number: ShortText | None = None
    rate: Amount | ShortText | None = None


class PaymentBulk(Schema):
    rows: list[PaymentRow] = Field(min_length=1, max_length=MAX_ROWS)
    dry_run: bool = Field(False, description="Check and count, write nothing")
    create_customers: bool = Field(False, description="Create the customers named that gvia does not know")


@router.post("/bulk", response=BulkReport, summary="Create or update payments, all or nothing (write)")
def bulk_payments(request, body: PaymentBulk) -> Any:
    ctx = ctx_of(request, "write")
    return upsert(request, ctx, "payments", [r.dict() for r in body.rows], dry_run=body.dry_run,
                  create_customers=body.create_customers)

"""``/customers``: the list (paged; filters ``ref``, ``credit_hold``, ``do_not_chase``,
``overdue``), one customer with its open and overdue amounts and its credit hold, a change of
details (:func:`gvia.services.ledger.customers.update_customer`), the bulk upsert (the customers
import, :mod:`gvia.api.bulk`), the credit hold set and lifted
(:mod:`gvia.services.ledger.credit_hold`), and the customer's early-warning signals and score
(:func:`gvia.services.engine.signals.customer_signals`)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from ninja import Field, Query, Router, Schema

from gvia.core import aging
from gvia.core.errors import NotFoundFor
from gvia.services import clock
from gvia.services.engine import signals as signals_service
from gvia.services.ledger import credit_hold, customers
from gvia.store.models import Customer, Invoice

from ..bulk import upsert
from ..common import MAX_ROWS, Id, KeyCtx, LongText, MoneyOut, Page, ShortText, Text, ctx_of, money, paged
from .signals import RiskOut, risk_json

router = Router()


class CreditHoldOut(Schema):
    reason: str
    since: date | None
    by: str


class CustomerOut(Schema):
    id: int
    ref: str
    name: str
    kind: str
    tax_id: str
    email: str
    phone: str
    language: str
    vat_exempt: bool
    do_not_chase: bool
    do_not_chase_reason: str
    credit_hold: CreditHoldOut | None = Field(description="Talk about the debt before selling more (issue 17)")
    open: list[MoneyOut] = Field(description="Open invoices' amounts, per currency")
    overdue: list[MoneyOut] = Field(description="Of which overdue today, per currency")


class CustomerPage(Schema):
    items: list[CustomerOut]
    next_after: int | None


class CustomerFilter(Page):
    ref: ShortText | None = Field(None, description="The business's own reference")
    credit_hold: bool | None = None
    do_not_chase: bool | None = None
    overdue: bool | None = Field(None, description="Only customers with something overdue today (true) or not")


def customer_of(ctx: KeyCtx, customer_id: int) -> Customer:
    """The organization's customer, or ``no_customer`` (404): another organization's id is none."""
    customer = Customer.objects.filter(organization=ctx.org, id=customer_id).first()
    if customer is None:
        raise NotFoundFor("no_customer", f"no customer {customer_id}", id=customer_id)
    return customer


def _overdue_ids(ctx: KeyCtx, today: date):
    return (Invoice.objects.filter(organization=ctx.org, kind=Invoice.Kind.INVOICE,
                                   due_date__lt=aging.overdue_bound(today))
            .exclude(open_minor=0).values("customer_id"))


def customers_json(ctx: KeyCtx, rows: list[Customer]) -> list[dict]:
    """The customers as the API shows them: their open and overdue amounts read in one grouped query."""
    today = clock.org_today(ctx.org)
    sums: dict[int, dict[str, list]] = defaultdict(lambda: {"open": [], "overdue": []})
    for r in customers.balances(ctx, today, [c.id for c in rows], ordered=True):
        sums[r["customer_id"]]["open"].append(money(r["open"], r["currency"]))
        if r["overdue"]:
            sums[r["customer_id"]]["overdue"].append(money(r["overdue"], r["currency"]))
    out = []
    for c in rows:
        hold = ({"reason": c.credit_hold_reason, "since": c.credit_hold_since, "by": c.credit_hold_by}
                if c.credit_hold else None)
        out.append({"id": c.id, "ref": c.ref, "name": c.name, "kind": c.kind, "tax_id": c.tax_id, "email": c.email,
                    "phone": c.phone, "language": c.language, "vat_exempt": c.vat_exempt,
                    "do_not_chase": c.do_not_chase, "do_not_chase_reason": c.do_not_chase_reason,
                    "credit_hold": hold, **sums.get(c.id, {"open": [], "overdue": []})})
    return out


@router.get("/", response=CustomerPage, summary="List customers")
def list_customers(request, filters: Query[CustomerFilter]) -> Any:
    ctx = ctx_of(request)
    qs = Customer.objects.filter(organization=ctx.org)
    if filters.ref is not None:
        qs = qs.filter(ref=filters.ref)
    if filters.credit_hold is not None:
        qs = qs.filter(credit_hold=filters.credit_hold)
    if filters.do_not_chase is not None:
        qs = qs.filter(do_not_chase=filters.do_not_chase)
    if filters.overdue is not None:
        ids = _overdue_ids(ctx, clock.org_today(ctx.org))
        qs = qs.filter(id__in=ids) if filters.overdue else qs.exclude(id__in=ids)
    return paged(qs, filters, lambda rows: customers_json(ctx, rows))


@router.get("/{int:customer_id}", response=CustomerOut, summary="One customer")
def get_customer(request, customer_id: Id) -> Any:
    ctx = ctx_of(request)
    return customers_json(ctx, [customer_of(ctx, customer_id)])[0]


class CustomerChange(Schema):
    """The fields to change (those left out stay as they are); checked as an import checks them."""

    name: Text | None = None
    kind: ShortText | None = None
    tax_id: ShortText | None = None
    email: Text | None = None
    phone: ShortText | None = None
    language: ShortText | None = None
    claim_basis: Text | None = None
    line1: Text | None = None
    line2: Text | None = None
    city: ShortText | None = None
    postal_code: ShortText | None = None
    do_not_chase: bool | None = None
    do_not_chase_reason: Text | None = None
    policy: ShortText | None = None
    vat_exempt: bool | None = None


class Changed(Schema):
    changed: list[str]
    customer: CustomerOut


@router.patch("/{int:customer_id}", response=Changed, summary="Change a customer's details (write)")
def change_customer(request, customer_id: Id, body: CustomerChange) -> Any:
    ctx = ctx_of(request, "write")
    customer = customer_of(ctx, customer_id)
    values = {k: ("" if v is None else v) for k, v in body.dict(exclude_unset=True).items()}
    changed = customers.update_customer(ctx, customer.ref, values)
    return {"changed": changed, "customer": customers_json(ctx, [customer_of(ctx, customer_id)])[0]}


class CustomerRow(Schema):
    """One row of the customers import (its canonical fields)."""

    customer_ref: ShortText
    customer_name: Text | None = None
    customer_tax_id: ShortText | None = None
    customer_email: Text | None = None
    customer_phone: ShortText | None = None
    customer_language: ShortText | None = None
    customer_type: ShortText | None = None
    customer_address: Text | None = None
    contact_name: Text | None = None
    customer_claim_basis: Text | None = None


class CustomerBulk(Schema):
    rows: list[CustomerRow] = Field(min_length=1, max_length=MAX_ROWS)
    dry_run: bool = Field(False, description="Check and count, write nothing")


class BulkReport(Schema):
    kind: str
    rows: int
    created: int
    updated: int
    unchanged: int
    closed: int
    customers_created: int
    closed_numbers: list[str]
    dry_run: bool


@router.post("/bulk", response=BulkReport, summary="Create or update customers, all or nothing (write)")
def bulk_customers(request, body: CustomerBulk) -> Any:
    ctx = ctx_of(request, "write")
    return upsert(request, ctx, "customers", [r.dict() for r in body.rows], dry_run=body.dry_run)


class HoldIn(Schema):
    reason: LongText


@router.put("/{int:customer_id}/credit-hold", response=CustomerOut, summary="Put a customer on credit hold (write)")
def set_credit_hold(request, customer_id: Id, body: HoldIn) -> Any:
    ctx = ctx_of(request, "write")
    customer = customer_of(ctx, customer_id)
    credit_hold.set_hold(ctx, customer.ref, body.reason)
    return customers_json(ctx, [customer_of(ctx, customer_id)])[0]


@router.delete("/{int:customer_id}/credit-hold", response=CustomerOut, summary="Lift a customer's credit hold (write)")
def lift_credit_hold(request, customer_id: Id) -> Any:
    ctx = ctx_of(request, "write")
    customer = customer_of(ctx, customer_id)
    credit_hold.lift_hold(ctx, customer.ref)
    return customers_json(ctx, [customer_of(ctx, customer_id)])[0]


@router.get("/{int:customer_id}/signals", response=RiskOut, summary="A customer's early-warning signals and score")
def customer_signals(request, customer_id: Id) -> Any:
    ctx = ctx_of(request)
    customer = customer_of(ctx, customer_id)
    today = clock.org_today(ctx.org)
    return risk_json(signals_service.customer_signals(ctx, customer.ref, today), today)

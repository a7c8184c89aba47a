"""``/promises``, ``/plans``, ``/disputes``: arrangements with a customer — listed (paged; filters
``customer_id``, ``status``), one, made and ended through the services of
:mod:`gvia.services.arrangements` (their checks, pauses, limits, timeline lines and audit: the
same functions the customer page and ``gvia promise|plan|dispute`` call)."""

from __future__ import annotations

from typing import Any

from ninja import Field, Query, Router, Schema, Status

from gvia.services.arrangements import disputes as dispute_service
from gvia.services.arrangements import plans as plan_service
from gvia.services.arrangements import promises as promise_service
from gvia.services.lookup import owned
from gvia.store.models import Dispute, PaymentPlan, Promise

from ..common import MAX_ID, Amount, Day, Id, LongText, MoneyOut, Page, ShortText, Text, ctx_of, money, paged
from ..errors import jsonable
from .customers import customer_of

promises = Router()
plans = Router()
disputes = Router()


class ArrangementFilter(Page):
    customer_id: int | None = Field(None, ge=1, le=MAX_ID)
    status: ShortText | None = None


def _filtered(qs, filters: ArrangementFilter):
    if filters.customer_id is not None:
        qs = qs.filter(customer_id=filters.customer_id)
    if filters.status is not None:
        qs = qs.filter(status=filters.status)
    return qs


# --- promises ------------------------------------------------------------------------------

class PromiseOut(Schema):
    id: int
    customer_id: int
    amount: MoneyOut
    paid: MoneyOut
    due: Day
    source: str
    made_on: Day
    status: str
    kept_on: Day | None
    closed_on: Day | None
    note: str


class PromisePage(Schema):
    items: list[PromiseOut]
    next_after: int | None


def promise_json(p: Promise) -> dict:
    return {"id": p.id, "customer_id": p.customer_id, "amount": money(p.amount_minor, p.currency),
            "paid": money(p.paid_minor, p.currency), "due": p.due, "source": p.source, "made_on": p.made_on,
            "status": p.status, "kept_on": p.kept_on, "closed_on": p.closed_on, "note": p.note}


class NewPromise(Schema):
    customer_id: int = Field(ge=1, le=MAX_ID)
    due: Day
    amount: Amount | None = Field(None, description="Left out: the whole open balance")
    currency: ShortText | None = None
    source: ShortText = Field("manual", description="call, email, portal or manual")
    note: LongText = ""
    replace_open: bool = False


@promises.get("/", response=PromisePage, summary="List promises to pay")
def list_promises(request, filters: Query[ArrangementFilter]) -> Any:
    ctx = ctx_of(request)
    return paged(_filtered(Promise.objects.filter(organization=ctx.org), filters),
                 filters, lambda rows: [promise_json(p) for p in rows])


@promises.get("/{int:promise_id}", response=PromiseOut, summary="One promise")
def get_promise(request, promise_id: Id) -> Any:
    ctx = ctx_of(request)
    return promise_json(owned(ctx, Promise, promise_id, "promise", related=()))


@promises.post("/", response={201: PromiseOut}, summary="Record a promise to pay (write)")
def record_promise(request, body: NewPromise) -> Any:
    ctx = ctx_of(request, "write")
    customer = customer_of(ctx, body.customer_id)
    row = promise_service.record_promise(
        ctx, customer.ref, None if body.amount is None else str(body.amount), body.due, source=body.source,
        currency=body.currency, note=body.note, replace_open=body.replace_open)
    return Status(201, promise_json(row))


@promises.post("/{int:promise_id}/cancel", response=PromiseOut, summary="Withdraw an open promise (write)")
def cancel_promise(request, promise_id: Id) -> Any:
    ctx = ctx_of(request, "write")
    return promise_json(promise_service.cancel_promise(ctx, promise_id))


# --- payment plans -------------------------------------------------------------------------

class PlanOut(Schema):
    id: int
    customer_id: int
    status: str
    total: MoneyOut
    paid: MoneyOut
    installments_count: int
    frequency: str
    first_date: Day
    agreed_on: Day
    missed: int
    ended_on: Day | None


class PlanPage(Schema):
    items: list[PlanOut]
    next_after: int | None


def plan_json(p: PaymentPlan) -> dict:
    return {"id": p.id, "customer_id": p.customer_id, "status": p.status, "total": money(p.total_minor, p.currency),
            "paid": money(p.paid_minor, p.currency), "installments_count": p.installments_count,
            "frequency": p.frequency, "first_date": p.first_date, "agreed_on": p.agreed_on, "missed": p.missed,
            "ended_on": p.ended_on}


class NewPlan(Schema):
    customer_id: int = Field(ge=1, le=MAX_ID)
    installments: int = Field(ge=1, le=120)
    frequency: ShortText = Field(description="weekly, biweekly or monthly")
    first: Day
    down: Amount | None = None
    cheques: bool = False
    currency: ShortText | None = None


class PlanCancel(Schema):
    reason: Text = ""


@plans.get("/", response=PlanPage, summary="List payment plans")
def list_plans(request, filters: Query[ArrangementFilter]) -> Any:
    ctx = ctx_of(request)
    return paged(_filtered(PaymentPlan.objects.filter(organization=ctx.org), filters),
                 filters, lambda rows: [plan_json(p) for p in rows])


@plans.get("/{int:plan_id}", response=dict, summary="One payment plan with its installments")
def get_plan(request, plan_id: Id) -> Any:
    return jsonable(plan_service.show_plan(ctx_of(request), plan_id))


@plans.post("/", response={201: dict}, summary="Agree a payment plan for the open balance (write)")
def create_plan(request, body: NewPlan) -> Any:
    ctx = ctx_of(request, "write")
    customer = customer_of(ctx, body.customer_id)
    made = plan_service.create_plan(ctx, customer.ref, body.installments, body.frequency, body.first,
                                    down=None if body.down is None else str(body.down), cheques=body.cheques,
                                    currency=body.currency)
    shown = plan_service.show_plan(ctx, made.plan.id)
    limits = [{"code": getattr(w, "code", ""), "params": dict(getattr(w, "params", {}))} for w in made.limits_exceeded]
    return Status(201, jsonable({**shown, "limits_exceeded": limits}))


@plans.post("/{int:plan_id}/cancel", response=PlanOut, summary="End an active plan (write)")
def cancel_plan(request, plan_id: Id, body: PlanCancel) -> Any:
    ctx = ctx_of(request, "write")
    return plan_json(plan_service.cancel_plan(ctx, plan_id, body.reason))


# --- disputes ------------------------------------------------------------------------------

class DisputeOut(Schema):
    id: int
    customer_id: int
    invoice_ids: list[int]
    reason: str
    note: str
    status: str
    resolution: str
    opened_on: Day
    resolved_on: Day | None


class DisputePage(Schema):
    items: list[DisputeOut]
    next_after: int | None


def dispute_json(rows: list[Dispute]) -> list[dict]:
    invoices: dict[int, list[int]] = {}
    for link in Dispute.invoices.through.objects.filter(dispute_id__in=[d.id for d in rows]).order_by("invoice_id"):
        invoices.setdefault(link.dispute_id, []).append(link.invoice_id)
    return [{"id": d.id, "customer_id": d.customer_id, "invoice_ids": invoices.get(d.id, []), "reason": d.reason,
             "note": d.note, "status": d.status, "resolution": d.resolution, "opened_on": d.opened_on,
             "resolved_on": d.resolved_on} for d in rows]


class NewDispute(Schema):
    customer_id: int = Field(ge=1, le=MAX_ID)
    invoice_numbers: list[ShortText] = Field(min_length=1, max_length=200)
    reason: ShortText
    note: LongText = ""


class DisputeResolve(Schema):
    outcome: ShortText = Field(description="valid or rejected")
    resolution: ShortText | None = Field(None, description="A valid dispute: credit_note or write_off")
    credit_note_number: ShortText | None = None
    note: LongText = ""


@disputes.get("/", response=DisputePage, summary="List disputes")
def list_disputes(request, filters: Query[ArrangementFilter]) -> Any:
    ctx = ctx_of(request)
    return paged(_filtered(Dispute.objects.filter(organization=ctx.org), filters), filters, dispute_json)


@disputes.get("/{int:dispute_id}", response=DisputeOut, summary="One dispute")
def get_dispute(request, dispute_id: Id) -> Any:
    ctx = ctx_of(request)
    return dispute_json([owned(ctx, Dispute, dispute_id, "dispute", related=())])[0]


@disputes.post("/", response={201: DisputeOut}, summary="Open a dispute on a customer's invoices (write)")
def open_dispute(request, body: NewDispute) -> Any:
    ctx = ctx_of(request, "write")
    customer = customer_of(ctx, body.customer_id)
    row = dispute_service.open_dispute(ctx, customer.ref, body.invoice_numbers, body.reason, note=body.note)
    return Status(201, dispute_json([row])[0])


@disputes.post("/{int:dispute_id}/resolve", response=DisputeOut, summary="End a dispute (write)")
def resolve_dispute(request, dispute_id: Id, body: DisputeResolve) -> Any:
    ctx = ctx_of(request, "write")
    row = dispute_service.resolve_dispute(ctx, dispute_id, body.outcome, body.resolution,
                                          credit_note_number=body.credit_note_number, note=body.note)
    return dispute_json([row])[0]

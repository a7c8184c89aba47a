"""``/cases``: each customer's collection case as the daily run left it — listed (paged; filters
``customer_id``, ``active``, ``stage``), one — and the reason the customer has not paid, recorded
through :func:`gvia.services.engine.nonpayment.set_reason` (issue 17; codes of
:data:`gvia.core.nonpayment.REASONS`)."""

from __future__ import annotations

from typing import Any

from ninja import Field, Query, Router, Schema

from gvia.core.errors import NotFoundFor
from gvia.services.engine import nonpayment
from gvia.store.models import Case

from ..common import MAX_ID, Day, Id, KeyCtx, LongText, Page, ShortText, ctx_of, paged
from .customers import customer_of

router = Router()


class CaseOut(Schema):
    id: int
    customer_id: int
    cycle: int
    active: bool = Field(description="In a cycle: something overdue")
    stage: str
    stage_entered: Day | None
    next_step: str
    next_date: Day | None
    last_decided: Day | None
    nonpayment_reason: str = Field(description="Why the customer has not paid (a code), or empty")
    nonpayment_on: Day | None


class CasePage(Schema):
    items: list[CaseOut]
    next_after: int | None


class CaseFilter(Page):
    customer_id: int | None = Field(None, ge=1, le=MAX_ID)
    active: bool | None = None
    stage: ShortText | None = None


class ReasonIn(Schema):
    reason: ShortText = Field(description="cash_flow, dispute, forgot, wrong_contact, unreachable, refuses, "
                                          "waiting_allocation or other")
    note: LongText = ""


def case_json(c: Case) -> dict:
    return {"id": c.id, "customer_id": c.customer_id, "cycle": c.cycle, "active": c.active, "stage": c.stage_key,
            "stage_entered": c.stage_entered, "next_step": c.next_step, "next_date": c.next_date,
            "last_decided": c.last_decided, "nonpayment_reason": c.nonpayment_reason,
            "nonpayment_on": c.nonpayment_on}


def case_of(ctx: KeyCtx, case_id: int) -> Case:
    case = Case.objects.filter(organization=ctx.org, id=case_id).first()
    if case is None:
        raise NotFoundFor("no_case", f"no case {case_id}", id=case_id)
    return case


@router.get("/", response=CasePage, summary="List cases")
def list_cases(request, filters: Query[CaseFilter]) -> Any:
    ctx = ctx_of(request)
    qs = Case.objects.filter(organization=ctx.org)
    if filters.customer_id is not None:
        qs = qs.filter(customer_id=filters.customer_id)
    if filters.active is not None:
        qs = qs.filter(active=filters.active)
    if filters.stage is not None:
        qs = qs.filter(stage_key=filters.stage)
    return paged(qs, filters, lambda rows: [case_json(c) for c in rows])


@router.get("/{int:case_id}", response=CaseOut, summary="One case")
def get_case(request, case_id: Id) -> Any:
    return case_json(case_of(ctx_of(request), case_id))


@router.put("/{int:case_id}/reason", response=CaseOut, summary="Record why the customer has not paid (write)")
def set_reason(request, case_id: Id, body: ReasonIn) -> Any:
    ctx = ctx_of(request, "write")
    case = case_of(ctx, case_id)
    customer = customer_of(ctx, case.customer_id)
    return case_json(nonpayment.set_reason(ctx, customer.ref, body.reason, body.note))

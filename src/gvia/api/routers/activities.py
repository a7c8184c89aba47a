"""``/activities``: the customers' timelines — listed (paged; filters ``customer_id``, ``kind``),
one — and a note or a customer's reply added through :func:`gvia.services.engine.activities.add`
(a reply pauses the case for the reply days and asks a person to read it, as on the customer
page). An activity's ``text`` is given only where it is someone's own words (a note, a call's, a
reply); gvia's own lines are their ``event`` code and ``data`` values."""

from __future__ import annotations

from typing import Any

from ninja import Field, Query, Router, Schema, Status

from gvia.services.engine import activities
from gvia.services.lookup import owned
from gvia.store.models import Activity

from ..common import MAX_ID, Day, Id, LongText, Page, ShortText, Text, ctx_of, paged
from ..errors import jsonable
from .customers import customer_of

router = Router()

#: The kinds whose text is a person's or the customer's own words.
OWN_WORDS = {Activity.Kind.NOTE, Activity.Kind.CALL, Activity.Kind.MESSAGE_IN}


class ActivityOut(Schema):
    id: int
    customer_id: int
    kind: str
    date: Day
    at: str
    actor: str
    event: str
    text: str
    data: dict[str, Any]


class ActivityPage(Schema):
    items: list[ActivityOut]
    next_after: int | None


class ActivityFilter(Page):
    customer_id: int | None = Field(None, ge=1, le=MAX_ID)
    kind: ShortText | None = None


class NewActivity(Schema):
    customer_id: int = Field(ge=1, le=MAX_ID)
    kind: ShortText = Field(description="note, or reply (the customer answered)")
    text: LongText
    by: Text = Field("", description="A reply: who at the customer answered")


def activity_json(a: Activity) -> dict:
    data = dict(a.data or {})
    return {"id": a.id, "customer_id": a.customer_id, "kind": a.kind, "date": a.date, "at": a.at.isoformat(),
            "actor": a.actor, "event": str(data.pop("event", "")), "text": a.text if a.kind in OWN_WORDS else "",
            "data": jsonable(data)}


@router.get("/", response=ActivityPage, summary="List timeline activities")
def list_activities(request, filters: Query[ActivityFilter]) -> Any:
    ctx = ctx_of(request)
    qs = Activity.objects.filter(organization=ctx.org)
    if filters.customer_id is not None:
        qs = qs.filter(customer_id=filters.customer_id)
    if filters.kind is not None:
        qs = qs.filter(kind=filters.kind)
    return paged(qs, filters, lambda rows: [activity_json(a) for a in rows])


@router.get("/{int:activity_id}", response=ActivityOut, summary="One activity")
def get_activity(request, activity_id: Id) -> Any:
    return activity_json(owned(ctx_of(request), Activity, activity_id, "activity", related=()))


@router.post("/", response={201: ActivityOut}, summary="Add a note or a customer's reply (write)")
def add_activity(request, body: NewActivity) -> Any:
    ctx = ctx_of(request, "write")
    customer = customer_of(ctx, body.customer_id)
    return Status(201, activity_json(activities.add(ctx, customer.ref, body.kind, body.text, by=body.by)))

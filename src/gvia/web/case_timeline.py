"""The collection case on the customer's timeline: the activities the engine and the
arrangements record (messages out and in, calls and their outcomes, stage changes, promises,
plans, settlements, disputes, write-offs, notes, pauses) and the outbox messages not sent yet.

Registered with :func:`gvia.web.timeline.register` as "activities" and "messages". An activity
is an entry of kind ``activity_<its kind>`` (a call: ``call`` with its outcome in words); its
own sentence, as the service that recorded it wrote it, is the entry's ``detail``. A message is
shown by the activity that records its sending; until then (awaiting approval, queued, held,
failed, uncertain, rejected, cancelled) the outbox row itself is the entry, ``message``, with
its status.
"""

from __future__ import annotations

from gvia.services.clock import to_local
from gvia.services.context import Ctx
from gvia.store.models import Activity, Customer, OutboxMessage

from . import timeline
from .i18n import Key
from .links import id_url
from .timeline import Entry

GOOD_OUTCOMES = {"promised"}
BAD_OUTCOMES = {"refused", "wrong_number"}
BAD_SIGNALS = {"broken_promise", "missed_installment", "plan_defaulted"}


def _tone(a: Activity) -> str:
    data = a.data or {}
    if data.get("signal") in BAD_SIGNALS or data.get("status") in ("broken", "partially_kept", "defaulted", "lapsed"):
        return "bad"
    if a.kind == Activity.Kind.CALL:
        outcome = data.get("outcome", "")
        return "good" if outcome in GOOD_OUTCOMES else "bad" if outcome in BAD_OUTCOMES else ""
    if data.get("status") in ("kept", "completed", "paid"):
        return "good"
    return ""


def activity_entry(ctx: Ctx, a: Activity) -> Entry:
    data = a.data or {}
    params: dict = {}
    kind = f"activity_{a.kind}"
    detail = a.text
    if a.kind == Activity.Kind.CALL:
        kind = "call"
        outcome = str(data.get("outcome", ""))
        params["outcome"] = Key(f"call.outcome.{outcome}", fallback=outcome)
        detail = data.get("note") or a.text
    elif a.kind in (Activity.Kind.MESSAGE_OUT, Activity.Kind.LETTER) and data.get("document"):
        kind = f"activity_{a.kind}_document"
        params["document"] = Key(f"doc.{data['document']}", fallback=str(data["document"]))
        params["channel"] = Key(f"channel.{data.get('channel', '')}", fallback=str(data.get("channel", "")))
    return Entry(a.date, kind, params, at=a.at, actor="" if a.actor == "system" else a.actor, tone=_tone(a),
                 detail=detail)


# The customer is the organization's (the page found it so): its rows are read by the customer's
# own index.

def activities(ctx: Ctx, customer: Customer, limit: int) -> list[Entry]:
    rows = Activity.objects.filter(customer=customer).order_by("-at", "-id")[:limit]
    return [activity_entry(ctx, a) for a in rows]


def messages(ctx: Ctx, customer: Customer, limit: int) -> list[Entry]:
    out = []
    for m in (OutboxMessage.objects.filter(customer=customer)
              .exclude(status=OutboxMessage.Status.SENT).order_by("-created_at", "-id")[:limit]):
        tone = "bad" if m.status in ("failed", "uncertain") else ""
        out.append(Entry(to_local(ctx.org, m.created_at).date(), "message",
                         {"document": Key(f"doc.{m.document}", fallback=m.document),
                          "channel": Key(f"channel.{m.channel}", fallback=m.channel),
                          "status": Key(f"outbox.status.{m.status}", fallback=m.status)},
                         at=m.created_at, url=id_url("message_detail", m.id), tone=tone))
    return out


timeline.register("activities", activities)
timeline.register("messages", messages)

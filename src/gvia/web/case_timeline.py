"""The collection case on the customer's timeline: the activities the engine and the
arrangements record (messages out and in, calls and their outcomes, stage changes, promises,
plans, settlements, disputes, write-offs, notes, pauses) and the outbox messages not sent yet.

Listed in :data:`gvia.web.timeline.PROVIDERS` as "activities" and "messages". An activity
is an entry of kind ``activity_<its kind>`` (a call: ``call`` with its outcome in words); its
own sentence is the entry's ``detail``: when the service stored a machine-readable event in its
data (``data["event"] = "settlement.approved"`` and the values), the sentence of
``timeline.event.<event>`` in the reader's language (:func:`event_detail`), else the English
text the service wrote (older rows, events without words yet). A message is
shown by the activity that records its sending; until then (awaiting approval, queued, held,
failed, uncertain, rejected, cancelled) the outbox row itself is the entry, ``message``, with
its status.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import translation

from gvia.core.errors import Worded
from gvia.core.formatting import isolate
from gvia.core.money import Money
from gvia.services.clock import to_local
from gvia.services.context import Ctx
from gvia.services.engine.calls import said_of
from gvia.store import prepared
from gvia.store.models import Activity, Customer, OutboxMessage

from . import display, i18n, words
from .i18n import Key
from .links import id_url
from .timeline_entry import Entry

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


#: Values of an event that are amounts (with ``data["currency"]``) and dates (ISO).
MONEY_VALUES = ("amount", "agreed", "debt", "total", "paid", "unpaid", "written_off")
DATE_VALUES = ("due", "until", "deadline", "day", "paid_on", "opened", "posted", "delivered", "batch",
               "warning_sent")
#: Values that, when the event has them, add a clause of their own: ``timeline.event.<event>.<name>``.
CLAUSES = ("beyond_limits", "posted", "delivered")


def _event_value(name: str, value, data: dict, lang: str) -> str:
    if value is None:
        return ""
    if name == "document":
        return Key(f"doc.{value}", fallback=str(value)).text(lang)
    if name == "channel":
        return Key(f"channel.{value}", fallback=str(value)).text(lang)
    if name in MONEY_VALUES:
        return display.money_text(Money.of(Decimal(str(value)), str(data["currency"])))
    if name in DATE_VALUES:
        return display.date_text(date.fromisoformat(str(value)))
    if name == "reason":
        return Key(f"dispute.reason.{value}", fallback=str(value)).text(lang)
    if name == "nonpayment":        # a reason for non-payment (gvia.core.nonpayment)
        return Key(f"nonpayment.{value}", fallback=str(value)).text(lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def event_detail(data: dict, lang: str) -> str | None:
    """The sentence of the event stored in an activity's data, in ``lang``: ``timeline.event.<event>``
    filled with its values (each isolated), the text a person typed (``note``) appended as typed.
    None when there is no event, its words are unknown or its values do not fit them."""
    event = data.get("event")
    key = f"timeline.event.{event}"
    if not event or not i18n.has(key):
        return None
    try:
        values = {k: isolate(_event_value(k, v, data, lang)) for k, v in data.items()
                  if k not in ("event", "note", "currency")}
        sentence = i18n.text(key, lang, None, **values)   # escape=None given, so no value is taken for it
        for clause in CLAUSES:
            if data.get(clause) and i18n.has(f"{key}.{clause}"):
                sentence += i18n.text(f"{key}.{clause}", lang, None, **values)
    except (KeyError, ValueError, InvalidOperation, TypeError, IndexError):
        return None
    note = str(data.get("note") or "").strip()
    return f"{sentence} — {isolate(note)}" if note else sentence


def call_said(data: dict, lang: str) -> str:
    """What a call achieved (its activity's data: :func:`gvia.services.engine.calls.said_of`, the
    code and its values typed again), worded in ``lang`` as the reader writes them; "" for a call
    logged before calls kept it."""
    found = said_of(data)
    if found is None:
        return ""
    code, params = found
    return words.value_text(Worded("", code, **params), lang)


def activity_entry(ctx: Ctx, a: Activity) -> Entry:
    data = a.data or {}
    params: dict = {}
    kind = f"activity_{a.kind}"
    detail = event_detail(data, i18n.normalize(translation.get_language())) or a.text
    if a.kind == Activity.Kind.CALL:
        kind = "call"
        outcome = str(data.get("outcome", ""))
        params["outcome"] = Key(f"call.outcome.{outcome}", fallback=outcome)
        detail = data.get("note") or call_said(data, i18n.normalize(translation.get_language())) or ""
    elif a.kind in (Activity.Kind.MESSAGE_OUT, Activity.Kind.LETTER) and data.get("document"):
        kind = f"activity_{a.kind}_document"
        params["document"] = Key(f"doc.{data['document']}", fallback=str(data["document"]))
        params["channel"] = Key(f"channel.{data.get('channel', '')}", fallback=str(data.get("channel", "")))
    return Entry(a.date, kind, params, at=a.at, actor="" if a.actor == "system" else a.actor, tone=_tone(a),
                 detail=detail)


# The customer is the organization's (the page found it so): its rows are read by the customer's
# own index.

def activities(ctx: Ctx, customer: Customer, limit: int) -> list[Entry]:
    # read on every visit of the customer page: the query compiled once (gvia.store.prepared)
    rows = prepared.models(("timeline.activities", limit), Activity, lambda cid: Activity.objects.filter(
        customer_id=cid).order_by("-at", "-id")[:limit], customer.id)
    return [activity_entry(ctx, a) for a in rows]


def messages(ctx: Ctx, customer: Customer, limit: int) -> list[Entry]:
    out = []
    for m in prepared.models(("timeline.messages", limit), OutboxMessage, lambda cid: OutboxMessage.objects.filter(
            customer_id=cid).exclude(status=OutboxMessage.Status.SENT).order_by("-created_at", "-id")[:limit],
            customer.id):
        tone = "bad" if m.status in ("failed", "uncertain") else ""
        out.append(Entry(to_local(ctx.org, m.created_at).date(), "message",
                         {"document": Key(f"doc.{m.document}", fallback=m.document),
                          "channel": Key(f"channel.{m.channel}", fallback=m.channel),
                          "status": Key(f"outbox.status.{m.status}", fallback=m.status)},
                         at=m.created_at, url=id_url("message_detail", m.id), tone=tone))
    return out

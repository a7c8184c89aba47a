"""Today's work for people: calls to make, messages to approve, failed and uncertain messages
to look at, and replies to read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from gvia.store.models import OutboxMessage, Task

from gvia.services import clock
from gvia.services.engine.calls import CALL_SCRIPT
from gvia.services.context import Ctx


@dataclass
class Worklist:
    day: date
    calls: list[dict] = field(default_factory=list)
    approvals: list[dict] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)
    uncertain: list[dict] = field(default_factory=list)
    replies: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"day": self.day.isoformat(), "calls": self.calls, "approvals": self.approvals,
                "failed": self.failed, "uncertain": self.uncertain, "replies": self.replies}


def _message(m: OutboxMessage) -> dict:
    return {"id": m.id, "customer": m.customer.ref, "name": m.customer.name, "stage": m.stage_key,
            "channel": m.channel, "document": m.document, "planned_for": m.planned_for.isoformat(),
            "status": m.status, "needs_owner": m.needs_approval, "subject": m.subject,
            "last_error": m.last_error.splitlines()[-1] if m.last_error.strip() else ""}


def worklist(ctx: Ctx, day: date | None = None, mine_only: bool = False) -> Worklist:
    """What needs a person on ``day`` (default today). ``mine_only``: calls assigned to the acting
    user (and unassigned ones)."""
    ctx.require("viewer", "reading the worklist")
    day = day or clock.org_today(ctx.org)
    out = Worklist(day)
    calls = (Task.objects.filter(organization=ctx.org, kind=Task.Kind.CALL, open=True, due_date__lte=day)
             .select_related("customer", "assigned_to").order_by("due_date", "id"))
    if mine_only and getattr(ctx.user, "pk", None):
        calls = calls.filter(assigned_to__in=[ctx.user.pk, None])
    for t in calls:
        data = t.data or {}
        lang = "he" if t.customer.language == "he" else "en"
        out.calls.append({"task": t.id, "customer": t.customer.ref, "name": t.customer.name,
                          "due": t.due_date.isoformat(), "stage": data.get("stage", ""),
                          "assigned_to": getattr(t.assigned_to, "email", "") or "",
                          "phones": data.get("phones", []), "open_items": data.get("open_items", []),
                          "calls_so_far": len(data.get("calls", [])), "script": list(CALL_SCRIPT[lang])})
    msgs = (OutboxMessage.objects.filter(organization=ctx.org, status__in=[
        OutboxMessage.Status.AWAITING_APPROVAL, OutboxMessage.Status.FAILED, OutboxMessage.Status.UNCERTAIN])
        .select_related("customer").order_by("planned_for", "id"))
    for m in msgs:
        {"awaiting_approval": out.approvals, "failed": out.failed, "uncertain": out.uncertain}[m.status].append(
            _message(m))
    for t in (Task.objects.filter(organization=ctx.org, kind=Task.Kind.REPLY, open=True)
              .select_related("customer").order_by("due_date", "id")):
        out.replies.append({"task": t.id, "customer": t.customer.ref, "name": t.customer.name,
                            "date": t.due_date.isoformat(), "text": (t.data or {}).get("text", "")})
    return out

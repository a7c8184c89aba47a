"""What customers asked for on their page and a person decides (issue 16).

A request from the page (:mod:`gvia.services.portal.actions`) that is not taken at once waits as a
``pending`` :class:`~gvia.store.models.PortalRequest`: a promise beyond the page's limits, a plan
request, a proposed billing contact. It is shown on the customer's page for the organization
(next to the settlements a person approves) and in the worklist's ``portal_requests`` section.

:func:`decide` approves or rejects one, through the service a person would use anyway, with
that person's rights:

* a promise — :func:`gvia.services.arrangements.promises.record_promise` (source ``portal``,
  replacing an open promise: the customer's newer word counts); the case pauses;
* a plan — :func:`gvia.services.arrangements.plans.create_plan` (monthly, as asked); a plan
  beyond the organization's limits needs an owner (``portal_plan_needs_owner`` for a collector);
* a billing contact — the contact is added as the billing contact (the others stop being
  billing contacts, and stay contacts), and a confirmation e-mail goes to the old billing
  address(es) and to the new one through the outbox, each once (idempotency key
  ``portal:<request>:contact:<address>``; composed by :mod:`gvia.services.portal.notices`).

A rejection changes nothing but the request. Either way the decision goes on the timeline and in
the audit. A request already decided is refused (``portal_request_decided``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction

from gvia.core.errors import RefusedFor
from gvia.core.money import Money
from gvia.services import audit, clock
from gvia.services.arrangements import plans as plan_service
from gvia.services.arrangements import promises as promise_service
from gvia.services.context import Ctx
from gvia.services.engine.activities import timeline
from gvia.services.lookup import owned
from gvia.services.sending.compose import recipients_for
from gvia.store import prepared
from gvia.store.models import Activity, Contact, Customer, OutboxMessage
from gvia.store.models_portal_requests import PortalRequest

__all__ = ["pending", "get_request", "decide", "CONTACT_NOTICE", "PortalRequestRow", "request_row"]

#: The outbox document of the confirmation that the billing contact changed.
CONTACT_NOTICE = "portal_contact_changed"


def pending(ctx: Ctx, customer: Customer | None = None) -> list[PortalRequest]:
    """The requests waiting for a person, oldest first (one customer's, or the organization's)."""
    ctx.require("viewer", "listing the customers' requests")

    def waiting():
        return PortalRequest.objects.filter(organization=ctx.org, status=PortalRequest.Status.PENDING)

    if customer is None:
        return list(waiting().select_related("customer", "organization").order_by("at", "id"))
    # one customer's (its page, on every visit): the query compiled once (gvia.store.prepared)
    found = prepared.models(("portal.pending", ctx.org.pk), PortalRequest,
                                lambda cid: waiting().filter(customer_id=cid).order_by("at", "id"), customer.id)
    for q in found:
        q.customer, q.organization = customer, ctx.org
    return found


@dataclass(frozen=True)
class PortalRequestRow:
    """A pending request as the worklist and the customer page show it."""

    request_id: int
    customer_id: int
    customer_ref: str
    customer_name: str
    kind: str                       # promise, plan, contact
    day: date                       # the day the customer asked
    waits_for: tuple[str, ...]      # codes: why it waits for a person
    amount: Money | None = None     # a promise's amount, a plan's total
    due: date | None = None         # a promise's date, a plan's first instalment
    installments: int | None = None
    email: str = ""                 # a proposed contact's address
    note: str = ""                  # what the customer wrote with it


def request_row(q: PortalRequest) -> PortalRequestRow:
    data = q.data or {}
    figure = data.get("amount") or data.get("total")
    when = data.get("due") or data.get("first")
    return PortalRequestRow(q.id, q.customer_id, q.customer.ref, q.customer.name, q.kind,
                            clock.org_today(q.organization, q.at),
                            tuple(q.waits_for or ()),
                            Money.of(Decimal(str(figure)), data["currency"]) if figure else None,
                            date.fromisoformat(when) if when else None,
                            int(data["installments"]) if data.get("installments") else None,
                            str(data.get("email", "")), str(data.get("note", "")))


def get_request(ctx: Ctx, request_id: int | str, lock: bool = False) -> PortalRequest:
    return owned(ctx, PortalRequest, request_id, "customer's request", lock=lock)


def _contact_notices(ctx: Ctx, req: PortalRequest, customer: Customer, old: list[str], new: str,
                     now: datetime) -> list[OutboxMessage]:
    today = clock.org_today(ctx.org, now)
    out = []
    for address in dict.fromkeys([*old, new]):
        msg, _created = OutboxMessage.objects.get_or_create(
            organization=ctx.org, idempotency_key=f"portal:{req.id}:contact:{address.lower()}"[:200],
            defaults={"customer": customer, "channel": "email", "document": CONTACT_NOTICE,
                      "language": customer.language or ctx.org.default_language,
                      "status": OutboxMessage.Status.QUEUED, "approved_by": ctx.actor, "approved_at": now,
                      "planned_for": today, "to_addrs": [address],
                      "reasons": [["portal_contact_changed", {"request": req.id, "new": new, "old": old}]]})
        out.append(msg)
    return out


def decide(ctx: Ctx, request_id: int | str, approve: bool, note: str = "", now: datetime | None = None
           ) -> PortalRequest:
    """Approve or reject a pending request (rules in the module docstring)."""
    ctx.require("collector", "deciding a customer's request")
    now = now or clock.now_utc()
    today = clock.org_today(ctx.org, now)
    with transaction.atomic():
        req = get_request(ctx, request_id, lock=True)
        if req.status != PortalRequest.Status.PENDING:
            raise RefusedFor("portal_request_decided", f"request {req.id} is already {req.status}")
        customer = req.customer
        data = req.data or {}
        details: dict = {}
        if approve and req.kind == PortalRequest.Kind.PROMISE:
            p = promise_service.record_promise(ctx, customer.ref, data["amount"], data["due"], "portal",
                                               currency=data["currency"], note=data.get("note", ""), now=now,
                                               replace_open=True)
            req.result_id = p.id
        elif approve and req.kind == PortalRequest.Kind.PLAN:
            if "plan_beyond_limits" in (req.waits_for or []) and ctx.role != "owner":
                raise RefusedFor("portal_plan_needs_owner", "the plan goes beyond the limits: an owner decides")
            first = max(data["first"], today.isoformat())
            created = plan_service.create_plan(ctx, customer.ref, int(data["installments"]), data["frequency"],
                                               first, currency=data["currency"], now=now)
            req.result_id = created.plan.id
        elif approve and req.kind == PortalRequest.Kind.CONTACT:
            Customer.objects.select_for_update().filter(id=customer.id).first()
            old = [a for a in recipients_for(customer)[0] if a.lower() != data["email"].lower()]
            Contact.objects.filter(customer=customer, is_billing=True).update(is_billing=False)
            contact = Contact.objects.create(customer=customer, name=data.get("name", ""), email=data["email"],
                                             phone=data.get("phone", ""), is_billing=True)
            req.result_id = contact.id
            details["notices"] = [m.id for m in _contact_notices(ctx, req, customer, old, data["email"], now)]
        elif approve:
            raise RefusedFor("portal_request_decided", f"a {req.kind} request is not decided")
        req.status = PortalRequest.Status.APPROVED if approve else PortalRequest.Status.REJECTED
        req.decided_by = ctx.actor
        req.decided_at = now
        req.decision_note = note.strip()[:500]
        req.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "result_id"])
        event = f"portal.{req.kind}_{'approved' if approve else 'rejected'}"
        timeline(ctx.org, customer.id, Activity.Kind.PORTAL, today, now, f"{event} (request {req.id})", ctx.actor,
                 event=event, request=req.id, note=req.decision_note)
        audit.record(ctx, f"portal.request_{'approved' if approve else 'rejected'}", req, customer=customer.ref,
                     kind=req.kind, note=req.decision_note, **details)
    return req

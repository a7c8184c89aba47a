"""What the customer's page needs to show its answers (``portal/_actions.html``, issue 16):
``{% portal_answers as answers %}`` reads the page's context (``org``, ``customer``, ``link``,
``today``) and gives the reasons for non-payment the page offers, the dispute reasons, the plans
it proposes within the organization's limits (:func:`gvia.services.portal.actions.plan_options`),
the open balance a promise covers, the attachment limit, and what the customer sent before (their
last :data:`RECENT` answers, worded, with where each stands)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django import template

from gvia.core import disputes, nonpayment
from gvia.core.errors import GviaError
from gvia.core.money import Money
from gvia.services import clock
from gvia.services.portal import actions
from gvia.store.models_portal_requests import PortalRequest

from ..portal import words
from .portal import pt

#: How many of the customer's own answers the page lists.
RECENT = 5

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_answers(context) -> dict:
    visitor = actions.Visitor(context["org"], context["customer"], getattr(context.get("link"), "id", None))
    today = context["today"]
    try:
        plans = actions.plan_options(visitor, today)
    except GviaError:           # nothing owed, or owed in several currencies: no plan, no "everything"
        plans = None
    return {"mine": _mine(context, visitor), "reasons": nonpayment.CUSTOMER_REASONS,
            "dispute_reasons": disputes.REASONS, "plans": plans,
            "balance": plans.balance if plans else None, "first": plans.first if plans else today + timedelta(days=7),
            "latest_first": today + timedelta(days=actions.PLAN_FIRST_WITHIN_DAYS),
            "upload_most": actions.UPLOAD_MAX_BYTES // (1024 * 1024),
            "accept": ",".join(kind[1] for kind in actions.UPLOAD_TYPES.values())}


def _said(req: PortalRequest, lang: str, org) -> tuple[str, str]:
    """What the customer sent, worded, and where it stands (``act.status.<status>``)."""
    data = req.data or {}
    params: dict = {"day": clock.org_today(org, req.at)}
    if req.kind == PortalRequest.Kind.TOLD:
        params["reason"] = words.text(f"nonpayment.{data.get('reason', 'other')}", lang)
    elif req.kind == PortalRequest.Kind.PROMISE:
        params.update(amount=Money.of(Decimal(str(data["amount"])), data["currency"]),
                      due=date.fromisoformat(data["due"]))
    elif req.kind == PortalRequest.Kind.PLAN:
        params["amount"] = Money.of(Decimal(str(data["total"])), data["currency"])
    elif req.kind == PortalRequest.Kind.DISPUTE:
        params["invoices"] = ", ".join(data.get("invoices", []))
    else:
        params["email"] = data.get("email", "")
    return pt({"lang": lang}, f"act.mine.{req.kind}", **params), words.text(f"act.status.{req.status}", lang)


def _mine(context, visitor: actions.Visitor) -> list[tuple[str, str]]:
    rows = PortalRequest.objects.filter(organization=visitor.org, customer=visitor.customer).order_by("-at", "-id")
    return [_said(req, context["lang"], visitor.org) for req in rows[:RECENT]]

"""What the customer's page needs to show its answers (``portal/_actions.html``, issue 16):
``{% portal_answers as answers %}`` reads the page's context (``org``, ``customer``, ``link``,
``today``) and gives the reasons for non-payment the page offers, the dispute reasons, the plans
it proposes within the organization's limits (:func:`gvia.services.portal.actions.plan_options`),
the open balance a promise covers, and the attachment limit."""

from __future__ import annotations

from datetime import timedelta

from django import template

from gvia.core import disputes, nonpayment
from gvia.core.errors import GviaError
from gvia.services.portal import actions

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_answers(context) -> dict:
    visitor = actions.Visitor(context["org"], context["customer"], getattr(context.get("link"), "id", None))
    today = context["today"]
    try:
        plans = actions.plan_options(visitor, today)
    except GviaError:           # nothing owed, or owed in several currencies: no plan, no "everything"
        plans = None
    return {"reasons": nonpayment.CUSTOMER_REASONS, "dispute_reasons": disputes.REASONS, "plans": plans,
            "balance": plans.balance if plans else None, "first": plans.first if plans else today + timedelta(days=7),
            "latest_first": today + timedelta(days=actions.PLAN_FIRST_WITHIN_DAYS),
            "upload_most": actions.UPLOAD_MAX_BYTES // (1024 * 1024),
            "accept": ",".join(kind[1] for kind in actions.UPLOAD_TYPES.values())}

"""A person decides what a customer asked for on their page (issue 16): approve or reject a
pending request (a promise beyond the page's limits, a payment plan, a new billing contact) from
the customer page's case card, where settlements are approved too. The rules are
:func:`gvia.services.portal.requests.decide`'s; a refusal comes back as a message in the reader's
language."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from gvia.core.errors import GviaError, NotFound
from gvia.services.portal import requests

from ..access import member_required
from ..request import GviaRequest
from .common import done, report_error, safe_next
from .customers import _customer

DECISIONS = {"approve": True, "reject": False}


@require_POST
@member_required("collector")
def decide(request: GviaRequest, pk: int, item: int, decision: str) -> HttpResponse:
    customer = _customer(request, pk)
    if decision not in DECISIONS:
        raise Http404("no such decision")
    try:
        if requests.get_request(request.ctx, item).customer_id != customer.id:
            raise NotFound(f"no request {item} of {customer.ref}")
        req = requests.decide(request.ctx, item, DECISIONS[decision], request.POST.get("note", ""))
    except GviaError as exc:
        report_error(request, exc)      # a record not found: 404
    else:
        done(request, f"portal_request.{req.status}")
    return redirect(safe_next(request, reverse("customer_detail", args=[customer.id]) + "#portal-requests"))

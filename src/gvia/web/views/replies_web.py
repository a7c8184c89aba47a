"""A person decides what the reply mailbox could not (issue 16), from the worklist: assign a
message from nobody known to a customer, or dismiss it (:mod:`gvia.services.mailbox.unmatched`);
confirm a promise read in what a customer wrote — with the amount and date corrected if need
be — or dismiss it (:mod:`gvia.services.arrangements.suggestions`); say an address that bounced
works again (:func:`gvia.services.mailbox.placing.address_works`). The ids come in the form,
and the services find only the organization's own; a refusal comes back as a message in the
reader's language."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from gvia.core.errors import GviaError, NotFound
from gvia.services.arrangements import suggestions
from gvia.services.mailbox import placing, unmatched

from ..access import member_required
from ..request import GviaRequest
from .common import done, report_error, safe_next


def _back(request: GviaRequest) -> HttpResponse:
    return redirect(safe_next(request, reverse("worklist")))


@require_POST
@member_required("collector")
def suggestion_decide(request: GviaRequest) -> HttpResponse:
    decision = request.POST.get("decision", "")
    try:
        if decision == "confirm":
            promise = suggestions.confirm(request.ctx, request.POST.get("id", ""),
                                          amount=request.POST.get("amount", "").strip() or None,
                                          due=request.POST.get("due", "").strip() or None)
            done(request, "suggestion.confirmed", due=promise.due)
        elif decision == "dismiss":
            suggestions.dismiss(request.ctx, request.POST.get("id", ""))
            done(request, "suggestion.dismissed")
        else:
            raise NotFound(f"no decision {decision!r}")
    except GviaError as exc:
        report_error(request, exc)
    return _back(request)


@require_POST
@member_required("collector")
def unmatched_decide(request: GviaRequest) -> HttpResponse:
    decision = request.POST.get("decision", "")
    try:
        if decision == "assign":
            row = unmatched.assign(request.ctx, request.POST.get("id", ""), request.POST.get("customer", "").strip())
            done(request, "unmatched.assigned", customer=row.customer.name if row.customer else "")
        elif decision == "dismiss":
            unmatched.dismiss(request.ctx, request.POST.get("id", ""))
            done(request, "unmatched.dismissed")
        else:
            raise NotFound(f"no decision {decision!r}")
    except GviaError as exc:
        report_error(request, exc)
    return _back(request)


@require_POST
@member_required("collector")
def address_works(request: GviaRequest) -> HttpResponse:
    """A person says mail to an address that bounced works again (or a working contact was found)."""
    address = request.POST.get("address", "").strip()
    if placing.address_works(request.ctx, address):
        done(request, "failing.works_again", address=address)
    else:
        raise Http404("not a failing address of this organization")
    return _back(request)

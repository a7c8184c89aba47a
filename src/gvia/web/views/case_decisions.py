"""Decisions a person makes so that nothing misfires (issue 13): what happens after a rejected
message — plan it again, skip the stage, or pause
(:func:`gvia.services.engine.rejections.choose`), posted from the customer page's case card.

A refusal is worded from the web catalog (``rejection.refused.<code>``; a pause's own checks
come back as the pause form's problems) and shown at the top of the customer page.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages as flash
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from gvia.core.errors import GviaError, RefusedFor, ValidationFailed
from gvia.services.engine import rejections

from .. import i18n, words
from ..access import member_required
from ..request import GviaRequest
from .common import done, report_error
from .customers import _customer

REFUSED = "rejection.refused"        # the catalog's prefix of these refusals (rejection.refused.<code>)


@require_POST
@member_required("collector")
def after_rejection(request: GviaRequest, pk: int) -> HttpResponse:
    customer = _customer(request, pk)
    choice = request.POST.get("choice", "")
    until: date | None = None
    text = (request.POST.get("until") or "").strip()
    if text:
        try:
            until = date.fromisoformat(text)
        except ValueError:
            until = None
    try:
        rejections.choose(request.ctx, customer, choice, until=until, reason=request.POST.get("reason", "").strip())
    except RefusedFor as exc:
        flash.error(request, words.refusal_text(exc, request.access.lang, REFUSED))
    except ValidationFailed as exc:
        for p in exc.problems:
            flash.error(request, i18n.text(f"rejection.problem.{p.field}", request.access.lang))
    except GviaError as exc:
        report_error(request, exc)
    else:
        done(request, f"rejection.done.{choice}")
    return redirect(reverse("customer_detail", args=[customer.id]) + "#case")

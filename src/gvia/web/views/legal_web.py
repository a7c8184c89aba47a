"""The customer's legal routes (Israel) and the filing pack for a fixed-sum claim (issue 15).

``/customers/<pk>/legal/`` (GET, viewer): every route of the one route computation
(:func:`gvia.services.legal.routes.routes`) on the first filing day, whether it fits and why,
its conditions, and the notes (disputed or time-barred invoices left out); worded from the web
catalog (``route.<code>``, ``problem.<code>``). ``/customers/<pk>/legal/pack/`` (POST,
collector: building it is audited): the filing pack
(:func:`gvia.services.legal.filing_pack.build`) as a PDF, or its data as JSON
(``format=json``). Another organization's customer is a 404 on both.
"""

from __future__ import annotations

import json

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from gvia.core.errors import GviaError, Refused
from gvia.services.legal import filing_pack
from gvia.services.legal import routes as legal_routes

from .. import i18n, pdfs, words
from ..access import member_required
from ..request import GviaRequest
from .case_actions import _pdf
from .common import today
from .customers import _customer

__all__ = ["legal_page", "legal_pack"]


@require_GET
@member_required("viewer")
def legal_page(request: GviaRequest, pk: int) -> HttpResponse:
    customer = _customer(request, pk)
    day = today(request)
    res, refusal = None, ""
    try:
        res = legal_routes.routes(request.ctx, customer, today=day)
    except Refused as exc:          # nothing overdue in shekels
        refusal = words.refusal_text(exc, i18n.normalize(getattr(request, "LANGUAGE_CODE", "he")))
    return render(request, "gvia/customers/legal.html", {"c": customer, "res": res, "refusal": refusal})


@require_POST
@member_required("collector")
def legal_pack(request: GviaRequest, pk: int) -> HttpResponse:
    customer = _customer(request, pk)
    lang = i18n.normalize(getattr(request, "LANGUAGE_CODE", "he"))
    try:
        pack = filing_pack.build(request.ctx, customer.ref, today(request), language=lang)
        if request.POST.get("format") == "json":
            response = HttpResponse(json.dumps(pack.as_dict(), ensure_ascii=False, indent=2),
                                    content_type="application/json; charset=utf-8")
            name = pdfs.file_name("filing-pack", customer.ref, pack.context.filing_day.isoformat())
            response["Content-Disposition"] = f'attachment; filename="{name[:-4]}.json"'
            return response
        data = pack.pdf()
    except GviaError as exc:
        return pdfs.refused(request, exc, customer)
    return _pdf(data, pdfs.file_name("filing-pack", customer.ref, pack.context.filing_day.isoformat()), True)

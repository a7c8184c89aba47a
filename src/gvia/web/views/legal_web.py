"""The customer's legal routes (Israel) and the filing pack for a fixed-sum claim (issue 15).

``/customers/<pk>/legal/`` (GET, viewer): every route of the one route computation
(:func:`gvia.services.legal.routes.routes`) on the first filing day, whether it fits and why,
its conditions, and the notes (disputed or time-barred invoices left out); worded from the web
catalog (``route.<code>``, ``problem.<code>``). ``/customers/<pk>/legal/pack/`` (POST,
collector: building it is audited): the filing pack
(:func:`gvia.services.legal.filing_pack.build`) as a PDF, or its data as JSON
(``format=json``). ``/customers/<pk>/legal/creditor/`` (POST, owner): the business as a claimant
— the settings ``legal.creditor`` and ``legal.represented`` the routes read
(:func:`gvia.services.legal.routes.creditor_facts`) — back to the page. Another organization's
customer is a 404 on all three.
"""

from __future__ import annotations

import json

from django.contrib import messages as django_messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from gvia.core.errors import GviaError, Refused
from gvia.services import settings as org_settings
from gvia.services.legal import filing_pack
from gvia.services.legal import routes as legal_routes

from .. import i18n, pdfs, words
from ..access import member_required
from ..request import GviaRequest
from .case_actions import _pdf
from .common import done, today
from .customers import _customer

__all__ = ["legal_page", "legal_pack", "legal_creditor"]

#: the settings the page sets, and the choices each offers (their words: legal.<key>.<choice>)
CREDITOR_SETTINGS = {"legal.creditor": ("unknown", "individual", "company"),
                     "legal.represented": ("unknown", "yes", "no")}


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
    chosen = org_settings.values(request.ctx.org, tuple(CREDITOR_SETTINGS))
    choices = [(key.replace(".", "_"), key, options, chosen[key]) for key, options in CREDITOR_SETTINGS.items()]
    return render(request, "gvia/customers/legal.html", {"c": customer, "res": res, "refusal": refusal,
                                                         "choices": choices})


@require_POST
@member_required("owner")
def legal_creditor(request: GviaRequest, pk: int) -> HttpResponse:
    """Set who the business is as a claimant; a value not offered changes nothing (the page
    again, with a message)."""
    customer = _customer(request, pk)
    wanted = {key: request.POST.get(key.replace(".", "_"), "") for key in CREDITOR_SETTINGS}
    if any(value not in CREDITOR_SETTINGS[key] for key, value in wanted.items()):
        django_messages.error(request, i18n.text("legal.creditor.bad", request.access.lang))
        return redirect(reverse("case_legal", args=[customer.id]))
    for key, value in wanted.items():
        org_settings.set_setting(request.ctx, key, value)
    done(request, "legal.creditor.saved")
    return redirect(reverse("case_legal", args=[customer.id]))


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

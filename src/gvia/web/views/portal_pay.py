"""Paying by card from the customer's page (issue 16): ``POST /p/<token>/pay/`` opens a payment
page at the organization's gateway for the invoices ticked on the page and sends the customer
there (a page that moves on by itself, with a link: a redirect after the form would break the
page's form-action policy); the gateway sends them back to ``/p/<token>/paid/``, which says whether the payment
has been recorded yet (the gateway's notification records it, not this visit). The link is
opened as the page opens it (:func:`gvia.web.portal.views.opened`: the same checks, the same
polite page for an expired or revoked link); the invoices must be that customer's open ones
(:func:`gvia.services.gateways.checkout.start_checkout`), so a link can never pay — or see —
another customer's. The pay button itself is ``portal/_pay.html``, which the page includes.

No CSRF cookie check (``csrf_exempt``), as for the page's answers: the signed token in the URL is
the only credential, and the page's ``Referrer-Policy: no-referrer`` makes the browser post with
``Origin: null``, which Django's origin check refuses. A form posted from elsewhere with a stolen
token can only open a payment page for that customer's own open invoices (20 a day at most);
no money moves without the payer."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from gvia.core.errors import RefusedFor
from gvia.services import settings
from gvia.services.gateways import checkout
from gvia.services.portal import links
from gvia.services.portal import page as page_service
from gvia.store.models_gateways import GatewayCheckout

from ..portal import words
from ..portal.views import Opened, opened, private

#: The most invoices one payment names (a page lists a customer's open invoices).
MOST_INVOICES = 500


def _context(got: Opened, token: str, **extra) -> dict:
    return {"lang": got.lang, "dir": words.direction(got.lang), "token": token, "languages": [],
            "organization": page_service.organization_name(got.org, got.lang),
            "back": f"{links.page_path(token)}?lang={got.lang}", **extra}


@csrf_exempt     # the signed token in the URL is the credential (module docstring)
@require_POST
def portal_pay(request: HttpRequest, token: str) -> HttpResponse:
    got = opened(request, token)
    if isinstance(got, HttpResponse):
        return got
    ids = [int(v) for v in request.POST.getlist("invoice")[:MOST_INVOICES] if v.isdigit()]
    back = str(settings.value(got.org, "public_url")).rstrip("/") + links.page_path(token) + "paid/"
    try:
        url = checkout.start_checkout(got.org, got.customer, ids, today=got.today, return_url=back)
    except RefusedFor as exc:
        key = f"card.refused.{exc.code}" if words.catalogs().text(f"card.refused.{exc.code}", got.lang) \
            else "card.refused.gateway_answer"
        return private(render(request, "portal/pay_result.html",
                              _context(got, token, refused=exc.code, refused_key=key), status=400))
    # not a redirect: the page's Content-Security-Policy allows forms to post to gvia only
    # (form-action 'self'), which browsers apply to a redirect after the post too; a page that
    # moves on by itself (and a link, if it does not) is a navigation the policy does not stop
    return private(render(request, "portal/pay_go.html", _context(got, token, go=url)))


@require_GET
def portal_paid(request: HttpRequest, token: str) -> HttpResponse:
    got = opened(request, token)
    if isinstance(got, HttpResponse):
        return got
    latest = GatewayCheckout.objects.filter(organization=got.org, customer=got.customer).order_by("-id").first()
    paid = latest is not None and latest.status == GatewayCheckout.Status.PAID
    return private(render(request, "portal/pay_result.html", _context(got, token, paid=paid)))

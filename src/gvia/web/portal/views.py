"""The customer's page: ``/p/<token>/`` and its statement, ``/p/<token>/statement.pdf``.

No sign-in: the signed token (:mod:`gvia.services.portal.links`) decides whose page opens, and
nothing in the URL or the form can point it at another customer. A token that is not gvia's, or
names no link, gets a polite "not found" page (404); an expired or revoked link one that says so,
in the customer's language, naming the business (410) — never Django's own error page.

The page speaks ``?lang=`` when the page has that language (the language switch is plain links),
else the customer's language, else the organization's (:func:`gvia.web.portal.words.choose`).
Every answer is private: not cached, not indexed, and sends no Referer (the token is in the URL).

Other pieces add to the page through their own templates, included when they exist
(:data:`PARTS`): ``portal/_pay.html`` (the pay button) and ``portal/_actions.html`` (what the
customer can answer). They get the page's context: ``lang``, ``dir``, ``token``, ``link`` (the
:class:`~gvia.store.models.PortalLink`), ``org``, ``customer``, ``page`` (the
:class:`~gvia.services.portal.page.PortalPage`), ``today``. Their own views open the link with
:func:`opened` (the same checks, the same polite page).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.http import require_GET

from gvia import locale
from gvia.core.errors import GviaError, RefusedFor
from gvia.services import clock
from gvia.services.portal import links
from gvia.services.portal import page as page_service
from gvia.store.models import Customer, Organization, PortalLink

from .. import display
from ..pdfs import file_name
from . import words

#: Templates of other pieces the page includes when they exist, in this order.
PARTS = ("portal/_pay.html", "portal/_actions.html")


@dataclass(frozen=True)
class Opened:
    """A link that opens its page now: the row, its organization and customer, the page's language."""

    link: PortalLink
    org: Organization
    customer: Customer
    lang: str
    today: date
    token: str


def private(response: HttpResponse) -> HttpResponse:
    """Not kept by a browser or a proxy, not indexed, and no Referer with the token leaves the page."""
    response["Cache-Control"] = "no-store, private"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _asked_language(request: HttpRequest) -> str | None:
    return words.known(request.GET.get("lang"))


def _browser_languages(request: HttpRequest) -> list[str]:
    """The languages the browser asks for (Accept-Language, best first), then Django's choice."""
    asked = [code for code, _q in parse_accept_lang_header(request.headers.get("Accept-Language", ""))]
    return [*asked, translation.get_language_from_request(request)]


def gone(request: HttpRequest, exc: RefusedFor) -> HttpResponse:
    """The polite page of a link that does not open: in the customer's language when gvia knows
    whose link it was, else the one asked for, else the browser's."""
    params = exc.params
    lang = words.choose(_asked_language(request), str(params.get("language") or ""), *_browser_languages(request))
    display.activate(lang)
    status = {"portal_link_unknown": 404, "portal_link_expired": 410, "portal_link_revoked": 410}.get(exc.code, 409)
    context = {"lang": lang, "dir": words.direction(lang), "code": exc.code,
               "organization": (lang != "he" and params.get("organization_en")) or params.get("organization", ""),
               "expired_on": params.get("expired_on"),
               "languages": _switch(request, lang)}
    return private(render(request, "portal/gone.html", context, status=status))


def opened(request: HttpRequest, token: str) -> Opened | HttpResponse:
    """The link ``token`` opened now, or the polite page to answer with."""
    try:
        link = links.resolve_link(token)
    except RefusedFor as exc:
        return gone(request, exc)
    org, customer = link.organization, link.customer
    lang = words.choose(_asked_language(request), customer.language, org.default_language)
    display.activate(lang, org.country, org.time_zone)
    return Opened(link=link, org=org, customer=customer, lang=lang, today=clock.org_today(org), token=token)


def _switch(request: HttpRequest, lang: str) -> list[dict[str, str]]:
    """The other languages of the page, each named in its own words, as links to the same page."""
    return [{"code": code, "name": locale.own_name(code), "dir": words.direction(code), "href": f"?lang={code}"}
            for code in words.languages() if code != lang]


@lru_cache(maxsize=None)
def _exists(name: str) -> bool:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


def parts() -> list[str]:
    """The templates of :data:`PARTS` that exist."""
    return [name for name in PARTS if _exists(name)]


@require_GET
def portal_page(request: HttpRequest, token: str) -> HttpResponse:
    """The customer's page: what is open and due, the statement, how to pay, and the answers."""
    got = opened(request, token)
    if isinstance(got, HttpResponse):
        return got
    links.record_opened(got.link, today=got.today, at=clock.now_utc())
    shown = page_service.page_of(got.link, today=got.today, lang=got.lang)
    context = {"lang": got.lang, "dir": words.direction(got.lang), "token": token, "link": got.link,
               "org": got.org, "customer": got.customer, "page": shown, "today": got.today,
               "languages": _switch(request, got.lang), "parts": parts(),
               "statement_href": f"statement.pdf?lang={got.lang}"}
    return private(render(request, "portal/page.html", context))


@require_GET
def portal_statement(request: HttpRequest, token: str) -> HttpResponse:
    """The customer's statement of account today, as a PDF download."""
    got = opened(request, token)
    if isinstance(got, HttpResponse):
        return got
    try:
        data = page_service.statement_pdf(got.link, today=got.today, lang=got.lang)
    except GviaError:
        return gone(request, RefusedFor("portal_statement_unavailable", language=got.lang,
                                        organization=page_service.organization_name(got.org, got.lang)))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{file_name("statement", got.customer.ref, got.today.isoformat())}"')
    return private(response)

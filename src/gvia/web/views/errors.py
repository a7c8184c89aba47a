"""The pages of a request that went wrong — no such page (404), a server error (500) — in the
reader's language: the signed-in member's, else the browser's (Django's own are English).
Installed as ``handler400`` / ``handler404`` / ``handler500`` in :mod:`gvia.web.urls`; views answer
a malformed form with :func:`bad_request`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from ..access import activate_language, resolve_access
from ..i18n import normalize


def _page(request: HttpRequest, status: int, key: str) -> HttpResponse:
    access = getattr(request, "access", None)
    if access is None:
        try:
            access = resolve_access(request)
        except Exception:   # noqa: BLE001 — the error page itself must not fail (a 500 may come from the database)
            access = None
    if access is not None:
        request.access = access                     # type: ignore[attr-defined]  # the layout's menus read it
        activate_language(request, access.lang, access.org)
    else:
        activate_language(request, normalize(translation.get_language_from_request(request)))
    layout = "gvia/base.html" if access is not None else "gvia/public.html"
    return render(request, "gvia/error.html", {"layout": layout, "title_key": f"error.{key}.title",
                                                "text_key": f"error.{key}.text"}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A form sent without what its page always sends (not something a person can do on the page)."""
    return _page(request, 400, "bad_request")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404, "not_found")


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(request, 500, "server_error")

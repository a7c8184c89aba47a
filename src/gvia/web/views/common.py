"""What every view module shares: today's business date, and errors mapped to responses."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme

from gvia.core.errors import GviaError, NotFound
from gvia.services.clock import org_today

from .. import i18n, words
from ..request import GviaRequest


def today(request: GviaRequest) -> date:
    """The business date in the organization's time zone: what every page counts days from."""
    return org_today(request.ctx.org)


def requested_as_of(request: GviaRequest) -> date:
    """`?as_of=YYYY-MM-DD` when it is a date, else today (a bad value is ignored, not an error)."""
    text = request.GET.get("as_of")
    if text:
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    return today(request)


def report_error(request: GviaRequest, exc: GviaError) -> None:
    """Show a refused or failed change as a message at the top of the page."""
    if isinstance(exc, NotFound):
        raise Http404(str(exc))
    for line in words.error_texts(exc, i18n.normalize(getattr(request, "LANGUAGE_CODE", "he"))):
        messages.error(request, line)


def done(request: GviaRequest, key: str, **params) -> None:
    """A success message in the user's language."""
    messages.success(request, i18n.text(key, i18n.normalize(getattr(request, "LANGUAGE_CODE", "he")), **params))


def safe_next(request: GviaRequest, fallback: str) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return nxt
    return fallback


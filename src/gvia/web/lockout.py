"""Throttling sign-ins (django-axes): 10 failures for one account within 15 minutes lock that
account for 15 minutes — the right password is refused too — and 50 failures from one address
lock that address. The page says, in the reader's language, when to try again; an owner unlocks a
member on the users page, anyone with the command line by ``gvia users unlock EMAIL``.

Axes keeps one count per (account, address) in ``AccessAttempt``; its own rule has one limit for
every parameter, so :class:`Handler` counts the account's failures and the address's failures
apart and weighs the address's so that both reach axes' limit (:data:`ACCOUNT_LIMIT`) together.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.contrib.auth.backends import ModelBackend
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone, translation

ACCOUNT_LIMIT = 10
ADDRESS_LIMIT = 50
LOCK_MINUTES = 15


def username_of(request, credentials: dict | None = None) -> str:
    """The account a sign-in names: the lower-cased e-mail (user names are the e-mail)."""
    name = (credentials or {}).get("username") or (request.POST.get("username", "") if request else "")
    return str(name).strip().lower()


def client_address(request) -> str:
    """The address sign-in failures are counted for: the connection's, or behind the HTTPS proxy
    (``GVIA_HTTPS=1``) the address that proxy saw, the last of X-Forwarded-For."""
    from django.conf import settings

    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") if getattr(settings, "HTTPS", False) else ""
    if forwarded.strip():
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _recent(now: datetime | None = None):
    return AccessAttempt.objects.filter(attempt_time__gte=(now or timezone.now()) - timedelta(minutes=LOCK_MINUTES))


def _failures(attempts) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class Handler(AxesDatabaseHandler):
    """Axes' database handler with one limit for the account and another for the address."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        recent = _recent(getattr(request, "axes_attempt_time", None))
        username = username_of(request, credentials)
        account = _failures(recent.filter(username=username)) if username else 0
        address = _failures(recent.filter(ip_address=getattr(request, "axes_ip_address", None)))
        # the address reaches the limit with ADDRESS_LIMIT failures, the account with ACCOUNT_LIMIT
        return max(account, address * ACCOUNT_LIMIT // ADDRESS_LIMIT)


def locked_until(username: str = "", address: str | None = None) -> datetime | None:
    """When the lock on this account (or address) ends; None when it is not locked."""
    now = timezone.now()
    ends = []
    for field, value, limit in (("username", username, ACCOUNT_LIMIT), ("ip_address", address, ADDRESS_LIMIT)):
        if not value:
            continue
        attempts = _recent(now).filter(**{field: value})
        if _failures(attempts) >= limit:
            ends.append(attempts.aggregate(last=Max("attempt_time"))["last"] + timedelta(minutes=LOCK_MINUTES))
    return max(ends) if ends else None


def unlock(username: str) -> int:
    """Forget the failed sign-ins of this account (every address): it may sign in again now."""
    count, _ = AccessAttempt.objects.filter(username=username.strip().lower()).delete()
    return count


def lockout_response(request, original_response=None, credentials: dict | None = None):
    """The sign-in page again, saying the account (or address) is locked and when to try again."""
    from . import forms, i18n

    lang = i18n.normalize(getattr(request, "LANGUAGE_CODE", None) or translation.get_language())
    until = locked_until(username_of(request, credentials), getattr(request, "axes_ip_address", None)) \
        or timezone.now() + timedelta(minutes=LOCK_MINUTES)
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    message = i18n.text("auth.locked", lang, minutes=minutes)
    form = forms.EmailLoginForm(request, data=None)
    return render(request, "gvia/auth/login.html", {"form": form, "locked": message,
                                                    "next": request.POST.get("next", "")}, status=429)


class Backend(ModelBackend):
    """Axes' authentication backend, asked first: refuses a locked account or address before the
    password is looked at (and otherwise lets the next backend check the password). Without a
    request (``Client.login`` in tests) there is nothing to count and it stands aside. It reads a
    signed-in user back from the session like Django's own backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        from axes.backends import AxesStandaloneBackend

        return AxesStandaloneBackend().authenticate(request, username=username, password=password, **kwargs)

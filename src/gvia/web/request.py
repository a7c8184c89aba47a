"""The request as gvia's views see it, for the type checker: Django's ``HttpRequest`` with the
attributes that django-htmx's middleware and :func:`gvia.web.access.member_required` put on it.

Django builds the request (a ``WSGIRequest``); this class is never instantiated, it only names
what a view may read (the pattern django-stubs documents for request attributes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django_htmx.middleware import HtmxDetails

    from gvia.services.context import Ctx

    from .access import Access


class GviaRequest(HttpRequest):
    htmx: HtmxDetails     # django_htmx.middleware.HtmxMiddleware, on every request
    access: Access        # member_required: the user's standing in the organization
    ctx: Ctx              # member_required: access.ctx, what the services take
    user: User            # member_required: a signed-in user, never AnonymousUser

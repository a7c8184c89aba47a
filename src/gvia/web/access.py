"""Who is asking, for which organization, with which role — resolved once per request.

The current organization is kept in the session (``SESSION_ORG``) and is always one of the
user's own memberships: a stale or forged value falls back to the user's first organization, so
a user never acts in an organization they do not belong to. Every view that shows or changes
business data is wrapped in :func:`member_required`, which puts an :class:`Access` on the request
(``request.access``; ``request.ctx`` is the service :class:`~gvia.services.context.Ctx`) and
activates the user's language. Every query a view makes is then scoped with ``request.ctx.org``.

Roles rank viewer < collector < owner (``gvia.services.context.ROLE_RANK``). Reading needs
viewer; changing data needs collector; organization settings and people need owner. A view that
is refused answers 403 with a page that says why.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from gvia.services import settings as org_settings
from gvia.services.context import ROLE_RANK, Ctx
from gvia.store import prepared
from gvia.store.models import Membership

from . import display
from .i18n import languages, normalize
from .request import GviaRequest

SESSION_ORG = "gvia_org"
CHANGE_ROLE = "collector"   # the least role that may change data


@dataclass(frozen=True)
class Access:
    """The signed-in user's standing in the current organization."""

    ctx: Ctx
    membership: Membership
    memberships: tuple[Membership, ...]   # every organization of the user, for the switcher

    @property
    def org(self):
        return self.ctx.org

    @property
    def role(self) -> str:
        return self.ctx.role

    @property
    def lang(self) -> str:
        return language_of(self.membership)

    def can(self, role: str) -> bool:
        """True when the user has at least ``role`` here."""
        return ROLE_RANK[self.ctx.role] >= ROLE_RANK[role]

    @property
    def can_change(self) -> bool:
        return self.can(CHANGE_ROLE)

    @property
    def is_owner(self) -> bool:
        return self.can("owner")


def language_of(membership: Membership) -> str:
    """The user's language here: their own choice, else the organization's default, else Hebrew
    (a language counts when the web has its catalog)."""
    for lang in (membership.language, membership.organization.default_language):
        if lang in languages():
            return lang
    return "he"


def memberships_of(user) -> tuple[Membership, ...]:
    """The user's memberships, each with its organization: asked on every request, so a prepared
    query (:mod:`gvia.store.prepared`, the user's id in place)."""
    return tuple(prepared.models(("memberships",), Membership, _memberships, user.pk))


def _memberships(user_id: int):
    return (Membership.objects.filter(user_id=user_id).select_related("organization")
            .order_by("organization__name", "organization_id"))


def resolve_access(request: HttpRequest) -> Access | None:
    """The current organization among the user's memberships, or None when they have none."""
    if not request.user.is_authenticated:
        return None
    memberships = memberships_of(request.user)
    if not memberships:
        return None
    wanted = request.session.get(SESSION_ORG)
    current = next((m for m in memberships if m.organization_id == wanted), memberships[0])
    if wanted != current.organization_id:
        request.session[SESSION_ORG] = current.organization_id
    ctx = Ctx(current.organization, request.user, current.role)
    return Access(ctx, current, memberships)


def activate_language(request: HttpRequest, lang: str, org=None) -> None:
    """Use ``lang`` (he, en, …) for this request's texts, Django's own messages, and the
    organization's country and time zone for amounts, dates and times."""
    translation.activate(lang)
    request.LANGUAGE_CODE = lang
    display.activate(lang, getattr(org, "country", ""), getattr(org, "time_zone", ""))


def forbidden(request: HttpRequest, reason: str) -> HttpResponse:
    """403 with a page that says why (``reason``: no_membership, needs_collector, needs_owner)."""
    layout = "gvia/base.html" if getattr(request, "access", None) else "gvia/public.html"
    return render(request, "gvia/forbidden.html", {"reason_key": f"forbidden.{reason}", "layout": layout},
                  status=403)


def _second_factor_missing(request: HttpRequest, access: Access) -> bool:
    """An owner, in an organization whose owners must use a second factor, whose session was not
    confirmed with one (gvia.web.views.twofactor)."""
    if access.role != "owner" or not org_settings.value(access.org, "owner_two_factor"):
        return False
    is_verified = getattr(request.user, "is_verified", None)
    return not (is_verified and is_verified())


def member_required(role: str = "viewer", *, change: bool | None = None, second_factor: bool = True) -> Callable:
    """Decorator: the user is signed in, belongs to an organization and has at least ``role``.

    ``change=True`` marks a view that changes data on POST: a GET needs only ``role``, a POST
    needs at least collector (or ``role`` when that is higher). Sets ``request.access`` and
    ``request.ctx``. An owner of an organization that requires a second factor, whose session
    was not confirmed with one, is sent to the second-factor page first (``second_factor=False``:
    that page itself).
    """
    if role not in ROLE_RANK:
        raise ValueError(f"unknown role {role!r}")

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request: GviaRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            access = resolve_access(request)
            if access is None:
                activate_language(request, normalize(translation.get_language()))
                return forbidden(request, "no_membership")
            request.access = access
            request.ctx = access.ctx
            activate_language(request, access.lang, access.org)
            if second_factor and _second_factor_missing(request, access):
                return redirect_to_login(request.get_full_path(), "/account/two-factor/", "next")
            needed = role
            if change and request.method == "POST" and ROLE_RANK[needed] < ROLE_RANK[CHANGE_ROLE]:
                needed = CHANGE_ROLE
            if not access.can(needed):
                return forbidden(request, f"needs_{needed}")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

"""Who is acting, for which organization. Every service takes a :class:`Ctx`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from gvia.core.errors import NotFound, Refused
from gvia.store.models import Membership, Organization

if TYPE_CHECKING:
    from django.contrib.auth.models import User

ROLE_RANK = {"viewer": 0, "collector": 1, "owner": 2}


@dataclass(frozen=True)
class Ctx:
    org: Organization
    user: User | None    # None for the system
    role: str = "owner"

    @property
    def actor(self) -> str:
        return getattr(self.user, "email", None) or "system"

    def require(self, role: str, what: str) -> None:
        """Refuse unless the acting user has at least ``role``."""
        if ROLE_RANK[self.role] < ROLE_RANK[role]:
            raise Refused(f"{what} needs the {role} role; {self.actor} is {self.role}")


def resolve(org: str | None = None, as_user: str | None = None) -> Ctx:
    """Find the organization (by slug, name or id; the only one if not named) and the acting user."""
    qs = Organization.objects.all()
    if org:
        found = [o for o in qs.filter(slug=org)] or [o for o in qs.filter(name=org)]
        if not found and org.isdigit():
            found = list(qs.filter(id=int(org)))
        if not found:
            raise NotFound(f"no organization {org!r}; known: {', '.join(o.slug for o in qs) or 'none'}")
        organization = found[0]
    else:
        orgs = list(qs[:2])
        if not orgs:
            raise NotFound("no organization yet: run `gvia init` (or `gvia demo`) first")
        if len(orgs) > 1:
            raise Refused("this database holds several organizations; name one with --org "
                          f"({', '.join(o.slug for o in qs)})")
        organization = orgs[0]
    if not as_user:
        return Ctx(organization, None, "owner")
    User = get_user_model()
    user = User.objects.filter(email__iexact=as_user).first()
    if user is None:
        raise NotFound(f"no user with e-mail {as_user!r}")
    membership = Membership.objects.filter(user=user, organization=organization).first()
    if membership is None:
        raise Refused(f"{as_user} is not a member of {organization.name}")
    return Ctx(organization, user, membership.role)

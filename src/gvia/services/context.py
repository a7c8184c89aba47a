"""Who is acting, for which organization. Every service takes a :class:`Ctx`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from gvia.core.errors import NotFoundFor, RefusedFor
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
            raise RefusedFor("role_needed", f"{what} needs the {role} role; {self.actor} is {self.role}",
                             role=role, actor=self.actor, has_role=self.role)


def resolve(org: str | None = None, as_user: str | None = None) -> Ctx:
    """Find the organization (by slug, name or id; the only one if not named) and the acting user."""
    qs = Organization.objects.all()
    if org:
        found = [o for o in qs.filter(slug=org)] or [o for o in qs.filter(name=org)]
        if not found and org.isdigit():
            found = list(qs.filter(id=int(org)))
        if not found:
            raise NotFoundFor("organization_unknown", f"no organization {org!r}", org=org,
                              known=tuple(o.slug for o in qs))
        organization = found[0]
    else:
        orgs = list(qs[:2])
        if not orgs:
            raise NotFoundFor("no_organization", "no organization yet")
        if len(orgs) > 1:
            raise RefusedFor("several_organizations", "several organizations: name one",
                             known=tuple(o.slug for o in qs))
        organization = orgs[0]
    if not as_user:
        return Ctx(organization, None, "owner")
    User = get_user_model()
    user = User.objects.filter(email__iexact=as_user).first()
    if user is None:
        raise NotFoundFor("user_unknown", f"no user {as_user!r}", email=as_user)
    membership = Membership.objects.filter(user=user, organization=organization).first()
    if membership is None:
        raise RefusedFor("not_a_member", f"{as_user} is not a member", email=as_user, org=organization.name)
    return Ctx(organization, user, membership.role)

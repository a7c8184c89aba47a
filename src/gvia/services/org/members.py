"""The organization's details and people: update details and letterhead, invite members, change
roles (never leaving an organization without an owner), a user's language.

Each function takes a :class:`~gvia.services.context.Ctx`, checks the role, changes what it must
in one transaction and records it with :func:`gvia.services.audit.record`.
"""

from __future__ import annotations

import secrets

from django.db import transaction

from gvia import locale
from gvia.core.errors import NotFoundFor, RefusedFor
from gvia.services import audit
from gvia.services.context import Ctx
from gvia.services.org import details as org_details
from gvia.services.org import organizations as orgs
from gvia.store.models import Membership, Organization

# What the settings page may change. Country and currency shape imports and the ledger, and
# are set when the organization is created. The details letters print are checked by
# gvia.services.org.details (their one list); gvia org set changes them one at a time.
ORGANIZATION_FIELDS = (
    "name", "name_en", "tax_id", "address", "address_en", "phone", "email",
    "bank_name", "bank_branch", "bank_account", "bank_iban", "bank_beneficiary", "bank_swift", "bank_sort_code",
    "bank_details", "payment_link",
    "default_language", "time_zone",
)
LETTERHEAD_FIELDS = ("signatory_name", "signatory_title", "signatory_name_en", "signatory_title_en",
                     "accent_color")


@transaction.atomic
def update_organization(ctx: Ctx, values: dict, what: str = "organization") -> list[str]:
    """Change the organization's details (or, with ``what="letterhead"``, its letterhead).

    Only the fields of that group may change; the details letters print are checked
    (:func:`gvia.services.org.details.checked`: an e-mail, a web address, a phone number; a bad
    one refuses the whole change, naming the field). Returns the names of the fields that
    changed (nothing is recorded when nothing changed)."""
    ctx.require("owner", "changing the organization's settings")
    allowed = LETTERHEAD_FIELDS if what == "letterhead" else ORGANIZATION_FIELDS
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise RefusedFor("fields_not_changed_here", f"fields not changed here: {', '.join(unknown)}",
                         fields=tuple(unknown))
    values = org_details.checked(ctx.org, values)
    org = Organization.objects.select_for_update().get(id=ctx.org.id)
    changed = {}
    for name, value in values.items():
        old = getattr(org, name)
        if old != value:
            changed[name] = [old, value]
            setattr(org, name, value)
    if changed:
        org.save(update_fields=list(changed))
        for name in changed:
            setattr(ctx.org, name, getattr(org, name))
        audit.record(ctx, f"{what}.updated", org, changes=changed)
    return list(changed)


def set_detail(ctx: Ctx, name: str, value: str) -> tuple[str, bool]:
    """Change one of the organization's details (:data:`gvia.services.org.details.DETAILS`):
    owner only, checked, audited like the settings page's changes. Returns the value kept and
    whether it changed."""
    ctx.require("owner", "changing the organization's details")
    kept = org_details.check(ctx.org, name, value)
    what = "letterhead" if name in LETTERHEAD_FIELDS else "organization"
    return kept, bool(update_organization(ctx, {name: kept}, what=what))


def _membership(ctx: Ctx, membership_id: int) -> Membership:
    m = (Membership.objects.select_for_update().select_related("user")
         .filter(organization=ctx.org, id=membership_id).first())
    if m is None:
        raise NotFoundFor("member_unknown", f"no member {membership_id} in {ctx.org.name}", member=membership_id)
    return m


def _other_owners(ctx: Ctx, m: Membership) -> int:
    return (Membership.objects.filter(organization=ctx.org, role=Membership.Role.OWNER)
            .exclude(id=m.id).count())


@transaction.atomic
def invite_member(ctx: Ctx, email: str, role: str) -> Membership:
    """Add a person with a role. A new user gets a random password: they choose their own
    through the password-reset e-mail the page sends."""
    email = (email or "").strip().lower()
    if Membership.objects.filter(organization=ctx.org, user__email__iexact=email).exists():
        raise RefusedFor("already_member", f"{email} is a member", email=email, org=ctx.org.name)
    return orgs.add_member(ctx, email, secrets.token_urlsafe(24), role)


@transaction.atomic
def set_role(ctx: Ctx, membership_id: int, role: str) -> Membership:
    """Change a member's role; the organization always keeps at least one owner."""
    ctx.require("owner", "changing roles")
    if role not in Membership.Role.values:
        raise RefusedFor("role_unknown", f"no role {role!r}", value=role, roles=tuple(Membership.Role.values))
    m = _membership(ctx, membership_id)
    if m.role == role:
        return m
    if m.role == Membership.Role.OWNER and not _other_owners(ctx, m):
        raise RefusedFor("only_owner", f"{m.user.email} is the only owner", email=m.user.email)
    before = m.role
    m.role = role
    m.save(update_fields=["role"])
    audit.record(ctx, "member.role_changed", m, email=m.user.email, role=role, previous=before)
    return m


@transaction.atomic
def remove_member(ctx: Ctx, membership_id: int) -> None:
    """Take a person out of the organization (their user stays for their other organizations)."""
    ctx.require("owner", "removing a member")
    m = _membership(ctx, membership_id)
    if m.role == Membership.Role.OWNER and not _other_owners(ctx, m):
        raise RefusedFor("only_owner", f"{m.user.email} is the only owner", email=m.user.email)
    audit.record(ctx, "member.removed", m, email=m.user.email, role=m.role)
    m.delete()


@transaction.atomic
def unlock_member(ctx: Ctx, membership_id: int | None = None, *, email: str = "") -> Membership:
    """Let a member locked out by failed sign-ins (gvia.web.lockout) sign in again now: their
    account's failures are forgotten (an address's own lock stays)."""
    ctx.require("owner", "unlocking a member's sign-in")
    from axes.models import AccessAttempt

    if membership_id is None:
        m = (Membership.objects.select_related("user")
             .filter(organization=ctx.org, user__email__iexact=(email or "").strip()).first())
        if m is None:
            raise NotFoundFor("not_a_member", f"{email} is not a member", email=email, org=ctx.org.name)
    else:
        m = _membership(ctx, membership_id)
    forgotten, _ = AccessAttempt.objects.filter(username=m.user.username.lower()).delete()
    audit.record(ctx, "member.unlocked", m, email=m.user.email, attempts=forgotten)
    return m


@transaction.atomic
def set_language(ctx: Ctx, lang: str) -> None:
    """The user's language (one the pages have a catalog for: he, en, …), kept on each of their
    memberships so it follows them."""
    if lang not in locale.languages("web"):
        raise RefusedFor("language_unknown", f"no language {lang!r}", value=lang,
                         languages=tuple(locale.languages("web")))
    if not getattr(ctx.user, "pk", None):
        raise RefusedFor("language_needs_user", "only a signed-in user has a language")
    updated = Membership.objects.filter(user=ctx.user).exclude(language=lang).update(language=lang)
    if updated:
        audit.record(ctx, "user.language_set", ctx.user, language=lang)

"""Creating an organization and its people."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify

from gvia import locale
from gvia.core.errors import RefusedFor, Worded
from gvia.core.money import normalize_currency
from gvia.services import audit
from gvia.services.context import Ctx
from gvia.services.org import details as org_details
from gvia.services.org.operators import refuse_operator
from gvia.store.models import Membership, Organization

COUNTRY_DEFAULTS = {
    "IL": {"currency": "ILS", "language": "he", "time_zone": "Asia/Jerusalem"},
    "GB": {"currency": "GBP", "language": "en", "time_zone": "Europe/London"},
    "US": {"currency": "USD", "language": "en", "time_zone": "America/New_York"},
    "DE": {"currency": "EUR", "language": "en", "time_zone": "Europe/Berlin"},
    "FR": {"currency": "EUR", "language": "en", "time_zone": "Europe/Paris"},
    "IE": {"currency": "EUR", "language": "en", "time_zone": "Europe/Dublin"},
    "NL": {"currency": "EUR", "language": "en", "time_zone": "Europe/Amsterdam"},
}

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _unique_slug(name: str) -> str:
    base = slugify(name, allow_unicode=False) or "org"
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def init_organization(
    name: str,
    country: str = "IL",
    currency: str | None = None,
    language: str | None = None,
    admin_email: str = "",
    admin_password: str = "",
    **details,
) -> Organization:
    """Create the organization and its first owner. Refuses bad input, changing nothing.

    ``details``: the organization's other fields, e.g. the details letters print (address,
    phone, e-mail, signatory, bank details, English name ...), each checked as ``gvia org set``
    checks it (:func:`gvia.services.org.details.checked`)."""
    country = (country or "IL").upper()
    defaults = COUNTRY_DEFAULTS.get(country, {"currency": "EUR", "language": "en", "time_zone": "UTC"})
    if not name.strip():
        raise RefusedFor("organization_needs_name", "the organization needs a name")
    try:
        currency = normalize_currency(currency or defaults["currency"])
    except Exception as exc:  # UnknownCurrency
        raise RefusedFor("unknown_currency", str(exc), currency=currency) from None
    language = (language or defaults["language"]).lower()
    if language not in locale.languages("web"):
        raise RefusedFor("language_unknown", f"no language {language!r}", value=language,
                         languages=tuple(locale.languages("web")))
    if not _EMAIL.match(admin_email or ""):
        raise RefusedFor("not_an_email", f"{admin_email!r} is not an e-mail address", value=admin_email or "")
    check_password_rules(admin_password or "", email=admin_email)
    refuse_operator(admin_email)
    details = org_details.checked(Organization(country=country), details)
    org = Organization.objects.create(
        name=name.strip(), slug=_unique_slug(name), country=country, default_currency=currency,
        default_language=language, time_zone=details.pop("time_zone", defaults["time_zone"]),
        settings={}, **details,      # every setting its declared default (gvia.services.settings)
    )
    User = get_user_model()
    user = User.objects.filter(email__iexact=admin_email).first()
    if user is None:   # an owner, never staff: the Django admin is for operators only (operators.py)
        user = User.objects.create_user(username=admin_email.lower(), email=admin_email.lower(),
                                        password=admin_password)
    Membership.objects.create(user=user, organization=org, role=Membership.Role.OWNER, language=language)
    audit.record(Ctx(org, user, "owner"), "organization.created", org, name=org.name, country=country)
    return org


def check_password_rules(password: str, *, email: str = "", user=None) -> None:
    """Refuse a password Django's validators refuse (too short, too common, all digits, too like
    the e-mail): settings.AUTH_PASSWORD_VALIDATORS, the same rules the pages apply."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    if user is None and email:
        user = get_user_model()(username=email.lower(), email=email.lower())
    from django.utils import translation

    try:
        with translation.override("en"):    # a service's sentences are English (the CLI's, the audit's)
            validate_password(password, user)
    except ValidationError as exc:
        # each of Django's reasons by its code (password_too_short, _too_common, _entirely_numeric,
        # _too_similar) and values, for the edges to word (problem.password_*)
        reasons = tuple(Worded(message, code=e.code or "password_refused", **(e.params or {}))
                        for e in exc.error_list for message in e.messages)
        raise RefusedFor("password_refused", "the password is refused: " + " ".join(exc.messages),
                         reasons=reasons) from None


@transaction.atomic
def add_member(ctx: Ctx, email: str, password: str, role: str) -> Membership:
    ctx.require("owner", "adding a user")
    if role not in Membership.Role.values:
        raise RefusedFor("role_unknown", f"no role {role!r}", value=role, roles=tuple(Membership.Role.values))
    refuse_operator(email)
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        check_password_rules(password, email=email)
        user = User.objects.create_user(username=email.lower(), email=email.lower(), password=password)
    membership, _ = Membership.objects.update_or_create(user=user, organization=ctx.org, defaults={"role": role})
    audit.record(ctx, "member.added", membership, email=email, role=role)
    return membership

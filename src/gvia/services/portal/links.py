"""Links to a customer's page (issue 16): signed, expiring, revocable, one customer's page only.

A link is a :class:`gvia.store.models.PortalLink` row: a random ``token_id``
(:func:`secrets.token_urlsafe`, 128 bits) that the URL carries signed with the server's secret
(:func:`django.utils.crypto.salted_hmac`: HMAC-SHA256 keyed by ``SECRET_KEY`` under the salt
``gvia.portal.link``, its first 128 bits): ``<public_url>/p/<token_id>.<signature>/`` — short
enough for a letter's line and a small QR code. A token is only honoured when
its signature checks out *and* its row exists, is not revoked and has not expired; the row names
the organization and the customer, so the token alone decides whose page opens — no id in the URL
can point it elsewhere. Reading the database without the secret builds no working link.

The API (used by the page, the outbox's composer, letters, and the page's actions, payments and
SMS):

``issue_link(org, customer, *, today, days=None, min_until=None, issued_by="person", issued_ref="")``
    → :class:`PortalLinkIssued` (``url``: the absolute URL built from the ``public_url`` setting,
    ``token``, ``expires_on``, ``link``: the row). The link opens the page through
    ``today + days`` (``days``: the ``portal_link_days`` setting, 90 by default), and at least
    through ``min_until`` when given (a letter's link lives at least :data:`LETTER_MIN_DAYS`
    after the letter's date: see :func:`letter_min_until`). ``issued_by`` is who or what issued
    it — ``"message"``, ``"letter"``, ``"person"``, ``"system"`` — and ``issued_ref`` that
    message's or letter's id, or the person's e-mail. Issuing again for the same issuer (a
    message composed twice: its preview, then sending) gives the same link when it is still valid
    long enough, so one message carries one link.
``resolve(token, *, today=None)`` → ``(organization, customer)`` (``today`` None: the organization's
    business date now); raises
    :class:`~gvia.core.errors.RefusedFor` with code ``portal_link_unknown`` (not a token gvia
    signed, or no such link), ``portal_link_revoked`` or ``portal_link_expired`` — the last two
    with ``language`` (the customer's, for the polite page), ``organization`` (its name) and
    ``organization_en`` (its English name, or empty).
``resolve_link(token, *, today=None)`` → the :class:`PortalLink` row itself (organization and customer
    loaded), under the same checks: for callers that count or record per link (the page's
    once-a-day "opened" activity, the actions' rate limits).
``letter_url(org, customer, *, letter_date, ref)``, ``message_url(org, customer, *, message_id, paper, today)``
    → the URL a letter or an outbox message carries (see each).
``revoke_all(org, customer, *, at=None)`` → how many links were revoked (every link of that
    customer still open; a revoked link never opens again).
``record_opened(link, *, today, at)`` → whether this was the link's first opening that day:
    then an activity ``portal`` (``data={"event": "portal.opened", "link": id}``) goes on the customer's
    timeline — once per day per link, whatever the number of page views.

For people (the command line, an audit record): :func:`link_for_customer` and
:func:`revoke_for_customer` take a :class:`~gvia.services.context.Ctx` and a customer reference.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from gvia.core.errors import NotFoundFor, RefusedFor
from gvia.services import audit, clock, settings
from gvia.services.context import Ctx
from gvia.store.models import Activity, Customer, Organization, PortalLink

__all__ = ["LETTER_MIN_DAYS", "PortalLinkIssued", "issue_link", "letter_url", "message_url", "resolve", "resolve_link",
           "revoke_all",
           "record_opened", "letter_min_until", "page_path", "link_for_customer", "revoke_for_customer"]

#: A letter's link opens the page at least this many days after the letter's date (issue 16).
LETTER_MIN_DAYS = 60
#: The page's path under ``public_url``; ``{token}`` is the signed token.
PATH = "/p/{token}/"
_SALT = "gvia.portal.link"
_SEP = "."
ISSUERS = tuple(PortalLink.Issuer.values)


@dataclass(frozen=True)
class PortalLinkIssued:
    url: str
    token: str
    expires_on: date
    link: PortalLink


def signature(token_id: str, secret: str | None = None) -> str:
    """The signature of ``token_id`` with the server's secret (or ``secret``): URL-safe base64."""
    digest = salted_hmac(_SALT, token_id, secret=secret, algorithm="sha256").digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def token_of(link: PortalLink) -> str:
    """The token a link's URL carries: its id, signed."""
    return f"{link.token_id}{_SEP}{signature(link.token_id)}"


def _unsigned(token: str) -> str | None:
    """The token id of a token whose signature checks out, else None."""
    token_id, sep, sig = str(token or "").partition(_SEP)
    if not sep or not token_id or not constant_time_compare(sig, signature(token_id)):
        return None
    return token_id


def page_path(token: str) -> str:
    """The page's path for ``token`` (relative to ``public_url``)."""
    return PATH.format(token=token)


def letter_min_until(letter_date: date) -> date:
    """The first day a letter of ``letter_date`` may stop carrying a working link."""
    return letter_date + timedelta(days=LETTER_MIN_DAYS)


def _url(org: Organization, token: str) -> str:
    return str(settings.value(org, "public_url")).rstrip("/") + page_path(token)


def issue_link(org: Organization, customer: Customer, *, today: date, days: int | None = None,
               min_until: date | None = None, issued_by: str = "person", issued_ref: str = "") -> PortalLinkIssued:
    """A link to ``customer``'s page (see the module's docstring)."""
    if customer.organization_id != org.id:
        raise NotFoundFor("no_customer", f"customer {customer.id} is not of {org.slug}", ref=customer.ref)
    if issued_by not in ISSUERS:
        raise ValueError(f"issued_by is one of {ISSUERS}, not {issued_by!r}")  # not shown: a caller's bug
    if days is None:
        days = int(settings.value(org, "portal_link_days"))
    if days < 1:
        raise RefusedFor("portal_link_days", f"a link lives at least a day, not {days}", days=days)
    until = today + timedelta(days=days)
    if min_until is not None and min_until > until:
        until = min_until
    link = None
    if issued_ref and issued_by in ("message", "letter"):
        link = (PortalLink.objects.filter(customer=customer, issued_by=issued_by, issued_ref=issued_ref,
                                          revoked_at__isnull=True, expires_on__gte=until)
                .order_by("-id").first())
    if link is None:
        link = PortalLink.objects.create(organization=org, customer=customer, token_id=secrets.token_urlsafe(16),
                                         issued_on=today, expires_on=until, issued_by=issued_by,
                                         issued_ref=issued_ref[:254])
    token = token_of(link)
    return PortalLinkIssued(url=_url(org, token), token=token, expires_on=link.expires_on, link=link)


def letter_url(org: Organization, customer: Customer, *, letter_date: date, ref: str) -> str:
    """The link a letter of ``letter_date`` prints (and its QR code): open at least
    :data:`LETTER_MIN_DAYS` after that date; ``ref`` names the letter (a message's id, or the
    document and its date for a letter printed on demand), so printing it again gives the same link."""
    return issue_link(org, customer, today=letter_date, min_until=letter_min_until(letter_date),
                      issued_by="letter", issued_ref=ref).url


def message_url(org: Organization, customer: Customer, *, message_id: int | None, paper: bool, today: date) -> str:
    """The link an outbox message carries: a letter's (:func:`letter_url`) on paper, else an
    e-mail's, one per message however often it is composed (a preview, then sending)."""
    ref = str(message_id or "")
    if paper:
        return letter_url(org, customer, letter_date=today, ref=ref)
    return issue_link(org, customer, today=today, issued_by="message", issued_ref=ref).url


def resolve_link(token: str, *, today: date | None = None) -> PortalLink:
    """The link ``token`` names, when it may open its page today (see the module's docstring);
    ``today`` None: the organization's business date now (:func:`gvia.services.clock.org_today`)."""
    token_id = _unsigned(token)
    if token_id is None:
        raise RefusedFor("portal_link_unknown", "not a link gvia signed")
    link = PortalLink.objects.select_related("organization", "customer").filter(token_id=token_id).first()
    if link is None or link.customer.organization_id != link.organization_id:
        raise RefusedFor("portal_link_unknown", "no such link")
    who = {"language": link.customer.language, "organization": link.organization.name,
           "organization_en": link.organization.name_en.strip()}
    if link.revoked_at is not None:
        raise RefusedFor("portal_link_revoked", f"link {link.id} was revoked", **who)
    if today is None:
        today = clock.org_today(link.organization)
    if today > link.expires_on:
        raise RefusedFor("portal_link_expired", f"link {link.id} expired after {link.expires_on}",
                         expired_on=link.expires_on, **who)
    return link


def resolve(token: str, *, today: date | None = None) -> tuple[Organization, Customer]:
    """``(organization, customer)`` whose page ``token`` opens today (see the module's docstring)."""
    link = resolve_link(token, today=today)
    return link.organization, link.customer


def revoke_all(org: Organization, customer: Customer, *, at: datetime | None = None) -> int:
    """Revoke every open link of ``customer``; how many were."""
    if customer.organization_id != org.id:
        raise NotFoundFor("no_customer", f"customer {customer.id} is not of {org.slug}", ref=customer.ref)
    return PortalLink.objects.filter(organization=org, customer=customer, revoked_at__isnull=True).update(
        revoked_at=at or datetime.now(timezone.utc))


@transaction.atomic
def record_opened(link: PortalLink, *, today: date, at: datetime) -> bool:
    """Put "opened the page" on the customer's timeline, once per day per link; whether it did."""
    changed = PortalLink.objects.filter(id=link.id).exclude(last_opened_on=today).update(last_opened_on=today)
    if not changed:
        return False
    link.last_opened_on = today
    Activity.objects.create(organization_id=link.organization_id, customer_id=link.customer_id,
                            kind=Activity.Kind.PORTAL, date=today, at=at, actor="customer",
                            data={"event": "portal.opened", "link": link.id, "issued_by": link.issued_by})
    return True


def _customer(ctx: Ctx, ref: str) -> Customer:
    customer = Customer.objects.filter(organization=ctx.org, ref=ref).first()
    if customer is None:
        raise NotFoundFor("no_customer", f"no customer {ref!r}", ref=ref)
    return customer


@transaction.atomic
def link_for_customer(ctx: Ctx, ref: str, *, today: date, days: int | None = None) -> PortalLinkIssued:
    """A person asks for a link to the page of the customer ``ref`` (collector; audited)."""
    ctx.require("collector", "issuing a link to the customer's page")
    customer = _customer(ctx, ref)
    issued = issue_link(ctx.org, customer, today=today, days=days, issued_by="person", issued_ref=ctx.actor)
    audit.record(ctx, "portal.link", customer, link=issued.link.id, expires_on=issued.expires_on.isoformat())
    return issued


@transaction.atomic
def revoke_for_customer(ctx: Ctx, ref: str) -> int:
    """A person revokes every link to the page of the customer ``ref`` (collector; audited)."""
    ctx.require("collector", "revoking the customer's links")
    customer = _customer(ctx, ref)
    count = revoke_all(ctx.org, customer)
    audit.record(ctx, "portal.revoke", customer, links=count)
    return count

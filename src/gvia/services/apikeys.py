"""The REST API's keys (issue 18): made, listed, revoked, and a request's key checked.

A key is ``gvia_<prefix>_<secret>``: the prefix (8 hex digits) is public and names the key in
lists; the secret is 256 random bits (:func:`secrets.token_urlsafe`). The key is returned once, by
:func:`create_key`, and only its SHA-256 digest is kept (:class:`gvia.store.models_api.ApiKey`).

A key has one scope; each includes those before it, and each acts with a member's role, so the
services' own ``Ctx.require`` checks decide what a key may do, as they do for people:

=========  ==========  ===================================================
scope      acts as     may
=========  ==========  ===================================================
``read``   viewer      read (GET)
``write``  collector   also change the books and the case (imports, promises, …)
``admin``  owner       also what owners do, and manage the organization's keys
=========  ==========  ===================================================

Only an owner makes or revokes keys (``gvia api key …``, the web's settings tab "API keys", or an
``admin`` key through the API). Every key is the organization's own: :func:`authenticate` gives a
:class:`KeyCtx` of the key's organization, and every query the API makes is filtered by it.
Refusals are codes (``api_key_*``), worded at the edges.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction

from gvia.core.errors import FieldProblem, NotFoundFor, ValidationFailed
from gvia.services import audit, clock
from gvia.services.context import Ctx
from gvia.store.models_api import ApiKey

SCOPES = tuple(ApiKey.Scope.values)            # ("read", "write", "admin"), each including the ones before
ROLE_OF_SCOPE = {"read": "viewer", "write": "collector", "admin": "owner"}
PREFIX = "gvia_"
#: A key's last use is written at most this often (a GET writes nothing more often).
USE_RECORDED_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class KeyCtx(Ctx):
    """A request made with an API key: the key's organization, no user, the scope's role; the audit
    trail names the key (``api key <prefix>``)."""

    key_id: int = 0
    key_prefix: str = ""
    scope: str = "read"

    @property
    def actor(self) -> str:
        return f"api key {self.key_prefix}"


@dataclass(frozen=True)
class NewKey:
    """A key just made: ``key`` is shown once and never again."""

    key: str
    row: ApiKey


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


def _checked_name(name: str) -> str:
    text = " ".join(str(name or "").split())
    limit = ApiKey._meta.get_field("name").max_length or 100
    if not text:
        raise ValidationFailed([FieldProblem(None, "name", "", "needs a name", place="setting",
                                             code="api_key_needs_name")])
    if len(text) > limit:
        raise ValidationFailed([FieldProblem(None, "name", text, f"at most {limit} characters", place="setting",
                                             code="setting_too_long", params={"most": limit})])
    return text


def create_key(ctx: Ctx, name: str, scope: str = "read", now: datetime | None = None) -> NewKey:
    """Make a key for the organization (owner; audited). The returned ``key`` is the only copy."""
    ctx.require("owner", "making an API key")
    if scope not in SCOPES:
        raise ValidationFailed([FieldProblem(None, "scope", str(scope), "not a scope", place="setting",
                                             code="one_of", params={"choices": SCOPES})])
    text = _checked_name(name)
    now = now or clock.now_utc()
    with transaction.atomic():
        while True:    # a prefix is 32 random bits: a repeat is rare, and tried again
            prefix = secrets.token_hex(4)
            if not ApiKey.objects.filter(prefix=prefix).exists():
                break
        key = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        row = ApiKey.objects.create(organization=ctx.org, name=text, prefix=prefix, digest=digest_of(key),
                                    scope=scope, created_by=ctx.actor, created_at=now)
        audit.record(ctx, "api_key.created", row, name=text, prefix=prefix, scope=scope)
    return NewKey(key, row)


def list_keys(ctx: Ctx, include_revoked: bool = False) -> list[ApiKey]:
    """The organization's keys, newest first (owner: who may call the API is the owner's to see)."""
    ctx.require("owner", "listing API keys")
    qs = ApiKey.objects.filter(organization=ctx.org)
    if not include_revoked:
        qs = qs.filter(revoked_at__isnull=True)
    return list(qs.order_by("-created_at", "-id"))


def _find(ctx: Ctx, key: int | str) -> ApiKey:
    """One of the organization's keys by its id (an int), or by its prefix (or its id) as typed."""
    qs = ApiKey.objects.select_for_update().filter(organization=ctx.org)
    if isinstance(key, int):
        row = qs.filter(id=key).first()
        if row is None:
            raise NotFoundFor("api_key_unknown", f"no API key {key!r}", key=str(key))
        return row
    text = str(key).strip()
    if text.startswith(PREFIX):
        text = text[len(PREFIX):].split("_", 1)[0]
    row = qs.filter(prefix=text).first()
    if row is None and text.isdigit():
        row = qs.filter(id=int(text)).first()
    if row is None:
        raise NotFoundFor("api_key_unknown", f"no API key {key!r}", key=str(key))
    return row


@transaction.atomic
def revoke_key(ctx: Ctx, key: int | str, now: datetime | None = None) -> ApiKey:
    """Revoke one of the organization's keys (by id or prefix; owner; audited). Revoking a revoked
    key changes nothing. The key stops working at once."""
    ctx.require("owner", "revoking an API key")
    row = _find(ctx, key)
    if row.revoked_at is None:
        row.revoked_at = now or clock.now_utc()
        row.revoked_by = ctx.actor
        row.save(update_fields=["revoked_at", "revoked_by"])
        audit.record(ctx, "api_key.revoked", row, name=row.name, prefix=row.prefix)
    return row


def authenticate(key: str, now: datetime | None = None) -> KeyCtx | None:
    """The context a request with ``key`` acts in, or None for a key that is not one, revoked, or
    malformed (the caller answers 401 without saying which)."""
    if not key or not key.startswith(PREFIX) or len(key) > 200:
        return None
    row = (ApiKey.objects.select_related("organization")
           .filter(digest=digest_of(key), revoked_at__isnull=True).first())
    if row is None or not secrets.compare_digest(row.digest, digest_of(key)):
        return None
    now = now or clock.now_utc()
    if row.last_used_at is None or now - row.last_used_at >= USE_RECORDED_EVERY:
        ApiKey.objects.filter(id=row.id).update(last_used_at=now)
    return KeyCtx(row.organization, None, ROLE_OF_SCOPE[row.scope], key_id=row.id, key_prefix=row.prefix,
                  scope=row.scope)

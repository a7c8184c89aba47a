"""An organization's credentials at a payment gateway.

Set by the owner (``gvia gateway set NAME field=value …``, the settings page): the fields a
gateway declares (:attr:`gvia.gateways.base.Adapter.FIELDS`); the secret ones are stored sealed
(:mod:`gvia.services.sealed`) and never shown or audited, the others plainly. A field left empty
is read from the environment, ``GVIA_GATEWAY_<NAME>_<FIELD>`` (e.g. ``GVIA_GATEWAY_STRIPE_SECRET_KEY``).
Setting a gateway makes it the one in use; the others stay stored, inactive.
"""

from __future__ import annotations

import os
import secrets
from typing import Mapping

from django.db import transaction

from gvia import gateways
from gvia.core.errors import FieldProblem, ValidationFailed
from gvia.services import audit, sealed, settings
from gvia.services.context import Ctx
from gvia.store.models import Organization
from gvia.store.models_gateways import GatewayAccount

MASK = "********"


def env_name(gateway: str, field: str) -> str:
    return f"GVIA_GATEWAY_{gateway.upper()}_{field.upper()}"


def _secrets(account: GatewayAccount) -> dict[str, str]:
    return sealed.unseal_fields(account.sealed_secrets, f"the {account.gateway} credentials")


@transaction.atomic
def set_account(ctx: Ctx, gateway: str, values: Mapping[str, str]) -> GatewayAccount:
    """Store ``values`` (field → text; an empty text clears the field) for ``gateway`` and make it
    the gateway in use. Unknown fields are refused, naming them; nothing changes then."""
    ctx.require("owner", "setting a payment gateway")
    adapter = gateways.adapter(gateway)
    known = dict(adapter.FIELDS)
    problems = [FieldProblem(None, key, "", f"not a field of {gateway}; known: {', '.join(known)}",
                             code="gateway_unknown_field", params={"field": key, "known": ", ".join(known)})
                for key in values if key not in known]
    problems += [FieldProblem(None, key, "", "too long", code="gateway_field_long", params={"field": key})
                 for key, text in values.items() if len(str(text)) > 500]
    if problems:
        raise ValidationFailed(problems, summary="; ".join(p.message for p in problems))
    account = (GatewayAccount.objects.select_for_update().filter(organization=ctx.org, gateway=gateway).first()
               or GatewayAccount(organization=ctx.org, gateway=gateway, notify_token=secrets.token_urlsafe(24)))
    account.fields, account.sealed_secrets = sealed.set_fields(account.fields or {}, account.sealed_secrets, known,
                                                               values, f"the {gateway} credentials")
    account.active = True
    account.save()
    GatewayAccount.objects.filter(organization=ctx.org).exclude(id=account.id).update(active=False)
    audit.record(ctx, "gateway.set", account, gateway=gateway,
                 fields={k: ("(hidden)" if known[k] else v) for k, v in values.items()})
    return account


def credentials(account: GatewayAccount) -> dict[str, str]:
    """Every field of the account in force: stored, else the environment's."""
    stored = {**(account.fields or {}), **_secrets(account)}
    out = {}
    for field, _secret in gateways.adapter(account.gateway).FIELDS:
        text = stored.get(field) or os.environ.get(env_name(account.gateway, field), "")
        if text:
            out[field] = text
    return out


def active_account(org: Organization) -> GatewayAccount | None:
    """The gateway in use, when its required credentials are all there; else None."""
    account = GatewayAccount.objects.filter(organization=org, active=True).first()
    if account is None:
        return None
    creds = credentials(account)
    return account if all(creds.get(f) for f in gateways.adapter(account.gateway).REQUIRED) else None


def notify_url(account: GatewayAccount) -> str:
    """Where the gateway sends its notifications for this organization."""
    base = str(settings.value(account.organization, "public_url")).rstrip("/")
    return f"{base}/gateways/{account.gateway}/notify/{account.notify_token}/"


def show(ctx: Ctx) -> list[dict]:
    """Each stored gateway: its name, whether it is in use and complete, its fields (secrets
    masked; ``source``: set or environment) and its notification address."""
    ctx.require("viewer", "reading the payment gateways")
    rows = []
    for account in GatewayAccount.objects.filter(organization=ctx.org).order_by("gateway"):
        adapter = gateways.adapter(account.gateway)
        stored = {**(account.fields or {}), **_secrets(account)}
        fields = []
        for field, secret in adapter.FIELDS:
            text, source = stored.get(field, ""), "set"
            if not text and os.environ.get(env_name(account.gateway, field)):
                text, source = os.environ[env_name(account.gateway, field)], "environment"
            fields.append({"field": field, "value": MASK if (secret and text) else text,
                           "source": source if text else "", "required": field in adapter.REQUIRED})
        complete = all(f["value"] for f in fields if f["required"])
        rows.append({"gateway": account.gateway, "active": account.active, "complete": complete,
                     "fields": fields, "notify_url": notify_url(account)})
    return rows

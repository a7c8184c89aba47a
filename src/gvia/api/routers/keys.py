"""``/keys``: the organization's API keys, for an ``admin`` key — listed, made (the new key is in
this answer only), revoked (:mod:`gvia.services.apikeys`: the same functions as ``gvia api key``
and the settings tab)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Router, Schema, Status

from gvia.services import apikeys
from gvia.store.models_api import ApiKey

from ..common import Id, ShortText, ctx_of

router = Router()


class KeyOut(Schema):
    id: int
    name: str
    prefix: str
    scope: str
    created_by: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class KeyList(Schema):
    items: list[KeyOut]


class NewKeyIn(Schema):
    name: ShortText
    scope: ShortText = Field("read", description="read, write or admin")


class NewKeyOut(KeyOut):
    key: str = Field(description="The key itself: shown this once, stored only as its digest")


def key_json(k: ApiKey) -> dict:
    return {"id": k.id, "name": k.name, "prefix": k.prefix, "scope": k.scope, "created_by": k.created_by,
            "created_at": k.created_at, "last_used_at": k.last_used_at, "revoked_at": k.revoked_at}


@router.get("/", response=KeyList, summary="List the organization's API keys (admin)")
def list_keys(request, include_revoked: bool = False) -> Any:
    ctx = ctx_of(request, "admin")
    return {"items": [key_json(k) for k in apikeys.list_keys(ctx, include_revoked=include_revoked)]}


@router.post("/", response={201: NewKeyOut}, summary="Make an API key (admin)")
def create_key(request, body: NewKeyIn) -> Any:
    ctx = ctx_of(request, "admin")
    made = apikeys.create_key(ctx, body.name, body.scope)
    return Status(201, {**key_json(made.row), "key": made.key})


@router.delete("/{int:key_id}", response=KeyOut, summary="Revoke an API key (admin)")
def revoke_key(request, key_id: Id) -> Any:
    ctx = ctx_of(request, "admin")
    return key_json(apikeys.revoke_key(ctx, key_id))

"""The REST API under ``/api/v1`` (issue 18), django-ninja: one :class:`~ninja.NinjaAPI`, a router
per resource (``gvia.api.routers``), its OpenAPI description at ``/api/v1/openapi.json`` and a
page reading it at ``/api/v1/docs`` (Swagger UI, served from the installed package: no outside
script).

Every operation but those two needs ``Authorization: Bearer <key>`` (:mod:`gvia.services.apikeys`):
the key decides the organization, and every query is filtered by it; its scope decides what it
may do (``read`` GETs, ``write`` changes, ``admin`` also keys). Before anything else the body's
size is checked from its Content-Length (:data:`~gvia.api.common.MAX_BODY_BYTES`; a body without
one is refused), so no request makes gvia read more than that. Errors: :mod:`gvia.api.errors`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import HttpBearer

from gvia.core.errors import RefusedFor
from gvia.services import apikeys

from . import errors
from .common import MAX_BODY_BYTES


def check_body_size(request: HttpRequest) -> None:
    """Refuse a body larger than :data:`MAX_BODY_BYTES` (413), or one sent without a length (411),
    before a byte of it is read."""
    length = request.META.get("CONTENT_LENGTH") or ""
    if request.META.get("HTTP_TRANSFER_ENCODING", "").lower().strip() not in ("", "identity") and not length:
        raise RefusedFor("api_length_required", "a body needs its Content-Length")
    try:
        size = int(length or 0)
    except ValueError:
        raise RefusedFor("api_length_required", "a body needs its Content-Length") from None
    if size > MAX_BODY_BYTES:
        raise RefusedFor("api_body_too_large", f"{size} bytes; at most {MAX_BODY_BYTES}", size=size,
                         most=MAX_BODY_BYTES)


class KeyAuth(HttpBearer):
    """``Authorization: Bearer gvia_…``: the key's context (:class:`gvia.services.apikeys.KeyCtx`),
    or None (401, without saying whether the key is unknown or revoked)."""

    def __call__(self, request: HttpRequest) -> Any:
        check_body_size(request)
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return apikeys.authenticate(token)


class GviaAPI(NinjaAPI):
    """The API, whose OpenAPI description also names the error answers (:mod:`gvia.api.errors`)."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict | None = None) -> Any:
        return errors.describe_errors(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))


api = GviaAPI(
    title="gvia API", version="1", urls_namespace="api-v1", auth=KeyAuth(),
    description="Customers, contacts, invoices, payments, cases, activities, promises, plans, disputes, "
                "messages and signals of one organization: the key's. Errors are codes and values.",
    openapi_url="/openapi.json", docs_url="/docs",
)
errors.install(api)


from .routers import (  # noqa: E402 — after the API they join exists
    activities,
    arrangements,
    cases,
    contacts,
    customers,
    invoices,
    keys,
    messages,
    payments,
    signals,
)

api.add_router("/customers", customers.router, tags=["customers"])
api.add_router("/contacts", contacts.router, tags=["contacts"])
api.add_router("/invoices", invoices.router, tags=["invoices"])
api.add_router("/payments", payments.router, tags=["payments"])
api.add_router("/cases", cases.router, tags=["cases"])
api.add_router("/activities", activities.router, tags=["activities"])
api.add_router("/promises", arrangements.promises, tags=["promises"])
api.add_router("/plans", arrangements.plans, tags=["plans"])
api.add_router("/disputes", arrangements.disputes, tags=["disputes"])
api.add_router("/messages", messages.router, tags=["messages"])
api.add_router("/signals", signals.router, tags=["signals"])
api.add_router("/keys", keys.router, tags=["keys"])

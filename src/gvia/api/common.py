"""What every router of the API shares: the key's context and its scope, ids and texts as the API
accepts them, money as it answers it, and the one way a list is paged.

**Paging.** A list answers ``{"items": [...], "next_after": ID | null}``, oldest id first:
``?after=`` the last id of the page before (0 for the first), ``?limit=`` 1 to
:data:`MAX_LIMIT` (default :data:`DEFAULT_LIMIT`). Keyset paging by id, so a page deep in a
million invoices costs what the first one does, and a row added meanwhile is never skipped.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Iterable, TypeVar

from django.db.models import QuerySet
from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints

from gvia.core.errors import RefusedFor
from gvia.core.money import Money
from gvia.services.apikeys import SCOPES, KeyCtx

MAX_ID = 2**63 - 1          # the database's bigint: a larger id is no row's, and is refused before any query
DEFAULT_LIMIT = 100
MAX_LIMIT = 500
#: The largest body a request may send (the bulk upserts'), checked from Content-Length before it is read.
MAX_BODY_BYTES = 2 * 1024 * 1024
#: The most rows one bulk upsert may carry (about 2 MB of payments).
MAX_ROWS = 5000


def _no_control(text: str) -> str:
    """A text the database can keep and a file row can hold: no NUL or other control characters
    (a tab and a line break neither: the bulk rows go through the import's table reader)."""
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise ValueError("control characters")
    return text


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Text = Annotated[str, StringConstraints(max_length=500), AfterValidator(_no_control)]
ShortText = Annotated[str, StringConstraints(max_length=100), AfterValidator(_no_control)]
LongText = Annotated[str, StringConstraints(max_length=5000), AfterValidator(_no_control)]
#: A day the API accepts: within the years a business's books hold (date arithmetic stays in range).
Day = Annotated[date, Field(ge=date(1900, 1, 1), le=date(2199, 12, 31))]
Amount = Annotated[Decimal, Field(ge=Decimal("-1e15"), le=Decimal("1e15"), max_digits=20, decimal_places=6)]


class Page(Schema):
    """The paging of a list (see the module docstring)."""

    after: int = Field(0, ge=0, le=MAX_ID, description="The last id of the page before (0: the first page)")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="How many items at most")


class MoneyOut(Schema):
    amount: str = Field(description="A decimal string, exact to the currency's minor unit")
    currency: str


def money(minor: int, currency: str) -> dict:
    return {"amount": str(Money.from_minor(minor, currency).amount), "currency": currency}


T = TypeVar("T")


def paged(qs: QuerySet, page: Page, out: Any = None) -> dict:
    """One page of ``qs`` (ordered by id, after ``page.after``): ``{"items", "next_after"}``;
    ``out`` turns each row into its item (a list of rows at once, for grouped reads)."""
    rows = list(qs.filter(id__gt=page.after).order_by("id")[: page.limit + 1])
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    items: Iterable = out(rows) if out is not None else rows
    return {"items": list(items), "next_after": rows[-1].id if more and rows else None}


def ctx_of(request: Any, scope: str = "read") -> KeyCtx:
    """The key's context, refused (403, ``api_scope_needed``) when its scope is below ``scope``."""
    ctx: KeyCtx = request.auth
    if SCOPES.index(ctx.scope) < SCOPES.index(scope):
        raise RefusedFor("api_scope_needed", f"needs a {scope} key; this one is {ctx.scope}", scope=scope,
                         has_scope=ctx.scope)
    return ctx

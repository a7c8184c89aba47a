"""Figures a page shows that take a pass over a large part of the books (the dashboard's aging,
its panels, the debts nearing limitation), kept for a short while in Django's cache.

A kept figure is used only while nothing has changed: its key holds the organization's *data
version*, the newest audit record of the organization (every change made through gvia — an
import, the daily run, a call, an approval — writes one), and the business day. A change made
through gvia is therefore on the very next page; what changes without an audit record (the
dispatcher marking a message sent or failed) shows within the figure's time to live: :data:`TTL`
seconds, or :data:`SHORT_TTL` for the counts of what waits for a person.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Callable, Iterator, TypeVar, cast

from django.core.cache import cache
from django.utils import translation

from gvia.services.context import Ctx
from gvia.store.models import AuditRecord

from . import i18n

T = TypeVar("T")
_known: ContextVar[tuple[int, int] | None] = ContextVar("gvia_data_version", default=None)
TTL = 300
SHORT_TTL = 30


def data_version(ctx: Ctx) -> int:
    """The id of the organization's newest audit record (0 before any)."""
    known = _known.get()
    if known is not None and known[0] == ctx.org.id:
        return known[1]
    return (AuditRecord.objects.filter(organization=ctx.org).order_by("-at", "-id")
            .values_list("id", flat=True).first() or 0)


@contextmanager
def one_version(ctx: Ctx) -> Iterator[int]:
    """Read the data version once for everything a page keeps (its panels, its figures)."""
    version = data_version(ctx)
    token = _known.set((ctx.org.id, version))
    try:
        yield version
    finally:
        _known.reset(token)


def remember(ctx: Ctx, name: str, today: date, compute: Callable[[], T], version: int | None = None,
             ttl: int = TTL) -> T:
    """``compute()``, or what it gave for this organization, day and data version before."""
    version = data_version(ctx) if version is None else version
    key = f"gvia:web:{name}:{ctx.org.id}:{today.isoformat()}:{version}"
    return cast(T, cache.get_or_set(key, compute, ttl))     # what compute() gave, now or before


#: This process's own: HTML kept by another process (another version of gvia's templates and
#: catalogs, before an upgrade) is never shown (:func:`remember_html`).
_PROCESS = uuid.uuid4().hex[:12]


def remember_html(ctx: Ctx, name: str, today: date, render: Callable[[], T], ttl: int = TTL) -> T:
    """:func:`remember` for a part of a page written as HTML, ``render()`` (the HTML, or what holds
    it), kept per language too and per process (:data:`_PROCESS`). Only for HTML made from figures
    kept under the same data version, as long, with nothing in it that is the reader's own (a form's
    CSRF token, what their role allows)."""
    lang = i18n.normalize(translation.get_language())
    return remember(ctx, f"{name}:html:{lang}:{_PROCESS}", today, render, ttl=ttl)

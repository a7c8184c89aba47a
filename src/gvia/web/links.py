"""Links to one record (``/invoices/<id>/``) for pages that list many: Django's ``reverse`` is
asked once per URL name and script prefix, then each link is the id put between the two parts."""

from __future__ import annotations

from functools import lru_cache

from django.urls import get_script_prefix, reverse

_MARK = 987654321987


@lru_cache(maxsize=64)
def _parts(name: str, prefix: str) -> tuple[str, str]:
    before, after = reverse(name, args=[_MARK]).split(str(_MARK))
    return before, after


def id_url(name: str, pk: int) -> str:
    """``reverse(name, args=[pk])`` for a URL whose one argument is an integer id."""
    before, after = _parts(name, get_script_prefix())
    return f"{before}{int(pk)}{after}"


def id_property(name: str, attr: str = "id") -> property:
    """A row's link to its record (or, by ``attr``, to the record it names): a property giving
    :func:`id_url` of ``name`` with the row's ``attr``."""
    return property(lambda row: id_url(name, getattr(row, attr)))

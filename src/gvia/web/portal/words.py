"""The words of the customer's page: the ``portal`` gettext catalog of each language
(:mod:`gvia.locale`), in Hebrew, English, Arabic and Russian.

The page speaks the language the reader chose (``?lang=``), else the customer's, else the
organization's, else Hebrew — among the languages that have a ``portal`` catalog
(:func:`choose`). Templates use ``{% pt "key" name=value %}`` and ``{% ptn "key" n %}``
(``templatetags/portal.py``), which read the page's ``lang`` from the template context.
"""

from __future__ import annotations

from typing import Callable

from gvia import locale

DOMAIN = "portal"


def catalogs() -> locale.Domain:
    return locale.domain(DOMAIN)


def languages() -> tuple[str, ...]:
    """The languages the page speaks: he, en, then the others by code (ar, ru)."""
    return catalogs().languages


def known(lang: str | None) -> str | None:
    """``lang`` ('ru', 'ar-IL', 'en_GB') as a language the page speaks, or None."""
    base = (lang or "").split("-")[0].split("_")[0].strip().lower()
    return base if base in languages() else None


def choose(*candidates: str | None) -> str:
    """The first of ``candidates`` the page speaks, else Hebrew."""
    for c in candidates:
        found = known(c)
        if found:
            return found
    return locale.DEFAULT


def direction(lang: str) -> str:
    return locale.direction(lang)


def text(key: str, lang: str, escape: Callable[[str], str] | None = None, **params: object) -> str:
    """The words of ``key`` in ``lang``, ``{placeholders}`` filled (an unknown key shows itself)."""
    template = catalogs().text(key, lang)
    if template is None:
        template = key
    if escape is not None:
        template = str(escape(template))
    return template.format(**params) if params else template


def plural(key: str, lang: str, count: int, escape: Callable[[str], str] | None = None, **params: object) -> str:
    """The form of the plural entry ``key`` for ``count``, given as ``{n}`` (or as ``params["n"]``,
    the count already formatted)."""
    template = catalogs().plural(key, lang, count)
    if template is None:
        template = key
    if escape is not None:
        template = str(escape(template))
    return template.format(**{"n": count, **params})

"""The command line's words: the ``cli`` gettext catalog of each language (:mod:`gvia.locale`).

``src/gvia/locale/<lang>/LC_MESSAGES/cli.po`` holds the headers, titles, confirmations and
refusals the commands print, under keys (``aging.title``, ``col.currency``). gvia speaks the
language :func:`use` chose: the global ``--lang``, else the acting user's (``--as EMAIL``: their
language, else their organization's), else English. ``--format json`` and ``--format csv`` keep
their keys as they are; only tables and sentences are words. The sentences a service returns
(an exception's text, an explanation) are the service's and are printed as they are.
"""

from __future__ import annotations

from gvia import locale

DOMAIN = "cli"
_speaking = [locale.SOURCE]


def catalogs() -> locale.Domain:
    return locale.domain(DOMAIN)


def languages() -> tuple[str, ...]:
    """The languages the command line speaks: those with a ``cli`` catalog."""
    return catalogs().languages


def use(lang: str | None) -> str:
    """Speak ``lang`` from now on (English when it has no catalog); returns the language used."""
    _speaking[0] = lang if lang in languages() else locale.SOURCE
    return _speaking[0]


def speaking() -> str:
    return _speaking[0]


def t(key: str, /, **values: object) -> str:
    """The words of ``key`` in the language spoken, ``{placeholders}`` filled from ``values``."""
    text = catalogs().text(key, _speaking[0])
    if text is None:
        raise KeyError(f"no words for {key!r} in the cli catalog")
    return text.format(**values) if values else text


def tn(key: str, n: int, /, **values: object) -> str:
    """A plural entry: the form for the count ``n`` (also given as ``{n}``)."""
    text = catalogs().plural(key, _speaking[0], n)
    if text is None:
        raise KeyError(f"no plural words for {key!r} in the cli catalog")
    return text.format(n=n, **values)


def column(name: str) -> str:
    """A table's column for people (``col.<name>``); a column named by the data itself (a rate
    table's own figures) keeps its name."""
    text = catalogs().text(f"col.{name}", _speaking[0])
    return name if text is None else text


__all__ = ["DOMAIN", "catalogs", "languages", "use", "speaking", "t", "tn", "column"]

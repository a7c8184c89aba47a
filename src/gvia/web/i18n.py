"""The words of the web pages: the ``web`` gettext catalog of each language (:mod:`gvia.locale`).

``src/gvia/locale/<lang>/LC_MESSAGES/web.po`` holds every text of the pages under a key
(``nav.skip``, ``worklist.section.calls``), English in the ``en`` catalog like any other language
in its own. Texts may hold ``{name}`` placeholders filled by :func:`text`. Templates use
``{% t "key" name=value %}`` (see ``templatetags/gvia.py``), which puts each value in a ``<bdi>``
so numbers, amounts and e-mails keep their direction in Hebrew. Tests check that every key a
template or view uses exists in every language with the same placeholders, and that no template
holds words outside a catalog. (Django's own messages — form validation, password rules — come
from Django's shipped translations, because each request activates the user's language.)

The languages are those with a ``web`` catalog: adding one is adding its catalogs (see
:mod:`gvia.locale`). A reader whose language has none reads Hebrew.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable

from gvia import locale

DOMAIN = "web"


def catalogs() -> locale.Domain:
    """The web's catalogs, loaded (and checked) on first use."""
    return locale.domain(DOMAIN)


def languages() -> tuple[str, ...]:
    """The languages the pages speak: he, en, then any other with a catalog."""
    return catalogs().languages


def normalize(lang: str | None) -> str:
    """'he', 'he-il', 'en-us' -> 'he' / 'en'; a language without a catalog -> 'he'."""
    return _normalize(lang, languages())


@lru_cache(maxsize=256)
def _normalize(lang: str | None, langs: tuple[str, ...]) -> str:
    base = (lang or "").split("-")[0].split("_")[0].lower()
    return base if base in langs else (locale.DEFAULT if locale.DEFAULT in langs else langs[0])


def direction(lang: str) -> str:
    return locale.direction(normalize(lang))


def language_name(code: str, lang: str) -> str:
    """The language ``code`` named in the reader's language ``lang`` (CLDR): "Hebrew", "עברית"."""
    return locale.language_name(code, normalize(lang))


def has(key: str) -> bool:
    return catalogs().has(key)


def text(key: str, lang: str, escape: Callable[[str], str] | None = None, **params) -> str:
    """The text of ``key`` in ``lang``, with ``{name}`` placeholders filled from ``params``.

    An unknown key comes back as the key itself, so a missing text shows instead of breaking the
    page (the test of the templates catches it first). ``escape`` is applied to the text before
    the (already safe) parameters are put in.
    """
    template = catalogs().text(key, normalize(lang))
    if template is None:
        template = key
    if escape is not None:
        template = str(escape(template))
    return template.format(**params) if params else template


class Key(str):
    """A value that is itself a key to translate when shown (``Key("method.cheque")``), with the
    text to show when the key is unknown (an audit action nobody named yet)."""

    fallback: str

    def __new__(cls, key: str, fallback: str | None = None) -> "Key":
        obj = super().__new__(cls, key)
        obj.fallback = fallback if fallback is not None else key
        return obj

    def text(self, lang: str) -> str:
        return text(str(self), lang) if has(str(self)) else self.fallback


def bucket_label(name: str, lang: str) -> str:
    """An aging bucket for people: "not_due" -> "Not yet due", "31-60" -> "31-60 days",
    "180+" -> "Over 180 days". The range keeps the ASCII hyphen: between two numbers it binds
    them into one left-to-right run, so Hebrew shows "31-60 ימים", not "60–31"."""
    if name == "not_due":
        return text("bucket.not_due", lang)
    if name.endswith("+"):
        return text("bucket.over", lang, n=name[:-1])
    a, _, b = name.partition("-")
    return text("bucket.range", lang, a=a, b=b)

"""The texts of the documents: the ``documents`` gettext catalog of each language.

``src/gvia/locale/<lang>/LC_MESSAGES/documents.po`` (see :mod:`gvia.locale`) holds every text
of the letters, statements, agreements, case files and the e-mails built from them, under a key
(``reminder.intro``). A text is a string with ``{placeholders}`` (values gvia fills in, all listed
in :data:`PLACEHOLDERS`) and ``**bold**`` spans; a plural entry has the forms of the language's
Plural-Forms, chosen by a count (Hebrew: one, two — the dual, "יומיים" — and other). Every
language has exactly the English catalog's ids; the placeholders are checked when the catalogs
are first loaded (a translation may use only its English text's placeholders, all of them known;
``**`` comes in pairs), so a typo fails at once naming the catalog, the id and the placeholder
instead of in a customer's letter.

The languages of the documents are those with a ``documents`` catalog (:func:`languages`);
adding one is adding its catalog (and a font for its script, :mod:`gvia.documents.fonts`).

Values are inserted after the text is split into bold and plain spans, so a customer
name containing ``**`` or ``{`` is printed as it is.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping

from gvia import locale
from gvia.core.errors import FieldProblem, ValidationFailed

DOMAIN = "documents"

PLACEHOLDERS = frozenset({
    "agreed", "as_of", "base_rate", "claim_basis", "contact", "contact_ways", "count", "credit",
    "currency", "customer", "customer_id", "daily", "date", "days", "deadline", "deadline_span",
    "debt_total", "due_now", "earliest_filing", "email", "first_amount", "first_due", "first_number",
    "fixed", "grace_days", "invoices_total", "items", "later", "max_days", "n", "notice_days", "number",
    "numbers", "offer_id", "org", "org_id", "page", "pages", "payment_link", "pending", "phone", "plan_id",
    "portal_url", "rate", "reference", "reply_days", "reply_to", "since", "signatory", "title", "total", "waived",
    "earlier", "of", "on_time", "paid", "percent", "recent", "trend",      # the payment record (issue 17)
    "amount", "at", "day", "invoices",                                     # a call's outcome (the case file)
})
PLURAL_FORMS = frozenset({"one", "two", "other"})

_FORMATTER = string.Formatter()


@dataclass(frozen=True)
class Run:
    """A piece of a paragraph; ``bold`` for emphasis; ``link`` when the text is a URL
    (clickable, and never broken across lines)."""

    text: str
    bold: bool = False
    link: bool = False


@dataclass(frozen=True)
class Link:
    """A placeholder value that is a web address: it becomes a run of its own."""

    url: str
    shown: str = ""

    def __str__(self) -> str:
        return self.shown or self.url


def catalogs() -> locale.Domain:
    """The documents' catalogs, loaded and checked on first use."""
    return locale.domain(DOMAIN, PLACEHOLDERS, bold=True, every_placeholder=False)


def languages() -> tuple[str, ...]:
    """The languages documents are written in: those with a ``documents`` catalog."""
    return catalogs().languages


class Texts:
    """The texts of one language: ``t("reminder.intro", 3, total="₪1.00")`` (the
    second, positional argument chooses the plural form)."""

    def __init__(self, language: str) -> None:
        if language not in languages():
            raise ValidationFailed([FieldProblem(None, "language", language,
                                                 f"must be one of {', '.join(languages())}")])
        self.language = language
        self._catalogs = catalogs()

    def raw(self, key: str, plural: int | None = None) -> str:
        """The text as written; ``plural`` picks the form of a plural entry."""
        c = self._catalogs
        if c.is_plural(key, self.language):
            if plural is None:
                raise KeyError(f"{key} needs a count")
            return c.plural(key, self.language, plural) or ""
        text = c.text(key, self.language)
        if text is None:
            raise KeyError(key)
        return text

    def has(self, key: str) -> bool:
        return self._catalogs.has(key, self.language)

    def __call__(self, key: str, plural: int | None = None, /, **values: Any) -> str:
        """The text with its values filled in, bold markers removed."""
        return "".join(r.text for r in self.runs(key, plural, **values))

    def runs(self, key: str, plural: int | None = None, /, **values: Any) -> list[Run]:
        """The text split into plain and bold runs, values filled in."""
        return fill(self.raw(key, plural), values)


def fill(template: str, values: Mapping[str, Any]) -> list[Run]:
    """Split ``template`` on ``**`` into plain/bold runs, then fill each run's placeholders.

    A :class:`Link` value becomes a run of its own with ``link=True``."""
    runs: list[Run] = []

    def add(text: str, bold: bool, link: bool = False) -> None:
        if not text:
            return
        if runs and not link and not runs[-1].link and runs[-1].bold == bold:
            runs[-1] = Run(runs[-1].text + text, bold)
        else:
            runs.append(Run(text, bold, link))

    for i, part in enumerate(template.split("**")):
        bold = bool(i % 2)
        for literal, name, spec, conv in _FORMATTER.parse(part):
            add(literal, bold)
            if name is None:
                continue
            if name not in values:
                raise KeyError(f"no value for placeholder {{{name}}}")
            value = values[name]
            if isinstance(value, Link):
                add(str(value), bold, link=True)
            else:
                add("" if value is None else format(value, spec or ""), bold)
    return runs


def texts(language: str) -> Texts:
    return _texts(language, catalogs())


@lru_cache(maxsize=16)
def _texts(language: str, _catalogs: locale.Domain) -> Texts:
    return Texts(language)


__all__ = ["PLACEHOLDERS", "Run", "Link", "Texts", "texts", "fill", "catalogs", "languages"]

"""The texts of the documents, loaded from ``texts/he.toml`` and ``texts/en.toml``.

Texts are data. A text is a string with ``{placeholders}`` (values gvia fills in, all
listed in :data:`PLACEHOLDERS`) and ``**bold**`` spans; or a table of plural forms
``{one = ..., two = ..., other = ...}`` chosen by a count (``two`` is optional, for Hebrew
duals such as "יומיים"). Both languages must have exactly the same keys; :func:`check_texts`
verifies that and the placeholders, and runs when the texts are first loaded, so a typo
fails at once with a clear message instead of in a customer's letter.

Values are inserted after the text is split into bold and plain spans, so a customer
name containing ``**`` or ``{`` is printed as it is.
"""

from __future__ import annotations

import string
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping

from gvia.core.errors import FieldProblem, ValidationFailed

from .model import LANGUAGES

PLACEHOLDERS = frozenset({
    "agreed", "as_of", "claim_basis", "contact", "contact_ways", "count", "credit",
    "currency", "customer", "customer_id", "date", "days", "deadline", "deadline_span",
    "debt_total", "earliest_filing", "email", "first_due", "first_number", "grace_days",
    "items", "max_days", "n", "notice_days", "number", "numbers", "offer_id", "org",
    "org_id", "page", "pages", "payment_link", "pending", "phone", "plan_id", "portal_url",
    "reference", "reply_days", "reply_to", "since", "signatory", "total", "waived",
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


def _load(language: str) -> dict[str, Any]:
    data = resources.files("gvia.documents").joinpath("texts").joinpath(f"{language}.toml").read_bytes()
    return tomllib.loads(data.decode("utf-8"))


def _is_plural(v: Any) -> bool:
    return isinstance(v, dict) and bool(v) and set(v) <= PLURAL_FORMS and "other" in v


def _leaves(tree: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in tree.items():
        path = f"{prefix}{k}"
        if isinstance(v, dict) and not _is_plural(v):
            out.update(_leaves(v, path + "."))
        else:
            out[path] = v
    return out


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in _FORMATTER.parse(text) if name is not None}


def check_texts(trees: Mapping[str, Mapping[str, Any]]) -> None:
    """Every language has the same keys; every placeholder is known; plural tables are
    well formed. Raises ValidationFailed listing every problem."""
    problems: list[FieldProblem] = []
    leaves = {lang: _leaves(tree) for lang, tree in trees.items()}
    all_keys = set().union(*(set(v) for v in leaves.values()))
    for lang, lv in leaves.items():
        src = f"texts/{lang}.toml"
        for key in sorted(all_keys - set(lv)):
            problems.append(FieldProblem(None, key, "", "missing in this language", src))
        for key, v in lv.items():
            forms = v.values() if _is_plural(v) else [v]
            if isinstance(v, dict) and not _is_plural(v):
                problems.append(FieldProblem(None, key, str(v), "not a text or plural table", src))
                continue
            for form in forms:
                if not isinstance(form, str):
                    problems.append(FieldProblem(None, key, repr(form), "not a text", src))
                    continue
                try:
                    names = _placeholders(form)
                except ValueError as e:
                    problems.append(FieldProblem(None, key, form, f"bad placeholder: {e}", src))
                    continue
                for name in sorted(names - PLACEHOLDERS):
                    problems.append(FieldProblem(None, key, form, f"unknown placeholder {{{name}}}", src))
                if form.count("**") % 2:
                    problems.append(FieldProblem(None, key, form, "unbalanced ** (bold)", src))
    if problems:
        raise ValidationFailed(problems, "the document texts have problems")


@lru_cache(maxsize=1)
def _all_texts() -> dict[str, dict[str, Any]]:
    trees = {lang: _load(lang) for lang in LANGUAGES}
    check_texts(trees)
    return {lang: _leaves(tree) for lang, tree in trees.items()}


class Texts:
    """The texts of one language: ``t("reminder.intro", 3, total="₪1.00")`` (the
    second, positional argument chooses the plural form)."""

    def __init__(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValidationFailed([FieldProblem(None, "language", language,
                                                 f"must be one of {', '.join(LANGUAGES)}")])
        self.language = language
        self._leaves = _all_texts()[language]

    def raw(self, key: str, plural: int | None = None) -> str:
        """The text as written; ``plural`` picks the form of a plural table."""
        v = self._leaves[key]
        if isinstance(v, dict):
            if plural is None:
                raise KeyError(f"{key} needs a count")
            form = "one" if plural == 1 else ("two" if plural == 2 and "two" in v else "other")
            return v.get(form, v["other"])
        return v

    def has(self, key: str) -> bool:
        return key in self._leaves

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


@lru_cache(maxsize=4)
def texts(language: str) -> Texts:
    return Texts(language)


__all__ = ["PLACEHOLDERS", "Run", "Link", "Texts", "texts", "fill", "check_texts"]

"""The words of gvia in every language: gettext catalogs, one per language and domain.

``src/gvia/locale/<lang>/LC_MESSAGES/<domain>.po``, four domains:

- ``web``: the pages (``{% t "key" %}`` in the templates, the views, the forms) and the
  password e-mail (:mod:`gvia.web.i18n`);
- ``documents``: letters, statements, agreements, case files and the e-mails built from them
  (:mod:`gvia.documents.wording`);
- ``cli``: the command line's headers, confirmations and refusals (:mod:`gvia.cli.words`);
- ``portal``: the customer's page, opened from a message's link without signing in
  (:mod:`gvia.web.portal.words`).

A language may have only some domains: each domain's languages are those with its catalog
(:func:`languages`), checked against that domain's English. The customer speaks Arabic and Russian
too (``ar``, ``ru``: the ``portal`` catalog — their page — and ``documents`` — their e-mails, short
texts and the courtesy translations of their letters, :mod:`gvia.documents.courtesy`); the staff's
pages, the command line and the explanations Hebrew and English.

Message ids are stable keys (``nav.skip``, ``reminder.intro``); the English catalog (``en``) holds
the English words like any other language does its own, and is the reference the others are
checked against. Texts hold ``{name}`` placeholders that the caller fills. A plural is a gettext
plural entry (``msgid_plural`` is the same key) with the forms of the language's ``Plural-Forms``
from CLDR (Babel's ``get_plural``): Hebrew has three — one, two (the dual, "יומיים") and other —,
English two, Russian three, Arabic six. A text a language leaves out on purpose (English letters
print no "Re:" before the title) is written ``msgstr "-"``, because an empty msgstr means "not
translated" to every gettext tool.

Adding a language is adding its catalogs: ``python -m gvia.locale new ar`` writes
``ar/LC_MESSAGES/*.po`` from the English ones (every entry marked fuzzy until translated), with
Arabic's plural forms; translate, then ``python -m gvia.locale`` compiles. Documents in a script
the installed fonts do not cover also need a font (:mod:`gvia.documents.fonts`).

The ``.mo`` files are build output (:mod:`gvia.locale.build`), read here with
:class:`gettext.GNUTranslations` once per process. Loading a domain checks every language
against English — the same ids, the same plural entries, the language's number of plural forms,
the same placeholders (a typo fails at once, naming the catalog, the id and the placeholder) — and
raises :class:`CatalogError` listing every problem. One exception: a language gvia does not speak
to its staff (not in ``ORDER``: Arabic, Russian) that only lacks ids — an id added in Hebrew and
English whose translations are not written yet — is left out of the domain with a warning naming
them (:attr:`Domain.left_out`), so the Hebrew and English documents keep working; a customer of
that language then gets nothing until it is complete (a message to them fails with a task), and
``tests/test_catalogs.py`` fails on any language left out. A ``.po`` newer than its ``.mo``, or never
compiled, stops gvia with one line naming the catalog and the command that compiles it
(:class:`CatalogNotCompiled`; :func:`check_compiled` runs when the command line and the web
application start).
"""

from __future__ import annotations

import gettext
import logging
import re
import string
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

from gvia.core.errors import GviaError

from .build import COMPILE_COMMAND, ROOT, is_stale

SOURCE = "en"              # the language every catalog is checked against
DEFAULT = "he"             # the language of a reader gvia knows nothing about
ORDER = ("he", "en")       # the shipped languages first, in this order; others after, by code
DOMAINS = ("web", "documents", "cli", "portal", "explain")
EMPTY = "-"                # msgstr "-": this language has no words here on purpose
MISSING = "missing in this language"
log = logging.getLogger(__name__)

_FORMATTER = string.Formatter()
_extra_dirs: list[Path] = []


class CatalogNotCompiled(SystemExit):
    """A catalog's ``.po`` is newer than its ``.mo``, or was never compiled: gvia stops with one
    line (the exception's ``code``, printed by Python when it exits) naming both."""

    def __init__(self, po: Path) -> None:
        self.po = po
        state = "is newer than its compiled .mo" if po.with_suffix(".mo").exists() else "is not compiled"
        super().__init__(f"gvia: the catalog {_shown(po)} {state}; compile it with: {_compile_command()}")


@dataclass(frozen=True)
class CatalogProblem:
    """One problem in one catalog: ``he/LC_MESSAGES/web.po``, the message id, what is wrong."""

    catalog: str
    id: str
    message: str
    text: str = ""

    def __str__(self) -> str:
        shown = f" in {self.text!r}" if self.text else ""
        return f"{self.catalog}: {self.id}: {self.message}{shown}"


class CatalogError(GviaError):
    """The catalogs of a domain disagree (see :meth:`Domain.problems`); nothing was loaded."""

    def __init__(self, problems: list[CatalogProblem], domain: str = "") -> None:
        self.problems = list(problems)
        self.summary = f"the {domain + ' ' if domain else ''}catalogs have {len(self.problems)} problem(s)"
        super().__init__(self.summary + "\n" + "\n".join(str(p) for p in self.problems))

    def __reduce__(self):
        return (type(self), (self.problems,))


# --- where the catalogs are -------------------------------------------------------------------

def dirs() -> tuple[Path, ...]:
    """The folders searched for catalogs: any added with :func:`extra_dir`, then gvia's own."""
    return (*_extra_dirs, ROOT)


@contextmanager
def extra_dir(path: Path | str) -> Iterator[None]:
    """Also read the catalogs under ``path`` (``<lang>/LC_MESSAGES/<domain>.po``) while inside;
    a language found there is added, one gvia ships is replaced. For tests and trials."""
    p = Path(path)
    _extra_dirs.insert(0, p)
    reset()
    try:
        yield
    finally:
        _extra_dirs.remove(p)
        reset()


def reset() -> None:
    """Forget what was loaded (the next lookup reads the catalogs again)."""
    _files.cache_clear()
    domain.cache_clear()


@lru_cache(maxsize=None)
def _files(name: str) -> dict[str, Path]:
    """language -> the catalog's path without its suffix, in :func:`languages` order."""
    found: dict[str, Path] = {}
    for folder in dirs():
        for f in sorted(Path(folder).glob(f"*/LC_MESSAGES/{name}.[mp]o")):
            found.setdefault(f.parent.parent.name, f.with_suffix(""))
    ranked = sorted(found, key=lambda lang: (ORDER.index(lang) if lang in ORDER else len(ORDER), lang))
    return {lang: found[lang] for lang in ranked}


def languages(name: str = "web") -> tuple[str, ...]:
    """The languages that have a catalog of the domain ``name``: he, en, then others by code."""
    return tuple(_files(name))


def check_compiled(names: Iterable[str] = DOMAINS) -> None:
    """Raise :class:`CatalogNotCompiled` for the first catalog whose ``.po`` is newer than its
    ``.mo`` (or has none)."""
    for name in names:
        for base in _files(name).values():
            po = base.with_suffix(".po")
            if po.exists() and is_stale(po):
                raise CatalogNotCompiled(po)


def _shown(path: Path) -> str:
    for root in (Path.cwd(), ROOT):
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            continue
    return str(path)


def _compile_command() -> str:
    python = Path(sys.executable)
    try:
        python = python.relative_to(Path.cwd())
    except ValueError:
        pass
    return COMPILE_COMMAND.replace("python", str(python) if python.name.startswith("python") else "python", 1)


# --- a domain's catalogs ----------------------------------------------------------------------

def placeholders(text: str) -> set[str]:
    """The ``{names}`` in ``text``; ValueError for a malformed one ("{total" or "}")."""
    return {name for _, name, _, _ in _FORMATTER.parse(text) if name is not None}


class Domain:
    """The catalogs of one domain in every language that has it.

    ``text(key, lang)`` and ``plural(key, lang, n)`` give the words as written (placeholders not
    filled), or None for an id the catalog does not have.
    """

    def __init__(self, name: str, translations: dict[str, gettext.GNUTranslations],
                 sources: dict[str, str]) -> None:
        self.name = name
        self.languages = tuple(translations)
        self.sources = dict(sources)
        # languages left out because they lack ids (see the module doc): language -> its problems
        self.left_out: dict[str, tuple[CatalogProblem, ...]] = {}
        self._texts: dict[str, dict[str, str]] = {}
        self._plurals: dict[str, dict[str, tuple[str, ...]]] = {}
        self._plural_index: dict[str, Callable[[int], int]] = {}
        self._nplurals: dict[str, int] = {}
        for lang, t in translations.items():
            texts: dict[str, str] = {}
            forms: dict[str, dict[int, str]] = {}
            # the parsed .mo: msgid -> msgstr, and (msgid, i) -> the i-th plural form; the
            # header is "" and the compiler's own note (the source's digest) has a context
            for key, value in t._catalog.items():  # type: ignore[attr-defined]  # gettext has no public iterator
                if isinstance(key, tuple):
                    forms.setdefault(key[0], {})[key[1]] = value
                elif key and "\x04" not in key:
                    texts[key] = value
            self._texts[lang] = {k: ("" if v == EMPTY else v) for k, v in texts.items()}
            self._plurals[lang] = {k: tuple("" if f[i] == EMPTY else f[i] for i in sorted(f)) for k, f in forms.items()}
            self._plural_index[lang] = t.plural  # type: ignore[attr-defined]  # set from Plural-Forms when parsed
            m = re.search(r"nplurals\s*=\s*(\d+)", t.info().get("plural-forms", ""))
            self._nplurals[lang] = int(m.group(1)) if m else 2

    def __repr__(self) -> str:
        return f"<Domain {self.name} {'/'.join(self.languages)}>"

    def text(self, key: str, lang: str) -> str | None:
        return self._texts[lang].get(key)

    def plural(self, key: str, lang: str, n: int) -> str | None:
        forms = self._plurals[lang].get(key)
        if forms is None:
            return None
        return forms[min(self._plural_index[lang](n), len(forms) - 1)]

    def has(self, key: str, lang: str = SOURCE) -> bool:
        return key in self._texts[lang] or key in self._plurals[lang]

    def is_plural(self, key: str, lang: str = SOURCE) -> bool:
        return key in self._plurals[lang]

    def ids(self, lang: str = SOURCE) -> set[str]:
        return set(self._texts[lang]) | set(self._plurals[lang])

    def forms(self, key: str, lang: str) -> tuple[str, ...]:
        """The text of ``key`` as a tuple: one element, or one per plural form."""
        if key in self._plurals[lang]:
            return self._plurals[lang][key]
        return (self._texts[lang][key],) if key in self._texts[lang] else ()

    def problems(self, known: frozenset[str] | None = None, bold: bool = False,
                 every_placeholder: bool = True) -> list[CatalogProblem]:
        """Every disagreement with the English catalog: ids, plural forms, placeholders (a
        translation may use only the English text's). ``known``: the only placeholders allowed at
        all (the documents'); ``bold``: ``**`` must come in pairs; ``every_placeholder``: a
        translation uses each of the English text's placeholders too (the documents' do not: a
        formal Hebrew greeting names nobody)."""
        out: list[CatalogProblem] = []
        if SOURCE not in self.languages:
            return [CatalogProblem(f"{SOURCE}/LC_MESSAGES/{self.name}.po", "", "the English catalog is missing")]
        reference = self.ids(SOURCE)
        for lang in self.languages:
            where = self.sources[lang]

            def problem(key: str, message: str, text: str = "") -> None:
                out.append(CatalogProblem(where, key, message, text))

            ids = self.ids(lang)
            for key in sorted(reference - ids):
                problem(key, MISSING)
            for key in sorted(ids - reference):
                problem(key, f"not in the {SOURCE} catalog")
            for key in sorted(ids & reference):
                if self.is_plural(key, lang) != self.is_plural(key):
                    problem(key, f"plural here and not in the {SOURCE} catalog, or the other way round")
                    continue
                forms = self.forms(key, lang)
                if self.is_plural(key) and len(forms) != self._nplurals[lang]:
                    problem(key, f"{len(forms)} plural forms; this language has {self._nplurals[lang]}")
                expected: set[str] = set()
                for form in self.forms(key, SOURCE):
                    try:
                        expected |= placeholders(form)
                    except ValueError:
                        pass            # reported with the English catalog
                used: set[str] = set()
                for form in forms:
                    if form == key:
                        problem(key, "not translated (the text is its id)")
                    try:
                        names = placeholders(form)
                    except ValueError as e:
                        problem(key, f"bad placeholder: {e}", form)
                        continue
                    used |= names
                    unknown = (names - expected) | (names - known if known is not None else set())
                    for name in sorted(unknown):
                        problem(key, f"unknown placeholder {{{name}}}", form)
                    if bold and form.count("**") % 2:
                        problem(key, "unbalanced ** (bold)", form)
                for name in sorted(expected - used) if every_placeholder else ():
                    problem(key, f"placeholder {{{name}}} missing", " | ".join(forms))
        return out


@lru_cache(maxsize=None)
def domain(name: str, known: frozenset[str] | None = None, bold: bool = False,
           every_placeholder: bool = True) -> Domain:
    """The catalogs of domain ``name``, compiled, loaded once and checked (CatalogError,
    CatalogNotCompiled). The other arguments: see :meth:`Domain.problems`."""
    files = _files(name)
    check_compiled([name])
    translations: dict[str, gettext.GNUTranslations] = {}
    sources: dict[str, str] = {}
    for lang, base in files.items():
        with open(base.with_suffix(".mo"), "rb") as f:
            translations[lang] = gettext.GNUTranslations(f)
        sources[lang] = f"{lang}/LC_MESSAGES/{name}.po" if base.parent.parent.parent == ROOT else \
            _shown(base.with_suffix(".po"))
    d = Domain(name, translations, sources)
    problems = d.problems(known, bold, every_placeholder)
    by_language = {lang: [p for p in problems if p.catalog == sources[lang]] for lang in translations}
    incomplete = {lang: found for lang, found in by_language.items()
                  if found and lang not in ORDER and lang != SOURCE and all(p.message == MISSING for p in found)}
    if incomplete:
        for lang, found in incomplete.items():
            log.warning("the %s catalog of %r lacks %d id(s) (%s): %r is left out of it until they are translated",
                        name, lang, len(found), ", ".join(p.id for p in found[:10]), lang)
        kept = {lang: t for lang, t in translations.items() if lang not in incomplete}
        d = Domain(name, kept, {lang: sources[lang] for lang in kept})
        d.left_out = {lang: tuple(found) for lang, found in incomplete.items()}
        problems = [p for lang in kept for p in by_language[lang]]
    if problems:
        raise CatalogError(problems, name)
    return d


# --- languages --------------------------------------------------------------------------------

def direction(lang: str) -> str:
    """"rtl" for Hebrew, Arabic and the other right-to-left languages, else "ltr"."""
    from gvia.core.formatting import is_rtl  # Babel's locale data: not needed to start

    try:
        return "rtl" if is_rtl(lang) else "ltr"
    except GviaError:           # a code CLDR does not know
        return "ltr"


def language_name(lang: str, reader: str) -> str:
    """The language ``lang`` named in the ``reader``'s language, from CLDR ("Hebrew", "עברית",
    "иврит"); the code itself for a language CLDR does not know."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(lang).get_display_name(reader)
    except (UnknownLocaleError, ValueError):
        return lang
    return name or lang


def own_name(lang: str) -> str:
    """The language in its own words, capitalized as a menu item ("English", "עברית", "Русский")."""
    name = language_name(lang, lang)
    return name[:1].upper() + name[1:]


__all__ = ["SOURCE", "DEFAULT", "DOMAINS", "EMPTY", "MISSING", "CatalogNotCompiled", "CatalogProblem", "CatalogError",
           "Domain", "domain", "languages", "dirs", "extra_dir", "reset", "check_compiled", "placeholders",
           "direction", "language_name", "own_name"]

"""Locale formatting of amounts, dates and lists, with the bidi marks Hebrew needs.

Pure: babel's CLDR data only, no clock, no I/O.

Locales are written as in ``Letterhead.locale``: ``"he"``, ``"en-GB"``, ``"en-US"`` (``_``
also accepted, case ignored). The rules:

* **Amounts** put the currency symbol first and keep exactly the currency's minor-unit
  places (:func:`gvia.core.money.currency_exponent`): he ``₪12,345.67``, en-GB
  ``£12,345.67``, en-US ``$12,345.67``, JPY ``¥12,346``. The symbol is the locale's CLDR
  symbol (en-GB writes ``US$`` for USD, as British readers expect). A symbol made of
  letters (``CHF``) is followed by a no-break space. Negative amounts carry a leading
  ``-`` (``-₪50.00``).
* **Dates** are numeric with a four-digit year: he and en-GB ``23/11/2026`` (day first),
  en-US ``11/23/2026``; any other locale falls back to its CLDR short pattern with a
  four-digit year.
* **Bidi.** In a right-to-left locale a bare ``₪12,345.67`` is one run of "European
  number" characters and stays in place inside Hebrew text, so it gets no marks. A minus
  sign or a symbol made of letters would be reordered by the Unicode bidi algorithm
  (``-₪50.00`` would show as ``₪50.00-``), so such an amount is wrapped in LEFT-TO-RIGHT
  ISOLATE … POP DIRECTIONAL ISOLATE (U+2066 … U+2069). :func:`isolate_ltr` does the same
  for invoice numbers, e-mail addresses and phone numbers, :func:`isolate` (first strong
  isolate, U+2068) for names and addresses whose direction depends on their content.
  Typst, browsers and mail clients all honour these marks; the plain text keeps them.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Iterable

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_format_date
from babel.dates import get_date_format
from babel.lists import format_list
from babel.numbers import NumberPattern, format_decimal, get_currency_symbol, parse_pattern

from .errors import FieldProblem, ValidationFailed
from .money import Money, currency_exponent

LRI = "\u2066"  # LEFT-TO-RIGHT ISOLATE
RLI = "\u2067"  # RIGHT-TO-LEFT ISOLATE
FSI = "\u2068"  # FIRST STRONG ISOLATE
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE
BIDI_CONTROLS = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

_RTL_LANGUAGES = frozenset({"he", "iw", "ar", "fa", "ur", "yi"})

# Numeric date patterns per locale; others fall back to CLDR "short" with a 4-digit year.
_DATE_PATTERNS = {
    "he": "dd/MM/yyyy",
    "en_GB": "dd/MM/yyyy",
    "en_IL": "dd/MM/yyyy",
    "en_US": "MM/dd/yyyy",
}

_locale_cache: dict[str, Locale] = {}


def parse_locale(locale: str) -> Locale:
    """The babel Locale for ``"he"``, ``"en-GB"``, ``"en_us"``...; ValidationFailed if unknown."""
    key = (locale or "").strip()
    cached = _locale_cache.get(key)
    if cached is not None:
        return cached
    try:
        loc = Locale.parse(key.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise ValidationFailed([FieldProblem(None, "locale", str(locale),
                                             "not a locale (expected e.g. he, en-GB, en-US)",
                                             code="not_a_locale")])
    _locale_cache[key] = loc
    return loc


def is_rtl(locale: str) -> bool:
    """True for right-to-left languages (Hebrew, Arabic...)."""
    return parse_locale(locale).language in _RTL_LANGUAGES


def _locale_key(loc: Locale) -> str:
    return f"{loc.language}_{loc.territory}" if loc.territory else loc.language


def isolate_ltr(text: str) -> str:
    """Wrap a left-to-right token (invoice number, e-mail, phone, amount) in LRI…PDI."""
    return f"{LRI}{text}{PDI}" if text else text


def isolate(text: str) -> str:
    """Wrap text whose direction depends on its content (a name, an address) in FSI…PDI."""
    return f"{FSI}{text}{PDI}" if text else text


_RTL_LETTER = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_LTR_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]")


def has_rtl(text: str) -> bool:
    """True if the text holds a Hebrew or Arabic letter."""
    return _RTL_LETTER.search(text) is not None


def isolate_if_mixed(text: str, rtl_context: bool) -> str:
    """FSI…PDI around text (a name, an address line, free text) only when it holds letters
    of the other direction than the text around it: "Acme Ltd." inside Hebrew, "אלפא Tech
    בע״מ" inside English. Text of the same direction stays as it is, so English e-mails
    carry no invisible marks."""
    other = _LTR_LETTER if rtl_context else _RTL_LETTER
    return isolate(text) if other.search(text) else text


def strip_bidi(text: str) -> str:
    """The text without bidi control characters (for comparing or for plain ASCII channels)."""
    return "".join(ch for ch in text if ch not in BIDI_CONTROLS)


@lru_cache(maxsize=512)
def _money_pattern(currency: str, locale: str) -> tuple[Locale, NumberPattern, bool, bool]:
    """What formatting ``currency`` in ``locale`` needs, worked out once: the locale, the parsed
    pattern (symbol first, the currency's minor digits), whether the text is isolated
    left-to-right in a right-to-left language always (a symbol in letters, "US$") or only when
    negative."""
    loc = parse_locale(locale)
    places = currency_exponent(currency)
    symbol = get_currency_symbol(currency, loc)
    number = "#,##0" + ("." + "0" * places if places else "")
    sep = "\u00a0" if symbol[-1:].isalpha() else ""
    rtl = loc.language in _RTL_LANGUAGES
    return loc, parse_pattern(f"¤{sep}{number}"), rtl and bool(re.search(r"[^\W\d_]", symbol)), rtl


def format_money(m: Money, locale: str) -> str:
    """``Money`` as the locale writes it, symbol first (see the module doc for the rules)."""
    loc, pattern, isolate_always, rtl = _money_pattern(m.currency, locale)
    text: str = pattern.apply(m.amount, loc, currency=m.currency, currency_digits=False)
    if isolate_always or (rtl and m.is_negative):
        return isolate_ltr(text)
    return text


def format_date(d: date, locale: str) -> str:
    """A date as the locale writes it: he / en-GB ``23/11/2026``, en-US ``11/23/2026``."""
    loc = parse_locale(locale)
    pattern = _DATE_PATTERNS.get(_locale_key(loc)) or _DATE_PATTERNS.get(loc.language)
    if pattern is None:
        pattern = get_date_format("short", locale=loc).pattern
        if "yyyy" not in pattern:
            pattern = re.sub(r"y+", "yyyy", pattern)
    return _babel_format_date(d, pattern, locale=loc)


def format_count(n: int, locale: str) -> str:
    """A whole number with the locale's grouping (1,234)."""
    return format_decimal(n, format="#,##0", locale=parse_locale(locale))


def join_or(items: Iterable[str], locale: str) -> str:
    """Alternatives as a sentence joins them: "A, B or C" / "A, B או C"."""
    xs = [x for x in items if x]
    return format_list(xs, style="or", locale=parse_locale(locale)) if xs else ""


def join_list(items: Iterable[str], locale: str) -> str:
    """Join items as a sentence does: "A, B and C"; in Hebrew "A, B ו־C".

    Hebrew attaches "and" (ו) to the next word; before a token that is not Hebrew (an
    amount, a Latin name) it is joined with a maqaf, as Hebrew typesetting does.
    """
    xs = [x for x in items if x]
    if len(xs) <= 1:
        return xs[0] if xs else ""
    loc = parse_locale(locale)
    head = ", ".join(xs[:-1])
    if loc.language == "he":
        return f"{head} ו\u05be{xs[-1]}"
    return format_list(xs, locale=loc)


def format_totals(amounts: Iterable[Money], locale: str) -> str:
    """Several totals (one per currency) as one phrase: "₪1,200.00 and $300.00"."""
    return join_list([format_money(m, locale) for m in amounts], locale)


__all__ = [
    "LRI", "RLI", "FSI", "PDI", "BIDI_CONTROLS",
    "parse_locale", "is_rtl", "isolate_ltr", "isolate", "isolate_if_mixed", "has_rtl",
    "strip_bidi",
    "format_money", "format_date", "format_count", "join_list", "join_or", "format_totals",
]

"""How amounts and dates look on screen, in the request's language and the organization's country.

The display locale is ``{lang}_{country}`` (he_IL, en_IL, en_GB, en_US): the language picks the
words, the country the date order (day first in Israel and the UK, month first in the US). It is
set once per request by :func:`gvia.web.access.activate_language`, like Django's active language.

Formatting itself is ``gvia.core.formatting`` (``format_money(Money, locale)``,
``format_date(date, locale)``), shared with letters and e-mails. It is imported lazily; until it
exists, babel formats directly with the same inputs.

On screen an amount, a date or a number is always shown inside an LTR isolate
(``<bdi dir="ltr">``), so "1,250.00 ₪" or "INV-1043/2" keeps its order inside Hebrew text. The
bidi marks and isolates (LRM/RLM, LRI…PDI) that plain-text formatting adds are dropped there:
the HTML isolate does their job.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date, datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import phonenumbers
from babel import Locale, UnknownLocaleError
from babel.numbers import format_compact_decimal as babel_format_compact_decimal
from babel.numbers import format_decimal as babel_format_decimal
from babel.numbers import get_currency_name as babel_currency_name
from babel.numbers import get_currency_symbol as babel_currency_symbol

from gvia.core import formatting
from gvia.core.money import Money

_locale: ContextVar[str] = ContextVar("gvia_display_locale", default="he_IL")
_zone: ContextVar[str] = ContextVar("gvia_display_zone", default="Asia/Jerusalem")
_country: ContextVar[str] = ContextVar("gvia_display_country", default="IL")
_BIDI_MARKS = str.maketrans("", "", "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def locale_for(lang: str, country: str = "") -> str:
    country = (country or "IL").upper()
    return f"{lang}_{country}"


def activate(lang: str, country: str = "", time_zone: str = "") -> None:
    """Use this language, country and time zone for what this request shows. A pair the locale
    data does not know (Hebrew in a British organization: he_GB) falls back to the language."""
    _locale.set(_babel(locale_for(lang, country)))
    _country.set((country or "IL").upper())
    _zone.set(time_zone or "Asia/Jerusalem")


def current_locale() -> str:
    return _locale.get()


def money_text(m: Money, locale: str | None = None) -> str:
    """An amount as text for the screen, e.g. '1,250.00 ₪' (he) or '₪1,250.00' (en)."""
    return _money_text(m, locale or current_locale())


@lru_cache(maxsize=8192)
def _money_text(m: Money, loc: str) -> str:
    # kept: babel reads the pattern anew on every call (~0.1 ms), and a page of customers or
    # messages shows a hundred amounts, many of them alike
    return formatting.format_money(m, loc).translate(_BIDI_MARKS).replace("\u00a0", " ")


def compact_money_text(m: Money, locale: str | None = None) -> str:
    """A short amount for chart labels: '₪12.3K', '₪1.2M'; amounts under 10,000 in full."""
    if abs(m.amount) < 10000:
        return money_text(m, locale)
    # symbol first, as money_text writes every amount (CLDR's own compact currency patterns
    # put it after the number in Hebrew, and they change between CLDR versions)
    where = _babel(locale or current_locale())
    number = babel_format_compact_decimal(abs(m.amount), locale=where, fraction_digits=1)
    text = f"{'-' if m.amount < 0 else ''}{babel_currency_symbol(m.currency, locale=where)}{number}"
    return text.translate(_BIDI_MARKS).replace("\u00a0", " ")


def date_text(d: date | datetime, locale: str | None = None) -> str:
    """A business date as the organization writes it: 05/03/2026 (IL, GB), 3/5/26 (US)."""
    loc = locale or current_locale()
    if isinstance(d, datetime):
        d = d.date()
    return formatting.format_date(d, loc).translate(_BIDI_MARKS)


def moment_text(moment: datetime, locale: str | None = None) -> str:
    """A timestamp in the organization's time zone: '05/03/2026 14:07'."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    local = moment.astimezone(ZoneInfo(_zone.get()))
    return f"{date_text(local.date(), locale)} {local:%H:%M}"


def phone_text(raw: str, country: str | None = None) -> str:
    """A stored phone (E.164, '+972501234567') as people read it: national form for a number of
    the organization's country ('050-123-4567'), international otherwise ('+44 20 7946 0000').
    Anything that is not a phone number comes back unchanged."""
    country = (country or _country.get()).upper()
    try:
        number = phonenumbers.parse(raw, country)
    except phonenumbers.NumberParseException:
        return raw
    if not phonenumbers.is_possible_number(number):
        return raw
    same = phonenumbers.region_code_for_number(number) == country
    return phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.NATIONAL if same else phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def currency_text(code: str, locale: str | None = None) -> str:
    """A currency as a person names it in the page's language, with its sign: "שקל חדש (₪)",
    "US Dollar ($)"; the ISO code only for a currency CLDR does not know."""
    return _currency_text(code, _babel(locale or current_locale()))


@lru_cache(maxsize=256)
def _currency_text(code: str, loc: str) -> str:
    name = babel_currency_name(code, locale=loc)
    sign = babel_currency_symbol(code, locale=loc)
    return f"{name} ({sign})" if sign and sign != code and sign != name else name


def country_text(code: str, locale: str | None = None) -> str:
    """A country (ISO 3166 code) as a person names it in the page's language (CLDR): "ישראל",
    "Israel"; the code itself for one CLDR does not know."""
    return Locale.parse(_babel(locale or current_locale())).territories.get(code.upper(), code)


def number_text(n: int, locale: str | None = None) -> str:
    return babel_format_decimal(n, locale=_babel(locale or current_locale()))


@lru_cache(maxsize=64)
def _babel(loc: str) -> str:
    # babel knows he_IL, en_IL, en_GB, en_US ...; fall back to the bare language otherwise
    try:
        Locale.parse(loc)
        return loc
    except (UnknownLocaleError, ValueError):
        return loc.split("_")[0]

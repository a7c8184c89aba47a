"""Reading one cell as the value of one field: dates, amounts, currencies, words, ids, phones.

Every reader takes a cell as :mod:`gvia.imports.tables` yields it — text (already stripped of
spaces and direction marks by the row parser), a ``Decimal`` or a ``date``/``datetime`` from a
spreadsheet — and returns the typed value or raises :class:`BadValue` whose message says what
is wrong in words a bookkeeper understands. Blank cells never reach a reader: the row parser
decides what a blank means for each field.

Rules:

- **Dates.** A spreadsheet date cell is taken as it is (a date-time gives its date). Text with
  ``--date-format`` must match that strptime format. Without it: ISO ``2026-11-23`` (also with a
  time after it) is always accepted, ``2026/11/23`` too, and otherwise three numbers separated
  by ``/``, ``.`` or ``-`` are read in the organization's convention — day first
  (``23/11/2026``, ``23.11.2026``, ``23-11-26``) everywhere except the United States and the
  few countries that write the month first. Two-digit years are 2000–2068 for 00–68 and
  1969–1999 for 69–99 (as strptime's ``%y``). A date that does not exist (31/02/2026) is an
  error, and so is a year before 1900 or after 2199.
- **Amounts.** Plain numbers ("1250.00", "-12") are read directly; anything else goes through
  :func:`gvia.core.money.parse_amount` ("₪ 1,250.00", "(300.50)", "1,250-"). A currency sign or
  code written in the amount ("$1,250") is reported back so the row can use it. Spreadsheet
  numbers arrive as ``Decimal`` (see tables.py). An amount with more decimal places than its
  currency has (1.250 in ILS — likely a thousands separator) is an error unless the extra
  digits are zeros.
- **Currency:** ISO codes, signs and the Hebrew and English words for shekel, dollar, euro and
  pound.
- **Israeli tax ids:** digits (separators " -./" ignored, lost leading zeros restored to nine
  digits) with a valid check digit — a personal ID (ת.ז., also a sole trader's ע.מ.) by
  ``stdnum.il.idnr`` or a company number (ח.פ.) by ``stdnum.il.hp``. Other countries' ids are
  kept as written (whitespace collapsed), not checked.
- **Phones** are parsed by ``phonenumbers`` with the organization's country as the default
  region and stored in E.164; a number that cannot be a phone number there is an error.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

import phonenumbers
from stdnum import luhn

from gvia.core.errors import InvalidAmount, UnknownCurrency
from gvia.core.money import normalize_currency, parse_amount

from .fields import normalize_header as _key

# Characters stripped from both ends of every cell: whitespace, no-break spaces, BOM and the
# bidirectional marks Hebrew exports put around numbers.
STRIP = (" \t\r\n\v\f\xa0\u2007\u202f\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
         "\u2066\u2067\u2068\u2069\ufeff")


class BadValue(ValueError):
    """A cell that cannot be read as its field; ``str(exc)`` says why in English (for logs and
    tests). ``code`` and ``params``, when given, are what the row's problem carries for the edges
    to word (:class:`gvia.core.errors.FieldProblem`)."""

    def __init__(self, message: str, code: str = "", **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


class _Why:
    """What is wrong with a date text, cached like a date (never a ``str`` nor a ``date``, so the
    row parser's fast paths, which only take a ``date``, fall back to the slow path)."""

    __slots__ = ("message", "code", "params")

    def __init__(self, message: str, code: str = "", **params: object) -> None:
        self.message, self.code, self.params = message, code, params

    def error(self) -> BadValue:
        return BadValue(self.message, self.code, **self.params)


def cell_text(value: object) -> str:
    """A cell as text: spreadsheet numbers without a spurious '.0' (1043.0 -> '1043')."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip(STRIP)
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return str(int(value))
        return format(value, "f")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip(STRIP)


# --- dates -------------------------------------------------------------------------------

# Countries that write the month first (3/4/2026 is March 4th).
MONTH_FIRST = frozenset({"US", "PR", "GU", "VI", "AS", "MP", "UM", "PH", "FM", "MH", "PW"})

_DATE_CACHE_LIMIT = 100_000


def day_first(country: str) -> bool:
    """True when the organization's country writes dates day first (IL, GB and most)."""
    return (country or "").upper() not in MONTH_FIRST


class DateReader:
    """Reads date cells for one import; remembers the texts it has read (files repeat dates).

    ``reader(cell) -> date`` or raises :class:`BadValue`.
    """

    __slots__ = ("country", "date_format", "day_first", "known", "_example")

    def __init__(self, country: str = "IL", date_format: str | None = None) -> None:
        self.country = (country or "").upper()
        self.date_format = date_format or None
        self.day_first = day_first(self.country)
        self._example = "23/11/2026 (day first)" if self.day_first else "11/23/2026 (month first)"
        # text -> date, or what is wrong with it; read by the row parser's fast path
        self.known: dict[str, dt.date | _Why] = {}

    def __call__(self, value: object) -> dt.date:
        if value.__class__ is str:
            found = self.known.get(value)
            if found is None:
                found = self._read_text(value)
                if len(self.known) < _DATE_CACHE_LIMIT:
                    self.known[value] = found
            if isinstance(found, _Why):   # what is wrong
                raise found.error()
            return found
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, Decimal):
            raise BadValue("a number, not a date (format the column as dates, or export "
                           "it as text)", code="date_is_a_number")
        raise BadValue("not a date", code="not_a_date")

    # The result is a date, or what is wrong (cached like a date).
    def _read_text(self, raw: str) -> dt.date | _Why:
        s = raw.strip(STRIP)
        if self.date_format:
            try:
                return dt.datetime.strptime(s, self.date_format).date()
            except ValueError as exc:
                if "out of range" in str(exc):
                    return _Why("no such date", "no_such_date")
                return _Why(f"not a date in the format {self.date_format} (from --date-format)",
                            "date_not_in_format", format=self.date_format)
        if " " in s:
            s = s.split(" ", 1)[0]
        elif len(s) > 10 and s[10] == "T":
            s = s[:10]
        parts: tuple[str, ...] | None = None
        if len(s) == 10 and s[4] == "-" and s[7] == "-":
            parts = (s[:4], s[5:7], s[8:])
        else:
            sep = next((ch for ch in s if not ch.isdigit()), "")
            if sep in ("/", ".", "-"):
                parts = tuple(s.split(sep))
        if (parts is None or len(parts) != 3
                or not all(p.isascii() and p.isdigit() for p in parts)):
            return self._not_a_date()
        a, b, c = parts
        if len(a) == 4 and len(b) <= 2 and len(c) <= 2:
            return self._make(int(a), int(b), int(c), "year first")
        if len(a) <= 2 and len(b) <= 2 and len(c) in (2, 4):
            year = int(c)
            if len(c) == 2:
                year += 2000 if year < 69 else 1900
            if self.day_first:
                return self._make(year, int(b), int(a), "day first")
            return self._make(year, int(a), int(b), "month first")
        return self._not_a_date()

    def _not_a_date(self) -> _Why:
        return _Why(f"not a date; expected 2026-11-23 or {self._example}",
                    "not_a_date_day_first" if self.day_first else "not_a_date_month_first")

    def _make(self, year: int, month: int, day: int, order: str) -> dt.date | _Why:
        if not 1900 <= year <= 2199:
            return _Why(f"year {year} is out of range", "year_out_of_range", year=str(year))
        try:
            return dt.date(year, month, day)
        except ValueError:
            pass
        why = f"no such date (read {order}: day {day}, month {month}, year {year})"
        read = {"day": str(day), "month": str(month), "year": str(year)}
        if order != "year first" and month > 12 and day <= 12:
            other = "%m/%d/%Y" if self.day_first else "%d/%m/%Y"
            why += (f"; dates are read {order} for {self.country or 'this organization'} — "
                    f"if this file writes the {'month' if self.day_first else 'day'} first, "
                    f"use --date-format {other}")
            return _Why(why, "no_such_date_swapped_day_first" if self.day_first else "no_such_date_swapped_month_first",
                        format=other, **read)
        return _Why(why, "no_such_date_read", **read)


# --- amounts -------------------------------------------------------------------------------

# Largest amount accepted (ten trillion): anything bigger is a mistake in the file.
MAX_AMOUNT = Decimal(10) ** 13

_MARKERS = (("₪", "ILS"), ('ש"ח', "ILS"), ("ש״ח", "ILS"), ("NIS", "ILS"), ("ILS", "ILS"),
            ("$", "USD"), ("USD", "USD"), ("€", "EUR"), ("EUR", "EUR"), ("£", "GBP"),
            ("GBP", "GBP"))


def currency_in_text(text: str) -> str | None:
    """The currency a sign or code inside an amount's text names ('$1,250' -> 'USD')."""
    upper = text.upper()
    found = {code for marker, code in _MARKERS if marker in upper}
    if len(found) > 1:
        raise BadValue(f"two currencies in one amount ({', '.join(sorted(found))})",
                       code="two_currencies", currencies=sorted(found))
    return found.pop() if found else None


def read_amount(value: object, decimal_comma: bool = False) -> tuple[Decimal, str | None, int]:
    """``(number, currency named in the text or None, decimal places written)``.

    ``value`` is stripped text or a Decimal. Raises :class:`BadValue`.
    """
    if value.__class__ is str:
        s: str = value
        t = s[1:] if s[:1] == "-" else s
        if not decimal_comma and t.replace(".", "", 1).isdigit():
            try:
                number = Decimal(s)
            except InvalidOperation:
                pass
            else:
                p = s.find(".")
                return number, None, (len(s) - p - 1 if p >= 0 else 0)
        hint = currency_in_text(s)
        try:
            number = parse_amount(s, decimal_comma=decimal_comma)
        except InvalidAmount:
            raise BadValue("not an amount", code="not_an_amount") from None
    elif isinstance(value, Decimal):
        number, hint = value, None
    else:
        raise BadValue("not an amount", code="not_an_amount")
    if not number.is_finite():
        raise BadValue("not an amount", code="not_an_amount")
    exponent = number.as_tuple().exponent
    return number, hint, (-exponent if isinstance(exponent, int) and exponent < 0 else 0)


def read_decimal(value: object) -> Decimal:
    """A plain positive number such as an exchange rate ('3.6250'); no signs or separators."""
    s = cell_text(value) if value.__class__ is not str else value
    try:
        number = Decimal(s)
    except InvalidOperation:
        raise BadValue("not a number", code="not_a_number") from None
    if not number.is_finite():
        raise BadValue("not a number", code="not_a_number")
    if number <= 0:
        raise BadValue("must be more than zero", code="not_more_than_zero")
    return number


# The row and column parsers' fast paths: a clean, non-negative amount read without the full
# rules (anything these refuse goes through read_amount and the row's checks).

def ungrouped(s: str) -> str | None:
    """"1,170.00" -> "1170.00": thousands separators in groups of three taken out; None when
    the commas are not such separators ("12,50", "1,2345")."""
    head, dot, tail = s.partition(".")
    groups = head.split(",")
    if not 0 < len(groups[0]) <= 3 or (dot and not tail) or any(len(g) != 3 for g in groups[1:]):
        return None
    return head.replace(",", "") + dot + tail


def plain_amount(cell: object, decimals: int) -> Decimal | None:
    """The value of a clean, non-negative amount with at most ``decimals`` places, else None.

    Used by the fast paths: "1170.00", "1,170.00" or a spreadsheet number. Anything else —
    a sign, a currency mark, spaces, more decimals, a huge number — is None, and the full
    rules decide.
    """
    if cell.__class__ is str:
        s: str = cell
        if "," in s:
            plain = ungrouped(s)
            if plain is None:
                return None
            s = plain
        if not s.isascii() or not s.replace(".", "", 1).isdigit():
            return None
        p = s.find(".")
        if p >= 0 and len(s) - p - 1 > decimals:
            return None
        value = Decimal(s)
    elif cell.__class__ is Decimal:
        value = cell
        if not value.is_finite() or value < 0:
            return None
        exponent = value.as_tuple().exponent   # an int: the value is finite
        if not isinstance(exponent, int) or -exponent > decimals:
            return None
    else:
        return None
    return value if value < MAX_AMOUNT else None


MAX_MINOR = {exp: int(MAX_AMOUNT) * 10 ** exp for exp in range(4)}
_POWERS = (1, 10, 100, 1000)


def plain_minor(cell: object, decimals: int) -> int | None:
    """:func:`plain_amount` in integer minor units (``decimals`` places), exactly; None where
    it gives None. "1,170.5" -> 117050 for two places; no Decimal on the way for text."""
    if cell.__class__ is not str:
        value = plain_amount(cell, decimals)
        return None if value is None else int(value.scaleb(decimals))
    s: str = cell
    if "," in s:
        plain = ungrouped(s)
        if plain is None:
            return None
        s = plain
    p = s.find(".")
    if p < 0:
        digits, pad = s, decimals
    else:
        pad = decimals - (len(s) - p - 1)
        if pad < 0:
            return None
        digits = s[:p] + s[p + 1:]
    if not (digits.isdigit() and digits.isascii()):
        return None
    minor = int(digits) * _POWERS[pad]
    return minor if minor < MAX_MINOR[decimals] else None



# --- words ---------------------------------------------------------------------------------

def _words(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {_key(word): value for value, words in table.items() for word in (value, *words)}


_CURRENCY_WORDS = _words({
    "ILS": ("שקל", "שקלים", "שקל חדש", 'ש"ח', "ש״ח", "שח", "nis", "shekel", "shekels",
            "new shekel", "israeli shekel", "ils"),
    "USD": ("דולר", "דולרים", 'דולר ארה"ב', "dollar", "dollars", "us dollar", "us$", "usd"),
    "EUR": ("יורו", "אירו", "euro", "euros", "eur"),
    "GBP": ('ליש"ט', "ליש״ט", "פאונד", "pound", "pounds", "pound sterling", "sterling", "gbp"),
})

_KINDS = _words({
    "invoice": ("inv", "tax invoice", "debit note", "bill", "חשבונית", "חשבונית מס",
                "חשבונית מס קבלה", "חשבונית מס/קבלה", "חשבון עסקה", "חשבונית עסקה",
                "חשבונית חיוב", "חיוב"),
    "credit_note": ("credit note", "credit", "cn", "credit memo", "חשבונית זיכוי",
                    "חשבונית מס זיכוי", "זיכוי", "תעודת זיכוי", "הודעת זיכוי"),
})

_METHODS = _words({
    "transfer": ("bank transfer", "wire", "wire transfer", "bank", "eft", "ach", "sepa",
                 "direct debit", "standing order", "העברה", "העברה בנקאית", "ה.ב.",
                 "העברת בנק", "הוראת קבע", 'מס"ב'),
    "card": ("credit card", "debit card", "visa", "mastercard", "amex", "כרטיס",
             "כרטיס אשראי", "אשראי", "כ.א.", "ויזה", "ישראכרט"),
    "cash": ("מזומן", "מזומנים"),
    "cheque": ("check", "chq", "cheques", "checks", "צ'ק", "צ׳ק", "צ'קים", "שיק", "שיקים",
               "המחאה"),
    "other": ("bit", "ביט", "paybox", "פייבוקס", "paypal", "פייפאל", "apple pay",
              "google pay", "offset", "קיזוז", "אחר"),
})

_LANGUAGES = _words({
    "he": ("heb", "hebrew", "iw", "עברית", "עב"),
    "en": ("eng", "english", "אנגלית", "אנג"),
    "ar": ("ara", "arabic", "ערבית", "عربي", "عربية", "العربية"),
    "ru": ("rus", "russian", "רוסית", "русский", "русский язык"),
})

# The kinds of gvia.core.customer_kinds, in English and in Hebrew as an importer writes them. A
# dealer (עוסק מורשה / עוסק פטור) is a sole trader, never a company.
_CUSTOMER_TYPES = _words({
    "business": ("company", "b2b", "corporate", "corporation", "organization", "organisation",
                 "limited company", "ltd", "עסק", "עסקי", "חברה", 'חברה בע"מ', "חברה בע״מ", 'בע"מ',
                 "תאגיד"),
    "sole_trader": ("sole trader", "sole proprietor", "sole proprietorship", "self employed",
                    "self-employed", "freelancer", "licensed dealer", "exempt dealer", "vat exempt", "עוסק",
                    "עוסק מורשה", "עוסק פטור", "עוסק זעיר", "עצמאי", "עצמאית"),
    "consumer": ("private", "individual", "person", "b2c", "פרטי", "צרכן", "לקוח פרטי",
                 "אדם פרטי"),
    "public_body": ("public body", "public authority", "public sector", "government",
                    "government office", "local authority", "municipality", "council",
                    "statutory body", "גוף ציבורי", "רשות", "רשות ציבורית", "רשות מקומית",
                    "עירייה", "עירית", "מועצה", "מועצה מקומית", "מועצה אזורית", "משרד ממשלתי",
                    "ממשלה", "תאגיד סטטוטורי"),
})


def _word(table: dict[str, str], value: object, what: str) -> str:
    """The value a word names; else BadValue ``unknown_<what>`` (the edges' words give examples
    of what the reader may write, in the reader's language)."""
    found = table.get(_key(cell_text(value)))
    if found is None:
        accepted = ", ".join(sorted(set(table.values())))
        raise BadValue(f"unknown {what.replace('_', ' ')}; expected one of {accepted}", code=f"unknown_{what}")
    return found


def parse_currency(value: object) -> str:
    """ISO 4217 code of a currency cell ('₪', 'ש"ח', 'NIS', 'usd', 'דולר', 'EUR')."""
    text = cell_text(value)
    try:
        return normalize_currency(text)
    except UnknownCurrency:
        pass
    found = _CURRENCY_WORDS.get(_key(text))
    if found is None:
        raise BadValue("unknown currency; use an ISO code such as ILS, USD, EUR", code="unknown_currency_word")
    return found


def parse_kind(value: object) -> str:
    """'invoice' or 'credit_note'."""
    return _word(_KINDS, value, "document_kind")


def parse_method(value: object) -> str:
    """'transfer', 'card', 'cash', 'cheque' or 'other'."""
    return _word(_METHODS, value, "payment_method")


def parse_language(value: object) -> str:
    """'he', 'en', 'ar' or 'ru' — the languages gvia writes to customers in (letters to a reader of
    Arabic or Russian go in Hebrew with a courtesy translation: gvia.documents.courtesy)."""
    return _word(_LANGUAGES, value, "language")


def parse_customer_type(value: object) -> str:
    """'business', 'sole_trader', 'consumer' or 'public_body' (gvia.core.customer_kinds)."""
    return _word(_CUSTOMER_TYPES, value, "customer_type")


_YES_NO = {_key(w): True for w in ("yes", "y", "true", "1", "x", "v", "✓", "כן", "נכון", "חיובי")}
_YES_NO.update({_key(w): False for w in ("no", "n", "false", "0", "לא", "שלילי")})


def parse_yes_no(value: object) -> bool:
    """A yes/no cell: yes, true, 1, x, כן → True; no, false, 0, לא → False; else BadValue
    ``unknown_yes_no``."""
    found = _YES_NO.get(_key(cell_text(value)))
    if found is None:
        raise BadValue("expected yes or no", code="unknown_yes_no")
    return found


# The customer types that name an exempt dealer (Israel's עוסק פטור): a sole trader who deducts no
# VAT, and so needs no allocation number (gvia.core.allocation).
_EXEMPT_DEALER = frozenset(_key(w) for w in ("exempt dealer", "עוסק פטור", "vat exempt"))


def is_exempt_dealer(value: object) -> bool:
    """Whether a customer type cell names an exempt dealer ("עוסק פטור", "exempt dealer")."""
    return _key(cell_text(value)) in _EXEMPT_DEALER


# --- identifiers ---------------------------------------------------------------------------

_ID_SEPARATORS = str.maketrans("", "", " -./")


def parse_tax_id(value: object, country: str) -> str:
    """A customer's tax id; in Israel nine digits with a valid check digit (see module doc)."""
    text = cell_text(value)
    if (country or "").upper() != "IL":
        return " ".join(text.split())
    digits = text.translate(_ID_SEPARATORS)
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 9:
        raise BadValue("not an Israeli ID or company number (nine digits expected)", code="tax_id_not_nine_digits")
    number = digits.zfill(9)
    # For nine digits, stdnum.il.idnr accepts a non-zero number with a valid Luhn check digit
    # and stdnum.il.hp the same with a leading 5, so "either" is idnr's rule; asking luhn
    # directly skips the re-cleaning both do (a customer is read once per file, but a file
    # can hold 100,000 of them). A test checks the equivalence on random numbers.
    if number != "000000000" and luhn.is_valid(number):
        return number
    raise BadValue("not a valid Israeli ID (ת.ז.) or company number (ח.פ.): "
                   "the check digit is wrong", code="tax_id_check_digit")


def parse_phone(value: object, country: str) -> str:
    """A phone number in E.164 form, the organization's country as the default region."""
    text = cell_text(value)
    region = (country or "").upper() or None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise BadValue("not a phone number", code="not_a_phone") from None
    if not phonenumbers.is_possible_number(number):
        raise BadValue(f"not a possible phone number{' in ' + region if region else ''}",
                       code="not_a_possible_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def parse_email(value: object) -> str:
    """One e-mail address; the domain is lower-cased."""
    text = cell_text(value)
    if any(sep in text for sep in ",; "):
        raise BadValue("one e-mail address per cell", code="one_email_per_cell")
    local, at, domain = text.rpartition("@")
    if (not at or not local or "@" in local or "." not in domain
            or domain.startswith(".") or domain.endswith(".") or ".." in domain):
        raise BadValue("not an e-mail address", code="not_an_email")
    return f"{local}@{domain.lower()}"

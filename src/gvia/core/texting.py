"""Short texts (SMS and WhatsApp): how many SMS segments a text costs, whether a reply asks to
stop, and a customer's mobile number in E.164.

**Segments** (3GPP TS 23.038 and 23.040): a text written only in the GSM 7-bit default alphabet
(and its extension table, whose characters count twice) goes in 160 characters, or 153 per part
when it is split (the rest of each part carries the concatenation header); any other character
(Hebrew, Arabic, Cyrillic, most emoji) makes the whole text UCS-2: 70 UTF-16 units, or 67 per
part. gvia's texts must fit in :data:`MAX_SEGMENTS` segments.

**Opting out**: a reply whose first word is one of :data:`STOP_WORDS` — the Hebrew "הסר"
(the word Israeli senders offer for removal) and its forms, and the English keywords carriers
and providers honour (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, OPTOUT, REVOKE) — asks that
the number gets no more texts.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import phonenumbers

MAX_SEGMENTS = 2

# The GSM 7-bit default alphabet (3GPP TS 23.038 6.2.1), and its extension table (each written
# as an escape and the character: two septets).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")

STOP_WORDS = frozenset({
    "הסר", "הסרה", "הסירו", "הסירני", "להסיר", "להסרה",
    "stop", "stopall", "unsubscribe", "cancel", "end", "quit", "optout", "revoke",
})


@dataclass(frozen=True)
class Segments:
    encoding: str       # "gsm7" or "ucs2"
    units: int          # septets (gsm7) or UTF-16 units (ucs2)
    count: int          # SMS parts

    @property
    def fits(self) -> bool:
        return self.count <= MAX_SEGMENTS


def segments(text: str) -> Segments:
    """How the text goes as SMS: its encoding, its length in that encoding, its parts."""
    if all(c in GSM7_BASIC or c in GSM7_EXTENDED for c in text):
        units = sum(2 if c in GSM7_EXTENDED else 1 for c in text)
        single, part, encoding = 160, 153, "gsm7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part, encoding = 70, 67, "ucs2"
    count = 1 if units <= single else math.ceil(units / part)
    return Segments(encoding, units, max(count, 1))


_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def asks_to_stop(text: str) -> bool:
    """Whether a reply asks for no more texts: its first word is a stop word (any case, any
    punctuation around it)."""
    m = _WORD.search(text or "")
    return m is not None and m.group(0).lower() in STOP_WORDS


def e164(raw: str, region: str) -> str | None:
    """``raw`` as an E.164 number (``+972501234567``) read in ``region`` (the organization's
    country) when it is a valid number that can take texts — a mobile, or a number the plan
    does not tell from one; None otherwise (a landline, a typo, nothing)."""
    if not raw or not raw.strip():
        return None
    try:
        number = phonenumbers.parse(raw, region or None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    kind = phonenumbers.number_type(number)
    if kind not in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national(number: str) -> str:
    """An E.164 number written the national way without spaces (``0501234567``), as Israeli
    providers take it."""
    parsed = phonenumbers.parse(number, None)
    return re.sub(r"\D", "", phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL))

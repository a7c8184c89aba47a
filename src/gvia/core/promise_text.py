"""A promise to pay found in what a customer wrote: its sentence, its date, its amount.

:func:`suggest_promise` reads a text (a reply, a call note, the customer page's free text) in
Hebrew or English, sentence by sentence, and returns the first sentence in which the writer
commits to paying — with the date they commit to (relative dates resolved against the
message's date) and/or the amount — as a :class:`PromiseSuggestion`, or ``None``. It only
*suggests*: a person confirms before a promise exists.

A sentence counts as a commitment when it has a verb of paying in the future ("we'll pay",
"we will transfer", "the cheque will be posted", נשלם, נעביר, יועבר, תקבלו) and a date or an
amount, and is not a question, a negation ("we can't pay by Friday", לא נוכל לשלם), or a
condition ("if", אם). Precision is preferred to recall: a sentence it is unsure of gives
nothing. How a relative expression resolves (weekday → the next such day strictly after the
message date; "next week" → that week's Saturday, weeks running Sunday to Saturday; "end of
the month" → its last day; "the 15th" → this month's, or next month's once passed; 15/12 or
15.12 → the next such day on or after the message date) is written in the header of
``bench/promise_sentences.tsv``, the labelled set it is measured on (``make bench``).

Pure: no clock (the message date is passed in), no I/O.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Callable

__all__ = ["PromiseSuggestion", "suggest_promise", "sentences"]


@dataclass(frozen=True)
class PromiseSuggestion:
    """A sentence that reads as a promise: the date and/or the amount it names.

    ``currency`` is the ISO code the sentence names, or ``None`` when it names none (the
    organization's currency is then meant).
    """

    sentence: str
    due: date | None
    amount: Decimal | None
    currency: str | None


# ---------------------------------------------------------------- sentences

_SPLIT = re.compile(r"(?<=[.!?;])\s+|\n+")


def sentences(text: str) -> list[str]:
    """The sentences of ``text``: split at . ! ? ; followed by a space, and at line breaks
    (a dot inside 15.12 or 7,450.00 does not split)."""
    return [s.strip() for s in _SPLIT.split(text or "") if s and s.strip()]


# ---------------------------------------------------------------- what makes a commitment

_HE = "\u0590-\u05ff"  # Hebrew letters and points
_HE_WORD_START = rf"(?<![{_HE}])"
_HE_WORD_END = rf"(?![{_HE}])"

_HE_VERBS = (
    "נשלם", "אשלם", "ישולם", "ישולמו", "תשולם", "לשלם", "נעביר", "אעביר", "להעביר", "יועבר",
    "יועברו", "תועבר", "נסדיר", "אסדיר", "נסגור", "אסגור", "נפרוס", "יבוצע", "תבוצע", "יישלח",
    "ישלח", "נשלח", "אשלח", "ייכנס", "יכנס", "תקבלו", "תקבל", "מתחייב", "מתחייבים", "מתחייבת",
)
_HE_COMMIT = re.compile(_HE_WORD_START + "[ושכ]?(?:" + "|".join(_HE_VERBS) + ")" + _HE_WORD_END)
_HE_BLOCK = re.compile(_HE_WORD_START + r"(?:לא|אין|אי|בלי|אם|האם|ללא)" + _HE_WORD_END)

_EN_FUTURE = re.compile(r"(?:'ll|’ll)\b|\b(?:will|shall|going to|promise[sd]?|expect|can (?:pay|transfer|send))\b",
                        re.IGNORECASE)
_EN_PAYING = re.compile(r"\b(?:pay|payment|transfer|send|wire|settle|money|funds|cheque|check|remit)", re.IGNORECASE)
_EN_BLOCK = re.compile(r"n't\b|n’t\b|\b(?:not|cannot|unable|never|if|unless|whether|until)\b", re.IGNORECASE)
_EN_QUESTION_START = re.compile(r"^\s*(?:can|could|would|should|may|is|are|do|does|did|why|who|what|when|how)\b",
                                re.IGNORECASE)


def _is_commitment(sentence: str) -> bool:
    if "?" in sentence or _EN_QUESTION_START.search(sentence):
        return False
    if _HE_BLOCK.search(sentence) or _EN_BLOCK.search(sentence):
        return False
    if _HE_COMMIT.search(sentence):
        return True
    return bool(_EN_FUTURE.search(sentence) and _EN_PAYING.search(sentence))


# ---------------------------------------------------------------- amounts

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_PREFIX_CURRENCY = {"₪": "ILS", "$": "USD", "€": "EUR", "£": "GBP"}
_SUFFIX_CURRENCY: tuple[tuple[str, str], ...] = (
    ('ש"ח', "ILS"), ("ש״ח", "ILS"), ("₪", "ILS"), ("שקלים", "ILS"), ("שקל", "ILS"), ("ILS", "ILS"),
    ("NIS", "ILS"), ("shekels", "ILS"), ("shekel", "ILS"), ("USD", "USD"), ("dollars", "USD"),
    ("דולר", "USD"), ("EUR", "EUR"), ("euros", "EUR"), ("יורו", "EUR"), ("GBP", "GBP"),
    ("pounds", "GBP"),
)
_AMOUNT_PREFIXED = re.compile(r"([₪$€£])\s?(" + _NUMBER + r")(?![\d/])")
_CURRENCY_WORDS = "|".join(re.escape(w) for w, _c in _SUFFIX_CURRENCY)
_AMOUNT_SUFFIXED = re.compile(
    r"(?<![\d.,/])(" + _NUMBER + r")\s?(" + _CURRENCY_WORDS + r")(?![A-Za-z\u0590-\u05ff])", re.IGNORECASE)
# a bare number right after a verb of paying: "we'll pay 1,200 now", "send 4,000 this week"
_AMOUNT_AFTER_VERB = re.compile(
    r"\b(?:pay|send|transfer|wire|remit)\s+(?:you\s+)?(?:the\s+)?(?:outstanding\s+|remaining\s+|balance\s+of\s+)?"
    r"(" + _NUMBER + r")(?![\d/]|\.\d|\s*(?:days?|weeks?|st|nd|rd|th)\b)",
    re.IGNORECASE)


def _amount(sentence: str) -> tuple[Decimal, str | None] | None:
    found: list[tuple[int, Decimal, str | None]] = []
    code: str | None
    for m in _AMOUNT_PREFIXED.finditer(sentence):
        found.append((m.start(), _number(m.group(2)), _PREFIX_CURRENCY[m.group(1)]))
    for m in _AMOUNT_SUFFIXED.finditer(sentence):
        word = m.group(2).lower()
        code = next(c for w, c in _SUFFIX_CURRENCY if w.lower() == word)
        found.append((m.start(), _number(m.group(1)), code))
    for m in _AMOUNT_AFTER_VERB.finditer(sentence):
        found.append((m.start(1), _number(m.group(1)), None))
    if not found:
        return None
    _pos, value, code = min(found, key=lambda f: (f[0], f[2] is None))
    return (value, code) if value > 0 else None


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


# ---------------------------------------------------------------- dates

_EN_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_HE_DAYS = {"ראשון": 6, "שני": 0, "שלישי": 1, "רביעי": 2, "חמישי": 3, "שישי": 4, "שבת": 5}
_HE_DAY_LETTERS = {"א": 6, "ב": 0, "ג": 1, "ד": 2, "ה": 3, "ו": 4}
_EN_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
              "october", "november", "december")
_HE_MONTHS = ("ינואר", "פברואר", "מרץ", "אפריל", "מאי", "יוני", "יולי", "אוגוסט", "ספטמבר", "אוקטובר",
              "נובמבר", "דצמבר")
_HE_NUMBERS = {"שבוע": 7, "שבועיים": 14, "יומיים": 2, "חודש": 30}
_EN_NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}


def _next_weekday(after: date, weekday: int) -> date:
    ahead = (weekday - after.weekday()) % 7
    return after + timedelta(days=ahead or 7)


def _week_end(d: date) -> date:
    """The Saturday of ``d``'s week, weeks running Sunday to Saturday."""
    return d + timedelta(days=(5 - d.weekday()) % 7)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _next_month(d: date) -> tuple[int, int]:
    return (d.year + 1, 1) if d.month == 12 else (d.year, d.month + 1)


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _day_of_month(msg: date, day: int, next_month: bool) -> date | None:
    if next_month:
        y, m = _next_month(msg)
        return _safe(y, m, day)
    this = _safe(msg.year, msg.month, day)
    if this is not None and this >= msg:
        return this
    y, m = _next_month(msg)
    return _safe(y, m, day)


def _day_and_month(msg: date, day: int, month: int, year: int | None = None) -> date | None:
    if not 1 <= month <= 12:
        return None
    if year is not None:
        return _safe(year if year > 99 else 2000 + year, month, day)
    this = _safe(msg.year, month, day)
    if this is not None and this >= msg:
        return this
    return _safe(msg.year + 1, month, day)


_Rule = tuple[re.Pattern[str], Callable[[re.Match[str], date], date | None]]


def _rules() -> list[_Rule]:
    he_months = "|".join(_HE_MONTHS)
    en_months = "|".join(_EN_MONTHS)
    en_days = "|".join(_EN_DAYS)
    he_days = "|".join(_HE_DAYS)
    b, e = _HE_WORD_START, _HE_WORD_END

    def count(word: str) -> int:
        w = word.lower()
        return int(w) if w.isdigit() else _EN_NUMBERS.get(w, 0)

    return [
        # full and day/month dates: 15/12/2026, 15.12, 1/1
        (re.compile(r"(?<![\d,.])(\d{1,2})[./](\d{1,2})(?:[./](\d{2,4}))?(?![\d])(?!\.\d)"),
         lambda m, d: _day_and_month(d, int(m.group(1)), int(m.group(2)),
                                     int(m.group(3)) if m.group(3) else None)),
        # 18 בדצמבר, ה-10 בדצמבר
        (re.compile(r"(?<!\d)(\d{1,2})\s+ב?(" + he_months + ")" + e),
         lambda m, d: _day_and_month(d, int(m.group(1)), _HE_MONTHS.index(m.group(2)) + 1)),
        # 4 January, the 5th of January
        (re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + en_months + r")\b", re.IGNORECASE),
         lambda m, d: _day_and_month(d, int(m.group(1)), _EN_MONTHS.index(m.group(2).lower()) + 1)),
        # January 15, December 18th
        (re.compile(r"\b(" + en_months + r")\s+(\d{1,2})(?:st|nd|rd|th)?\b", re.IGNORECASE),
         lambda m, d: _day_and_month(d, int(m.group(2)), _EN_MONTHS.index(m.group(1).lower()) + 1)),
        # ב-5 לחודש הבא, ה-15 לחודש, עד ה-15
        (re.compile(b + r"[הב]-?(\d{1,2})(?![\d./])(\s*לחודש(\s+הבא)?)?" + e),
         lambda m, d: _day_of_month(d, int(m.group(1)), bool(m.group(3)))),
        # the 10th, on the 3rd
        (re.compile(r"\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b(?:\s+of\s+next\s+month)?", re.IGNORECASE),
         lambda m, d: _day_of_month(d, int(m.group(1)), m.group(0).lower().endswith("next month"))),
        # the day after tomorrow / מחרתיים, tomorrow / מחר, today / now / היום
        (re.compile(r"\bthe\s+day\s+after\s+tomorrow\b|" + b + "מחרתיים" + e, re.IGNORECASE),
         lambda m, d: d + timedelta(days=2)),
        (re.compile(r"\btomorrow\b|" + b + "מחר" + e, re.IGNORECASE), lambda m, d: d + timedelta(days=1)),
        (re.compile(r"\b(?:today|now)\b|" + b + "(?:היום|עכשיו)" + e, re.IGNORECASE), lambda m, d: d),
        # in / within N days, a week, two weeks
        (re.compile(r"\b(?:in|within)\s+(\d{1,3}|a|one|two|three|four|five|ten)\s+(days?|weeks?)\b", re.IGNORECASE),
         lambda m, d: d + timedelta(days=count(m.group(1)) * (7 if m.group(2).lower().startswith("week") else 1))),
        (re.compile(b + r"(?:בעוד|תוך)\s+(\d{1,3})\s+ימים" + e),
         lambda m, d: d + timedelta(days=int(m.group(1)))),
        (re.compile(b + r"(?:בעוד|תוך)\s+(שבועיים|שבוע|יומיים)" + e + "|" + b + "(שבועיים)" + e),
         lambda m, d: d + timedelta(days=_HE_NUMBERS[m.group(1) or m.group(2)])),
        # next week / בשבוע הבא; this week / end of the week / סוף השבוע
        (re.compile(r"\bnext\s+week\b|" + b + r"ב?ה?שבוע\s+הבא" + e, re.IGNORECASE),
         lambda m, d: _week_end(d) + timedelta(days=7)),
        (re.compile(r"\b(?:this\s+week|end\s+of\s+(?:the|this)\s+week)\b|" + b + r"(?:סוף\s+)?השבוע" + e,
                    re.IGNORECASE),
         lambda m, d: _week_end(d)),
        # end of the month / סוף החודש; next month / בחודש הבא
        (re.compile(r"\bend\s+of\s+(?:the\s+|this\s+)?month\b|" + b + r"סוף\s+החודש" + e, re.IGNORECASE),
         lambda m, d: _month_end(d.year, d.month)),
        (re.compile(r"\bnext\s+month\b|" + b + r"ב?ה?חודש\s+הבא" + e, re.IGNORECASE),
         lambda m, d: _month_end(*_next_month(d))),
        # weekdays: Friday, ביום ראשון, יום ה'
        (re.compile(r"\b(" + en_days + r")\b", re.IGNORECASE),
         lambda m, d: _next_weekday(d, _EN_DAYS.index(m.group(1).lower()))),
        (re.compile(b + r"ב?יום\s+(" + he_days + ")" + e),
         lambda m, d: _next_weekday(d, _HE_DAYS[m.group(1)])),
        (re.compile(b + r"ב?יום\s+([אבגדהו])['׳]"),
         lambda m, d: _next_weekday(d, _HE_DAY_LETTERS[m.group(1)])),
    ]


_RULES = _rules()


def _due(sentence: str, message_date: date) -> date | None:
    """The date named first in the sentence (the longest reading where two start together)."""
    found: list[tuple[int, int, date]] = []
    for pattern, resolve in _RULES:
        for m in pattern.finditer(sentence):
            when = resolve(m, message_date)
            if when is not None and when >= message_date:
                found.append((m.start(), -(m.end() - m.start()), when))
    return min(found)[2] if found else None


# ---------------------------------------------------------------- the extractor

def suggest_promise(text: str, message_date: date) -> PromiseSuggestion | None:
    """The first sentence of ``text`` that commits to paying by a date and/or an amount."""
    for sentence in sentences(text):
        if not _is_commitment(sentence):
            continue
        due = _due(sentence, message_date)
        money = _amount(sentence)
        if due is None and money is None:
            continue
        return PromiseSuggestion(sentence=sentence, due=due, amount=money[0] if money else None,
                                 currency=money[1] if money else None)
    return None

"""Money as a value type: a Decimal quantized to its currency's minor unit, plus the code.

One constructor (:meth:`Money.of`), never a float. Amounts of two currencies are never
added; totals are kept per currency (:class:`Totals`). Storage uses integer minor units
(:attr:`Money.minor`, :meth:`Money.from_minor`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Iterable, Iterator, Mapping

from .errors import CurrencyMismatch, InvalidAmount, UnknownCurrency

# ISO 4217 minor-unit exponents for the currencies a business is likely to invoice in.
_EXPONENTS: dict[str, int] = {
    "ILS": 2, "USD": 2, "EUR": 2, "GBP": 2, "CHF": 2, "CAD": 2, "AUD": 2, "NZD": 2,
    "SEK": 2, "NOK": 2, "DKK": 2, "PLN": 2, "CZK": 2, "HUF": 2, "RON": 2, "BGN": 2,
    "TRY": 2, "ZAR": 2, "CNY": 2, "HKD": 2, "SGD": 2, "INR": 2, "MXN": 2, "BRL": 2,
    "AED": 2, "SAR": 2, "EGP": 2, "RUB": 2, "UAH": 2, "THB": 2, "TWD": 2,
    "JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0,
    "JOD": 3, "KWD": 3, "BHD": 3, "OMR": 3, "TND": 3,
}

SYMBOLS: dict[str, str] = {"ILS": "₪", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


def currency_exponent(code: str) -> int:
    """Number of decimal places of the currency's minor unit (ILS 2, JPY 0, KWD 3)."""
    try:
        return _EXPONENTS[code]
    except KeyError:
        raise UnknownCurrency(f"unknown currency code {code!r}", code="unknown_currency", currency=code) from None


def is_currency(code: str) -> bool:
    return code in _EXPONENTS


def normalize_currency(text: str) -> str:
    """Accept 'ils', ' ILS ', '₪', 'NIS' and return the ISO code, or raise UnknownCurrency."""
    t = (text or "").strip()
    aliases = {"₪": "ILS", "NIS": "ILS", "ש\"ח": "ILS", "ש״ח": "ILS", "שח": "ILS",
               "$": "USD", "€": "EUR", "£": "GBP"}
    if t in aliases:
        return aliases[t]
    code = t.upper()
    if code in aliases:
        return aliases[code]
    if code in _EXPONENTS:
        return code
    raise UnknownCurrency(f"unknown currency {text!r}", code="unknown_currency", currency=text)


_ZEROS: dict[str, Decimal] = {code: Decimal(0).scaleb(-e) for code, e in _EXPONENTS.items()}
_QUANTA: dict[str, Decimal] = {code: Decimal(1).scaleb(-e) for code, e in _EXPONENTS.items()}


def _quantum(code: str) -> Decimal:
    q = _QUANTA.get(code)
    if q is None:
        raise UnknownCurrency(f"unknown currency code {code!r}", code="unknown_currency", currency=code)
    return q


def _unpickled(amount: str, currency: str) -> "Money":
    """A pickled :class:`Money` back (:meth:`Money.__reduce__`)."""
    money = object.__new__(Money)
    object.__setattr__(money, "amount", Decimal(amount))
    object.__setattr__(money, "currency", currency)
    return money


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in one currency. Build with :meth:`of` or :meth:`from_minor`."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise InvalidAmount(f"Money needs a Decimal, got {type(self.amount).__name__}")  # not shown: a caller's bug
        if not self.amount.is_finite():
            raise InvalidAmount(f"not a finite amount: {self.amount}", code="not_an_amount", value=str(self.amount))
        try:
            q = self.amount.quantize(_quantum(self.currency), rounding=ROUND_HALF_UP)
        except InvalidOperation:
            raise InvalidAmount(f"amount too large: {self.amount}", code="amount_too_large",
                                value=str(self.amount)) from None
        if q.is_zero():
            q = q.copy_abs()  # no "-0.00"
        # Always store the quantized value: Decimal("1") == Decimal("1.00"), but the stored
        # amount must carry exactly the currency's minor-unit places.
        object.__setattr__(self, "amount", q)

    def __reduce__(self) -> tuple[Any, tuple[str, str]]:
        """Pickled as its text and currency, rebuilt without the checks (they passed when it was
        made): the web keeps lists of thousands of amounts in its cache, and the dataclass's own
        state protocol made unpickling them the larger part of a page's time."""
        return _unpickled, (str(self.amount), self.currency)

    # --- construction -------------------------------------------------------------
    @classmethod
    def of(cls, value: Decimal | int | str, currency: str) -> "Money":
        """The one constructor from a number. Floats are refused: they cannot hold agorot."""
        if isinstance(value, float):
            raise InvalidAmount("money is never a float; pass a Decimal, int or str")  # not shown: a caller's bug
        if isinstance(value, bool):
            raise InvalidAmount("money is not a boolean")  # not shown: a caller's bug
        try:
            d = value if isinstance(value, Decimal) else Decimal(str(value).strip())
        except InvalidOperation:
            raise InvalidAmount(f"not a number: {value!r}", code="not_an_amount", value=str(value)) from None
        if not d.is_finite():
            raise InvalidAmount(f"not a finite number: {value!r}", code="not_an_amount", value=str(value))
        return cls(d, currency)

    @classmethod
    def zero(cls, currency: str) -> "Money":
        return cls(Decimal(0), currency)

    @classmethod
    def from_minor(cls, minor: int, currency: str) -> "Money":
        """From integer minor units; exact by construction, so no rounding step is needed."""
        exp = _EXPONENTS.get(currency)
        if exp is None:
            raise UnknownCurrency(f"unknown currency code {currency!r}", code="unknown_currency", currency=currency)
        m = object.__new__(cls)
        object.__setattr__(m, "amount", Decimal(int(minor)).scaleb(-exp) if minor else _ZEROS[currency])
        object.__setattr__(m, "currency", currency)
        return m

    @property
    def minor(self) -> int:
        """The amount in integer minor units (agorot, cents)."""
        return int(self.amount.scaleb(currency_exponent(self.currency)))

    # --- arithmetic ---------------------------------------------------------------
    def _check(self, other: "Money") -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")  # not shown: a caller's bug
        if other.currency != self.currency:
            raise CurrencyMismatch(f"cannot combine {self.currency} with {other.currency}", code="currency_mismatch",
                                   first=self.currency, second=other.currency)

    def __add__(self, other: "Money") -> "Money":
        self._check(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        self._check(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> "Money":
        return Money(-self.amount, self.currency)

    def __abs__(self) -> "Money":
        return Money(abs(self.amount), self.currency)

    def __lt__(self, other: "Money") -> bool:
        self._check(other)
        return self.amount < other.amount

    def __le__(self, other: "Money") -> bool:
        self._check(other)
        return self.amount <= other.amount

    def __gt__(self, other: "Money") -> bool:
        self._check(other)
        return self.amount > other.amount

    def __ge__(self, other: "Money") -> bool:
        self._check(other)
        return self.amount >= other.amount

    def __bool__(self) -> bool:
        return not self.amount.is_zero()

    def times(self, factor: Decimal | int) -> "Money":
        """Multiply by a Decimal factor (an exchange rate, a percentage), rounding half up."""
        if isinstance(factor, float):
            raise InvalidAmount("factor must be a Decimal, not a float")  # not shown: a caller's bug
        return Money(self.amount * Decimal(factor), self.currency)

    def convert(self, rate: Decimal, to_currency: str) -> "Money":
        """This amount expressed in another currency at `rate` (units of target per unit)."""
        if isinstance(rate, float):
            raise InvalidAmount("rate must be a Decimal, not a float")  # not shown: a caller's bug
        return Money(self.amount * rate, to_currency)

    @property
    def is_zero(self) -> bool:
        return self.amount.is_zero()

    @property
    def is_negative(self) -> bool:
        return self.amount < 0

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    def __repr__(self) -> str:
        return f"Money('{self.amount}', '{self.currency}')"


class Totals(Mapping[str, Money]):
    """Amounts summed per currency; never mixes two currencies."""

    def __init__(self, items: Iterable[Money] = ()) -> None:
        self._by: dict[str, Money] = {}
        for m in items:
            self.add(m)

    def add(self, m: Money) -> None:
        cur = self._by.get(m.currency)
        self._by[m.currency] = m if cur is None else cur + m

    def __getitem__(self, code: str) -> Money:
        return self._by[code]

    def get_or_zero(self, code: str) -> Money:
        return self._by.get(code) or Money.zero(code)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._by))

    def __len__(self) -> int:
        return len(self._by)

    def as_strings(self) -> dict[str, str]:
        return {c: str(self._by[c].amount) for c in self}


_AMOUNT_NOISE = re.compile(r"[\s\u00a0\u202f₪$€£¥]|ILS|NIS|USD|EUR|GBP|ש\"ח|ש״ח", re.IGNORECASE)


def parse_amount(text: str, decimal_comma: bool = False) -> Decimal:
    """Parse an amount as people write it: '₪ 1,250.00', '-1,250', '(300.50)', '1250'.

    With ``decimal_comma`` the roles of ',' and '.' swap ('1.250,00'). Raises InvalidAmount.
    """
    if text is None:
        raise InvalidAmount("empty amount", code="not_an_amount", value="")
    raw = str(text)
    t = _AMOUNT_NOISE.sub("", raw).replace("\u200e", "").replace("\u200f", "")
    negative = False
    if t.startswith("(") and t.endswith(")"):
        negative, t = True, t[1:-1]
    if t.endswith("-"):
        negative, t = True, t[:-1]
    if t.startswith(("-", "\u2212")):
        negative, t = True, t[1:]
    elif t.startswith("+"):
        t = t[1:]
    if decimal_comma:
        # swap the roles so that one grouping check below serves both notations
        t = t.replace("'", "").translate(str.maketrans(".,", ",."))
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?|\d+(\.\d+)?", t) is None:
        raise InvalidAmount(f"not an amount: {raw!r}", code="not_an_amount", value=raw)
    t = t.replace(",", "")
    if not re.fullmatch(r"\d+(\.\d+)?|\.\d+", t):
        raise InvalidAmount(f"not an amount: {raw!r}", code="not_an_amount", value=raw)
    d = Decimal(t)
    return -d if negative else d

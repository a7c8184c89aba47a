"""Business days: which dates a business works on, and counting in them.

A :class:`BusinessCalendar` answers "is this a business day?" for one country:

* **Weekend.** Israel rests on Friday and Saturday; every other country on Saturday and
  Sunday. Weekdays are numbered as :meth:`datetime.date.weekday` does (Monday 0 … Sunday 6);
  pass ``weekend`` to override.
* **Public holidays** come from the ``holidays`` package (a pure computation, no I/O), in
  its default "public" category, which for Israel is exactly the days the country stops
  work: Rosh Hashana (2 days), Yom Kippur, the first day of Sukkot, Shemini Atzeret /
  Simchat Torah, the first and seventh days of Pesach, Independence Day (as observed) and
  Shavuot. Holiday eves (erev chag) and the intermediate days (chol hamoed) are working days
  and are *not* included. For the United Kingdom (``"GB"`` or ``"UK"``) the England and
  Wales bank holidays are used unless another ``subdiv`` is given ("SCT", "NIR", "WLS");
  ``"EU"`` means the euro-area TARGET calendar (New Year, Good Friday, Easter Monday,
  1 May, 25 and 26 December); any other ISO country code the package knows works too.
* ``extra_holidays`` adds days off (a company holiday); ``extra_workdays`` makes a day a
  working day even if it is a weekend or holiday. Extra workdays win over everything.

Counting (``n`` business days after ``d``) never counts ``d`` itself: the result of
``add_business_days(d, 1)`` is the first business day strictly after ``d``, and
``business_days_between(a, b)`` counts the business days in ``(a, b]`` (minus those in
``[b, a)`` when ``b`` comes first), so that ``business_days_between(d, add_business_days(d, n)) == n``.

Everything is memoized per instance (holiday sets per year, answers per date), so asking
about the same dates for 100,000 customers costs a dictionary lookup each.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Callable, Iterable

import holidays as _holidays

from .errors import FieldProblem, ValidationFailed

__all__ = ["BusinessCalendar", "DAY_KINDS", "weekend_for"]

#: How a number of days is counted: every day, or only business days.
DAY_KINDS = ("calendar", "business")

_ONE_DAY = timedelta(days=1)

_ALIASES = {"UK": "GB"}
_DEFAULT_SUBDIV = {"GB": "ENG"}
_FRI_SAT = frozenset({4, 5})
_SAT_SUN = frozenset({5, 6})


def weekend_for(country: str) -> frozenset[int]:
    """The usual weekend of a country: Friday+Saturday in Israel, else Saturday+Sunday."""
    return _FRI_SAT if country.upper() == "IL" else _SAT_SUN


class BusinessCalendar:
    """The working days of one country (see the module docstring for the rules)."""

    __slots__ = ("country", "subdiv", "weekend", "extra_holidays", "extra_workdays",
                 "_factory", "_years", "_holiday_names", "_is_bd", "_add_cache", "_named")

    def __init__(
        self,
        country: str,
        weekend: frozenset[int] | None = None,
        extra_holidays: Iterable[date] = (),
        extra_workdays: Iterable[date] = (),
        subdiv: str | None = None,
    ) -> None:
        code = _ALIASES.get(country.strip().upper(), country.strip().upper())
        self.country = code
        self.subdiv = subdiv if subdiv is not None else _DEFAULT_SUBDIV.get(code)
        if weekend is None:
            weekend = weekend_for(code)
        weekend = frozenset(weekend)
        if any(not isinstance(w, int) or not 0 <= w <= 6 for w in weekend):
            raise ValidationFailed([FieldProblem(None, "weekend", str(sorted(weekend)),
                                                 "weekdays are numbered 0 (Monday) to 6 (Sunday)",
                                                 code="calendar_weekday")])
        self.weekend = weekend
        self.extra_holidays = frozenset(extra_holidays)
        self.extra_workdays = frozenset(extra_workdays)
        if code == "EU":
            self._factory: Callable[[list[int]], _holidays.HolidayBase] = \
                lambda years: _holidays.financial_holidays("ECB", years=years)
        else:
            try:
                _holidays.country_holidays(code, subdiv=self.subdiv, years=[])
            except NotImplementedError:
                raise ValidationFailed([FieldProblem(None, "country", country,
                                                     "no holiday calendar for this country",
                                                     code="calendar_no_holidays",
                                                     params={"country": country})]) from None
            sub = self.subdiv
            self._factory = lambda years: _holidays.country_holidays(code, subdiv=sub, years=years)
        self._years: set[int] = set()
        self._holiday_names: dict[date, str] = {}
        self._is_bd: dict[date, bool] = {}
        self._add_cache: dict[tuple[date, int], date] = {}
        self._named: dict[tuple[int, str], dict[date, str]] = {}   # (year, language) -> names

    def __repr__(self) -> str:
        return f"BusinessCalendar({self.country!r}, weekend={sorted(self.weekend)})"

    # --- holidays -------------------------------------------------------------------
    def _load_year(self, year: int) -> None:
        if year in self._years:
            return
        for d, name in self._factory([year]).items():
            if d.year == year:
                self._holiday_names[d] = name
        self._years.add(year)

    def holiday_name(self, d: date) -> str | None:
        """The public or extra holiday on ``d`` (English name), or None."""
        if d in self.extra_holidays:
            return "company holiday"
        self._load_year(d.year)
        return self._holiday_names.get(d)

    def public_holiday_name(self, d: date, language: str) -> str | None:
        """The public holiday on ``d`` named in ``language`` ("he", "en", …) when the holidays
        package translates this country's names into it (Israel: Hebrew and English), else in its
        default words; None when ``d`` is no public holiday (an extra company holiday has no name
        here: the reader's catalog words it)."""
        if self.country == "EU":
            return self.holiday_name(d) if d not in self.extra_holidays else None
        self._load_year(d.year)
        if d not in self._holiday_names:
            return None
        tag = _language_tag(self.country, language)
        if tag is None:
            return self._holiday_names[d]
        key = (d.year, tag)
        if key not in self._named:
            self._named[key] = dict(_holidays.country_holidays(self.country, subdiv=self.subdiv, years=[d.year],
                                                               language=tag).items())
        return self._named[key].get(d, self._holiday_names[d])

    # --- business days --------------------------------------------------------------
    def is_business_day(self, d: date) -> bool:
        """A working day: not a weekend day, not a holiday (unless an extra workday)."""
        known = self._is_bd.get(d)
        if known is not None:
            return known
        if d in self.extra_workdays:
            answer = True
        elif d.weekday() in self.weekend:
            answer = False
        else:
            answer = self.holiday_name(d) is None
        self._is_bd[d] = answer
        return answer

    def next_business_day(self, d: date) -> date:
        """``d`` itself when it is a business day, else the first business day after it."""
        is_bd = self.is_business_day
        while not is_bd(d):
            d += _ONE_DAY
        return d

    def add_business_days(self, d: date, n: int) -> date:
        """The n-th business day after ``d`` (before it when n < 0); ``d`` itself when n == 0.

        ``d`` need not be a business day and is never counted.
        """
        if n == 0:
            return d
        key = (d, n)
        hit = self._add_cache.get(key)
        if hit is not None:
            return hit
        step = _ONE_DAY if n > 0 else -_ONE_DAY
        left = abs(n)
        cur = d
        is_bd = self.is_business_day
        while left:
            cur += step
            if is_bd(cur):
                left -= 1
        self._add_cache[key] = cur
        return cur

    def business_days_between(self, a: date, b: date) -> int:
        """Business days in ``(a, b]``; when ``b`` is before ``a``, minus those in ``[b, a)``.

        Either way ``business_days_between(d, add_business_days(d, n)) == n``.
        """
        is_bd = self.is_business_day
        count = 0
        if b >= a:
            cur, end, sign = a + _ONE_DAY, b, 1
        else:
            cur, end, sign = b, a - _ONE_DAY, -1
        while cur <= end:
            if is_bd(cur):
                count += 1
            cur += _ONE_DAY
        return sign * count

    def add_days(self, d: date, n: int, day_kind: str) -> date:
        """``n`` calendar days or ``n`` business days after ``d`` (``day_kind`` in DAY_KINDS)."""
        if day_kind == "calendar":
            return d + timedelta(days=n)
        if day_kind == "business":
            return self.add_business_days(d, n)
        raise ValueError(f"unknown day kind {day_kind!r}")  # not shown: the policy's check allows two kinds


def _language_tag(country: str, language: str) -> str | None:
    """The holidays package's language for ``country`` that ``language`` ("he", "en") names: the
    same tag, else the first of that language ("en" -> "en_US" for Israel, "en_GB" for the UK)."""
    supported = _holidays.country_holidays(country, years=[]).supported_languages
    lang = language.split("-")[0].split("_")[0].lower()
    if lang in supported:
        return lang
    return next((t for t in sorted(supported) if t.lower().startswith(lang + "_")), None)

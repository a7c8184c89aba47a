"""The Hebrew calendar date printed under the Gregorian one (optional, per letter).

Hebrew: "י״ג בכסלו תשפ״ז" (day in Hebrew numerals, month with the prefix ב, year without
the thousands). English: "13 Kislev 5787". Uses pyluach; pure.
"""

from __future__ import annotations

from datetime import date

from pyluach import dates


def hebrew_date(d: date, language: str) -> str:
    h = dates.HebrewDate.from_pydate(d)
    if language == "he":
        return f"{h.hebrew_day()} ב{h.month_name(hebrew=True)} {h.hebrew_year()}"
    month = h.month_name().replace("Adar 1", "Adar I").replace("Adar 2", "Adar II")
    return f"{h.day} {month} {h.year}"


__all__ = ["hebrew_date"]

"""Where the organization is: its business calendar and the locale its documents are written in.

The calendar is the organization's country's (:class:`gvia.core.calendar.BusinessCalendar`),
with what its settings add: ``weekend`` (e.g. "fri,sat"), ``extra_holidays`` and
``extra_workdays`` (ISO dates).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from gvia.core.calendar import BusinessCalendar
from gvia.store.models import Organization

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@lru_cache(maxsize=64)
def calendar_for(country: str, extra_holidays: tuple = (), extra_workdays: tuple = (),
                 weekend: tuple | None = None) -> BusinessCalendar:
    return BusinessCalendar(country, weekend=frozenset(weekend) if weekend is not None else None,
                            extra_holidays=extra_holidays, extra_workdays=extra_workdays)



def parse_weekend(text: str) -> tuple[int, ...]:
    """"fri,sat" -> (4, 5). Raises ValueError for an unknown day name."""
    days = []
    for part in str(text).replace(" ", "").lower().split(","):
        if not part:
            continue
        if part[:3] not in WEEKDAYS:
            raise ValueError(f"{part!r} is not a day of the week (mon, tue, … sun)")
        days.append(WEEKDAYS.index(part[:3]))
    return tuple(sorted(set(days)))



def org_calendar(org: Organization) -> BusinessCalendar:
    cfg = org.settings or {}
    extra = tuple(sorted(date.fromisoformat(d) for d in cfg.get("extra_holidays", [])))
    work = tuple(sorted(date.fromisoformat(d) for d in cfg.get("extra_workdays", [])))
    weekend = parse_weekend(cfg["weekend"]) if cfg.get("weekend") else None
    return calendar_for(org.country, extra, work, weekend)


LOCALES = {"IL": "he", "GB": "en-GB", "UK": "en-GB", "US": "en-US"}


def locale_for(org: Organization) -> str:
    return LOCALES.get(org.country, "he" if org.default_language == "he" else "en-GB")


# "Label: value" lines of the organization's bank details, in Hebrew or English

"""Where the organization is: its business calendar and the locale its documents are written in.

The calendar is the organization's country's (:class:`gvia.core.calendar.BusinessCalendar`),
with what its settings add: ``weekend`` (e.g. "fri,sat"), ``extra_holidays`` and
``extra_workdays`` (ISO dates).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from gvia.core.calendar import BusinessCalendar
from gvia.services import settings
from gvia.store.models import Organization


@lru_cache(maxsize=64)
def calendar_for(country: str, extra_holidays: tuple = (), extra_workdays: tuple = (),
                 weekend: tuple | None = None) -> BusinessCalendar:
    return BusinessCalendar(country, weekend=frozenset(weekend) if weekend is not None else None,
                            extra_holidays=extra_holidays, extra_workdays=extra_workdays)


def org_calendar(org: Organization) -> BusinessCalendar:
    cfg = settings.values(org, ("extra_holidays", "extra_workdays", "weekend"))
    extra = tuple(date.fromisoformat(d) for d in cfg["extra_holidays"])
    work = tuple(date.fromisoformat(d) for d in cfg["extra_workdays"])
    weekend = settings.parse_weekend(cfg["weekend"]) if cfg["weekend"] else None
    return calendar_for(org.country, extra, work, weekend)


LOCALES = {"IL": "he", "GB": "en-GB", "UK": "en-GB", "US": "en-US"}


def locale_for(org: Organization) -> str:
    return LOCALES.get(org.country, "he" if org.default_language == "he" else "en-GB")


# "Label: value" lines of the organization's bank details, in Hebrew or English

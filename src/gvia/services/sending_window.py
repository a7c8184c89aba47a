"""When an organization may send: business days, within its sending hours, in its time zone."""

from __future__ import annotations

from datetime import datetime, time
from functools import lru_cache

from gvia.core.calendar import BusinessCalendar
from gvia.store.models import Organization

from . import clock


@lru_cache(maxsize=64)
def calendar_for(country: str, extra_holidays: tuple = (), extra_workdays: tuple = ()) -> BusinessCalendar:
    return BusinessCalendar(country, extra_holidays=extra_holidays, extra_workdays=extra_workdays)


def org_calendar(org: Organization) -> BusinessCalendar:
    from datetime import date

    cfg = org.settings or {}
    extra = tuple(date.fromisoformat(d) for d in cfg.get("extra_holidays", []))
    work = tuple(date.fromisoformat(d) for d in cfg.get("extra_workdays", []))
    return calendar_for(org.country, extra, work)


def sending_hours(org: Organization) -> tuple[time, time]:
    text = (org.settings or {}).get("sending_hours") or "09:00-17:00"
    start, _, end = text.partition("-")
    return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())


def may_send(org: Organization, moment: datetime) -> bool:
    local = clock.to_local(org, moment)
    if not org_calendar(org).is_business_day(local.date()):
        return False
    start, end = sending_hours(org)
    return start <= local.time().replace(tzinfo=None) < end


def eligible_orgs(moment: datetime) -> list[int]:
    """Organizations that may send at ``moment`` and are not switched off."""
    out = []
    for org in Organization.objects.only("id", "country", "time_zone", "settings"):
        if (org.settings or {}).get("sending_mode", "approve") == "off":
            continue
        if may_send(org, moment):
            out.append(org.id)
    return out

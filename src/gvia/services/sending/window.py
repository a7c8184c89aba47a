"""When an organization may send: business days, within its sending hours, in its time zone.

The calendar is the organization's country's (:class:`gvia.core.calendar.BusinessCalendar`),
with what its settings add: ``weekend`` (e.g. "fri,sat"), ``extra_holidays`` and
``extra_workdays`` (ISO dates). ``sending_hours`` ("09:00-17:00", local time, end excluded)
bounds when messages leave; a message due outside them waits for the next window. An
organization whose ``sending_mode`` is "off" sends nothing.
"""

from __future__ import annotations

from datetime import datetime, time

from gvia.services import clock
from gvia.services.locality import org_calendar
from gvia.store.models import Organization

DEFAULT_HOURS = "09:00-17:00"


def parse_hours(text: str) -> tuple[time, time]:
    """"09:00-17:00" -> (09:00, 17:00). Raises ValueError when malformed or empty."""
    start, sep, end = str(text).partition("-")
    try:
        if not sep:
            raise ValueError
        a, b = time.fromisoformat(start.strip().zfill(5)), time.fromisoformat(end.strip().zfill(5))
    except ValueError:
        raise ValueError("sending hours look like 09:00-17:00") from None
    if not a < b:
        raise ValueError("the sending hours must end after they start")
    return a, b


def sending_hours(org: Organization) -> tuple[time, time]:
    return parse_hours((org.settings or {}).get("sending_hours") or DEFAULT_HOURS)


def may_send(org: Organization, moment: datetime) -> bool:
    local = clock.to_local(org, moment)
    if not org_calendar(org).is_business_day(local.date()):
        return False
    start, end = sending_hours(org)
    return start <= local.time().replace(tzinfo=None) < end


def sending_mode(org: Organization) -> str:
    mode = (org.settings or {}).get("sending_mode", "approve_all")
    return "approve_all" if mode == "approve" else mode


def eligible_orgs(moment: datetime) -> list[int]:
    """Organizations that may send at ``moment`` and are not switched off."""
    return [org.id for org in Organization.objects.only("id", "country", "time_zone", "settings")
            if sending_mode(org) != "off" and may_send(org, moment)]

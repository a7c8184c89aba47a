"""When an organization may send: business days, within its sending hours, in its time zone.

The calendar is the organization's country's (:class:`gvia.core.calendar.BusinessCalendar`),
with what its settings add: ``weekend`` (e.g. "fri,sat"), ``extra_holidays`` and
``extra_workdays`` (ISO dates). ``sending_hours`` (local time, end excluded) bounds when
messages leave; a message due outside them waits for the next window. An organization whose
``sending_mode`` is "off" sends nothing. The settings and their defaults are declared in
:data:`gvia.services.settings.SETTINGS`.
"""

from __future__ import annotations

from datetime import datetime, time

from gvia.services import clock, settings
from gvia.services.ledger.sync import stale_org_ids
from gvia.services.locality import org_calendar
from gvia.store.models import Organization


def sending_hours(org: Organization) -> tuple[time, time]:
    return settings.parse_hours(settings.value(org, "sending_hours"))


def may_send(org: Organization, moment: datetime) -> bool:
    local = clock.to_local(org, moment)
    if not org_calendar(org).is_business_day(local.date()):
        return False
    start, end = sending_hours(org)
    return start <= local.time().replace(tzinfo=None) < end


def sending_mode(org: Organization) -> str:
    return settings.value(org, "sending_mode")


def eligible_orgs(moment: datetime) -> list[int]:
    """Organizations that may send at ``moment``, are not switched off and whose invoicing
    service's sync is not stale (:func:`gvia.services.ledger.sync.stale_org_ids`: their messages
    wait until it succeeds again, as with stale data)."""
    waiting = stale_org_ids(moment)
    return [org.id for org in Organization.objects.only("id", "country", "time_zone", "settings")
            if org.id not in waiting and sending_mode(org) != "off" and may_send(org, moment)]

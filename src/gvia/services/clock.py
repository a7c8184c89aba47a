"""The one place where the wall clock and time zones meet business dates."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def org_zone(org) -> ZoneInfo:
    return ZoneInfo(org.time_zone or "UTC")


def to_local(org, moment: datetime) -> datetime:
    """A timezone-aware moment in the organization's time zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(org_zone(org))


def org_today(org, moment: datetime | None = None) -> date:
    """The business date in the organization's time zone at ``moment`` (default: now)."""
    return to_local(org, moment or now_utc()).date()


def parse_now(org, text: str | None) -> datetime:
    """`--now`: a date (start of business day, 09:00 local) or an ISO date-time in the org's zone."""
    if not text:
        return now_utc()
    zone = org_zone(org)
    if len(text) == 10:
        d = date.fromisoformat(text)
        return datetime(d.year, d.month, d.day, 9, 0, tzinfo=zone).astimezone(timezone.utc)
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(timezone.utc)

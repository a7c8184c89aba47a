"""Limitation: when a debt can no longer be claimed in court, and flagging it well before.

The periods are data per country (:data:`LIMITATION_RULES`, overridable by passing ``rules``):

* **IL** - 7 years: Prescription Law 5718-1958 (חוק ההתיישנות), s.5(1), for a claim that is
  not about land; the period runs from the day the cause of action arose (s.6).
* **GB** - 6 years for a simple contract debt: Limitation Act 1980, s.5 (England and Wales;
  Northern Ireland has the same 6 years). Scotland is different (5 years' prescription under
  the Prescription and Limitation (Scotland) Act 1973, s.6): configure ``GB-SCT`` if needed.

The period is counted **from the due date** (conservatively: the cause of action arises once
the due date has passed unpaid, so counting from the due date itself never flags too late).
An acknowledgment of the debt or a part payment can start the period again (IL s.9; GB
Limitation Act s.29(5)); pass the latest such day as ``restarted_on``. The limitation date is
the same calendar day ``years`` later (29 February → 28 February); a claim should be filed
before it.

:func:`nearing_limitation` is true in the warning window (default 6 months) before the
limitation date, up to and including that date, so that the worklist flags the debt in time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Mapping

from .errors import NotFound, Refused
from .rates import add_months

__all__ = ["LimitationRule", "LIMITATION_RULES", "LimitationStatus", "limitation_rule",
           "limitation_date", "nearing_limitation", "limitation_status"]


@dataclass(frozen=True)
class LimitationRule:
    country: str
    years: int
    source: str
    note: str = ""


LIMITATION_RULES: dict[str, LimitationRule] = {
    "IL": LimitationRule("IL", 7, "Prescription Law 5718-1958 (Israel), s.5(1) and s.6",
                         "claims not about land; an acknowledgment restarts the period (s.9)"),
    "GB": LimitationRule("GB", 6, "Limitation Act 1980 (England and Wales), s.5",
                         "simple contract debts; a written acknowledgment or part payment "
                         "restarts the period (s.29(5)); Scotland differs"),
}

_ALIASES = {"UK": "GB"}


def limitation_rule(country: str, rules: Mapping[str, LimitationRule] | None = None) -> LimitationRule:
    """The rule for ``country`` (ISO code; "UK" means "GB"); NotFound if none is configured."""
    table = LIMITATION_RULES if rules is None else rules
    code = country.strip().upper()
    code = _ALIASES.get(code, code)
    try:
        return table[code]
    except KeyError:
        raise NotFound(f"no limitation period is configured for {country!r}; configure the "
                       "number of years for this country") from None


def limitation_date(due_date: date, country: str, *, restarted_on: date | None = None,
                    rules: Mapping[str, LimitationRule] | None = None) -> date:
    """The day the limitation period ends for a debt due on ``due_date`` (file before it)."""
    rule = limitation_rule(country, rules)
    start = due_date if restarted_on is None or restarted_on < due_date else restarted_on
    return add_months(start, 12 * rule.years, start.day)


@dataclass(frozen=True)
class LimitationStatus:
    limitation_date: date
    warn_from: date
    state: str  # "running", "nearing", "expired"
    days_left: int
    rule: LimitationRule


def limitation_status(due_date: date, today: date, country: str = "IL", warn_months: int = 6, *,
                      restarted_on: date | None = None,
                      rules: Mapping[str, LimitationRule] | None = None) -> LimitationStatus:
    """Running, nearing (within ``warn_months`` of the limitation date) or expired."""
    if warn_months < 0:
        raise Refused("the warning period cannot be negative")
    rule = limitation_rule(country, rules)
    end = limitation_date(due_date, country, restarted_on=restarted_on, rules=rules)
    warn_from = add_months(end, -warn_months, end.day)
    if today > end:
        state = "expired"
    elif today >= warn_from:
        state = "nearing"
    else:
        state = "running"
    return LimitationStatus(end, warn_from, state, (end - today).days, rule)


def nearing_limitation(due: date, today: date, warn_months: int = 6, country: str = "IL", *,
                       restarted_on: date | None = None,
                       rules: Mapping[str, LimitationRule] | None = None) -> bool:
    """True from ``warn_months`` before the limitation date up to and including it."""
    return limitation_status(due, today, country, warn_months, restarted_on=restarted_on,
                             rules=rules).state == "nearing"

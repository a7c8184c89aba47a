"""Limitation: when a debt can no longer be claimed in court, what starts the period again, and
flagging it well before.

The rules are data per country (:data:`LIMITATION_RULES`, overridable by passing ``rules``),
each with its period, what restarts it, whether a restart after the period revives the debt,
and the source text (docs/legal-sources.md, sections 2 and 3):

======  =====  ===============================================  =======  ====================
country years  restarts the period                              revives  in force
======  =====  ===============================================  =======  ====================
IL      7      part payment; admission in writing (a signed    yes      6 April 1958
               plan) or before a court (s.9)
GB      6      part payment; acknowledgment in writing and      no       Act of 13 Nov 1980
               signed (ss.29(5), 30)                            (s.29(7))
======  =====  ===============================================  =======  ====================

* **IL** - Prescription Law 5718-1958 (חוק ההתיישנות), s.5(1): seven years for a claim not about
  land, from the day the cause of action arose (s.6). s.9: an admission of the right **in
  writing or before a court**, **within the period or after it**, starts the period again from
  the day of the admission, and "an act that contains a part of the right" (a part payment)
  counts as an admission. An oral admission, even recorded, is not "in writing" (Supreme Court,
  C.A. 811/23 Ben Haim v. Tishrei Furniture, 17.3.2025).
* **GB** - Limitation Act 1980 (England and Wales), s.5: six years for a simple contract debt.
  s.29(5): an acknowledgment or any payment in respect of the debt makes the right accrue afresh
  on its date; s.29(7): only while the period runs - a debt already time-barred is not revived;
  s.30: an acknowledgment must be in writing and signed by the person making it. Scotland
  differs (5 years' prescription under the Prescription and Limitation (Scotland) Act 1973,
  s.6): configure ``GB-SCT`` if needed.

The period is counted **from the due date** (conservatively: the cause of action arises once
the due date has passed unpaid, so counting from the due date itself never flags too late).
The limitation date is the same calendar day ``years`` later (29 February → 28 February); a
claim should be filed before it; on the days after it the debt is time-barred.

:func:`limitation_end` is the one computation: a debt's due date and the events that may have
restarted its period (:class:`RestartEvent`: a part payment, a signed written acknowledgment, an
admission before a court, an oral promise) give its limitation date and the event that set it.
An event restarts the period only when the country's rule lists its kind; an oral promise (a
promise logged on a call) never does. An event after the period has ended restarts it only where
the rule revives a barred debt (Israel); an event on or before the current start changes nothing.

:func:`nearing_limitation` is true in the warning window (default 6 months) before the
limitation date, up to and including that date, so that the worklist flags the debt in time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Mapping

from .errors import NotFoundFor, RefusedFor
from .rates import add_months

__all__ = ["LimitationRule", "LIMITATION_RULES", "LimitationStatus", "limitation_rule",
           "limitation_date", "nearing_limitation", "limitation_status",
           "PART_PAYMENT", "WRITTEN_ACKNOWLEDGMENT", "COURT_ADMISSION", "ORAL_PROMISE", "RESTART_KINDS",
           "RestartEvent", "LimitationEnd", "limitation_end", "time_barred"]

#: The kinds of event that may restart a limitation period (which do is the country's rule).
PART_PAYMENT = "part_payment"                       # money paid towards this debt
WRITTEN_ACKNOWLEDGMENT = "written_acknowledgment"   # in writing and signed (a signed payment plan)
COURT_ADMISSION = "court_admission"                 # admitted before a court (Israel, s.9)
ORAL_PROMISE = "oral_promise"                       # a promise on a call: never "in writing"
RESTART_KINDS = (PART_PAYMENT, WRITTEN_ACKNOWLEDGMENT, COURT_ADMISSION, ORAL_PROMISE)


@dataclass(frozen=True)
class LimitationRule:
    """One country's limitation of a contract debt. ``restarts``: the kinds of
    :class:`RestartEvent` that start the period again (a rule configured without them:
    nothing does, so the date is never later than the law's); ``revives``: whether such an
    event after the period has ended starts it again; ``in_force``: since when;
    ``restart_source``: the text the restart rules come from."""

    country: str
    years: int
    source: str
    note: str = ""
    restarts: tuple[str, ...] = ()
    revives: bool = False
    in_force: str = ""
    restart_source: str = ""


LIMITATION_RULES: dict[str, LimitationRule] = {
    "IL": LimitationRule(
        "IL", 7, "Prescription Law 5718-1958 (Israel), s.5(1) and s.6",
        "claims not about land; an admission in writing or before a court, or a part payment, "
        "restarts the period, even after it has ended (s.9)",
        restarts=(PART_PAYMENT, WRITTEN_ACKNOWLEDGMENT, COURT_ADMISSION), revives=True,
        in_force="1958-04-06 (s.5 and s.9 as enacted)",
        restart_source=(
            "Prescription Law 5718-1958, s.9: \"הודה הנתבע, בכתב או בפני בית משפט, בין בתוך תקופת "
            "ההתיישנות ובין לאחריה, בקיום זכות התובע, תתחיל תקופת ההתיישנות מיום ההודאה; ומעשה שיש "
            "בו משום ביצוע מקצת הזכות, דינו כהודאה לענין סעיף זה\" (\"If the defendant admits, in "
            "writing or before a court, whether within or after the limitation period, the existence "
            "of the plaintiff's right, the limitation period will commence from the date of the "
            "admission; and an act that contains a part of the right shall be considered as an "
            "admission\"); an oral admission, even recorded, is not in writing: C.A. 811/23 Ben Haim "
            "v. Tishrei Furniture, 17.3.2025 (docs/legal-sources.md, 2b)")),
    "GB": LimitationRule(
        "GB", 6, "Limitation Act 1980 (England and Wales), s.5",
        "simple contract debts; a part payment or an acknowledgment in writing and signed restarts "
        "the period while it runs (ss.29(5), 30); a time-barred debt is not revived (s.29(7)); "
        "Scotland differs",
        restarts=(PART_PAYMENT, WRITTEN_ACKNOWLEDGMENT), revives=False,
        in_force="Act of 13 November 1980",
        restart_source=(
            "Limitation Act 1980 s.29(5): where a person liable for a debt \"acknowledges the claim or "
            "makes any payment in respect of it, the right of recovery is treated as having accrued on "
            "the date of the acknowledgment or payment\" (as quoted by nechambers.co.uk); s.29(7): "
            "\"once the limitation period expires, the claim cannot be revived by a later "
            "acknowledgment or payment\" (ibid., on s.29(7)); s.30(1): \"To be effective for the "
            "purposes of section 29 of this Act, an acknowledgement must be in writing and signed by "
            "the person making it\" (quoted in Rehman v Benfield [2006] EWCA Civ 1392) "
            "(docs/legal-sources.md, 3b-3d)")),
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
        raise NotFoundFor("limitation_not_configured", f"no limitation period is configured for {country!r}; "
                          "configure the number of years for this country", country=country) from None


@dataclass(frozen=True)
class RestartEvent:
    """Something the debtor did on ``day`` that may restart the period: ``kind`` is one of
    :data:`RESTART_KINDS`; ``ref`` says which record it was (a payment's or a plan's id)."""

    day: date
    kind: str
    ref: str = ""

    def __post_init__(self) -> None:
        if self.kind not in RESTART_KINDS:
            raise RefusedFor("limitation_unknown_restart", f"unknown restart kind {self.kind!r}; one of "
                             f"{', '.join(RESTART_KINDS)}", kind=self.kind, kinds=RESTART_KINDS)


@dataclass(frozen=True)
class LimitationEnd:
    """A debt's limitation date (``end``) and the event that set it (``restarted_by``, None: the
    due date did); ``ignored``: the events that changed nothing, each with why ("kind": its kind
    does not restart the period in this country; "barred": it came after the period had ended
    and nothing revives a barred debt here; "earlier": on or before the period's start;
    "later": after ``as_of``)."""

    due_date: date
    end: date
    restarted_by: RestartEvent | None
    ignored: tuple[tuple[RestartEvent, str], ...]
    rule: LimitationRule

    def barred_on(self, day: date) -> bool:
        """Whether a claim on ``day`` is time-barred (``day`` after the limitation date)."""
        return day > self.end


def _plus_years(start: date, years: int) -> date:
    return add_months(start, 12 * years, start.day)


def limitation_end(due_date: date, country: str, events: Iterable[RestartEvent] = (), *,
                   as_of: date | None = None,
                   rules: Mapping[str, LimitationRule] | None = None) -> LimitationEnd:
    """The limitation date of a debt due on ``due_date`` given the ``events`` that may have
    restarted it (rules in the module doc), counting only events up to ``as_of`` when given."""
    rule = limitation_rule(country, rules)
    start, end = due_date, _plus_years(due_date, rule.years)
    restarted_by: RestartEvent | None = None
    ignored: list[tuple[RestartEvent, str]] = []
    for ev in sorted(events, key=lambda e: (e.day, RESTART_KINDS.index(e.kind), e.ref)):
        if as_of is not None and ev.day > as_of:
            ignored.append((ev, "later"))
        elif ev.kind not in rule.restarts:
            ignored.append((ev, "kind"))
        elif ev.day <= start:
            ignored.append((ev, "earlier"))
        elif ev.day > end and not rule.revives:
            ignored.append((ev, "barred"))
        else:
            start, end, restarted_by = ev.day, _plus_years(ev.day, rule.years), ev
    return LimitationEnd(due_date, end, restarted_by, tuple(ignored), rule)


def time_barred(end: date | None, day: date) -> bool:
    """Whether a debt whose limitation date is ``end`` (None: not known) is time-barred on ``day``."""
    return end is not None and day > end


def limitation_date(due_date: date, country: str, *, restarted_on: date | None = None,
                    rules: Mapping[str, LimitationRule] | None = None) -> date:
    """The day the limitation period ends for a debt due on ``due_date`` (file before it).
    ``restarted_on``: a day already known to have restarted it (see :func:`limitation_end` to
    weigh events by the country's rule)."""
    rule = limitation_rule(country, rules)
    start = due_date if restarted_on is None or restarted_on < due_date else restarted_on
    return _plus_years(start, rule.years)


@dataclass(frozen=True)
class LimitationStatus:
    limitation_date: date
    warn_from: date
    state: str  # "running", "nearing", "expired"
    days_left: int
    rule: LimitationRule
    restarted_by: RestartEvent | None = None


def limitation_status(due_date: date, today: date, country: str = "IL", warn_months: int = 6, *,
                      restarted_on: date | None = None, events: Iterable[RestartEvent] = (),
                      rules: Mapping[str, LimitationRule] | None = None) -> LimitationStatus:
    """Running, nearing (within ``warn_months`` of the limitation date) or expired on ``today``;
    ``events`` (up to ``today``) weighed by :func:`limitation_end`."""
    if warn_months < 0:
        raise RefusedFor("limitation_warning_negative", "the warning period cannot be negative", months=warn_months)
    rule = limitation_rule(country, rules)
    found = limitation_end(due_date, country, events, as_of=today, rules=rules)
    end, restarted_by = found.end, found.restarted_by
    if restarted_on is not None:
        legacy = limitation_date(due_date, country, restarted_on=restarted_on, rules=rules)
        if legacy > end:
            end, restarted_by = legacy, None
    warn_from = add_months(end, -warn_months, end.day)
    if today > end:
        state = "expired"
    elif today >= warn_from:
        state = "nearing"
    else:
        state = "running"
    return LimitationStatus(end, warn_from, state, (end - today).days, rule, restarted_by)


def nearing_limitation(due: date, today: date, warn_months: int = 6, country: str = "IL", *,
                       restarted_on: date | None = None, events: Iterable[RestartEvent] = (),
                       rules: Mapping[str, LimitationRule] | None = None) -> bool:
    """True from ``warn_months`` before the limitation date up to and including it."""
    return limitation_status(due, today, country, warn_months, restarted_on=restarted_on, events=events,
                             rules=rules).state == "nearing"

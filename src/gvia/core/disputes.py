"""Disputes: the states a contested invoice goes through, and when one has been open too long.

A dispute covers one or more invoices of a customer and has a reason:

* ``service_not_as_expected``, ``wrong_amount``, ``not_received``, ``already_paid``, ``other``
  (``other`` needs a note saying what it is).

States and transitions (nothing else is allowed)::

    open ──resolve valid (credit_note | write_off)──▶ valid
    open ──resolve rejected──────────────────────────▶ rejected

Only the disputed invoices leave the ladder while the dispute is open; a *valid* dispute ends
with a credit note or a write-off (recorded by the service); a *rejected* one sends the
invoices back into the ladder where they were. A resolved dispute is final: a new
disagreement is a new dispute.

:func:`overdue_dispute` says whether a dispute has stayed open longer than the policy allows
(its owner gets a reminder).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from .errors import Refused, RefusedFor

__all__ = [
    "REASONS", "OPEN", "VALID", "REJECTED", "STATES", "RESOLUTIONS", "TRANSITIONS",
    "Dispute", "open_dispute", "resolve", "overdue_dispute", "can_transition",
]

REASONS = ("service_not_as_expected", "wrong_amount", "not_received", "already_paid", "other")

OPEN = "open"
VALID = "valid"
REJECTED = "rejected"
STATES = (OPEN, VALID, REJECTED)

#: How a valid dispute is settled.
RESOLUTIONS = ("credit_note", "write_off")

#: Allowed moves: state -> states it may go to.
TRANSITIONS: dict[str, tuple[str, ...]] = {OPEN: (VALID, REJECTED), VALID: (), REJECTED: ()}


def can_transition(from_state: str, to_state: str) -> bool:
    return to_state in TRANSITIONS.get(from_state, ())


@dataclass(frozen=True)
class Dispute:
    invoices: tuple[str, ...]
    reason: str
    opened_on: date
    note: str = ""
    state: str = OPEN
    resolution: str | None = None
    resolved_on: date | None = None

    def __post_init__(self) -> None:
        if not self.invoices:
            raise RefusedFor("dispute_no_invoice", "a dispute must name at least one invoice")
        if len(set(self.invoices)) != len(self.invoices):
            raise RefusedFor("dispute_invoice_twice", "an invoice is named twice in the dispute")
        if self.reason not in REASONS:
            raise RefusedFor("dispute_unknown_reason", f"unknown dispute reason {self.reason!r}; use one of "
                             f"{', '.join(REASONS)}", reason=self.reason, reasons=REASONS)
        if self.reason == "other" and not self.note.strip():
            raise RefusedFor("dispute_other_needs_note", "a dispute for reason 'other' needs a note saying what it is "
                             "about")
        if self.state not in STATES:
            raise Refused(f"unknown dispute state {self.state!r}")  # not shown: a stored state
        if self.state == OPEN and (self.resolution or self.resolved_on):
            raise Refused("an open dispute has no resolution")  # not shown: a stored state
        if self.state == VALID and self.resolution not in RESOLUTIONS:
            raise Refused(f"a valid dispute ends with one of {', '.join(RESOLUTIONS)}")  # not shown: a stored state
        if self.state == REJECTED and self.resolution is not None:
            raise Refused("a rejected dispute has no credit note or write-off")  # not shown: a stored state


def open_dispute(invoices: list[str] | tuple[str, ...], reason: str, opened_on: date,
                 note: str = "") -> Dispute:
    """A new open dispute on ``invoices`` (refused: no invoice, unknown reason, 'other'
    without a note)."""
    return Dispute(tuple(invoices), reason, opened_on, note)


def resolve(dispute: Dispute, outcome: str, on: date, resolution: str | None = None) -> Dispute:
    """The dispute ended ``valid`` (with ``resolution`` credit_note or write_off) or
    ``rejected``. Refused if it is not open, if the outcome is unknown, or if the day is
    before it was opened."""
    if outcome not in (VALID, REJECTED):
        raise Refused(f"a dispute is resolved as {VALID!r} or {REJECTED!r}, not {outcome!r}")  # not shown: a bug
    if not can_transition(dispute.state, outcome):
        raise RefusedFor("dispute_already_closed", f"this dispute is already {dispute.state}; a new disagreement "
                         "is a new dispute", state=dispute.state)
    if on < dispute.opened_on:
        raise RefusedFor("dispute_resolved_before_opened", f"a dispute opened on {dispute.opened_on.isoformat()} "
                         f"cannot be resolved on {on.isoformat()}", opened_on=dispute.opened_on, on=on)
    if outcome == VALID and resolution not in RESOLUTIONS:
        raise RefusedFor("dispute_valid_needs_resolution", f"say how the valid dispute is settled: "
                         f"{' or '.join(RESOLUTIONS)}")
    if outcome == REJECTED and resolution is not None:
        raise RefusedFor("dispute_rejected_no_resolution", "a rejected dispute has no credit note or write-off")
    return replace(dispute, state=outcome, resolution=resolution, resolved_on=on)


def overdue_dispute(opened_on: date, today: date, max_open_days: int) -> bool:
    """True when a dispute opened on ``opened_on`` has been open more than ``max_open_days``
    calendar days on ``today`` (so on day ``max_open_days + 1`` after opening)."""
    if max_open_days < 0:
        raise RefusedFor("dispute_days_negative", "the longest a dispute may stay open cannot be negative",
                         days=max_open_days)
    return (today - opened_on).days > max_open_days

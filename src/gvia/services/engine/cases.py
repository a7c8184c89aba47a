"""Changing a case's state from what happened outside the daily run: a call was logged, a
warning was posted (or e-mailed). The rules are the core's (:func:`record_call_outcome`,
:func:`record_warning_sent`); this module reads the case, applies them and writes it back
under a row lock, with a line on the customer's timeline."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction

from gvia.core.escalation import CaseState, record_warning_sent
from gvia.services import clock
from gvia.store.models import Activity, Case


def case_state(case: Case | None) -> CaseState:
    return CaseState.from_dict(case.state) if case is not None and case.state else CaseState()


def save_state(case: Case, state: CaseState) -> None:
    case.state = state.as_dict()
    case.cycle = state.cycle
    case.stage_key = state.stage_key or ""
    case.stage_entered = state.stage_entered
    case.active = state.cycle_open
    case.save(update_fields=["state", "cycle", "stage_key", "stage_entered", "active", "updated_at"])


def note_warning_sent(customer_id: int, cycle: int, stage_key: str, sent_on: date, now: datetime | None = None,
                      how: str = "", delivered_on: date | None = None) -> bool:
    """The cycle's warning went out on ``sent_on`` (posted, or e-mailed when it has no paper), and
    was delivered on ``delivered_on`` when its delivery confirmation is recorded: the deadline
    runs from the sending, a legal notice period from the delivery (the filing clock,
    :func:`gvia.core.legal_rules.earliest_filing`). False when the case has moved on (another
    cycle, or no warning with a deadline in this one)."""
    now = now or clock.now_utc()
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(customer_id=customer_id).first()
        state = case_state(case)
        if case is None or state.cycle != cycle or state.deadline_stage != stage_key:
            return False
        save_state(case, record_warning_sent(state, sent_on, delivered_on=delivered_on))
        Activity.objects.create(
            organization_id=case.organization_id, customer_id=customer_id, kind=Activity.Kind.LETTER,
            date=sent_on, at=now, actor="system",
            text=f"warning of stage {stage_key} sent on {sent_on.isoformat()}{' ' + how if how else ''}; "
                 + (f"delivered on {delivered_on.isoformat()}: its deadline runs from the sending, its notice "
                    "period from the delivery" if delivered_on else
                    "its deadline runs from this day, its notice period from the delivery once recorded"),
            data={"stage": stage_key, "cycle": cycle, "warning_sent": sent_on.isoformat(), "event": "warning.sent",
                  "warning_delivered": delivered_on.isoformat() if delivered_on else None})
        return True

"""After a rejected message: the case holds until a person chooses (issue 13).

Rejecting a message of the case's current stage (:func:`gvia.services.engine.approvals.reject`)
records it on the case (:func:`gvia.core.escalation.record_rejection`): the ladder holds with
reason ``message_rejected`` — it never moves on as if the rejected message had been sent. A
person then chooses (:func:`choose`), by the rule of
:func:`gvia.core.escalation.resolve_rejection`:

* ``replan``: the stage's rejected messages wait for approval again (their free text may be
  edited first); the stage counts as entered today;
* ``skip``: the stage counts as passed without its message; the ladder moves on;
* ``pause``: a manual pause through ``until``; the stage leaves the case and the ladder plans
  it afresh once the pause is over (the rejected messages keep their record under a key of
  their own, so the new plan is not taken for them).

Refusals carry codes (:class:`gvia.core.errors.RefusedFor`): ``no_rejected_stage``,
``unknown_choice``, ``pause_needs_until``.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Cast, Concat

from gvia.core.errors import RefusedFor
from gvia.core.escalation import CaseState, record_rejection, resolve_rejection
from gvia.services import audit, clock
from gvia.services.context import Ctx
from gvia.services.engine import pauses
from gvia.services.engine.cases import case_state, save_state
from gvia.store.models import Activity, Case, Customer, OutboxMessage


def note_rejected(msg: OutboxMessage) -> bool:
    """Hold ``msg``'s case when it was a message of its current stage (inside the caller's
    transaction). True when the case now waits for a person's choice."""
    case = Case.objects.select_for_update().filter(customer_id=msg.customer_id).first()
    if case is None or not msg.stage_key:
        return False
    state = case_state(case)
    if state.cycle != msg.cycle:
        return False
    held = record_rejection(state, msg.stage_key)
    if held != state:
        save_state(case, held)
    return held.rejected_stage is not None


def waiting_choice(customer: Customer) -> str | None:
    """The stage whose rejected message waits for a person's choice, if any."""
    case = Case.objects.filter(customer=customer).first()
    return case_state(case).rejected_stage if case is not None else None


def choose(ctx: Ctx, customer: Customer, choice: str, until: date | None = None, reason: str = "",
           now: datetime | None = None) -> CaseState:
    """Apply a person's choice about the customer's rejected stage; the case as it now stands."""
    ctx.require("collector", "deciding after a rejected message")
    now = now or clock.now_utc()
    today = clock.org_today(ctx.org, now)
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(organization=ctx.org, customer=customer).first()
        state = case_state(case)
        if choice == "pause" and until is None:
            raise RefusedFor("pause_needs_until", "a pause needs the day it ends")
        new_state = resolve_rejection(state, choice, today)   # refuses when nothing waits
        assert case is not None and state.rejected_stage is not None
        stage = state.rejected_stage
        rejected = OutboxMessage.objects.filter(customer=customer, cycle=state.cycle, stage_key=stage,
                                                status=OutboxMessage.Status.REJECTED)
        ids = list(rejected.values_list("id", flat=True))
        if choice == "pause":
            assert until is not None
            pauses.pause(ctx, customer.ref, until, reason, now)   # refuses a past day or no reason
            # the rejected messages keep their record under a key of their own: the stage's
            # new plan after the pause is a new message, not taken for one of these
            rejected.update(idempotency_key=Concat(F("idempotency_key"), Value(":rejected:"),
                                                   Cast("id", output_field=OutboxMessage._meta.get_field(
                                                       "idempotency_key"))))
        elif choice == "replan":
            rejected.update(status=OutboxMessage.Status.AWAITING_APPROVAL, approved_by="", approved_at=None,
                            planned_for=today)
        save_state(case, new_state)
        Activity.objects.create(organization=ctx.org, customer=customer, kind=Activity.Kind.SYSTEM, date=today,
                                at=now, text=f"after the rejected message of stage {stage}: {choice}",
                                actor=ctx.actor,
                                data={"event": f"rejection.{choice}", "stage": stage, "messages": ids,
                                      "until": until.isoformat() if until else None, "by": ctx.actor})
        audit.record(ctx, "case.rejection_resolved", case, stage=stage, choice=choice, messages=ids,
                     until=until.isoformat() if until else None)
    return new_state

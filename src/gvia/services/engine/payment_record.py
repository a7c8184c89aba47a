"""A customer's payment record (issue 17): :func:`gvia.core.payment_record.payment_record` over the
history the early-warning signals read (:func:`gvia.services.engine.signals.histories`, the last
three years) and the customer's ended payment plans. The customer page shows it beside the plan
form, so that a collector sees it before agreeing a plan."""

from __future__ import annotations

from datetime import date

from gvia.core.payment_record import PaymentRecord, PlanOutcome, payment_record
from gvia.core.signals import History
from gvia.services.context import Ctx
from gvia.services.engine import signals
from gvia.store import prepared
from gvia.store.models import PaymentPlan

ENDED = (PaymentPlan.Status.COMPLETED, PaymentPlan.Status.DEFAULTED)


def of_customer(ctx: Ctx, customer_id: int, today: date, history: History | None = None) -> PaymentRecord:
    """The payment record of one of the organization's customers on ``today``; ``history``: the
    customer's (:func:`gvia.services.engine.signals.history_of`), when the caller has read it."""
    ctx.require("viewer", "reading a customer's payment record")
    if history is None:
        history = signals.history_of(ctx, customer_id, today)
    # the customer page asks on every visit: the query compiled once (gvia.store.prepared)
    ended_plans = prepared.rows(("payment_record.plans", ctx.org.pk), lambda cid: PaymentPlan.objects.filter(
        organization=ctx.org, customer_id=cid, status__in=ENDED).values_list("ended_on", "status"), customer_id)
    plans = tuple(PlanOutcome(ended if isinstance(ended, date) else date.fromisoformat(str(ended)),
                              status == PaymentPlan.Status.COMPLETED)
                  for ended, status in ended_plans if ended is not None)
    return payment_record(history, today, plans)

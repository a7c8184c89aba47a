"""The daily check of every arrangement, run before the ladder decides (the daily run calls
:func:`apply_arrangements`).

For one organization and one day, in one transaction:

* open **promises**: kept / still open / partially kept / broken
  (:func:`gvia.services.arrangements.promises.follow_promise`); a failed promise ends its pause and leaves
  a warning signal on the timeline;
* active **payment plans**: payments applied to the installments, missed installments
  reminded (outbox, key ``plan:<id>:installment:<n>``, inserted with ``ignore_conflicts`` so a
  second run plans nothing new), a plan in default ended, a paid plan completed
  (:func:`gvia.services.arrangements.plans.follow_plan`);
* **settlements**: an approved one paid in time writes off the rest; one not paid (or never
  approved) by its deadline lapses (:func:`gvia.services.arrangements.settlements.follow_settlement`);
* **disputes** open too long remind their owner (:func:`gvia.services.arrangements.disputes.remind_overdue`).

Ended arrangements end their Pause rows, so the ladder that runs next resumes where it stood.
Running it twice on the same day changes nothing the second time.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from django.db import transaction

from gvia.services import clock, settings
from gvia.services.arrangements.disputes import remind_overdue
from gvia.services.arrangements.paid import received
from gvia.services.arrangements.plans import case_cycles, follow_plan
from gvia.services.arrangements.promises import follow_promise
from gvia.services.arrangements.settlements import follow_settlement
from gvia.services.context import Ctx
from gvia.store.models import OutboxMessage, PaymentPlan, PlanInstallment, Promise, Settlement

__all__ = ["apply_arrangements"]


def apply_arrangements(ctx: Ctx, today: date, now: datetime | None = None) -> dict[str, int]:
    """Bring every arrangement of the organization up to date on ``today``; returns counts
    (``promises_kept``, ``promises_broken``, ``promises_partially_kept``, ``plans_completed``,
    ``plans_defaulted``, ``installments_missed``, ``installment_reminders``,
    ``settlements_paid``, ``settlements_lapsed``, ``dispute_reminders``; zeros left out)."""
    now = now or clock.now_utc()
    counts: dict[str, int] = defaultdict(int)
    with transaction.atomic():
        promises = list(Promise.objects.select_for_update().filter(organization=ctx.org, status=Promise.Status.OPEN)
                        .order_by("id"))
        plans = list(PaymentPlan.objects.select_for_update().filter(organization=ctx.org,
                                                                    status=PaymentPlan.Status.ACTIVE)
                     .select_related("customer").order_by("id"))
        settlements = list(Settlement.objects.select_for_update().filter(
            organization=ctx.org, status__in=(Settlement.Status.OFFERED, Settlement.Status.APPROVED)).order_by("id"))
        customer_ids = {p.customer_id for p in promises} | {p.customer_id for p in plans} | {
            s.customer_id for s in settlements}
        money = received(customer_ids) if customer_ids else {}

        for p in promises:
            state = follow_promise(ctx.org, p, money.get(p.customer_id, []), today, now)
            if state != "open":
                counts[f"promises_{state}"] += 1

        if plans:
            rows: dict[int, list[PlanInstallment]] = defaultdict(list)
            for r in PlanInstallment.objects.filter(plan_id__in=[p.id for p in plans]).order_by("due", "number"):
                rows[r.plan_id].append(r)
            cycles = case_cycles([p.customer_id for p in plans])
            mode = settings.value(ctx.org, "sending_mode")
            reminders: list[OutboxMessage] = []
            for plan in plans:
                followed = follow_plan(ctx.org, plan, rows[plan.id], money.get(plan.customer_id, []), today, now,
                                       plan.customer.language, cycles.get(plan.customer_id, 0), mode)
                counts["installments_missed"] += len(followed.newly_missed)
                if followed.state != "active":
                    counts[f"plans_{followed.state}"] += 1
                reminders.extend(followed.reminders)
            if reminders:
                keys = [m.idempotency_key for m in reminders]
                known = set(OutboxMessage.objects.filter(organization=ctx.org, idempotency_key__in=keys)
                            .values_list("idempotency_key", flat=True))
                OutboxMessage.objects.bulk_create(reminders, ignore_conflicts=True)
                counts["installment_reminders"] += len(set(keys) - known)

        for s in settlements:
            before = s.status
            after = follow_settlement(ctx, s, money.get(s.customer_id, []), today, now)
            if after != before and after in ("paid", "lapsed"):
                counts[f"settlements_{after}"] += 1

        counts["dispute_reminders"] += remind_overdue(ctx, today, now)
    return {k: v for k, v in sorted(counts.items()) if v}

"""Previews of a change before a person makes it, by making it and taking it back.

The change goes through its own service inside a database transaction that is then rolled
back (:func:`rolled_back`): the preview applies exactly the service's rules and refusals, and
nothing stays written — not the record, not its timeline line, not its audit record.

* :func:`plan_preview` — the installments a payment plan would have
  (:func:`gvia.services.arrangements.plans.create_plan`), and how it goes beyond the organization's limits;
* :func:`policy_preview` — what today's daily run would do under a changed policy: the text is
  saved as the policy's next version (:func:`gvia.services.engine.policies.save_policy`) and the run
  done as a dry run (:func:`gvia.services.engine.daily_run.run`), then both are rolled back. The same
  dry run under the policies as they are gives the comparison.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, TypeVar

from django.db import transaction

from gvia.core.money import Money
from gvia.services.arrangements import plans
from gvia.services.context import Ctx
from gvia.services.engine import daily_run, policies

T = TypeVar("T")


def rolled_back(fn: Callable[..., T], *args, **kwargs) -> T:
    """``fn(*args, **kwargs)`` inside a transaction that is rolled back; its result is kept
    (in memory only), its exceptions pass through."""
    with transaction.atomic():
        result = fn(*args, **kwargs)
        transaction.set_rollback(True)
    return result


@dataclass(frozen=True)
class PlanPreview:
    total: Money
    installments: list            # of PlanInstallment (not saved)
    limits_exceeded: list[str]


def plan_preview(ctx: Ctx, customer_ref: str, **terms) -> PlanPreview:
    created = rolled_back(plans.create_plan, ctx, customer_ref, **terms)
    rows = sorted(created.installments, key=lambda r: (r.due, r.number))
    return PlanPreview(Money.from_minor(created.plan.total_minor, created.plan.currency), rows,
                       list(created.limits_exceeded))


@dataclass(frozen=True)
class RunPreview:
    customers: int
    counts: dict[str, int]
    entering: dict[str, int]                   # stage key -> customers entering it today
    messages: int                              # messages the run would plan
    awaiting_approval: int                     # of which waiting for a person
    calls: int                                 # call tasks it would open
    held_back: list[dict] = field(default_factory=list)


def summarize(report) -> RunPreview:
    entering: dict[str, int] = {}
    messages = approval = calls = 0
    for d in report.decisions:
        if d.kind == "enter_stage" and d.state.stage_key:
            entering[d.state.stage_key] = entering.get(d.state.stage_key, 0) + 1
        for a in d.actions:
            if a.channel == "call_task":
                calls += 1
            else:
                messages += 1
                approval += 1 if a.needs_approval else 0
    return RunPreview(report.customers, dict(sorted(report.counts.items())), entering, messages, approval, calls,
                      list(report.held_back))


def policy_preview(ctx: Ctx, policy_name: str, text: str, now: datetime | None = None) -> tuple[RunPreview, RunPreview]:
    """(today's run as things are, today's run with ``text`` as the policy's next version).
    Raises the policy's ValidationFailed (line and field of each problem) when it is not valid."""
    def with_candidate():
        policies.save_policy(ctx, text, f"{policy_name} (preview)", name=policy_name)
        return daily_run.run(ctx, now, dry_run=True)

    candidate = summarize(rolled_back(with_candidate))
    current = summarize(daily_run.run(ctx, now, dry_run=True))
    return current, candidate

"""The organization's limits and grace periods for arrangements, read from its settings and checked.

The settings (each one's default, check and meaning are declared in
:data:`gvia.services.settings.SETTINGS`): ``promise_grace_days`` (a promise pauses the case
through its due date plus this), ``plan_grace_days`` (an installment is missed this long after
its date), ``plan_default_after_missed`` (missed installments that end a plan),
``plan_max_months``, ``plan_min_installment`` (per currency) and ``plan_max_installments`` (what
a collector may agree alone), ``dispute_max_open_days`` (an open dispute older than this reminds
its owner), ``limitation_warn_months`` (flag a debt this long before limitation) and
``limitation_years`` (overriding the country's).
"""

from __future__ import annotations

from dataclasses import dataclass

from gvia.core.money import Money
from gvia.core.plans import PlanLimits
from gvia.services import settings
from gvia.store.models import Organization

KEYS = ("promise_grace_days", "plan_grace_days", "plan_default_after_missed", "plan_max_months",
        "plan_min_installment", "plan_max_installments", "dispute_max_open_days", "limitation_warn_months",
        "limitation_years")


@dataclass(frozen=True)
class ArrangementSettings:
    promise_grace_days: int
    plan_grace_days: int
    plan_default_after_missed: int
    plan_limits: PlanLimits
    dispute_max_open_days: int
    limitation_warn_months: int
    limitation_years: int | None


def arrangement_settings(org: Organization) -> ArrangementSettings:
    """The organization's arrangement settings, checked (a value that does not pass raises
    ValidationFailed naming every such key)."""
    cfg = settings.values(org, KEYS)
    minimum = {code: Money.of(amount, code) for code, amount in cfg["plan_min_installment"].items()}
    return ArrangementSettings(
        promise_grace_days=cfg["promise_grace_days"],
        plan_grace_days=cfg["plan_grace_days"],
        plan_default_after_missed=cfg["plan_default_after_missed"],
        plan_limits=PlanLimits(cfg["plan_max_months"], minimum, cfg["plan_max_installments"]),
        dispute_max_open_days=cfg["dispute_max_open_days"],
        limitation_warn_months=cfg["limitation_warn_months"],
        limitation_years=cfg["limitation_years"],
    )

"""The organization's limits and grace periods for arrangements, read from its settings and checked.

Settings (``Organization.settings``, all optional)
==================================================

=============================== ========= ===============================================
key                             default   meaning
=============================== ========= ===============================================
``promise_grace_days``          3         a promise pauses the case through due + this
``plan_grace_days``             7         an installment is missed this long after its date
``plan_default_after_missed``   2         missed installments (at once) that end a plan
``plan_max_months``             6         longest plan a collector may agree alone
``plan_min_installment``        ILS 500   smallest installment a collector may agree alone,
                                          per currency: ``{"ILS": "500", "GBP": "100"}``
``plan_max_installments``       none      most installments a collector may agree alone
``dispute_max_open_days``       14        an open dispute older than this reminds its owner
``limitation_warn_months``      6         flag a debt this long before limitation
``limitation_years``            law       years of limitation, overriding the country's
=============================== ========= ===============================================
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from gvia.core.errors import FieldProblem, InvalidAmount, UnknownCurrency, ValidationFailed
from gvia.core.money import Money, normalize_currency, parse_amount
from gvia.core.plans import PlanLimits
from gvia.store.models import Organization


@dataclass(frozen=True)
class ArrangementSettings:
    promise_grace_days: int = 3
    plan_grace_days: int = 7
    plan_default_after_missed: int = 2
    plan_limits: PlanLimits = field(default_factory=lambda: PlanLimits(6, {"ILS": Money.of(500, "ILS")}))
    dispute_max_open_days: int = 14
    limitation_warn_months: int = 6
    limitation_years: int | None = None


def arrangement_settings(org: Organization) -> ArrangementSettings:
    """The organization's arrangement settings (table in the module docstring), checked."""
    cfg = org.settings or {}
    problems: list[FieldProblem] = []

    def whole(key: str, default: int | None, lo: int, hi: int) -> int | None:
        value = cfg.get(key, default)
        if value is None:
            return None
        try:
            n = int(str(value).strip())
        except ValueError:
            problems.append(FieldProblem(None, key, str(value), "must be a whole number"))
            return default
        if not lo <= n <= hi:
            problems.append(FieldProblem(None, key, str(value), f"must be between {lo} and {hi}"))
            return default
        return n

    minimum: dict[str, Money] = {}
    raw_min = cfg.get("plan_min_installment", {"ILS": "500"})
    if not isinstance(raw_min, Mapping):
        problems.append(FieldProblem(None, "plan_min_installment", str(raw_min),
                                     'must map currencies to amounts, e.g. {"ILS": "500"}'))
    else:
        for code, amount in raw_min.items():
            try:
                minimum[normalize_currency(str(code))] = Money.of(parse_amount(str(amount)),
                                                                  normalize_currency(str(code)))
            except (InvalidAmount, UnknownCurrency) as exc:
                problems.append(FieldProblem(None, f"plan_min_installment.{code}", str(amount), str(exc)))
    out = ArrangementSettings(
        promise_grace_days=whole("promise_grace_days", 3, 0, 60),
        plan_grace_days=whole("plan_grace_days", 7, 0, 60),
        plan_default_after_missed=whole("plan_default_after_missed", 2, 1, 24),
        plan_limits=PlanLimits(whole("plan_max_months", 6, 1, 120), minimum,
                               whole("plan_max_installments", None, 1, 520)),
        dispute_max_open_days=whole("dispute_max_open_days", 14, 0, 365),
        limitation_warn_months=whole("limitation_warn_months", 6, 0, 60),
        limitation_years=whole("limitation_years", None, 1, 50),
    )
    if problems:
        raise ValidationFailed(problems, "the organization's arrangement settings are not valid")
    return out

"""Credit hold: talk about the debt before selling more (issue 17).

A credit hold is a flag on a customer, with a reason and a date, that tells whoever sells to them
to stop and talk about the unpaid debt before taking more work. A person sets it and lifts it; a
rule of the customer's policy may *suggest* it, never set it:

.. code-block:: toml

    [credit_hold]
    after_days = 60                 # the oldest overdue invoice at least this many days past due
    above = { ILS = "10000" }       # and the overdue total above this, per currency (optional:
                                    #   without it, any overdue amount)

:func:`suggest` is that rule: the customer's overdue totals per currency and the age of their
oldest overdue invoice in, a :class:`Suggestion` with its facts (codes and values, worded by each
edge) out, or None. A currency the rule names no amount for is suggested on age alone only when
the rule names no amount at all; otherwise only the named currencies count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

#: The fact code of a suggestion (``fact.credit_hold_suggested`` in the catalogs).
SUGGESTED = "credit_hold_suggested"


@dataclass(frozen=True, slots=True)
class CreditHoldRule:
    """The policy's ``[credit_hold]`` table, checked (:func:`gvia.core.policy.load_policy`)."""

    after_days: int
    above: Mapping[str, Decimal] = field(default_factory=dict)

    def normalized(self) -> dict[str, object]:
        return {"after_days": self.after_days,
                "above": {c: str(v) for c, v in sorted(self.above.items())}}


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Why a hold is suggested: the oldest overdue invoice's days, and the overdue amount (in the
    currency that passed the rule's amount, when it names one) against the rule."""

    days_overdue: int
    after_days: int
    currency: str
    overdue: Decimal
    above: Decimal | None


def suggest(rule: CreditHoldRule | None, overdue: Mapping[str, Decimal],
            oldest_days_overdue: int | None) -> Suggestion | None:
    """The suggestion of ``rule`` for a customer whose overdue totals are ``overdue`` (per
    currency; zero or missing: nothing overdue) and whose oldest overdue invoice is
    ``oldest_days_overdue`` days past due; None when the rule does not call for a hold."""
    if rule is None or oldest_days_overdue is None or oldest_days_overdue < rule.after_days:
        return None
    for currency in sorted(overdue):
        amount = overdue[currency]
        if amount <= 0:
            continue
        if not rule.above:
            return Suggestion(oldest_days_overdue, rule.after_days, currency, amount, None)
        limit = rule.above.get(currency)
        if limit is not None and amount > limit:
            return Suggestion(oldest_days_overdue, rule.after_days, currency, amount, limit)
    return None

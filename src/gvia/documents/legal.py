"""Figures the law fixes, as data with their source and the day they apply from.

Israel, Execution Law 5727-1967, section 81A1 (חוק ההוצאה לפועל, התשכ״ז-1967, סעיף 81א1):
a claim for a fixed sum that arises from an explicit written contract or undertaking
(or from an explicit statutory obligation) may be filed directly with the Execution
Office, without a court judgment, if it does not exceed the cap on the day it is filed.
Before filing, the creditor must send the debtor a warning of the intention to file, by
registered mail with delivery confirmation, and may file only after the notice period
has passed since the warning was sent. The cap was raised from ₪50,000 to ₪75,000 by
amendment 46 (5775-2015), in force from 15 October 2015.

Legal clocks run from the posting date recorded for the registered letter, not from
the date printed on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from gvia.core.errors import NotFound
from gvia.core.money import Money


@dataclass(frozen=True)
class ExecutionOfficeRule:
    """The fixed-sum claim rule in force from ``valid_from``."""

    valid_from: date
    cap: Money                  # the claim may not exceed this on the day it is filed
    notice_days: int            # filing allowed only this many days after the warning was sent
    delivery: str               # how the warning must be sent
    source_he: str
    source_en: str

    def earliest_filing(self, posted_on: date) -> date:
        """The first day the claim may be filed for a warning posted on ``posted_on``."""
        return posted_on + timedelta(days=self.notice_days)


EXECUTION_OFFICE_RULES: tuple[ExecutionOfficeRule, ...] = (
    ExecutionOfficeRule(
        valid_from=date(2015, 10, 15),
        cap=Money.of(75000, "ILS"),
        notice_days=30,
        delivery="registered_mail_with_delivery_confirmation",
        source_he="חוק ההוצאה לפועל, התשכ״ז-1967, סעיף 81א1 (תיקון מס׳ 46, התשע״ה-2015)",
        source_en="Execution Law 5727-1967 (Israel), section 81A1 (amendment 46, 2015)",
    ),
)


def execution_office_rule(on: date) -> ExecutionOfficeRule:
    """The rule in force on ``on``; NotFound before the first row of the table."""
    in_force = [r for r in EXECUTION_OFFICE_RULES if r.valid_from <= on]
    if not in_force:
        raise NotFound(f"no Execution Office fixed-sum rule on file for {on.isoformat()}")
    return max(in_force, key=lambda r: r.valid_from)


__all__ = ["ExecutionOfficeRule", "EXECUTION_OFFICE_RULES", "execution_office_rule"]

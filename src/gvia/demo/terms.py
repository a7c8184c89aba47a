"""Payment terms of the demo customers and the due dates they give.

Two kinds of terms are common in Israel:

* **net N** ("נטו N", "N days"): due N days after the issue date; net 0 is "immediate".
* **end of month + N** ("שוטף + N"): due N days after the last day of the month of issue.
  An invoice of 15 January 2025 on "שוטף + 30" is due 31 January + 30 days = 2 March 2025;
  "שוטף + 60" is 1 April, "שוטף + 90" is 1 May. Large companies and government offices
  pay on these terms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


def end_of_month(d: date) -> date:
    """The last day of the month of ``d``."""
    first_of_next = date(d.year + 1, 1, 1) if d.month == 12 else date(d.year, d.month + 1, 1)
    return first_of_next - timedelta(days=1)


@dataclass(frozen=True, slots=True)
class PaymentTerms:
    """``days`` after the issue date, or after the end of its month when ``end_of_month``."""

    days: int
    end_of_month: bool = False

    def __post_init__(self) -> None:
        if self.days < 0:
            raise ValueError("payment terms cannot be negative days")

    def due(self, issue: date) -> date:
        """The due date of an invoice issued on ``issue``; never before the issue date."""
        start = end_of_month(issue) if self.end_of_month else issue
        return start + timedelta(days=self.days)

    def label(self, language: str = "he") -> str:
        """How the terms are written on an invoice: "שוטף + 30", "Net 30", "EOM + 60"."""
        if self.end_of_month:
            return f"שוטף + {self.days}" if language == "he" else f"EOM + {self.days}"
        if self.days == 0:
            return "מיידי" if language == "he" else "Immediate"
        return f"נטו {self.days}" if language == "he" else f"Net {self.days}"


IMMEDIATE = PaymentTerms(0)
NET_30 = PaymentTerms(30)
NET_45 = PaymentTerms(45)
NET_60 = PaymentTerms(60)
EOM_30 = PaymentTerms(30, end_of_month=True)
EOM_60 = PaymentTerms(60, end_of_month=True)
EOM_90 = PaymentTerms(90, end_of_month=True)

# (terms, weight) of businesses and of consumers, in percent.
BUSINESS_TERMS: tuple[tuple[PaymentTerms, int], ...] = (
    (EOM_30, 30), (NET_30, 28), (EOM_60, 20), (NET_60, 10), (NET_45, 6), (EOM_90, 6),
)
CONSUMER_TERMS: tuple[tuple[PaymentTerms, int], ...] = ((IMMEDIATE, 50), (NET_30, 50))

"""The free debt advice services a letter of claim names (England and Wales).

The figures the law fixes (the Execution Office's fixed-sum claim, the Pre-Action Protocol's
reply period) are rules of the core: :mod:`gvia.core.legal_rules`.

:data:`DEBT_ADVICE` lists free, independent debt advice services in the UK with the
contact details they publish (as known when this table was written): they change, so
check them before relying on them, and update this table (it is data, not wording).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DebtAdvice:
    """A free debt advice service: its name, phone (may be empty) and website; ``note`` names
    the words said of it (``letter_of_claim.info.note.<note>`` in the documents' catalogs)."""

    name: str
    phone: str
    website: str
    note: str = ""


DEBT_ADVICE: tuple[DebtAdvice, ...] = (
    DebtAdvice("National Debtline", "0808 808 4000", "www.nationaldebtline.org"),
    DebtAdvice("StepChange Debt Charity", "0800 138 1111", "www.stepchange.org"),
    DebtAdvice("Citizens Advice", "", "www.citizensadvice.org.uk"),
    DebtAdvice("MoneyHelper", "", "www.moneyhelper.org.uk", note="finds_advice"),
    DebtAdvice("Business Debtline", "0800 197 6026", "www.businessdebtline.org", note="sole_traders"),
)


__all__ = ["DebtAdvice", "DEBT_ADVICE"]

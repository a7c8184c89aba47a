"""What an invoicing service's documents become (issue 18): the rows an import writes, shared by
every service's client (:mod:`.morning`, :mod:`.icount`), and the readings of a date and an
amount they share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gvia.core.errors import FieldProblem, GviaError
from gvia.core.money import Money
from gvia.imports.parsed import CustomerRow, InvoiceRow, PaymentRow


@dataclass
class DocumentRows:
    customers: list[CustomerRow]
    invoices: list[InvoiceRow]
    payments: list[PaymentRow]
    left_out: int = 0            # cancelled, replaced, or of a type gvia does not read
    problems: list[FieldProblem] = field(default_factory=list)


def day(value: Any) -> dt.date | None:
    """A date as the services write it (``2026-11-01``, ``2026-11-01 12:16:48``, ``20261101``);
    None when it is not one."""
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def money(value: Any, currency: Any, absolute: bool = False) -> Money | None:
    """``value`` in ``currency``; None when either is not one (the caller names the problem)."""
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
        return Money.of(abs(amount) if absolute else amount, str(currency or "ILS"))
    except (ArithmeticError, ValueError, GviaError):
        return None

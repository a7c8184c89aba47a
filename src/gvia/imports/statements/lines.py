"""A bank statement as typed lines, and each line's identity (issue 18).

A line's identity (:func:`line_keys`) is what the issue names: the account, the booking date, the
amount with its currency and the bank's reference or the payer's end-to-end id — and, when two lines
share all of these (two transfers of the same amount on one day without a reference), their order
among those lines. Importing the same statement twice, or one that overlaps an earlier one, gives the
same keys for the same lines, so nothing is added twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from gvia.core.errors import FieldProblem, ValidationFailed
from gvia.core.money import Money

__all__ = ["StatementLine", "Statement", "line_keys", "refuse"]


@dataclass(frozen=True)
class StatementLine:
    """One booked line. ``amount`` is signed: money in is positive. ``payer_name`` and
    ``payer_account`` name the other side (the payer of a credit, the payee of a debit)."""

    position: int
    account: str
    booking_date: date
    amount: Money
    value_date: date | None = None
    text: str = ""
    reference: str = ""
    end_to_end_id: str = ""
    payer_name: str = ""
    payer_account: str = ""

    @property
    def is_credit(self) -> bool:
        return self.amount.amount > 0


@dataclass(frozen=True)
class Statement:
    source: str                     # the file's name
    format: str                     # camt053 | mt940 | ofx | table
    bank: str                       # the layout read (a table), else ""
    lines: tuple[StatementLine, ...]


def _identity(line: StatementLine) -> str:
    ref = line.reference.strip() or line.end_to_end_id.strip()
    return "|".join((line.account.strip().upper(), line.booking_date.isoformat(), str(line.amount.minor),
                     line.amount.currency, ref))


def line_keys(lines: tuple[StatementLine, ...] | list[StatementLine]) -> list[str]:
    """The identity of each line, in order (see the module's docstring)."""
    seen: dict[str, int] = {}
    out = []
    for line in lines:
        ident = _identity(line)
        seen[ident] = seen.get(ident, 0) + 1
        out.append(hashlib.sha256(f"{ident}|{seen[ident]}".encode()).hexdigest()[:40])
    return out


def refuse(source: str, message: str, *, code: str, row: int | None = None, field: str = "", value: str = "",
           **params: object) -> ValidationFailed:
    """The file is refused, naming it (and its row and field when one is at fault)."""
    return ValidationFailed([FieldProblem(row, field, value, message, source=source, code=code,
                                          params={"file": source, **params})],
                            code="statement_refused", file=source)

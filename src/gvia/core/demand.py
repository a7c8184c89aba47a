"""What a document that asks for payment demands: the one rule every letter, e-mail and
statement attached to them follows.

A demand asks only for what is due on its date. Given the customer's open invoice lines
(anything with a ``due_date`` and an ``open`` amount: the documents' invoice lines, the
statement's open items), the day of the letter and the policy's ``not_yet_due`` mode,
:func:`demand` returns

* ``demanded``: the lines due **on or before** the letter's date (an invoice due on the day
  of the letter is due that day and may be asked for; one due the day after may not);
* ``not_yet_due``: the lines due later, to be listed apart as "not yet due — not demanded"
  (mode ``"list_apart"``, the default) or left out of the document altogether (``"omit"``:
  then this tuple is empty and ``omitted`` counts them); never inside the demanded total;
* ``extra_lines``: interest, linkage and fees, each a line of its own (anything with an
  ``amount``), never folded into an invoice's amount;
* ``time_barred``: for a document that threatens proceedings (:data:`THREATENS_PROCEEDINGS`:
  the warning letters and the letter of claim; ``proceedings=True``), the lines past their
  limitation date on the document's date (a line's ``limitation_date``, when it has one:
  :func:`gvia.core.limitation.time_barred`). A court claim for them would be time-barred, so
  such a document does not demand them: they are never in ``demanded`` nor in any total, and
  the document may list them apart as "time-barred — not claimed". Other documents (a
  reminder, a statement) claim nothing in court and are not cut off;
* the totals per currency (:class:`~gvia.core.money.Totals`; two currencies are never
  added): ``invoice_totals`` (the demanded invoices), ``charge_totals`` (the extra lines),
  ``totals`` (both: what the document asks to be paid) and ``not_yet_due_totals``.

The order of the lines is kept (callers pass them oldest-due first). No document or letter
module adds amounts itself: they show these figures. :func:`open_totals` is the plain sum
per currency of a list of open lines for what is not a demand (a payment plan's invoices).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Generic, Iterable, Protocol, TypeVar

from .errors import FieldProblem, ValidationFailed
from .limitation import time_barred
from .money import Money, Totals

__all__ = ["NOT_YET_DUE_MODES", "DEFAULT_NOT_YET_DUE", "THREATENS_PROCEEDINGS", "OpenLine", "Charge", "Demand",
           "demand", "open_totals", "check_mode", "threatens_proceedings"]

NOT_YET_DUE_MODES = ("list_apart", "omit")
DEFAULT_NOT_YET_DUE = "list_apart"

#: The documents that threaten court proceedings (or the Execution Office) if the debt is not paid:
#: they never demand a time-barred debt.
THREATENS_PROCEEDINGS = ("warning_letter", "warning_execution_office", "letter_of_claim")


def threatens_proceedings(document: str) -> bool:
    """Whether ``document`` threatens proceedings (its demand leaves time-barred lines out)."""
    return document in THREATENS_PROCEEDINGS


class OpenLine(Protocol):
    """An open invoice as a demand sees it."""

    @property
    def due_date(self) -> date: ...

    @property
    def open(self) -> Money: ...


class Charge(Protocol):
    """Interest, linkage or a fee: a line of its own."""

    @property
    def amount(self) -> Money: ...


L = TypeVar("L", bound=OpenLine)
C = TypeVar("C", bound=Charge)


@dataclass(frozen=True)
class Demand(Generic[L, C]):
    """What a document dated ``as_of`` asks for (see the module doc)."""

    as_of: date
    mode: str
    demanded: tuple[L, ...]
    not_yet_due: tuple[L, ...]
    extra_lines: tuple[C, ...]
    omitted: int = 0
    time_barred: tuple[L, ...] = ()

    @property
    def invoice_totals(self) -> Totals:
        """The demanded invoices' open amounts, per currency."""
        return Totals(ln.open for ln in self.demanded)

    @property
    def charge_totals(self) -> Totals:
        """Interest, linkage and fees, per currency."""
        return Totals(x.amount for x in self.extra_lines)

    @property
    def totals(self) -> Totals:
        """What the document asks to be paid: the demanded invoices and the extra lines."""
        return Totals([ln.open for ln in self.demanded] + [x.amount for x in self.extra_lines])

    @property
    def not_yet_due_totals(self) -> Totals:
        """The open amounts listed apart (empty when they are omitted)."""
        return Totals(ln.open for ln in self.not_yet_due)

    @property
    def demands_anything(self) -> bool:
        return bool(self.demanded) or any(x.amount.amount > 0 for x in self.extra_lines)


def check_mode(mode: str) -> str:
    """``mode`` when it is one of :data:`NOT_YET_DUE_MODES`; ValidationFailed otherwise."""
    if mode not in NOT_YET_DUE_MODES:
        raise ValidationFailed([FieldProblem(None, "not_yet_due", mode,
                                             f"must be one of: {', '.join(NOT_YET_DUE_MODES)}",
                                             code="setting_one_of", params={"choices": NOT_YET_DUE_MODES})],
                               f"not_yet_due must be one of {', '.join(NOT_YET_DUE_MODES)}, not {mode!r}",
                               code="problems")
    return mode


def demand(lines: Iterable[L], as_of: date, not_yet_due: str = DEFAULT_NOT_YET_DUE,
           extra_lines: Iterable[C] = (), *, proceedings: bool = False) -> Demand[L, C]:
    """The demand of a document dated ``as_of`` over the customer's open ``lines`` (see the
    module doc). Lines with nothing open are left out; ``proceedings``: the document threatens
    proceedings, so lines time-barred on ``as_of`` are set apart, not demanded."""
    check_mode(not_yet_due)
    due: list[L] = []
    later: list[L] = []
    barred: list[L] = []
    for ln in lines:
        if ln.open.amount <= 0:
            continue
        if proceedings and time_barred(getattr(ln, "limitation_date", None), as_of):
            barred.append(ln)
            continue
        (due if ln.due_date <= as_of else later).append(ln)
    apart = tuple(later) if not_yet_due == "list_apart" else ()
    return Demand(as_of=as_of, mode=not_yet_due, demanded=tuple(due), not_yet_due=apart,
                  extra_lines=tuple(extra_lines), omitted=0 if apart else len(later), time_barred=tuple(barred))


def open_totals(lines: Iterable[OpenLine]) -> Totals:
    """The open amounts of ``lines`` per currency, for what is not a demand (a payment plan's
    invoices): a demand's figures come from :func:`demand`."""
    return Totals(ln.open for ln in lines)

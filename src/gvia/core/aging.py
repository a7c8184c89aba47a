"""Aging: open amounts sorted into buckets by how many days past due they are.

Days past due is ``(as_of - due_date).days``. Zero or less is ``"not_due"`` (an invoice
due today is not late yet). The bucket edges are configurable; the default
``(0, 30, 60, 90, 180)`` gives the buckets ``not_due``, ``1-30``, ``31-60``, ``61-90``,
``91-180`` and ``180+`` (more than 180 days). In general, for edges ``e0 < e1 < ... < en``
with ``e0 == 0``: ``not_due`` is days <= 0, ``"{a+1}-{b}"`` is ``a < days <= b`` for each
pair of neighbouring edges, and ``"{en}+"`` is days > ``en``.

Amounts are kept per currency, never added across currencies. :func:`age` takes plain
``(due_date, open_amount)`` pairs so the database can pass rows already summed per due
date and currency; zero amounts are skipped (a currency appears only when something in it
is open). Per-customer reports can be added together with :meth:`AgingReport.merge`.

**Overdue** is defined here once: an invoice is overdue on ``as_of`` when it is at least one day
past due (:func:`is_overdue`). Queries that sum overdue amounts in the database (the customer
list, the dashboard, the worklist, the credit-hold and signal scans) filter with
``due_date < overdue_bound(as_of)``, so every total follows this rule and changes with it. A
*demand* (:mod:`gvia.core.demand`) may also ask for what falls due on its own date: due is not
overdue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Sequence

from .errors import FieldProblem, ValidationFailed
from .ledger import INVOICE, InvoiceRec, LedgerResult
from .money import Money, Totals

BUCKETS_DEFAULT: tuple[int, ...] = (0, 30, 60, 90, 180)
NOT_DUE = "not_due"


def is_overdue(due: date, as_of: date) -> bool:
    """Whether something due on ``due`` is overdue on ``as_of``: at least one day past due (an
    invoice due today is not late yet)."""
    return due < overdue_bound(as_of)


def overdue_bound(as_of: date) -> date:
    """The first due date that is *not* overdue on ``as_of``: a database query keeps what is
    overdue with ``due_date < overdue_bound(as_of)`` (the one home of the boundary)."""
    return as_of


def check_edges(edges: Sequence[int]) -> tuple[int, ...]:
    """Validate bucket edges: whole numbers, strictly increasing, starting at 0."""
    e = tuple(edges)
    message = code = ""
    if not e:
        message, code = "at least one edge is needed", "aging_edges_none"
    elif any(isinstance(x, bool) or not isinstance(x, int) for x in e):
        message, code = "edges must be whole numbers of days", "aging_edges_whole_days"
    elif e[0] != 0:
        message, code = "the first edge must be 0 (not yet due)", "aging_edges_first_zero"
    elif any(b <= a for a, b in zip(e, e[1:])):
        message, code = "edges must be strictly increasing", "aging_edges_increasing"
    if message:
        raise ValidationFailed([FieldProblem(None, "edges", ",".join(map(str, e)), message, code=code)])
    return e


def bucket_names(edges: Sequence[int] = BUCKETS_DEFAULT) -> tuple[str, ...]:
    """The bucket names for these edges, in order: ("not_due", "1-30", ..., "180+")."""
    e = check_edges(edges)
    return (NOT_DUE, *(f"{a + 1}-{b}" for a, b in zip(e, e[1:])), f"{e[-1]}+")


def bucket_name(days_past_due: int, edges: Sequence[int] = BUCKETS_DEFAULT) -> str:
    """The bucket of an amount ``days_past_due`` days late (zero or negative: not due)."""
    e = check_edges(edges)
    if days_past_due <= e[0]:
        return NOT_DUE
    for a, b in zip(e, e[1:]):
        if a < days_past_due <= b:
            return f"{a + 1}-{b}"
    return f"{e[-1]}+"


@dataclass(frozen=True)
class AgingReport:
    """Open amounts per currency and bucket, as of one day.

    ``currencies`` maps a currency code (sorted) to an ordered dict of every bucket name to
    the amount in it (zero included). The total of a currency is the sum of its buckets.
    """

    as_of: date
    edges: tuple[int, ...] = BUCKETS_DEFAULT
    currencies: dict[str, dict[str, Money]] = field(default_factory=dict)

    @property
    def buckets(self) -> tuple[str, ...]:
        return bucket_names(self.edges)

    def total(self, currency: str) -> Money:
        """Sum of the currency's buckets (zero for a currency with nothing open)."""
        row = self.currencies.get(currency)
        if row is None:
            return Money.zero(currency)
        return _sum(row.values(), currency)

    @property
    def totals(self) -> Totals:
        return Totals(self.total(c) for c in self.currencies)

    def merge(self, other: "AgingReport") -> "AgingReport":
        """The two reports added bucket by bucket (same day and edges required)."""
        if (self.as_of, self.edges) != (other.as_of, other.edges):
            raise ValueError("can only merge aging reports of the same day and edges")  # not shown: a caller's bug
        rows: dict[str, dict[str, Money]] = {}
        for code in sorted(set(self.currencies) | set(other.currencies)):
            a = self.currencies.get(code, {})
            b = other.currencies.get(code, {})
            rows[code] = {name: _get(a, name, code) + _get(b, name, code)
                          for name in self.buckets}
        return AgingReport(self.as_of, self.edges, rows)

    __add__ = merge

    @classmethod
    def combine(cls, reports: Iterable["AgingReport"], as_of: date,
                edges: Sequence[int] = BUCKETS_DEFAULT) -> "AgingReport":
        """All reports added together (e.g. every customer's) into one."""
        result = cls(as_of, check_edges(edges))
        for r in reports:
            result = result.merge(r)
        return result

    def to_json_dict(self, unapplied: Totals | None = None) -> dict[str, Any]:
        """``{"as_of", "currencies": {code: {bucket: "0.00", ..., "total"}}, "unapplied_credit"}``.

        Amounts are decimal strings with the currency's minor-unit places.
        """
        currencies = {}
        for code, row in self.currencies.items():
            out = {name: str(_get(row, name, code).amount) for name in self.buckets}
            out["total"] = str(self.total(code).amount)
            currencies[code] = out
        return {
            "as_of": self.as_of.isoformat(),
            "currencies": currencies,
            "unapplied_credit": unapplied.as_strings() if unapplied is not None else {},
        }


def _get(row: dict[str, Money], name: str, code: str) -> Money:
    return row.get(name) or Money.zero(code)


def _sum(amounts: Iterable[Money], code: str) -> Money:
    total = Money.zero(code)
    for m in amounts:
        total += m
    return total


def age(items: Iterable[tuple[date, Money]], as_of: date,
        edges: Sequence[int] = BUCKETS_DEFAULT) -> AgingReport:
    """Sort ``(due_date, open_amount)`` pairs into buckets as of ``as_of``."""
    e = check_edges(edges)
    names = bucket_names(e)
    rows: dict[str, dict[str, Money]] = {}
    for due, amount in items:
        if not amount:
            continue
        code = amount.currency
        row = rows.setdefault(code, {n: Money.zero(code) for n in names})
        name = bucket_name((as_of - due).days, e)
        row[name] = row[name] + amount
    return AgingReport(as_of, e, {code: rows[code] for code in sorted(rows)})


def age_ledger(invoices: Iterable[InvoiceRec], ledger: LedgerResult, as_of: date,
               edges: Sequence[int] = BUCKETS_DEFAULT) -> AgingReport:
    """Aging of one customer's invoices from the open amounts :func:`allocate` computed."""
    items = [(inv.due_date, ledger.open_amounts[inv.id]) for inv in invoices
             if inv.kind == INVOICE and inv.id in ledger.open_amounts]
    return age(items, as_of, edges)


__all__ = ["BUCKETS_DEFAULT", "NOT_DUE", "is_overdue", "overdue_bound", "check_edges", "bucket_names", "bucket_name",
           "AgingReport", "age", "age_ledger"]

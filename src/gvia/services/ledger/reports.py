"""The collection reports (issue 17): DSO, CEI, the aging trend, collected against overdue, the
promise-kept and plan success rates, the reasons for non-payment — each a :class:`Report` of
codes and values (the edges word the columns as ``report.col.<name>``), for the reports page,
``gvia report NAME`` and their CSV and XLSX exports.

Every report reads the whole history in a few grouped queries (by month, never a query per
month or per customer) and computes with :mod:`gvia.core.reports`:

``dso``                  per month and currency: the receivables at the month's end (invoices
                         issued by then less what payments and credit notes dated by then
                         covered) and the DSO by countback over the months' credit sales
``cei``                  per month and currency: the collection effectiveness index (the
                         receivables at its start and end, the month's credit sales, the current
                         — not yet due — receivables at its end)
``aging_trend``          per month and currency: the open and overdue amounts of the month's last
                         aging snapshot (the daily run leaves one a day)
``collected_vs_overdue`` per month, collector (the user assigned to the customer; unassigned is
                         ``""``) and currency: what was collected (cleared payments dated in the
                         month), beside the overdue amount at the month's end (the snapshot)
``promise_kept_rate``    per month of closing: promises kept, partly kept and broken, the kept rate
``plan_success_rate``    per month of ending: plans completed, defaulted and cancelled, the success
                         rate (completed of completed and defaulted)
``reasons``              the running cases by reason for non-payment, with their share
=======================  ===================================================================
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Callable

from django.db.models import CharField, Count, F, Func, Sum
from django.db.models.functions import Coalesce

from gvia.core import reports as calc
from gvia.core.errors import FieldProblem, ValidationFailed
from gvia.core.money import Money
from gvia.services.context import Ctx
from gvia.services.engine import nonpayment
from gvia.store.models import AgingSnapshot, Allocation, Invoice, Payment, PaymentPlan, Promise

__all__ = ["NAMES", "Report", "report", "plain", "as_json"]


@dataclass(frozen=True)
class Report:
    """A report's rows: each a tuple of values in the order of ``columns``. A value is a month
    (the first day of a :class:`date`), a currency code, :class:`Money`, a :class:`Decimal` (days
    or percent), an int, a code (a collector's e-mail, a reason), or None (not known)."""

    name: str
    start: date
    end: date
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def _month(d: date) -> date:
    return date(d.year, d.month, 1)


class MonthKey(Func):
    """A date's month as the text ``YYYY-MM``, computed by the database itself: Django's
    ``TruncMonth`` is a Python function SQLite calls on every row (48 s for the DSO at 1,000,000
    invoices); SQLite stores dates as ``YYYY-MM-DD`` text, so the month is its first seven
    characters, and PostgreSQL formats it natively."""

    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="substr(%(expressions)s, 1, 7)", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="to_char(%(expressions)s, 'YYYY-MM')", **extra)


def _as_date(v: Any) -> date:
    """The first day of the month a :class:`MonthKey` names (``YYYY-MM``)."""
    return date(int(v[:4]), int(v[5:7]), 1)


def _sales(ctx: Ctx) -> dict[tuple[str, date], int]:
    """Credit sales per (currency, issue month): invoices less credit notes."""
    out: dict[tuple[str, date], int] = defaultdict(int)
    for r in (Invoice.objects.filter(organization=ctx.org).annotate(m=MonthKey("issue_date"))
              .values("currency", "m", "kind").annotate(s=Sum("amount_minor")).order_by()):
        sign = -1 if r["kind"] == Invoice.Kind.CREDIT_NOTE else 1
        out[(r["currency"], _as_date(r["m"]))] += sign * (r["s"] or 0)
    return out


def _covered(ctx: Ctx) -> list[tuple[str, date, date, date, int]]:
    """What payments, credit notes and tolerances covered of each invoice, grouped as (the
    invoice's currency, its issue month, its due month, the month it was covered, amount)."""
    when = Coalesce(F("payment__date"), F("credit_note__issue_date"), F("invoice__issue_date"))
    rows = (Allocation.objects.filter(organization=ctx.org).exclude(payment__status=Payment.Status.BOUNCED)
            .annotate(m=MonthKey(when), im=MonthKey("invoice__issue_date"), dm=MonthKey("invoice__due_date"))
            .values("invoice__currency", "im", "dm", "m").annotate(s=Sum("amount_minor")).order_by())
    return [(r["invoice__currency"], _as_date(r["im"]), _as_date(r["dm"]), _as_date(r["m"]), r["s"] or 0)
            for r in rows]


def _invoiced(ctx: Ctx) -> list[tuple[str, date, date, int]]:
    """Invoices (less what was settled outside gvia) as (currency, issue month, due month, amount)."""
    rows = (Invoice.objects.filter(organization=ctx.org, kind=Invoice.Kind.INVOICE)
            .annotate(im=MonthKey("issue_date"), dm=MonthKey("due_date"))
            .values("currency", "im", "dm").annotate(s=Sum(F("amount_minor") - F("settled_outside_minor"))).order_by())
    return [(r["currency"], _as_date(r["im"]), _as_date(r["dm"]), r["s"] or 0) for r in rows]


class _Receivables:
    """The receivables at any month's end, and the part of them not yet due, from the grouped rows.

    Read once into prefix sums per currency, so each month's figure is four look-ups, not a pass
    over every group (an invoice's due month is never before its issue month):

    * receivables at month M = invoiced with issue month ≤ M − covered with max(issue, covered
      month) ≤ M;
    * not yet due at M = those of them with due month > M, i.e. the same sums less the ones whose
      due month (for what was covered: max(issue, covered, due month)) is ≤ M as well."""

    def __init__(self, ctx: Ctx) -> None:
        self._sums: dict[str, dict[str, tuple[list[date], list[int]]]] = {}
        keyed: dict[str, dict[str, dict[date, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
        for cur, im, dm, amount in _invoiced(ctx):
            keyed[cur]["issued"][im] += amount
            keyed[cur]["issued_due"][dm] += amount
        for cur, im, dm, m, amount in _covered(ctx):
            k = max(im, m)
            keyed[cur]["covered"][k] += amount
            keyed[cur]["covered_due"][max(k, dm)] += amount
        for cur, parts in keyed.items():
            self._sums[cur] = {}
            for name in ("issued", "issued_due", "covered", "covered_due"):
                months = sorted(parts[name])
                running, acc = [], 0
                for month in months:
                    acc += parts[name][month]
                    running.append(acc)
                self._sums[cur][name] = (months, running)
        self.currencies = sorted(keyed)

    def _upto(self, currency: str, name: str, month: date) -> int:
        months, running = self._sums.get(currency, {}).get(name, ([], []))
        i = bisect_right(months, month)
        return running[i - 1] if i else 0

    def at(self, currency: str, month: date) -> tuple[int, int]:
        """(receivables, current receivables) at the end of ``month`` (its first day)."""
        issued, covered = self._upto(currency, "issued", month), self._upto(currency, "covered", month)
        due = self._upto(currency, "issued_due", month) - self._upto(currency, "covered_due", month)
        return issued - covered, issued - covered - due


def _money(minor: int, currency: str) -> Money:
    return Money.from_minor(minor, currency)


def _dso(ctx: Ctx, start: date, end: date) -> Report:
    ar = _Receivables(ctx)
    sales = _sales(ctx)
    rows = []
    for month in calc.months_between(start, end):
        last = min(calc.month_end(month), end)
        for cur in ar.currencies:
            total, _ = ar.at(cur, month)
            history = [(m, Money.from_minor(sales.get((cur, m), 0), cur).amount)
                       for m in reversed(calc.months_between(date(month.year - 3, month.month, 1), month))]
            days = calc.dso_countback(Money.from_minor(total, cur).amount, history, last)
            rows.append((month, cur, _money(total, cur), _money(sales.get((cur, month), 0), cur), days))
    return Report("dso", start, end, ("month", "currency", "receivables", "sales", "dso_days"), rows)


def _cei(ctx: Ctx, start: date, end: date) -> Report:
    ar = _Receivables(ctx)
    sales = _sales(ctx)
    rows = []
    for month in calc.months_between(start, end):
        before = date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
        for cur in ar.currencies:
            opening, _ = ar.at(cur, before)
            closing, current = ar.at(cur, month)
            sold = sales.get((cur, month), 0)
            index = calc.cei(*(Money.from_minor(v, cur).amount for v in (opening, sold, closing, current)))
            rows.append((month, cur, _money(opening, cur), _money(sold, cur), _money(closing, cur),
                         _money(current, cur), index))
    return Report("cei", start, end, ("month", "currency", "opening", "sales", "closing", "current", "cei"), rows)


def _snapshots(ctx: Ctx, start: date, end: date, field: str) -> dict[str, list[int | None]]:
    months = calc.months_between(start, end)
    rows = AgingSnapshot.objects.filter(organization=ctx.org, date__gte=months[0], date__lte=end).values_list(
        "date", "currency", field)
    return calc.month_closing(rows, months)


def _aging_trend(ctx: Ctx, start: date, end: date) -> Report:
    months = calc.months_between(start, end)
    opened = _snapshots(ctx, start, end, "open_minor")
    overdue = _snapshots(ctx, start, end, "overdue_minor")
    rows = []
    for i, month in enumerate(months):
        for cur in sorted(set(opened) | set(overdue)):
            o, d = opened.get(cur, [None] * len(months))[i], overdue.get(cur, [None] * len(months))[i]
            if o is None and d is None:
                continue
            rows.append((month, cur, None if o is None else _money(o, cur), None if d is None else _money(d, cur)))
    return Report("aging_trend", start, end, ("month", "currency", "open", "overdue"), rows)


def _collected_vs_overdue(ctx: Ctx, start: date, end: date) -> Report:
    months = calc.months_between(start, end)
    overdue = _snapshots(ctx, start, end, "overdue_minor")
    collected: dict[tuple[date, str, str], int] = defaultdict(int)
    for r in (Payment.objects.filter(organization=ctx.org, status=Payment.Status.CLEARED, date__gte=months[0],
                                     date__lte=end)
              .annotate(m=MonthKey("date")).values("m", "customer__collector__email", "currency")
              .annotate(s=Sum("amount_minor")).order_by()):
        collected[(_as_date(r["m"]), r["customer__collector__email"] or "", r["currency"])] += r["s"] or 0
    rows = []
    for i, month in enumerate(months):
        for (m, who, cur), minor in sorted(collected.items(), key=lambda kv: (kv[0][1] == "", kv[0])):
            if m == month:
                late = overdue.get(cur, [None] * len(months))[i]
                rows.append((month, who, cur, _money(minor, cur), None if late is None else _money(late, cur)))
    return Report("collected_vs_overdue", start, end, ("month", "collector", "currency", "collected", "overdue"), rows)


def _promise_kept_rate(ctx: Ctx, start: date, end: date) -> Report:
    counts: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in (Promise.objects.filter(organization=ctx.org, closed_on__gte=_month(start), closed_on__lte=end,
                                     status__in=(Promise.Status.KEPT, Promise.Status.PARTIALLY_KEPT,
                                                 Promise.Status.BROKEN))
              .annotate(m=MonthKey("closed_on")).values("m", "status").annotate(n=Count("id")).order_by()):
        counts[_as_date(r["m"])][r["status"]] += r["n"]
    rows = []
    for month in calc.months_between(start, end):
        c = counts.get(month, {})
        kept, partly, broken = c.get("kept", 0), c.get("partially_kept", 0), c.get("broken", 0)
        rows.append((month, kept, partly, broken, calc.rate(kept, kept + partly + broken)))
    return Report("promise_kept_rate", start, end, ("month", "kept", "partially_kept", "broken", "rate"), rows)


def _plan_success_rate(ctx: Ctx, start: date, end: date) -> Report:
    counts: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in (PaymentPlan.objects.filter(organization=ctx.org, ended_on__gte=_month(start), ended_on__lte=end)
              .exclude(status=PaymentPlan.Status.ACTIVE)
              .annotate(m=MonthKey("ended_on")).values("m", "status").annotate(n=Count("id")).order_by()):
        counts[_as_date(r["m"])][r["status"]] += r["n"]
    rows = []
    for month in calc.months_between(start, end):
        c = counts.get(month, {})
        done, failed, cancelled = c.get("completed", 0), c.get("defaulted", 0), c.get("cancelled", 0)
        rows.append((month, done, failed, cancelled, calc.rate(done, done + failed)))
    return Report("plan_success_rate", start, end, ("month", "completed", "defaulted", "cancelled", "rate"), rows)


def _reasons(ctx: Ctx, start: date, end: date) -> Report:
    shares = nonpayment.shares(ctx)
    cases = sum(shares.values())
    rows = [(r or "unknown", n, calc.rate(n, cases)) for r, n in shares.items()]
    return Report("reasons", start, end, ("reason", "cases", "share"), rows)


BUILDERS: dict[str, Callable[[Ctx, date, date], Report]] = {
    "dso": _dso, "cei": _cei, "aging_trend": _aging_trend, "collected_vs_overdue": _collected_vs_overdue,
    "promise_kept_rate": _promise_kept_rate, "plan_success_rate": _plan_success_rate, "reasons": _reasons,
}
#: The reports, in the order the page lists them.
NAMES = tuple(BUILDERS)


def report(ctx: Ctx, name: str, start: date, end: date) -> Report:
    """The report ``name`` for the months from ``start``'s to ``end``'s (``end`` included)."""
    ctx.require("viewer", "reading reports")
    problems = []
    if name not in BUILDERS:
        problems.append(FieldProblem(None, "report", name, "no such report", code="report_unknown",
                                     params={"choices": NAMES}))
    if start > end:
        problems.append(FieldProblem(None, "from", start.isoformat(), "after the end", code="report_period"))
    if problems:
        raise ValidationFailed(problems)
    return BUILDERS[name](ctx, start, end)


def plain(value: Any) -> Any:
    """A report value as JSON: a month as YYYY-MM, money as {amount, currency}, a Decimal as text."""
    if isinstance(value, Money):
        return {"amount": str(value.amount), "currency": value.currency}
    if isinstance(value, date):
        return value.strftime("%Y-%m")
    if isinstance(value, Decimal):
        return str(value)
    return value


def as_json(r: Report) -> dict[str, Any]:
    return {"report": r.name, "from": r.start.isoformat(), "to": r.end.isoformat(), "columns": list(r.columns),
            "rows": [{c: plain(v) for c, v in zip(r.columns, row)} for row in r.rows]}


"""Payment histories for ``bench/bench_prediction.py`` (issue 17): what each invoice was due and
when it was paid in full.

Four sources, each a list of customers, each customer a list of :class:`Inv` (due date, issue
date, the day it was paid in full or None if not by the data's end):

* :func:`demo` — the demo generator's business (:mod:`gvia.demo`), the days paid in full as gvia's
  own ledger (:func:`gvia.core.ledger.allocate`) computes them from its invoices and payments;
* :func:`drifting`, :func:`seasonal`, :func:`bimodal` — written here, independently of the demo
  generator's behaviours and their lateness parameters: customers whose lateness drifts over the
  years (some getting later, some earlier), customers who pay late in their slow months every
  year (summer, the autumn holidays, December), and customers who either pay about on time or
  wait for a second reminder (two modes, their own mix). Some customers start late in the
  period, so they have little history (the organization's distribution then counts most).

Each source is deterministic in its seed (``random.Random(seed)``; no global state).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from random import Random

END = date(2025, 11, 23)      # the data's last day ("today" of the demo business)


@dataclass(frozen=True, slots=True)
class Inv:
    issue: date
    due: date
    paid: date | None


Customer = list[Inv]


def _invoices(r: Random, first: date, end: date, terms: int, every: float) -> list[tuple[date, date]]:
    out = []
    day = first + timedelta(days=int(r.random() * every))
    while day <= end:
        out.append((day, day + timedelta(days=terms)))
        day += timedelta(days=max(1, int(r.expovariate(1 / every))))
    return out


def _start(r: Random, end: date, years: int) -> date:
    """When a customer starts buying: most at the beginning, one in five in the last year."""
    if r.random() < 0.2:
        return end - timedelta(days=int(r.random() * 330))
    return end - timedelta(days=365 * years - int(r.random() * 60))


def _paid(issue: date, due: date, late: float, end: date) -> date | None:
    day = max(issue, due + timedelta(days=round(late)))
    return day if day <= end else None


def drifting(customers: int, seed: int, end: date = END, years: int = 3) -> list[Customer]:
    """Lateness that drifts: a start between 5 days early and 40 late, moving by -15 to +45 days a
    year, with day-to-day noise (a normal spread of 3 to 12 days)."""
    r = Random(seed)
    out = []
    for _ in range(customers):
        first = _start(r, end, years)
        base, drift, noise = -5 + r.random() * 45, -15 + r.random() * 60, 3 + r.random() * 9
        terms = r.choice((0, 30, 45, 60))
        rows = []
        for issue, due in _invoices(r, first, end, terms, r.choice((14, 30, 30, 60))):
            late = base + drift * (due - first).days / 365 + r.gauss(0, noise)
            rows.append(Inv(issue, due, _paid(issue, due, late, end)))
        out.append(rows)
    return out


#: the slow months a seasonal payer may have (month numbers), and how much later they pay then
SLOW_SEASONS = ((7, 8), (9, 10), (12, 1), (3, 4))


def seasonal(customers: int, seed: int, end: date = END, years: int = 3) -> list[Customer]:
    """Late in their slow months: usually 0-15 days late, 20-75 days more for invoices due in
    their slow season (one of :data:`SLOW_SEASONS`), with noise."""
    r = Random(seed)
    out = []
    for _ in range(customers):
        first = _start(r, end, years)
        usual, extra, slow = r.random() * 15, 20 + r.random() * 55, r.choice(SLOW_SEASONS)
        terms = r.choice((30, 45, 60))
        rows = []
        for issue, due in _invoices(r, first, end, terms, r.choice((14, 30, 30))):
            late = usual + (extra if due.month in slow else 0) + r.gauss(0, 4)
            rows.append(Inv(issue, due, _paid(issue, due, late, end)))
        out.append(rows)
    return out


def bimodal(customers: int, seed: int, end: date = END, years: int = 3) -> list[Customer]:
    """Two modes: on time (0-5 days early or late) with a customer's own probability (20-90%),
    else after a second reminder (40-100 days late, their own centre)."""
    r = Random(seed)
    out = []
    for _ in range(customers):
        first = _start(r, end, years)
        p, second = 0.2 + r.random() * 0.7, 40 + r.random() * 60
        terms = r.choice((30, 45, 60))
        rows = []
        for issue, due in _invoices(r, first, end, terms, r.choice((14, 30, 30))):
            late = (r.random() * 10 - 5) if r.random() < p else second + r.gauss(0, 8)
            rows.append(Inv(issue, due, _paid(issue, due, late, end)))
        out.append(rows)
    return out


def demo(customers: int, seed: int, end: date = END) -> list[Customer]:
    """The demo generator's business: each invoice's day paid in full as gvia's ledger computes
    it (the latest payment allocated to an invoice it leaves with nothing open; an invoice
    closed by a credit note alone is left out, as is a bounced cheque's)."""
    from gvia.core.ledger import InvoiceRec, PaymentRec, allocate
    from gvia.core.money import Money
    from gvia.demo import INVOICE_FIELDS, PAYMENT_FIELDS, generate

    data = generate(customers, seed=seed, as_of=end)
    out = []
    for bundle in data.iter_bundles():
        invoices = [dict(zip(INVOICE_FIELDS, row)) for row in bundle.invoices]
        payments = [dict(zip(PAYMENT_FIELDS, row)) for row in bundle.payments]
        ids = {row["invoice_number"]: k for k, row in enumerate(invoices)}
        recs = [InvoiceRec(id=k, number=row["invoice_number"], kind=row["kind"],
                           issue_date=date.fromisoformat(row["issue_date"]),
                           due_date=date.fromisoformat(row["due_date"]),
                           amount=Money.of(row["amount"], row["currency"]),
                           applies_to=ids[row["applies_to"]] if row["applies_to"] else None)
                for k, row in enumerate(invoices)]
        bounced = set(bundle.bounced_cheques)
        pays, day_of = [], {}
        for k, row in enumerate(payments):
            value = date.fromisoformat(row["value_date"]) if row["value_date"] else None
            status = ("bounced" if row["cheque_number"] and row["cheque_number"] in bounced
                      else "pending" if value is not None and value > end else "cleared")
            day_of[k] = date.fromisoformat(row["date"])
            pays.append(PaymentRec(id=k, date=day_of[k], amount=Money.of(row["amount"], row["currency"]),
                                   withholding=Money.of(row["withholding"] or "0", row["currency"]),
                                   status=status, value_date=value,
                                   invoice_id=ids[row["invoice_number"]] if row["invoice_number"] else None,
                                   rate=Decimal(row["rate"]) if row["rate"] else None, method=row["method"],
                                   reference=row["reference"]))
        result = allocate(recs, pays, as_of=end)
        last: dict[int, date] = {}
        for a in result.allocations:
            if a.source == "payment":
                d = day_of[a.source_id]
                if a.invoice_id not in last or d > last[a.invoice_id]:
                    last[a.invoice_id] = d
        rows = []
        for k, rec in enumerate(recs):
            if rec.kind != "invoice":
                continue
            closed = result.open_amounts[k].amount == 0
            if closed and k not in last:
                continue                # closed by a credit note alone: not a payment
            rows.append(Inv(rec.issue_date, rec.due_date, last[k] if closed else None))
        out.append(rows)
    return out


SOURCES = {"demo": demo, "drifting": drifting, "seasonal": seasonal, "bimodal": bimodal}

"""Bulk reads and writes for the ledger: database rows <-> the core's records.

Reads are a fixed number of queries per chunk of customers (never one per invoice); writes use
``executemany`` inside the caller's transaction.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Iterable, Iterator, Sequence

from django.db import connection
from django.db.models import Sum

from gvia.core.ledger import Allocation, InvoiceRec, LedgerResult, PaymentRec
from gvia.core.money import Money

from . import bulk
from .models import Allocation as AllocationRow
from .models import Invoice, Payment, UnappliedCredit, WriteOff

CHUNK = 500  # ids per IN (...) — well under SQLite's parameter limit


def chunks(seq: Sequence[int], size: int = CHUNK) -> Iterator[Sequence[int]]:
    for i in range(0, len(seq), size):
        yield seq[i:i + size]


def _as_date(v) -> date:
    return v if isinstance(v, date) else date.fromisoformat(str(v))


def load_records(customer_ids: Iterable[int]) -> dict[int, tuple[list[InvoiceRec], list[PaymentRec]]]:
    """Invoices (incl. credit notes) and payments of the customers, as core records.

    An invoice's ``written_off`` is the sum of its approved write-offs (:class:`WriteOff`), never
    more than what ``settled_outside`` leaves of the amount (an export that already shows the
    written-off part as settled must not count it twice)."""
    ids = sorted(set(customer_ids))
    out: dict[int, tuple[list[InvoiceRec], list[PaymentRec]]] = {cid: ([], []) for cid in ids}
    for part in chunks(ids):
        written = dict(WriteOff.objects.filter(customer_id__in=part, status=WriteOff.Status.APPROVED)
                       .values_list("invoice_id").annotate(s=Sum("amount_minor")).order_by())
        rows = Invoice.objects.filter(customer_id__in=part).values_list(
            "id", "customer_id", "number", "kind", "issue_date", "due_date", "amount_minor", "currency",
            "settled_outside_minor", "applies_to_id")
        for (iid, cid, number, kind, issue, due, amount, cur, settled, applies) in rows.iterator(chunk_size=5000):
            out[cid][0].append(InvoiceRec(
                id=iid, number=number, kind=kind, issue_date=_as_date(issue), due_date=_as_date(due),
                amount=Money.from_minor(amount, cur), settled_outside=Money.from_minor(settled, cur),
                applies_to=applies,
                written_off=(Money.from_minor(min(written[iid], max(amount - settled, 0)), cur)
                             if written.get(iid) else None)))
        prow = Payment.objects.filter(customer_id__in=part).values_list(
            "id", "customer_id", "date", "value_date", "amount_minor", "currency", "withholding_minor",
            "status", "invoice_id", "rate", "method", "reference")
        for (pid, cid, d, vd, amount, cur, wh, status, inv, rate, method, ref) in prow.iterator(chunk_size=5000):
            out[cid][1].append(PaymentRec(
                id=pid, date=_as_date(d), value_date=_as_date(vd) if vd else None,
                amount=Money.from_minor(amount, cur), withholding=Money.from_minor(wh, cur), status=status,
                invoice_id=inv, rate=rate, method=method, reference=ref))
    return out


def save_results(org_id: int, results: dict[int, LedgerResult]) -> None:
    """Replace the derived allocations, open amounts and unapplied credit of these customers."""
    ids = sorted(results)
    for part in chunks(ids):
        AllocationRow.objects.filter(customer_id__in=part).delete()
        UnappliedCredit.objects.filter(customer_id__in=part).delete()
    alloc_rows: list[tuple] = []
    open_rows: list[tuple[int, int]] = []
    credit_rows: list[tuple] = []
    for cid in ids:
        res = results[cid]
        for a in res.allocations:
            alloc_rows.append(_allocation_row(org_id, cid, a))
        for iid, m in res.open_amounts.items():
            open_rows.append((m.minor, iid))
        for cur in res.unapplied:
            m = res.unapplied[cur]
            if not m.is_zero:
                credit_rows.append((org_id, cid, cur, m.minor))
    bulk.insert(AllocationRow._meta.db_table,
                ("organization_id", "customer_id", "invoice_id", "source", "payment_id", "credit_note_id",
                 "amount_minor", "source_amount_minor", "source_currency", "rate", "pending"), alloc_rows)
    bulk.update(Invoice._meta.db_table, "id", ("open_minor",), open_rows, ("int",))
    bulk.insert(UnappliedCredit._meta.db_table, ("organization_id", "customer_id", "currency", "amount_minor"),
                credit_rows)


def _allocation_row(org_id: int, cid: int, a: Allocation) -> tuple:
    payment_id = a.source_id if a.source == "payment" else None
    credit_id = a.source_id if a.source == "credit_note" else None
    return (org_id, cid, a.invoice_id, a.source, payment_id, credit_id, a.amount.minor,
            a.source_amount.minor, a.source_amount.currency, a.rate, a.pending)


def customers_with_activity(customer_ids: Iterable[int]) -> set[int]:
    """Customers that have payments, credit notes or approved write-offs (their open amounts
    need the allocator)."""
    ids = sorted(set(customer_ids))
    found: set[int] = set()
    for part in chunks(ids):
        found.update(Payment.objects.filter(customer_id__in=part).values_list("customer_id", flat=True).distinct())
        found.update(Invoice.objects.filter(customer_id__in=part, kind=Invoice.Kind.CREDIT_NOTE)
                     .values_list("customer_id", flat=True).distinct())
        found.update(WriteOff.objects.filter(customer_id__in=part, status=WriteOff.Status.APPROVED)
                     .values_list("customer_id", flat=True).distinct())
    return found

"""Bulk reads and writes for the ledger: database rows <-> the core's records.

Reads are a fixed number of queries per chunk of customers (never one per invoice); writes use
``executemany`` inside the caller's transaction.
"""

from __future__ import annotations

from datetime import date
from typing import Iterable, Iterator, Sequence

from django.db import connection
from django.db.models import F, Sum

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


def _dates():
    """A database date value (a date, or ISO text on SQLite) -> date, remembered."""
    known: dict[object, date] = {}

    def day(v) -> date:
        d = known.get(v)
        if d is None:
            d = known[v] = _as_date(v)
        return d
    return day


def load_records(customer_ids: Iterable[int]) -> dict[int, tuple[list[InvoiceRec], list[PaymentRec]]]:
    """Invoices (incl. credit notes) and payments of the customers, as core records.

    An invoice's ``written_off`` is the sum of its approved write-offs (:class:`WriteOff`), never
    more than what ``settled_outside`` leaves of the amount (an export that already shows the
    written-off part as settled must not count it twice)."""
    ids = sorted(set(customer_ids))
    out: dict[int, tuple[list[InvoiceRec], list[PaymentRec]]] = {cid: ([], []) for cid in ids}
    day = _dates()
    # SQLite's driver parses every date column value by its declared type; as text, each
    # distinct date is parsed once by ``day``
    dates = ("CAST(issue_date AS TEXT), CAST(due_date AS TEXT)" if connection.vendor == "sqlite"
             else "issue_date, due_date")
    for part in chunks(ids):
        written = dict(WriteOff.objects.filter(customer_id__in=part, status=WriteOff.Status.APPROVED)
                       .values_list("invoice_id").annotate(s=Sum("amount_minor")).order_by())
        with connection.cursor() as cur_:  # plain SQL: no per-value converters; dates read once each
            cur_.execute(f"SELECT id, customer_id, number, kind, {dates}, amount_minor, currency, "
                         f"settled_outside_minor, applies_to_id FROM {Invoice._meta.db_table} "
                         f"WHERE customer_id IN ({', '.join(['%s'] * len(part))})", list(part))
            rows = cur_.fetchall()
        for (iid, cid, number, kind, issue, due, amount, cur, settled, applies) in rows:
            out[cid][0].append(InvoiceRec(
                id=iid, number=number, kind=kind, issue_date=day(issue), due_date=day(due),
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


def customers_with_activity(customer_ids: Iterable[int], org_id: int | None = None) -> set[int]:
    """Of these customers, those whose open amounts need the allocator: any with payments,
    approved write-offs, a credit note with credit left to apply (amount above what was
    settled outside gvia), or allocations or unapplied credit already recorded.

    For every other customer the allocator's answer is known without running it: each
    invoice's open amount is its amount less what was settled outside gvia, with no
    allocations and no unapplied credit (a credit note with nothing left allocates nothing;
    a property test in tests/core checks this against :func:`gvia.core.ledger.allocate`).

    With ``org_id`` and many customers, one organization-wide query per kind of activity
    replaces one per chunk of ids."""
    ids = sorted(set(customer_ids))
    found: set[int] = set()
    if org_id is not None and len(ids) > 4 * CHUNK:
        for qs in _activity(organization_id=org_id):
            found.update(qs)
        return found.intersection(ids)
    for part in chunks(ids):
        for qs in _activity(customer_id__in=part):
            found.update(qs)
    return found


def _activity(**where) -> list:
    """The customer ids of each kind of activity that needs the allocator, filtered by ``where``."""
    return [qs.filter(**where).values_list("customer_id", flat=True).distinct().order_by() for qs in (
        Payment.objects.all(),
        WriteOff.objects.filter(status=WriteOff.Status.APPROVED),
        Invoice.objects.filter(kind=Invoice.Kind.CREDIT_NOTE, amount_minor__gt=F("settled_outside_minor")),
        AllocationRow.objects.all(),
        UnappliedCredit.objects.all(),
    )]

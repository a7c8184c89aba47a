"""Ledger use cases: recompute open amounts, aging, statement of account, customer list, bounces.

The rules are in ``gvia.core.ledger`` / ``aging`` / ``statement``; this module only moves data
between the store and the core, in bulk.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Callable, Iterable

from django.db import transaction
from django.db.models import Sum

from gvia.core import aging as core_aging
from gvia.core import statement as core_statement
from gvia.core.errors import NotFoundFor, RefusedFor
from gvia.core.ledger import LedgerResult, allocate
from gvia.core.money import Money, Totals
from gvia.services import audit, settings
from gvia.services.context import Ctx
from gvia.store import ledger_store
from gvia.store.models import Customer, Invoice, Organization, Payment, UnappliedCredit

Progress = Callable[[int], None] | None


def tolerance_for(org: Organization) -> dict[str, Decimal]:
    """The organization's auto-settle tolerance (the ``tolerance`` setting), the same number of
    units in every currency."""
    value = Decimal(settings.value(org, "tolerance"))
    return defaultdict(lambda: value)


def recompute(ctx: Ctx, customer_ids: Iterable[int], progress: Progress = None, batch: int = 2000) -> int:
    """Re-derive allocations, open amounts and unapplied credit of the customers from scratch."""
    ids = sorted(set(customer_ids))
    tolerance = tolerance_for(ctx.org)
    for i in range(0, len(ids), batch):
        part = ids[i:i + batch]
        records = ledger_store.load_records(part)
        results = {cid: allocate(inv, pay, tolerance=tolerance) for cid, (inv, pay) in records.items()}
        ledger_store.save_results(ctx.org.id, results)
        if progress:
            progress(len(part))
    return len(ids)


RECORDS_READ = "_gvia_ledger_records"   # set by read_ahead_records for a batch of letters
_LEDGER_MEMO = "_gvia_ledger_memo"


def read_ahead_records(customers) -> None:
    """Read the invoices and payments of many customers at once and keep them on each
    Customer record, for many documents in a row (a dispatch batch composed within seconds)."""
    customers = list(customers)
    records = ledger_store.load_records([c.id for c in customers])
    for c in customers:
        setattr(c, RECORDS_READ, records[c.id])
        setattr(c, _LEDGER_MEMO, {})


def customer_ledger(customer: Customer, as_of: date | None = None) -> tuple[list, list, LedgerResult]:
    """The customer's records and their allocation (as of a day: later records are left out)."""
    pre = getattr(customer, RECORDS_READ, None)
    memo = getattr(customer, _LEDGER_MEMO, None)
    if memo is not None and as_of in memo:
        return memo[as_of]
    invoices, payments = pre if pre is not None else ledger_store.load_records([customer.id])[customer.id]
    result = allocate(invoices, payments, tolerance=tolerance_for(customer.organization), as_of=as_of)
    if memo is not None:
        memo[as_of] = (invoices, payments, result)
    return invoices, payments, result


def get_customer(ctx: Ctx, ref: str) -> Customer:
    customer = Customer.objects.filter(organization=ctx.org, ref=ref).first()
    if customer is None:
        raise NotFoundFor("no_customer", f"no customer with reference {ref!r} in {ctx.org.name}", ref=ref)
    return customer


def unapplied_totals(ctx: Ctx, customer_id: int | None = None) -> Totals:
    qs = UnappliedCredit.objects.filter(organization=ctx.org)
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
    rows = qs.values("currency").annotate(s=Sum("amount_minor"))
    return Totals(Money.from_minor(r["s"], r["currency"]) for r in rows if r["s"])


def aging(ctx: Ctx, as_of: date, edges: tuple[int, ...] = core_aging.BUCKETS_DEFAULT
          ) -> tuple[core_aging.AgingReport, Totals]:
    """Aging of the open invoices per currency. One grouped query; the core assigns buckets."""
    rows = (Invoice.objects.filter(organization=ctx.org, kind=Invoice.Kind.INVOICE).exclude(open_minor=0)
            .values_list("currency", "due_date").annotate(s=Sum("open_minor")).order_by())
    items = [(_d(due), Money.from_minor(s, cur)) for cur, due, s in rows]
    return core_aging.age(items, as_of, edges), unapplied_totals(ctx)


@dataclass
class CustomerAging:
    customer_id: int
    ref: str
    name: str
    report: core_aging.AgingReport


def aging_by_customer(ctx: Ctx, as_of: date, edges: tuple[int, ...] = core_aging.BUCKETS_DEFAULT,
                      overdue_only: bool = False) -> list[CustomerAging]:
    rows = (Invoice.objects.filter(organization=ctx.org, kind=Invoice.Kind.INVOICE).exclude(open_minor=0)
            .values_list("customer_id", "currency", "due_date").annotate(s=Sum("open_minor")).order_by())
    per: dict[int, list] = defaultdict(list)
    for cid, cur, due, s in rows:
        per[cid].append((_d(due), Money.from_minor(s, cur)))
    names = dict((cid, (ref, name)) for cid, ref, name in
                 Customer.objects.filter(organization=ctx.org, id__in=list(per)).values_list("id", "ref", "name")
                 ) if len(per) < 5000 else dict(
        (cid, (ref, name)) for cid, ref, name in
        Customer.objects.filter(organization=ctx.org).values_list("id", "ref", "name").iterator(chunk_size=10000))
    out = []
    for cid, items in per.items():
        if overdue_only and not any(due < as_of for due, _ in items):
            continue
        ref, name = names[cid]
        out.append(CustomerAging(cid, ref, name, core_aging.age(items, as_of, edges)))
    out.sort(key=lambda c: c.ref)
    return out


def statement(ctx: Ctx, ref: str, as_of: date):
    customer = get_customer(ctx, ref)
    return customer, statement_of(customer, as_of)[0]


def statement_of(customer: Customer, as_of: date) -> tuple[core_statement.Statement, dict[int, date]]:
    """The statement of a customer the caller has (the organization's, with its organization), and
    the due date of each of its invoices by id (read with the records: the web page shows them)."""
    invoices, payments, result = customer_ledger(customer, as_of)
    return core_statement.statement(invoices, payments, result, as_of), {i.id: i.due_date for i in invoices}


def _d(v) -> date:
    return v if isinstance(v, date) else date.fromisoformat(str(v))


@transaction.atomic
def bounce_cheque(ctx: Ctx, number: str, customer_ref: str | None = None):
    """Mark a cheque bounced: its allocations are reversed and the invoices are open again."""
    ctx.require("collector", "marking a cheque bounced")
    qs = Payment.objects.select_for_update().filter(organization=ctx.org, method=Payment.Method.CHEQUE,
                                                    cheque_number=number)
    if customer_ref:
        qs = qs.filter(customer__ref=customer_ref)
    found = list(qs)
    if not found:
        raise NotFoundFor("cheque_unknown", f"no cheque number {number!r}", number=number)
    if len(found) > 1:
        raise RefusedFor("cheque_several_customers", f"cheque {number!r} of several customers", number=number,
                         refs=tuple(sorted({p.customer.ref for p in found})))
    payment = found[0]
    if payment.status == Payment.Status.BOUNCED:
        raise RefusedFor("cheque_already_bounced", f"cheque {number} bounced already", number=number)
    before = payment.status
    payment.status = Payment.Status.BOUNCED
    payment.save(update_fields=["status"])
    recompute(ctx, [payment.customer_id])
    audit.record(ctx, "cheque.bounced", payment, number=number, previous_status=before,
                 amount=str(Money.from_minor(payment.amount_minor, payment.currency)))
    return payment

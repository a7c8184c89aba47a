"""Read-only queries for the pages: what a screen shows, fetched in a fixed number of queries.

Nothing here changes data and nothing here decides a business rule; amounts come from the
ledger's derived columns (``Invoice.open_minor``) that the ledger service keeps. Every query is
scoped to ``ctx.org``. No query runs per row: a page of customers is one query for the page and
one for the balances of the customers on it.

Status of an invoice on screen (:func:`invoice_status`), as in ``gvia.core.aging``: an invoice is
*overdue* when something is open and ``today`` is after its due date (days past due =
``(today - due_date).days`` > 0), *open* when something is open and it is not yet late, *paid*
when nothing is open. Credit notes have their own status.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import BigIntegerField, Case, Count, Exists, F, Min, OuterRef, Q, Sum, When

from gvia.core import aging as core_aging
from gvia.core.money import Money, Totals
from gvia.services.context import Ctx
from gvia.store.models import (Allocation, Contact, Customer, Document, ImportRun, Invoice, Payment,
                               UnappliedCredit)

PER_PAGE = 50
FEW = 500           # a search with at most this many matches is ordered after it is found
SORTS = ("name", "-name", "ref", "-ref", "-overdue", "overdue", "-days", "days")
AMOUNT_SORTS = ("-overdue", "overdue")
AGGREGATE_SORTS = ("-overdue", "overdue", "-days", "days")
OVERDUE_ANY, OVERDUE_NONE = "any", "none"


def _d(v) -> date:
    return v if isinstance(v, date) else date.fromisoformat(str(v))


def overdue_ranges(edges: tuple[int, ...] = core_aging.BUCKETS_DEFAULT) -> dict[str, tuple[int, int | None]]:
    """The overdue ranges of the filter, from the aging buckets: name -> (after, up to) days
    past due, e.g. "31-60" -> (30, 60), "180+" -> (180, None)."""
    names = core_aging.bucket_names(edges)[1:]
    bounds = list(zip(edges, list(edges[1:]) + [None]))
    return dict(zip(names, bounds))


# --- customer list -----------------------------------------------------------------------------

@dataclass(frozen=True)
class CustomerFilter:
    """What the customer list asks for. Build with :meth:`from_query` from the URL."""

    q: str = ""
    currency: str = ""
    overdue: str = ""          # "", "any", "none", or an overdue range ("31-60", "180+")
    sort: str = "name"
    page: int = 1

    @classmethod
    def from_query(cls, params, default_currency: str) -> "CustomerFilter":
        q = (params.get("q") or "").strip()[:100]
        currency = (params.get("currency") or "").strip().upper()[:3]
        overdue = params.get("overdue") or ""
        if overdue not in (OVERDUE_ANY, OVERDUE_NONE, *overdue_ranges()):
            overdue = ""
        sort = params.get("sort") or "name"
        if sort not in SORTS:
            sort = "name"
        try:
            page = max(1, int(params.get("page") or 1))
        except ValueError:
            page = 1
        # Ordering by the overdue amount needs one currency (amounts of two currencies are never
        # compared) and lists the customers who have something overdue; both are shown in the form.
        if sort in AMOUNT_SORTS and not currency:
            currency = default_currency
        if sort in AGGREGATE_SORTS and overdue in ("", OVERDUE_NONE):
            overdue = OVERDUE_ANY
        return cls(q, currency, overdue, sort, page)


@dataclass(frozen=True)
class Balance:
    open: Totals = field(default_factory=Totals)
    overdue: Totals = field(default_factory=Totals)
    days_overdue: int | None = None     # of the oldest overdue invoice


@dataclass(frozen=True)
class CustomerRow:
    id: int
    ref: str
    name: str
    tax_id: str
    phone: str
    email: str
    do_not_chase: bool
    balance: Balance


@dataclass(frozen=True)
class CustomerPage:
    rows: list[CustomerRow]
    total: int
    page: int
    pages: int
    filter: CustomerFilter

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def previous_page(self) -> int:
        return max(1, self.page - 1)

    @property
    def next_page(self) -> int:
        return min(self.pages, self.page + 1)

    @property
    def first_index(self) -> int:
        return (self.page - 1) * PER_PAGE + 1 if self.rows else 0

    @property
    def last_index(self) -> int:
        return (self.page - 1) * PER_PAGE + len(self.rows)


_DIGITS = re.compile(r"\D+")
_NUMBERISH = re.compile(r"^[\d\s\-+().\/]+$")


def search_condition(q: str) -> Q:
    """Customers matching ``q``: an e-mail searches e-mails; a number (digits, spaces, dashes)
    searches reference, tax id and, from six digits, phones (0501234567 also finds
    +972501234567); anything else searches name and reference. Contacts' e-mails, phones and
    names count as the customer's."""
    q = q.strip()
    if not q:
        return Q()
    if "@" in q:
        return Q(email__icontains=q) | Q(id__in=Contact.objects.filter(email__icontains=q).values("customer_id"))
    digits = _DIGITS.sub("", q)
    if digits and _NUMBERISH.match(q):
        cond = Q(ref__icontains=q) | Q(ref__icontains=digits) | Q(tax_id__contains=digits)
        if len(digits) >= 6:
            phone = digits[1:] if digits.startswith("0") else digits
            cond |= Q(phone__contains=phone) | Q(id__in=Contact.objects.filter(phone__contains=phone)
                                                  .values("customer_id"))
        return cond
    return (Q(name__icontains=q) | Q(ref__icontains=q)
            | Q(id__in=Contact.objects.filter(name__icontains=q).values("customer_id")))


def _open_invoices(ctx: Ctx):
    return Invoice.objects.filter(organization=ctx.org, kind=Invoice.Kind.INVOICE).exclude(open_minor=0)


def customer_page(ctx: Ctx, f: CustomerFilter, today: date) -> CustomerPage:
    """One page of the customer list (:data:`PER_PAGE` rows) with each customer's balance."""
    customers = Customer.objects.filter(organization=ctx.org)
    if f.q:
        customers = customers.filter(search_condition(f.q))
    ranges = overdue_ranges()
    offset = (f.page - 1) * PER_PAGE
    if f.overdue == OVERDUE_NONE:
        # nothing late (with a currency: something open in it, nothing late in it); the late
        # customers are one list the database builds once
        late = _open_invoices(ctx).filter(due_date__lt=today)
        if f.currency:
            late = late.filter(currency=f.currency)
            customers = customers.filter(id__in=_open_invoices(ctx).filter(currency=f.currency)
                                         .values("customer_id"))
        customers = customers.exclude(id__in=late.values("customer_id"))
    late_only = f.overdue in (OVERDUE_ANY, *ranges)
    fields = ("id", "ref", "name", "tax_id", "phone", "email", "do_not_chase")
    by_customer = {"name": ("name", "id"), "-name": ("-name", "-id"), "ref": ("ref", "id"), "-ref": ("-ref", "-id")}
    if late_only or (f.currency and f.overdue != OVERDUE_NONE):
        # One grouped query over the open invoices: per customer the amount (overdue, or open in
        # the currency) and the oldest due date. It counts the customers, and gives the page
        # itself when the order is by amount or age; ordered by name or reference, the page is
        # read from the customers in index order, each checked against its own invoices.
        inv = _open_invoices(ctx)
        if f.currency:
            inv = inv.filter(currency=f.currency)
        if late_only:
            inv = inv.filter(due_date__lt=today)
        if f.q:
            inv = inv.filter(customer__in=customers.values("id"))
        agg = inv.values("customer_id").annotate(total=Sum("open_minor"), oldest=Min("due_date")).order_by()
        if f.overdue in ranges:
            after, up_to = ranges[f.overdue]
            agg = agg.filter(oldest__lt=today - timedelta(days=after))
            if up_to is not None:
                agg = agg.filter(oldest__gte=today - timedelta(days=up_to))
        total = agg.count()
        if f.sort in AGGREGATE_SORTS:
            order = {"-overdue": ("-total", "customer_id"), "overdue": ("total", "customer_id"),
                     "-days": ("oldest", "customer_id"), "days": ("-oldest", "customer_id")}[f.sort]
            ids = [r["customer_id"] for r in agg.order_by(*order)[offset:offset + PER_PAGE]]
            found = {c["id"]: c for c in Customer.objects.filter(organization=ctx.org, id__in=ids).values(*fields)}
            records = [found[i] for i in ids if i in found]
        else:
            records = list(customers.filter(_has_open(f, today, ranges)).order_by(*by_customer[f.sort])
                           .values(*fields)[offset:offset + PER_PAGE])
    else:
        few = list(customers.values_list("id", flat=True)[:FEW + 1]) if f.q else []
        if f.q and len(few) <= FEW:
            # Few matches: found in one scan, then only those are ordered. Walking the name
            # index to find a handful of matches would touch every customer.
            total = len(few)
            customers = Customer.objects.filter(organization=ctx.org, id__in=few)
        else:
            total = customers.count()
        records = list(customers.order_by(*by_customer[f.sort]).values(*fields)[offset:offset + PER_PAGE])
    balances = customer_balances(ctx, [r["id"] for r in records], today)
    rows = [CustomerRow(r["id"], r["ref"], r["name"], r["tax_id"], r["phone"], r["email"], r["do_not_chase"],
                        balances.get(r["id"], Balance())) for r in records]
    pages = max(1, -(-total // PER_PAGE))
    return CustomerPage(rows, total, min(f.page, pages) if rows else f.page, pages, f)


def _has_open(f: CustomerFilter, today: date, ranges: dict) -> Q:
    """The same customers as the grouped query of :func:`customer_page`, as conditions on one
    customer's own invoices (EXISTS), so customers can be read in name order."""
    def exists(before: date | None = None) -> Exists:
        inv = Invoice.objects.filter(customer=OuterRef("pk"), kind=Invoice.Kind.INVOICE).exclude(open_minor=0)
        if f.currency:
            inv = inv.filter(currency=f.currency)
        if before is not None:
            inv = inv.filter(due_date__lt=before)
        return Exists(inv)

    if f.overdue == "":
        return Q(exists())
    if f.overdue == OVERDUE_ANY:
        return Q(exists(today))
    after, up_to = ranges[f.overdue]     # the oldest overdue invoice is after..up_to days late
    cond = Q(exists(today - timedelta(days=after)))
    if up_to is not None:
        cond &= ~Q(exists(today - timedelta(days=up_to)))
    return cond


def customer_balances(ctx: Ctx, customer_ids: list[int], today: date) -> dict[int, Balance]:
    """Open and overdue amounts per currency, and the oldest days overdue, of these customers."""
    if not customer_ids:
        return {}
    late = Case(When(due_date__lt=today, then=F("open_minor")), default=0, output_field=BigIntegerField())
    rows = (_open_invoices(ctx).filter(customer_id__in=customer_ids)
            .values("customer_id", "currency")
            .annotate(open=Sum("open_minor"), overdue=Sum(late),
                      oldest=Min(Case(When(due_date__lt=today, then=F("due_date")), default=None)))
            .order_by())
    parts: dict[int, dict] = defaultdict(lambda: {"open": [], "overdue": [], "oldest": None})
    for r in rows:
        e = parts[r["customer_id"]]
        e["open"].append(Money.from_minor(r["open"], r["currency"]))
        if r["overdue"]:
            e["overdue"].append(Money.from_minor(r["overdue"], r["currency"]))
        if r["oldest"] is not None:
            oldest = _d(r["oldest"])
            e["oldest"] = min(e["oldest"], oldest) if e["oldest"] else oldest
    return {cid: Balance(Totals(e["open"]), Totals(e["overdue"]),
                         (today - e["oldest"]).days if e["oldest"] else None)
            for cid, e in parts.items()}


CURRENCIES_TTL = 300   # seconds the currency list of the filter is kept


def currencies_in_use(ctx: Ctx) -> list[str]:
    """The currencies of the organization's open invoices, its own currency first.

    Reading them means a pass over the open invoices, so the list (only the choices of a
    filter) is kept in Django's cache for a few minutes."""
    def read() -> list[str]:
        found = set(_open_invoices(ctx).values_list("currency", flat=True).distinct().order_by())
        own = ctx.org.default_currency
        return [own] + sorted(found - {own})

    return cache.get_or_set(f"gvia:web:currencies:{ctx.org.id}", read, CURRENCIES_TTL)


# --- dashboard ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Dashboard:
    aging: object                  # gvia.core.aging.AgingReport
    unapplied: Totals
    overdue: Totals                # every bucket but "not yet due"
    customers: int
    customers_overdue: int
    open_invoices: int
    overdue_invoices: int
    last_import: ImportRun | None


def dashboard(ctx: Ctx, today: date) -> Dashboard:
    from gvia.services import ledger

    report, unapplied = ledger.aging(ctx, today)
    overdue = [report.total(c) - report.currencies[c][core_aging.NOT_DUE] for c in report.currencies]
    counts = _open_invoices(ctx).aggregate(
        open=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today)))
    customers_overdue = (_open_invoices(ctx).filter(due_date__lt=today)
                         .values("customer_id").distinct().order_by().count())
    return Dashboard(
        aging=report, unapplied=unapplied,
        overdue=Totals(m for m in overdue if m),
        customers=Customer.objects.filter(organization=ctx.org).count(),
        customers_overdue=customers_overdue,
        open_invoices=counts["open"] or 0, overdue_invoices=counts["overdue"] or 0,
        last_import=ImportRun.objects.filter(organization=ctx.org).order_by("-at").first(),
    )


# --- one customer ------------------------------------------------------------------------------

def invoice_status(kind: str, open_minor: int, due_date: date, today: date) -> tuple[str, int]:
    """("overdue", days past due) / ("open", 0) / ("paid", 0) / ("credit_note", 0)."""
    if kind == Invoice.Kind.CREDIT_NOTE:
        return "credit_note", 0
    if open_minor == 0:
        return "paid", 0
    days = (today - due_date).days
    return ("overdue", days) if days > 0 else ("open", 0)


@dataclass(frozen=True)
class InvoiceRow:
    id: int
    number: str
    kind: str
    issue_date: date
    due_date: date
    amount: Money
    open: Money
    status: str
    days_overdue: int
    po_number: str = ""
    description: str = ""


def _invoice_row(i: Invoice, today: date) -> InvoiceRow:
    status, days = invoice_status(i.kind, i.open_minor, i.due_date, today)
    return InvoiceRow(i.id, i.number, i.kind, i.issue_date, i.due_date,
                      Money.from_minor(i.amount_minor, i.currency), Money.from_minor(i.open_minor, i.currency),
                      status, days, i.po_number, i.description)


@dataclass(frozen=True)
class PaymentRow:
    id: int
    date: date
    value_date: date | None
    amount: Money
    withholding: Money
    method: str
    cheque_number: str
    reference: str
    status: str
    invoice_number: str


def _payment_row(p: Payment) -> PaymentRow:
    return PaymentRow(p.id, p.date, p.value_date, Money.from_minor(p.amount_minor, p.currency),
                      Money.from_minor(p.withholding_minor, p.currency), p.method, p.cheque_number,
                      p.reference, p.status, p.invoice.number if p.invoice_id else "")


@dataclass(frozen=True)
class CustomerDetail:
    customer: Customer
    contacts: list[Contact]
    addresses: list
    balance: Balance
    unapplied: Totals
    invoices: list[InvoiceRow]
    invoices_total: int
    payments: list[PaymentRow]
    payments_total: int
    documents: list[Document]


def customer_detail(ctx: Ctx, customer: Customer, today: date, limit: int = 200) -> CustomerDetail:
    """Everything the customer page shows, newest invoices and payments first (up to ``limit``)."""
    invoices = Invoice.objects.filter(organization=ctx.org, customer=customer)
    payments = Payment.objects.filter(organization=ctx.org, customer=customer).select_related("invoice")
    unapplied = Totals(Money.from_minor(u.amount_minor, u.currency)
                       for u in UnappliedCredit.objects.filter(organization=ctx.org, customer=customer)
                       if u.amount_minor)
    return CustomerDetail(
        customer=customer,
        contacts=list(customer.contacts.order_by("-is_primary", "-is_billing", "name", "id")),
        addresses=list(customer.addresses.order_by("id")),
        balance=customer_balances(ctx, [customer.id], today).get(customer.id, Balance()),
        unapplied=unapplied,
        invoices=[_invoice_row(i, today) for i in invoices.order_by("-issue_date", "-id")[:limit]],
        invoices_total=invoices.count(),
        payments=[_payment_row(p) for p in payments.order_by("-date", "-id")[:limit]],
        payments_total=payments.count(),
        documents=list(Document.objects.filter(organization=ctx.org, customer=customer)
                       .select_related("invoice", "uploaded_by").order_by("-created_at", "-id")),
    )


# --- one invoice -------------------------------------------------------------------------------

@dataclass(frozen=True)
class AllocationRow:
    source: str                 # payment / credit_note / tolerance
    amount: Money               # in the invoice's currency
    source_amount: Money        # in the payment's currency
    pending: bool
    payment: PaymentRow | None
    credit_note_id: int | None
    credit_note_number: str


@dataclass(frozen=True)
class InvoiceDetail:
    invoice: Invoice
    row: InvoiceRow
    settled_outside: Money
    allocations: list[AllocationRow]
    credit_notes: list[InvoiceRow]
    applies_to: InvoiceRow | None
    documents: list[Document]


def invoice_detail(ctx: Ctx, invoice: Invoice, today: date) -> InvoiceDetail:
    allocations = []
    # the invoice is the organization's (the view found it so): its own rows, by its own index
    for a in (Allocation.objects.filter(invoice=invoice)
              .select_related("payment", "payment__invoice", "credit_note").order_by("id")):
        allocations.append(AllocationRow(
            a.source, Money.from_minor(a.amount_minor, invoice.currency),
            Money.from_minor(a.source_amount_minor, a.source_currency), a.pending,
            _payment_row(a.payment) if a.payment_id else None,
            a.credit_note_id, a.credit_note.number if a.credit_note_id else ""))
    credit_notes = [_invoice_row(c, today) for c in
                    Invoice.objects.filter(applies_to=invoice).order_by("issue_date", "id")]
    applies_to = None
    if invoice.applies_to_id:
        target = Invoice.objects.filter(organization=ctx.org, id=invoice.applies_to_id).first()
        applies_to = _invoice_row(target, today) if target else None
    return InvoiceDetail(
        invoice=invoice, row=_invoice_row(invoice, today),
        settled_outside=Money.from_minor(invoice.settled_outside_minor, invoice.currency),
        allocations=allocations, credit_notes=credit_notes, applies_to=applies_to,
        documents=list(Document.objects.filter(invoice=invoice).order_by("-created_at")),
    )


# --- choices of the case forms -----------------------------------------------------------------

def open_invoice_numbers(customer: Customer, limit: int = 300) -> list[str]:
    """The customer's open invoices, oldest due first: what a call or a dispute may name."""
    return list(Invoice.objects.filter(organization_id=customer.organization_id, customer=customer,
                                       kind=Invoice.Kind.INVOICE).exclude(open_minor=0)
                .order_by("due_date", "id").values_list("number", flat=True)[:limit])


def open_currencies(customer: Customer) -> list[str]:
    """The currencies the customer owes in (an arrangement is in one of them)."""
    return sorted(set(Invoice.objects.filter(organization_id=customer.organization_id, customer=customer,
                                             kind=Invoice.Kind.INVOICE).exclude(open_minor=0)
                      .values_list("currency", flat=True).distinct().order_by()))

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

import hashlib
import re
from array import array
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import reduce
from operator import or_
from typing import cast

from django.core.cache import cache
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan
from django.utils.safestring import SafeString

from gvia.core import aging as core_aging
from gvia.core.money import Money, Totals
from gvia.services.context import Ctx
from gvia.services.ledger import books as ledger
from gvia.store import prepared
from gvia.store.models import (
    Address,
    Allocation,
    Contact,
    Customer,
    Dispute,
    Document,
    ImportRun,
    Invoice,
    Payment,
    UnappliedCredit,
)

from . import cached, customer_rows, name_search
from .links import id_property

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
    credit_hold: bool = False


@dataclass(frozen=True)
class CustomerPage:
    rows: list[CustomerRow]
    total: int | None        # None: not counted (counting would read every match)
    page: int
    has_next: bool
    filter: CustomerFilter

    @property
    def pages(self) -> int | None:
        return max(1, -(-self.total // PER_PAGE)) if self.total is not None else None

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def rows_html(self) -> SafeString:
        """The table's rows (:mod:`gvia.web.customer_rows`: cheaper than the template's loop)."""
        return customer_rows.rows_html(self.rows)

    @property
    def previous_page(self) -> int:
        return max(1, self.page - 1)

    @property
    def next_page(self) -> int:
        return self.page + 1

    @property
    def first_index(self) -> int:
        return (self.page - 1) * PER_PAGE + 1 if self.rows else 0

    @property
    def last_index(self) -> int:
        return (self.page - 1) * PER_PAGE + len(self.rows)


_DIGITS = re.compile(r"\D+")
_NUMBERISH = re.compile(r"^[\d\s\-+().\/]+$")
_LAST = "\U0010ffff"     # after every character: [p, p + _LAST) holds the texts starting with p


def _prefix(field: str, p: str) -> Q:
    """Texts starting with ``p``, as a range an index on ``field`` answers (``startswith`` alone
    is a LIKE, which SQLite answers from an index only when LIKE is case-sensitive)."""
    return Q(**{f"{field}__gte": p, f"{field}__lt": p + _LAST, f"{field}__startswith": p})


def _contains(field: str, q: str) -> Q:
    """``field`` contains ``q``, ignoring case. Text without upper and lower case (Hebrew, digits)
    is found by position (SQLite's instr, PostgreSQL's strpos): the same matches as LIKE, which
    is slower for not-ASCII text, at about half the cost of a pass over many rows. Names on
    PostgreSQL with pg_trgm's indexes (:func:`gvia.web.name_search.pg_trigrams`): always icontains,
    which those indexes answer."""
    if q.upper() == q.lower() and not (field == "name" and name_search.pg_trigrams()):
        return Q(GreaterThan(StrIndex(field, Value(q)), 0))
    return Q(**{f"{field}__icontains": q})


def _phones(digits: str) -> set[str]:
    """How a phone typed as ``digits`` may be stored: as typed, or in international form
    (0501234567 -> +972501234567)."""
    out = {digits, "+" + digits}
    if digits.startswith("0") and len(digits) > 1:
        out.add("+972" + digits[1:])
    return out


def _search_parts(ctx: Ctx, q: str) -> list[tuple[Q, Callable[[int], list[int]], bool]]:
    """What ``q`` is matched against, each part as (a condition on the customer, a function giving
    up to n ids of the matching customers, whether those ids are all the organization's). Each
    kind of text is searched where an index answers it:

    * an e-mail (has "@"): the e-mails of customers and their contacts starting with it;
    * a number (digits, spaces, dashes): the reference containing it (a pass over the reference
      index), the tax id equal to its digits and, from six digits, a phone of the customer or of a
      contact equal to it (0501234567 also finds +972501234567);
    * anything else: the name containing it, the reference starting with it, or a contact's name
      containing it. On SQLite a text of 3 characters or more is found in the names' trigram
      indexes (:mod:`gvia.web.name_search`: any letters' case ignored); a shorter one, or on
      PostgreSQL, by a pass over the names that stops after n matches (ASCII case ignored).

    The contacts' parts and the name indexes are not limited to the organization (that would read
    them customer by customer): the customers they give are checked against it after.
    """
    customers = Customer.objects.filter(organization=ctx.org)

    def own(cond: Q) -> tuple[Q, Callable[[int], list[int]], bool]:
        return cond, lambda n: list(customers.filter(cond).values_list("id", flat=True)[:n]), True

    def theirs(cond: Q) -> tuple[Q, Callable[[int], list[int]], bool]:
        contacts = Contact.objects.filter(cond)
        return (Q(id__in=contacts.values("customer_id")),
                lambda n: list(contacts.values_list("customer_id", flat=True)[:n]), False)

    if "@" in q:
        emails = reduce(or_, (_prefix("email", p) for p in {q, q.lower()}))
        return [own(emails), theirs(emails)]
    digits = _DIGITS.sub("", q)
    if digits and _NUMBERISH.match(q):
        parts = [own(_contains("ref", q) | _contains("ref", digits)), own(Q(tax_id=digits))]
        if len(digits) >= 6:
            phones = _phones(digits) | {q}
            parts += [own(Q(phone__in=phones)), theirs(Q(phone__in=phones))]
        return parts
    refs = reduce(or_, (_prefix("ref", p) for p in {q, q.upper(), q.lower()}))
    if not name_search.available(q):
        return [own(_contains("name", q)), own(refs), theirs(_contains("name", q))]
    names = own(_contains("name", q))[0]            # walking the customers in order, page by page
    contacts = Q(id__in=name_search.contacts_customers(q))
    return [(names, lambda n: name_search.customer_ids(q, n), False), own(refs),
            (contacts, lambda n: name_search.contacts_customer_ids(q, n), False)]


def search(ctx: Ctx, q: str, limit: int = FEW) -> tuple[list[int] | None, Q]:
    """The organization's customers matching ``q``: (their ids, when at most ``limit``, else
    None; a condition that selects them among the organization's customers, for reading them in
    order when there are more). Each part stops reading after ``limit`` + 1 matches; a part with
    few matches joins the condition as its ids, so walking the customers in name order checks
    little more than their names."""
    own: set[int] = set()
    theirs: set[int] = set()
    conds = []
    for cond, read_ids, is_own in _search_parts(ctx, q.strip()):
        ids = set(read_ids(limit + 1))
        (own if is_own else theirs).update(ids)
        if len(ids) <= limit:
            conds.append(Q(id__in=sorted(ids)) if ids else None)
        else:
            conds.append(cond)
    extra = theirs - own
    if extra and len(own | extra) <= limit * 2:    # the indexes' customers may be other organizations'
        # read by id alone, the organization checked here: with the organization in the query, SQLite
        # may walk the organization's index (every customer) instead of looking the ids up
        extra = {i for i, org_id in Customer.objects.filter(id__in=sorted(extra)).values_list("id", "organization_id")
                 if org_id == ctx.org.id}
    found = own | extra
    if len(found) <= limit:
        return sorted(found), Q(id__in=sorted(found))
    return None, reduce(or_, (c for c in conds if c is not None))


def _open_invoices(ctx: Ctx):
    return Invoice.objects.filter(organization=ctx.org, kind=Invoice.Kind.INVOICE).exclude(open_minor=0)


BY_CUSTOMER = {"name": ("name", "id"), "-name": ("-name", "-id"), "ref": ("ref", "id"), "-ref": ("-ref", "-id")}
ROW_FIELDS = ("id", "ref", "name", "tax_id", "phone", "email", "do_not_chase", "credit_hold")


def customer_page(ctx: Ctx, f: CustomerFilter, today: date) -> CustomerPage:
    """One page of the customer list (:data:`PER_PAGE` rows) with each customer's balance.

    A fixed number of queries, none of which reads every customer or every open invoice on every
    visit: a search is answered from indexes and, with at most :data:`FEW` matches, ordered after
    they are found; otherwise the page is read in name or reference order, one row more than it
    shows to know whether a next page exists (the matches are then not counted). An order by
    overdue amount or age needs every late customer's total: that order is worked out once and
    kept while nothing changes (:mod:`gvia.web.cached`)."""
    offset = (f.page - 1) * PER_PAGE
    customers = Customer.objects.filter(organization=ctx.org)
    few: list[int] | None = None
    if f.q:
        few, matching = search(ctx, f.q)
        customers = customers.filter(id__in=few) if few is not None else customers.filter(matching)
    total: int | None = None
    if f.sort in AGGREGATE_SORTS:
        ordered = _ordered_by_aggregate(ctx, f, today, few)
        total = len(ordered)
        ids = list(ordered[offset:offset + PER_PAGE + 1])
        found_rows = {c["id"]: c for c in Customer.objects.filter(organization=ctx.org, id__in=ids).values(*ROW_FIELDS)}
        records = [found_rows[i] for i in ids if i in found_rows]
    else:
        if f.overdue or f.currency:
            customers = customers.filter(_has_open(f, today))
        elif few is not None:
            total = len(few)
        elif not f.q:
            total = cached.remember(ctx, "customer_count", today,
                                    lambda: Customer.objects.filter(organization=ctx.org).count())
        records = list(customers.order_by(*BY_CUSTOMER[f.sort]).values(*ROW_FIELDS)[offset:offset + PER_PAGE + 1])
    has_next = len(records) > PER_PAGE
    records = records[:PER_PAGE]
    if total is None and not has_next and (records or f.page == 1):
        total = offset + len(records)          # the last page: now they are counted
    balances = customer_balances(ctx, [r["id"] for r in records], today)
    rows = [CustomerRow(r["id"], r["ref"], r["name"], r["tax_id"], r["phone"], r["email"], r["do_not_chase"],
                        balances.get(r["id"], Balance()), r["credit_hold"]) for r in records]
    return CustomerPage(rows, total, f.page, has_next, f)


def _ordered_by_aggregate(ctx: Ctx, f: CustomerFilter, today: date, few: list[int] | None) -> array:
    """The ids of the customers the filter lists, in the order of their overdue amount or age: one
    grouped query over the open invoices (per customer the amount and the oldest due date). Kept
    while nothing changes, unless the search found few customers (then it is cheap)."""
    ranges = overdue_ranges()

    def read() -> array:
        # the aggregate sorts list late customers
        inv = _open_invoices(ctx).filter(due_date__lt=core_aging.overdue_bound(today))
        if f.currency:
            inv = inv.filter(currency=f.currency)
        if few is not None:
            inv = inv.filter(customer_id__in=few)
        elif f.q:
            inv = inv.filter(customer__in=Customer.objects.filter(organization=ctx.org)
                             .filter(search(ctx, f.q)[1]).values("id"))
        agg = inv.values("customer_id").annotate(total=Sum("open_minor"), oldest=Min("due_date")).order_by()
        if f.overdue in ranges:
            after, up_to = ranges[f.overdue]
            agg = agg.filter(oldest__lt=today - timedelta(days=after))
            if up_to is not None:
                agg = agg.filter(oldest__gte=today - timedelta(days=up_to))
        order = {"-overdue": ("-total", "customer_id"), "overdue": ("total", "customer_id"),
                 "-days": ("oldest", "customer_id"), "days": ("-oldest", "customer_id")}[f.sort]
        return array("q", agg.order_by(*order).values_list("customer_id", flat=True))

    if few is not None:
        return read()
    q = hashlib.sha256(f.q.encode()).hexdigest()[:16] if f.q else ""
    return cached.remember(ctx, f"customers:{f.sort}:{f.overdue}:{f.currency}:{q}", today, read)


def _has_open(f: CustomerFilter, today: date) -> Q:
    """The customers the overdue and currency filters list, as conditions on each customer's own
    invoices (EXISTS), so customers can be read in name or reference order."""
    ranges = overdue_ranges()

    def exists(before: date | None = None) -> Exists:
        inv = Invoice.objects.filter(customer=OuterRef("pk"), kind=Invoice.Kind.INVOICE).exclude(open_minor=0)
        if f.currency:
            inv = inv.filter(currency=f.currency)
        if before is not None:
            inv = inv.filter(due_date__lt=before)
        return Exists(inv)

    if f.overdue == "":
        return Q(exists())                       # something open in the currency
    if f.overdue == OVERDUE_NONE:                # nothing late (with a currency: something open in it)
        return ~Q(exists(today)) & (Q(exists()) if f.currency else Q())
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
    late_before = core_aging.overdue_bound(today)

    def balance_rows(ids: list[int]):
        late = Case(When(due_date__lt=late_before, then=F("open_minor")), default=0, output_field=BigIntegerField())
        return (_open_invoices(ctx).filter(customer_id__in=ids)
                .values("customer_id", "currency")
                .annotate(open=Sum("open_minor"), overdue=Sum(late),
                          oldest=Min(Case(When(due_date__lt=late_before, then=F("due_date")), default=None)))
                .order_by().values_list("customer_id", "currency", "open", "overdue", "oldest"))

    if len(customer_ids) == 1:          # a customer's page, on every visit: compiled once (store.prepared)
        rows = prepared.rows(("balances", ctx.org.pk, late_before), lambda cid: balance_rows([cid]),
                                 customer_ids[0])
    else:
        rows = list(balance_rows(customer_ids))
    parts: dict[int, dict] = defaultdict(lambda: {"open": [], "overdue": [], "oldest": None})
    for cid, currency, open_minor, overdue, oldest in rows:
        e = parts[cid]
        e["open"].append(Money.from_minor(open_minor, currency))
        if overdue:
            e["overdue"].append(Money.from_minor(overdue, currency))
        if oldest is not None:
            day = _d(oldest)
            e["oldest"] = min(e["oldest"], day) if e["oldest"] else day
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

    return cast(list[str], cache.get_or_set(f"gvia:web:currencies:{ctx.org.id}", read, CURRENCIES_TTL))   # read()'s


# --- dashboard ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Dashboard:
    aging: core_aging.AgingReport
    unapplied: Totals
    overdue: Totals                # every bucket but "not yet due"
    customers: int
    customers_overdue: int
    open_invoices: int
    overdue_invoices: int
    last_import: ImportRun | None


def dashboard(ctx: Ctx, today: date) -> Dashboard:
    report, unapplied = ledger.aging(ctx, today)
    overdue = [report.total(c) - report.currencies[c][core_aging.NOT_DUE] for c in report.currencies]
    counts = _open_invoices(ctx).aggregate(
        open=Count("id"), overdue=Count("id", filter=Q(due_date__lt=core_aging.overdue_bound(today))))
    customers_overdue = (_open_invoices(ctx).filter(due_date__lt=core_aging.overdue_bound(today))
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
    disputed: bool = False          # under an open dispute: off the ladder, shown with its badge

    url = id_property("invoice_detail")


def _invoice_row(i: Invoice, today: date, disputed: frozenset[int] = frozenset()) -> InvoiceRow:
    status, days = invoice_status(i.kind, i.open_minor, i.due_date, today)
    return InvoiceRow(i.id, i.number, i.kind, i.issue_date, i.due_date,
                      Money.from_minor(i.amount_minor, i.currency), Money.from_minor(i.open_minor, i.currency),
                      status, days, i.po_number, i.description, i.id in disputed)


_Day = date    # PaymentRow has a field named "date", which hides the type inside its class body


@dataclass(frozen=True)
class PaymentRow:
    id: int
    date: date
    value_date: _Day | None
    amount: Money
    withholding: Money
    method: str
    cheque_number: str
    reference: str
    status: str
    invoice_number: str


def _payment_row(p: Payment) -> PaymentRow:
    """``p`` with its invoice, or with the invoice's number read with it (``invoice_number``)."""
    if hasattr(p, "invoice_number"):
        number = p.invoice_number or ""     # the annotation read with it
    else:
        number = p.invoice.number if p.invoice is not None else ""
    return PaymentRow(p.id, p.date, p.value_date, Money.from_minor(p.amount_minor, p.currency),
                      Money.from_minor(p.withholding_minor, p.currency), p.method, p.cheque_number,
                      p.reference, p.status, number)


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
    # the records the rows were made from (newest first), for the page's timeline to share
    invoice_records: list[Invoice] = field(default_factory=list, repr=False)
    payment_records: list[Payment] = field(default_factory=list, repr=False)


def customer_detail(ctx: Ctx, customer: Customer, today: date, limit: int = 200,
                    disputes: list[Dispute] | None = None) -> CustomerDetail:
    """Everything the customer page shows, newest invoices and payments first (up to ``limit``);
    ``disputes``: the customer's open disputes with their invoices, when the caller has read them
    (:func:`gvia.services.arrangements.describe.records_of`)."""
    # read on every visit: each query compiled once in the process (gvia.store.prepared)
    org, cid = ctx.org, customer.id
    unapplied = Totals(Money.from_minor(u.amount_minor, u.currency) for u in prepared.models(
        ("detail.unapplied", org.pk), UnappliedCredit,
        lambda c: UnappliedCredit.objects.filter(organization=org, customer_id=c), cid) if u.amount_minor)
    invoice_records = prepared.models(("detail.invoices", org.pk, limit), Invoice, lambda c: Invoice.objects.filter(
        organization=org, customer_id=c).order_by("-issue_date", "-id")[:limit], cid)
    payment_records = prepared.models(("detail.payments", org.pk, limit), Payment, lambda c: Payment.objects.filter(
        organization=org, customer_id=c).annotate(invoice_number=F("invoice__number"))
        .order_by("-date", "-id")[:limit], cid)
    disputed = (frozenset(Dispute.objects.filter(customer=customer, status=Dispute.Status.OPEN)
                          .values_list("invoices", flat=True)) if disputes is None
                else frozenset(i.id for d in disputes for i in d.invoices.all()))
    invoice_rows = [_invoice_row(i, today, disputed) for i in invoice_records]
    payment_rows = [_payment_row(p) for p in payment_records]
    return CustomerDetail(
        customer=customer,
        contacts=prepared.models(("detail.contacts",), Contact, lambda c: Contact.objects.filter(
            customer_id=c).order_by("-is_primary", "-is_billing", "name", "id"), cid),
        addresses=prepared.models(("detail.addresses",), Address, lambda c: Address.objects.filter(
            customer_id=c).order_by("id"), cid),
        balance=customer_balances(ctx, [customer.id], today).get(customer.id, Balance()),
        unapplied=unapplied,
        invoices=invoice_rows,
        invoices_total=len(invoice_rows) if len(invoice_rows) < limit else Invoice.objects.filter(
            organization=org, customer=customer).count(),
        payments=payment_rows,
        payments_total=len(payment_rows) if len(payment_rows) < limit else Payment.objects.filter(
            organization=org, customer=customer).count(),
        documents=_documents(org, cid),
        invoice_records=invoice_records,
        payment_records=payment_records,
    )


def _documents(org, customer_id: int) -> list[Document]:
    """The customer's documents, newest first, each with its invoice and who uploaded it."""
    found = prepared.models(("detail.documents", org.pk), Document, lambda c: Document.objects.filter(
        organization=org, customer_id=c).order_by("-created_at", "-id"), customer_id)
    prefetch_related_objects(found, "invoice", "uploaded_by")
    return found


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


def customer_of(ctx: Ctx, pk: int) -> Customer | None:
    """The organization's customer ``pk`` (None: no such customer of it), with its organization; the
    query compiled once in the process (gvia.store.prepared): every customer page asks it."""
    org = ctx.org
    found = prepared.models(("customer", org.pk), Customer,
                                lambda cid: Customer.objects.filter(organization=org, pk=cid), pk)
    if not found:
        return None
    found[0].organization = org
    return found[0]


def invoice_of(ctx: Ctx, pk: int) -> Invoice | None:
    """The organization's invoice ``pk`` with its customer (None: no such invoice of it); the query
    compiled once in the process (gvia.store.prepared: the record's id in place of the customer's)."""
    org = ctx.org
    found = prepared.models(("invoice", org.pk), Invoice, lambda iid: Invoice.objects.filter(
        organization=org, pk=iid).select_related("customer"), pk)
    return found[0] if found else None


def invoice_detail(ctx: Ctx, invoice: Invoice, today: date) -> InvoiceDetail:
    allocations = []
    # the invoice is the organization's (the view found it so): its own rows, by its own index
    for a in (Allocation.objects.filter(invoice=invoice)
              .select_related("payment", "payment__invoice", "credit_note").order_by("id")):
        allocations.append(AllocationRow(
            a.source, Money.from_minor(a.amount_minor, invoice.currency),
            Money.from_minor(a.source_amount_minor, a.source_currency), a.pending,
            _payment_row(a.payment) if a.payment is not None else None,
            a.credit_note_id, a.credit_note.number if a.credit_note is not None else ""))
    # read on every visit: compiled once in the process (gvia.store.prepared, the invoice's id in place)
    credit_notes = [_invoice_row(c, today) for c in prepared.models(
        ("invoice.credit_notes",), Invoice,
        lambda iid: Invoice.objects.filter(applies_to_id=iid).order_by("issue_date", "id"), invoice.id)]
    applies_to = None
    if invoice.applies_to_id:
        target = invoice_of(ctx, invoice.applies_to_id)
        applies_to = _invoice_row(target, today) if target else None
    return InvoiceDetail(
        invoice=invoice, row=_invoice_row(invoice, today),
        settled_outside=Money.from_minor(invoice.settled_outside_minor, invoice.currency),
        allocations=allocations, credit_notes=credit_notes, applies_to=applies_to,
        documents=prepared.models(("invoice.documents",), Document, lambda iid: Document.objects.filter(
            invoice_id=iid).order_by("-created_at"), invoice.id),
    )


# --- choices of the case forms -----------------------------------------------------------------

def open_invoice_numbers(customer: Customer, limit: int = 300, detail: CustomerDetail | None = None) -> list[str]:
    """The customer's open invoices, oldest due first: what a call or a dispute may name;
    ``detail``: the customer page's, when it holds every invoice of the customer (read from it)."""
    known = open_invoices_of(detail) if detail is not None else None
    if known is not None:
        return [i.number for i in known[:limit]]
    return list(Invoice.objects.filter(organization_id=customer.organization_id, customer=customer,
                                       kind=Invoice.Kind.INVOICE).exclude(open_minor=0)
                .order_by("due_date", "id").values_list("number", flat=True)[:limit])


def open_invoices_of(detail: CustomerDetail) -> list[Invoice] | None:
    """The customer's open invoices, oldest due first, from the page's records when they hold every
    invoice of the customer (None when they do not: ask the database)."""
    if detail.invoices_total != len(detail.invoice_records):
        return None
    return sorted((i for i in detail.invoice_records if i.kind == Invoice.Kind.INVOICE and i.open_minor != 0),
                  key=lambda i: (i.due_date, i.id))


def open_currencies(customer: Customer) -> list[str]:
    """The currencies the customer owes in (an arrangement is in one of them)."""
    return sorted(set(Invoice.objects.filter(organization_id=customer.organization_id, customer=customer,
                                             kind=Invoice.Kind.INVOICE).exclude(open_minor=0)
                      .values_list("currency", flat=True).distinct().order_by()))

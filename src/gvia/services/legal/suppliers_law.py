"""Israel's suppliers' payment law on a customer's invoices: the legal payment day of each, what
the law adds when late, and the invoices a person must look at.

The rules and figures are :mod:`gvia.core.suppliers_law` (the one home); this module reads what
they need — the customer's kind and ``large_business`` (set on the customer page, by the import's
"עסק גדול" column or ``gvia customer law REF --large-business yes|no``), each open invoice's issue
date, due date and amount, the payments on it — and calls it. Only an organization in Israel is
under the law (``Organization.country == "IL"``); elsewhere nothing here applies.

* :func:`for_customer` — every open invoice of one customer with its :class:`PaymentDay` and, when
  past the agreed due date, what the law adds (:func:`gvia.core.suppliers_law.late_additions`,
  from the legal day; the payments that count are :func:`gvia.services.legal.interest.late_debts`'s,
  the one reading of them). ``gvia customer law REF`` prints it; ``--format json`` as
  :meth:`CustomerUnderLaw.as_dict`.
* :func:`flagged` — the open invoices whose legal day needs a person before it is relied on (an
  agreed day later than the law's for a buyer not marked large; an invoice from the law's uncertain
  first month): the worklist's and the customer page's reading.
* :func:`letter_days` — the legal payment day of each open invoice of a customer the law covers,
  for the letters' paragraph that cites the law (:mod:`gvia.services.letters.content`); an invoice
  whose day waits for a person is left out.
* :func:`explain_lines` — ``gvia explain``'s lines on the law: each open invoice the law covers,
  its legal day and why, in the explanation's language (the ``explain`` catalog's
  ``explain.suppliers_law*``; dates as the explanations write them).

Codes, never sentences: the edges word ``suppliers_law.<code>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import F, Q

from gvia.core import suppliers_law as law
from gvia.core.money import Money
from gvia.services.context import Ctx
from gvia.services.ledger.books import get_customer
from gvia.services.legal.interest import late_debts
from gvia.services.legal.rates import rate_book
from gvia.store.models import Customer, Invoice

__all__ = ["InvoiceUnderLaw", "CustomerUnderLaw", "Flag", "applies_to_org", "payment_day_of",
           "for_customer", "flagged", "letter_days", "explain_lines"]


def applies_to_org(ctx: Ctx) -> bool:
    """The law is Israel's: only an organization in Israel is under it."""
    return (ctx.org.country or "").upper() == "IL"


def payment_day_of(customer: Customer, inv: Invoice) -> law.PaymentDay:
    """The law's payment day of one stored invoice of ``customer``."""
    return law.payment_day(customer.kind, inv.issue_date, inv.due_date, customer.large_business)


@dataclass(frozen=True)
class InvoiceUnderLaw:
    """One open invoice: its law's day and, when late, what the law adds (None: not computed —
    before its agreed due date, or the law does not apply)."""

    invoice_id: int
    number: str
    issue_date: date
    due_date: date
    open: Money
    day: law.PaymentDay
    additions: law.LateAdditions | None = None

    def as_dict(self) -> dict:
        d = self.day
        out: dict = {"invoice": self.number, "issue_date": self.issue_date.isoformat(),
                     "due_date": self.due_date.isoformat(), "open": str(self.open.amount),
                     "currency": self.open.currency, "applies": d.applies, "reason": d.reason, "buyer": d.buyer,
                     "law_day": d.law_day.isoformat() if d.law_day else None,
                     "legal_day": d.legal_day.isoformat() if d.legal_day else None,
                     "yields": d.yields, "needs_person": d.needs_person, "notes": list(d.notes),
                     "additions": None}
        a = self.additions
        if a is not None:
            out["additions"] = {
                "days_late": a.days_late, "as_of": a.as_of.isoformat(),
                "linkage": str(a.linkage_interest.linkage.amount) if a.linkage_interest and a.linkage_interest.linkage
                else None,
                "interest": str(a.linkage_interest.interest.amount)
                if a.linkage_interest and a.linkage_interest.interest else None,
                "total": str(a.total.amount) if a.total is not None else None,
                "arrears_from": a.arrears_from.isoformat() if a.arrears_from else None,
                "refused": a.refused, "refused_params": {k: str(v) for k, v in a.refused_params},
                "notes": list(a.notes)}
        return out


@dataclass
class CustomerUnderLaw:
    customer: Customer
    as_of: date
    applies: bool
    invoices: list[InvoiceUnderLaw] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"customer": {"ref": self.customer.ref, "name": self.customer.name, "kind": self.customer.kind,
                             "large_business": self.customer.large_business},
                "as_of": self.as_of.isoformat(), "applies": self.applies,
                "invoices": [i.as_dict() for i in self.invoices],
                "unsourced": [f.source for f in law.unsourced()]}


def _open_invoices(ctx: Ctx, customer_id: int | None = None):
    q = (Invoice.objects.filter(organization=ctx.org, kind=Invoice.Kind.INVOICE).exclude(open_minor=0)
         .select_related("customer").order_by("due_date", "number"))
    if customer_id is not None:
        q = q.filter(customer_id=customer_id)
    return q


def for_customer(ctx: Ctx, customer_ref: str, as_of: date) -> CustomerUnderLaw:
    """Every open invoice of the customer under the law on ``as_of`` (see the module's text)."""
    customer = get_customer(ctx, customer_ref)
    out = CustomerUnderLaw(customer, as_of, applies_to_org(ctx))
    if not out.applies:
        return out
    debts = {d.ref: d for d in late_debts(customer, as_of)}
    book = rate_book(ctx)
    for inv in _open_invoices(ctx, customer.id):
        day = payment_day_of(customer, inv)
        additions = None
        debt = debts.get(inv.number)
        if day.applies and debt is not None:
            additions = law.late_additions(day, inv.number, debt.amount, as_of, debt.payments, book)
        out.invoices.append(InvoiceUnderLaw(inv.id, inv.number, inv.issue_date, inv.due_date,
                                            Money.from_minor(inv.open_minor, inv.currency), day, additions))
    return out


@dataclass(frozen=True, slots=True)
class Flag:
    """One open invoice whose legal payment day waits for a person (``code``: why)."""

    invoice_id: int
    number: str
    customer_id: int
    customer_ref: str
    customer_name: str
    issue_date: date
    due_date: date
    law_day: date | None
    amount: Money
    code: str


def flagged(ctx: Ctx, today: date, customer_id: int | None = None) -> list[Flag]:
    """The open invoices (one customer's when given) whose legal day needs a person, oldest due
    first; none outside Israel. ``today`` is kept for the worklist's call shape (the law's answer
    does not depend on the day).

    The database is asked only for the invoices that can need a person — a business buyer not
    marked large whose agreed day is more than the law's term after the issue date (a necessary
    condition: the law's day is never earlier than that), or an invoice of the law's uncertain
    first month — read as plain values; :func:`gvia.core.suppliers_law.payment_day` decides."""
    if not applies_to_org(ctx):
        return []
    q = (Invoice.objects.filter(organization=ctx.org, kind=Invoice.Kind.INVOICE).exclude(open_minor=0)
         .exclude(customer__kind=Customer.Kind.CONSUMER)
         .filter(Q(customer__kind__in=(Customer.Kind.BUSINESS, Customer.Kind.SOLE_TRADER),
                   customer__large_business=False,
                   due_date__gt=F("issue_date") + timedelta(days=law.BUSINESS_TERM.value))
                 | Q(issue_date__gte=law.LAW_START.start, issue_date__lte=law.LAW_START_LATEST.start)))
    if customer_id is not None:
        q = q.filter(customer_id=customer_id)
    out = []
    for r in q.order_by("due_date", "number").values_list(
            "id", "number", "customer_id", "customer__ref", "customer__name", "customer__kind",
            "customer__large_business", "issue_date", "due_date", "open_minor", "currency").iterator(chunk_size=5000):
        (pk, number, cid, ref, name, kind, large, issued, due, open_minor, currency) = r
        day = law.payment_day(kind, issued, due, large)
        if day.applies and day.needs_person:
            out.append(Flag(pk, number, cid, ref, name, issued, due, day.law_day,
                            Money.from_minor(open_minor, currency), day.needs_person))
    return out


def letter_days(ctx: Ctx, customer: Customer) -> dict[str, date]:
    """Invoice number → its legal payment day, for the open invoices of a customer the law covers
    whose day needs no person; empty outside Israel or for a consumer."""
    if not applies_to_org(ctx) or customer.kind == Customer.Kind.CONSUMER:
        return {}
    out = {}
    for inv in _open_invoices(ctx, customer.id):
        day = payment_day_of(customer, inv)
        if day.applies and day.needs_person is None and day.legal_day is not None:
            out[inv.number] = day.legal_day
    return out



def explain_lines(ctx: Ctx, customer: Customer, lang: str) -> list[str]:
    """One line per open invoice the law covers (Israel, not a consumer): its legal payment day
    and why, in ``lang`` (he, else en); none when the law does not apply."""
    if not applies_to_org(ctx) or customer.kind == Customer.Kind.CONSUMER:
        return []
    from gvia.services.engine.explain_words import words

    t = words(lang)
    language = "he" if lang.lower().startswith("he") else "en"
    out = []
    for inv in _open_invoices(ctx, customer.id):
        day = payment_day_of(customer, inv)
        if not day.applies or day.legal_day is None:
            continue
        shown = (f"{day.legal_day.day:02d}/{day.legal_day.month:02d}/{day.legal_day.year}" if language == "he"
                 else day.legal_day.isoformat())
        line = t("suppliers_law").format(number=inv.number, day=shown, reason=t(f"suppliers_law.{day.reason}"))
        if day.needs_person and day.needs_person != day.reason:
            line += " " + t(f"suppliers_law.{day.needs_person}")
        if law.PUBLIC_BODY_EXCEPTION_POSSIBLE in day.notes:
            line += " " + t(f"suppliers_law.{law.PUBLIC_BODY_EXCEPTION_POSSIBLE}")
        out.append(line)
    return out

"""Limitation in the books: the limitation date of each open invoice, with what restarted it, and
the debts nearing it, for the worklist, ``gvia explain``, the customer page, the letters and the
case file.

The rules are :data:`gvia.core.limitation.LIMITATION_RULES` (Israel 7 years, United Kingdom 6
years, each with what restarts the period) for the organization's country; ``limitation_years``
in the organization's settings, when set, replaces the number of years (the country's restart
rules stay; a country without a rule then gets a rule that nothing restarts). The warning window
is ``limitation_warn_months`` (declared, with its default, in
:data:`gvia.services.settings.SETTINGS`) before the limitation date. An organization whose
country has no period configured gets no dates (set ``limitation_years`` to have them).

The events that may restart an invoice's period (:func:`restart_events`), weighed by
:func:`gvia.core.limitation.limitation_end` as the country's law says:

* **part payments**: the money the ledger allocated to that invoice (``Allocation`` rows of
  source "payment", :func:`gvia.core.ledger.allocate`: the invoice a payment names, else the
  oldest due first), each on its payment's date; a post-dated cheque not yet cleared is not yet
  a payment, a bounced one never was (the ledger leaves it out); credit notes and the small
  differences settled by tolerance are not the debtor's payments;
* **signed payment plans**: a plan with its signed agreement on file (``gvia plan sign``) is a
  written, signed acknowledgment of the invoices it covers, on the day it was signed.

A promise to pay, whether logged on a call or recorded, is not a signed writing and restarts
nothing (C.A. 811/23 in Israel; Limitation Act 1980 s.30).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable, Mapping

from gvia.core.errors import NotFound
from gvia.core.limitation import (
    PART_PAYMENT,
    WRITTEN_ACKNOWLEDGMENT,
    LimitationEnd,
    LimitationRule,
    RestartEvent,
    limitation_end,
    limitation_rule,
    limitation_status,
)
from gvia.core.money import Money
from gvia.core.rates import add_months
from gvia.services.arrangements.limits import arrangement_settings
from gvia.services.context import Ctx
from gvia.store.models import Allocation, Customer, Invoice, Organization, Payment, PaymentPlan

__all__ = ["LimitationFlag", "CustomerLimitation", "country_rules", "restart_events", "invoice_ends",
           "customer_limitation", "nearing"]


def country_rules(org: Organization) -> tuple[str, Mapping[str, LimitationRule]] | None:
    """The organization's country and the rules to read its period from (the organization's
    ``limitation_years`` in place of the country's years when set); None: no period known."""
    settings = arrangement_settings(org)
    country = (org.country or "").strip().upper()
    try:
        base: LimitationRule | None = limitation_rule(country)
    except NotFound:
        base = None
    if settings.limitation_years is None:
        return (country, {country: base}) if base is not None else None
    source = "organization setting limitation_years"
    rule = (dataclasses.replace(base, years=settings.limitation_years, source=f"{source} ({base.source})")
            if base is not None else LimitationRule(country, settings.limitation_years, source))
    return country, {country: rule}


def restart_events(invoice_ids: Iterable[int]) -> dict[int, list[RestartEvent]]:
    """The events that may have restarted each invoice's period (see the module doc), by
    invoice id: part payments allocated to it and the signed plans that cover it."""
    ids = set(invoice_ids)
    out: dict[int, list[RestartEvent]] = {i: [] for i in ids}
    if not ids:
        return out
    paid = (Allocation.objects.filter(invoice_id__in=ids, source=Allocation.Source.PAYMENT, pending=False)
            .exclude(payment__status=Payment.Status.BOUNCED)
            .values_list("invoice_id", "payment_id", "payment__date"))
    for invoice_id, payment_id, day in paid:
        if day is None:         # an allocation from a credit note: not a payment
            continue
        out[invoice_id].append(RestartEvent(day, PART_PAYMENT, f"payment:{payment_id}"))
    customers = Invoice.objects.filter(id__in=ids).values_list("customer_id", flat=True).distinct()
    plans = (PaymentPlan.objects.filter(customer_id__in=list(customers), signed_agreement__isnull=False,
                                        signed_on__isnull=False)
             .values_list("id", "signed_on", "invoices"))
    for plan_id, signed_on, covered in plans:
        if signed_on is None:   # filtered out above; for the type checker
            continue
        for invoice_id in covered or []:
            if int(invoice_id) in out:
                out[int(invoice_id)].append(RestartEvent(signed_on, WRITTEN_ACKNOWLEDGMENT, f"plan:{plan_id}"))
    return out


def invoice_ends(org: Organization, invoices: Iterable[tuple[int, date]], as_of: date) -> dict[int, LimitationEnd]:
    """The limitation date of each ``(invoice id, due date)`` on ``as_of`` (the events up to that
    day), by invoice id; empty when the organization's country has no period configured."""
    found = country_rules(org)
    wanted = list(invoices)
    if found is None or not wanted:
        return {}
    country, rules = found
    events = restart_events(i for i, _ in wanted)
    return {i: limitation_end(due, country, events.get(i, ()), as_of=as_of, rules=rules) for i, due in wanted}


@dataclass(frozen=True)
class CustomerLimitation:
    """Where a customer's debt stands against limitation on ``day``: the open overdue invoice
    whose limitation date comes first (``invoice_number``, ``end``), what set that date
    (``restart_kind``: "" for the due date, else a :data:`gvia.core.limitation.RESTART_KINDS`
    kind, on ``restarted_on``), ``state`` ("running", "nearing" or "expired") and the days left
    (negative: past it); ``source`` the law."""

    customer_id: int
    invoice_id: int
    invoice_number: str
    due_date: date
    end: date
    restart_kind: str
    restarted_on: date | None
    state: str
    days_left: int
    source: str

    @property
    def why(self) -> str:
        """What the period was counted from, as a code: "due" (the due date) or the restart's kind."""
        return self.restart_kind or "due"

    @property
    def counted_from(self) -> date:
        return self.restarted_on or self.due_date


def customer_limitation(ctx: Ctx, customer: Customer, day: date,
                        open_invoices: list[Invoice] | None = None) -> CustomerLimitation | None:
    """The customer's earliest limitation date among its open invoices overdue on ``day``
    (None: nothing overdue, or no period configured for the organization's country);
    ``open_invoices``: all the customer's open invoices, when the caller has read them."""
    ctx.require("viewer", "reading the limitation dates")
    if open_invoices is not None:
        rows = [(i.id, i.number, i.due_date) for i in open_invoices if i.due_date < day]
    else:
        rows = list(Invoice.objects.filter(customer=customer, kind=Invoice.Kind.INVOICE, due_date__lt=day)
                    .exclude(open_minor=0).values_list("id", "number", "due_date"))
    ends = invoice_ends(ctx.org, [(i, due) for i, _, due in rows], day)
    if not ends:
        return None
    warn = arrangement_settings(ctx.org).limitation_warn_months
    invoice_id, number, due = min(rows, key=lambda r: (ends[r[0]].end, r[2], r[1]))
    got = ends[invoice_id]
    state = ("expired" if got.barred_on(day) else
             "nearing" if day >= add_months(got.end, -warn, got.end.day) else "running")
    return CustomerLimitation(customer.id, invoice_id, number, due, got.end,
                              got.restarted_by.kind if got.restarted_by else "",
                              got.restarted_by.day if got.restarted_by else None, state, (got.end - day).days,
                              got.rule.source)


@dataclass(frozen=True)
class LimitationFlag:
    customer_id: int
    customer_ref: str
    customer_name: str
    invoice_id: int
    invoice_number: str
    due_date: date
    open: Money
    limitation_date: date
    warn_from: date
    state: str            # "nearing" or "expired"
    days_left: int
    source: str
    restart_kind: str = ""              # what set the date ("": the due date)
    restarted_on: date | None = None

    def as_dict(self) -> dict:
        return {"customer": self.customer_ref, "name": self.customer_name, "invoice": self.invoice_number,
                "due_date": self.due_date.isoformat(), "open": str(self.open.amount), "currency": self.open.currency,
                "limitation_date": self.limitation_date.isoformat(), "warn_from": self.warn_from.isoformat(),
                "state": self.state, "days_left": self.days_left, "source": self.source,
                "restart_kind": self.restart_kind,
                "restarted_on": self.restarted_on.isoformat() if self.restarted_on else None}


def nearing(ctx: Ctx, today: date) -> list[LimitationFlag]:
    """Open invoices whose limitation date is within the warning window on ``today`` (state
    "nearing") or already past ("expired": a court claim is likely time-barred), soonest first;
    each date counts the restarts (see the module doc)."""
    ctx.require("viewer", "reading the limitation worklist")
    found = country_rules(ctx.org)
    if found is None:
        return []
    country, rules = found
    years = rules[country].years
    warn = arrangement_settings(ctx.org).limitation_warn_months
    # limitation date >= due + years (a restart only moves it later): flagged from (limitation - warn
    # months), so only invoices due on or before today + warn - years can be flagged
    cutoff = add_months(today, warn - 12 * years) + timedelta(days=3)   # a few days of slack for month ends
    rows = list(Invoice.objects.filter(organization=ctx.org, kind=Invoice.Kind.INVOICE, due_date__lte=cutoff)
                .exclude(open_minor=0).select_related("customer").order_by("due_date", "id"))
    events = restart_events(inv.id for inv in rows)
    out = []
    for inv in rows:
        st = limitation_status(inv.due_date, today, country, warn, events=events.get(inv.id, ()), rules=rules)
        if st.state == "running":
            continue
        out.append(LimitationFlag(inv.customer_id, inv.customer.ref, inv.customer.name, inv.id, inv.number,
                                  inv.due_date, Money.from_minor(inv.open_minor, inv.currency), st.limitation_date,
                                  st.warn_from, st.state, st.days_left, st.rule.source,
                                  st.restarted_by.kind if st.restarted_by else "",
                                  st.restarted_by.day if st.restarted_by else None))
    out.sort(key=lambda f: (f.limitation_date, f.customer_ref, f.invoice_number))
    return out

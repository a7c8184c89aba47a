"""Which legal route fits a customer's debt on the day it would be filed (Israel).

The claim is what the customer owes in shekels on the filing day: the open invoices past due
(those under an open dispute left out, with a note), plus interest, linkage differences and
fees under the interest rule in force (they count towards the caps "including interest and
linkage"). When a rate the interest needs is
missing, the routes are judged on the invoices alone and a note says so. The routes, their
figures, sources and conditions are :func:`gvia.core.legal_routes.routes_for` (the fixed-sum
route by :func:`gvia.core.legal_rules.fixed_sum_fit`, with the written basis the letters name,
:func:`gvia.services.letters.content.claim_basis`).

The filing day, unless one is asked for, is the first day the one filing clock allows
(:func:`gvia.core.legal_rules.earliest_filing`): from the recorded delivery of the customer's
latest s.81A1 notice sent on paper; were no notice recorded yet, the day a notice posted and
delivered today would allow. :func:`notice_clock` says which, with the notice's registered
number, posting and delivery.

The facts the routes ask besides the amount (:func:`gvia.core.legal_routes.routes_for`):

* whether the business may file a small claim as an individual and whether a lawyer represents
  it at the Execution Office: the settings ``legal.creditor`` and ``legal.represented``
  ("unknown" by default: the routes say "cannot tell" or list the condition), or the caller's;
* how many small claims the business filed this year in the court: the caller's (gvia does not
  know it; unknown: listed as a condition);
* limitation: invoices time-barred on the filing day (:func:`gvia.services.legal.limitation.invoice_ends`,
  the one limitation date) are left out of the claim, with a note;
* for a consumer of an Israeli business, the debt notice (Consumer Protection Law s.13B2): the
  caller's :class:`~gvia.core.legal_routes.ConsumerNotice`, else the notice's own rule on the
  filing day (:func:`gvia.services.engine.debt_notices.assessment`, read by
  :meth:`~gvia.core.legal_routes.ConsumerNotice.of`).

Notes are :class:`~gvia.core.errors.Worded` (``problem.<code>``), worded at the edges.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from gvia.core.errors import GviaError, NotFound, RefusedFor, Worded
from gvia.core.legal_routes import ConsumerNotice, Route, routes_for
from gvia.core.legal_rules import FilingDay, earliest_filing, execution_office_rule
from gvia.core.limitation import time_barred
from gvia.core.money import Money
from gvia.core.policy import PAPER_CHANNELS
from gvia.services import clock, settings
from gvia.services.context import Ctx
from gvia.services.engine import debt_notices
from gvia.services.engine.pauses import disputed_invoice_ids
from gvia.services.ledger import books as ledger
from gvia.services.legal.interest import compute
from gvia.services.legal.limitation import invoice_ends
from gvia.services.letters.content import claim_basis
from gvia.store.models import Customer, Invoice, OutboxMessage

__all__ = ["LegalRoutes", "NoticeClock", "notice_clock", "routes", "creditor_facts", "filing_day_for"]

NOTICE = "warning_execution_office"


@dataclass
class NoticeClock:
    """The customer's latest s.81A1 notice on paper (None fields: none recorded) and the first
    filing day the filing clock gives for it (``filing``)."""

    message_id: int | None
    registered_number: str
    posted: date | None
    delivered: date | None
    filing: FilingDay

    def as_dict(self) -> dict:
        f = self.filing
        return {"message": self.message_id, "registered_number": self.registered_number,
                "posted": self.posted.isoformat() if self.posted else None,
                "delivered": self.delivered.isoformat() if self.delivered else None,
                "earliest_filing": f.on.isoformat() if f.on else None, "code": f.code,
                "counts_from": f.clock.counts_from, "notice_days": f.rule.notice_days,
                "ask_person_on": f.ask_person_on.isoformat() if f.ask_person_on else None,
                "source_en": f.source_en, "source_he": f.source_he}


def notice_clock(customer: Customer, today: date) -> NoticeClock:
    """The filing clock of the customer's latest s.81A1 notice sent on paper (its registered
    letter: the e-mail copy of the same stage proves nothing), judged on ``today``."""
    m = (OutboxMessage.objects.filter(customer=customer, document=NOTICE, status=OutboxMessage.Status.SENT,
                                      channel__in=sorted(PAPER_CHANNELS))
         .order_by("-cycle", "-posted_date", "-id").first())
    none = NoticeClock(None, "", None, None, earliest_filing(execution_office_rule(today), None, None, today))
    if m is None:
        return none
    try:
        rule = execution_office_rule(m.posted_date or today)
        return NoticeClock(m.id, m.registered_number, m.posted_date, m.delivered_date,
                           earliest_filing(rule, m.posted_date, m.delivered_date, today))
    except NotFound:        # posted before the first rule on file: it cannot serve as the notice
        return none


def filing_day_for(notice: NoticeClock, today: date) -> date:
    """The first day a claim could be filed: the notice's by the clock (never before today);
    without one known, the day a notice posted (or recorded) and delivered today would allow."""
    if notice.filing.on is not None:
        return max(notice.filing.on, today)
    start = max(notice.posted or today, today)
    bound = earliest_filing(notice.filing.rule, start, start).on
    assert bound is not None
    return bound


@dataclass
class LegalRoutes:
    customer_ref: str
    filing_day: date
    principal: Money
    interest: Money
    claim: Money
    routes: list[Route]
    notes: list[str] = field(default_factory=list)
    notice: NoticeClock | None = None
    written_basis: bool | None = None
    time_barred: Money | None = None
    claimed: list[tuple[int, str, date, Money]] = field(default_factory=list)  # (id, number, due, open)

    @property
    def filing_allowed(self) -> bool | None:
        """Whether the filing clock allows a fixed-sum claim on ``filing_day``: False before the
        notice's first filing day, None while that day cannot be told (not posted, or no
        delivery recorded)."""
        first = self.notice.filing.on if self.notice is not None else None
        return None if first is None else self.filing_day >= first

    def as_dict(self) -> dict:
        return {"customer": self.customer_ref, "filing_day": self.filing_day.isoformat(),
                "principal": str(self.principal.amount), "interest_and_fees": str(self.interest.amount),
                "claim": str(self.claim.amount), "currency": self.claim.currency, "notes": list(self.notes),
                "time_barred": str(self.time_barred.amount) if self.time_barred else None,
                "written_basis": self.written_basis, "filing_allowed": self.filing_allowed,
                "notice": self.notice.as_dict() if self.notice is not None else None,
                "routes": [{"code": r.code, "fits": r.fits, "reason": r.reason,
                            "limit": str(r.limit.amount) if r.limit else None,
                            "source": r.source, "conditions": list(r.conditions)} for r in self.routes]}


_CREDITOR = {"individual": True, "company": False, "unknown": None}
_REPRESENTED = {"yes": True, "no": False, "unknown": None}


def creditor_facts(ctx: Ctx) -> tuple[bool | None, bool | None]:
    """Whether the business files as an individual, and whether a lawyer represents it (None:
    not known), from the settings ``legal.creditor`` and ``legal.represented``."""
    got = settings.values(ctx.org, ("legal.creditor", "legal.represented"))
    return _CREDITOR[got["legal.creditor"]], _REPRESENTED[got["legal.represented"]]


def routes(ctx: Ctx, customer: Customer | str, filing_day: date | None = None,
           claimant_is_individual: bool | None = None, today: date | None = None, *,
           represented: bool | None = None, small_claims_this_year: int | None = None,
           consumer_notice: ConsumerNotice | None = None) -> LegalRoutes:
    """The Israeli legal routes for ``customer``'s shekel debt if filed on ``filing_day`` (None:
    the first day the filing clock allows, :func:`filing_day_for`); the facts not given are read
    as the module doc says."""
    ctx.require("viewer", "looking at the legal routes")
    if isinstance(customer, str):
        customer = ledger.get_customer(ctx, customer)
    today = today or clock.org_today(ctx.org)
    notice = notice_clock(customer, today)
    if filing_day is None:
        filing_day = filing_day_for(notice, today)
    individual, lawyer = creditor_facts(ctx)
    if claimant_is_individual is None:
        claimant_is_individual = individual
    if represented is None:
        represented = lawyer
    if consumer_notice is None:
        found = debt_notices.assessment(ctx.org, customer, filing_day)
        if found is not None:
            consumer_notice = ConsumerNotice.of(found)
    basis = bool(claim_basis(ctx.org, customer, customer.language or ctx.org.default_language).strip())
    principal = barred = Money.zero("ILS")
    disputed = disputed_invoice_ids(customer)
    rows = list(Invoice.objects.filter(customer=customer, kind=Invoice.Kind.INVOICE, currency="ILS",
                                       due_date__lt=filing_day)
                .exclude(open_minor=0).order_by("due_date", "id")
                .values_list("id", "number", "open_minor", "due_date"))
    ends = invoice_ends(ctx.org, [(iid, due) for iid, _, _, due in rows], filing_day)
    left_out, too_old, claimed = [], [], []
    for iid, number, open_minor, due in rows:
        if iid in disputed:
            left_out.append(number)
        elif iid in ends and time_barred(ends[iid].end, filing_day):
            too_old.append(number)
            barred += Money.from_minor(open_minor, "ILS")
        else:
            principal += Money.from_minor(open_minor, "ILS")
            claimed.append((iid, number, due, Money.from_minor(open_minor, "ILS")))
    if principal.amount <= 0 and barred.amount <= 0:
        raise RefusedFor("route_nothing_to_claim", f"{customer.ref}: no overdue debt in shekels on {filing_day}",
                         customer=customer.name, ref=customer.ref, day=filing_day)
    notes: list[str] = []
    if left_out:
        notes.append(Worded(f"invoice(s) {', '.join(left_out)} are under an open dispute and left out of the claim",
                            code="route_note_disputed", numbers=", ".join(left_out)))
    if too_old:
        notes.append(Worded(f"invoice(s) {', '.join(too_old)} are time-barred on {filing_day} and left out of the "
                            "claim", code="route_note_time_barred", numbers=", ".join(too_old), day=filing_day))
    extra = Money.zero("ILS")
    if principal.amount > 0:
        try:
            result = compute(ctx, customer, filing_day, None)
            extra = sum((b.total for b in result.breakdowns
                         if b.principal.currency == "ILS" and b.ref not in left_out and b.ref not in too_old),
                        extra)
        except GviaError as exc:
            notes.append(Worded(f"interest and fees are not included: {exc}", code="route_note_no_interest",
                                day=filing_day))     # why: `gvia interest` for the customer
    claim = principal + extra
    return LegalRoutes(customer.ref, filing_day, principal, extra, claim,
                       routes_for(claim, filing_day, claimant_is_individual=claimant_is_individual,
                                  written_basis=basis, represented=represented,
                                  small_claims_this_year=small_claims_this_year,
                                  time_barred=barred if barred.amount > 0 else None,
                                  consumer_notice=consumer_notice),
                       notes, notice, basis, barred if barred.amount > 0 else None, claimed)

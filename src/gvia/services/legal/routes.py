"""Which legal route fits a customer's debt on the day it would be filed (Israel).

The claim is what the customer owes in shekels on the filing day: the open invoices past due
(those under an open dispute left out, with a note), plus interest, linkage differences and
fees under the interest rule in force (they count towards the caps "including interest and
linkage"). When a rate the interest needs is
missing, the routes are judged on the invoices alone and a note says so. The routes, their
figures, sources and conditions are :func:`gvia.core.legal_routes.routes_for`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from gvia.core.errors import GviaError, Refused
from gvia.core.legal_routes import Route, routes_for
from gvia.core.money import Money
from gvia.services.context import Ctx
from gvia.services.engine.pauses import disputed_invoice_ids
from gvia.services.ledger import books as ledger
from gvia.services.legal.interest import compute
from gvia.store.models import Customer, Invoice

__all__ = ["LegalRoutes", "routes"]


@dataclass
class LegalRoutes:
    customer_ref: str
    filing_day: date
    principal: Money
    interest: Money
    claim: Money
    routes: list[Route]
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"customer": self.customer_ref, "filing_day": self.filing_day.isoformat(),
                "principal": str(self.principal.amount), "interest_and_fees": str(self.interest.amount),
                "claim": str(self.claim.amount), "currency": self.claim.currency, "notes": self.notes,
                "routes": [{"code": r.code, "name_en": r.name_en, "name_he": r.name_he, "fits": r.fits,
                            "reason": r.reason, "limit": str(r.limit.amount) if r.limit else None,
                            "source": r.source, "conditions": list(r.conditions)} for r in self.routes]}


def routes(ctx: Ctx, customer: Customer | str, filing_day: date,
           claimant_is_individual: bool | None = None) -> LegalRoutes:
    """The Israeli legal routes for ``customer``'s shekel debt if filed on ``filing_day``."""
    ctx.require("viewer", "looking at the legal routes")
    if isinstance(customer, str):
        customer = ledger.get_customer(ctx, customer)
    principal = Money.zero("ILS")
    disputed = disputed_invoice_ids(customer)
    left_out = []
    for iid, number, open_minor in (Invoice.objects.filter(customer=customer, kind=Invoice.Kind.INVOICE,
                                                           currency="ILS", due_date__lt=filing_day)
                                    .exclude(open_minor=0).order_by("due_date", "id")
                                    .values_list("id", "number", "open_minor")):
        if iid in disputed:
            left_out.append(number)
            continue
        principal += Money.from_minor(open_minor, "ILS")
    if principal.amount <= 0:
        raise Refused(f"{customer.name} ({customer.ref}) has no overdue debt in shekels to claim on "
                      f"{filing_day.isoformat()}")
    notes: list[str] = []
    if left_out:
        notes.append(f"invoice(s) {', '.join(left_out)} are under an open dispute and left out of the claim")
    extra = Money.zero("ILS")
    try:
        result = compute(ctx, customer, filing_day, None)
        extra = sum((b.total for b in result.breakdowns
                     if b.principal.currency == "ILS" and b.ref not in left_out), extra)
    except GviaError as exc:
        notes.append(f"interest and fees are not included: {exc}")
    claim = principal + extra
    return LegalRoutes(customer.ref, filing_day, principal, extra, claim,
                       routes_for(claim, filing_day, claimant_is_individual=claimant_is_individual), notes)

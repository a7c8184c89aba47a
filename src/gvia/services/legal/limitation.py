"""Debts nearing the end of the limitation period, for the worklist.

The periods are :data:`gvia.core.limitation.LIMITATION_RULES` (Israel 7 years, United Kingdom
6 years) for the organization's country, or ``limitation_years`` in the organization's
settings when set (any country). The warning window is ``limitation_warn_months`` (declared,
with its default, in :data:`gvia.services.settings.SETTINGS`) before the limitation date.
Counted from each open invoice's due date (see :mod:`gvia.core.limitation` for why that never
flags too late). An organization whose country has no period configured gets no flags (set
``limitation_years`` to have them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from gvia.core.errors import NotFound
from gvia.core.limitation import LimitationRule, limitation_rule, limitation_status
from gvia.core.money import Money
from gvia.core.rates import add_months
from gvia.services.arrangements.limits import arrangement_settings
from gvia.services.context import Ctx
from gvia.store.models import Invoice

__all__ = ["LimitationFlag", "nearing"]


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

    def as_dict(self) -> dict:
        return {"customer": self.customer_ref, "name": self.customer_name, "invoice": self.invoice_number,
                "due_date": self.due_date.isoformat(), "open": str(self.open.amount), "currency": self.open.currency,
                "limitation_date": self.limitation_date.isoformat(), "warn_from": self.warn_from.isoformat(),
                "state": self.state, "days_left": self.days_left, "source": self.source}


def nearing(ctx: Ctx, today: date) -> list[LimitationFlag]:
    """Open invoices whose limitation date is within the warning window on ``today`` (state
    "nearing") or already past ("expired": a court claim is likely time-barred), soonest first."""
    ctx.require("viewer", "reading the limitation worklist")
    settings = arrangement_settings(ctx.org)
    country = (ctx.org.country or "").upper()
    if settings.limitation_years is not None:
        rules = {country: LimitationRule(country, settings.limitation_years,
                                         "organization setting limitation_years")}
    else:
        rules = None
        try:
            limitation_rule(country)
        except NotFound:
            return []
    years = rules[country].years if rules else limitation_rule(country).years
    warn = settings.limitation_warn_months
    # limitation date = due + years; flagged from (limitation - warn months): due <= today + warn - years
    cutoff = add_months(today, warn - 12 * years) + timedelta(days=3)   # a few days of slack for month ends
    rows = (Invoice.objects.filter(organization=ctx.org, kind=Invoice.Kind.INVOICE, due_date__lte=cutoff)
            .exclude(open_minor=0).select_related("customer").order_by("due_date", "id"))
    out = []
    for inv in rows:
        st = limitation_status(inv.due_date, today, country, warn, rules=rules)
        if st.state == "running":
            continue
        out.append(LimitationFlag(inv.customer_id, inv.customer.ref, inv.customer.name, inv.id, inv.number,
                                  inv.due_date, Money.from_minor(inv.open_minor, inv.currency), st.limitation_date,
                                  st.warn_from, st.state, st.days_left, st.rule.source))
    out.sort(key=lambda f: (f.limitation_date, f.customer_ref, f.invoice_number))
    return out

"""The limitation line ``gvia explain`` prints under the explanation, in the explanation's language:
the earliest limitation date of the customer's open overdue invoices and what set it
(:func:`gvia.services.legal.limitation.customer_limitation`), worded from the ``cli`` catalog
(``limitation.explain.*``, ``limitation.why.*``). Dates as the explanation writes them: ISO in
English, day/month/year in Hebrew."""

from __future__ import annotations

from datetime import date

from gvia.services.legal.limitation import CustomerLimitation

from .words import t_in


def _day(d: date, lang: str) -> str:
    return d.strftime("%d/%m/%Y") if lang == "he" else d.isoformat()


def limitation_line(found: CustomerLimitation, lang: str) -> str:
    """One sentence: until when the earliest open invoice can be claimed in court, counted from
    what (its due date, a part payment, the signed plan), or that its limitation date has passed."""
    why = t_in(lang, f"limitation.why.{found.why}")
    key = "limitation.explain.expired" if found.state == "expired" else "limitation.explain.running"
    return t_in(lang, key, invoice=found.invoice_number, day=_day(found.end, lang), n=found.days_left,
                start=_day(found.counted_from, lang), why=why)

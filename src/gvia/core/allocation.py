"""Israel's allocation numbers (מספר הקצאה, "חשבוניות ישראל"): when an invoice needs one.

Since 5 May 2024 a VAT-registered business customer may deduct the input VAT of a tax invoice
whose amount *before VAT* is above a threshold only if the invoice carries an allocation number
from the Tax Authority; the threshold falls over time (:data:`ALLOCATION_THRESHOLDS`, each row
with its source: docs/legal-sources.md section 8). A customer waiting for the number may well
hold back the payment, so an overdue invoice that needs one and has none makes the case's next
step wait for a person (:mod:`gvia.core.escalation`, hold ``allocation_number_missing``): get
the number, or confirm and go on.

:func:`needs_allocation_number` is the one home of the rule:

* only invoices in shekels (the thresholds are in ₪; numbers "are not required and not given"
  for invoices of exempt or zero-rated transactions only — amir-cpa, section 8 — which is what
  an export invoice in another currency is) and only invoices, never credit notes;
* only an issue date on or after the first row of the table (none before 5.5.2024);
* the amount before VAT: the invoice's own figure when the import gave one
  (``amount_before_vat``), else the amount divided by 1 + the VAT rate of the issue date
  (:data:`VAT_RATES`); it must be strictly *above* the threshold in force on the issue date
  (the sources say "מעל" / "העולה על");
* only a customer that may deduct VAT: a ``business``, a ``sole_trader`` or a
  ``public_body`` (:mod:`gvia.core.customer_kinds`), never a ``consumer``, never one known to be
  an exempt dealer (``vat_exempt``). The limits of that, decided here:

  - gvia's customer kinds do not tell a licensed dealer (עוסק מורשה) from an exempt dealer
    (עוסק פטור): both are ``sole_trader``. The customer's own ``vat_exempt`` says it (the import
    sets it when the customer type reads "עוסק פטור" / "exempt dealer", imports/values.py
    ``is_exempt_dealer``; a person ticks it in the customer page's details), and callers pass it
    as ``vat_exempt``; a sole trader not so marked is
    taken as possibly VAT-registered and flagged, and for an exempt dealer imported without its
    type a person confirms and goes on (``allocation_confirmed_without``).
  - a ``public_body`` is flagged too: some public bodies are dealers that deduct input VAT
    (a government company, a statutory corporation trading as one), others are not; gvia cannot
    tell which, and a wrong flag costs one confirmation while a missing one sends a demand to a
    customer who is only waiting for a number.

The VAT rates (:data:`VAT_RATES`, 17% from 1.10.2015, 18% from 1.1.2025) are sourced in
docs/legal-sources.md section 8 (the orders that set them, as quoted by an accountants' firm and
a tax newsletter). The law charges the rate of the transaction's tax point (מועד החיוב), which
need not be the invoice's date ("המועד הרלוונטי לקביעת שיעור המע"מ הוא מועד החיוב במס ... ולא
מועד הוצאת חשבונית", asnafy.co.il): gvia takes the issue date, which can differ for an invoice
issued near 1 January 2025 — the import's ``amount_before_vat`` column avoids the question.
:func:`unsourced` lists any row whose source is not in the repository (none now).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from . import customer_kinds

__all__ = ["DatedFigure", "ALLOCATION_THRESHOLDS", "VAT_RATES", "InvoiceFacts",
           "MISSING", "CONFIRMED_WITHOUT", "threshold_on", "vat_rate_on", "amount_before_vat",
           "needs_allocation_number", "unsourced"]

#: reason codes of :func:`needs_allocation_number`
MISSING = "allocation_number_missing"
CONFIRMED_WITHOUT = "allocation_confirmed_without"

_NOT_IN_REPOSITORY = "NOT IN THE REPOSITORY YET"


@dataclass(frozen=True, slots=True)
class DatedFigure:
    """A figure the law fixes, from ``start`` on, with where it was read (``source``)."""

    start: dt.date
    value: Decimal
    source: str

    @property
    def sourced(self) -> bool:
        return not self.source.startswith(_NOT_IN_REPOSITORY)


#: the threshold before VAT, in shekels: an invoice *above* it needs a number (from ``start``)
ALLOCATION_THRESHOLDS: tuple[DatedFigure, ...] = (
    DatedFigure(dt.date(2024, 5, 5), Decimal(25000),
                "docs/legal-sources.md §8 — https://www.linet.org.il/חשבונית-ישראל-ומספרי-הקצאה-בלינט/ "
                "\"החל מתאריך 5/5/24 כל חשבונית מעל 25000 ש\"ח (לפני מע\"מ) תצטרך לקבל \"מספר "
                "הקצאה\" מרשות המסים\"; https://yeshinvoice.co.il/israel-invoice"),
    DatedFigure(dt.date(2025, 1, 1), Decimal(20000),
                "docs/legal-sources.md §8 — https://yeshinvoice.co.il/israel-invoice \"החל מ-1 "
                "בינואר 2025, סכום זה עודכן ויהיה 20,000 ₪.\"; globes 31.12.2025 \"הרף לאישור "
                "עסקאות עמד עד כה על 20 אלף שקל\""),
    DatedFigure(dt.date(2026, 1, 1), Decimal(10000),
                "docs/legal-sources.md §8 — VAT Implementation Order 01.2025 as quoted by "
                "https://www.amir-cpa.net/post/חשבוניות-ישראל-החל-מ-5-000-ש-ח-המדריך-לשנת-2026 "
                "\"החל מיום 1.1.2026 - בעסקאות (חשבוניות) בסכום שמעל 10,000 ₪ לפני מע\"מ\"; "
                "KPMG 12.12.2025; Sovos"),
    DatedFigure(dt.date(2026, 6, 1), Decimal(5000),
                "docs/legal-sources.md §8 — VAT Implementation Order 01.2025 as quoted by "
                "https://www.amir-cpa.net/post/חשבוניות-ישראל-החל-מ-5-000-ש-ח-המדריך-לשנת-2026 "
                "\"החל מיום 1.6.2026 - בעסקאות (חשבוניות) בסכום שמעל 5,000 ₪ לפני מע\"מ\"; "
                "KPMG 12.12.2025; Sovos"),
)

#: Israel's VAT rate (a fraction) from ``start``; used only when the import gave no amount
#: before VAT
VAT_RATES: tuple[DatedFigure, ...] = (
    DatedFigure(dt.date(2015, 10, 1), Decimal("0.17"),
                "docs/legal-sources.md §8 — Value Added Tax (Rate of Tax on a Transaction and on the Import "
                "of Goods) (Amendment) Order 5775-2015 as quoted by https://capitax.co.il/content/2/1352 "
                "\"בגדרו של הצו הוקטן שיעור המע\"מ המוטל על עסקה בישראל ועל יבוא טובין מ-18% ל-17%, "
                "וזאת בתוקף מיום 1.10.2015.\""),
    DatedFigure(dt.date(2025, 1, 1), Decimal("0.18"),
                "docs/legal-sources.md §8 — Value Added Tax (Rate of Tax on a Transaction and on the Import "
                "of Goods) (Amendment) Order 5784-2024 as quoted by https://asnafy.co.il/עליית-שיעור-המעמ "
                "\"החל מינואר 2025, שיעור המע\"מ יעלה מ-17% ל-18%, בהתאם לצו מס ערך מוסף (שיעור המס על "
                "עסקה ועל יבוא טובין) (תיקון), התשפ\"ד-2024.\"; \"שיעור המע\"מ החדש יחול על עסקאות "
                "שמועד החיוב במס בגינן חל החל מיום 1.1.2025 והלאה.\"; https://mento.co.il (17% "
                "until 31/12/2024, 18% from 01/01/2025)"),
)


@dataclass(frozen=True, slots=True)
class InvoiceFacts:
    """What the rule reads of one invoice. Amounts in minor units of ``currency``."""

    number: str
    issue_date: dt.date
    currency: str
    amount_minor: int
    amount_before_vat_minor: int | None = None
    allocation_number: str = ""
    confirmed_without: bool = False
    kind: str = "invoice"


def _in_force(table: tuple[DatedFigure, ...], day: dt.date) -> DatedFigure | None:
    found = None
    for row in table:
        if row.start <= day:
            found = row
    return found


def threshold_on(day: dt.date) -> Decimal | None:
    """The threshold before VAT (₪) in force on ``day``; None before the first row."""
    row = _in_force(ALLOCATION_THRESHOLDS, day)
    return None if row is None else row.value


def vat_rate_on(day: dt.date) -> Decimal | None:
    """Israel's VAT rate on ``day`` (0.17, 0.18); None before the table starts."""
    row = _in_force(VAT_RATES, day)
    return None if row is None else row.value


def amount_before_vat(facts: InvoiceFacts) -> Decimal | None:
    """The amount before VAT in major units: the given one, else amount / (1 + VAT rate of the
    issue date); None when neither can be known."""
    if facts.amount_before_vat_minor is not None:
        return Decimal(facts.amount_before_vat_minor) / 100
    rate = vat_rate_on(facts.issue_date)
    if rate is None:
        return None
    return Decimal(facts.amount_minor) / 100 / (1 + rate)


def needs_allocation_number(facts: InvoiceFacts, customer_kind: str,
                            vat_exempt: bool = False) -> str | None:
    """:data:`MISSING` when the invoice needs an allocation number and has none, and no person
    confirmed going on without it; :data:`CONFIRMED_WITHOUT` when a person did; None when no
    number is needed or it has one (the rule: see the module's text)."""
    if facts.allocation_number.strip() or facts.kind != "invoice" or facts.currency != "ILS":
        return None
    if vat_exempt or customer_kinds.known(customer_kind) == customer_kinds.CONSUMER:
        return None
    threshold = threshold_on(facts.issue_date)
    before = amount_before_vat(facts)
    if threshold is None or before is None or not before > threshold:
        return None
    return CONFIRMED_WITHOUT if facts.confirmed_without else MISSING


def unsourced() -> tuple[DatedFigure, ...]:
    """The rows whose source is not in the repository yet."""
    return tuple(r for r in ALLOCATION_THRESHOLDS + VAT_RATES if not r.sourced)

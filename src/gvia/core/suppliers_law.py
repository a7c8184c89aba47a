"""Israel's suppliers' payment law (חוק מוסר תשלומים לספקים, התשע"ז-2017): the latest day the law
lets a buyer pay a supplier, and what it adds when the buyer pays later.

gvia's user is the supplier; its customer is the buyer (the law's "מזמין"). This module is the one
home of the law's figures (each a :class:`LawFigure` with its date and source, quoted from the
stored pages listed in docs/legal-sources.md section 7) and of the two computations:

* :func:`payment_day` — the legal payment day of one invoice:

  - **a public body** (customer kind ``public_body``) — always: the earlier of the agreed due date
    and *שוטף + 45* (45 days from the end of the month in which the invoice was submitted), which
    the law does not let a contract push back. The law sets *שוטף + 45* for local authorities
    (s.3(ו)) and for budgeted and statutory bodies; state authorities and ministries must pay
    sooner (45 days from the invoice or *שוטף + 30*), civil-engineering works and a local
    authority's externally funded part later, and the health system is left out (s.12ג). gvia's
    one kind ``public_body`` does not tell them apart, so it uses *שוטף + 45*, the latest day for
    any of them outside those exceptions, and says so (note :data:`PUBLIC_BODY_KIND_UNKNOWN`).
    A budgeted or supported body may set a later day in the contract with its director general's
    approval, where the deal's special nature requires it or the day is not exceptionally unfair
    ("ניתן, באישור המנכ"ל של הגוף, לבקש החרגה ולקבוע בחוזה מועד אחר לתשלום, בתנאי שהדבר נדרש בשל
    אופייה המיוחד של ההתקשרות או שהוא אינו מועד בלתי הוגן באופן חריג", chamber.org.il, section 7):
    a later agreed day still gives way here, with the note :data:`PUBLIC_BODY_EXCEPTION_POSSIBLE`;
  - **a business buyer** (``business``, ``sole_trader``: the law's "עסק" is a VAT dealer) — the
    law's day is also *שוטף + 45*, "unless the parties have expressly stipulated in the contract a
    different payment period, which was prescribed having regard to the special nature of the
    contract or is not exceptionally unfair" (sbilaw.com's summary of the law; the law's own
    sentence is not in a stored copy). An agreed date on or before the law's day stands. A later
    one: whether it is "exceptionally unfair" is weighed, the same summary says, by "the balance of
    power between the parties". gvia's reading, which is a decision and not the law's text: a buyer
    marked ``large_business`` (the stronger party) cannot justify a longer date, so the agreed date
    *yields* to the law's day (:data:`LARGE_BUYER_YIELDS`); for any other buyer the agreed date is
    kept and a person decides (:data:`AGREED_LATER_PERSON_DECIDES`);
  - **a consumer** — the law does not apply (its "עסק" does not include consumers);
  - an invoice dated **before the law began** — the law does not apply (it covers transactions
    from its start); the start itself is uncertain between 30 June and 30 July 2017 (sources
    conflict), so an invoice dated in that window is flagged for a person
    (:data:`START_UNCERTAIN`).

  The law counts from the day the invoice was *submitted* to the buyer (הומצא); gvia knows the
  day it was issued and counts from that, which is never later.

* :func:`late_additions` — what the law adds once the legal day has passed: "linkage differentials
  and interest" as the Interest and Linkage Adjudication Law defines them (the law's s.2),
  computed by :mod:`gvia.core.interest` (:func:`~gvia.core.interest.calculate` with
  :class:`~gvia.core.interest.IlLinkage`, linked interest) from the day after the legal day; and,
  after a further :data:`ARREARS_AFTER_DAYS` days, arrears interest (ריבית פיגורים). How that
  arrears interest is computed under this law (instead of the linked interest or on top of it,
  and its rate after the Interest Law's amendment 9) is not in a stored copy: gvia gives the day
  it begins and no figure (:data:`ARREARS_METHOD_UNSOURCED`); a letter says "plus arrears
  interest as the law provides".

Every result carries codes, never sentences: the edges word them (``suppliers_law.<code>`` in the
``explain``, ``web``, ``cli`` and ``documents`` catalogs).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from . import customer_kinds
from .errors import GviaError, Refused
from .interest import IlLinkage, InterestBreakdown, LateDebt, calculate
from .money import Money
from .rates import RateBook

__all__ = [
    "LawFigure", "LAW_START", "LAW_START_LATEST", "BUSINESS_TERM", "PUBLIC_BODY_TERM",
    "ARREARS_AFTER_DAYS", "LINKAGE_AND_INTEREST", "ARREARS_METHOD", "FIGURES",
    "PUBLIC_BODY", "BUSINESS", "NOT_A_BUYER", "BEFORE_THE_LAW", "AGREED_STANDS", "LARGE_BUYER_YIELDS",
    "AGREED_LATER_PERSON_DECIDES", "PUBLIC_BODY_YIELDS", "START_UNCERTAIN", "PUBLIC_BODY_KIND_UNKNOWN",
    "PUBLIC_BODY_EXCEPTION_POSSIBLE",
    "ARREARS_METHOD_UNSOURCED", "NOT_IN_SHEKELS", "NOT_LATE", "FIGURE_REFUSED",
    "PaymentDay", "LateAdditions", "shotef_plus", "payment_day", "late_additions", "unsourced",
]


@dataclass(frozen=True, slots=True)
class LawFigure:
    """One figure of the law, in force from ``start``, with where it was read (``source``: the
    stored page's address and the quoted sentence) and how sure that is (``certainty``)."""

    start: date
    value: int
    source: str
    certainty: str

    @property
    def sourced(self) -> bool:
        return self.certainty != "NOT FOUND"


_S7 = "docs/legal-sources.md §7 — "

#: the law's start as the text's commencement is quoted (90 days after publication); transactions
#: from this day on
LAW_START = LawFigure(
    date(2017, 6, 30), 0,
    _S7 + "http://www.bf-law.co.il/BFLawSite/Templates/ShowPage.asp?DBID=1&LNGID=2&TMID=111&FID=675&IID=6208 "
    "\"יחול על כל הסכם שנכרת החל מיום התחילה הקבוע בחוק -30.6.2017, ואילך\"; "
    "https://www.maariv.co.il/business/economic/israel/Article-576384 \"תחילת החוק הוא 90 יום מיום "
    "פרסומו והוא יחול רק על חוזים חדשים\"", "MEDIUM")

#: the latest start another source gives ("נכנס לתוקף ב-30.07.17", sba.org.il): invoices dated from
#: :data:`LAW_START` up to this day are flagged for a person
LAW_START_LATEST = LawFigure(
    date(2017, 7, 30), 0,
    _S7 + "https://www.sba.org.il/hb/Guides/Pages/Rashuyot_Proj/Payments.aspx \"חוק מוסר תשלומים "
    "לספקים, התשע\"ז–2017 נכנס לתוקף ב-30.07.17\"; https://www.lahav.org.il (\"נכנס לתוקף ב-1 ביולי "
    "2017\")", "LOW")

#: a business buyer: days after the end of the month in which the invoice was submitted (שוטף + 45)
BUSINESS_TERM = LawFigure(
    date(2017, 6, 30), 45,
    _S7 + "http://en.sbilaw.com/media/client-update-payment-ethics-law.aspx \"A business shall pay a "
    "supplier upon terms of current + 45, unless the parties have expressly stipulated in the contract "
    "a different payment period, which was prescribed having regard to the special nature of the "
    "contract or is not exceptionally unfair.\"; https://www.lexology.com/library/detail.aspx?"
    "g=ab232f5b-b06f-4158-896a-ff0a0570e7ba \"Businesses are all required to pay to suppliers at "
    "\\\"current\\\"+45.\"; https://www.davar1.co.il/56567/ \"ורשויות מקומיות, גופים ציבוריים וגופים "
    "פרטיים ישלמו בשוטף פלוס 45\"", "MEDIUM")

#: a public body: the latest term the law gives any public body outside its exceptions
#: (local authorities s.3(ו), budgeted and statutory bodies): שוטף + 45
PUBLIC_BODY_TERM = LawFigure(
    date(2017, 6, 30), 45,
    _S7 + "https://www.sba.org.il/hb/Guides/Pages/Rashuyot_Proj/Payments.aspx (s.3(ו)) \"יש לשלם לו "
    "את התמורה בעד העסקה לא יאוחר מ-45 ימים מתום החודש בו הומצא החשבון (שוטף+45)\"; "
    "https://www.chamber.org.il/serviceslobby/legal/1858/75560/ \"משרדי הממשלה ורשויות המדינה ישלמו "
    "חשבון בתוך 45 ימים מיום המצאתו, או לא יאוחר מ-30 ימים מתום החודש שבו הומצא החשבון\"; "
    "lexology (above) \"Governmental and municipal entities may not extend these timetables.\"",
    "MEDIUM")

#: after the legal day: linkage differentials and interest as the Interest and Linkage
#: Adjudication Law defines them
LINKAGE_AND_INTEREST = LawFigure(
    date(2017, 6, 30), 0,
    _S7 + "https://www.nevo.co.il/law_html/law00/144599.htm (s.2) \"\"הפרשי הצמדה וריבית\" – כהגדרתם "
    "בחוק פסיקת ריבית והצמדה\"; https://www.kolzchut.org.il/he/המועד_האחרון_לתשלום_תמורה_לספקים_עבור_"
    "סחורה_או_שירות \"אם מזמין השירות או הסחורה לא שילם לספק את התמורה עד המועד האחרון הקבוע בחוק, "
    "זכאי הספק לקבל הפרשי הצמדה וריבית, ולאחר 30 יום תתווסף גם ריבית פיגורים\"", "MEDIUM")

#: days after the legal day from which arrears interest is added (the 31st day is the first)
ARREARS_AFTER_DAYS = LawFigure(
    date(2017, 6, 30), 30,
    _S7 + "kolzchut (above) \"ולאחר 30 יום תתווסף גם ריבית פיגורים\"; "
    "https://www.chamber.org.il/serviceslobby/legal/1858/75560/ \"איחור בתשלום יוביל לתוספת הפרשי "
    "הצמדה וריבית, ולאחר 30 ימים תוספת של ריבית פיגורים.\"", "MEDIUM")

#: how the arrears interest is computed under this law: not found
ARREARS_METHOD = LawFigure(
    date(2017, 6, 30), 0,
    _S7 + "NOT FOUND: the law's s.4 text (whether arrears interest replaces the linked interest or is "
    "added to it, and what it is after the Interest Law's amendment 9) is not in a stored copy",
    "NOT FOUND")

FIGURES: tuple[LawFigure, ...] = (LAW_START, LAW_START_LATEST, BUSINESS_TERM, PUBLIC_BODY_TERM,
                                  LINKAGE_AND_INTEREST, ARREARS_AFTER_DAYS, ARREARS_METHOD)

# --- codes -------------------------------------------------------------------------------------

#: which of the law's buyers the customer is
PUBLIC_BODY, BUSINESS = "public_body", "business"
#: why :func:`payment_day` gave the day it gave
NOT_A_BUYER = "not_a_buyer"                  # a consumer: the law does not apply
BEFORE_THE_LAW = "before_the_law"            # an invoice dated before the law began
AGREED_STANDS = "agreed_stands"              # the agreed date is on or before the law's day
PUBLIC_BODY_YIELDS = "public_body_yields"    # a public body's later agreed date yields to the law's
LARGE_BUYER_YIELDS = "large_buyer_yields"    # a large business buyer's later agreed date yields
AGREED_LATER_PERSON_DECIDES = "agreed_later_person_decides"  # a later agreed date a person weighs
#: notes
START_UNCERTAIN = "start_uncertain"
PUBLIC_BODY_KIND_UNKNOWN = "public_body_kind_unknown"
PUBLIC_BODY_EXCEPTION_POSSIBLE = "public_body_exception_possible"   # a director general's approved later day
ARREARS_METHOD_UNSOURCED = "arrears_method_unsourced"
NOT_IN_SHEKELS = "not_in_shekels"
NOT_LATE = "not_late"
FIGURE_REFUSED = "figure_refused"


# --- the legal payment day ------------------------------------------------------------------------


def shotef_plus(day: date, days: int) -> date:
    """*שוטף + days*: ``days`` days after the last day of ``day``'s month (an invoice of 15
    January at שוטף + 45 is due 17 March)."""
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=last) + timedelta(days=days)


@dataclass(frozen=True, slots=True)
class PaymentDay:
    """The law's answer for one invoice.

    ``applies``: the law covers it. ``buyer``: :data:`PUBLIC_BODY` or :data:`BUSINESS`.
    ``law_day``: the latest day the law's term gives (*שוטף + 45* of the invoice's date).
    ``legal_day``: the day the payment was legally due — the agreed day, or the law's day where
    the agreed one yields. ``reason``: why (a code). ``yields``: the agreed day was later and gave
    way. ``needs_person``: a code when a person must decide or check before the day is relied on.
    ``notes``: further codes (e.g. :data:`PUBLIC_BODY_KIND_UNKNOWN`). ``figures``: the figures used.
    """

    applies: bool
    reason: str
    agreed_day: date
    buyer: str = ""
    law_day: date | None = None
    legal_day: date | None = None
    yields: bool = False
    needs_person: str | None = None
    notes: tuple[str, ...] = ()
    figures: tuple[LawFigure, ...] = ()


def payment_day(customer_kind: str, invoice_date: date, agreed_day: date,
                large_business: bool = False) -> PaymentDay:
    """The legal payment day of an invoice dated ``invoice_date`` and agreed to be paid on
    ``agreed_day`` by a customer of ``customer_kind`` (the rules: see the module's text)."""
    kind = customer_kinds.known(customer_kind)
    if kind == customer_kinds.CONSUMER:
        return PaymentDay(False, NOT_A_BUYER, agreed_day)
    if invoice_date < LAW_START.start:
        return PaymentDay(False, BEFORE_THE_LAW, agreed_day, figures=(LAW_START,))
    notes: list[str] = []
    needs: str | None = None
    if invoice_date <= LAW_START_LATEST.start:
        needs = START_UNCERTAIN
    if kind == customer_kinds.PUBLIC_BODY:
        term, buyer = PUBLIC_BODY_TERM, PUBLIC_BODY
        notes.append(PUBLIC_BODY_KIND_UNKNOWN)
    else:
        term, buyer = BUSINESS_TERM, BUSINESS
    law_day = shotef_plus(invoice_date, term.value)
    figures = (LAW_START, term)
    if agreed_day <= law_day:
        return PaymentDay(True, AGREED_STANDS, agreed_day, buyer, law_day, agreed_day, False, needs,
                          tuple(notes), figures)
    if buyer == PUBLIC_BODY:
        return PaymentDay(True, PUBLIC_BODY_YIELDS, agreed_day, buyer, law_day, law_day, True, needs,
                          (*notes, PUBLIC_BODY_EXCEPTION_POSSIBLE), figures)
    if large_business:
        return PaymentDay(True, LARGE_BUYER_YIELDS, agreed_day, buyer, law_day, law_day, True, needs,
                          tuple(notes), figures)
    return PaymentDay(True, AGREED_LATER_PERSON_DECIDES, agreed_day, buyer, law_day, agreed_day, False,
                      needs or AGREED_LATER_PERSON_DECIDES, tuple(notes), figures)


# --- what the law adds when late ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LateAdditions:
    """What the law adds to one invoice paid after its legal day, up to ``as_of``.

    ``linkage_interest``: the breakdown of linkage differentials and interest from the day after
    the legal day (None when not late, not in shekels or refused). ``arrears_from``: the first day
    of arrears interest (None when the delay has not reached it); its amount is not computed
    (:data:`ARREARS_METHOD_UNSOURCED` in ``notes``). ``refused``: a code when the figure could not
    be computed (``refused_params`` its values: e.g. a rate table and day not on file).
    """

    legal_day: date
    as_of: date
    days_late: int
    linkage_interest: InterestBreakdown | None = None
    arrears_from: date | None = None
    refused: str | None = None
    refused_params: tuple[tuple[str, object], ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def total(self) -> Money | None:
        """Linkage and interest computed (arrears interest is never in it); None when none was."""
        return None if self.linkage_interest is None else self.linkage_interest.total


def late_additions(day: PaymentDay, ref: str, amount: Money, as_of: date,
                   payments: tuple[tuple[date, Money], ...] = (), book: RateBook | None = None) -> LateAdditions:
    """What the law adds to invoice ``ref`` of ``amount`` (payments made on it: ``payments``)
    from the day after ``day.legal_day`` up to and including ``as_of``.

    Linkage differentials and interest are computed by :func:`gvia.core.interest.calculate`
    (:class:`~gvia.core.interest.IlLinkage`, linked interest): this module adapts the law's legal
    day to that module's due date and adds nothing of its own. A rate or index that is not on
    file, or a period that module gives no figure for (its ``unsourced`` days: then no partial
    figure either), comes back as ``refused`` with the reason's code and values — never a zero."""
    if not day.applies or day.legal_day is None:
        raise Refused("late_additions needs a payment day the law applies to")  # not shown: a caller's bug
    legal = day.legal_day
    late = max((as_of - legal).days, 0)
    if late == 0:
        return LateAdditions(legal, as_of, 0, notes=(NOT_LATE,))
    notes = [ARREARS_METHOD_UNSOURCED]
    arrears_from = legal + timedelta(days=ARREARS_AFTER_DAYS.value + 1)
    if arrears_from > as_of:
        arrears_from_or_none: date | None = None
        notes = []
    else:
        arrears_from_or_none = arrears_from
    if amount.currency != "ILS":
        return LateAdditions(legal, as_of, late, None, arrears_from_or_none, NOT_IN_SHEKELS, (),
                             tuple(notes))
    try:
        breakdown = calculate(IlLinkage(interest="linked"),
                              LateDebt(ref, amount, legal, payments=payments), as_of, book)
    except GviaError as e:  # a missing rate or index, a period the interest module refuses
        code = getattr(e, "code", "") or FIGURE_REFUSED
        params = tuple(sorted((k, v) for k, v in dict(getattr(e, "params", {}) or {}).items()))
        return LateAdditions(legal, as_of, late, None, arrears_from_or_none, code, params, tuple(notes))
    if not breakdown.complete:   # days the interest module gives no figure for (e.g. its amendment 9)
        gap = breakdown.unsourced[0]
        return LateAdditions(legal, as_of, late, None, arrears_from_or_none, gap.code,
                             (("end", gap.end), ("start", gap.start)), tuple(notes))
    return LateAdditions(legal, as_of, late, breakdown, arrears_from_or_none, None, (), tuple(notes))


def unsourced() -> tuple[LawFigure, ...]:
    """The figures whose text was not found (for the closing notes and ``gvia explain``)."""
    return tuple(f for f in FIGURES if not f.sourced)


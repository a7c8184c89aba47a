"""Which legal route fits an Israeli debt on the day it is filed, with the figures as data.

:func:`routes_for` is the one route computation (``gvia legal``, the case file, the customer
page and the filing pack all read it). It looks at every route in turn and says whether it
fits (``fits`` True or False) or cannot be told (``None``: a figure is not on file for that
day, or a condition depends on facts gvia does not know), always with the reason as a
:class:`~gvia.core.errors.Worded` (the edges word it, ``problem.<code>``; the route's name is
``route.<code>`` in the catalogs):

1. **Execution Office, fixed-sum claim** (תביעה על סכום קצוב, Execution Law 5727-1967
   s.81A1): a fixed sum arising from an explicit written contract or undertaking (or a
   statutory obligation), not more than the cap **on the day of filing** (later interest and
   linkage do not matter), after a warning served by registered mail and the notice period.
   Whether it fits is :func:`gvia.core.legal_rules.fixed_sum_fit`'s (the one test the letter
   and the ladder ask too); the first filing day is :func:`gvia.core.legal_rules.earliest_filing`'s.
2. **Execution Office, shortened track** (המסלול המקוצר, Execution Law chapter A1): for
   creditors **not represented by a lawyer**, debts of not more than ₪25,000 including interest
   and linkage; not against a debtor with a consolidated case (תיק איחוד) or declared "limited
   in means". The date from which ₪25,000 applies (it was ₪10,000 when the track opened in 2009)
   **was not found**: the figure is on file from 2021, when Kol-Zchut states it; for an earlier
   filing day the route is "cannot tell". ``represented`` True: it does not fit; None: listed
   as a condition.
3. **Small claims court** (בית משפט לתביעות קטנות, Courts Law s.60): up to a limit updated by
   the CPI every 1 January (rounded to ₪100, Courts Order (Change of Amount of Claim in Small
   Claims) 5768-2008 s.2). Only the years whose figure was found are on file
   (:data:`SMALL_CLAIMS_LIMITS`: 2017, 2021, 2024, 2025); for other years the route is "cannot
   tell" until the figure is added. Only an individual may file — a company cannot
   (``claimant_is_individual``; unknown → "cannot tell") — and no more than
   :data:`SMALL_CLAIMS_YEARLY` claims a year in the same court (``small_claims_this_year``: how
   many the creditor filed there this year; unknown → a condition).
4. **Magistrates' court** (בית משפט השלום, Courts Law s.51(a)(2)): civil claims up to
   ₪2,500,000. Whether the figure is index-linked, and since when it applies, was not
   found; it is on file from 2023, when a published quotation of s.51 states it.
5. **District court** (בית המשפט המחוזי): everything above the magistrates' limit.

Two facts close every route:

* **Limitation** (:mod:`gvia.core.limitation`): the caller leaves time-barred invoices out of
  ``amount`` and passes their sum as ``time_barred``; when nothing else is left, no route fits.
* **The consumer debt notice** (Consumer Protection Law s.13B2): for a consumer, no collection
  step before 14 days have passed since the notice was sent. ``consumer_notice`` is a
  :class:`ConsumerNotice` (None: the debtor is not a consumer): ``sent`` with the first day
  collection is allowed, ``not_sent``, ``missed`` (the 4-month window passed: a person
  decides) or ``unknown``; :meth:`ConsumerNotice.of` reads it from the notice's one rule
  (:func:`gvia.core.debt_notice.assess`). A filing day before the allowed day fits no route.

Amounts are in shekels; convert a foreign-currency debt on the filing day first. The sources of
every figure (the stored page's address and the sentence quoted) are in
``docs/legal-sources.md`` sections 1 and 9, and in each figure's ``source`` and ``quote``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from .debt_notice import NEEDS_NOTICE, WINDOW_MISSED, Assessment
from .errors import RefusedFor, Worded
from .legal_rules import EXECUTION_OFFICE_RULES, fixed_sum_fit
from .money import Money

__all__ = ["Figure", "CountFigure", "Route", "ConsumerNotice", "CONSUMER_NOTICE_STATES",
           "SHORTENED_TRACK_CAPS", "SMALL_CLAIMS_LIMITS", "SMALL_CLAIMS_YEARLY", "MAGISTRATES_LIMITS",
           "ROUTE_CODES", "figure_on", "routes_for"]


@dataclass(frozen=True)
class Figure:
    """A legal amount in force from ``valid_from`` to ``valid_to`` (inclusive; None: until
    replaced). An amount fits when it is at most ``limit``. ``source``: where it was read (the
    stored page's address); ``quote``: the sentence that states it."""

    limit: Money
    valid_from: date
    valid_to: date | None
    source: str
    note: str = ""
    quote: str = ""


@dataclass(frozen=True)
class CountFigure:
    """A legal count (how many claims), with its source; ``stated_on``: the day the source states
    it as current (the day it came into force was not found)."""

    limit: int
    stated_on: date | None
    source: str
    quote: str
    note: str = ""


SHORTENED_TRACK_CAPS: tuple[Figure, ...] = (
    Figure(Money.of(25000, "ILS"), date(2021, 1, 1), None,
           "https://govextra.gov.il/eca-eca-site-eca-fast-track/ (Enforcement and Collection Authority, "
           "the shortened track); https://www.kolzchut.org.il/he/תביעה_על_סכום_קצוב_בהוצאה_לפועל (Kol-Zchut, "
           "as of 2021)",
           "the cap includes interest and linkage; raised from ₪10,000 (track opened 16.5.2009) on a date "
           "that was not found: on file from 2021 only",
           "גובה החוב בתיק לא יעלה על 25,000 ש\"ח (כולל ריבית והצמדה); המסלול המקוצר מיועד לזוכים שלא "
           "מיוצגים על ידי עורך דין"),
)

SMALL_CLAIMS_LIMITS: tuple[Figure, ...] = (
    Figure(Money.of(33400, "ILS"), date(2017, 1, 1), date(2017, 12, 31),
           "http://elyon1.court.gov.il/heb/agrot/ktanot.htm (Courts Administration notice under the Courts "
           "Order (Change of Amount of Claim in Small Claims) 5768-2008)",
           quote="סמכות בית המשפט לתביעות קטנות תעמוד החל ביום ג בטבת התשע\"ז (1 בינואר 2017) על- 33,400 "
                 "שקלים חדשים"),
    Figure(Money.of(33800, "ILS"), date(2021, 1, 1), date(2021, 12, 31),
           "https://www.kolzchut.org.il/he/הגשת_תביעה_קטנה (Kol-Zchut, 'Filing a small claim', revision of "
           "January 2021)",
           quote="תביעות בסכומים של עד 33,800 ש\"ח (נכון לינואר 2021) ניתן להגיש לבית המשפט לתביעות קטנות"),
    Figure(Money.of(37700, "ILS"), date(2024, 1, 1), date(2024, 12, 31),
           "https://www.kolzchut.org.il/he/הגשת_תביעה_קטנה (Kol-Zchut, 'Filing a small claim')",
           quote="בית משפט לתביעות קטנות רשאי לדון בתביעות על סכומים של עד 37,700 ₪ (נכון לינואר 2024)"),
    Figure(Money.of(38900, "ILS"), date(2025, 1, 1), date(2025, 12, 31),
           "https://www.gov.il/en/service/filing_a_small_claim (the Judicial Authority's service page)",
           quote="The amount claimed in a small claim may be up to NIS 38,900 (as of 1.1.2025)."),
)

#: No more than this many small claims a year in the same court (the claimant declares it in the
#: statement of claim). The regulation's own text was not found: two secondary sources state it.
SMALL_CLAIMS_YEARLY = CountFigure(
    5, None,
    "http://www.jasonwaller.net/small-claims-court/ ; the claimant's declaration in statements of claim "
    "(docs/legal-sources.md 9c)",
    "One plaintiff can not serve in the same court for more than five claims per year. / לא הגשתי בשנה "
    "האחרונה יותר מחמש תביעות בבית משפט זה לתביעות קטנות",
    "the regulation's text and the date it applies from were not found")

MAGISTRATES_LIMITS: tuple[Figure, ...] = (
    Figure(Money.of(2500000, "ILS"), date(2023, 1, 1), None,
           "https://www.ophirlaw.com/בית_משפט_השלום/ (Courts Law [Consolidated Version] 5744-1984, s.51, "
           "quoted)",
           "in force before 2023 too; the starting date and any index linkage were not found: on file "
           "from 2023 only",
           "בתביעות אזרחיות, בית משפט השלום ידון בתביעות שסכום התביעה אינו עולה על סך של 2,500,000 ש\"ח"),
)

ROUTE_CODES = ("execution_office_fixed_sum", "execution_office_shortened_track", "small_claims_court",
               "magistrates_court", "district_court")

#: What :class:`ConsumerNotice` may say (see the module doc).
CONSUMER_NOTICE_STATES = ("sent", "not_sent", "missed", "unknown")


@dataclass(frozen=True)
class ConsumerNotice:
    """Where a consumer's debt notice (Consumer Protection Law s.13B2) stands: ``state`` one of
    :data:`CONSUMER_NOTICE_STATES`; for ``sent``, ``allowed_from`` is the first day a collection
    step is allowed (14 days after sending, as the debt notice's own rule counts them)."""

    state: str
    allowed_from: date | None = None

    @classmethod
    def of(cls, found: Assessment) -> ConsumerNotice:
        """What the debt notice's own rule (:func:`gvia.core.debt_notice.assess`, on the filing
        day) says, as the routes read it: a missed window first, then a notice still to send, then
        the first day every notice's 14 days are over."""
        code = found.code
        if code == WINDOW_MISSED:
            return cls("missed")
        if code == NEEDS_NOTICE:
            return cls("not_sent")
        days = [s.day for s in found.statuses]
        if not days:
            return cls("unknown")
        return cls("sent", allowed_from=max(days))

    def __post_init__(self) -> None:
        if self.state not in CONSUMER_NOTICE_STATES:
            raise ValueError(f"unknown consumer notice state {self.state!r}")  # not shown: a caller's bug
        if self.state == "sent" and self.allowed_from is None:
            raise ValueError("a sent debt notice needs its first allowed day")  # not shown: a caller's bug


@dataclass(frozen=True)
class Route:
    """One route: ``code`` (its name is ``route.<code>`` in the catalogs), whether it ``fits``
    (None: cannot tell), why, the limit and its source, and the conditions to check."""

    code: str
    fits: bool | None
    reason: str
    limit: Money | None = None
    source: str = ""
    conditions: tuple[str, ...] = ()


def figure_on(figures: tuple[Figure, ...], day: date) -> Figure | None:
    """The figure in force on ``day``, or None when none on file covers it."""
    for f in sorted(figures, key=lambda f: f.valid_from, reverse=True):
        if f.valid_from <= day and (f.valid_to is None or day <= f.valid_to):
            return f
    return None


def _route(code: str, fits: bool | None, reason: Worded, limit: Money | None = None,
           source: str = "", conditions: tuple[str, ...] = ()) -> Route:
    return Route(code, fits, reason, limit, source, conditions)


# What a limit is, as the reasons name it (each a Worded: the edges word it, problem.<code>)
_WHAT = {
    "fixed_sum": Worded("the fixed-sum claim cap", code="route_what_fixed_sum"),
    "shortened": Worded("the shortened-track cap", code="route_what_shortened"),
    "small_claims": Worded("the small-claims limit", code="route_what_small_claims"),
    "magistrates": Worded("the magistrates' court limit", code="route_what_magistrates"),
}


def _within(amount: Money, what: Worded, limit: Money) -> Worded:
    return Worded(f"{amount} is within {what} of {limit}", code="route_within", amount=amount, what=what,
                  limit=limit)


def _over(amount: Money, what: Worded, limit: Money) -> Worded:
    return Worded(f"{amount} is more than {what} of {limit}", code="route_over", amount=amount, what=what,
                  limit=limit)


def _reasons(*reasons: str) -> Worded:
    """Several reasons as one (the edges join them with "; ")."""
    return Worded("; ".join(reasons), code="route_reasons", reasons=reasons)


def _capped(code: str, amount: Money, figure: Figure | None, day: date, what: Worded,
            conditions: tuple[str, ...] = ()) -> Route:
    if figure is None:
        return _route(code, None, Worded(f"{what} in force on {day.isoformat()} is not on file; check the current "
                                         "figure before choosing this route", code="route_figure_missing",
                                         what=what, day=day),
                      conditions=conditions)
    if amount <= figure.limit:
        return _route(code, True, _within(amount, what, figure.limit), figure.limit, figure.source, conditions)
    return _route(code, False, _over(amount, what, figure.limit), figure.limit, figure.source, conditions)


_MISFIT_WORDS = {
    "not_in_shekels": Worded("the claim is not in shekels", code="route_not_in_shekels"),
    "no_written_basis": Worded("no explicit written contract or undertaking is on file", code="route_no_written_basis"),
}


def _fixed_sum(amount: Money, filing_day: date, written_basis: bool | None) -> Route:
    """The fixed-sum route, judged by :func:`gvia.core.legal_rules.fixed_sum_fit` (``written_basis``
    None: not known, judged on the amount, the condition listed)."""
    code = "execution_office_fixed_sum"
    fit = fixed_sum_fit(amount, filing_day, written_basis is not False)
    rule = fit.rule
    if rule is None:
        first = min(r.valid_from for r in EXECUTION_OFFICE_RULES)
        return _route(code, None, Worded(f"the fixed-sum claim cap in force on {filing_day.isoformat()} is not "
                                         f"on file (first on file from {first.isoformat()})",
                                         code="route_fixed_sum_missing", day=filing_day, first=first))
    conditions = (Worded("the debt arises from an explicit written contract or undertaking (or a statute)",
                         code="route_condition_written_basis"),
                  Worded(f"a warning was served by registered mail with delivery confirmation and "
                         f"{rule.notice_days} days have passed since its delivery before filing",
                         code="route_condition_warning_served", days=rule.notice_days))
    if fit.fits:
        return _route(code, True, _within(amount, _WHAT["fixed_sum"], rule.cap), rule.cap, rule.source_en,
                      conditions)
    why = _reasons(*(_over(amount, _WHAT["fixed_sum"], rule.cap) if r == "over_fixed_sum_cap"
                     else _MISFIT_WORDS.get(r, Worded(r, code="route_reason_" + r)) for r in fit.reasons))
    return _route(code, False, why, rule.cap, rule.source_en, conditions)


def _shortened(amount: Money, filing_day: date, represented: bool | None) -> Route:
    code = "execution_office_shortened_track"
    conditions: tuple[str, ...] = (
        Worded("the debt has an execution title: a judgment, a cheque or bill, or a fixed-sum claim",
               code="route_condition_execution_title"),
        Worded("the debtor has no consolidated case and is not declared limited in means",
               code="route_condition_no_consolidated_case"))
    if represented is None:
        conditions += (Worded("the creditor is not represented by a lawyer", code="route_condition_unrepresented"),)
    route = _capped(code, amount, figure_on(SHORTENED_TRACK_CAPS, filing_day), filing_day, _WHAT["shortened"],
                    conditions)
    if represented and route.fits is not False:
        return replace(route, fits=False, reason=Worded("the shortened track is only for creditors not "
                                                        "represented by a lawyer", code="route_shortened_represented"))
    return route


def _small_claims(amount: Money, filing_day: date, claimant_is_individual: bool | None,
                  this_year: int | None) -> Route:
    code = "small_claims_court"
    yearly = SMALL_CLAIMS_YEARLY.limit
    conditions: tuple[str, ...] = (Worded("only an individual may file a small claim",
                                          code="route_condition_individual_only"),)
    if this_year is None:
        conditions += (Worded(f"no more than {yearly} small claims a year in the same court",
                              code="route_condition_yearly_claims", count=yearly),)
    small = _capped(code, amount, figure_on(SMALL_CLAIMS_LIMITS, filing_day), filing_day, _WHAT["small_claims"],
                    conditions)
    if small.fits is False:
        return small
    if claimant_is_individual is False:
        return replace(small, fits=False, reason=Worded("a company cannot file a small claim (only an individual "
                                                        "may)", code="route_small_claims_company"))
    if this_year is not None and this_year >= yearly:
        return replace(small, fits=False, reason=Worded(
            f"{this_year} small claims were filed this year; no more than {yearly} a year in the same court",
            code="route_small_claims_yearly", count=this_year, limit=yearly))
    if small.fits and claimant_is_individual is None:
        return replace(small, fits=None, reason=_reasons(small.reason, Worded(
            "only an individual may file a small claim (a company cannot)", code="route_small_claims_individual")))
    return small


def _closed(routes: list[Route], why: Worded) -> list[Route]:
    """Every route closed for ``why`` (the figures kept, for the reader)."""
    return [replace(r, fits=False, reason=why) for r in routes]


def _unsure(routes: list[Route], why: Worded) -> list[Route]:
    """A route that would fit cannot be told until ``why`` is settled."""
    return [replace(r, fits=None, reason=_reasons(r.reason, why)) if r.fits else r for r in routes]


def _consumer_gate(routes: list[Route], notice: ConsumerNotice | None, filing_day: date) -> list[Route]:
    if notice is None:
        return routes
    if notice.state == "sent":
        assert notice.allowed_from is not None
        if filing_day >= notice.allowed_from:
            return routes
        return _closed(routes, Worded(f"a consumer's debt: no collection step before {notice.allowed_from} "
                                      "(14 days after the debt notice was sent)",
                                      code="route_consumer_notice_wait", day=notice.allowed_from))
    if notice.state == "not_sent":
        return _closed(routes, Worded("a consumer's debt: no debt notice was sent, so no collection step is "
                                      "allowed yet", code="route_consumer_notice_not_sent"))
    if notice.state == "missed":
        return _closed(routes, Worded("a consumer's debt whose debt notice was not sent within 4 months of the "
                                      "due date: a person decides", code="route_consumer_notice_missed"))
    return _unsure(routes, Worded("a consumer's debt: whether the debt notice was sent and its 14 days have "
                                  "passed is not known", code="route_consumer_notice_unknown"))


def routes_for(amount: Money, filing_day: date, *,
               claimant_is_individual: bool | None = None, written_basis: bool | None = None,
               represented: bool | None = None, small_claims_this_year: int | None = None,
               time_barred: Money | None = None, consumer_notice: ConsumerNotice | None = None) -> list[Route]:
    """Every route, in the order a collector considers them, each saying whether it fits
    ``amount`` (the claim on ``filing_day``, interest and linkage included, time-barred invoices
    left out) and why (see the module doc for the facts: ``written_basis``, ``represented``,
    ``claimant_is_individual``, ``small_claims_this_year``, ``time_barred``, ``consumer_notice``;
    None: not known)."""
    if not isinstance(amount, Money) or amount.currency != "ILS":
        raise RefusedFor("legal_routes_not_ils", "the Israeli legal routes are judged in shekels: convert the "
                         "claim to ILS on the filing day first")
    barred = time_barred is not None and time_barred.amount > 0
    if amount.amount < 0 or (amount.amount == 0 and not barred):
        raise RefusedFor("legal_nothing_to_claim", "there is nothing to claim")
    routes: list[Route] = [_fixed_sum(amount, filing_day, written_basis),
                           _shortened(amount, filing_day, represented),
                           _small_claims(amount, filing_day, claimant_is_individual, small_claims_this_year)]

    magistrates = figure_on(MAGISTRATES_LIMITS, filing_day)
    routes.append(_capped("magistrates_court", amount, magistrates, filing_day, _WHAT["magistrates"]))
    if magistrates is None:
        routes.append(_route("district_court", None,
                             Worded("the magistrates' court limit for this day is not on file, so the court "
                                    "cannot be chosen", code="route_district_unknown")))
    elif amount > magistrates.limit:
        routes.append(_route("district_court", True, _over(amount, _WHAT["magistrates"], magistrates.limit),
                             magistrates.limit, magistrates.source))
    else:
        routes.append(_route("district_court", False, _within(amount, _WHAT["magistrates"], magistrates.limit),
                             magistrates.limit, magistrates.source))
    if amount.amount == 0:
        assert time_barred is not None
        return _closed(routes, Worded(f"every invoice of the claim ({time_barred}) is time-barred on the filing day",
                                      code="route_time_barred", amount=time_barred))
    return _consumer_gate(routes, consumer_notice, filing_day)

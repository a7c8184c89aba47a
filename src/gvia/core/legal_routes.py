"""Which legal route fits an Israeli debt on the day it is filed, with the figures as data.

:func:`routes_for` looks at every route in turn and says whether it fits (``fits`` True or
False) or cannot be told (``None``: a figure is not on file for that day, or a condition
depends on facts gvia does not know), always with the reason in words:

1. **Execution Office, fixed-sum claim** (תביעה על סכום קצוב, Execution Law 5727-1967
   s.81A1): a fixed sum arising from an explicit written contract or undertaking (or a
   statutory obligation), not more than the cap **on the day of filing** (later interest and
   linkage do not matter), after a warning served by registered mail and the notice period.
   Whether it fits is :func:`gvia.core.legal_rules.fixed_sum_fit`'s (the one test the letter
   and the ladder ask too); the first filing day is :func:`gvia.core.legal_rules.earliest_filing`'s.
2. **Execution Office, shortened track** (המסלול המקוצר, Execution Law chapter A1): an
   option for debts of not more than ₪25,000 including interest and linkage - the Authority
   collects (attachment of money and of the debtor's car) without further requests, usually
   within 8 months. Not available against a debtor with a consolidated case (תיק איחוד) or
   declared "limited in means". The date from which ₪25,000 applies (it was ₪10,000 when the
   track opened in 2009) **was not confirmed**: the figure is on file from 2021, when it is
   confirmed by the sources named; for an earlier filing day the route is "cannot tell".
3. **Small claims court** (בית משפט לתביעות קטנות, Courts Law s.60): up to a limit updated by
   the CPI every 1 January (rounded to ₪100). Only the years whose figure was confirmed are on
   file (2017, 2021, 2024); for other years the route is "cannot tell" until the figure is
   added. Only an individual may file: a company cannot (so ``claimant_is_individual``
   decides; unknown → "cannot tell").
4. **Magistrates' court** (בית משפט השלום, Courts Law s.51(a)(2)): civil claims up to
   ₪2,500,000. Whether the figure is index-linked, and since when it applies, was not
   confirmed; it is on file from 2023, when a published summary of s.51 confirms it.
5. **District court** (בית המשפט המחוזי): everything above the magistrates' limit.

Amounts are in shekels; convert a foreign-currency debt on the filing day first.

The Execution Office figures are :mod:`gvia.core.legal_rules`' (the letters read the same table).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .errors import RefusedFor, Worded
from .legal_rules import EXECUTION_OFFICE_RULES, fixed_sum_fit
from .money import Money

__all__ = ["Figure", "Route", "SHORTENED_TRACK_CAPS", "SMALL_CLAIMS_LIMITS",
           "MAGISTRATES_LIMITS", "ROUTE_CODES", "figure_on", "routes_for"]


@dataclass(frozen=True)
class Figure:
    """A legal amount in force from ``valid_from`` to ``valid_to`` (inclusive; None: until
    replaced). An amount fits when it is at most ``limit``."""

    limit: Money
    valid_from: date
    valid_to: date | None
    source: str
    note: str = ""


SHORTENED_TRACK_CAPS: tuple[Figure, ...] = (
    Figure(Money.of(25000, "ILS"), date(2021, 1, 1), None,
           "Execution Law 5727-1967, chapter A1 (shortened track); Enforcement and Collection "
           "Authority, 'the shortened track' service page; Kol-Zchut, 'Execution in the "
           "shortened track'",
           "the cap includes interest and linkage; raised from ₪10,000 (track opened 2009) by "
           "an Arrangements Law amendment whose date was not confirmed: on file from 2021 only"),
)

SMALL_CLAIMS_LIMITS: tuple[Figure, ...] = (
    Figure(Money.of(33400, "ILS"), date(2017, 1, 1), date(2017, 12, 31),
           "Courts Administration notice under the Courts Order (Change of Amount of Claim in "
           "Small Claims) 5768-2008, in force 1 January 2017"),
    Figure(Money.of(33800, "ILS"), date(2021, 1, 1), date(2021, 12, 31),
           "Kol-Zchut, 'Filing a small claim' (figure as of January 2021)"),
    Figure(Money.of(37700, "ILS"), date(2024, 1, 1), date(2024, 12, 31),
           "Kol-Zchut, 'Filing a small claim' (figure as of January 2024)"),
)

MAGISTRATES_LIMITS: tuple[Figure, ...] = (
    Figure(Money.of(2500000, "ILS"), date(2023, 1, 1), None,
           "Courts Law [Consolidated Version] 5744-1984, s.51(a)(2)",
           "in force before 2023 too; the starting date and any index linkage were not "
           "confirmed: on file from 2023 only"),
)

ROUTE_CODES = ("execution_office_fixed_sum", "execution_office_shortened_track",
               "small_claims_court", "magistrates_court", "district_court")

_NAMES = {
    "execution_office_fixed_sum": ("Execution Office: fixed-sum claim", "הוצאה לפועל: תביעה על סכום קצוב"),
    "execution_office_shortened_track": ("Execution Office: shortened track", "הוצאה לפועל: המסלול המקוצר"),
    "small_claims_court": ("Small claims court", "בית משפט לתביעות קטנות"),
    "magistrates_court": ("Magistrates' court", "בית משפט השלום"),
    "district_court": ("District court", "בית המשפט המחוזי"),
}


@dataclass(frozen=True)
class Route:
    code: str
    name_en: str
    name_he: str
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
    en, he = _NAMES[code]
    return Route(code, en, he, fits, reason, limit, source, conditions)


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


def routes_for(amount: Money, filing_day: date, *,
               claimant_is_individual: bool | None = None, written_basis: bool | None = None) -> list[Route]:
    """Every route, in the order a collector considers them, each saying whether it fits
    ``amount`` (the claim on ``filing_day``, interest and linkage included) and why
    (``written_basis``: whether the debt rests on a written contract or undertaking; None:
    not known, the fixed-sum route is judged on the amount and lists it as a condition)."""
    if not isinstance(amount, Money) or amount.currency != "ILS":
        raise RefusedFor("legal_routes_not_ils", "the Israeli legal routes are judged in shekels: convert the "
                         "claim to ILS on the filing day first")
    if amount.amount <= 0:
        raise RefusedFor("legal_nothing_to_claim", "there is nothing to claim")
    routes: list[Route] = [_fixed_sum(amount, filing_day, written_basis)]

    routes.append(_capped(
        "execution_office_shortened_track", amount, figure_on(SHORTENED_TRACK_CAPS, filing_day),
        filing_day, _WHAT["shortened"],
        (Worded("the debt has an execution title: a judgment, a cheque or bill, or a fixed-sum claim",
                code="route_condition_execution_title"),
         Worded("the debtor has no consolidated case and is not declared limited in means",
                code="route_condition_no_consolidated_case"))))

    only_individual = Worded("only an individual may file a small claim", code="route_condition_individual_only")
    small = _capped("small_claims_court", amount, figure_on(SMALL_CLAIMS_LIMITS, filing_day),
                    filing_day, _WHAT["small_claims"], (only_individual,))
    if small.fits and claimant_is_individual is False:
        small = _route("small_claims_court", False,
                       Worded("a company cannot file a small claim (only an individual may)",
                              code="route_small_claims_company"), small.limit, small.source, small.conditions)
    elif small.fits and claimant_is_individual is None:
        small = _route("small_claims_court", None,
                       _reasons(small.reason, Worded("only an individual may file a small claim (a company cannot)",
                                                     code="route_small_claims_individual")),
                       small.limit, small.source, small.conditions)
    routes.append(small)

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
    return routes

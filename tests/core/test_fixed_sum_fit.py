"""The fixed-sum route's one test (Execution Law s.81A1): shekels only, within the cap in force
on the filing day, on a written basis."""

from datetime import date

import pytest

from gvia.core.legal_rules import EXECUTION_OFFICE_RULES, execution_office_rule, fixed_sum_fit
from gvia.core.money import Money, Totals

DAY = date(2026, 12, 7)
CAP = execution_office_rule(DAY).cap


def test_at_the_cap_fits_and_a_shekel_over_does_not():
    assert fixed_sum_fit(CAP, DAY, True).fits
    over = fixed_sum_fit(CAP + Money.of("0.01", "ILS"), DAY, True)
    assert not over.fits and over.reasons == ("over_fixed_sum_cap",)
    assert over.rule is not None and over.rule.cap == CAP


def test_the_cap_is_the_one_of_the_filing_day():
    first = min(r.valid_from for r in EXECUTION_OFFICE_RULES)
    before = fixed_sum_fit(Money.of(100, "ILS"), date.fromordinal(first.toordinal() - 1), True)
    assert before.reasons == ("no_rule_on_file",) and before.rule is None
    assert fixed_sum_fit(Money.of(100, "ILS"), first, True).fits


@pytest.mark.parametrize("amounts, basis, reasons", [
    ([Money.of(120000, "ILS")], True, ("over_fixed_sum_cap",)),
    ([Money.of(100, "USD")], True, ("not_in_shekels",)),
    ([Money.of(100, "ILS"), Money.of(5, "EUR")], True, ("not_in_shekels",)),
    ([Money.of(100, "ILS")], False, ("no_written_basis",)),
    ([Money.of(80000, "ILS"), Money.of(1, "GBP")], False,
     ("not_in_shekels", "over_fixed_sum_cap", "no_written_basis")),
])
def test_every_reason_that_applies_in_order(amounts, basis, reasons):
    fit = fixed_sum_fit(amounts, DAY, basis)
    assert fit.reasons == reasons and fit.reason == reasons[0] and not fit.fits


def test_totals_per_currency_are_read_as_amounts():
    assert fixed_sum_fit(Totals([Money.of(40000, "ILS"), Money.of(40000, "ILS")]), DAY, True).reasons == \
        ("over_fixed_sum_cap",)
    assert fixed_sum_fit(Totals([Money.of(40000, "ILS")]), DAY, True).fits

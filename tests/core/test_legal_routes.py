"""Israeli legal routes by amount and filing day, with the figures' sources."""

from datetime import date

import pytest

from gvia.core.errors import Refused
from gvia.core.legal_routes import routes_for
from gvia.core.legal_rules import EXECUTION_OFFICE_RULES
from gvia.core.money import Money


def ils(x):
    return Money.of(x, "ILS")


def fits(routes):
    return {r.code: r.fits for r in routes}


def test_small_debt_in_2024_by_an_individual():
    # ₪20,000 on 1 Jun 2024: within the fixed-sum cap (₪75,000), the shortened track (₪25,000)
    # and the small-claims limit of 2024 (₪37,700); magistrates' court too
    routes = routes_for(ils(20000), date(2024, 6, 1), claimant_is_individual=True)
    assert fits(routes) == {
        "execution_office_fixed_sum": True,
        "execution_office_shortened_track": True,
        "small_claims_court": True,
        "magistrates_court": True,
        "district_court": False,
    }
    small = routes[2]
    assert small.limit == ils(37700) and "Kol-Zchut" in small.source


def test_fixed_sum_cap_comes_from_the_letters_data():
    route = routes_for(ils(20000), date(2024, 6, 1))[0]
    assert route.limit == EXECUTION_OFFICE_RULES[0].cap == ils(75000)
    assert any("registered mail" in c and "30 days" in c for c in route.conditions)


def test_boundaries_and_companies():
    # exactly ₪75,000 fits ("does not exceed"); ₪75,000.01 does not
    assert routes_for(ils(75000), date(2024, 6, 1))[0].fits is True
    assert routes_for(ils("75000.01"), date(2024, 6, 1))[0].fits is False
    # ₪25,000 is within the shortened track; ₪30,000 is not
    assert routes_for(ils(25000), date(2024, 6, 1))[1].fits is True
    assert routes_for(ils(30000), date(2024, 6, 1))[1].fits is False
    # a company cannot file a small claim; unknown claimant: cannot tell
    assert fits(routes_for(ils(30000), date(2024, 6, 1), claimant_is_individual=False))["small_claims_court"] is False
    unknown = routes_for(ils(30000), date(2024, 6, 1))[2]
    assert unknown.fits is None and "company" in unknown.reason


def test_figures_not_on_file_are_cannot_tell():
    # the 2025 small-claims limit is not on file; a filing before the 81A1 cap's data
    r2025 = fits(routes_for(ils(20000), date(2025, 6, 1), claimant_is_individual=True))
    assert r2025["small_claims_court"] is None
    old = routes_for(ils(20000), date(2015, 1, 1))
    assert old[0].fits is None and "2015-10-15" in old[0].reason
    assert old[1].fits is None  # the ₪25,000 shortened-track cap is on file from 2021 only


def test_big_debts_go_to_court():
    r = fits(routes_for(ils(3000000), date(2024, 6, 1)))
    assert r["magistrates_court"] is False and r["district_court"] is True
    assert r["execution_office_fixed_sum"] is False


def test_only_shekels():
    with pytest.raises(Refused):
        routes_for(Money.of(1000, "USD"), date(2024, 6, 1))
    with pytest.raises(Refused):
        routes_for(ils(0), date(2024, 6, 1))


def test_the_fixed_sum_route_is_the_one_fit_test():
    from gvia.core.legal_rules import fixed_sum_fit

    day = date(2026, 12, 7)
    for amount, basis in ((ils(63923), True), (ils(88867), True), (ils(20000), False), (ils(75000), None)):
        route = routes_for(amount, day, written_basis=basis)[0]
        assert route.fits is fixed_sum_fit(amount, day, basis is not False).fits
    no_basis = routes_for(ils(20000), day, written_basis=False)[0]
    assert no_basis.fits is False and "written contract" in no_basis.reason
    over = routes_for(ils(88867), day)[0]
    assert over.fits is False and "more than the fixed-sum claim cap" in over.reason

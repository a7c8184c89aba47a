"""Israeli legal routes by amount and filing day, with the figures' sources."""

from datetime import date

import pytest

from gvia.core.errors import Refused
from gvia.core.legal_routes import (
    SMALL_CLAIMS_LIMITS,
    SMALL_CLAIMS_YEARLY,
    ConsumerNotice,
    figure_on,
    routes_for,
)
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
    # the 2026 small-claims limit is not on file (no reliable source found); a filing before the
    # 81A1 cap's data
    r2026 = fits(routes_for(ils(20000), date(2026, 6, 1), claimant_is_individual=True))
    assert r2026["small_claims_court"] is None
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


# --- issue 15: the route whole ----------------------------------------------------------------

DAY = date(2025, 6, 1)


def test_the_fixed_sum_cap_at_exactly_75000_and_one_agora_more():
    at_cap = routes_for(ils("75000.00"), DAY, written_basis=True)[0]
    assert (at_cap.fits, at_cap.reason.code) == (True, "route_within")
    over = routes_for(ils("75000.01"), DAY, written_basis=True)[0]
    assert over.fits is False and over.reason.code == "route_reasons"
    assert [r.code for r in over.reason.params["reasons"]] == ["route_over"]
    # the magistrates' court takes both
    assert fits(routes_for(ils("75000.01"), DAY))["magistrates_court"] is True


def test_the_shortened_track_counts_interest_and_linkage_and_is_for_unrepresented_creditors():
    # the claim passed in is principal plus interest: ₪24,000 + ₪1,000 = ₪25,000 is within the cap,
    # ₪24,000 + ₪1,000.01 is not
    assert routes_for(ils(24000) + ils(1000), DAY)[1].fits is True
    over = routes_for(ils(24000) + ils("1000.01"), DAY)[1]
    assert over.fits is False and over.reason.code == "route_over" and over.limit == ils(25000)
    # a creditor represented by a lawyer may not use it; unknown: the condition is listed
    lawyer = routes_for(ils(25000), DAY, represented=True)[1]
    assert (lawyer.fits, lawyer.reason.code) == (False, "route_shortened_represented")
    assert routes_for(ils(25000), DAY, represented=False)[1].fits is True
    unknown = routes_for(ils(25000), DAY)[1]
    assert "route_condition_unrepresented" in [c.code for c in unknown.conditions]
    assert "route_condition_unrepresented" not in [c.code for c in routes_for(ils(25000), DAY,
                                                                             represented=False)[1].conditions]


def test_small_claims_for_an_individual_but_never_a_company():
    limit = figure_on(SMALL_CLAIMS_LIMITS, DAY)
    assert limit is not None and limit.limit == ils(38900) and "gov.il" in limit.source
    person = routes_for(ils(38900), DAY, claimant_is_individual=True)[2]
    assert (person.fits, person.limit) == (True, ils(38900))
    company = routes_for(ils(1000), DAY, claimant_is_individual=False)[2]
    assert (company.fits, company.reason.code) == (False, "route_small_claims_company")
    assert routes_for(ils("38900.01"), DAY, claimant_is_individual=True)[2].fits is False
    # the limit of the year before does not carry over: 2024's ₪37,700
    assert routes_for(ils(38000), date(2024, 12, 31), claimant_is_individual=True)[2].fits is False
    assert routes_for(ils(38000), date(2025, 1, 1), claimant_is_individual=True)[2].fits is True


def test_small_claims_a_year_in_the_same_court():
    assert SMALL_CLAIMS_YEARLY.limit == 5 and SMALL_CLAIMS_YEARLY.quote
    four = routes_for(ils(1000), DAY, claimant_is_individual=True, small_claims_this_year=4)[2]
    assert four.fits is True
    five = routes_for(ils(1000), DAY, claimant_is_individual=True, small_claims_this_year=5)[2]
    assert (five.fits, five.reason.code, five.reason.params["limit"]) == (False, "route_small_claims_yearly", 5)
    unknown = routes_for(ils(1000), DAY, claimant_is_individual=True)[2]
    assert unknown.fits is True and "route_condition_yearly_claims" in [c.code for c in unknown.conditions]


def test_a_time_barred_debt_fits_no_route():
    routes = routes_for(ils(0), DAY, time_barred=ils(5000))
    assert {r.fits for r in routes} == {False}
    assert {r.reason.code for r in routes} == {"route_time_barred"}
    # part barred: the rest is judged on its own
    assert routes_for(ils(1000), DAY, time_barred=ils(5000), written_basis=True)[0].fits is True
    with pytest.raises(Refused):
        routes_for(ils(0), DAY)


def test_the_consumer_debt_notice_closes_every_route_until_its_day():
    sent = ConsumerNotice("sent", allowed_from=date(2025, 6, 15))
    early = routes_for(ils(1000), DAY, consumer_notice=sent, written_basis=True)
    assert {r.fits for r in early} == {False}
    assert early[0].reason.code == "route_consumer_notice_wait" and early[0].reason.params["day"] == date(2025, 6, 15)
    on_the_day = routes_for(ils(1000), date(2025, 6, 15), consumer_notice=sent, written_basis=True)
    assert on_the_day[0].fits is True
    for state, code in (("not_sent", "route_consumer_notice_not_sent"), ("missed", "route_consumer_notice_missed")):
        closed = routes_for(ils(1000), DAY, consumer_notice=ConsumerNotice(state))
        assert {(r.fits, r.reason.code) for r in closed} == {(False, code)}
    # not known: what would fit cannot be told; what does not fit stays so
    unknown = fits(routes_for(ils(1000), DAY, consumer_notice=ConsumerNotice("unknown"), written_basis=True))
    assert unknown["execution_office_fixed_sum"] is None and unknown["district_court"] is False
    with pytest.raises(ValueError):
        ConsumerNotice("sent")


def test_every_reason_and_condition_is_worded_in_both_catalogs():
    from gvia import locale

    routes = []
    for kwargs in ({}, {"claimant_is_individual": True, "represented": True, "small_claims_this_year": 9},
                   {"consumer_notice": ConsumerNotice("unknown")}, {"time_barred": ils(1)}):
        amount = ils(0) if "time_barred" in kwargs else ils(30000)
        routes += routes_for(amount, DAY, **kwargs)
    codes = {r.reason.code for r in routes} | {c.code for r in routes for c in r.conditions}
    for domain in ("cli", "web"):
        for lang in ("he", "en"):
            cat = locale.domain(domain)
            for r in routes:
                assert cat.text(f"route.{r.code}", lang), (domain, lang, r.code)
            for code in codes:
                assert cat.text(f"problem.{code}", lang), (domain, lang, code)


def test_the_consumer_notice_is_read_from_the_debt_notice_s_own_rule():
    from gvia.core.debt_notice import Charge, SentNotice, assess

    due = date(2025, 3, 1)
    charge = Charge(1, "S-1", due)
    # no notice, within the 4 months: not sent; after them: missed
    assert ConsumerNotice.of(assess([charge], [], date(2025, 4, 1))).state == "not_sent"
    assert ConsumerNotice.of(assess([charge], [], date(2025, 8, 1))).state == "missed"
    # sent on 1 Jun 2025: 14 whole days after, from 16 Jun; the routes close before it
    sent = ConsumerNotice.of(assess([charge], [SentNotice(date(2025, 6, 1), frozenset({1}))], date(2025, 6, 5)))
    assert (sent.state, sent.allowed_from) == ("sent", date(2025, 6, 16))
    assert routes_for(ils(1000), date(2025, 6, 5), consumer_notice=sent)[0].reason.code == "route_consumer_notice_wait"
    assert routes_for(ils(1000), date(2025, 6, 16), consumer_notice=sent, written_basis=True)[0].fits is True

"""Interest calculators, checked against published worked examples and hand arithmetic.

Every expected figure is written here by hand, with the arithmetic in a comment. Where a
published calculator rounds a daily amount before multiplying (and so is a few pence off),
the comment says so: gvia rounds once, at the end.
"""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gvia.core.errors import Refused, ValidationFailed
from gvia.core.interest import (
    ContractualInterest,
    EuLatePayment,
    GbLatePayment,
    IlLinkage,
    LateDebt,
    NoInterest,
    calculate,
    daily_interest,
    gb_reference_date,
    parse_interest_rule,
)
from gvia.core.money import Money
from gvia.core.rates import MissingRate, RateBook, parse_table
from gvia.rates import shipped_book

BOOK = shipped_book()


def gbp(x):
    return Money.of(x, "GBP")


def ils(x):
    return Money.of(x, "ILS")


def boe_book(percent: str) -> RateBook:
    """A Bank of England table with one rate, for published examples that state the base rate."""
    return RateBook.of([parse_table(f"""\
# name: gb_boe_base_rate
# kind: rate
# source: the base rate stated in the published example
# complete_through: 2020-12-31
effective_from,percent
2019-01-01,{percent}
""")])


# --- UK: Late Payment of Commercial Debts (Interest) Act 1998 -------------------------------


def test_uk_daniels_silverman_worked_example():
    # Daniels Silverman, "Statutory Interest calculator" (danielssilverman.co.uk/interest.php):
    # base rate 4% + 8% = 12%; debt £1,000, 30 days late:
    #   £1,000 × 12% = £120 a year; £120 / 365 = 32.9p a day; × 30 = £9.86.
    # Unrounded: 1000 × 0.12 × 30 / 365 = 3600 / 365 = 9.8630… → £9.86.
    # Dates: due 1 Feb 2020, interest from 2 Feb to 2 Mar 2020 = 28 + 2 = 30 days (leap year).
    debt = LateDebt("1", gbp(1000), date(2020, 2, 1))
    r = calculate(GbLatePayment(), debt, date(2020, 3, 2), boe_book("4.00"))
    assert r.days == 30
    assert r.periods[0].rate == D("12.00")
    assert r.interest == gbp("9.86")
    # s.5A: a debt of £1,000.00 is in the £1,000-£9,999.99 band: £70
    assert [f.amount for f in r.fees] == [gbp(70)]


def test_uk_ycalculator_worked_example():
    # yCalculator, "Late Payment Interest Calculator" (ycalculator.net): £5,000, 30 days late,
    # base 4.5% + 8% = 12.5%: statutory interest £51.37, fixed compensation £70, total £121.37.
    # 5000 × 0.125 × 30 / 365 = 18750 / 365 = 51.3698… → £51.37.
    debt = LateDebt("1", gbp(5000), date(2020, 3, 31))
    r = calculate(GbLatePayment(), debt, date(2020, 4, 30), boe_book("4.50"))
    assert r.days == 30
    assert r.interest == gbp("51.37")
    assert r.fees_total == gbp(70)
    assert r.total == gbp("121.37")


def test_uk_toolfy_example_with_real_base_rate():
    # Toolfy, "Statutory interest calculator for late payments (UK)": £2,000, base 5.25%,
    # 45 days: Interest = 2,000 × 0.1325 × 45/365. The page prints £32.66 after rounding
    # intermediate factors; the unrounded arithmetic is 11,925 / 365 = 32.6712… → £32.67.
    # Real dates: due 31 Jan 2024, interest starts 1 Feb 2024 (January-June), so the reference
    # rate is the Bank Rate in force on 31 Dec 2023: 5.25% (from 3 Aug 2023). 1 Feb-16 Mar 2024
    # = 29 + 16 = 45 days.
    debt = LateDebt("1", gbp(2000), date(2024, 1, 31))
    r = calculate(GbLatePayment(), debt, date(2024, 3, 16), BOOK)
    assert (r.start, r.days, r.periods[0].rate) == (date(2024, 2, 1), 45, D("13.25"))
    assert "2023-12-31" in r.periods[0].basis
    assert r.interest == gbp("32.67")
    assert r.fees_total == gbp(70)


def test_uk_rounding_once_not_per_day():
    # Paidnice help centre, "How to automatically calculate Statutory Interest in the UK"
    # (May 2025, base 4.25% + 8% = 12.25%): £5,000, 101 days overdue: it rounds the daily
    # interest to £1.68 and gets £1.68 × 101 = £169.68. The Act's daily figure is not
    # rounded: 5000 × 0.1225 × 101 / 365 = 61,862.5 / 365 = 169.4863… → £169.49.
    # Real dates: due 31 Jul 2025, interest from 1 Aug 2025 (July-December) → rate in force on
    # 30 Jun 2025: 4.25%. 1 Aug-9 Nov 2025 = 31 + 30 + 31 + 9 = 101 days.
    debt = LateDebt("1", gbp(5000), date(2025, 7, 31))
    r = calculate(GbLatePayment(), debt, date(2025, 11, 9), BOOK)
    assert r.days == 101 and r.periods[0].rate == D("12.25")
    assert r.interest == gbp("169.49")


def test_uk_daily_interest_for_a_letter():
    # The figure a letter before action quotes: "it adds £X for each day". Daniels Silverman's
    # example above: £1,000 at 12% is 32.9p a day (1000 × 0.12 / 365 = 0.32876…); with a second
    # debt of £5,000 at 12.5% (5000 × 0.125 / 365 = 1.71232…) the two add 2.04109… → £2.04,
    # summed exactly and rounded once (0.33 + 1.71 would also be 2.04; 1.7123 + 0.3288 rounds
    # the same). A part payment lowers it from the day after: £400 paid on 15 Feb 2020 leaves
    # £600 × 12% / 365 = 0.19726… → £0.20.
    a = calculate(GbLatePayment(), LateDebt("A", gbp(1000), date(2020, 2, 1)), date(2020, 3, 2), boe_book("4.00"))
    b = calculate(GbLatePayment(), LateDebt("B", gbp(5000), date(2020, 2, 1)), date(2020, 3, 2), boe_book("4.50"))
    assert daily_interest([a], "GBP") == gbp("0.33")
    assert daily_interest([a, b], "GBP") == gbp("2.04")
    paid = LateDebt("C", gbp(1000), date(2020, 2, 1), ((date(2020, 2, 15), gbp(400)),))
    c = calculate(GbLatePayment(), paid, date(2020, 3, 2), boe_book("4.00"))
    assert daily_interest([c], "GBP") == gbp("0.20")
    # nothing runs for a consumer (the Act is between businesses) or before the first day
    consumer = LateDebt("D", gbp(1000), date(2020, 2, 1), business_customer=False)
    assert daily_interest([calculate(GbLatePayment(), consumer, date(2020, 3, 2), boe_book("4.00"))],
                          "GBP") == gbp(0)
    with pytest.raises(Refused):
        daily_interest([a], "EUR")


def test_uk_rate_is_fixed_for_the_debt_across_half_years():
    # SI 2002/1675 art. 4: 8% over the rate in force on 31 Dec (interest starting Jan-Jun)
    # "immediately before the day on which statutory interest starts to run". Interest starting
    # 21 Jun 2023 uses 31 Dec 2022: 3.5% → 11.5%, and keeps it after 1 July although the
    # Bank Rate was 5% on 30 Jun 2023.
    # 21 Jun-30 Sep 2023 = 10 + 31 + 31 + 30 = 102 days; 2000 × 0.115 × 102 / 365
    # = 23,460 / 365 = 64.2739… → £64.27.
    debt = LateDebt("1", gbp(2000), date(2023, 6, 20))
    r = calculate(GbLatePayment(), debt, date(2023, 9, 30), BOOK)
    assert len(r.periods) == 1 and r.periods[0].rate == D("11.50")
    assert r.days == 102
    assert r.interest == gbp("64.27")


def test_uk_part_payment_reduces_the_balance_from_the_next_day():
    # £10,000 due 31 Jan 2024 (13.25%), £4,000 paid on 1 Mar 2024, computed to 31 Mar 2024:
    #   1 Feb-1 Mar: 29 + 1 = 30 days on £10,000; 2-31 Mar: 30 days on £6,000.
    #   (10,000 × 30 + 6,000 × 30) × 0.1325 / 365 = 480,000 × 0.1325 / 365 = 63,600 / 365
    #   = 174.2465… → £174.25. Compensation on a £10,000 debt: £100.
    debt = LateDebt("1", gbp(10000), date(2024, 1, 31), payments=((date(2024, 3, 1), gbp(4000)),))
    r = calculate(GbLatePayment(), debt, date(2024, 3, 31), BOOK)
    assert [(p.start, p.end, p.days, p.balance) for p in r.periods] == [
        (date(2024, 2, 1), date(2024, 3, 1), 30, D("10000.00")),
        (date(2024, 3, 2), date(2024, 3, 31), 30, D("6000.00")),
    ]
    assert r.interest == gbp("174.25")
    assert r.fees_total == gbp(100)


@pytest.mark.parametrize("amount,fee", [
    ("0.01", 40), ("999.99", 40), ("1000.00", 70), ("9999.99", 70), ("10000.00", 100),
    ("250000", 100),
])
def test_uk_fixed_compensation_bands(amount, fee):
    # Late Payment of Commercial Debts (Interest) Act 1998 s.5A; gov.uk "Late commercial
    # payments: charging interest and debt recovery": up to £999.99 → £40; £1,000 to
    # £9,999.99 → £70; £10,000 or more → £100.
    r = calculate(GbLatePayment(), LateDebt("1", gbp(amount), date(2024, 1, 31)),
                  date(2024, 2, 10), BOOK)
    assert r.fees_total == gbp(fee)


def test_uk_consumers_get_nothing():
    debt = LateDebt("1", gbp(2000), date(2024, 1, 31), business_customer=False)
    r = calculate(GbLatePayment(), debt, date(2024, 6, 30), BOOK)
    assert not r.applicable
    assert r.interest == gbp(0) and r.fees == () and r.total == gbp(0)
    assert "between businesses" in r.notes[0]


def test_uk_not_late_yet_and_wrong_currency():
    r = calculate(GbLatePayment(), LateDebt("1", gbp(500), date(2024, 1, 31)), date(2024, 1, 31), BOOK)
    assert r.interest == gbp(0) and r.fees == ()
    with pytest.raises(Refused):
        calculate(GbLatePayment(), LateDebt("1", ils(500), date(2024, 1, 31)), date(2024, 3, 1), BOOK)


def test_uk_missing_reference_rate_is_an_error_not_zero():
    # interest starting in July 2026 needs the Bank Rate on 30 Jun 2026, not on file
    debt = LateDebt("1", gbp(2000), date(2026, 7, 15))
    with pytest.raises(MissingRate) as exc:
        calculate(GbLatePayment(), debt, date(2026, 9, 1), BOOK)
    assert exc.value.table == "gb_boe_base_rate" and exc.value.day == date(2026, 6, 30)


def test_uk_reference_dates():
    assert gb_reference_date(date(2024, 1, 1)) == date(2023, 12, 31)
    assert gb_reference_date(date(2024, 6, 30)) == date(2023, 12, 31)
    assert gb_reference_date(date(2024, 7, 1)) == date(2024, 6, 30)
    assert gb_reference_date(date(2024, 12, 31)) == date(2024, 6, 30)


# --- EU: Directive 2011/7/EU ----------------------------------------------------------------------


def test_eu_rate_follows_each_half_year():
    # €10,000 due 30 Nov 2024, computed to 31 Aug 2025; ECB MRO rate in force on
    #   1 Jul 2024: 4.25% (from 12 Jun 2024) → 12.25% for 1-31 Dec 2024 (31 days)
    #   1 Jan 2025: 3.15% (from 18 Dec 2024) → 11.15% for 1 Jan-30 Jun 2025 (181 days)
    #   1 Jul 2025: 2.15% (from 11 Jun 2025) → 10.15% for 1 Jul-31 Aug 2025 (62 days)
    # 10,000 × (0.1225 × 31 + 0.1115 × 181 + 0.1015 × 62) / 365
    # = 10,000 × (3.7975 + 20.1815 + 6.293) / 365 = 302,720 / 365 = 829.3698… → €829.37
    # plus €40 (art. 6) = €869.37.
    debt = LateDebt("E1", Money.of(10000, "EUR"), date(2024, 11, 30))
    r = calculate(EuLatePayment(), debt, date(2025, 8, 31), BOOK)
    assert [(p.start, p.days, p.rate) for p in r.periods] == [
        (date(2024, 12, 1), 31, D("12.25")),
        (date(2025, 1, 1), 181, D("11.15")),
        (date(2025, 7, 1), 62, D("10.15")),
    ]
    assert r.interest == Money.of("829.37", "EUR")
    assert r.total == Money.of("869.37", "EUR")


def test_eu_national_margin_and_fee_in_another_currency():
    # a national rule of 9 points and a fee set in the invoice currency: €1,000 due 31 Dec 2024,
    # 1-31 Jan 2025 at 3.15 + 9 = 12.15%: 1000 × 0.1215 × 31 / 365 = 3766.5 / 365 = 10.3191…
    rule = EuLatePayment(margin=D(9))
    r = calculate(rule, LateDebt("E2", Money.of(1000, "EUR"), date(2024, 12, 31)), date(2025, 1, 31), BOOK)
    assert r.interest == Money.of("10.32", "EUR")
    with pytest.raises(Refused):
        calculate(EuLatePayment(), LateDebt("P", Money.of(1000, "PLN"), date(2024, 12, 31)),
                  date(2025, 1, 31), BOOK)
    pln = EuLatePayment(fixed_fee=Money.of("170", "PLN"))
    assert calculate(pln, LateDebt("P", Money.of(1000, "PLN"), date(2024, 12, 31)),
                     date(2025, 1, 31), BOOK).fees_total == Money.of(170, "PLN")


# --- contractual ------------------------------------------------------------------------------------


def test_contractual_simple():
    # ₪10,000 at 12% a year, due 31 Jan 2024, to 31 Dec 2024: 1 Feb-31 Dec 2024 =
    # 29+31+30+31+30+31+31+30+31+30+31 = 335 days; 10,000 × 0.12 × 335 / 365
    # = 402,000 / 365 = 1,101.3698… → ₪1,101.37
    r = calculate(ContractualInterest(D(12)), LateDebt("1", ils(10000), date(2024, 1, 31)), date(2024, 12, 31))
    assert r.days == 335
    assert r.interest == ils("1101.37")


def test_contractual_grace_and_later_start():
    # 30 days' grace: due 31 Jan 2024, interest from 2 Mar 2024 to 31 Mar = 30 days;
    # 10,000 × 0.12 × 30 / 365 = 36,000 / 365 = 98.6301… → ₪98.63
    rule = ContractualInterest(D(12), grace_days=30)
    r = calculate(rule, LateDebt("1", ils(10000), date(2024, 1, 31)), date(2024, 3, 31))
    assert r.start == date(2024, 3, 2) and r.interest == ils("98.63")
    # interest only from a demand dated 15 Mar: 15-31 Mar = 17 days
    # 10,000 × 0.12 × 17 / 365 = 20,400 / 365 = 55.8904… → ₪55.89
    debt = LateDebt("1", ils(10000), date(2024, 1, 31), interest_from=date(2024, 3, 15))
    assert calculate(ContractualInterest(D(12)), debt, date(2024, 3, 31)).interest == ils("55.89")


def test_contractual_annual_compounding():
    # ₪10,000 at 10%, interest from 1 Jan 2023 to 31 Dec 2024, compounded yearly:
    #   2023: 365 days: 10,000 × 0.10 × 365/365 = 1,000.00, added on 1 Jan 2024
    #   2024: 366 days on 11,000: 11,000 × 0.10 × 366 / 365 = 402,600 / 365 = 1,103.0137…
    #   total 2,103.0137… → ₪2,103.01
    rule = ContractualInterest(D(10), compounding="annual")
    r = calculate(rule, LateDebt("1", ils(10000), date(2022, 12, 31)), date(2024, 12, 31))
    assert [p.balance for p in r.periods] == [D("10000.00"), D("11000.00")]
    assert r.interest == ils("2103.01")


def test_contractual_monthly_compounding():
    # ₪1,000 at 12%, interest from 1 Jan 2025 to 31 Mar 2025, compounded monthly:
    #   Jan: 1,000 × 0.12 × 31/365 = 10.19178…          → balance 1,010.19178…
    #   Feb: 1,010.19178… × 0.12 × 28/365 = 9.29930…    → balance 1,019.49108…
    #   Mar: 1,019.49108… × 0.12 × 31/365 = 10.39043…
    #   total 29.88151… → ₪29.88 (simple interest would be 1,000 × 0.12 × 90/365 = ₪29.59)
    rule = ContractualInterest(D(12), compounding="monthly")
    r = calculate(rule, LateDebt("1", ils(1000), date(2024, 12, 31)), date(2025, 3, 31))
    assert len(r.periods) == 3
    assert r.interest == ils("29.88")
    assert calculate(ContractualInterest(D(12)), LateDebt("1", ils(1000), date(2024, 12, 31)),
                     date(2025, 3, 31)).interest == ils("29.59")


def test_contractual_floating_on_a_reference_table():
    # "prime + 2%": a test prime table of 6.00% from 1 Jan 2024 and 5.50% from 1 Jul 2024.
    # ₪12,000 due 31 May 2024, to 31 Aug 2024: 1-30 Jun 30 days at 8.00%, 1 Jul-31 Aug 62 days
    # at 7.50%: 12,000 × (0.08 × 30 + 0.075 × 62) / 365 = 12,000 × 7.05 / 365 = 84,600 / 365
    # = 231.7808… → ₪231.78
    prime = parse_table("""\
# name: il_prime_test
# kind: rate
# source: test figures
# complete_through: 2024-12-31
effective_from,percent
2024-01-01,6.00
2024-07-01,5.50
""")
    rule = ContractualInterest(D(2), reference="il_prime_test")
    r = calculate(rule, LateDebt("1", ils(12000), date(2024, 5, 31)), date(2024, 8, 31), RateBook.of([prime]))
    assert [(p.days, p.rate) for p in r.periods] == [(30, D("8.00")), (62, D("7.50"))]
    assert r.interest == ils("231.78")


def test_a_restated_rate_does_not_split_the_period():
    # a reference table that restates 6.00% on 1 Apr: one period of 1 Mar-30 Apr (61 days) at
    # 6 + 2 = 8%: 1,000 × 0.08 × 61 / 365 = 4,880 / 365 = 13.3698… → ₪13.37
    prime = parse_table("""\
# name: p
# kind: rate
# source: test figures
# complete_through: 2024-12-31
effective_from,percent
2024-01-01,6.00
2024-04-01,6.00
""")
    r = calculate(ContractualInterest(D(2), reference="p"), LateDebt("1", ils(1000), date(2024, 2, 29)),
                  date(2024, 4, 30), RateBook.of([prime]))
    assert [(p.start, p.end, p.days) for p in r.periods] == [(date(2024, 3, 1), date(2024, 4, 30), 61)]
    assert r.interest == ils("13.37")


def test_no_interest():
    r = calculate(NoInterest(), LateDebt("1", ils(1000), date(2024, 1, 1)), date(2025, 1, 1))
    assert r.total == ils(0) and r.periods == ()


# --- Israel: Interest and Linkage Adjudication Law (illustrative index and rates) --------------

IL_ILLUSTRATIVE = RateBook.of([
    parse_table("""\
# name: il_cpi
# kind: index
# base: illustrative = 100
# source: ILLUSTRATIVE values for the test, not CBS figures
month,value
2023-12,100.0
2024-01,100.4
2024-02,100.8
2024-03,101.0
2024-04,101.5
2024-05,102.0
"""),
    parse_table("""\
# name: il_linked_interest
# kind: rate
# source: ILLUSTRATIVE quarterly rates for the test
effective_from,percent,effective_to
2024-01-01,4.0,2024-03-31
2024-04-01,5.0,2024-06-30
"""),
    parse_table("""\
# name: il_arrears_interest
# kind: rate
# source: ILLUSTRATIVE quarterly rates for the test
effective_from,percent,effective_to
2024-01-01,10.0,2024-06-30
"""),
])


def test_il_linkage_and_interest():
    # ₪10,000 due 10 Feb 2024. Index known on 10 Feb 2024: December 2023 (published 15 Jan;
    # January's comes out 15 Feb) = 100.0. Known on 20 Jun 2024: May 2024 (published 15 Jun)
    # = 102.0. Linkage: 10,000 × (102.0 - 100.0) / 100.0 = ₪200.00; linked amount 10,200.
    # Interest on 10,200: 11 Feb-31 Mar = 19 + 31 = 50 days at 4%; 1 Apr-20 Jun = 30 + 31 + 20
    # = 81 days at 5%: 10,200 × (0.04 × 50 + 0.05 × 81) / 365 = 10,200 × 6.05 / 365
    # = 61,710 / 365 = 169.0684… → ₪169.07. Total ₪369.07.
    debt = LateDebt("1", ils(10000), date(2024, 2, 10))
    r = calculate(IlLinkage(), debt, date(2024, 6, 20), IL_ILLUSTRATIVE)
    (line,) = r.linkage_lines
    assert (line.base_month, line.final_month) == (date(2023, 12, 1), date(2024, 5, 1))
    assert r.linkage == ils("200.00")
    assert [(p.days, p.rate, p.balance) for p in r.periods] == [
        (50, D("4.0"), D("10200.0000")), (81, D("5.0"), D("10200.0000"))]
    assert r.interest == ils("169.07")
    assert r.total == ils("369.07")


def test_il_part_payment_closes_its_part():
    # Same debt, ₪4,000 paid on 20 Apr 2024 (index known then: March = 101.0):
    #   part paid: 4,000 × 1.0 / 100 = 40 linkage, linked 4,040, interest to 20 Apr
    #   rest:      6,000 × 2.0 / 100 = 120 linkage, linked 6,120, interest to 20 Jun
    # linkage ₪160.00. Interest: 11 Feb-31 Mar, 50 days at 4% on 10,160; 1-20 Apr, 20 days at
    # 5% on 10,160; 21 Apr-20 Jun, 61 days at 5% on 6,120:
    # (10,160 × 0.04 × 50 + 10,160 × 0.05 × 20 + 6,120 × 0.05 × 61) / 365
    # = (20,320 + 10,160 + 18,666) / 365 = 49,146 / 365 = 134.6465… → ₪134.65
    debt = LateDebt("1", ils(10000), date(2024, 2, 10), payments=((date(2024, 4, 20), ils(4000)),))
    r = calculate(IlLinkage(), debt, date(2024, 6, 20), IL_ILLUSTRATIVE)
    assert r.linkage == ils("160.00")
    assert [(p.days, p.balance) for p in r.periods] == [
        (50, D("10160.0000")), (20, D("10160.0000")), (61, D("6120.0000"))]
    assert r.interest == ils("134.65")


def test_il_arrears_and_linkage_only():
    # arrears 10% on 10,200 for 131 days: 10,200 × 0.10 × 131 / 365 = 133,620 / 365
    # = 366.0821… → ₪366.08
    debt = LateDebt("1", ils(10000), date(2024, 2, 10))
    r = calculate(IlLinkage(interest="arrears"), debt, date(2024, 6, 20), IL_ILLUSTRATIVE)
    assert r.interest == ils("366.08") and r.linkage == ils("200.00")
    only = calculate(IlLinkage(interest="none"), debt, date(2024, 6, 20), IL_ILLUSTRATIVE)
    assert only.interest == ils(0) and only.linkage == ils("200.00")


def test_il_falling_index_gives_no_negative_linkage():
    book = RateBook.of([parse_table("""\
# name: il_cpi
# kind: index
# base: illustrative = 100
# source: ILLUSTRATIVE
month,value
2024-01,100.0
2024-02,99.5
""")])
    r = calculate(IlLinkage(interest="none"), LateDebt("1", ils(1000), date(2024, 2, 20)),
                  date(2024, 3, 20), book)
    assert r.linkage == ils(0)


# Worked example published by an authority: the Central Bureau of Statistics' linkage
# calculator (חישובי הצמדה, series 120010 "מדד המחירים לצרכן - כללי"), result page
# http://www.cbs.gov.il/reader/?MIval=/prices_db/Machshevon_Results.html&MySubject=11120010
#   &Subjects=38&MyCode=11120010&MultMin=19511016&MultMax=20110504&DateMin=16/10/1951
#   &DateMax=04/05/2011&SpecificationType=1&ssum=10000&koeff=10000&Days_2=4&Months_2=5
#   &Years_2=2011&Days_1=19&Months_1=1&Years_1=1979
# Input: 10,000 lira on 19/1/1979, linked to 4/5/2011. Output: 6,971.87 new shekels.
# Indices shown: December 1978 = 246.8 and March 2011 = 102.5 with link factor 16,786.893 to
# the base "average 1976 = 100.0" (change = (102.5 × 16,786.893 / 246.8 - 1) × 100).
# 10,000 lira = 1 new shekel (1 shekel = 10 lira, 1980; 1 new shekel = 1,000 shekels, 1985),
# so the example is ₪1.00 → ₪6,971.87, i.e. ₪6,970.87 of linkage differences. The March 2011
# value below is the page's 102.5 × 16,786.893, on the page's base (average 1976 = 100.0).
CBS_CALCULATOR_1979_2011 = RateBook.of([parse_table("""\
# name: il_cpi
# kind: index
# base: average 1976 = 100.0
# source: CBS linkage calculator result page (19/1/1979 -> 4/5/2011), series 120010
month,value
1978-12,246.8
2011-03,1720656.5325
""")])


def test_il_linkage_matches_the_cbs_calculator_to_the_agora():
    debt = LateDebt("cbs", ils("1.00"), date(1979, 1, 19))
    r = calculate(IlLinkage(interest="none"), debt, date(2011, 5, 4), CBS_CALCULATOR_1979_2011)
    (line,) = r.linkage_lines
    assert (line.base_month, line.base_value) == (date(1978, 12, 1), D("246.8"))
    assert line.final_month == date(2011, 3, 1)
    assert r.linkage == ils("6970.87")
    assert r.principal + r.linkage == ils("6971.87")  # the calculator's "value at the end"
    assert r.interest == ils(0) and r.periods == ()
    assert not any("not yet verified" in n for n in r.notes)  # linkage alone is verified


def test_il_index_published_on_the_day_counts_from_the_next_day():
    # Law s.1: the index "published just before" the day. CBS calculator (page above): "a
    # linkage for dates between 16 July and 15 August uses the June index, published on
    # 15 July". With the illustrative table (January 2024 published 15 Feb 2024):
    def base_month(due: date) -> date:
        r = calculate(IlLinkage(interest="none"), LateDebt("1", ils(1000), due),
                      date(2024, 5, 20), IL_ILLUSTRATIVE)
        return r.linkage_lines[0].base_month

    assert base_month(date(2024, 2, 15)) == date(2023, 12, 1)
    assert base_month(date(2024, 2, 16)) == date(2024, 1, 1)

    def final_month(as_of: date) -> date:
        r = calculate(IlLinkage(interest="none"), LateDebt("1", ils(1000), date(2024, 2, 10)),
                      as_of, IL_ILLUSTRATIVE)
        return r.linkage_lines[0].final_month

    assert final_month(date(2024, 6, 15)) == date(2024, 4, 1)  # May's comes out that day
    assert final_month(date(2024, 6, 16)) == date(2024, 5, 1)


def test_il_interest_follows_the_law_and_is_no_longer_flagged():
    # the Law's method (ss.1, 4(b), 7) is gvia.core.il_interest's: see tests/core/test_il_interest.py
    r = calculate(IlLinkage(), LateDebt("1", ils(10000), date(2024, 2, 10)), date(2024, 6, 20),
                  IL_ILLUSTRATIVE)
    assert r.complete and not any("not yet verified" in n for n in r.notes)


def test_il_missing_index_or_rate_is_an_error():
    debt = LateDebt("1", ils(10000), date(2024, 2, 10))
    with pytest.raises(MissingRate) as exc:
        calculate(IlLinkage(), debt, date(2024, 7, 20), IL_ILLUSTRATIVE)  # June index missing
    assert exc.value.table == "il_cpi"
    with pytest.raises(MissingRate) as exc:
        calculate(IlLinkage(), debt, date(2024, 2, 20), BOOK)  # shipped CPI is empty
    assert exc.value.table == "il_cpi"


# --- configuration ---------------------------------------------------------------------------------


def test_parse_rules():
    assert parse_interest_rule({"method": "none"}) == NoInterest()
    assert parse_interest_rule({"method": "contractual", "percent": "12.5", "compounding": "monthly",
                                "grace_days": 7}) == ContractualInterest(D("12.5"), "monthly", 7)
    assert parse_interest_rule({"method": "gb_late_payment"}) == GbLatePayment()
    eu = parse_interest_rule({"method": "eu_late_payment", "margin": "9", "fixed_fee": "40"})
    assert eu.margin == D(9) and eu.fixed_fee == Money.of(40, "EUR")
    assert parse_interest_rule({"method": "il_linkage", "interest": "arrears"}) == IlLinkage("arrears")


def test_parse_rules_reports_every_problem():
    with pytest.raises(ValidationFailed) as exc:
        parse_interest_rule({"method": "contractual", "percent": 12.5, "colour": "red"}, "org.toml")
    fields = {p.field for p in exc.value.problems}
    assert fields == {"percent", "colour"}
    with pytest.raises(ValidationFailed):
        parse_interest_rule({"method": "compound"})
    with pytest.raises(ValidationFailed):
        parse_interest_rule({"method": "contractual", "percent": "-1"})


def test_json_breakdown_has_periods_rates_days_and_fees():
    r = calculate(GbLatePayment(), LateDebt("INV-7", gbp(2000), date(2024, 1, 31)), date(2024, 3, 16), BOOK)
    d = r.as_dict()
    assert d["invoice"] == "INV-7" and d["days"] == 45 and d["interest"] == "32.67"
    assert d["periods"][0]["rate"] == "13.25" and d["periods"][0]["from"] == "2024-02-01"
    assert d["fees"][0]["amount"] == "70.00" and d["total"] == "102.67"


# --- property: interest never decreases as time passes ------------------------------------------

_days = st.integers(min_value=0, max_value=500)  # stays inside the shipped tables
_amounts = st.integers(min_value=1, max_value=10_000_000).map(lambda c: D(c) / 100)


@settings(max_examples=60, deadline=None)
@given(amount=_amounts, due_offset=st.integers(0, 500), a=_days, b=_days,
       pay_day=st.integers(0, 500), pay_cents=st.integers(0, 10_000_000),
       rule=st.sampled_from([
           GbLatePayment(), EuLatePayment(fixed_fee=Money.of(40, "GBP")),
           ContractualInterest(D(12)), ContractualInterest(D("7.5"), "monthly"),
           ContractualInterest(D(20), "annual", grace_days=10)]))
def test_interest_never_decreases(amount, due_offset, a, b, pay_day, pay_cents, rule):
    due = date(2023, 1, 1) + timedelta(days=due_offset)
    payment = (due + timedelta(days=pay_day), Money.of(D(pay_cents) / 100, "GBP"))
    debt = LateDebt("p", Money.of(amount, "GBP"), due, payments=(payment,))
    early, late = sorted((a, b))
    first = calculate(rule, debt, due + timedelta(days=early), BOOK)
    second = calculate(rule, debt, due + timedelta(days=late), BOOK)
    assert second.interest >= first.interest
    assert second.total >= first.total


@settings(max_examples=40, deadline=None)
@given(amount=_amounts, a=st.integers(0, 130), b=st.integers(0, 130),
       kind=st.sampled_from(["linked", "arrears", "none"]))
def test_israeli_interest_never_decreases_with_a_rising_index(amount, a, b, kind):
    debt = LateDebt("p", ils(amount), date(2024, 2, 10))
    early, late = sorted((a, b))
    first = calculate(IlLinkage(kind), debt, date(2024, 2, 10) + timedelta(days=early), IL_ILLUSTRATIVE)
    second = calculate(IlLinkage(kind), debt, date(2024, 2, 10) + timedelta(days=late), IL_ILLUSTRATIVE)
    assert second.interest >= first.interest and second.linkage >= first.linkage

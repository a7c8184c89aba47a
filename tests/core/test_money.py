"""Money: one constructor, always quantized to the currency, never float, never mixed."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gvia.core.errors import CurrencyMismatch, InvalidAmount, UnknownCurrency
from gvia.core.money import (
    Money,
    Totals,
    currency_exponent,
    is_currency,
    normalize_currency,
    parse_amount,
)


class TestConstruction:
    def test_amount_always_carries_the_minor_unit_places(self):
        assert str(Money.of(1, "ILS")) == "1.00 ILS"
        assert str(Money.of("1.5", "USD").amount) == "1.50"
        assert str(Money.zero("ILS").amount) == "0.00"
        assert str(Money.of(5, "JPY").amount) == "5"
        assert str(Money.of("1.2", "KWD").amount) == "1.200"

    def test_rounds_half_up_away_from_zero(self):
        assert Money.of("1.005", "ILS").amount == Decimal("1.01")
        assert Money.of("1.004", "ILS").amount == Decimal("1.00")
        assert Money.of("-1.005", "ILS").amount == Decimal("-1.01")
        assert Money.of("2.5", "JPY").amount == Decimal("3")

    def test_no_negative_zero(self):
        assert str(Money.of("-0", "ILS").amount) == "0.00"
        assert str((-Money.zero("ILS")).amount) == "0.00"
        assert str(Money.of("-0.001", "ILS").amount) == "0.00"

    def test_equal_values_are_equal_and_hash_alike(self):
        assert Money.of("1.1", "ILS") == Money.of(Decimal("1.10"), "ILS")
        assert hash(Money.of("1.1", "ILS")) == hash(Money.of("1.10", "ILS"))
        assert Money.of(1, "ILS") != Money.of(1, "USD")

    @pytest.mark.parametrize("bad", [1.5, True, "abc", "", "NaN", "Infinity"])
    def test_refuses_floats_booleans_and_non_numbers(self, bad):
        with pytest.raises(InvalidAmount):
            Money.of(bad, "ILS")

    def test_direct_constructor_needs_a_finite_decimal(self):
        with pytest.raises(InvalidAmount):
            Money(1, "ILS")  # type: ignore[arg-type]  # an int on purpose: the check under test
        with pytest.raises(InvalidAmount):
            Money(Decimal("NaN"), "ILS")
        with pytest.raises(InvalidAmount):
            Money(Decimal("-Infinity"), "ILS")

    def test_too_large_is_an_invalid_amount_not_a_decimal_error(self):
        with pytest.raises(InvalidAmount):
            Money.of("1e40", "ILS")

    def test_unknown_currency(self):
        with pytest.raises(UnknownCurrency):
            Money.of(1, "XXX")
        with pytest.raises(UnknownCurrency):
            currency_exponent("ABC")

    def test_exponents(self):
        assert (currency_exponent("ILS"), currency_exponent("JPY"), currency_exponent("KWD")) == (2, 0, 3)
        assert is_currency("EUR") and not is_currency("eur")


class TestMinorUnits:
    def test_minor(self):
        assert Money.of("12.34", "ILS").minor == 1234
        assert Money.of("-12.34", "ILS").minor == -1234
        assert Money.of(500, "JPY").minor == 500
        assert Money.of("1.234", "KWD").minor == 1234

    def test_from_minor(self):
        assert Money.from_minor(1234, "ILS") == Money.of("12.34", "ILS")
        assert str(Money.from_minor(100, "ILS").amount) == "1.00"
        assert Money.from_minor(-5, "KWD").amount == Decimal("-0.005")

    @given(st.integers(min_value=-(10**15), max_value=10**15),
           st.sampled_from(["ILS", "JPY", "KWD"]))
    def test_round_trip(self, minor, code):
        assert Money.from_minor(minor, code).minor == minor


class TestArithmetic:
    def test_add_sub_neg_abs(self):
        a, b = Money.of("10.50", "ILS"), Money.of("0.75", "ILS")
        assert a + b == Money.of("11.25", "ILS")
        assert a - b == Money.of("9.75", "ILS")
        assert -a == Money.of("-10.50", "ILS")
        assert abs(Money.of("-3", "ILS")) == Money.of(3, "ILS")

    def test_never_mixes_currencies(self):
        with pytest.raises(CurrencyMismatch):
            Money.of(1, "ILS") + Money.of(1, "USD")
        with pytest.raises(CurrencyMismatch):
            Money.of(1, "ILS") < Money.of(1, "USD")
        with pytest.raises(TypeError):
            Money.of(1, "ILS") + Decimal(1)  # type: ignore[operator]  # on purpose: Money + Decimal must fail

    def test_compare_and_truth(self):
        assert Money.of(1, "ILS") < Money.of(2, "ILS") <= Money.of(2, "ILS")
        assert not Money.zero("ILS") and Money.of("0.01", "ILS")
        assert Money.of(-1, "ILS").is_negative and Money.zero("USD").is_zero

    def test_times_and_convert_quantize_the_result(self):
        assert str(Money.of(10, "ILS").times(Decimal("0.175")).amount) == "1.75"
        assert Money.of(10, "ILS").times(Decimal("0.1755")) == Money.of("1.76", "ILS")
        assert Money.of(100, "ILS").convert(Decimal("0.27"), "USD") == Money.of("27.00", "USD")
        assert Money.of("100.01", "ILS").convert(Decimal("0.27"), "USD") == Money.of("27.00", "USD")
        assert Money.of(10, "USD").convert(Decimal("151.5"), "JPY") == Money.of(1515, "JPY")
        with pytest.raises(InvalidAmount):
            Money.of(1, "ILS").times(0.5)  # type: ignore[arg-type]  # a float on purpose: the check under test
        with pytest.raises(InvalidAmount):
            Money.of(1, "ILS").convert(0.27, "USD")  # type: ignore[arg-type]  # a float on purpose: the check under test


class TestTotals:
    def test_sums_per_currency_in_sorted_order(self):
        t = Totals([Money.of(1, "USD"), Money.of("2.50", "ILS"), Money.of(3, "ILS")])
        assert list(t) == ["ILS", "USD"]
        assert t["ILS"] == Money.of("5.50", "ILS")
        assert t.as_strings() == {"ILS": "5.50", "USD": "1.00"}
        assert t.get_or_zero("EUR") == Money.zero("EUR")
        assert len(t) == 2

    def test_equal_as_mappings(self):
        assert Totals([Money.of(1, "ILS")]) == Totals([Money.of("0.40", "ILS"), Money.of("0.60", "ILS")])


class TestCurrencyNames:
    @pytest.mark.parametrize("text", ["ILS", "ils", " ILS ", "₪", "NIS", "nis", "ש״ח", 'ש"ח'])
    def test_shekel_aliases(self, text):
        assert normalize_currency(text) == "ILS"

    def test_others(self):
        assert normalize_currency("$") == "USD"
        assert normalize_currency("eur") == "EUR"
        with pytest.raises(UnknownCurrency):
            normalize_currency("dollars")
        with pytest.raises(UnknownCurrency):
            normalize_currency("")


class TestParseAmount:
    @pytest.mark.parametrize("text, expected", [
        ("₪ 1,250.00", "1250.00"),
        ("-1,250", "-1250"),
        ("(300.50)", "-300.50"),
        ("1250", "1250"),
        ("5-", "-5"),
        ("\u22125", "-5"),
        ("+7", "7"),
        ("ILS 5", "5"),
        ('5 ש"ח', "5"),
        ("\u200f1,000\u200e", "1000"),
        ("1\u00a0250.5", "1250.5"),
    ])
    def test_as_people_write_it(self, text, expected):
        assert parse_amount(text) == Decimal(expected)

    @pytest.mark.parametrize("text", ["", "abc", "1,25", "12,34,567", "1.2.3", "1,2345", "-"])
    def test_rejects(self, text):
        with pytest.raises(InvalidAmount):
            parse_amount(text)

    def test_none(self):
        with pytest.raises(InvalidAmount):
            parse_amount(None)  # type: ignore[arg-type]  # None on purpose: the check under test

    @pytest.mark.parametrize("text, expected", [
        ("1.250,00", "1250.00"),
        ("1,5", "1.5"),
        ("1.250", "1250"),
        ("1'250,00", "1250.00"),
        ("-1.000.000,25", "-1000000.25"),
    ])
    def test_decimal_comma(self, text, expected):
        assert parse_amount(text, decimal_comma=True) == Decimal(expected)

    @pytest.mark.parametrize("text", ["1.2.3,00", "1.25.0,00", "12,", "1,2,3"])
    def test_decimal_comma_checks_grouping(self, text):
        with pytest.raises(InvalidAmount):
            parse_amount(text, decimal_comma=True)


def test_money_pickles_as_its_text_and_currency():
    import pickle

    from gvia.core.money import Money

    for m in (Money.of("13516.40", "ILS"), Money.of("0", "USD"), Money.of("-7.5", "EUR"), Money.of("12", "JPY")):
        back = pickle.loads(pickle.dumps(m))
        assert back == m and str(back.amount) == str(m.amount) and back.currency == m.currency
        assert back + m == Money.of(2 * m.amount, m.currency)
    # the state is the text: a pickle is small and rebuilt without the dataclass's state protocol
    assert len(pickle.dumps(Money.of("13516.40", "ILS"))) < 90

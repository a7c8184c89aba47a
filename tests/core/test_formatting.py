"""Locale formatting of amounts, dates and lists (gvia.core.formatting)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gvia.core.errors import ValidationFailed
from gvia.core.formatting import (
    FSI,
    LRI,
    PDI,
    format_count,
    format_date,
    format_money,
    format_totals,
    is_rtl,
    isolate_if_mixed,
    isolate_ltr,
    join_list,
    join_or,
    strip_bidi,
)
from gvia.core.money import Money, parse_amount


@pytest.mark.parametrize("amount, currency, locale, expected", [
    ("12345.67", "ILS", "he", "₪12,345.67"),
    ("12345.67", "GBP", "en-GB", "£12,345.67"),
    ("12345.67", "USD", "en-US", "$12,345.67"),
    ("12345.67", "ILS", "en-GB", "₪12,345.67"),
    ("12345.67", "ILS", "en-US", "₪12,345.67"),
    ("0.5", "ILS", "he", "₪0.50"),
    ("1000000", "ILS", "he", "₪1,000,000.00"),
    ("-50", "GBP", "en-GB", "-£50.00"),
    ("12345.5", "JPY", "en-US", "¥12,346"),        # no minor unit, rounded half up
    ("1.5", "KWD", "en-GB", "KWD\u00a01.500"),     # three places; letters then a no-break space
    ("1234", "CHF", "en-US", "CHF\u00a01,234.00"),
    ("99.99", "EUR", "he", "€99.99"),
    ("12345.67", "USD", "en-GB", "US$12,345.67"),  # CLDR: British readers see US$
])
def test_format_money(amount, currency, locale, expected):
    assert format_money(Money.of(amount, currency), locale) == expected


def test_hebrew_amounts_that_would_move_are_isolated():
    # "-₪50.00" inside Hebrew would be shown as "₪50.00-" by the bidi algorithm
    assert format_money(Money.of("-50", "ILS"), "he") == f"{LRI}-₪50.00{PDI}"
    assert format_money(Money.of("1234", "CHF"), "he") == f"{LRI}CHF\u00a01,234.00{PDI}"
    # a positive shekel amount is one run of numbers: no marks needed, none added
    assert LRI not in format_money(Money.of("12345.67", "ILS"), "he")


def test_english_amounts_carry_no_invisible_marks():
    for m in (Money.of("-50", "ILS"), Money.of("1", "CHF")):
        text = format_money(m, "en-GB")
        assert strip_bidi(text) == text


@pytest.mark.parametrize("locale, expected", [
    ("he", "23/11/2026"), ("en-GB", "23/11/2026"), ("en-US", "11/23/2026"),
    ("en_us", "11/23/2026"), ("he-IL", "23/11/2026"),
])
def test_format_date(locale, expected):
    assert format_date(date(2026, 11, 23), locale) == expected


def test_format_date_other_locale_has_four_digit_year():
    assert format_date(date(2026, 3, 4), "de-DE") == "04.03.2026"


def test_unknown_locale_is_a_validation_error():
    with pytest.raises(ValidationFailed) as e:
        format_date(date(2026, 1, 1), "xx-nowhere")
    assert e.value.problems[0].field == "locale"


def test_lists_and_alternatives():
    assert join_list(["₪1.00", "$2.00"], "he") == "₪1.00 ו\u05be$2.00"
    assert join_list(["a", "b", "c"], "en-GB") == "a, b and c"
    assert join_list(["only"], "he") == "only"
    assert join_or(["on 03-1234567", "at a@b.co.il"], "en-GB") == "on 03-1234567 or at a@b.co.il"
    assert join_or(["בטלפון 1", "בדוא״ל 2"], "he") == "בטלפון 1 או בדוא״ל 2"
    assert format_totals([Money.of("1200", "ILS"), Money.of("300", "USD")], "en-US") == \
        "₪1,200.00 and $300.00"
    assert format_count(12345, "he") == "12,345"


def test_bidi_helpers():
    assert is_rtl("he") and not is_rtl("en-GB")
    assert isolate_ltr("INV-1") == f"{LRI}INV-1{PDI}"
    assert isolate_if_mixed("Acme Ltd.", rtl_context=True) == f"{FSI}Acme Ltd.{PDI}"
    assert isolate_if_mixed("אלפא Tech בע״מ", rtl_context=False) == f"{FSI}אלפא Tech בע״מ{PDI}"
    assert isolate_if_mixed("דנה לוי", rtl_context=True) == "דנה לוי"
    assert isolate_if_mixed("Dana Levi", rtl_context=False) == "Dana Levi"
    assert strip_bidi(f"{LRI}x{PDI}\u200f") == "x"


@given(minor=st.integers(min_value=-10**12, max_value=10**12),
       currency=st.sampled_from(["ILS", "USD", "GBP", "EUR", "JPY", "KWD"]),
       locale=st.sampled_from(["he", "en-GB", "en-US"]))
def test_formatted_amount_parses_back_to_the_same_money(minor, currency, locale):
    m = Money.from_minor(minor, currency)
    text = strip_bidi(format_money(m, locale)).replace("US$", "").replace("JP¥", "")
    text = text.replace("KWD\u00a0", "").replace("¥", "")
    assert Money.of(parse_amount(text), currency) == m
    assert isinstance(m.amount, Decimal)

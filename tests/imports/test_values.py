"""Reading single cells: dates, amounts, currencies, words, tax ids, phones, e-mails."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gvia.imports.values import (
    BadValue,
    DateReader,
    cell_text,
    currency_in_text,
    day_first,
    parse_currency,
    parse_customer_type,
    parse_email,
    parse_kind,
    parse_language,
    parse_method,
    parse_phone,
    parse_tax_id,
    read_amount,
    read_decimal,
)

# --- cell text ---------------------------------------------------------------------------


@pytest.mark.parametrize("cell, text", [
    ("  1043 ", "1043"),
    ("\u200f1043\u200e", "1043"),          # direction marks around a number
    ("\xa0INV-7\xa0", "INV-7"),
    (Decimal("1043"), "1043"),
    (Decimal("1043.0"), "1043"),          # a spreadsheet number, not "1043.0"
    (Decimal("12.50"), "12.50"),
    (dt.date(2026, 11, 23), "2026-11-23"),
    (dt.datetime(2026, 11, 23, 0, 0), "2026-11-23"),
    (None, ""),
])
def test_cell_text(cell, text):
    assert cell_text(cell) == text


# --- dates -------------------------------------------------------------------------------

def test_day_first_by_country():
    assert day_first("IL") and day_first("GB") and day_first("de")
    assert not day_first("US")


@pytest.mark.parametrize("text, expected", [
    ("2026-11-23", dt.date(2026, 11, 23)),
    ("2026-11-23 00:00:00", dt.date(2026, 11, 23)),
    ("2026-11-23T14:30:00", dt.date(2026, 11, 23)),
    ("2026/11/23", dt.date(2026, 11, 23)),
    ("23/11/2026", dt.date(2026, 11, 23)),
    ("23.11.2026", dt.date(2026, 11, 23)),
    ("23-11-26", dt.date(2026, 11, 23)),
    ("3/4/2026", dt.date(2026, 4, 3)),      # day first: 3 April
    ("1/2/99", dt.date(1999, 2, 1)),        # %y: 69-99 are 19xx
    ("1/2/68", dt.date(2068, 2, 1)),
    ("\u200f23/11/2026", dt.date(2026, 11, 23)),
])
def test_dates_day_first_israel(text, expected):
    assert DateReader("IL")(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("3/4/2026", dt.date(2026, 3, 4)),      # month first: March 4th
    ("11/23/2026", dt.date(2026, 11, 23)),
    ("2026-11-23", dt.date(2026, 11, 23)),  # ISO always
])
def test_dates_month_first_us(text, expected):
    assert DateReader("US")(text) == expected


def test_impossible_date_is_an_error():
    with pytest.raises(BadValue, match="no such date"):
        DateReader("IL")("31/02/2026")
    with pytest.raises(BadValue, match="no such date"):
        DateReader("IL")("2026-02-29")      # 2026 is not a leap year
    assert DateReader("IL")("29/02/2028") == dt.date(2028, 2, 29)


def test_month_first_date_in_a_day_first_file_suggests_the_format():
    with pytest.raises(BadValue) as info:
        DateReader("IL")("11/23/2026")
    assert "day first" in str(info.value)
    assert "--date-format %m/%d/%Y" in str(info.value)


@pytest.mark.parametrize("text", ["23/11", "yesterday", "23/11/2026/1", "2026.11", "23/11-2026",
                                  "1.5", "", "23112026"])
def test_not_a_date(text):
    with pytest.raises(BadValue):
        DateReader("IL")(text)


def test_year_out_of_range():
    with pytest.raises(BadValue, match="out of range"):
        DateReader("IL")("01/01/1850")


def test_date_format_is_strict():
    reader = DateReader("IL", "%d %b %Y")
    assert reader("23 Nov 2026") == dt.date(2026, 11, 23)
    with pytest.raises(BadValue, match="--date-format"):
        reader("2026-11-23")              # with a format, only the format
    with pytest.raises(BadValue, match="no such date"):
        DateReader("IL", "%d/%m/%Y")("31/02/2026")


def test_spreadsheet_date_cells_are_taken_as_they_are():
    reader = DateReader("US", "%Y%m%d")
    assert reader(dt.date(2026, 11, 23)) == dt.date(2026, 11, 23)
    assert reader(dt.datetime(2026, 11, 23, 17, 5)) == dt.date(2026, 11, 23)
    with pytest.raises(BadValue, match="a number, not a date"):
        reader(Decimal("46349"))


def test_date_reader_remembers_errors_too():
    reader = DateReader("IL")
    for _ in range(2):
        with pytest.raises(BadValue, match="no such date"):
            reader("30/02/2026")
    remembered = reader.known["30/02/2026"]
    assert not isinstance(remembered, (str, dt.date))   # what is wrong: never taken as a date
    assert remembered.message.startswith("no such date") and remembered.code == "no_such_date_read"
    with pytest.raises(BadValue) as raised:
        reader("30/02/2026")
    assert (raised.value.code, raised.value.params) == (
        "no_such_date_read", {"day": "30", "month": "2", "year": "2026"})


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2199, 12, 31)))
def test_any_date_reads_back_in_each_convention(day):
    assert DateReader("IL")(day.strftime("%d/%m/%Y")) == day
    assert DateReader("GB")(day.strftime("%d.%m.%Y")) == day
    assert DateReader("US")(day.strftime("%m/%d/%Y")) == day
    assert DateReader("US")(day.isoformat()) == day
    assert DateReader("IL")(day.isoformat()) == day


# --- amounts -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, number, currency, decimals", [
    ("1250.00", Decimal("1250.00"), None, 2),
    ("1250", Decimal("1250"), None, 0),
    ("-12.5", Decimal("-12.5"), None, 1),
    (".5", Decimal("0.5"), None, 1),
    ("₪ 1,250.00", Decimal("1250.00"), "ILS", 2),
    ('1,250.00 ש"ח', Decimal("1250.00"), "ILS", 2),
    ("$4,000.00", Decimal("4000.00"), "USD", 2),
    ("€ 99.90", Decimal("99.90"), "EUR", 2),
    ("£2,100.50", Decimal("2100.50"), "GBP", 2),
    ("(300.50)", Decimal("-300.50"), None, 2),
    ("1,250-", Decimal("-1250"), None, 0),
    ("1.250", Decimal("1.250"), None, 3),
    ("1 250", Decimal("1250"), None, 0),   # spaces are dropped (parse_amount)
])
def test_read_amount(text, number, currency, decimals):
    assert read_amount(text) == (number, currency, decimals)


def test_read_amount_of_a_spreadsheet_number():
    assert read_amount(Decimal("1462.5")) == (Decimal("1462.5"), None, 1)
    assert read_amount(Decimal("1043")) == (Decimal("1043"), None, 0)


def test_decimal_comma():
    assert read_amount("1.250,00", decimal_comma=True) == (Decimal("1250.00"), None, 2)


@pytest.mark.parametrize("text", ["abc", "1,25,0", "12.5.1", "NaN", "Infinity", "1e5", "--5",
                                  "²"])
def test_not_an_amount(text):
    with pytest.raises(BadValue, match="not an amount"):
        read_amount(text)


def test_two_currencies_in_one_amount():
    with pytest.raises(BadValue, match="two currencies"):
        currency_in_text("$ 12 EUR")


@given(st.integers(min_value=0, max_value=10**12))
def test_any_amount_with_separators_reads_back(agorot):
    text = f"₪ {agorot // 100:,}.{agorot % 100:02d}"
    assert read_amount(text) == (Decimal(agorot).scaleb(-2), "ILS", 2)


def test_read_decimal_rates():
    assert read_decimal("3.6250") == Decimal("3.6250")
    with pytest.raises(BadValue, match="more than zero"):
        read_decimal("0")
    with pytest.raises(BadValue, match="not a number"):
        read_decimal("three")


# --- words -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, code", [
    ("ILS", "ILS"), ("ils", "ILS"), ("₪", "ILS"), ('ש"ח', "ILS"), ("ש״ח", "ILS"), ("NIS", "ILS"),
    ("שקל", "ILS"), ("$", "USD"), ("דולר", "USD"), ("usd", "USD"), ("€", "EUR"), ("יורו", "EUR"),
    ("£", "GBP"), ('ליש"ט', "GBP"), ("JPY", "JPY"),
])
def test_currency(text, code):
    assert parse_currency(text) == code


def test_unknown_currency():
    with pytest.raises(BadValue, match="unknown currency"):
        parse_currency("XYZ")


@pytest.mark.parametrize("text, kind", [
    ("invoice", "invoice"), ("Invoice", "invoice"), ("חשבונית מס", "invoice"),
    ("חשבונית מס/קבלה", "invoice"), ("חשבון עסקה", "invoice"),
    ("credit_note", "credit_note"), ("Credit Note", "credit_note"), ("credit", "credit_note"),
    ("חשבונית זיכוי", "credit_note"), ("זיכוי", "credit_note"),
])
def test_kind(text, kind):
    assert parse_kind(text) == kind


def test_unknown_kind_lists_the_accepted_values():
    with pytest.raises(BadValue, match="credit_note, invoice"):
        parse_kind("receipt")


@pytest.mark.parametrize("text, method", [
    ("transfer", "transfer"), ("Bank transfer", "transfer"), ("העברה בנקאית", "transfer"),
    ("הוראת קבע", "transfer"), ("card", "card"), ("כרטיס אשראי", "card"), ("cash", "cash"),
    ("מזומן", "cash"), ("cheque", "cheque"), ("check", "cheque"), ("צ'ק", "cheque"),
    ("צ׳ק", "cheque"), ("שיק", "cheque"), ("bit", "other"), ("other", "other"),
])
def test_method(text, method):
    assert parse_method(text) == method


@pytest.mark.parametrize("text, language", [("he", "he"), ("עברית", "he"), ("Hebrew", "he"),
                                            ("EN", "en"), ("English", "en"), ("אנגלית", "en"),
                                            ("ar", "ar"), ("ערבית", "ar"), ("العربية", "ar"),
                                            ("RU", "ru"), ("רוסית", "ru"), ("русский", "ru")])
def test_language(text, language):
    assert parse_language(text) == language


def test_other_languages_are_refused():
    with pytest.raises(BadValue, match="unknown language") as bad:
        parse_language("fr")
    assert bad.value.code == "unknown_language"     # worded "write Hebrew, English, Arabic or Russian" at the edges


@pytest.mark.parametrize("text, kind", [
    ("business", "business"), ("עסק", "business"), ("Company", "business"), ('חברה בע"מ', "business"),
    ("private", "consumer"), ("פרטי", "consumer"), ("Consumer", "consumer"),
    # a dealer is a sole trader, never a company (issue 12)
    ("sole_trader", "sole_trader"), ("Sole trader", "sole_trader"), ("עוסק מורשה", "sole_trader"),
    ("עוסק פטור", "sole_trader"), ("עוסק", "sole_trader"), ("self-employed", "sole_trader"),
    ("public_body", "public_body"), ("Public body", "public_body"), ("גוף ציבורי", "public_body"),
    ("עירייה", "public_body"), ("Local authority", "public_body"),
])
def test_customer_type(text, kind):
    assert parse_customer_type(text) == kind


def test_an_unknown_customer_type_names_the_four():
    with pytest.raises(BadValue, match="business, consumer, public_body, sole_trader"):
        parse_customer_type("partnership")


# --- identifiers -------------------------------------------------------------------------

@pytest.mark.parametrize("text, number", [
    ("514223395", "514223395"),     # company number (ח.פ.)
    ("51-422339-5", "514223395"),
    ("039337423", "039337423"),     # personal ID (ת.ז.)
    ("39337423", "039337423"),      # leading zero lost in a spreadsheet
    (Decimal("39337423"), "039337423"),
])
def test_israeli_tax_id(text, number):
    assert parse_tax_id(text, "IL") == number


@pytest.mark.parametrize("text, why", [
    ("514223390", "check digit"),
    ("000000000", "check digit"),
    ("51422339X", "nine digits"),
    ("1234567890", "nine digits"),
])
def test_bad_israeli_tax_id(text, why):
    with pytest.raises(BadValue, match=why):
        parse_tax_id(text, "IL")


@given(st.integers(min_value=0, max_value=999_999_999))
def test_israeli_tax_id_accepts_exactly_what_idnr_or_hp_accepts(n):
    from stdnum.il import hp, idnr
    number = f"{n:09d}"
    try:
        accepted = parse_tax_id(number, "IL") == number
    except BadValue:
        accepted = False
    assert accepted == (idnr.is_valid(number) or hp.is_valid(number))


def test_other_countries_tax_ids_are_kept_as_written():
    assert parse_tax_id(" GB 123  4567 89 ", "GB") == "GB 123 4567 89"


@pytest.mark.parametrize("text, country, e164", [
    ("03-6123456", "IL", "+97236123456"),
    ("052-1234567", "IL", "+972521234567"),
    (Decimal("521234567"), "IL", "+972521234567"),   # leading 0 lost in a spreadsheet
    ("+44 20 7946 0958", "IL", "+442079460958"),
    ("020 7946 0958", "GB", "+442079460958"),
])
def test_phone(text, country, e164):
    assert parse_phone(text, country) == e164


@pytest.mark.parametrize("text", ["not a phone", "12"])
def test_bad_phone(text):
    with pytest.raises(BadValue, match="phone number"):
        parse_phone(text, "IL")


def test_email():
    assert parse_email("Dana@Example.CO.IL") == "Dana@example.co.il"
    for bad in ("dana", "dana@", "@example.com", "dana@example", "a@b@c.com", "dana@.com"):
        with pytest.raises(BadValue, match="not an e-mail"):
            parse_email(bad)
    with pytest.raises(BadValue, match="one e-mail address per cell"):
        parse_email("a@example.com; b@example.com")

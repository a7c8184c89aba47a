"""Amounts, dates and phones on screen, and the template tags that isolate them (no database)."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from django.template import Context, Template
from django.utils import translation

from gvia.core.money import Money
from gvia.web import display


@pytest.fixture(autouse=True)
def hebrew_israel():
    translation.activate("he")
    display.activate("he", "IL", "Asia/Jerusalem")
    yield
    translation.deactivate()


def render(source: str, **context) -> str:
    return Template("{% load gvia %}" + source).render(Context(context))


@pytest.mark.parametrize("lang,country,amount,currency,expected", [
    ("he", "IL", "1250.5", "ILS", "₪1,250.50"),
    ("en", "IL", "1250.5", "ILS", "₪1,250.50"),
    ("en", "US", "-40", "USD", "-$40.00"),
    ("he", "IL", "-50", "ILS", "-₪50.00"),          # no bidi marks left: the <bdi> isolates it
    ("en", "GB", "1000", "JPY", "JP¥1,000"),
])
def test_money_text(lang, country, amount, currency, expected):
    display.activate(lang, country)
    assert display.money_text(Money.of(amount, currency)) == expected


def test_compact_money_for_chart_labels():
    assert display.compact_money_text(Money.of("9999.99", "ILS")) == "₪9,999.99"
    assert display.compact_money_text(Money.of("12345", "ILS")) == "₪12.3K"
    assert display.compact_money_text(Money.of("1234567", "ILS")) == "₪1.2M"
    assert display.compact_money_text(Money.of("-12345", "ILS")) == "-₪12.3K"
    assert display.compact_money_text(Money.of("12345", "USD"), "en_US") == "$12.3K"


@pytest.mark.parametrize("lang,country,expected", [("he", "IL", "05/03/2026"), ("en", "GB", "05/03/2026"),
                                                   ("en", "US", "03/05/2026")])
def test_date_text(lang, country, expected):
    display.activate(lang, country)
    assert display.date_text(date(2026, 3, 5)) == expected


def test_moment_in_the_organizations_time_zone():
    # 21:30 UTC on 5 March is 23:30 in Jerusalem (UTC+2 in winter)
    assert display.moment_text(datetime(2026, 3, 5, 21, 30, tzinfo=timezone.utc)) == "05/03/2026 23:30"
    display.activate("en", "GB", "Europe/London")
    assert display.moment_text(datetime(2026, 3, 5, 21, 30, tzinfo=timezone.utc)) == "05/03/2026 21:30"


def test_a_hebrew_user_of_a_british_organization():
    display.activate("he", "GB", "Europe/London")
    assert display.current_locale() == "he"                  # he_GB is unknown: the language alone
    assert display.phone_text("+442079460000") == "020 7946 0000"
    assert display.money_text(Money.of("10", "GBP")) == "£10.00"


@pytest.mark.parametrize("raw,expected", [("+972501234567", "050-123-4567"), ("+97231234567", "03-123-4567"),
                                          ("+442079460000", "+44 20 7946 0000"), ("call me", "call me")])
def test_phone_text(raw, expected):
    assert display.phone_text(raw) == expected


def test_filters_wrap_values_in_ltr_isolates():
    out = render("{{ m|money }} {{ d|day }} {{ n|num }} {{ s|ltr }}", m=Money.of("-5", "ILS"),
                 d=date(2026, 3, 5), n=12345, s="INV-1043/2")
    assert out == ('<bdi dir="ltr" class="num neg">-₪5.00</bdi> <bdi dir="ltr" class="num">05/03/2026</bdi> '
                   '<bdi dir="ltr" class="num">12,345</bdi> <bdi dir="ltr">INV-1043/2</bdi>')


def test_t_escapes_parameters_and_isolates_them():
    out = render('{% t "customer.hold_reason" reason=r %}', r="<script>alert(1)</script>")
    assert out == "לא לגבות: <bdi>&lt;script&gt;alert(1)&lt;/script&gt;</bdi>"
    out = render('{% t "customers.showing" shown="1–50" total=t %}', t=100000)
    assert out == "<bdi>1–50</bdi> מתוך <bdi>100,000</bdi> לקוחות"


def test_t_escapes_quotes_in_the_text_itself():
    assert render('{% t "dashboard.total" %}') == 'סה&quot;כ'


def test_page_direction_follows_the_language():
    assert render("{% html_lang %} {% html_dir %}") == "he rtl"
    translation.activate("en")
    assert render("{% html_lang %} {% html_dir %}") == "en ltr"


def test_bidi_isolates_left_to_right_runs_in_a_sentence():
    from gvia.web.templatetags.gvia import bidi

    out = bidi("חשבונית INV-1001 באיחור; סכום: 700.00 ILS; הבא ב-22/03/2026 <b>")
    assert out == ('חשבונית <bdi dir="ltr">INV-1001</bdi> באיחור; סכום: <bdi dir="ltr">700.00 ILS</bdi>; '
                   'הבא ב-<bdi dir="ltr">22/03/2026</bdi> &lt;<bdi dir="ltr">b</bdi>&gt;')

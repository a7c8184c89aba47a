"""Aging buckets; every expected amount is computed by hand."""

from datetime import date, timedelta

import pytest

from gvia.core.aging import (
    BUCKETS_DEFAULT,
    AgingReport,
    age,
    age_ledger,
    bucket_name,
    bucket_names,
)
from gvia.core.errors import ValidationFailed
from gvia.core.ledger import InvoiceRec, PaymentRec, allocate
from gvia.core.money import Money, Totals

AS_OF = date(2026, 11, 23)


def ils(x) -> Money:
    return Money.of(x, "ILS")


def days_ago(n: int) -> date:
    return AS_OF - timedelta(days=n)


class TestBuckets:
    def test_default_names(self):
        assert BUCKETS_DEFAULT == (0, 30, 60, 90, 180)
        assert bucket_names() == ("not_due", "1-30", "31-60", "61-90", "91-180", "180+")

    @pytest.mark.parametrize("days, name", [
        (-10, "not_due"), (0, "not_due"), (1, "1-30"), (30, "1-30"), (31, "31-60"),
        (60, "31-60"), (61, "61-90"), (90, "61-90"), (91, "91-180"), (180, "91-180"),
        (181, "180+"), (2000, "180+"),
    ])
    def test_edges_are_inclusive_on_the_upper_side(self, days, name):
        assert bucket_name(days) == name

    def test_custom_edges(self):
        edges = (0, 15, 45)
        assert bucket_names(edges) == ("not_due", "1-15", "16-45", "45+")
        assert [bucket_name(d, edges) for d in (0, 15, 16, 45, 46)] == [
            "not_due", "1-15", "16-45", "16-45", "45+"]
        assert bucket_names((0,)) == ("not_due", "0+")

    @pytest.mark.parametrize("edges", [(), (1, 30), (0, 30, 30), (0, 60, 30), (0, 1.5), (0, True)])
    def test_bad_edges(self, edges):
        with pytest.raises(ValidationFailed):
            bucket_names(edges)


class TestAge:
    def test_amounts_land_in_their_buckets(self):
        items = [
            (days_ago(-5), ils(100)),        # due in 5 days
            (AS_OF, ils(50)),                # due today: not late
            (days_ago(1), ils("10.10")),
            (days_ago(30), ils("20.20")),
            (days_ago(31), ils(300)),
            (days_ago(95), ils(400)),
            (days_ago(181), ils(1000)),
            (days_ago(200), ils("0.05")),
            (days_ago(10), Money.of(75, "USD")),
            (days_ago(10), ils(0)),          # zero: skipped
        ]
        report = age(items, AS_OF)
        assert list(report.currencies) == ["ILS", "USD"]
        assert report.to_json_dict() == {
            "as_of": "2026-11-23",
            "currencies": {
                "ILS": {"not_due": "150.00", "1-30": "30.30", "31-60": "300.00",
                        "61-90": "0.00", "91-180": "400.00", "180+": "1000.05",
                        "total": "1880.35"},
                "USD": {"not_due": "0.00", "1-30": "75.00", "31-60": "0.00",
                        "61-90": "0.00", "91-180": "0.00", "180+": "0.00", "total": "75.00"},
            },
            "unapplied_credit": {},
        }
        assert report.total("ILS") == ils("1880.35")
        assert report.total("EUR") == Money.zero("EUR")
        assert report.totals == Totals([ils("1880.35"), Money.of(75, "USD")])

    def test_json_with_unapplied_credit_and_zero_exponent_currency(self):
        report = age([(days_ago(40), Money.of(1500, "JPY"))], AS_OF, edges=(0, 30))
        assert report.to_json_dict(Totals([ils("12.5")])) == {
            "as_of": "2026-11-23",
            "currencies": {"JPY": {"not_due": "0", "1-30": "0", "30+": "1500", "total": "1500"}},
            "unapplied_credit": {"ILS": "12.50"},
        }

    def test_nothing_open(self):
        assert age([], AS_OF).to_json_dict() == {
            "as_of": "2026-11-23", "currencies": {}, "unapplied_credit": {}}


class TestMerge:
    def test_per_customer_reports_add_up(self):
        a = age([(days_ago(5), ils(100)), (days_ago(70), ils(20))], AS_OF)
        b = age([(days_ago(20), ils("0.50")), (days_ago(5), Money.of(9, "USD"))], AS_OF)
        both = a.merge(b)
        assert both.currencies["ILS"]["1-30"] == ils("100.50")
        assert both.currencies["ILS"]["61-90"] == ils(20)
        assert both.total("ILS") == ils("120.50")
        assert both.total("USD") == Money.of(9, "USD")
        assert (a + b) == both
        assert AgingReport.combine([a, b], AS_OF) == both
        assert AgingReport.combine([], AS_OF).currencies == {}

    def test_refuses_different_days_or_edges(self):
        a = age([], AS_OF)
        with pytest.raises(ValueError):
            a.merge(age([], days_ago(1)))
        with pytest.raises(ValueError):
            a.merge(age([], AS_OF, edges=(0, 30)))


def test_age_ledger_uses_open_amounts_not_credit_notes():
    docs = [
        InvoiceRec(1, "1", "invoice", days_ago(60), days_ago(45), ils(1000)),
        InvoiceRec(2, "2", "invoice", days_ago(20), days_ago(5), ils(500)),
        InvoiceRec(3, "C3", "credit_note", days_ago(3), days_ago(3), ils(50), applies_to=2),
    ]
    pays = [PaymentRec(1, days_ago(2), ils(300), ils(0), "cleared")]
    ledger = allocate(docs, pays)
    report = age_ledger(docs, ledger, AS_OF)
    # invoice 1: 1000 - 300 = 700 at 45 days; invoice 2: 500 - 50 = 450 at 5 days
    assert report.currencies["ILS"]["31-60"] == ils(700)
    assert report.currencies["ILS"]["1-30"] == ils(450)
    assert report.total("ILS") == ils(1150)

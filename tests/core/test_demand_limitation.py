"""A document that threatens proceedings never demands a time-barred debt (core/demand.py)."""

from dataclasses import dataclass
from datetime import date

from gvia.core.demand import THREATENS_PROCEEDINGS, demand, threatens_proceedings
from gvia.core.money import Money


@dataclass(frozen=True)
class Line:
    number: str
    due_date: date
    open: Money
    limitation_date: date | None = None


BARRED = Line("A", date(2018, 1, 1), Money.of("100.00", "ILS"), date(2025, 1, 1))
LIVE = Line("B", date(2024, 1, 1), Money.of("250.00", "ILS"), date(2031, 1, 1))
UNKNOWN = Line("C", date(2024, 2, 1), Money.of("40.00", "ILS"))
LATER = Line("D", date(2026, 9, 1), Money.of("10.00", "ILS"), date(2033, 9, 1))


def test_a_threat_of_proceedings_leaves_the_time_barred_line_out():
    d = demand([BARRED, LIVE, UNKNOWN, LATER], date(2026, 6, 1), proceedings=True)
    assert [ln.number for ln in d.demanded] == ["B", "C"]
    assert [ln.number for ln in d.time_barred] == ["A"]
    assert [ln.number for ln in d.not_yet_due] == ["D"]
    assert d.totals.get("ILS") == Money.of("290.00", "ILS")


def test_on_its_limitation_date_a_debt_is_still_claimed():
    d = demand([BARRED], date(2025, 1, 1), proceedings=True)
    assert d.demanded == (BARRED,) and d.time_barred == ()


def test_a_reminder_is_not_cut_off():
    d = demand([BARRED, LIVE], date(2026, 6, 1))
    assert [ln.number for ln in d.demanded] == ["A", "B"] and d.time_barred == ()


def test_which_documents_threaten_proceedings():
    assert THREATENS_PROCEEDINGS == ("warning_letter", "warning_execution_office", "letter_of_claim")
    assert threatens_proceedings("letter_of_claim") and not threatens_proceedings("second_reminder")

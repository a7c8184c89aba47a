"""Disputes: reasons, the allowed transitions, and the overdue reminder."""

from datetime import date

import pytest

from gvia.core.disputes import OPEN, REASONS, REJECTED, VALID, can_transition, open_dispute, overdue_dispute, resolve
from gvia.core.errors import Refused


def test_reasons():
    assert REASONS == ("service_not_as_expected", "wrong_amount", "not_received", "already_paid",
                       "other")
    with pytest.raises(Refused):
        open_dispute(["1043"], "dont_like_it", date(2025, 3, 1))
    with pytest.raises(Refused, match="note"):
        open_dispute(["1043"], "other", date(2025, 3, 1))
    assert open_dispute(["1043"], "other", date(2025, 3, 1), note="delivered to the wrong site").state == OPEN
    with pytest.raises(Refused):
        open_dispute([], "wrong_amount", date(2025, 3, 1))
    with pytest.raises(Refused):
        open_dispute(["1043", "1043"], "wrong_amount", date(2025, 3, 1))


def test_valid_dispute_scenario():
    d = open_dispute(["1043", "1044"], "wrong_amount", date(2025, 3, 1))
    assert d.state == OPEN and d.invoices == ("1043", "1044")
    with pytest.raises(Refused, match="credit_note or write_off"):
        resolve(d, VALID, date(2025, 3, 10))
    done = resolve(d, VALID, date(2025, 3, 10), "credit_note")
    assert (done.state, done.resolution, done.resolved_on) == (VALID, "credit_note", date(2025, 3, 10))
    with pytest.raises(Refused, match="already valid"):
        resolve(done, REJECTED, date(2025, 3, 11))


def test_rejected_dispute_scenario():
    d = open_dispute(["1043"], "already_paid", date(2025, 3, 1))
    with pytest.raises(Refused):
        resolve(d, REJECTED, date(2025, 3, 5), "write_off")
    with pytest.raises(Refused):
        resolve(d, REJECTED, date(2025, 2, 28))  # before it was opened
    done = resolve(d, REJECTED, date(2025, 3, 5))
    assert done.state == REJECTED and done.resolution is None
    assert not can_transition(REJECTED, OPEN) and can_transition(OPEN, VALID)


def test_overdue_dispute():
    # at most 14 days open: opened 1 Mar, still fine on 15 Mar, overdue on 16 Mar
    assert not overdue_dispute(date(2025, 3, 1), date(2025, 3, 15), 14)
    assert overdue_dispute(date(2025, 3, 1), date(2025, 3, 16), 14)

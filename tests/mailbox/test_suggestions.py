"""Suggested promises (issue 16) from a call's note and by hand: confirmed through the promise
service, or refused naming what is missing."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from gvia.core.errors import Refused
from gvia.services.arrangements import suggestions
from gvia.services.engine.activities import add as add_activity
from gvia.services.engine.calls import log_call
from gvia.store.models_inbound import SuggestedPromise
from tests.services.conftest import Books

pytestmark = pytest.mark.django_db
IL = ZoneInfo("Asia/Jerusalem")


def at(d: date, hour: int = 9) -> datetime:
    return datetime(d.year, d.month, d.day, hour, tzinfo=IL).astimezone(timezone.utc)


@pytest.fixture
def case(ctx):
    books = Books(ctx)
    c = books.customer("R", "Rimon Ltd", language="he")
    books.invoice(c, "R1", "3000.00", date(2026, 11, 1))
    return c


def test_a_call_note_suggests_a_promise(ctx, case):
    log_call(ctx, "R", "call_back", at=at(date(2026, 11, 16), 10), now=at(date(2026, 11, 12)),
             note="הבעלים אמר שנעביר 1,500 ש\"ח עד סוף החודש")
    s = SuggestedPromise.objects.get(customer=case)
    assert (s.source, s.due, s.amount_minor, s.currency) == ("call", date(2026, 11, 30), 150000, "ILS")
    assert s.activity.kind == "call"
    log_call(ctx, "R", "no_answer", now=at(date(2026, 11, 13)), note="no answer, try Sunday")
    assert SuggestedPromise.objects.count() == 1


def test_a_reply_recorded_by_hand_suggests_a_promise(ctx, case):
    add_activity(ctx, "R", "reply", "Thanks. We'll pay 1,000 by Friday.", now=at(date(2026, 11, 16)))
    s = SuggestedPromise.objects.get(customer=case)
    assert (s.source, s.sentence, s.due, s.amount_minor, s.currency) == (
        "reply", "We'll pay 1,000 by Friday.", date(2026, 11, 20), 100000, "ILS")   # the customer's currency
    add_activity(ctx, "R", "note", "they said they will pay by Friday", now=at(date(2026, 11, 16)))
    assert SuggestedPromise.objects.count() == 1                                      # a note is not their words


def test_what_the_customer_tells_on_their_page_suggests_a_promise(ctx, case):
    from gvia.services.portal import actions

    actions.tell(actions.Visitor(ctx.org, case, link_id=1), "cash_flow",
                 "Our client pays us on the 20th. We will pay you by 25.11.", now=at(date(2026, 11, 16)))
    s = SuggestedPromise.objects.get(customer=case)
    assert (s.source, s.sentence, s.due, s.amount_minor) == ("portal", "We will pay you by 25.11.",
                                                             date(2026, 11, 25), None)


def test_a_suggestion_without_a_date_needs_one(ctx, case):
    s = suggestions.suggest(ctx, case, 'נשלם 2,500 ש"ח', date(2026, 11, 12), SuggestedPromise.Source.CALL)
    assert (s.due, s.amount_minor) == (None, 250000)
    with pytest.raises(Refused) as refused:
        suggestions.confirm(ctx, s.id, now=at(date(2026, 11, 12)))
    assert refused.value.code == "suggestion_needs_date"
    promise = suggestions.confirm(ctx, s.id, due=date(2026, 11, 20), now=at(date(2026, 11, 12)))
    assert (promise.amount_minor, promise.source) == (250000, "call")
    assert suggestions.suggest(ctx, case, "We can't pay by Friday.", date(2026, 11, 12), "call") is None

"""A message's log (gvia.core.message_log): entries of codes and values that come back as they went
in — dates, moments, amounts, a reason that is itself worded, a coded refusal — so the pages and
the command line word them in the reader's language; the English stays for logs."""

from datetime import date, datetime, timezone

from gvia.core.errors import RefusedFor, Worded
from gvia.core.message_log import EARLIER, added, english, from_text, last, said, when
from gvia.core.money import Money

AT = datetime(2026, 12, 7, 9, 30, tzinfo=timezone.utc)


def test_an_entry_comes_back_with_its_code_and_typed_values():
    why = Worded("the customer replied on 2026-12-06; a person reads the reply first", "outbox_why_replied",
                 day=date(2026, 12, 6))
    log = added([], AT, Worded("waits until …", "outbox_waits", until=datetime(2026, 12, 8, 6, tzinfo=timezone.utc),
                               why=why, amount=Money.of("1250.50", "ILS"), attempt=2))
    back = said(log[0])
    assert isinstance(back, Worded) and back.code == "outbox_waits" and str(back) == "waits until …"
    assert back.params["until"] == datetime(2026, 12, 8, 6, tzinfo=timezone.utc)
    assert back.params["amount"] == Money.of("1250.50", "ILS") and back.params["attempt"] == 2
    inner = back.params["why"]
    assert isinstance(inner, Worded)
    assert (inner.code, inner.params) == ("outbox_why_replied", {"day": date(2026, 12, 6)})
    assert when(log[0]) == AT


def test_a_coded_refusal_stays_a_refusal_and_an_uncoded_one_its_text():
    missing = RefusedFor("letter_missing_field", "the letter needs debtor.tax_id", field="debtor.tax_id")
    log = added([], AT, Worded("could not be printed: …", "outbox_not_printed", why=missing))
    why = said(log[0]).params["why"]
    assert isinstance(why, RefusedFor)
    assert (why.code, why.params) == ("letter_missing_field", {"field": "debtor.tax_id"})
    assert str(why) == "the letter needs debtor.tax_id"


def test_appending_keeps_the_old_entries_and_never_changes_the_list_it_was_given():
    first = added([], AT, Worded("attempt 1 failed: 451", "outbox_attempt_failed", attempt=1, reply="451"))
    second = added(first, AT, Worded("attempt 2 failed: 550", "outbox_attempt_failed", attempt=2, reply="550"))
    assert len(first) == 1 and [e["params"]["attempt"] for e in second] == [1, 2]
    assert last(second).params["reply"] == "550" and last([]) is None
    assert english(second) == "attempt 1 failed: 451\nattempt 2 failed: 550"


def test_lines_kept_before_the_log_had_codes_are_shown_as_they_were():
    log = from_text("attempt 1: 451 try later\n\ncancelled before sending: nothing is overdue any more", AT)
    assert [e["code"] for e in log] == [EARLIER, EARLIER]
    assert (said(log[1]).code, said(log[1]).params) == (
        EARLIER, {"text": "cancelled before sending: nothing is overdue any more"})
    assert said({"text": "no code at all"}).code == EARLIER and when({"at": None}) is None

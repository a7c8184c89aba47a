"""A service's refusal reaches the page in the reader's language (issue 13): the service raises a
code and its values (:class:`gvia.core.errors.RefusedFor`), :mod:`gvia.web.words` words it from
the web catalog, dates as the organization writes them — never the English sentence or an ISO
date."""

from __future__ import annotations

import re
from datetime import date

from gvia.core.errors import FieldProblem, Refused, RefusedFor, ValidationFailed
from gvia.core.money import Money
from gvia.web import display, words

from .conftest import TODAY

HEBREW = re.compile(r"[\u0590-\u05ff]")


def _page(r) -> str:
    return r.content.decode()


def test_send_now_with_nothing_overdue_is_refused_in_hebrew_with_the_days_date(as_collector, world):
    # C003's only invoice is paid: nothing to remind of (the collector reads Hebrew)
    r = as_collector.post(f"/customers/{world.c3.id}/send-now/", follow=True)
    page = _page(r)
    assert "אין על מה להזכיר" in page and "גמא מוצרים" in page
    assert "nothing to remind of" not in page and TODAY.isoformat() not in page
    assert display.date_text(TODAY, "he_IL") in page


def test_send_now_refusal_in_english_for_an_english_reader(client, world):
    from gvia.store.models import Membership

    Membership.objects.filter(user=world.collector).update(language="en")
    client.force_login(world.collector)
    page = _page(client.post(f"/customers/{world.c3.id}/send-now/", follow=True))
    assert "has nothing overdue on 15/03/2026: there is nothing to remind of" in page


def test_a_letter_with_nothing_due_is_refused_in_hebrew_on_the_pdf_page(as_collector, world):
    r = as_collector.get(f"/customers/{world.c3.id}/letter.pdf", {"document": "warning_letter", "language": "he"})
    assert r.status_code == 409
    page = _page(r)
    assert "אין על מה לכתוב" in page and "15/03/2026" in page
    assert "nothing to write about" not in page and "2026-03-15" not in page


def test_words_formats_values_and_falls_back_to_the_english_of_an_uncoded_error(world):
    display.activate("he", "IL")
    exc = RefusedFor("send_now_nothing_overdue", "English for logs", customer="Acme", today=date(2026, 3, 15))
    assert words.refusal_text(exc, "he") == (
        "ללקוח Acme אין חוב שמועד פירעונו עבר נכון ליום 15/03/2026: אין על מה להזכיר")
    assert words.refusal_text(Refused("an old English refusal"), "he") == "an old English refusal"
    assert words.refusal_text(RefusedFor("no_such_code_yet", "its English"), "he") == "its English"
    assert words.value_text(Money.of("1250", "ILS"), "he") == display.money_text(Money.of("1250", "ILS"))
    coded = FieldProblem(3, "due_date", "x", "English", code="no_such_code_yet")
    assert words.problem_text(coded, "he") == "English"
    assert words.error_texts(ValidationFailed([coded]), "he") == [str(coded)]

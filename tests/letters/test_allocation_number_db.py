"""Every letter prints an invoice's allocation number (מספר הקצאה) next to its number (issue 15):
the bakery C-100 of conftest, SH-1003 carrying a number, put through every Israeli letter (the
courtesy note, both reminders, the warning letter, the Execution Office notice) in Hebrew and
English; SH-1002, without one, prints its number alone."""

from __future__ import annotations

import pytest

from gvia.documents import render
from gvia.services.letters import content as letters
from gvia.store.models import Invoice

from .conftest import AS_OF, bakery, text

pytestmark = pytest.mark.django_db

LABEL = {"he": "(מספר הקצאה 777888999)", "en": "(allocation no. 777888999)"}


# every Israeli letter; the Execution Office notice in Hebrew (its claim basis is the organization's
# Hebrew sentence)
@pytest.mark.parametrize(("document", "lang"), [
    (doc, lang) for doc in ("courtesy", "reminder", "second_reminder", "warning_letter") for lang in ("he", "en")
] + [("warning_execution_office", "he")])
def test_the_number_is_printed_next_to_the_invoice_number(ctx, books, lang, document):
    c = bakery(ctx, books)
    Invoice.objects.filter(number="SH-1003").update(allocation_number="777888999")
    got = text(render(letters.letter_context(ctx, c, document, AS_OF, language=lang)))
    assert "SH-1003" in got and LABEL[lang] in got
    assert got.count("777888999") == 1          # SH-1002 has none: nothing next to it
    lines = {ln.number: ln.allocation_number for ln in letters.open_invoice_lines(c, AS_OF)}
    assert lines["SH-1003"] == "777888999" and lines["SH-1002"] == ""

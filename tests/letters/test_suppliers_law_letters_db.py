"""Letters cite Israel's suppliers' payment law and each demanded invoice's legal payment day
(issue 15), read from the PDF's text: a large business whose agreed day (30 Oct) is later than the
law's (שוטף + 45 of 1 July: 14 September) gets the law's day; a smaller business whose agreed day is
later waits for a person (no day cited); a consumer, and an organization outside Israel, get no
such paragraph; the courtesy note never has one."""

from __future__ import annotations

from datetime import date

import pytest

from gvia.documents import render
from gvia.services.ledger import books as ledger
from gvia.services.letters import content as letters

from .conftest import AS_OF, customer, letterhead, text

pytestmark = pytest.mark.django_db

CITED = {"he": ("חוק מוסר תשלומים לספקים, התשע\"ז-2017", "חשבונית INV-7, 14/09/2026", "ובחלוף 30 ימים נוספים"),
         "en": ("Suppliers' Payment Ethics Law, 5777-2017", "invoice INV-7, 14/09/2026", "after a further 30 days")}


def _owing(ctx, books, **kw):
    letterhead(ctx.org)
    c = customer(books, **kw)
    books.invoice(c, "INV-7", "5900.00", date(2026, 10, 30), date(2026, 7, 1))
    ledger.recompute(ctx, [c.id])
    return c


@pytest.mark.parametrize("lang", ["he", "en"])
@pytest.mark.parametrize("document", ["reminder", "warning_letter"])
def test_a_large_buyer_s_letter_cites_the_law_and_its_day(ctx, books, lang, document):
    c = _owing(ctx, books, kind="business", large_business=True)
    got = " ".join(text(render(letters.letter_context(ctx, c, document, AS_OF, language=lang))).split())
    for words in CITED[lang]:
        assert words in got


@pytest.mark.parametrize(("kw", "country"), [
    ({"kind": "business", "large_business": False}, "IL"),      # a person decides first
    ({"kind": "consumer"}, "IL"),
    ({"kind": "public_body"}, "GB"),
])
def test_no_paragraph_where_the_day_is_not_settled_or_the_law_does_not_apply(ctx, books, kw, country):
    c = _owing(ctx, books, **kw)
    ctx.org.country = country
    ctx.org.save(update_fields=["country"])
    got = " ".join(text(render(letters.letter_context(ctx, c, "reminder", AS_OF, language="he"))).split())
    assert "INV-7" in got and CITED["he"][0] not in got


def test_a_public_body_and_never_the_courtesy_note(ctx, books):
    c = _owing(ctx, books, kind="public_body")
    got = " ".join(text(render(letters.letter_context(ctx, c, "second_reminder", AS_OF, language="en"))).split())
    assert CITED["en"][1] in got
    courtesy = " ".join(text(render(letters.letter_context(ctx, c, "courtesy", AS_OF, language="en"))).split())
    assert CITED["en"][0] not in courtesy

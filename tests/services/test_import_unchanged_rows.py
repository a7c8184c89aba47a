"""A re-import skips the rows that are as gvia last imported them (issue 18: the daily full
re-import of an unchanged export), and still answers exactly as if it had read every row."""

from datetime import date
from pathlib import Path

import pytest
from django.db import connection

from gvia.core.errors import ValidationFailed
from gvia.imports import columns
from gvia.services.ledger import allocation_numbers, imports
from gvia.store.models import ImportRun, Invoice

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)
HEADER = "customer_ref,customer_name,invoice_number,issue_date,due_date,amount,open_amount,currency\n"


def rows(n: int, start: int = 1) -> str:
    return "".join(f"C{i % 7},Customer {i % 7},INV-{i},01/09/2026,01/10/2026,{100 + i}.00,{100 + i}.00,ILS\n"
                   for i in range(start, start + n))


def write(tmp_path: Path, text: str, name: str = "export.csv") -> Path:
    p = tmp_path / name
    p.write_text(HEADER + text, encoding="utf-8")
    return p


@pytest.fixture
def parsed(monkeypatch):
    """How many rows the invoice parser was given, over all imports of the test."""
    count = [0]
    real = columns._InvoiceColumns.parse_many

    def counting(self, rownums, rows, text=False):
        count[0] += len(rows)
        return real(self, rownums, rows, text)

    monkeypatch.setattr(columns._InvoiceColumns, "parse_many", counting)
    return count


def stored() -> dict[str, tuple]:
    return {i.number: (i.amount_minor, i.settled_outside_minor, i.open_minor, i.due_date)
            for i in Invoice.objects.all()}


def test_an_unchanged_file_is_not_parsed_again_and_changes_nothing(ctx, tmp_path, parsed):
    f = write(tmp_path, rows(40))
    first = imports.import_file(ctx, "invoices", f, today=TODAY)
    assert (first.created, parsed[0]) == (40, 40)
    assert Invoice.objects.filter(source_digest__isnull=True).count() == 0
    before = stored()
    again = imports.import_file(ctx, "invoices", f, today=TODAY, full=True)
    assert (again.rows, again.created, again.updated, again.unchanged, again.closed) == (40, 0, 0, 40, 0)
    assert parsed[0] == 40          # not one row parsed the second time
    assert stored() == before
    assert ImportRun.objects.order_by("-id").first().unchanged == 40


def test_a_changed_row_is_read_and_updated_and_then_skipped_in_turn(ctx, tmp_path, parsed):
    text = rows(30)
    imports.import_file(ctx, "invoices", write(tmp_path, text), today=TODAY)
    changed = text.replace("INV-7,01/09/2026,01/10/2026,107.00,107.00", "INV-7,01/09/2026,15/10/2026,107.00,7.00")
    f = write(tmp_path, changed, "export2.csv")
    rep = imports.import_file(ctx, "invoices", f, today=TODAY, full=True)
    assert (rep.updated, rep.unchanged, parsed[0]) == (1, 29, 31)
    assert rep.changes == ["invoice INV-7: due date 2026-10-01 → 2026-10-15, settled outside gvia 0.00 → 100.00"]
    inv = Invoice.objects.get(number="INV-7")
    assert (inv.due_date, inv.settled_outside_minor, inv.open_minor) == (date(2026, 10, 15), 10000, 700)
    again = imports.import_file(ctx, "invoices", f, today=TODAY, full=True)
    assert (again.updated, again.unchanged, parsed[0]) == (0, 30, 31)


def test_new_rows_are_inserted_and_rows_no_longer_there_are_closed(ctx, tmp_path):
    imports.import_file(ctx, "invoices", write(tmp_path, rows(20)), today=TODAY)
    # INV-1..INV-5 paid and gone from the export; INV-21..INV-23 new
    rep = imports.import_file(ctx, "invoices", write(tmp_path, rows(18, start=6), "export2.csv"),
                              today=TODAY, full=True)
    assert (rep.created, rep.unchanged, rep.closed) == (3, 15, 5)
    assert rep.closed_numbers == ["INV-1", "INV-2", "INV-3", "INV-4", "INV-5"]
    assert Invoice.objects.get(number="INV-3").open_minor == 0
    assert Invoice.objects.get(number="INV-22").open_minor == 12200
    # a closed invoice's row again, word for word: read again (its digest went with the close)
    # and opened as the row says
    back = imports.import_file(ctx, "invoices", write(tmp_path, rows(23), "export3.csv"), today=TODAY, full=True)
    assert (back.updated, back.unchanged, back.closed) == (5, 18, 0)
    assert Invoice.objects.get(number="INV-3").open_minor == 10300


def test_the_same_row_twice_is_still_a_number_twice(ctx, tmp_path):
    text = rows(10)
    imports.import_file(ctx, "invoices", write(tmp_path, text), today=TODAY)
    before = stored()
    line4 = text.splitlines(keepends=True)[3]
    with pytest.raises(ValidationFailed) as e:
        imports.import_file(ctx, "invoices", write(tmp_path, text + line4, "twice.csv"), today=TODAY, full=True)
    [p] = e.value.problems
    assert (p.row, p.field, p.value, p.code, p.params) == (12, "invoice_number", "INV-4", "import_invoice_twice",
                                                             {"first": 5})
    assert stored() == before and ImportRun.objects.count() == 1


def test_a_changed_row_with_the_number_of_an_unchanged_one_is_a_number_twice(ctx, tmp_path):
    text = rows(10)
    imports.import_file(ctx, "invoices", write(tmp_path, text), today=TODAY)
    other = "C1,Customer 1,INV-4,02/09/2026,02/10/2026,55.00,55.00,ILS\n"
    with pytest.raises(ValidationFailed) as e:
        imports.import_file(ctx, "invoices", write(tmp_path, other + text, "twice.csv"), today=TODAY)
    [p] = e.value.problems
    assert (p.row, p.value, p.code, p.params) == (6, "INV-4", "import_invoice_twice", {"first": 2})


def test_other_settings_read_the_rows_again(ctx, tmp_path, parsed):
    f = write(tmp_path, rows(12))
    imports.import_file(ctx, "invoices", f, today=TODAY)
    # the same text read month first: every date means another day, so nothing may be skipped
    rep = imports.import_file(ctx, "invoices", f, today=TODAY, date_format="%m/%d/%Y")
    assert (rep.updated, parsed[0]) == (12, 24)
    assert Invoice.objects.get(number="INV-1").due_date == date(2026, 1, 10)
    # and the same columns under another header are another file
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(HEADER.replace("customer_name", "name") + rows(12), encoding="utf-8")
    imports.import_file(ctx, "invoices", renamed, today=TODAY)
    assert parsed[0] == 36


def test_an_allocation_number_entered_by_hand_makes_its_row_read_again(ctx, tmp_path, parsed):
    f = write(tmp_path, rows(5))
    imports.import_file(ctx, "invoices", f, today=TODAY)
    allocation_numbers.set_number(ctx, "INV-2", "123456789")
    rep = imports.import_file(ctx, "invoices", f, today=TODAY)
    # read again, found unchanged (a file without the column keeps the number), and skipped next time
    assert (rep.updated, rep.unchanged, parsed[0]) == (0, 5, 6)
    assert Invoice.objects.get(number="INV-2").allocation_number == "123456789"
    imports.import_file(ctx, "invoices", f, today=TODAY)
    assert parsed[0] == 6


def test_invoices_imported_before_digests_are_read_once_then_skipped(ctx, tmp_path, parsed):
    f = write(tmp_path, rows(8))
    imports.import_file(ctx, "invoices", f, today=TODAY)
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {Invoice._meta.db_table} SET source_digest = NULL")
    rep = imports.import_file(ctx, "invoices", f, today=TODAY)
    assert (rep.updated, rep.unchanged, parsed[0]) == (0, 8, 16)
    assert Invoice.objects.filter(source_digest__isnull=True).count() == 0
    imports.import_file(ctx, "invoices", f, today=TODAY)
    assert parsed[0] == 16


def test_a_large_first_import_keeps_each_rows_digest(ctx, tmp_path, monkeypatch, parsed):
    monkeypatch.setattr(imports, "STREAM_FROM_BYTES", 0)
    text = rows(300) + "C1,Customer 1,CN-1,02/09/2026,02/09/2026,-10.00,,ILS\n"
    f = write(tmp_path, text)
    imports.import_file(ctx, "invoices", f, today=TODAY, negative_as_credit_notes=True)
    assert Invoice.objects.filter(source_digest__isnull=True).count() == 0
    assert Invoice.objects.get(number="CN-1").kind == "credit_note"
    rep = imports.import_file(ctx, "invoices", f, today=TODAY, full=True, negative_as_credit_notes=True)
    assert (rep.unchanged, rep.updated, rep.closed, parsed[0]) == (301, 0, 0, 301)

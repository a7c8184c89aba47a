"""Large invoice imports: the bulk-write path (secondary indexes rebuilt once, a bigger page
cache) gives the same books and leaves the same indexes, and a bad row far down a big file
still rejects the whole file with its file, row and column."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connection

from gvia.core.errors import ValidationFailed
from gvia.services.ledger import imports
from gvia.store import bulk
from gvia.store.models import Allocation, Customer, ImportRun, Invoice, UnappliedCredit

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)
HEADER = "customer_ref,customer_name,kind,applies_to,invoice_number,issue_date,due_date,amount,open_amount,currency\n"


def big_file(tmp_path: Path, rows: int, bad_row: int | None = None, bad_cell: str = "2026-02-31") -> Path:
    """``rows`` invoices for rows/10 customers; every 50th row is a credit note on the invoice
    before it. The spreadsheet row of data line k is k + 2 (the header is row 1)."""
    lines = [HEADER]
    start = date(2026, 1, 1)
    for k in range(rows):
        issue = (start + timedelta(days=k % 300)).isoformat()
        due = (start + timedelta(days=k % 300 + 30)).isoformat()
        if k + 2 == bad_row:
            issue = bad_cell
        cust = f"C{k % (rows // 10)}"
        if k % 50 == 49:
            lines.append(f"{cust},Name {cust},credit_note,N{k - 1},CN{k},{issue},{issue},10.00,,ILS\n")
        else:
            lines.append(f"{cust},Name {cust},invoice,,N{k},{issue},{due},{100 + k % 7}.50,{100 + k % 7}.50,ILS\n")
    p = tmp_path / "big.csv"
    p.write_text("".join(lines), encoding="utf-8")
    return p


def books_snapshot(org) -> tuple:
    """Everything the import derives, without ids (two databases give different ids)."""
    invoices = sorted(Invoice.objects.filter(organization=org).values_list(
        "number", "kind", "customer__ref", "issue_date", "due_date", "amount_minor", "settled_outside_minor",
        "open_minor", "currency", "applies_to__number"))
    allocations = sorted(Allocation.objects.filter(organization=org).values_list(
        "invoice__number", "source", "credit_note__number", "amount_minor"))
    credit = sorted(UnappliedCredit.objects.filter(organization=org).values_list("customer__ref", "amount_minor"))
    return invoices, allocations, credit


def test_the_index_rebuild_path_gives_the_same_books_and_the_same_indexes(ctx, tmp_path, monkeypatch,
                                                                          rebuilt_indexes):
    table = Invoice._meta.db_table
    before = bulk.secondary_indexes(table)
    assert len(before) >= 2  # the (customer, due) and open-invoice covering indexes at least
    f = big_file(tmp_path, 600)

    # reference: the row-by-row path (threshold above the file's size)
    monkeypatch.setattr(bulk, "REBUILD_INDEXES_FROM", 10_000)
    imports.import_file(ctx, "invoices", f, today=TODAY)
    expected = books_snapshot(ctx.org)
    Allocation.objects.all().delete()
    UnappliedCredit.objects.all().delete()
    Invoice.objects.filter(kind="credit_note").delete()
    Invoice.objects.all().delete()
    Customer.objects.all().delete()

    rebuilt_indexes.clear()
    monkeypatch.setattr(bulk, "REBUILD_INDEXES_FROM", 100)
    report = imports.import_file(ctx, "invoices", f, today=TODAY)
    assert rebuilt_indexes == [(table, [name for name, _ in before])]  # the rebuild path was taken
    assert report.created == 600 and report.customers_created == 60
    assert books_snapshot(ctx.org) == expected
    assert bulk.secondary_indexes(table) == before
    # 12 credit notes of 10.00, each on its own invoice
    assert len(expected[1]) == 12 and all(a[1] == "credit_note" and a[3] == 1000 for a in expected[1])


def test_no_rebuild_when_the_table_already_holds_more_rows_than_the_file(ctx, tmp_path, monkeypatch):
    monkeypatch.setattr(bulk, "REBUILD_INDEXES_FROM", 10)
    imports.import_file(ctx, "invoices", big_file(tmp_path, 300), today=TODAY)
    calls = []
    monkeypatch.setattr(bulk, "secondary_indexes", lambda t: calls.append(t) or [])
    second = tmp_path / "more.csv"
    second.write_text(HEADER + "".join(f"D{k},Dee,invoice,,M{k},2026-03-01,2026-04-01,5.00,,ILS\n"
                                       for k in range(50)), encoding="utf-8")
    imports.import_file(ctx, "invoices", second, today=TODAY)
    assert calls == [] and Invoice.objects.count() == 350


def test_a_failure_after_the_indexes_were_dropped_rolls_them_back(ctx, tmp_path, monkeypatch):
    table = Invoice._meta.db_table
    before = bulk.secondary_indexes(table)
    monkeypatch.setattr(bulk, "REBUILD_INDEXES_FROM", 100)
    real_insert = bulk.insert

    def failing(t, columns, rows, constants=None):
        if t == table:
            assert bulk.secondary_indexes(table) == []  # dropped by now
            raise RuntimeError("disk full")
        return real_insert(t, columns, rows, constants)

    monkeypatch.setattr(bulk, "insert", failing)
    with pytest.raises(RuntimeError):
        imports.import_file(ctx, "invoices", big_file(tmp_path, 300), today=TODAY)
    assert bulk.secondary_indexes(table) == before
    assert Invoice.objects.count() == 0 and Customer.objects.count() == 0


def test_a_bad_row_in_the_second_half_of_a_big_file_writes_nothing(ctx, tmp_path, monkeypatch):
    monkeypatch.setattr(bulk, "REBUILD_INDEXES_FROM", 100)
    f = big_file(tmp_path, 3000, bad_row=2802, bad_cell="2026-02-31")
    with pytest.raises(ValidationFailed) as e:
        imports.import_file(ctx, "invoices", f, today=TODAY)
    [p] = e.value.problems
    assert (p.source, p.row, p.field, p.value) == ("big.csv", 2802, "issue_date", "2026-02-31")
    assert "no such date" in p.message
    assert Invoice.objects.count() == 0 and Customer.objects.count() == 0 and ImportRun.objects.count() == 0


def test_a_number_twice_in_the_second_half_of_a_big_file_writes_nothing(ctx, tmp_path, monkeypatch):
    monkeypatch.setattr(bulk, "REBUILD_INDEXES_FROM", 100)
    f = big_file(tmp_path, 3000)
    f.write_text(f.read_text(encoding="utf-8") + "C1,Name C1,invoice,,N2500,2026-05-01,2026-06-01,1.00,,ILS\n",
                 encoding="utf-8")
    with pytest.raises(ValidationFailed) as e:
        imports.import_file(ctx, "invoices", f, today=TODAY)
    [p] = e.value.problems
    assert (p.source, p.row, p.field, p.value) == ("big.csv", 3002, "invoice_number", "N2500")
    assert "rows 2502 and 3002" in p.message
    assert Invoice.objects.count() == 0 and Customer.objects.count() == 0


def test_the_page_cache_setting_is_restored_after_a_large_write(ctx):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL has no per-connection page cache to set")
    with connection.cursor() as cur:
        cur.execute("PRAGMA cache_size")
        before = cur.fetchone()[0]
        with bulk.large_write(cache_mb=8):
            cur.execute("PRAGMA cache_size")
            assert cur.fetchone()[0] == -8192
        cur.execute("PRAGMA cache_size")
        assert cur.fetchone()[0] == before


def test_customers_with_activity_reads_the_same_organization_wide(ctx, books):
    from gvia.services.org.organizations import init_organization
    from gvia.store.ledger_store import customers_with_activity
    from gvia.store.models import WriteOff

    day = date(2026, 10, 1)
    quiet, paid, credited, written, requested = (books.customer(r) for r in ("Q", "P", "C", "W", "R"))
    for c in (quiet, paid, credited, written, requested):
        books.invoice(c, f"I-{c.ref}", "100", day)
    books.payment(paid, "10", day)
    books.invoice(credited, "CN-1", "5", day, kind="credit_note", applies_to=Invoice.objects.get(number="I-C"))
    for c, status in ((written, "approved"), (requested, "requested")):
        WriteOff.objects.create(organization=ctx.org, customer=c, invoice=Invoice.objects.get(number=f"I-{c.ref}"),
                                amount_minor=100, currency="ILS", reason="r", status=status, requested_on=day)
    other = init_organization("Other", country="IL", admin_email="o@example.com", admin_password="Gvia-test-2026!")
    stranger = Customer.objects.create(organization=other, ref="S", name="S")
    mine = [c.id for c in (quiet, paid, credited, written, requested)]
    many = mine + [stranger.id] + list(range(10 ** 7, 10 ** 7 + 2500))  # enough ids for the organization-wide reads
    expected = {paid.id, credited.id, written.id}
    assert customers_with_activity(mine) == expected
    assert customers_with_activity(many, ctx.org.id) == expected
    assert customers_with_activity(many) == expected


CREDITS = (HEADER
           + "A,Alpha,invoice,,I1,2026-01-01,2026-02-01,100.00,100.00,ILS\n"
           + "A,Alpha,credit_note,I1,CN1,2026-01-05,2026-01-05,30.00,{cn1_open},ILS\n"
           + "B,Beta,invoice,,I2,2026-01-01,2026-02-01,50.00,20.00,ILS\n"
           + "B,Beta,credit_note,I2,CN2,2026-01-05,2026-01-05,10.00,0.00,ILS\n"
           + "C,Gamma,invoice,,I3,2026-01-01,2026-02-01,70.00,,USD\n")


def test_skipping_the_allocator_gives_what_the_allocator_gives(ctx, tmp_path):
    from gvia.services.ledger import books as ledger

    f = tmp_path / "cn.csv"
    f.write_text(CREDITS.format(cn1_open="30.00"), encoding="utf-8")
    imports.import_file(ctx, "invoices", f, today=TODAY)
    got = books_snapshot(ctx.org)
    ledger.recompute(ctx, Customer.objects.values_list("id", flat=True))
    assert books_snapshot(ctx.org) == got
    opens = dict(Invoice.objects.filter(kind="invoice").values_list("number", "open_minor"))
    assert opens == {"I1": 7000, "I2": 2000, "I3": 7000}  # CN1's 30.00 applied; CN2 had nothing left
    assert list(Allocation.objects.values_list("credit_note__number", "amount_minor")) == [("CN1", 3000)]

    # the credit note is used up in the next export: its allocation goes, the invoice's own open stays
    f.write_text(CREDITS.format(cn1_open="0.00").replace("I1,2026-01-01,2026-02-01,100.00,100.00",
                                                           "I1,2026-01-01,2026-02-01,100.00,70.00"),
                 encoding="utf-8")
    imports.import_file(ctx, "invoices", f, today=TODAY)
    assert Allocation.objects.count() == 0 and UnappliedCredit.objects.count() == 0
    assert dict(Invoice.objects.filter(kind="invoice").values_list("number", "open_minor"))["I1"] == 7000
    got = books_snapshot(ctx.org)
    ledger.recompute(ctx, Customer.objects.values_list("id", flat=True))
    assert books_snapshot(ctx.org) == got


# --- the first big import, written batch by batch as it is parsed (gvia.imports.batches) -------

@pytest.fixture(params=["read first", "in batches"])
def path(request, monkeypatch):
    """Run a test through both ways of importing a first invoice file."""
    monkeypatch.setattr(imports, "STREAM_FROM_BYTES", 0 if request.param == "in batches" else 10 ** 12)
    monkeypatch.setattr(bulk, "REBUILD_INDEXES_FROM", 100)
    return request.param


def test_both_ways_give_the_same_books_and_report(ctx, tmp_path, monkeypatch):
    from gvia.imports import batches
    from gvia.services.context import resolve
    from gvia.services.org.organizations import init_organization

    monkeypatch.setattr(batches, "BATCH", 97)  # many batches, credit notes in other batches than their invoices
    monkeypatch.setattr(bulk, "REBUILD_INDEXES_FROM", 100)
    f = big_file(tmp_path, 1200)
    results = []
    for n, threshold in enumerate((10 ** 12, 0)):
        monkeypatch.setattr(imports, "STREAM_FROM_BYTES", threshold)
        init_organization(f"Org {n}", country="IL", admin_email=f"o{n}@example.com", admin_password="Gvia-test-2026!")
        c = resolve(f"Org {n}", f"o{n}@example.com")
        report = imports.import_file(c, "invoices", f, today=TODAY).as_dict()
        results.append((report, books_snapshot(c.org)))
    assert results[0] == results[1]
    assert results[0][0]["created"] == 1200 and results[0][0]["customers_created"] == 120
    assert ImportRun.objects.count() == 2


def test_streamed_bad_rows_in_the_second_half_are_all_reported_and_nothing_is_written(ctx, tmp_path, path,
                                                                                      monkeypatch):
    from gvia.imports import batches

    monkeypatch.setattr(batches, "BATCH", 97)   # some 30 batches, most written before the bad rows
    f = big_file(tmp_path, 3000, bad_row=2802, bad_cell="2026-02-31")
    text = f.read_text(encoding="utf-8").replace("N2950,", ",", 1)  # and a missing invoice number, row 2952
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationFailed) as e:
        imports.import_file(ctx, "invoices", f, today=TODAY)
    got = [(p.source, p.row, p.field) for p in e.value.problems]
    assert got == [("big.csv", 2802, "issue_date"), ("big.csv", 2952, "invoice_number")]
    assert "2 problem(s)" in e.value.summary
    assert Invoice.objects.count() == 0 and Customer.objects.count() == 0 and ImportRun.objects.count() == 0


def test_streamed_cross_row_problems_write_nothing(ctx, tmp_path, path):
    f = big_file(tmp_path, 3000)
    f.write_text(f.read_text(encoding="utf-8")
                 + "C1,Name C1,invoice,,N2500,2026-05-01,2026-06-01,1.00,,ILS\n"
                 + "C1,Name C1,credit_note,N9999,CN9999,2026-05-01,2026-05-01,1.00,,ILS\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as e:
        imports.import_file(ctx, "invoices", f, today=TODAY)
    got = [(p.row, p.field, p.value) for p in e.value.problems]
    assert got == [(3002, "invoice_number", "N2500"), (3003, "applies_to", "N9999")]
    assert Invoice.objects.count() == 0 and Customer.objects.count() == 0 and ImportRun.objects.count() == 0


def test_a_second_import_is_read_first_and_updates(ctx, tmp_path, path):
    f = big_file(tmp_path, 300)
    imports.import_file(ctx, "invoices", f, today=TODAY)
    f.write_text(f.read_text(encoding="utf-8").replace(",N7,2026-01-08,2026-02-07,100.50,100.50,",
                                                       ",N7,2026-01-08,2026-02-07,100.50,60.50,"), encoding="utf-8")
    report = imports.import_file(ctx, "invoices", f, today=TODAY)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 299)
    assert Invoice.objects.get(number="N7").open_minor == 6050


def test_the_rebuild_works_with_foreign_key_checks_pending_in_the_transaction(ctx, books, tmp_path, monkeypatch):
    # an invoice written earlier in the same transaction leaves a deferred foreign-key check
    # pending on the table (PostgreSQL refuses index DDL then unless the checks run first)
    books.invoice(books.customer("EARLY"), "E-1", "10", date(2026, 1, 1))
    before = bulk.secondary_indexes(Invoice._meta.db_table)
    monkeypatch.setattr(bulk, "REBUILD_INDEXES_FROM", 100)
    report = imports.import_file(ctx, "invoices", big_file(tmp_path, 300), today=TODAY)
    assert report.created == 300 and Invoice.objects.count() == 301
    assert bulk.secondary_indexes(Invoice._meta.db_table) == before


# --- the first big import: failures part-way, and the customer tables' indexes ----------------

def test_a_write_failure_in_a_later_batch_writes_nothing_and_restores_the_indexes(ctx, tmp_path, monkeypatch):
    from gvia.imports import batches

    monkeypatch.setattr(batches, "BATCH", 97)
    monkeypatch.setattr(imports, "STREAM_FROM_BYTES", 0)
    monkeypatch.setattr(bulk, "REBUILD_INDEXES_FROM", 100)
    tables = [m._meta.db_table for m in (Invoice, Customer)]
    before = {t: bulk.secondary_indexes(t) for t in tables}
    real_insert = bulk.insert
    calls = []

    def failing(t, columns, rows, constants=None):
        if t == Invoice._meta.db_table:
            calls.append(len(rows))
            if len(calls) == 3:
                raise RuntimeError("disk full")
        return real_insert(t, columns, rows, constants)

    monkeypatch.setattr(bulk, "insert", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        imports.import_file(ctx, "invoices", big_file(tmp_path, 3000), today=TODAY)
    assert len(calls) == 3
    assert Invoice.objects.count() == 0 and Customer.objects.count() == 0 and ImportRun.objects.count() == 0
    assert {t: bulk.secondary_indexes(t) for t in tables} == before


def test_an_error_while_reading_a_later_batch_writes_nothing(ctx, tmp_path, monkeypatch):
    real = imports.read_changed

    def breaks_late(table, parser, known, batch=None):
        for n, item in enumerate(real(table, parser, known, 97)):
            if n == 20:
                raise OSError("the file went away")
            yield item

    monkeypatch.setattr(imports, "read_changed", breaks_late)
    monkeypatch.setattr(imports, "STREAM_FROM_BYTES", 0)
    monkeypatch.setattr(bulk, "REBUILD_INDEXES_FROM", 100)
    with pytest.raises(OSError, match="the file went away"):
        imports.import_file(ctx, "invoices", big_file(tmp_path, 3000), today=TODAY)
    assert Invoice.objects.count() == 0 and Customer.objects.count() == 0 and ImportRun.objects.count() == 0


def test_the_first_big_import_rebuilds_the_customer_indexes_once_and_leaves_them(ctx, tmp_path, monkeypatch):
    from gvia.store.models import Address, Contact

    monkeypatch.setattr(imports, "STREAM_FROM_BYTES", 0)
    monkeypatch.setattr(bulk, "REBUILD_INDEXES_FROM", 100)
    tables = [m._meta.db_table for m in (Customer, Contact, Address, Invoice)]
    before = {t: bulk.secondary_indexes(t) for t in tables}
    assert len(before[Customer._meta.db_table]) >= 4 and len(before[Contact._meta.db_table]) >= 2
    dropped = []
    real = bulk.secondary_indexes
    monkeypatch.setattr(bulk, "secondary_indexes", lambda t: dropped.append(t) or real(t))
    report = imports.import_file(ctx, "invoices", big_file(tmp_path, 1500), today=TODAY)
    assert report.customers_created == 150
    assert sorted(dropped) == sorted(tables)
    assert {t: real(t) for t in tables} == before
    assert Customer.objects.filter(organization=ctx.org).count() == 150

    # a second organization's first import finds customers in the table: indexes kept this time
    from gvia.services.context import resolve
    from gvia.services.org.organizations import init_organization

    init_organization("Second", country="IL", admin_email="s@example.com", admin_password="Gvia-test-2026!")
    monkeypatch.setattr(bulk, "REBUILD_INDEXES_FROM", 10)
    dropped.clear()
    small = big_file(tmp_path, 120)
    assert 10 < small.stat().st_size // 130 < 150   # big enough to rebuild, but fewer than the tables hold
    imports.import_file(resolve("Second", "s@example.com"), "invoices", small, today=TODAY)
    assert Customer._meta.db_table not in dropped and Invoice._meta.db_table not in dropped


def test_a_bulk_insert_of_several_statements_and_a_remainder_writes_each_row_once(ctx):
    # on SQLite, 500 rows a statement (12 here) and the 7 left in one more; on PostgreSQL, COPY
    cols = ("organization_id", "ref", "name", "tax_id", "kind", "language", "tags", "do_not_chase",
            "do_not_chase_reason", "email", "phone", "created_at", "updated_at")
    stamp = "2026-11-23 10:00:00+00:00"
    rows = [(ctx.org.id, f"R{k:05d}", f"שם {k}", "", "business", "he", "[]", False, "", "", f"05{k:08d}",
             stamp, stamp) for k in range(6007)]
    bulk.insert(Customer._meta.db_table, cols, rows)
    got = list(Customer.objects.filter(organization=ctx.org).order_by("ref").values_list("ref", "name", "phone"))
    assert got == [(r[1], r[2], r[10]) for r in rows]


def test_constant_columns_are_given_once_and_written_in_every_row(ctx):
    cols = ("ref", "name", "phone")
    constants = {"organization_id": ctx.org.id, "tax_id": "", "kind": "business", "language": "he", "tags": "[]",
                 "do_not_chase": False, "do_not_chase_reason": "it's 'quoted'", "email": "",
                 "created_at": "2026-11-23 10:00:00", "updated_at": "2026-11-23 10:00:00"}
    rows = [(f"K{k:05d}", f"שם {k}", f"05{k:08d}") for k in range(1203)]   # 2 statements of 500 and 203
    bulk.insert(Customer._meta.db_table, cols, rows, constants)
    got = list(Customer.objects.filter(organization=ctx.org, ref__startswith="K").order_by("ref").values_list(
        "ref", "name", "phone", "kind", "language", "do_not_chase_reason"))
    assert got == [(*r, "business", "he", "it's 'quoted'") for r in rows]


def test_a_large_first_import_keeps_the_name_search_index(ctx, tmp_path, monkeypatch):
    """On SQLite the customers' name index (migration 0009) is fed by a trigger per row, also
    during a large first import (whose other indexes are dropped and rebuilt): every imported
    name is found, and so are names added later one by one."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: on PostgreSQL the name search uses ordinary (trigram) indexes")
    from gvia.web import name_search

    monkeypatch.setattr(bulk, "REBUILD_INDEXES_FROM", 20)
    monkeypatch.setattr(imports, "STREAM_FROM_BYTES", 0)       # the large-first-import path
    rebuilt = []
    real = bulk._index_ddl
    monkeypatch.setattr(bulk, "_index_ddl", lambda sqls: rebuilt.extend(sqls) or real(sqls))
    imports.import_file(ctx, "invoices", big_file(tmp_path, 600), today=TODAY)
    assert any("customer_name_idx" in s for s in rebuilt)                     # the fast path was taken
    ids = set(Customer.objects.filter(organization=ctx.org).values_list("id", flat=True))
    assert len(ids) == 60
    assert set(name_search.customer_ids("Name C", 1000)) == ids
    assert set(name_search.customer_ids("Name C59", 10)) == set(
        Customer.objects.filter(organization=ctx.org, ref="C59").values_list("id", flat=True))
    later = Customer.objects.create(organization=ctx.org, ref="LATE", name="Zebulun Late")
    assert name_search.customer_ids("ebulun", 10) == [later.id]


def test_a_customer_is_described_by_its_first_row_both_ways(ctx, tmp_path, path):
    """Rows of one reference that spell the customer differently: the first row describes the
    new customer, whether the file is written in batches or planned whole."""
    lines = [HEADER] + [f"C1,{name},invoice,,N{k},2026-01-0{k + 1},2026-02-01,10.00,10.00,ILS\n"
                        for k, name in enumerate(["First Name", "Second Name", "First Name"])]
    lines += [f"C{k},Name {k},invoice,,M{k},2026-01-01,2026-02-01,10.00,10.00,ILS\n" for k in range(2, 200)]
    f = tmp_path / "spelled.csv"
    f.write_text("".join(lines), encoding="utf-8")
    imports.import_file(ctx, "invoices", f, today=TODAY)
    assert Customer.objects.get(organization=ctx.org, ref="C1").name == "First Name"
    assert Invoice.objects.filter(organization=ctx.org, customer__ref="C1").count() == 3


@pytest.mark.django_db(transaction=True)   # the import's own transaction commits (or fails) for real
def test_a_large_first_import_keeps_the_foreign_keys_and_checks_every_row(ctx, tmp_path, monkeypatch):
    """On PostgreSQL a large first import drops the invoice table's foreign keys and adds them
    again afterwards (one check of every row instead of one queued per row): they come back as
    they were, and a row without its customer still fails the whole import."""
    from django.db import IntegrityError

    from gvia.store import import_store

    table = Invoice._meta.db_table
    before = bulk.foreign_keys(table)
    if connection.vendor == "postgresql":
        assert {sql.split(" REFERENCES ")[0] for _name, sql in before} == {
            "FOREIGN KEY (customer_id)", "FOREIGN KEY (organization_id)", "FOREIGN KEY (applies_to_id)"}
    else:
        assert before == []    # SQLite's are part of CREATE TABLE
    monkeypatch.setattr(bulk, "REBUILD_INDEXES_FROM", 100)
    monkeypatch.setattr(imports, "STREAM_FROM_BYTES", 0)
    real = import_store._InvoiceWriter.invoices

    def orphan(self, rows, digests):   # one invoice pointing at a customer that does not exist
        real(self, rows, digests)
        with connection.cursor() as cur:
            cur.execute(f"UPDATE {table} SET customer_id = 987654 WHERE id = (SELECT max(id) FROM {table})")

    monkeypatch.setattr(import_store._InvoiceWriter, "invoices", orphan)
    with pytest.raises(IntegrityError):
        imports.import_file(ctx, "invoices", big_file(tmp_path, 600), today=TODAY)
    assert Invoice.objects.count() == 0 and Customer.objects.count() == 0
    assert bulk.foreign_keys(table) == before

    monkeypatch.setattr(import_store._InvoiceWriter, "invoices", real)
    imports.import_file(ctx, "invoices", big_file(tmp_path, 600), today=TODAY)
    assert Invoice.objects.count() == 600 and bulk.foreign_keys(table) == before

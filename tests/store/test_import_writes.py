"""What the import's bulk writer leaves in the tables: timestamps as Django itself writes them,
and the indexes of migration 0010 (a partial index on Invoice.applies_to, none of its own on
Customer.organization) serving the lookups they are there for."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from django.db import connection

from gvia.services.ledger import imports
from gvia.store import bulk, import_store
from gvia.store.models import Customer, Invoice, Payment

pytestmark = pytest.mark.django_db  # and so again on PostgreSQL (tools/run-tests)
TODAY = date(2026, 11, 23)
MOMENT = datetime(2026, 12, 5, 23, 34, 41, 66373, tzinfo=timezone.utc)
HEADER = ("customer_ref,customer_name,customer_email,kind,applies_to,invoice_number,issue_date,due_date,amount,"
          "currency\n")


@pytest.fixture
def frozen(monkeypatch):
    """The import's clock stops at MOMENT (an aware UTC datetime with microseconds)."""

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return MOMENT.astimezone(tz) if tz else MOMENT.replace(tzinfo=None)

    monkeypatch.setattr(import_store, "datetime", Frozen)
    return MOMENT


def invoice_file(tmp_path: Path, rows: int = 30) -> Path:
    """``rows`` invoices for rows/3 customers, every 10th a credit note on the invoice before it."""
    lines = [HEADER]
    for k in range(rows):
        cust = f"C{k % (rows // 3)}"
        if k % 10 == 9:
            lines.append(f"{cust},Name {cust},{cust.lower()}@example.com,credit_note,N{k - 1},CN{k},"
                         f"2026-03-01,2026-03-01,10.00,ILS\n")
        else:
            lines.append(f"{cust},Name {cust},{cust.lower()}@example.com,invoice,,N{k},2026-03-01,2026-04-01,"
                         f"{100 + k}.00,ILS\n")
    p = tmp_path / "invoices.csv"
    p.write_text("".join(lines), encoding="utf-8")
    return p


def raw_text(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cur:
        cur.execute(f"SELECT CAST({column} AS TEXT) FROM {table} WHERE id = %s", [pk])
        return cur.fetchone()[0]


# --- 1. timestamps ------------------------------------------------------------------------------

def test_bulk_timestamp_is_what_djangos_sqlite_adapter_writes(db):
    text = bulk.timestamp(MOMENT)
    if connection.vendor == "sqlite":
        # Django's SQLite backend stores an aware datetime as naive UTC text (USE_TZ, TIME_ZONE "UTC")
        assert text == connection.ops.adapt_datetimefield_value(MOMENT) == "2026-12-05 23:34:41.066373"
        assert bulk.timestamp(MOMENT.replace(microsecond=0)) == "2026-12-05 23:34:41"
    else:  # COPY reads the offset into the timestamptz
        assert text == "2026-12-05 23:34:41.066373+00:00"


@pytest.mark.parametrize("streamed", [False, True], ids=["read first", "in batches"])
def test_imported_rows_read_back_with_the_moment_of_the_import(ctx, tmp_path, frozen, monkeypatch, streamed):
    monkeypatch.setattr(imports, "STREAM_FROM_BYTES", 0 if streamed else 10 ** 12)
    report = imports.import_file(ctx, "invoices", invoice_file(tmp_path), today=TODAY)
    assert report.created == 30 and report.customers_created == 10
    invoices = list(Invoice.objects.filter(organization=ctx.org))
    assert len(invoices) == 30
    for inv in invoices:
        assert inv.created_at == frozen and inv.updated_at == frozen
        assert inv.created_at.tzinfo is not None
    for c in Customer.objects.filter(organization=ctx.org):
        assert c.created_at == frozen and c.updated_at == frozen
    inv = invoices[0]
    if connection.vendor == "sqlite":
        # the same text the ORM writes for the same moment: no '+00:00' on each of a million rows
        assert raw_text("gvia_invoice", "created_at", inv.id) == "2026-12-05 23:34:41.066373"
        cust = Customer.objects.filter(organization=ctx.org).first()
        assert raw_text("gvia_customer", "created_at", cust.id) == "2026-12-05 23:34:41.066373"
    # the ORM compares them as datetimes
    assert Invoice.objects.filter(organization=ctx.org, created_at=frozen).count() == 30
    assert Invoice.objects.filter(organization=ctx.org, created_at__lt=frozen).count() == 0


def test_imported_payments_read_back_with_the_moment_of_the_import(ctx, tmp_path, frozen):
    imports.import_file(ctx, "invoices", invoice_file(tmp_path), today=TODAY)
    pay = tmp_path / "payments.csv"
    pay.write_text("customer_ref,date,amount,method,reference\n"
                   "C1,2026-11-01,50.00,transfer,TR-1\n"
                   "C2,2026-11-02,60.00,transfer,TR-2\n", encoding="utf-8")
    assert imports.import_file(ctx, "payments", pay, today=TODAY).created == 2
    payments = list(Payment.objects.filter(organization=ctx.org))
    assert [p.created_at for p in payments] == [frozen, frozen]
    if connection.vendor == "sqlite":
        assert raw_text("gvia_payment", "created_at", payments[0].id) == "2026-12-05 23:34:41.066373"


def test_updated_and_closed_invoices_read_back_with_the_moment_of_the_import(ctx, tmp_path, frozen, monkeypatch):
    """A second, --full import changes one invoice and closes the ones it no longer lists: their
    updated_at is the moment of that import, in the text the ORM writes."""
    imports.import_file(ctx, "invoices", invoice_file(tmp_path), today=TODAY)
    again = tmp_path / "again.csv"
    again.write_text(HEADER + "C0,Name C0,c0@example.com,invoice,,N0,2026-03-01,2026-04-01,999.00,ILS\n",
                     encoding="utf-8")
    later = MOMENT.replace(microsecond=5)
    frozen_later = type(import_store.datetime)("Later", (import_store.datetime,), {
        "now": classmethod(lambda cls, tz=None: later.astimezone(tz) if tz else later.replace(tzinfo=None))})
    monkeypatch.setattr(import_store, "datetime", frozen_later)
    report = imports.import_file(ctx, "invoices", again, today=TODAY, full=True)
    assert report.updated == 1 and report.closed >= 1
    changed = Invoice.objects.get(organization=ctx.org, number="N0")
    closed = Invoice.objects.filter(organization=ctx.org, kind="invoice").exclude(number="N0").first()
    assert changed.updated_at == later and closed.updated_at == later
    if connection.vendor == "sqlite":
        assert raw_text("gvia_invoice", "updated_at", changed.id) == "2026-12-05 23:34:41.000005"
        assert raw_text("gvia_invoice", "updated_at", closed.id) == "2026-12-05 23:34:41.000005"


# --- 2./3. the indexes of migration 0010 ---------------------------------------------------------

def plan_text(qs) -> str:
    """The query plan of ``qs``; on PostgreSQL with sequential scans priced out, so that a small
    test table shows which index the planner can use at all."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SET LOCAL enable_seqscan = off")
        try:
            return qs.explain()
        finally:
            with connection.cursor() as cur:
                cur.execute("SET LOCAL enable_seqscan = on")
    return qs.explain()


def test_credit_notes_are_found_by_their_invoice_through_the_partial_index(ctx, tmp_path):
    imports.import_file(ctx, "invoices", invoice_file(tmp_path), today=TODAY)
    target = Invoice.objects.get(organization=ctx.org, number="N8")
    notes = Invoice.objects.filter(applies_to_id=target.id)
    assert [n.number for n in notes] == ["CN9"]
    plan = plan_text(notes)
    assert "invoice_applies_to_idx" in plan, plan
    # and through the relation, as Django's PROTECT check asks
    assert "invoice_applies_to_idx" in plan_text(target.credit_notes.all())


def test_the_applies_to_index_is_partial_and_the_fk_index_is_gone(db):
    names = dict(bulk.secondary_indexes(Invoice._meta.db_table))
    assert "invoice_applies_to_idx" in names
    assert "IS NOT NULL" in names["invoice_applies_to_idx"].upper()
    with connection.cursor() as cur:
        constraints = connection.introspection.get_constraints(cur, Invoice._meta.db_table)
    on_applies_to = sorted(n for n, c in constraints.items() if c["index"] and c["columns"] == ["applies_to_id"])
    assert on_applies_to == ["invoice_applies_to_idx"]


def test_customers_by_organization_alone_use_an_index_that_starts_with_it(ctx):
    with connection.cursor() as cur:
        constraints = connection.introspection.get_constraints(cur, Customer._meta.db_table)
    # no index of its own ...
    assert not [n for n, c in constraints.items() if c["index"] and c["columns"] == ["organization_id"]]
    # ... the unique (organization, ref) one starts with it
    assert any(c["unique"] and c["columns"] == ["organization_id", "ref"] for c in constraints.values())
    Customer.objects.create(organization=ctx.org, ref="C1", name="Alpha")
    plan = plan_text(Customer.objects.filter(organization=ctx.org))
    if connection.vendor == "sqlite":
        assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan
        assert "SCAN gvia_customer\n" not in plan + "\n"
    else:
        assert "Index" in plan and "Seq Scan" not in plan, plan


def test_a_large_first_import_drops_and_rebuilds_the_partial_index(ctx, tmp_path, monkeypatch,
                                                                   rebuilt_indexes):
    table = Invoice._meta.db_table
    before = bulk.secondary_indexes(table)
    assert "invoice_applies_to_idx" in dict(before)
    rebuilt_indexes.clear()
    monkeypatch.setattr(bulk, "REBUILD_INDEXES_FROM", 10)
    monkeypatch.setattr(imports, "STREAM_FROM_BYTES", 0)
    imports.import_file(ctx, "invoices", invoice_file(tmp_path, 60), today=TODAY)
    assert (table, [name for name, _ in before]) in rebuilt_indexes
    assert bulk.secondary_indexes(table) == before   # the same definition (WHERE … IS NOT NULL)
    assert Invoice.objects.filter(applies_to__isnull=False).count() == 6


# --- the migration itself (SQLite: no table remake, so the full-text triggers stay) ------------

def _schema(db: Path) -> dict[str, str]:
    import sqlite3

    with sqlite3.connect(db) as con:
        return dict(con.execute("SELECT name, COALESCE(sql, '') FROM sqlite_master WHERE type IN ('index', 'trigger') "
                                "AND tbl_name IN ('gvia_customer', 'gvia_invoice')"))


def test_migration_0010_keeps_the_tables_and_their_triggers_and_reverses(tmp_path, backend):
    if backend != "sqlite":
        pytest.skip("SQLite's table remake is what this guards against; it migrates a file of its own")
    db = tmp_path / "m.db"
    env = dict(os.environ, GVIA_DATABASE_URL=f"sqlite:///{db}", DJANGO_SETTINGS_MODULE="gvia.settings",
               PYTHONPATH=os.pathsep.join([str(Path(__file__).resolve().parents[2] / "src"),
                                           os.environ.get("PYTHONPATH", "")]))

    def migrate(target: str) -> None:
        subprocess.run([sys.executable, "-m", "django", "migrate", "gvia", target, "-v0"], env=env, check=True)

    migrate("0009")
    before = _schema(db)
    assert any(n.startswith("gvia_invoice_applies_to_id_") for n in before)
    assert any(n.startswith("gvia_customer_organization_id_") for n in before)
    migrate("0010")
    after = _schema(db)
    gone = {n for n in before if n.startswith(("gvia_invoice_applies_to_id_", "gvia_customer_organization_id_"))}
    assert set(after) == set(before) - gone | {"invoice_applies_to_idx"}
    assert all(after[n] == before[n] for n in after if n in before)   # triggers and other indexes untouched
    fts_triggers = {"gvia_customer_name_fts_insert", "gvia_customer_name_fts_delete", "gvia_customer_name_fts_update"}
    assert fts_triggers <= set(after)
    migrate("0009")
    assert _schema(db) == before

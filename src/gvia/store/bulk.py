"""Bulk writes that are fast on both databases.

SQLite: inserts of many rows a statement (500), updates by ``executemany``. PostgreSQL: row-by-row
``executemany`` costs a round trip of client-side parameter merging per row, so inserts use
``COPY … FROM STDIN`` and updates join a ``VALUES`` list. Only values are passed; the SQL text is
built from trusted table and column names.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from itertools import chain
from typing import Iterable, Iterator, Mapping, Sequence

from django.db import connection

CHUNK = 1000


def insert(table: str, columns: Sequence[str], rows: Iterable[Sequence],
           constants: Mapping[str, object] | None = None) -> None:
    """Insert many rows (tuples in the order of ``columns``). ``constants``: columns that have
    one value in every row (the organization, the file, the time of the import), given once
    instead of in each row — on SQLite they are bound once a statement, a third less work a
    row for a million invoices."""
    constants = dict(constants or {})
    cols = ", ".join([*columns, *constants])
    if connection.vendor == "postgresql":
        tail = tuple(constants.values())
        with connection.cursor() as cur:
            raw = cur.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, *tail) if tail else row)
        return
    rows = rows if isinstance(rows, list) else list(rows)
    if rows:
        _sqlite_insert(table, cols, len(columns), rows, tuple(constants.values()))


ROWS_PER_STATEMENT = 500


@lru_cache(maxsize=64)
def _values(rows: int, width: int, constants: int) -> str:
    """``(?, ?, …), (…)`` for ``rows`` rows of ``width`` values each; with ``constants``, each row
    ends with the same ``?1 … ?k`` (bound once) and its own values are numbered after them."""
    if not constants:
        return ", ".join(["(" + ", ".join(["?"] * width) + ")"] * rows)
    tail = ", ".join(f"?{k}" for k in range(1, constants + 1))
    return ", ".join("(" + ", ".join(f"?{constants + r * width + c}" for c in range(1, width + 1)) + ", " + tail + ")"
                     for r in range(rows))


def _sqlite_insert(table: str, cols: str, width: int, rows: list, constants: tuple = ()) -> None:
    """Many rows a statement (``INSERT … VALUES (…), (…), …``): ``ROWS_PER_STATEMENT`` of
    them (or fewer, within SQLite's limit on parameters), the rest in one statement of their
    own. Measured on 300,000 invoice rows (CPU per row): one row a statement 3.7 µs, 50–1,000
    rows 2.5–2.7 µs, 5,000 rows 3.3 µs, 15,000 rows 4.0 µs — a statement that large no longer
    fits the CPU's caches. On the raw connection: the same transaction as Django's, without
    Django rewriting a long SQL text on every call."""
    connection.ensure_connection()
    raw = connection.connection
    head = f"INSERT INTO {table} ({cols}) VALUES "
    k = len(constants)
    per = max(1, min(ROWS_PER_STATEMENT, (raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) - k) // width))
    whole = len(rows) // per * per
    if whole:
        many = head + _values(per, width, k)
        for i in range(0, whole, per):
            raw.execute(many, [*constants, *chain.from_iterable(rows[i:i + per])])
    if whole < len(rows):
        rest = rows[whole:]
        raw.execute(head + _values(len(rest), width, k), [*constants, *chain.from_iterable(rest)])


def timestamp(moment: datetime) -> str:
    """An aware datetime as the text a bulk insert writes to a timestamp column.

    SQLite: exactly what Django's own adapter writes for it (naive, in the connection's time
    zone: '2026-12-05 23:34:41.066373', 26 characters), so bulk rows read back equal and sort
    with the ORM's rows — not ``isoformat(" ")``, which adds '+00:00' to every row.
    PostgreSQL: the ISO text with its offset, which COPY reads into the timestamptz."""
    if connection.vendor == "sqlite":
        return str(connection.ops.adapt_datetimefield_value(moment))     # a str for an aware datetime
    return moment.isoformat(" ")


_PG_TYPES = {"int": "bigint", "text": "text", "date": "date", "bool": "boolean", "timestamp": "timestamptz"}


def update(table: str, key: str, columns: Sequence[str], rows: Sequence[Sequence], types: Sequence[str]) -> None:
    """``UPDATE table SET col = value … WHERE key = id`` for many rows given as (values…, id).

    ``types`` names each column's type ("int", "text", "date", "bool", "timestamp") so
    PostgreSQL can read the VALUES list."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        sets = ", ".join(f"{c} = %s" for c in columns)
        with connection.cursor() as cur:
            cur.executemany(f"UPDATE {table} SET {sets} WHERE {key} = %s", list(rows))
        return
    names = list(columns) + ["_key"]
    casts = [_PG_TYPES[t] for t in types] + ["bigint"]
    sets = ", ".join(f"{c} = v.{c}" for c in columns)
    with connection.cursor() as cur:
        for i in range(0, len(rows), CHUNK):
            part = rows[i:i + CHUNK]
            first = "(" + ", ".join(f"%s::{t}" for t in casts) + ")"
            rest = "(" + ", ".join(["%s"] * len(names)) + ")"
            values = ", ".join([first] + [rest] * (len(part) - 1))
            params = [p for row in part for p in row]
            cur.execute(f"UPDATE {table} AS t SET {sets} FROM (VALUES {values}) AS v({', '.join(names)}) "
                        f"WHERE t.{key} = v._key", params)


def refresh_statistics(tables: Sequence[str]) -> None:
    """Let the query planner see the new data after a bulk write (sampled, so it is quick)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            for t in tables:
                cur.execute(f"ANALYZE {t}")
        else:
            cur.execute("PRAGMA analysis_limit=1000")
            for t in tables:
                cur.execute(f"ANALYZE {t}")


# --- large first imports: build the secondary indexes once instead of row by row -------------

REBUILD_INDEXES_FROM = 50_000   # rows in one insert


def secondary_indexes(table: str) -> list[tuple[str, str]]:
    """``(name, CREATE INDEX statement)`` of the table's indexes that back no constraint (not
    the primary key, not a UNIQUE constraint): the ones that may be dropped and rebuilt."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT i.indexname, i.indexdef FROM pg_indexes i "
                        "WHERE i.schemaname = current_schema() AND i.tablename = %s AND NOT EXISTS ("
                        "SELECT 1 FROM pg_constraint c WHERE c.conindid = "
                        "(quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass) "
                        "ORDER BY i.indexname", [table])
        else:  # automatic indexes (UNIQUE, PRIMARY KEY) have no SQL text
            cur.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                        "AND sql IS NOT NULL ORDER BY name", [table])
        return [(name, sql) for name, sql in cur.fetchall()]


def has_rows(table: str, at_least: int) -> bool:
    """True when the table holds at least ``at_least`` rows (reads no more than that)."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT %s) AS t", [at_least])
        return cur.fetchone()[0] >= at_least


def _index_ddl(statements: list[str]) -> None:
    """Run index DDL inside the transaction. PostgreSQL refuses it on a table with deferred
    foreign-key checks pending, so on PostgreSQL those checks run first (as they would at
    commit) and the deferrable constraints are deferred again afterwards."""
    with connection.cursor() as cur:
        pg = connection.vendor == "postgresql"
        if pg:
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for sql in statements:
            cur.execute(sql)
        if pg:
            cur.execute("SET CONSTRAINTS ALL DEFERRED")


@contextmanager
def indexes_rebuilt_after(table: str, rows: int) -> Iterator[None]:
    """Around a bulk insert of ``rows`` rows into ``table``, inside the caller's transaction:
    when the insert is large (``REBUILD_INDEXES_FROM`` rows or more) and the table holds
    fewer rows than it adds, drop the table's secondary indexes first and create them again
    afterwards — one sorted build instead of a million random index updates; on PostgreSQL
    its foreign keys too (see :func:`foreign_keys`: a row without its parent is then refused
    when they are added again, and the whole transaction with it). The primary key and UNIQUE
    constraints stay in place, so duplicates are still refused row by row. If the insert
    fails, the transaction's rollback restores the indexes and keys with everything else.

    On PostgreSQL the DROP locks the table until the transaction ends, so this is kept for
    the first large import into a nearly empty table (the rule above).

    SQLite's full-text name index (migration 0009) keeps its trigger: dropping it and
    rebuilding the index once afterwards was measured slower inside a large import (the
    rebuild of 100,000 names took 1.3 s there against 0.3 s on its own; the whole import of
    1M invoices took about 1 s more than with the trigger feeding the index row by row)."""
    if rows < REBUILD_INDEXES_FROM or has_rows(table, rows):
        yield
        return
    q = connection.ops.quote_name
    indexes = secondary_indexes(table)
    keys = foreign_keys(table)
    _index_ddl([f"DROP INDEX {q(name)}" for name, _sql in indexes]
               + [f"ALTER TABLE {q(table)} DROP CONSTRAINT {q(name)}" for name, _sql in keys])
    yield
    _index_ddl([sql for _name, sql in indexes]
               + [f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(name)} {sql}" for name, sql in keys])


def foreign_keys(table: str) -> list[tuple[str, str]]:
    """PostgreSQL: ``(name, definition)`` of the table's foreign keys. Around a large first
    insert (:func:`indexes_rebuilt_after`) they are dropped and added again afterwards, which
    checks every row in one query: kept, PostgreSQL queues a check of each parent row per row
    and runs them at the end (8 s of a 1M-invoice import). SQLite: none to drop (they are part
    of its CREATE TABLE, and its checks cost little)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cur:
        cur.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname", [table])
        return [(name, sql) for name, sql in cur.fetchall()]


@contextmanager
def large_write(cache_mb: int = 64) -> Iterator[None]:
    """For a bulk write of many rows on SQLite: a page cache of ``cache_mb`` (instead of 2 MB),
    so index pages stay in memory instead of spilling to the WAL again and again. Restored
    afterwards; nothing to do on PostgreSQL."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cur:
        cur.execute("PRAGMA cache_size")
        cache = cur.fetchone()[0]
        cur.execute(f"PRAGMA cache_size = {-1024 * int(cache_mb)}")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            cur.execute(f"PRAGMA cache_size = {int(cache)}")

"""Bulk writes that are fast on both databases.

SQLite: ``executemany`` of one prepared statement is as fast as it gets. PostgreSQL: row-by-row
``executemany`` costs a round trip of client-side parameter merging per row, so inserts use
``COPY … FROM STDIN`` and updates join a ``VALUES`` list. Only values are passed; the SQL text is
built from trusted table and column names.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from django.db import connection

CHUNK = 1000


def insert(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Insert many rows (tuples in the order of ``columns``)."""
    cols = ", ".join(columns)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            raw = cur.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    rows = rows if isinstance(rows, list) else list(rows)
    if rows:
        with connection.cursor() as cur:
            cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)


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

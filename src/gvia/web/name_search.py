"""Customers and contacts whose name contains a text, from the SQLite name indexes of migration
``0009_search_indexes`` (FTS5 trigram tables over the names, case folded, kept in step by triggers).

The index answers a text of 3 characters or more (3-character pieces): every name containing it,
ignoring case (also for not-ASCII letters: "école" finds "École"). It reads only the rows that
match and stops after ``limit``; it does not know organizations (the caller keeps its own).
Shorter texts, and PostgreSQL, have no such index: :func:`available` says so and the caller reads
the names instead (on PostgreSQL through pg_trgm's indexes where they exist: :func:`pg_trigrams`)."""

from __future__ import annotations

from django.db import connection
from django.db.models.expressions import RawSQL

INDEXES = {"customer": "gvia_customer_name_fts", "contact": "gvia_contact_name_fts"}
SHORTEST = 3


def available(text: str) -> bool:
    return connection.vendor == "sqlite" and len(text) >= SHORTEST


def pg_trigrams() -> bool:
    """On PostgreSQL: the names have pg_trgm indexes on UPPER(name) (migration 0009 creates them
    where the extension is available), so a case-ignoring "contains" (icontains) uses them."""
    if connection.vendor != "postgresql":
        return False
    key = connection.settings_dict["NAME"]
    if key not in _PG_TRIGRAMS:
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema()"
                        " AND indexname IN ('customer_name_trgm_idx', 'contact_name_trgm_idx')")
            _PG_TRIGRAMS[key] = cur.fetchone()[0] == 2
    return _PG_TRIGRAMS[key]


_PG_TRIGRAMS: dict[str, bool] = {}


def _phrase(text: str) -> str:
    """``text`` as one FTS5 phrase: every character literal, double quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def customer_ids(text: str, limit: int) -> list[int]:
    """Up to ``limit`` ids of customers (any organization's) whose name contains ``text``."""
    fts = INDEXES["customer"]
    with connection.cursor() as cur:
        cur.execute(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s LIMIT %s", [_phrase(text), limit])
        return [r[0] for r in cur.fetchall()]


def _contacts_customers(limited: bool) -> str:
    fts = INDEXES["contact"]
    return (f"SELECT DISTINCT customer_id FROM gvia_contact WHERE id IN"
            f" (SELECT rowid FROM {fts} WHERE {fts} MATCH %s{' LIMIT %s' if limited else ''})")


def contacts_customer_ids(text: str, limit: int) -> list[int]:
    """The customers (any organization's) of up to ``limit`` contacts whose name contains ``text``."""
    with connection.cursor() as cur:
        cur.execute(_contacts_customers(True), [_phrase(text), limit])
        return [r[0] for r in cur.fetchall()]


def contacts_customers(text: str) -> RawSQL:
    """All the customers (any organization's) of the contacts whose name contains ``text``, as a
    subquery (``Q(id__in=...)``): read from the index, where a condition on each contact's name
    would read every contact."""
    return RawSQL(_contacts_customers(False), [_phrase(text)])

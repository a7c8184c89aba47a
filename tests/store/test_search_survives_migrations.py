"""The customer list's name search is kept by every later migration: on SQLite its full-text
triggers (0009) are lost when a migration remakes gvia_customer or gvia_contact (Django's
AddField does), so columns are added with ALTER TABLE (0017, 0024); on PostgreSQL its trigram
indexes stay."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_the_name_search_indexes_are_there_after_every_migration():
    with connection.cursor() as c:
        if connection.vendor == "sqlite":
            c.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            found = {row[0] for row in c.fetchall()}
            assert {f"gvia_{t}_name_fts_{k}" for t in ("customer", "contact")
                    for k in ("insert", "delete", "update")} <= found
        else:
            c.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            if c.fetchone() is None:
                return          # without the extension the search reads the names (0009)
            c.execute("SELECT indexname FROM pg_indexes WHERE tablename IN ('gvia_customer', 'gvia_contact')")
            assert {"customer_name_trgm_idx", "contact_name_trgm_idx"} <= {row[0] for row in c.fetchall()}

"""Shared test setup. Tests of the pure core need nothing; database tests use pytest-django.

The database tests run on SQLite always, and again on PostgreSQL when tools/run-tests finds one
(GVIA_DATABASE_URL points there and GVIA_TEST_BACKEND=postgresql).
"""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def _storage(tmp_path, settings):
    """Every test gets its own storage root and mail catcher folder."""
    settings.STORAGE_ROOT = tmp_path / "files"
    settings.MAIL_CATCHER_DIR = tmp_path / "mail"


@pytest.fixture
def backend() -> str:
    return os.environ.get("GVIA_TEST_BACKEND", "sqlite")


@pytest.fixture
def ctx(db):
    """An Israeli organization with its owner, as the owner sees it (a Ctx)."""
    from gvia.services.context import resolve
    from gvia.services.org.organizations import init_organization

    init_organization("Gilboa Office Supplies", country="IL", admin_email="owner@gilboa.co.il",
                      admin_password="password1")
    return resolve(None, "owner@gilboa.co.il")


@pytest.fixture
def rebuilt_indexes(monkeypatch) -> list[tuple[str, list[str]]]:
    """``(table, [index names])`` each time a bulk write drops a table's indexes to build them
    again afterwards (gvia.store.bulk.indexes_rebuilt_after), in order."""
    from gvia.store import bulk

    seen: list[tuple[str, list[str]]] = []
    real = bulk.secondary_indexes

    def spy(table: str):
        found = real(table)
        seen.append((table, [name for name, _sql in found]))
        return found

    monkeypatch.setattr(bulk, "secondary_indexes", spy)
    return seen

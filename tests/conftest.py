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

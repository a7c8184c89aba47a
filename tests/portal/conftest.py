"""Shared set-up for the customer page's tests (issue 16): the service fixtures (``ctx``,
``books``) and the real command's (``gvia``, ``gvia_org``)."""

from __future__ import annotations

import pytest

from tests.cli import conftest as cli_fixtures
from tests.services import conftest as services_fixtures

books = services_fixtures.books      # the shared fixture (ctx is in tests/conftest.py)
gvia, gvia_org = cli_fixtures.gvia, cli_fixtures.gvia_org   # the real `gvia` command, as tests/cli runs it


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Users are made in every test here; hashing their passwords slowly tests nothing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

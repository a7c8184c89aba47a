"""Shared test setup. Tests of the pure core need nothing; database tests use pytest-django.

The database tests run on SQLite always, and again on PostgreSQL when tools/run-tests finds one
(GVIA_DATABASE_URL points there and GVIA_TEST_BACKEND=postgresql).

Under CI (the ``CI`` variable set, as .ci/run is run) a test that the suite claims to test may
not be skipped: a skipped browser test (marked ``browser`` or under tests/web/browser), a skipped
IMAP test (marked ``imap``: dovecot missing), or a test marked ``postgres`` skipped on the
PostgreSQL pass, is reported as failed, saying why.
Outside CI those skips stay, with their message.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

BROWSER_TESTS = Path(__file__).resolve().parent / "web" / "browser"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _must_not_skip(item: pytest.Item) -> str | None:
    """Why ``item`` may not be skipped under CI, or None when a skip is acceptable."""
    if item.get_closest_marker("browser") or BROWSER_TESTS in Path(str(item.path)).resolve().parents:
        return "a browser test"
    if item.get_closest_marker("imap"):
        return "an IMAP test (dovecot)"
    if item.get_closest_marker("postgres") and os.environ.get("GVIA_TEST_BACKEND") == "postgresql":
        return "a PostgreSQL test on the PostgreSQL pass"
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not (report.skipped and _in_ci()) or hasattr(report, "wasxfail"):
        return
    what = _must_not_skip(item)
    if what is None:
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = (f"CI is set, and {what} may not be skipped there: it was skipped because "
                       f"{reason!r}. CI claims to run it, so the run fails.")


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
                      admin_password="Gvia-test-2026!")
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


@pytest.fixture(scope="session")
def dovecot(tmp_path_factory):
    """A real IMAP server on loopback (Debian's dovecot, tests/support/imapd.py), one per test
    process; tests add their own users. Skips (and, under CI, fails) without dovecot."""
    from tests.support.imapd import DOVECOT, start_dovecot

    if DOVECOT is None:
        pytest.skip("dovecot is not installed (tools/ensure-dovecot installs Debian's dovecot-imapd)")
    server = start_dovecot(tmp_path_factory.mktemp("dovecot"))
    yield server
    server.stop()

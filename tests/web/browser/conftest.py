"""Browser tests: Playwright driving Debian's chromium (the ``chromium`` on PATH, or the one
``GVIA_CHROMIUM`` names), never a browser of Playwright's own. Without chromium they are skipped
with a message saying how to get it, except under CI, where the skip fails the run
(tests/conftest.py).

Screenshots of the main pages are saved to ``test-artifacts/screenshots/`` at the repository
root (ignored by git), to look at after a run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("GVIA_CHROMIUM", "")      # set: that chromium and no other
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
# How long a browser step may take before the test fails: long, because it is a bound on a hang,
# never a measure of speed (benchmarks under bench/ measure that). A CI machine running two test
# processes, chromium and PostgreSQL on 2 cores has stalled a single request for over 15 s.
WAIT_MS = 60_000
SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"

# Playwright's sync API runs an event loop in this thread; Django's ORM would then refuse to
# run here ("async unsafe"). The test only sets up data between browser steps.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _chromium_path() -> str | None:
    if CHROMIUM:
        return CHROMIUM if os.access(CHROMIUM, os.X_OK) else None
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        where = f"GVIA_CHROMIUM={CHROMIUM} is not an executable" if CHROMIUM else "chromium is not installed"
        pytest.skip(f"{where}: browser tests skipped (apt-get install chromium, "
                    "or `make test`, which installs it with tools/ensure-browser)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright Python package is not installed: browser tests skipped")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="he-IL")
    context.set_default_timeout(WAIT_MS)
    pg = context.new_page()
    pg.base = live_server.url
    yield pg
    context.close()


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="he-IL",
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    context.set_default_timeout(WAIT_MS)
    pg = context.new_page()
    pg.base = live_server.url
    yield pg
    context.close()


def shot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path

"""A worker killed (os._exit, no clean-up at all: tests/engine/crash_worker.py) at each named
point of sending an SMS; the next `gvia worker --once` leaves every text received by the
provider's fake exactly once, or marked uncertain (received at most once) — never twice, never
lost. The e-mail outbox's crash test (tests/engine/test_crashes.py) with 019's fake instead of
an SMTP server."""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.engine.support import HERE as ENGINE
from tests.engine.support import NOW, copy_db, env_for, gvia_cmd, statuses
from tests.fakes.sms019 import Fake019

pytestmark = pytest.mark.slow
MESSAGES = 3
SEED = Path(__file__).parent / "seed_texts.py"


def env(tmp: Path) -> dict:
    """One installation's secret key for every process (each seals or unseals the provider's token)."""
    return {**env_for(tmp), "GVIA_SECRET_KEY": "texts-crash-test-secret-key"}


@pytest.fixture(scope="module")
def fake():
    with Fake019() as f:
        yield f


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, fake) -> Path:
    tmp = tmp_path_factory.mktemp("seeded")
    db = tmp / "gvia.db"
    r = subprocess.run([sys.executable, str(SEED), f"sqlite:///{db}", str(MESSAGES), fake.url + "/api"],
                       capture_output=True, text=True, env=env(tmp), cwd=tmp, timeout=120)
    assert r.returncode == 0, r.stderr
    assert int(r.stdout.strip().splitlines()[-1]) == MESSAGES
    return db


def received(fake) -> Counter:
    return Counter(int(s["id"].removeprefix("gvia-")) for s in list(fake.sent))


def settle(fake, seconds: float = 0.5) -> None:
    """Let the fake finish a request a dead worker wrote before it died."""
    last, quiet = -1, time.monotonic()
    while time.monotonic() - quiet < seconds:
        if len(fake.requests) != last:
            last, quiet = len(fake.requests), time.monotonic()
        time.sleep(0.05)


@pytest.mark.parametrize("point, first_ends", [
    ("claimed", "sent"),          # nothing left the machine: queued again, sent once by the next worker
    ("before_send", "sent"),
    ("data_sent", "uncertain"),   # the provider has the request: a person decides, nobody re-sends
    ("accepted", "uncertain"),
    ("before_record", "uncertain"),
])
def test_crash_at_each_checkpoint(seeded, tmp_path, fake, point, first_ends):
    fake.sent.clear()
    fake.requests.clear()
    db = tmp_path / "gvia.db"
    copy_db(seeded, db)
    url = f"sqlite:///{db}"
    first = min(statuses(db))
    crash = subprocess.run([sys.executable, str(ENGINE / "crash_worker.py"), url, point, NOW], capture_output=True,
                           text=True, env=env(tmp_path), cwd=tmp_path, timeout=120)
    assert crash.returncode == 77, crash.stdout + crash.stderr
    if first_ends == "uncertain":         # the whole request was written before the kill: the fake gets it
        end = time.monotonic() + 60
        while not received(fake)[first] and time.monotonic() < end:
            time.sleep(0.05)
    settle(fake)
    assert statuses(db)[first] == "sending"
    r = subprocess.run(gvia_cmd(url, "worker", "--once", "--now", NOW), capture_output=True, text=True,
                       env=env(tmp_path), cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr
    settle(fake)
    final = statuses(db)
    got = received(fake)
    assert final[first] == first_ends
    assert got[first] == 1                                 # received once, either way
    others = sorted(set(final) - {first})
    assert [final[i] for i in others] == ["sent"] * (MESSAGES - 1)
    assert [got[i] for i in others] == [1] * (MESSAGES - 1)

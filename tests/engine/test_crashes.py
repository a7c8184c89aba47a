"""Crashes: a worker dies at each named point of sending a message; the next worker must leave
every message received exactly once, or marked uncertain (received at most once) — never
twice, never lost. And a worker killed with SIGKILL over and over while it sends."""

from __future__ import annotations

import queue
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.engine.support import (
    HERE,
    NOW,
    copy_db,
    env_for,
    gvia_cmd,
    received_counts,
    run_gvia,
    seed,
    statuses,
    wait_quiet,
)
from tests.support.smtpd import Recorder, start_smtp

pytestmark = pytest.mark.slow
MESSAGES = 3


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("seeded")
    db = tmp / "gvia.db"
    assert seed(tmp, f"sqlite:///{db}", MESSAGES) == MESSAGES
    return db


@pytest.mark.parametrize("point, first_ends", [
    ("claimed", "sent"),          # nothing left the machine: queued again, sent once by the next worker
    ("before_send", "sent"),
    ("data_sent", "uncertain"),   # the server may hold it: a person decides, nobody re-sends
    ("accepted", "uncertain"),
    ("before_record", "uncertain"),
])
def test_crash_at_each_checkpoint(seeded, tmp_path, smtp, point, first_ends):
    db = tmp_path / "gvia.db"
    copy_db(seeded, db)
    url = f"sqlite:///{db}"
    first = min(statuses(db))
    crash = subprocess.run([sys.executable, str(HERE / "crash_worker.py"), url, point, NOW], capture_output=True,
                           text=True, env=env_for(tmp_path, smtp), cwd=tmp_path, timeout=120)
    assert crash.returncode == 77, crash.stdout + crash.stderr
    wait_quiet(smtp, 0.5)
    assert statuses(db)[first] == "sending"
    r = run_gvia(tmp_path, url, "worker", "--once", "--now", NOW, smtp=smtp)
    assert r.returncode == 0, r.stderr
    wait_quiet(smtp, 0.3)
    final = statuses(db)
    got = received_counts(smtp)
    assert final[first] == first_ends
    assert got[first] == 1                                 # received once, either way
    others = sorted(set(final) - {first})
    assert [final[i] for i in others] == ["sent"] * (MESSAGES - 1)
    assert [got[i] for i in others] == [1] * (MESSAGES - 1)
    if first_ends == "uncertain":
        assert "uncertain" in r.stdout or "recovered" in r.stdout


class SlowRecorder(Recorder):
    """Takes 50 ms per message, so many kills land in the middle of an SMTP session."""

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        await asyncio.sleep(0.05)
        return await super().handle_DATA(server, session, envelope)


class Workers:
    """`gvia worker --standby` processes: each waits for the file lock, so the next one takes
    over the moment the running one is killed."""

    def __init__(self, tmp: Path, url: str, smtp):
        self.tmp, self.url, self.smtp = tmp, url, smtp
        self.events: queue.Queue = queue.Queue()
        self.procs: list[subprocess.Popen] = []
        self.notes: list[str] = []

    def spawn(self) -> subprocess.Popen:
        p = subprocess.Popen(gvia_cmd(self.url, "worker", "--standby", "--no-daily-run", "--poll", "0.2",
                                      "--now", NOW),
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             env=env_for(self.tmp, self.smtp), cwd=self.tmp)
        self.procs.append(p)
        threading.Thread(target=self._read, args=(p,), daemon=True).start()
        return p

    def _read(self, p: subprocess.Popen) -> None:
        for line in p.stdout:
            if "recovered" in line or "Traceback" in line or "Error" in line:
                self.notes.append(line.strip())
            self.events.put((p, line))
        self.events.put((p, None))

    def wait_started(self, timeout: float = 60) -> subprocess.Popen:
        end = time.monotonic() + timeout
        while True:
            p, line = self.events.get(timeout=max(0.1, end - time.monotonic()))
            if line is None and p.returncode not in (None, -9):
                raise AssertionError(f"worker {p.pid} exited with {p.wait()}")
            if line and " started;" in line:
                return p

    def stop_all(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                p.kill()
            p.wait()


def test_kill_9_fifty_times_while_sending(tmp_path):
    server = start_smtp(SlowRecorder())
    try:
        db = tmp_path / "gvia.db"
        url = f"sqlite:///{db}"
        total = seed(tmp_path, url, 100, rate=300)        # one message every 0.2 s at most
        assert total == 100
        rnd = random.Random(20261109)
        workers = Workers(tmp_path, url, server)
        for _ in range(3):          # one starts, two wait on the lock, ready to take over
            workers.spawn()
        current = workers.wait_started()
        kills = kills_while_sending = 0
        takeover = 0.0
        t0 = time.monotonic()
        try:
            while kills_while_sending < 50:
                # a guard against a hang, not a speed check (speed is bench/'s): a loaded CI machine
                # took 124 s for what an idle one does in 40
                assert time.monotonic() - t0 < 600, f"50 kills not done in 10 minutes ({kills} so far): a hang"
                workers.spawn()
                time.sleep(rnd.uniform(0.0, 0.4))
                pending = sum(1 for s in statuses(db).values() if s in ("queued", "sending"))
                current.send_signal(signal.SIGKILL)
                current.wait()
                kills += 1
                kills_while_sending += pending > 0
                assert pending > 0, f"the outbox ran dry after {kills} kills; seed more messages"
                t_kill = time.monotonic()
                current = workers.wait_started()
                takeover += time.monotonic() - t_kill
            # lift the rate limit, hand over once more, let that worker finish the outbox, then stop it
            # cleanly with SIGTERM
            r = run_gvia(tmp_path, url, "settings", "set", "send_rate_per_minute", "0")
            assert r.returncode == 0, r.stderr
            current.send_signal(signal.SIGKILL)
            current.wait()
            kills += 1
            current = workers.wait_started()
            end = time.monotonic() + 60
            while any(s in ("queued", "sending") for s in statuses(db).values()) and time.monotonic() < end:
                time.sleep(0.2)
            current.send_signal(signal.SIGTERM)
            assert current.wait(timeout=30) == 0
        finally:
            workers.stop_all()
        wait_quiet(server, 0.5)
        final = statuses(db)
        got = received_counts(server)
        assert kills >= 50
        assert len(final) == 100
        assert set(final.values()) <= {"sent", "uncertain"}, sorted(set(final.values()))   # none lost
        assert max(got.values()) == 1                                                    # none twice
        assert all(got[i] == 1 for i, s in final.items() if s == "sent")
        assert set(got) <= set(final)
        uncertain = sum(1 for s in final.values() if s == "uncertain")
        assert uncertain <= kills
        print("\n".join(workers.notes[-60:]))
        print(f"\n{kills} kills in {time.monotonic() - t0:.1f} s (waiting for the next worker: {takeover:.1f} s); "
              f"{100 - uncertain} sent once, {uncertain} uncertain "
              f"({sum(1 for i, s in final.items() if s == 'uncertain' and got[i])} of them received)")
    finally:
        server.stop()

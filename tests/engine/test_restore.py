"""Restore keeps every promise the outbox makes (issue 14, finding 2), end to end: real `gvia`
processes on a SQLite file, and an aiosmtpd server in a process of its own counting what it
receives. A backup taken while the worker sends, sending finished, the backup restored, the worker
run again: every customer has exactly one reminder at the server."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.engine.support import NOW, env_for, gvia_cmd, run_gvia, seed, statuses
from tests.support.smtpd import free_port
from tests.support.smtpd_process import SmtpProcess

pytestmark = pytest.mark.slow
CUSTOMERS = 40


def wait_for(what, timeout: float = 120, step: float = 0.05):
    end = time.monotonic() + timeout
    while not what():
        assert time.monotonic() < end, "timed out"
        time.sleep(step)


@pytest.fixture
def server(tmp_path):
    s = SmtpProcess(tmp_path / "received", delay=0.25)      # 4 messages a second at most
    yield s
    s.stop()


def start_worker(tmp: Path, url: str, server) -> subprocess.Popen:
    return subprocess.Popen(gvia_cmd(url, "worker", "--no-daily-run", "--poll", "0.2", "--now", NOW),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env_for(tmp, server),
                            cwd=tmp)


def test_a_backup_taken_mid_dispatch_and_restored_sends_nothing_twice(tmp_path, server):
    db, backup = tmp_path / "gvia.db", tmp_path / "backup.db"
    url = f"sqlite:///{db}"
    assert seed(tmp_path, url, CUSTOMERS) == CUSTOMERS
    worker = start_worker(tmp_path, url, server)
    try:
        wait_for(lambda: server.count() >= 3)
        r = run_gvia(tmp_path, url, "backup", str(backup))           # while the worker sends
        assert r.returncode == 0, r.stderr
        # the worker holds its lock: restore refuses, names it, changes nothing
        r = run_gvia(tmp_path, url, "restore", str(backup), "--yes")
        assert r.returncode == 1 and f"process {worker.pid}" in r.stderr, r.stderr
        wait_for(lambda: set(statuses(db).values()) == {"sent"})
    finally:
        worker.terminate()
        out = worker.communicate(timeout=60)[0]
    assert worker.returncode == 0, out
    server.wait_quiet(0.5)
    at_backup = statuses(backup)
    assert "sent" in at_backup.values() and {"queued", "sending"} & set(at_backup.values()), at_backup  # mid-dispatch
    assert server.count() == CUSTOMERS

    # no terminal and no --yes: refused, nothing changed (even with "y" on stdin)
    r = subprocess.run(gvia_cmd(url, "restore", str(backup)), input="y\n", capture_output=True, text=True,
                       env=env_for(tmp_path), cwd=tmp_path, timeout=120)
    assert r.returncode == 1 and "--yes" in r.stderr, r.stderr
    assert set(statuses(db).values()) == {"sent"}

    r = run_gvia(tmp_path, url, "restore", str(backup), "--yes")
    assert r.returncode == 0, r.stderr
    assert "marked sent" in r.stdout, r.stdout
    # what the journal shows as sent after the backup's moment is sent again in the database
    assert set(statuses(db).values()) == {"sent"}

    r = run_gvia(tmp_path, url, "worker", "--once", "--now", NOW, smtp=server)
    assert r.returncode == 0, r.stderr
    server.wait_quiet(1.0)
    got = server.by_recipient()
    assert len(got) == CUSTOMERS and max(got.values()) == 1, [a for a, n in got.items() if n > 1]   # zero duplicates


def test_a_backup_from_before_the_daily_run_and_a_pg_restore_like_copy(tmp_path, server):
    """The backup predates the very messages (planned by the daily run after it): restored, the
    database does not know them at all. They are written back from the journal, so the daily run
    planning them again finds them sent. The database is put back by copying the file, as a
    pg_restore would, with no `gvia restore`: the worker's start reconciles it."""
    db, backup = tmp_path / "gvia.db", tmp_path / "backup.db"
    url = f"sqlite:///{db}"
    assert seed(tmp_path, url, 10, run=False) == 0
    assert run_gvia(tmp_path, url, "backup", str(backup)).returncode == 0
    r = run_gvia(tmp_path, url, "run", "--now", NOW)
    assert r.returncode == 0, r.stderr
    r = run_gvia(tmp_path, url, "worker", "--once", "--now", NOW, smtp=server)
    assert r.returncode == 0, r.stderr
    server.wait_quiet(0.5)
    assert server.count() == 10
    # put the old file back behind gvia's back (the -wal of the live file goes too)
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    db.write_bytes(backup.read_bytes())
    assert statuses(db) == {}
    r = run_gvia(tmp_path, url, "worker", "--once", "--now", NOW, smtp=server)
    assert r.returncode == 0, r.stderr
    assert "10 marked sent" in r.stdout, r.stdout
    r = run_gvia(tmp_path, url, "run", "--now", NOW)            # plans the same reminders again
    assert r.returncode == 0, r.stderr
    r = run_gvia(tmp_path, url, "worker", "--once", "--now", NOW, smtp=server)
    assert r.returncode == 0, r.stderr
    server.wait_quiet(1.0)
    got = server.by_recipient()
    assert len(got) == 10 and max(got.values()) == 1
    assert set(statuses(db).values()) == {"sent"}


def test_restore_refuses_while_gvia_serve_runs(tmp_path):
    db, backup = tmp_path / "gvia.db", tmp_path / "backup.db"
    url = f"sqlite:///{db}"
    assert seed(tmp_path, url, 1, run=False) == 0
    assert run_gvia(tmp_path, url, "backup", str(backup)).returncode == 0
    port = free_port()
    serve = subprocess.Popen(gvia_cmd(url, "serve", "--port", str(port), "--workers", "1"),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env_for(tmp_path), cwd=tmp_path)
    try:
        def listening() -> bool:
            assert serve.poll() is None, "gvia serve stopped"
            with socket.socket() as s:
                return s.connect_ex(("127.0.0.1", port)) == 0

        wait_for(listening, timeout=120, step=0.2)
        r = run_gvia(tmp_path, url, "restore", str(backup), "--yes")
        assert r.returncode == 1, r.stdout + r.stderr
        assert "gvia serve" in r.stderr and f"process {serve.pid}" in r.stderr, r.stderr
    finally:
        serve.terminate()
        serve.wait(timeout=60)
    r = run_gvia(tmp_path, url, "restore", str(backup), "--yes")        # stopped: its lock is gone
    assert r.returncode == 0, r.stderr

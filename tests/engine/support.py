"""Helpers for running the real `gvia` command (and small helper scripts) in subprocesses
against a file database, with a real SMTP server in the test process."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
NOW = "2026-11-09T10:00+02:00"      # Monday 9 Nov 2026, 10:00 in Israel


def env_for(tmp: Path, smtp=None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GVIA_")}
    env.update({"GVIA_HOME": str(tmp), "COLUMNS": "200", "PYTHONUNBUFFERED": "1",
                "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])})
    if smtp is not None:
        env.update({"GVIA_SMTP_HOST": smtp.host, "GVIA_SMTP_PORT": str(smtp.port)})
    return env


def gvia_cmd(db_url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "gvia", *args, "--db", db_url]


def run_gvia(tmp: Path, db_url: str, *args: str, smtp=None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(gvia_cmd(db_url, *args), capture_output=True, text=True, env=env_for(tmp, smtp),
                          cwd=tmp, timeout=timeout)


def seed(tmp: Path, db_url: str, customers: int, rate: int = 0, mode: str = "automatic", run: bool = True) -> int:
    r = subprocess.run([sys.executable, str(HERE / "seed.py"), db_url, str(customers), str(rate), mode,
                        "run" if run else "norun"],
                       capture_output=True, text=True, env=env_for(tmp), cwd=tmp, timeout=120)
    assert r.returncode == 0, r.stderr
    return int(r.stdout.strip().splitlines()[-1])


def copy_db(src: Path, dst: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        if Path(str(src) + suffix).exists():
            shutil.copy(str(src) + suffix, str(dst) + suffix)


def statuses(db_path: Path) -> dict[int, str]:
    con = sqlite3.connect(db_path, timeout=30)
    try:
        return dict(con.execute("select id, status from gvia_outboxmessage").fetchall())
    finally:
        con.close()


def received_counts(server) -> Counter:
    return Counter(int(r.message["X-Gvia-Message"]) for r in list(server.handler.received))


def wait_quiet(server, seconds: float = 1.0) -> None:
    """Let a server finish what a dead client already sent."""
    last, quiet = -1, time.monotonic()
    while time.monotonic() - quiet < seconds:
        n = len(server.handler.received)
        if n != last:
            last, quiet = n, time.monotonic()
        time.sleep(0.05)

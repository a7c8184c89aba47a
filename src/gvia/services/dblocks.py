"""Who is using the SQLite database file: the locks ``gvia restore`` checks before it replaces it.

* The worker holds ``<database>.worker.lock`` (:class:`gvia.services.engine.worker.WorkerLock`,
  an exclusive ``flock`` with its process id written in the file).
* Each ``gvia serve`` holds ``<database>.serve-locks/<pid>.lock`` (:class:`ServeLock`, taken by
  the server's master process before it forks its workers, which inherit it): the lock lasts as
  long as any process of that server lives, even if the master is killed.

The kernel releases a ``flock`` when its last holder dies (also by ``kill -9``), so a lock file
left behind by a dead process is not in use and is removed when found. On PostgreSQL there is no
file to replace (restores are made with its own tools) and these locks are not taken.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from django.db import connection


def sqlite_path() -> Path | None:
    """The database file, or None when the database is not a SQLite file."""
    if connection.vendor != "sqlite":
        return None
    name = str(connection.settings_dict["NAME"])
    return None if name == ":memory:" or name.startswith("file:") else Path(name)


def worker_lock_path(db: Path) -> Path:
    return Path(str(db) + ".worker.lock")


def serve_lock_dir(db: Path) -> Path:
    return Path(str(db) + ".serve-locks")


def worker_holder(db: Path) -> int | None:
    """The process id written by the worker holding the lock (None when unknown)."""
    try:
        text = worker_lock_path(db).read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def serving(db: Path) -> list[int]:
    """The `gvia serve` processes using ``db`` now (their master's process id); stale lock files
    of stopped servers are removed."""
    folder = serve_lock_dir(db)
    pids: list[int] = []
    if not folder.is_dir():
        return pids
    for path in sorted(folder.glob("*.lock")):
        try:
            fd = os.open(path, os.O_RDWR)
        except FileNotFoundError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pids.append(int(path.stem) if path.stem.isdigit() else -1)
        else:
            path.unlink(missing_ok=True)       # nobody holds it: a server that stopped
        finally:
            os.close(fd)
    return pids


class ServeLock:
    """The lock a `gvia serve` holds on its SQLite database while it serves (none on PostgreSQL)."""

    def __init__(self) -> None:
        self.fd: int | None = None
        self.path: Path | None = None

    def acquire(self) -> None:
        db = sqlite_path()
        if db is None:
            return
        folder = serve_lock_dir(db)
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{os.getpid()}.lock"
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def release(self) -> None:
        if self.fd is None:
            return
        if self.path is not None:
            self.path.unlink(missing_ok=True)
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
        self.fd = None

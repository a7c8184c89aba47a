"""The long-running worker: the daily run at its time, then dispatching the outbox.

On SQLite only one worker may run at a time; an operating-system file lock (``flock``) next
to the database enforces it. The kernel releases the lock when the process dies, even by
``kill -9``, so a crashed worker never blocks the next one. On PostgreSQL several workers share
the outbox through row locks (SKIP LOCKED) and need no file lock.
SIGTERM lets the message in hand finish, then the worker exits.
"""

from __future__ import annotations

import fcntl
import os
import signal
import socket
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable

from django.db import connection

from gvia.core.errors import Refused

from . import clock
from .dispatch import DispatchReport, dispatch_due, recover_stale


class WorkerLock:
    """Exclusive lock for the single SQLite worker; a no-op on PostgreSQL."""

    def __init__(self) -> None:
        self.fd: int | None = None
        self.path: Path | None = None

    def acquire(self) -> None:
        if connection.vendor != "sqlite":
            return
        self.path = Path(str(connection.settings_dict["NAME"]) + ".worker.lock")
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self.fd)
            self.fd = None
            raise Refused("another gvia worker is running on this database (SQLite allows one at a time)")
        os.ftruncate(self.fd, 0)
        os.write(self.fd, f"{os.getpid()}\n".encode())

    @property
    def exclusive(self) -> bool:
        return self.fd is not None

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


@dataclass
class Clock:
    """Real time, or real time shifted so that it starts at ``--now``."""

    offset: timedelta = timedelta(0)

    @classmethod
    def starting_at(cls, start: datetime | None) -> "Clock":
        return cls(offset=(start - clock.now_utc()) if start else timedelta(0))

    def now(self) -> datetime:
        return clock.now_utc() + self.offset


@dataclass
class Worker:
    clock: Clock = field(default_factory=Clock)
    poll_seconds: float = 5.0
    worker_id: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    checkpoint: Callable[[str], None] = lambda _: None
    daily: Callable[[datetime], None] | None = None
    stopping: bool = False
    lock: WorkerLock = field(default_factory=WorkerLock)

    def _on_term(self, *_args) -> None:
        self.stopping = True

    def start(self) -> None:
        self.lock.acquire()
        # With the exclusive SQLite lock, any message still 'sending' belonged to a dead worker.
        recover_stale(self.clock.now(), everything=self.lock.exclusive)

    def once(self) -> DispatchReport:
        """Dispatch everything that is due now, then return."""
        self.start()
        try:
            if self.daily:
                self.daily(self.clock.now())
            return dispatch_due(self.clock.now, self.worker_id, checkpoint=self.checkpoint,
                                should_stop=lambda: self.stopping)
        finally:
            self.lock.release()

    def forever(self, on_report: Callable[[DispatchReport], None] | None = None) -> None:
        signal.signal(signal.SIGTERM, self._on_term)
        signal.signal(signal.SIGINT, self._on_term)
        self.start()
        try:
            while not self.stopping:
                recover_stale(self.clock.now())
                if self.daily:
                    self.daily(self.clock.now())
                report = dispatch_due(self.clock.now, self.worker_id, checkpoint=self.checkpoint,
                                      should_stop=lambda: self.stopping)
                if on_report and any(report.as_dict().values()):
                    on_report(report)
                slept = 0.0
                while slept < self.poll_seconds and not self.stopping:
                    time.sleep(0.2)
                    slept += 0.2
        finally:
            self.lock.release()

"""The long-running worker: the daily run at its time, then dispatching the outbox.

* **The daily run** of each organization happens once per local day, at or after its
  ``daily_run_time`` setting (:data:`gvia.services.settings.SETTINGS`; the organization's time
  zone): the worker runs it when the time has come and no run of that day is recorded yet (a
  person's own ``gvia run`` that day counts).
* **Replies**: each organization's reply mailbox is read every ``mailbox.poll_minutes``
  (:func:`gvia.services.mailbox.reading.poll_due`).
* **Dispatch**: everything due is sent (see :mod:`gvia.services.sending.dispatch`), then the worker
  sleeps ``poll_seconds`` and looks again.
* **One worker on SQLite**: an operating-system file lock (``flock``) next to the database
  file. The kernel releases it when the process dies, even by ``kill -9``, so a crashed worker
  never blocks the next one; and the worker holding it knows any message still ``sending``
  belonged to a dead worker (see :func:`gvia.services.sending.dispatch.recover_stale`). On PostgreSQL
  several workers share the outbox through row locks (SKIP LOCKED) and need no file lock.
* **SIGTERM** (and Ctrl+C) lets the message in hand finish, then the worker exits.
* **A full disk** (or a PostgreSQL server that stops answering) does not stop it: it says so in
  one line, gives back what it claimed, waits (longer each time, at most a minute) and tries
  again; what it was doing is retried, nothing is lost or sent twice.
* **The clock** is real time, or real time shifted so that it starts at ``--now``.
"""

from __future__ import annotations

import fcntl
import os
import signal
import socket
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Callable

from django.db import connection

from gvia.core.errors import RefusedFor
from gvia.services import clock, settings
from gvia.services.context import Ctx
from gvia.services.engine.daily_run import run
from gvia.services.faults import WAIT_CODES, classify
from gvia.services.ledger.sync import sync_due
from gvia.services.mailbox.reading import poll_due
from gvia.services.sending.compose import compose_message
from gvia.services.sending.dispatch import DispatchReport, Recovered, dispatch_due, recover_stale
from gvia.services.sending.journal import reconcile
from gvia.services.webhooks.delivery import deliver_due
from gvia.store.models import Organization, RunRecord

Log = Callable[[str], None]
FAULT_WAIT_MAX = 60.0            # seconds between tries while the disk is full (or PostgreSQL away)
FAULT_WORDS = {"disk_full": "the disk is full", "db_unreachable": "the database does not answer"}


class WorkerLock:
    """Exclusive lock for the single SQLite worker; a no-op on PostgreSQL."""

    def __init__(self) -> None:
        self.fd: int | None = None
        self.path: Path | None = None

    def acquire(self, wait: bool = False) -> None:
        """Take the lock; refuse when another worker holds it, or (``wait``) block until it is
        free — a standby worker that takes over the moment the running one dies."""
        if connection.vendor != "sqlite" or self.fd is not None:     # not needed, or already held
            return
        self.path = Path(str(connection.settings_dict["NAME"]) + ".worker.lock")
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            os.close(self.fd)
            self.fd = None
            raise RefusedFor("worker_running", "another gvia worker is running on this database")
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


def daily_run_time(org: Organization) -> dtime:
    return dtime.fromisoformat(settings.value(org, "daily_run_time"))


def orgs_due_for_daily_run(now: datetime) -> list[Organization]:
    """Organizations whose local time has passed their daily-run time and that have no run
    recorded for their local today."""
    due = []
    for org in Organization.objects.all().order_by("id"):
        local = clock.to_local(org, now)
        if local.time().replace(tzinfo=None) < daily_run_time(org):
            continue
        if RunRecord.objects.filter(organization=org, run_date=local.date(), dry_run=False).exists():
            continue
        due.append(org)
    return due


def daily_runs(now: datetime, log: Log = lambda _: None) -> int:
    """Run the daily run of every organization that is due. One failing organization does not
    stop the others. Returns how many ran."""

    done = 0
    for org in orgs_due_for_daily_run(now):
        try:
            report = run(Ctx(org, None, "owner"), now)
        except Exception as exc:  # noqa: BLE001 — logged, and tried again on the next loop
            log(f"daily run of {org.slug} failed: {exc}")
            continue
        done += 1
        counts = ", ".join(f"{k} {v}" for k, v in sorted(report.counts.items()) if v)
        held = ", ".join(f"{h['reason']} {h['customers']}" for h in report.held_back)
        log(f"daily run of {org.slug} for {report.run_date}: {report.customers} customers; {counts or 'no changes'}"
            + (f"; held back: {held}" if held else ""))
    return done


@dataclass
class Worker:
    clock: Clock = field(default_factory=Clock)
    poll_seconds: float = 5.0
    worker_id: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    checkpoint: Callable[[str], None] = lambda _: None
    composer: Callable | None = None
    daily: bool = True
    mailboxes: bool = True        # read each organization's reply mailbox every mailbox.poll_minutes
    webhooks: bool = True         # POST the webhook deliveries that are due
    syncs: bool = True            # sync with the invoicing services every sync.every_minutes
    log: Log = lambda _: None
    standby: bool = False
    stopping: bool = False
    lock: WorkerLock = field(default_factory=WorkerLock)
    fault_waits: int = 0          # rounds in a row the machine failed (a full disk …)

    def _on_term(self, *_args) -> None:
        if not self.stopping:
            self.log("stopping after the message in hand")
        self.stopping = True

    def start(self) -> Recovered:
        if self.composer is None:   # loaded before taking the lock: a standby is ready to send at once
            self.composer = compose_message
        if self.standby and connection.vendor == "sqlite":
            self.log("standby: waiting for the running worker to stop")
        self.lock.acquire(wait=self.standby)
        # First what the outbox journal knows and the database may not (a restored backup, a
        # pg_restore): what it shows as sent is marked sent, what it shows handed to the server is
        # uncertain — never queued again. Then, with the exclusive SQLite lock, any message still
        # 'sending' belonged to a dead worker.
        reconciled = reconcile(self.clock.now(), everything=self.lock.exclusive)
        if reconciled.changed:
            self.log(f"the database did not know what the outbox journal shows (a restored backup?): "
                     f"{reconciled}")
        recovered = recover_stale(self.clock.now(), everything=self.lock.exclusive)
        if recovered.requeued or recovered.uncertain:
            self.log(f"recovered from a stopped worker: {recovered.requeued} queued again (never sent), "
                     f"{recovered.uncertain} uncertain (a person must check)")
        return recovered

    def _dispatch(self) -> DispatchReport:
        return dispatch_due(self.clock.now, self.worker_id, composer=self.composer, checkpoint=self.checkpoint,
                            should_stop=lambda: self.stopping)

    def _webhooks(self) -> None:
        hooks = deliver_due(self.clock.now())
        if hooks.tried:
            self.log(f"webhooks: {hooks.delivered} delivered, {hooks.retrying} to try again, "
                     f"{hooks.given_up} given up")

    def once(self) -> DispatchReport:
        """Dispatch everything that is due now (and the webhook deliveries), then return."""
        recovered = self.start()
        try:
            if self.webhooks:
                self._webhooks()
            report = self._dispatch()
            report.requeued += recovered.requeued
            report.recovered_uncertain += recovered.uncertain
            return report
        finally:
            self.lock.release()

    def _sleep(self, seconds: float) -> None:
        slept = 0.0
        while slept < seconds and not self.stopping:
            time.sleep(0.1)
            slept += 0.1

    def _waiting_out_faults(self, step: Callable[[], object]) -> bool:
        """Run ``step``; when the machine fails it in a way that passes (a full disk, PostgreSQL
        not answering: :data:`gvia.services.faults.WAIT_CODES`) say so, wait and return False so
        the loop tries again — never exit for it. Anything else is raised."""
        try:
            step()
            return True
        except Exception as exc:
            fault = classify(exc)
            if fault is None or fault.code not in WAIT_CODES:
                raise
            self.fault_waits += 1
            wait = min(FAULT_WAIT_MAX, self.poll_seconds * 2 ** min(self.fault_waits - 1, 6))
            self.log(f"{FAULT_WORDS[fault.code]} ({fault.detail}): nothing was lost; trying again in {wait:.0f} s")
            try:
                connection.close()       # a fresh connection next time
            except Exception:  # noqa: BLE001 — it may be what failed
                pass
            self._sleep(wait)
            return False

    def forever(self, on_report: Callable[[DispatchReport], None] | None = None) -> None:
        signal.signal(signal.SIGTERM, self._on_term)
        signal.signal(signal.SIGINT, self._on_term)
        while not self.stopping and not self._waiting_out_faults(self.start):
            pass
        self.log(f"worker {self.worker_id} started; clock at {self.clock.now().isoformat(timespec='seconds')}")

        def one_round() -> None:
            if not self.lock.exclusive:
                recover_stale(self.clock.now())
            if self.daily:
                daily_runs(self.clock.now(), self.log)
            if self.mailboxes:
                poll_due(self.clock.now(), self.log)
            if self.syncs:              # before the dispatch: a receipt issued there closes the invoice first
                sync_due(self.clock.now(), self.log)
            report = self._dispatch()
            if on_report and any(report.as_dict().values()):
                on_report(report)
            if self.webhooks:
                self._webhooks()

        try:
            while not self.stopping:
                if self._waiting_out_faults(one_round):
                    if self.fault_waits:
                        self.log("working again")
                        self.fault_waits = 0
                    self._sleep(self.poll_seconds)
        finally:
            self.lock.release()
            self.log("worker stopped")

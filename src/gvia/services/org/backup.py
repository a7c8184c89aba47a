"""Backups of the embedded SQLite database (online backup API). PostgreSQL uses pg_dump.

A backup never touches the live database: its target may not be the database file itself (nor
its -wal, -shm or lock files, by any name or link), an existing file is replaced only when asked
(``force``), and the copy is written to a new file beside the target and renamed over it when
whole and checked — nothing is deleted first.

A restore puts a checked backup back, only while nothing else uses the database: it refuses, naming
the process, while a worker holds its lock or a ``gvia serve`` process holds its own, and it
holds the worker's lock itself while it works, so no worker starts meanwhile. After copying it
brings the schema up to date and reconciles the outbox with its journal
(:func:`gvia.services.sending.journal.reconcile`): every message the journal shows as sent after
the backup's moment is marked sent, every one it shows handed to the server is uncertain — none
is queued again.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.db import connection

from gvia.core.errors import Refused, RefusedFor
from gvia.dburl import open_sqlite
from gvia.services import dblocks
from gvia.services.sending.journal import Reconciled, reconcile


def _sqlite_path() -> str:
    if connection.vendor != "sqlite":
        raise RefusedFor("backup_sqlite_only", "gvia backup works on SQLite")
    return connection.settings_dict["NAME"]


def _live_files(live: Path) -> list[Path]:
    return [live, *(Path(str(live) + s) for s in ("-wal", "-shm", "-journal")), dblocks.worker_lock_path(live),
            dblocks.serve_lock_dir(live)]


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def backup_sqlite(target: Path, force: bool = False) -> int:
    """Copy the live database to ``target`` consistently, even while others write. Refuses the
    live database's own files always, and an existing file unless ``force``."""
    live = Path(_sqlite_path())
    target = Path(target)
    for own in _live_files(live):
        if _same(target, own):
            raise RefusedFor("backup_live_file", f"{target} is the live database's {own.name}", file=str(target),
                             own=own.name)
    if target.is_dir():
        raise RefusedFor("backup_is_folder", f"{target} is a folder", file=str(target))
    if target.exists() and not force:
        raise RefusedFor("backup_exists", f"{target} exists", file=str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    draft = target.with_name(f".{target.name}.{os.getpid()}.part")
    src = open_sqlite(live)      # read-only when the database can only be read
    try:
        dst = sqlite3.connect(str(draft))
        try:
            src.backup(dst)
            pages = dst.execute("PRAGMA page_count").fetchone()[0]
            check = dst.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise RefusedFor("backup_integrity", f"integrity check: {check}", check=str(check))
        finally:
            dst.close()
        os.replace(draft, target)        # whole and checked, or the target as it was
        return pages
    finally:
        src.close()
        draft.unlink(missing_ok=True)


@dataclass
class Restored:
    source: Path
    reconciled: Reconciled


def refuse_while_in_use(live: Path) -> None:
    """Refuse, naming the process, while a `gvia serve` uses the database."""
    servers = dblocks.serving(live)
    if servers:
        raise RefusedFor("restore_serve_running", f"gvia serve ({servers}) uses {live}",
                         pids=tuple(str(pid) for pid in servers), file=str(live))


def restore_sqlite(source: Path, now: datetime | None = None) -> Restored:
    """Replace the live database with ``source`` (checked first; nothing changes if it is bad or
    the database is in use), then bring its schema up to date and reconcile its outbox."""
    from gvia.services.engine.worker import WorkerLock

    path = Path(_sqlite_path())
    source = Path(source)
    if _same(source, path):
        raise RefusedFor("restore_live_file", f"{source} is the live database", file=str(source))
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        try:
            check = src.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.DatabaseError as exc:
            raise RefusedFor("restore_not_backup", f"{source}: {exc}", file=str(source), reason=str(exc)) from None
        if check != "ok" or "gvia_organization" not in tables:
            raise RefusedFor("restore_not_backup", f"{source}: integrity {check}", file=str(source),
                             reason=str(check))
        lock = WorkerLock()
        try:
            lock.acquire()
        except Refused:
            pid = dblocks.worker_holder(path)
            raise RefusedFor("restore_worker_running", f"worker {pid} uses {path}", pid=pid if pid else "?",
                             file=str(path)) from None
        try:
            refuse_while_in_use(path)
            connection.close()
            dst = sqlite3.connect(str(path))
            try:
                src.backup(dst)
            finally:
                dst.close()
            _migrate()
            return Restored(source, reconcile(now, everything=True))
        finally:
            lock.release()
    finally:
        src.close()


def _migrate() -> None:
    """A backup made before the last upgrade gets the migrations it lacks."""
    from django.core.management import call_command
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)

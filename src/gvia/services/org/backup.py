"""Backups of the embedded SQLite database (online backup API). PostgreSQL uses pg_dump."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from django.db import connection

from gvia.core.errors import Refused
from gvia.dburl import open_sqlite


def _sqlite_path() -> str:
    if connection.vendor != "sqlite":
        raise Refused("gvia backup works on SQLite; for PostgreSQL use pg_dump (see README)")
    return connection.settings_dict["NAME"]


def backup_sqlite(target: Path) -> int:
    """Copy the live database to ``target`` consistently, even while others write."""
    src = open_sqlite(_sqlite_path())      # read-only when the database can only be read
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.unlink()
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)
        pages = dst.execute("PRAGMA page_count").fetchone()[0]
        check = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise Refused(f"the backup failed its integrity check: {check}")
        return pages
    finally:
        dst.close()
        src.close()


def restore_sqlite(source: Path) -> None:
    """Replace the live database with ``source`` (checked first; nothing changes if it is bad)."""
    path = _sqlite_path()
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        try:
            check = src.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.DatabaseError as exc:
            raise Refused(f"{source} is not a gvia backup: {exc}") from None
        if check != "ok" or "gvia_organization" not in tables:
            raise Refused(f"{source} is not a gvia backup (integrity: {check})")
        connection.close()
        dst = sqlite3.connect(path)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()

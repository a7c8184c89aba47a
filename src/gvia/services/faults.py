"""Faults of the machine, not of gvia: a full disk, a database that can only be read, a
PostgreSQL server that does not answer. :func:`classify` recognises them in an exception (and
what caused it), so the command line can say one line and exit 1 instead of a traceback, and the
worker can wait and try again instead of exiting. The edge words them (``fault.<code>`` in the
cli catalog); a fault's ``detail`` is the system's own words (a path, a host), never a sentence.

Codes: ``disk_full`` (ENOSPC, EDQUOT, SQLite's "database or disk is full", or its "disk I/O
error" on a file system with no space left), ``read_only``
(EROFS, SQLite's "attempt to write a readonly database"), ``db_unreachable`` (PostgreSQL refused
or timed out the connection), ``db_unopenable`` (SQLite cannot open the file at all).
"""

from __future__ import annotations

import errno
from dataclasses import dataclass

WAIT_CODES = ("disk_full", "db_unreachable")    # the worker waits these out


@dataclass(frozen=True)
class Fault:
    code: str
    detail: str = ""


def _chain(exc: BaseException):
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop(0)
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        todo += [e.__cause__, e.__context__]


def classify(exc: BaseException) -> Fault | None:
    """The machine's fault behind ``exc``, or None when it is something else (a bug, a refusal)."""
    for e in _chain(exc):
        if isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT):
            return Fault("disk_full", str(e.filename or e.strerror or ""))
        if isinstance(e, OSError) and e.errno == errno.EROFS:
            return Fault("read_only", str(e.filename or e.strerror or ""))
        text = str(e)
        low = text.lower()
        if "database or disk is full" in low:
            return Fault("disk_full", _database_name())
        if "readonly database" in low or "read-only database" in low:
            return Fault("read_only", _database_name())
        if "disk i/o error" in low and _space_left(_database_name()) < 1024 * 1024:
            return Fault("disk_full", _database_name())      # SQLite's word for a full disk at times
        if "unable to open database file" in low:
            return Fault("db_unopenable", _database_name())
        module = type(e).__module__ or ""
        if module.startswith(("psycopg", "django.db")) and _unreachable(low):
            return Fault("db_unreachable", _database_host())
    return None


def _unreachable(low: str) -> bool:
    return any(s in low for s in ("connection refused", "could not connect", "connection failed",
                                  "timeout expired", "no route to host", "name or service not known",
                                  "could not translate host name", "server closed the connection",
                                  "connection timed out", "network is unreachable"))


def _space_left(path: str) -> int:
    """Bytes free for an unprivileged writer on the file system holding ``path`` (large if unknown)."""
    import os
    from pathlib import Path

    try:
        st = os.statvfs(Path(path).parent if path else Path.cwd())
    except OSError:
        return 1 << 62
    return st.f_bavail * st.f_frsize


def _database_name() -> str:
    try:
        from django.db import connection

        return str(connection.settings_dict.get("NAME", ""))
    except Exception:  # noqa: BLE001 — only a detail for the message
        return ""


def _database_host() -> str:
    try:
        from django.db import connection

        s = connection.settings_dict
        return f"{s.get('HOST') or 'localhost'}:{s.get('PORT') or 5432}/{s.get('NAME', '')}"
    except Exception:  # noqa: BLE001 — only a detail for the message
        return ""

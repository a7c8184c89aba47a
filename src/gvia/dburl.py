"""Turn a database URL (GVIA_DATABASE_URL / --db) into Django's DATABASES entry.

Supported: ``sqlite:///relative/or/absolute.db`` (``sqlite:////abs/path.db`` also works) and
``postgresql://user:password@host:port/name`` (also ``postgres://``).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

DEFAULT_URL = "sqlite:///var/gvia.db"


class BadDatabaseURL(ValueError):
    pass


def _read_only(path: Path) -> str | None:
    """How a SQLite file that cannot be written is opened: "ro" (its folder can be written, for the
    write-ahead log's shared memory), "immutable" (nothing there can be written); None when it can
    be written or does not exist yet. (os.access asks the kernel: a read-only mount refuses root too.)"""
    if not path.exists():
        return None
    if os.access(path, os.W_OK):
        return None
    return "ro" if os.access(path.parent, os.W_OK) else "immutable"


def parse_database_url(url: str, base_dir: Path | None = None) -> dict:
    parsed = urlparse(url)
    scheme = parsed.scheme.lower()
    if scheme == "sqlite":
        raw = url[len("sqlite://"):]
        if raw.startswith("/"):
            raw = raw[1:]  # sqlite:///var/gvia.db -> var/gvia.db ; sqlite:////tmp/x -> /tmp/x
        if not raw:
            raise BadDatabaseURL(f"no file name in database URL {url!r}")
        path = Path(raw)
        if raw != ":memory:" and not path.is_absolute():
            path = (base_dir or Path.cwd()) / path
        read_only = _read_only(path) if raw != ":memory:" else None
        if read_only:     # it can only be read: read it (and back it up), never try to write
            return {
                "ENGINE": "gvia.store.readonly_sqlite3",
                "NAME": str(path),
                "READ_ONLY": read_only,
                "OPTIONS": {"timeout": 30, "init_command": "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;"},
                "TEST": {"NAME": None},
            }
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;"
                ),
            },
            "TEST": {"NAME": None},
        }
    if scheme in ("postgres", "postgresql", "postgresql+psycopg"):
        query = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
        name = unquote(parsed.path.lstrip("/")) or "postgres"
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "OPTIONS": query,
            "CONN_MAX_AGE": 0,
        }
    raise BadDatabaseURL(
        f"unsupported database URL {url!r}: use sqlite:///path.db or postgresql://user@host/db"
    )


def open_sqlite(path: str | Path):
    """A plain sqlite3 connection to a gvia database file, read-only when the file cannot be
    written (see :func:`_read_only`) — what ``gvia backup`` copies from."""
    path = Path(path)
    mode = _read_only(path)
    if mode:
        return sqlite3.connect(f"{path.as_uri()}?mode=ro" + ("&immutable=1" if mode == "immutable" else ""), uri=True)
    return sqlite3.connect(str(path))

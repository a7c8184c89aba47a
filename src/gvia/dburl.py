"""Turn a database URL (GVIA_DATABASE_URL / --db) into Django's DATABASES entry.

Supported: ``sqlite:///relative/or/absolute.db`` (``sqlite:////abs/path.db`` also works) and
``postgresql://user:password@host:port/name`` (also ``postgres://``).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

DEFAULT_URL = "sqlite:///var/gvia.db"


class BadDatabaseURL(ValueError):
    pass


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

"""What the benchmarks that also measure PostgreSQL share: the server they use, and whether it answers."""

from __future__ import annotations

import os

PG_ADMIN = os.environ.get("GVIA_BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")


def pg_reachable() -> bool:
    try:
        import psycopg

        psycopg.connect(PG_ADMIN, connect_timeout=3).close()
        return True
    except Exception:
        return False

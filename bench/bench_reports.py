"""The collection reports' server time at a million invoices (issue 17): each report of
:mod:`gvia.services.ledger.reports` as the reports page serves it, ``/reports/?report=NAME`` (the
last twelve months, the page's default), and its CSV export.

Run: ``.venv/bin/python bench/bench_reports.py [--rounds N]``. The business is
``bench/bench_web.py``'s, kept under /tmp/gvia-bench-web/ (100,000 customers, 1,000,000 invoices,
about 800,000 payments, after one daily run): when it is not there this builds a smaller one
(:data:`SMALL` customers, ten invoices each) with the same steps and says so — building the
million takes most of an hour. A copy is measured (a page writes its session), on SQLite.

Printed per report: the server time (the ``app`` duration of the ``Server-Timing`` header,
:mod:`gvia.web.timing`) at the 50th and 95th percentile over ROUNDS requests (5 by default), one client alone,
the first (cold) request apart, and the number of queries, against the page budget (p95 ≤ 150 ms).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_web import CACHE, OWNER, TARGET_MS, pct, server_times, sqlite_business  # noqa: E402 — bench/ on the path first

SMALL = 10_000
FULL = 100_000


def measure(db: Path, rounds: int, header: str) -> list[tuple[str, float, float, float, int]]:
    os.environ["GVIA_HOME"] = str(CACHE / "home")
    from gvia.cli.bootstrap import setup_django

    setup_django(f"sqlite:///{db}")
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from gvia.services.ledger.reports import NAMES

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    c = Client()
    c.force_login(get_user_model().objects.get(email=OWNER))
    out = []
    print(header, flush=True)
    print(f"{'report':<26} {'cold ms':>8} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}", flush=True)
    paths = [(name, f"/reports/?report={name}") for name in NAMES]
    paths.append(("dso (CSV export)", "/reports/export/?report=dso&format=csv"))
    for name, path in paths:
        counted = [0]

        def count(execute, sql, params, many, context):     # every query of the request (Django's own
            counted[0] += 1                                    # log is reset when a request starts)
            return execute(sql, params, many, context)
        with connection.execute_wrapper(count):
            r = c.get(path)
        if r.status_code != 200:
            raise SystemExit(f"{path}: {r.status_code}")
        cold = server_times(r.headers.get("Server-Timing"))[0] or 0.0
        warm = []
        for _ in range(rounds):
            r = c.get(path)
            warm.append(server_times(r.headers.get("Server-Timing"))[0] or 0.0)
        row = (name, cold, pct(warm, 50), pct(warm, 95), counted[0])
        out.append(row)
        print(f"{name:<26} {cold:>8.1f} {row[2]:>8.1f} {row[3]:>8.1f} {row[4]:>8}"
              + ("" if row[3] <= TARGET_MS else "  OVER"), flush=True)
    return out


def main(argv: list[str]) -> int:
    rounds = int(argv[argv.index("--rounds") + 1]) if "--rounds" in argv else 5
    full = CACHE / f"demo-{FULL}-run.db"
    if full.exists():
        source, size, note = full, FULL, "bench_web's cached business"
    else:
        t = time.perf_counter()
        source, built = sqlite_business(SMALL)
        size = SMALL
        note = (f"NOT the million: {SMALL:,} customers built by the demo generator"
                + (f" in {built:.0f} s" if built else " (cached)") + f" ({time.perf_counter() - t:.0f} s); "
                f"run bench_web.py first for 1,000,000 invoices")
    header = (f"reports page, SQLite, {size:,} customers, {size * 10:,} invoices ({note}); "
              f"{rounds} requests each after a first (cold) one; target p95 ≤ {TARGET_MS:.0f} ms")
    with tempfile.TemporaryDirectory(prefix="gvia-bench-reports-") as tmp:
        db = Path(tmp) / "reports.db"
        shutil.copyfile(source, db)
        rows = measure(db, rounds, header)
    missed = [name for name, _, _, p95, _ in rows if p95 > TARGET_MS]
    if missed:
        print(f"over the page budget: {', '.join(missed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

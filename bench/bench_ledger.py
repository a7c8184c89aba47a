"""Foundation benchmarks: import 1,000,000 invoices for 100,000 customers, aging, a statement.

`python bench/bench_ledger.py [CUSTOMERS] [INVOICES_PER_CUSTOMER]` prints, on SQLite and (when
reachable) PostgreSQL:
- the baseline: plain sqlite3 that parses the same CSV and `executemany`s the rows;
- `gvia import invoices` (a real subprocess, the whole command): wall time, CPU time (user +
  system of the command itself; on PostgreSQL the server's work is not in it) and peak memory;
- the daily full re-import of the same, unchanged file (`gvia import invoices FILE --full`): wall
  time against the first import's (target: at most half) and peak memory (target: under 1 GB);
- `gvia aging` over everything and one customer's statement (service time, in a child process
  after Django is up, plus the whole command's wall time for aging).
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
PY = sys.executable
AS_OF = date(2026, 11, 23)
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
PG_BENCH = "postgresql://postgres@127.0.0.1:5432/gvia_bench"


def gvia(db: str, *args: str, cwd: Path) -> tuple[float, int, str, float]:
    """Run the real command; returns (wall seconds, peak RSS in MB, stdout, CPU seconds user+system)."""
    t = time.perf_counter()
    proc = subprocess.Popen([PY, "-m", "gvia", "--db", db, *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "COLUMNS": "200"})
    _pid, status, usage = os.wait4(proc.pid, 0)
    out = proc.stdout.read()
    err = proc.stderr.read()
    took = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"gvia {' '.join(args)} failed:\n{err[-3000:]}")
    return took, usage.ru_maxrss // 1024, out, usage.ru_utime + usage.ru_stime


def baseline_sqlite(csv_path: Path, tmp: Path) -> tuple[float, float]:
    """Plain sqlite3: read the CSV, convert amounts to minor units, executemany. (wall, CPU) seconds."""
    db = tmp / "baseline.db"
    t, c = time.perf_counter(), time.process_time()
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE invoice (customer_ref TEXT, number TEXT, kind TEXT, issue_date TEXT, due_date TEXT, "
                "amount_minor INTEGER, open_minor INTEGER, currency TEXT)")
    with open(csv_path, newline="", encoding="utf-8") as f:
        r = csv.DictReader(f)
        rows = ((d["customer_ref"], d["invoice_number"], d["kind"], d["issue_date"], d["due_date"],
                 int(Decimal(d["amount"]) * 100), int(Decimal(d["open_amount"] or d["amount"]) * 100), d["currency"])
                for d in r)
        con.executemany("INSERT INTO invoice VALUES (?,?,?,?,?,?,?,?)", rows)
    con.commit()
    con.close()
    return time.perf_counter() - t, time.process_time() - c


def child(db: str, what: str, ref: str = "") -> None:
    """Inside a fresh process: set Django up, then time one service call."""
    from gvia.cli.bootstrap import setup_django

    setup_django(db)
    from gvia.services.context import resolve
    from gvia.services.ledger import books as ledger

    ctx = resolve(None, None)
    if what == "aging":
        t = time.perf_counter()
        rep, unapplied = ledger.aging(ctx, AS_OF)
        rep.to_json_dict(unapplied)
        took = time.perf_counter() - t
    else:
        from gvia.store.models import Customer

        ref = ref or Customer.objects.filter(organization=ctx.org).order_by("id").values_list("ref", flat=True)[500]
        ledger.statement(ctx, ref, AS_OF)   # warm the connection and caches once
        t = time.perf_counter()
        ledger.statement(ctx, ref, AS_OF)
        took = time.perf_counter() - t
    print(json.dumps({"seconds": took}))


def child_time(db: str, what: str, cwd: Path) -> float:
    out = subprocess.run([PY, __file__, "--child", db, what], cwd=cwd, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])["seconds"]


def pg_available() -> bool:
    try:
        import psycopg

        psycopg.connect(PG_ADMIN, connect_timeout=3).close()
        return True
    except Exception:
        return False


def reset_pg() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as con:
        con.execute("DROP DATABASE IF EXISTS gvia_bench")
        con.execute("CREATE DATABASE gvia_bench")


def run_backend(name: str, db: str, csv_path: Path, tmp: Path) -> dict:
    gvia(db, "init", "--org", "Bench", "--admin-email", "bench@example.com",
         "--admin-password", "Gvia-test-2026!", cwd=tmp)
    took, rss, _, cpu = gvia(db, "import", "invoices", str(csv_path), "--today", AS_OF.isoformat(), cwd=tmp)
    again, again_rss, _, again_cpu = gvia(db, "import", "invoices", str(csv_path), "--full",
                                          "--today", AS_OF.isoformat(), cwd=tmp)
    aging_cmd, _, _, _ = gvia(db, "aging", "--as-of", AS_OF.isoformat(), "--format", "json", cwd=tmp)
    return {"backend": name, "import_s": took, "import_cpu_s": cpu, "import_peak_mb": rss,
            "reimport_s": again, "reimport_cpu_s": again_cpu, "reimport_peak_mb": again_rss,
            "aging_service_s": child_time(db, "aging", tmp), "aging_command_s": aging_cmd,
            "statement_s": child_time(db, "statement", tmp)}


def main(customers: int = 100_000, per_customer: float = 10.0) -> None:
    from gvia.demo import generate, write_csv

    with tempfile.TemporaryDirectory(prefix="gvia-bench-") as tmpdir:
        tmp = Path(tmpdir)
        t = time.perf_counter()
        data = generate(customers, seed=7, as_of=AS_OF, invoices_per_customer=per_customer)
        files = write_csv(data, tmp / "csv", workers=2)
        gen = time.perf_counter() - t
        n = data.invoice_count
        print(f"generated {customers:,} customers / {n:,} invoices in {gen:.1f} s")
        base, base_cpu = baseline_sqlite(files["invoices"], tmp)
        print(f"baseline plain sqlite3 parse+executemany: {base:.1f} s wall, {base_cpu:.1f} s CPU  "
              f"(target for gvia: ≤ 3× = {3 * base:.1f} s)")
        results = [run_backend("sqlite", f"sqlite:///{tmp / 'gvia.db'}", files["invoices"], tmp)]
        if pg_available():
            reset_pg()
            results.append(run_backend("postgresql", PG_BENCH, files["invoices"], tmp))
        else:
            print("PostgreSQL not reachable at 127.0.0.1:5432: skipped")
        for r in results:
            print(f"[{r['backend']}] import {n:,} invoices: {r['import_s']:.1f} s wall ({r['import_s'] / base:.1f}× "
                  f"baseline), {r['import_cpu_s']:.1f} s CPU ({r['import_cpu_s'] / base_cpu:.1f}× baseline CPU), "
                  f"peak {r['import_peak_mb']} MB; aging {r['aging_service_s'] * 1000:.0f} ms in the service "
                  f"({r['aging_command_s']:.2f} s whole command); statement {r['statement_s'] * 1000:.1f} ms")
            print(f"[{r['backend']}] full re-import of the unchanged file: {r['reimport_s']:.1f} s wall "
                  f"({r['reimport_s'] / r['import_s']:.2f}× the first import; target ≤ 0.5×), "
                  f"{r['reimport_cpu_s']:.1f} s CPU, peak {r['reimport_peak_mb']} MB (target < 1024 MB)")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        args = [int(sys.argv[1])] if len(sys.argv) > 1 else []
        if len(sys.argv) > 2:
            args.append(float(sys.argv[2]))
        main(*args)

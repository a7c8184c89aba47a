"""Escalation engine benchmarks: the daily run on 100,000 customers / 1,000,000 invoices, and the
dispatch rate of one worker to a local SMTP sink.

`python bench/bench_engine.py [CUSTOMERS] [INVOICES_PER_CUSTOMER]` prints, on SQLite and (when
reachable) PostgreSQL:

- **the daily run** (snapshot, decide, apply; `gvia.services.engine.daily_run.run`) on the demo
  generator's business (`gvia.demo.generate`, its customers and its invoices with the open
  amounts the ledger computes, bulk-inserted): the first run (every late customer enters its
  first stage: cases, timeline, outbox rows), then the next day's (mostly nothing to do). Each
  runs in a fresh process after Django is up; its peak RSS is that process's (getrusage).
  The business is built once and kept under var/bench/ (SQLite) or as a template database
  (PostgreSQL); each measurement works on a fresh copy.
- **dispatch**: 2,000 queued reminders sent by one worker (`dispatch_due`, the real composer)
  to an aiosmtpd sink in another process, no rate limit: messages per second, wall and CPU.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

from pgserver import PG_ADMIN, pg_reachable  # bench/pgserver.py, beside this script

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
PY = sys.executable
AS_OF = date(2026, 11, 9)                 # a Monday
RUN_AT = datetime(2026, 11, 9, 6, 0, tzinfo=timezone.utc)       # 08:00 in Israel
NEXT_DAY = datetime(2026, 11, 10, 6, 0, tzinfo=timezone.utc)

PG_HOST = PG_ADMIN.rsplit("/", 1)[0]
CACHE = ROOT / "var" / "bench"


# --- building the business ------------------------------------------------------------------

def _minor(text: str, exp: int) -> int:
    return int(Decimal(text).scaleb(exp))


def build(url: str, customers: int, per_customer: float) -> None:
    """(child process) Create the organization and bulk-insert the generator's customers and
    invoices (open amounts as the ledger computes them) into an empty database."""
    from gvia.cli.bootstrap import setup_django

    setup_django(url)
    from django.db import connection, transaction

    from gvia.core.money import currency_exponent
    from gvia.demo import generate
    from gvia.services.org.organizations import init_organization

    t0 = time.perf_counter()
    org = init_organization("Bench Ltd", country="IL", admin_email="owner@bench.example",
                            admin_password="Gvia-test-2026!")
    data = generate(customers, seed=1, as_of=AS_OF, invoices_per_customer=per_customer)
    now = datetime.now(timezone.utc)
    exp = {c: currency_exponent(c) for c in ("ILS", "USD", "EUR", "GBP")}
    cust_cols = ("organization_id", "ref", "name", "tax_id", "kind", "language", "tags", "collector_id",
                 "do_not_chase", "do_not_chase_reason", "email", "phone", "first_seen", "policy_id", "created_at",
                 "updated_at")
    inv_cols = ("organization_id", "customer_id", "number", "kind", "applies_to_id", "issue_date", "due_date",
                "amount_minor", "currency", "settled_outside_minor", "open_minor", "po_number", "description",
                "external_id", "source", "created_at", "updated_at", "allocation_number",
                "allocation_confirmed_without")
    pg = connection.vendor == "postgresql"
    with transaction.atomic():
        cust_rows = []
        for bundle_row in data.iter_customer_rows():
            ref, name, tax_id, email, phone, lang, kind = bundle_row[:7]   # then address, contact, claim basis
            cust_rows.append((org.id, ref, name, tax_id, "consumer" if kind == "consumer" else "business",
                              lang or "he", "[]", None, False, "", email, phone, None, None, now, now))
        _insert(connection, "gvia_customer", cust_cols, cust_rows, pg)
        ids = dict(_fetch(connection, "select ref, id from gvia_customer where organization_id = %s", [org.id]))
        batch = []
        for row in data.iter_invoice_rows():
            ref, _name, kind, _applies, number, po, issue, due, amount, open_amount, cur, desc, alloc = row
            e = exp[cur]
            batch.append((org.id, ids[ref], number, "credit_note" if kind == "credit_note" else "invoice", None,
                          issue, due, _minor(amount, e), cur, 0,
                          0 if kind == "credit_note" else _minor(open_amount or "0", e), po, desc[:500], "",
                          "bench", now, now, alloc, False))
            if len(batch) >= 50_000:
                _insert(connection, "gvia_invoice", inv_cols, batch, pg)
                batch = []
        _insert(connection, "gvia_invoice", inv_cols, batch, pg)
    connection.cursor().execute("ANALYZE")
    print(json.dumps({"customers": len(cust_rows), "invoices": data.invoice_count,
                      "seconds": round(time.perf_counter() - t0, 1)}))


def _fetch(connection, sql, params):
    with connection.cursor() as c:
        c.execute(sql, params)
        return c.fetchall()


def _insert(connection, table, cols, rows, pg: bool) -> None:
    if not rows:
        return
    if pg:
        raw = connection.connection
        with raw.cursor() as c, c.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
            for r in rows:
                copy.write_row(r)
        return
    marks = ", ".join(["%s"] * len(cols))
    with connection.cursor() as c:
        c.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", rows)


# --- measuring the daily run ----------------------------------------------------------------

def measure_run(url: str) -> None:
    """(child process) Two daily runs, timed; prints JSON with the figures and the peak RSS."""
    from gvia.cli.bootstrap import setup_django

    setup_django(url)
    from django.db import connection

    from gvia.services.context import Ctx
    from gvia.services.engine import daily_run
    from gvia.store.models import Organization, OutboxMessage

    org = Organization.objects.get(name="Bench Ltd")
    out = {"backend": connection.vendor}
    for label, moment in (("first", RUN_AT), ("next_day", NEXT_DAY)):
        phases: dict[str, float] = {}
        last = [time.perf_counter()]

        def progress(phase, _n, _total):
            now = time.perf_counter()
            phases[phase] = phases.get(phase, 0) + now - last[0]
            last[0] = now

        t = time.perf_counter()
        c = time.process_time()
        rep = daily_run.run(Ctx(org, None, "owner"), moment, progress=progress)
        out[label] = {"seconds": round(time.perf_counter() - t, 2), "cpu": round(time.process_time() - c, 2),
                      "customers": rep.customers,
                      "counts": {k: v for k, v in sorted(rep.counts.items()) if v}}
    out["messages"] = OutboxMessage.objects.filter(organization=org).count()
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(out))


# --- measuring dispatch ---------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure_dispatch(url: str, port: int, messages: int) -> None:
    """(child process) Queue ``messages`` reminders, then send them all with one dispatcher."""
    os.environ.update(GVIA_SMTP_HOST="127.0.0.1", GVIA_SMTP_PORT=str(port))
    from gvia.cli.bootstrap import setup_django

    setup_django(url)
    from gvia.services.sending.compose import compose_message  # noqa: F401 — imported before the timing starts
    from gvia.services.sending.dispatch import dispatch_due
    from tests.engine.seed import populate

    assert populate(messages, rate=0) == messages
    now = datetime(2026, 11, 9, 8, 0, tzinfo=timezone.utc)      # 10:00 in Israel
    t = time.perf_counter()
    c = time.process_time()
    rep = dispatch_due(lambda: now, "bench")
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    print(json.dumps({"sent": rep.sent, "seconds": round(wall, 2), "cpu": round(cpu, 2),
                      "per_second": round(rep.sent / wall), "per_cpu_second": round(rep.sent / cpu),
                      "failed": rep.failed, "uncertain": rep.uncertain}))


# --- orchestration --------------------------------------------------------------------------

def child(*args: str, env: dict | None = None) -> dict:
    r = subprocess.run([PY, __file__, *args], capture_output=True, text=True,
                       env={**os.environ, **(env or {})}, cwd=ROOT)
    if r.returncode != 0:
        raise RuntimeError(f"{args[0]} failed:\n{r.stderr[-3000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as con:
        con.execute(sql)


def pg_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(PG_ADMIN) as con:
        return con.execute("select 1 from pg_database where datname = %s", [name]).fetchone() is not None


def report_run(backend: str, built: dict | None, res: dict) -> None:
    if built:
        print(f"  built the business in {built['seconds']} s: {built['customers']:,} customers, "
              f"{built['invoices']:,} invoices")
    for label in ("first", "next_day"):
        r = res[label]
        print(f"  daily run ({label.replace('_', ' ')}): {r['seconds']} s wall, {r['cpu']} s CPU for "
              f"{r['customers']:,} customers on the ladder; {r['counts']}")
    print(f"  outbox rows after both: {res['messages']:,}; peak RSS of the process {res['peak_rss_mb']} MB")


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    customers = int(argv[0]) if argv else 100_000
    per_customer = float(argv[1]) if len(argv) > 1 else 10.0
    tag = f"{customers}-{per_customer:g}"

    print(f"Daily run on SQLite ({customers:,} customers x {per_customer:g} invoices)")
    CACHE.mkdir(parents=True, exist_ok=True)
    pristine = CACHE / f"engine-{tag}.db"
    built = None
    if not pristine.exists():
        tmp_db = pristine.with_suffix(".building")
        for p in CACHE.glob(tmp_db.name + "*"):
            p.unlink()
        built = child("build", f"sqlite:///{tmp_db}", str(customers), str(per_customer))
        con = __import__("sqlite3").connect(tmp_db)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        tmp_db.rename(pristine)
    with tempfile.TemporaryDirectory(prefix="gvia-bench-engine-") as tmp:
        work = Path(tmp) / "engine.db"
        shutil.copy(pristine, work)
        report_run("sqlite", built, child("run", f"sqlite:///{work}"))

    if pg_reachable():
        print(f"Daily run on PostgreSQL ({PG_HOST})")
        template, work = f"gvia_bench_engine_{customers}", "gvia_bench_engine_run"
        built = None
        if not pg_exists(template):
            pg_admin(f"CREATE DATABASE {template}_building")
            built = child("build", f"{PG_HOST}/{template}_building", str(customers), str(per_customer))
            pg_admin(f"ALTER DATABASE {template}_building RENAME TO {template}")
        pg_admin(f"DROP DATABASE IF EXISTS {work}")
        pg_admin(f"CREATE DATABASE {work} TEMPLATE {template}")
        try:
            report_run("postgresql", built, child("run", f"{PG_HOST}/{work}"))
        finally:
            pg_admin(f"DROP DATABASE IF EXISTS {work}")
    else:
        print("PostgreSQL not reachable: skipped (set GVIA_BENCH_PG_ADMIN)")

    print("Dispatch: one worker, no rate limit, real composer, aiosmtpd sink in another process")
    port = free_port()
    sink = subprocess.Popen([PY, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink", "-l", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.0)
        with tempfile.TemporaryDirectory(prefix="gvia-bench-dispatch-") as tmp:
            r = child("dispatch", f"sqlite:///{Path(tmp) / 'd.db'}", str(port), "2000",
                      env={"GVIA_HOME": tmp})
        print(f"  {r['sent']:,} messages in {r['seconds']} s = {r['per_second']} messages/s "
              f"({r['per_cpu_second']} per CPU-second of the worker; target 200/s); "
              f"failed {r['failed']}, uncertain {r['uncertain']}")
    finally:
        sink.terminate()
        sink.wait()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("build", "run", "dispatch"):
        cmd, args = sys.argv[1], sys.argv[2:]
        if cmd == "build":
            build(args[0], int(args[1]), float(args[2]))
        elif cmd == "run":
            measure_run(args[0])
        else:
            measure_dispatch(args[0], int(args[1]), int(args[2]))
    else:
        main()

"""The REST API's server time (issue 18): `python bench/bench_api.py [CUSTOMERS] [--db FILE] [--rows N]`.

The business: the demo (`gvia demo --customers N`, 2,000 by default, built once under the
temporary folder's gvia-bench-api/N/), or a copy of a SQLite database given with ``--db`` (e.g.
bench_web's 100,000 customers and 1,000,000 invoices, /tmp/gvia-bench-web/demo-100000-run.db, once
it is built again: one built while migrations 0026–0030 were the chain's empty placeholders has them
recorded as applied without their tables and columns); every run works on a fresh copy. An API
key with the ``write`` scope is made, then, through Django's test client, one request at a time:

- **paging**: ``/api/v1/invoices/?limit=500`` page after page (``after`` = the last id), the first
  pages and the deepest ones timed alike — keyset paging costs the same at any depth;
  ``/api/v1/customers/?limit=100`` (each page with its open and overdue amounts, one grouped
  query) and ``/api/v1/customers/{id}`` for customers drawn at random;
- **bulk**: ``/api/v1/payments/bulk`` with ROWS payments (1,000 by default; the import's own path),
  then the same rows again (nothing changes: each payment's identity is its reference).

Prints the server time (the ``app`` duration of the ``Server-Timing`` header, as bench_web reads
it) at the 50th and 95th percentile, and the queries of one page. Other work on the machine slows
it down.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def server_ms(response) -> float:
    m = re.search(r"app;dur=([\d.]+)", response.headers.get("Server-Timing", ""))
    return float(m.group(1)) if m else float("nan")


def shown(name: str, times: list[float]) -> str:
    return (f"{name}: {len(times)} requests, p50 {statistics.median(times):.0f} ms, "
            f"p95 {percentile(times, 95):.0f} ms")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("customers", nargs="?", type=int, default=2000)
    ap.add_argument("--db", help="a SQLite database to copy instead of building the demo")
    ap.add_argument("--rows", type=int, default=1000, help="payments in the bulk upsert")
    ap.add_argument("--pages", type=int, default=40, help="invoice pages timed at each end")
    args = ap.parse_args()
    home = Path(tempfile.gettempdir()) / "gvia-bench-api" / (Path(args.db).stem if args.db else str(args.customers))
    built = home / "built.db"
    if args.db:
        home.mkdir(parents=True, exist_ok=True)
        source = Path(args.db)
    else:
        source = built
        if not built.exists():            # built once, kept for the next run
            home.mkdir(parents=True, exist_ok=True)
            t = time.perf_counter()
            env = {**os.environ, "GVIA_HOME": str(home), "GVIA_DATABASE_URL": f"sqlite:///{built}",
                   "PYTHONPATH": str(ROOT / "src")}
            subprocess.run([sys.executable, "-m", "gvia", "demo", "--customers", str(args.customers)], env=env,
                           check=True, stdout=subprocess.DEVNULL)
            print(f"demo of {args.customers} customers built in {time.perf_counter() - t:.0f} s")
    run_db = home / "run.db"
    shutil.copyfile(source, run_db)
    os.environ.update({"GVIA_HOME": str(home), "GVIA_DATABASE_URL": f"sqlite:///{run_db}",
                       "DJANGO_SETTINGS_MODULE": "gvia.settings"})
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from gvia.services import apikeys
    from gvia.services.context import Ctx
    from gvia.store.models import Customer, Invoice, Organization

    call_command("migrate", interactive=False, verbosity=0)      # a database given with --db may predate the keys
    from gvia.store.models_api import ApiKey

    if ApiKey._meta.db_table not in connection.introspection.table_names():
        # built while migration 0028 was the empty placeholder of the chain: recorded as applied, no table
        with connection.schema_editor() as editor:
            editor.create_model(ApiKey)
    org = Organization.objects.order_by("id").first()
    assert org is not None
    key = apikeys.create_key(Ctx(org, None, "owner"), "bench", "write").key
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {key}")
    invoices = Invoice.objects.filter(organization=org).count()
    print(f"{Customer.objects.filter(organization=org).count():,} customers, {invoices:,} invoices")

    def get(path: str) -> tuple[dict, float]:
        r = client.get(f"/api/v1{path}")
        assert r.status_code == 200, (path, r.status_code, r.content[:200])
        return r.json(), server_ms(r)

    get("/customers/?limit=1")                              # first request: imports, catalogs
    ids = list(Invoice.objects.filter(organization=org).order_by("id").values_list("id", flat=True))
    deep_after = ids[max(0, len(ids) - 500 * args.pages - 1)] if len(ids) > 500 * args.pages else 0
    first, deep = [], []
    after = 0
    for _ in range(args.pages):
        page, ms = get(f"/invoices/?limit=500&after={after}")
        first.append(ms)
        after = page["next_after"] or 0
        if not after:
            break
    after = deep_after
    for _ in range(args.pages):
        page, ms = get(f"/invoices/?limit=500&after={after}")
        deep.append(ms)
        after = page["next_after"] or 0
        if not after:
            break
    print(shown("invoices, pages of 500 from the first", first))
    print(shown("invoices, pages of 500 at the end", deep))
    counted: list[str] = []

    def count(execute, sql, params, many, context):
        counted.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        get("/customers/?limit=100")
    pages = []
    after = 0
    for _ in range(args.pages):
        page, ms = get(f"/customers/?limit=100&after={after}")
        pages.append(ms)
        after = page["next_after"] or 0
        if not after:
            break
    print(shown("customers, pages of 100 with their amounts", pages) + f", {len(counted)} queries")
    customer_ids = list(Customer.objects.filter(organization=org).values_list("id", flat=True))
    one = [get(f"/customers/{cid}")[1] for cid in random.Random(18).sample(customer_ids, min(200, len(customer_ids)))]
    print(shown("one customer", one))

    refs = list(Customer.objects.filter(organization=org).values_list("ref", flat=True)[:args.rows])
    rows = [{"customer_ref": refs[i % len(refs)], "date": "2026-01-15", "amount": f"{10 + i % 90}.50",
             "reference": f"API-BENCH-{i}", "method": "transfer"} for i in range(args.rows)]
    body = json.dumps({"rows": rows})
    for attempt in ("first", "again"):
        t = time.perf_counter()
        r = client.post("/api/v1/payments/bulk", data=body, content_type="application/json")
        wall = (time.perf_counter() - t) * 1000
        assert r.status_code == 200, (r.status_code, r.content[:300])
        report = r.json()
        print(f"payments bulk, {len(rows):,} rows ({len(body) / 1024:.0f} KB), {attempt}: server {server_ms(r):.0f} ms "
              f"(wall {wall:.0f} ms); created {report['created']}, unchanged {report['unchanged']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Web pages' server time with 100,000 customers and 1,000,000 invoices, 10 clients at once.

`python bench/bench_web.py [CUSTOMERS] [--rounds N] [--clients N] [--no-pg] [--http | --in-process]
[--serve-args "..."]` prints, for SQLite and
(when reachable) PostgreSQL, each page's server time at the 50th and 95th percentile and its
number of queries, against the targets: p95 under 150 ms, the dashboard under 300 ms.

- **The business**: `gvia demo --customers N` (the demo generator's customers, invoices and
  payments, loaded through the import services: 100,000 customers, 1,000,000 invoices, about
  800,000 payments), then one daily run (`gvia run`: cases, the timeline, ~30,000 messages
  waiting for approval in the demo's "approve every message" mode). Built once and kept under
  /tmp/gvia-bench-web/ (SQLite: a file; PostgreSQL: a template database, analyzed as autovacuum
  would soon after the load); each measurement works on a fresh copy.
- **One client alone** first: every page ROUNDS times, one request at a time — each page's own
  server time.
- **Then the clients, in process**: CLIENTS threads in one process, each with its own Django
  test Client signed in as the demo's owner, ask for every page ROUNDS times in a shuffled order
  against the same database, all at once and without pause (the test Client calls Django
  directly: no network). One Python process shares one interpreter lock, so with ten requests in
  hand each one waits for the other nine: a page's time is about ten times its own. Customers,
  invoices and messages asked for are drawn at random, so the database's cache is not warmed for
  one row.
- **Then through the real server** (only this with --http, only the above with --in-process):
  `gvia serve` on a free loopback port (extra options from --serve-args, e.g. "--workers 4
  --threads 2"; --serve-args runserver: Django's one-process development server instead, for
  comparison), each client a thread sending HTTP requests with the owner's session cookie, after
  one client alone through it.

**Which figure is compared with the target**: a page's *server time*, the ``app`` duration of the
``Server-Timing`` header the application sets on every response (:mod:`gvia.web.timing`): from
when a server process starts handling the request to its response, including any wait for the
interpreter lock behind the other requests that process holds, but not the time the request
waited for a free process. In-process that is the whole handler time (the clients are threads of
the one process, so it includes their share of the lock). Through the server the round trip the
client sees is reported beside it, and the bench says plainly when the round trip's p95 misses the
target (the difference is queueing: ten clients, two cores). ``cpu`` is the handling thread's
own processor time (the page's cost alone).
"""


from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from pgserver import PG_ADMIN, pg_reachable  # bench/pgserver.py, beside this script

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
PY = sys.executable
GVIA = [PY, "-m", "gvia"]
CACHE = Path(os.environ.get("GVIA_BENCH_WEB_CACHE", "/tmp/gvia-bench-web"))

PG_HOST = PG_ADMIN.rsplit("/", 1)[0]
OWNER = "owner@gilboa-demo.co.il"
TARGET_MS, DASHBOARD_TARGET_MS = 150.0, 300.0


# --- building the business -------------------------------------------------------------------------

def gvia(url: str, *args: str) -> None:
    env = {**os.environ, "GVIA_HOME": str(CACHE / "home"), "PYTHONPATH": str(ROOT / "src")}
    subprocess.run([*GVIA, "--db", url, *args], check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)


def build(url: str, customers: int) -> float:
    t = time.perf_counter()
    gvia(url, "demo", "--customers", str(customers))
    gvia(url, "run")
    return time.perf_counter() - t


def sqlite_business(customers: int) -> tuple[Path, float | None]:
    CACHE.mkdir(parents=True, exist_ok=True)
    pristine = CACHE / f"demo-{customers}-run.db"
    if pristine.exists():
        return pristine, None
    building = CACHE / f"demo-{customers}.building.db"
    for p in CACHE.glob(building.name + "*"):
        p.unlink()
    seconds = build(f"sqlite:///{building}", customers)
    import sqlite3

    con = sqlite3.connect(building)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    building.rename(pristine)
    return pristine, seconds


def pg_admin(sql: str, *params) -> list:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as con:
        cur = con.execute(sql, params or None)
        return cur.fetchall() if cur.description else []


def pg_business(customers: int) -> tuple[str, float | None]:
    template = f"gvia_bench_web_{customers}"
    if pg_admin("select 1 from pg_database where datname = %s", template):
        return template, None
    pg_admin(f"DROP DATABASE IF EXISTS {template}_building")
    pg_admin(f"CREATE DATABASE {template}_building")
    seconds = build(f"{PG_HOST}/{template}_building", customers)
    analyze(f"{PG_HOST}/{template}_building")
    pg_admin(f"ALTER DATABASE {template}_building RENAME TO {template}")
    return template, seconds


def analyze(url: str) -> None:
    """What PostgreSQL's autovacuum does within a minute of the load on a running server: the
    planner's statistics. A copy taken at once from a template would not have them yet."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        con.execute("ANALYZE")


# --- measuring (in a child process with Django set up on the copy) --------------------------------

def pages(rng: random.Random, ids: dict) -> list[tuple[str, str]]:
    """(page, URL) for one round; the rows asked for are drawn at random."""
    c = rng.choice(ids["customers"])
    return [
        ("dashboard", "/"),
        ("worklist", "/worklist/"),
        ("worklist: approvals", "/worklist/?show=approvals&page=%d" % rng.randint(1, 20)),
        ("outbox", "/outbox/?page=%d" % rng.randint(1, 20)),
        ("outbox message", "/outbox/%d/" % (message := rng.choice(ids["messages"]))),
        ("outbox message: as received", "/outbox/%d/received/" % message),
        ("customers", "/customers/"),
        ("customers: search", "/customers/?q=%s" % rng.choice(ids["names"])),
        ("customers: overdue by amount", "/customers/?overdue=any&sort=-overdue"),
        ("customers: 91-180 days, page 3", "/customers/?overdue=91-180&page=3"),
        ("customer", "/customers/%d/" % c),
        ("statement", "/customers/%d/statement/" % c),
        ("invoice", "/invoices/%d/" % rng.choice(ids["invoices"])),
        ("policy", "/policy/"),
        ("settings: sending", "/settings/sending/"),
        ("imports", "/imports/"),
    ]


#: pages a page loads by itself (htmx), asked for as it asks: the fragment alone
FRAGMENTS = {"outbox message: as received"}


def headers_for(name: str) -> dict[str, str]:
    return {"HX-Request": "true"} if name in FRAGMENTS else {}


def business_ids(rng: random.Random) -> dict:
    """Rows the pages ask for, drawn at random (Django set up on the copy)."""
    from gvia.store.models import Customer, Invoice, OutboxMessage

    all_customers = list(Customer.objects.values_list("id", flat=True))

    def some(n: int) -> list[int]:
        return rng.sample(all_customers, min(n, len(all_customers)))

    return {"customers": some(2000),
            "names": [n.split()[0] for n in Customer.objects.filter(id__in=some(200)).values_list("name", flat=True)],
            "invoices": list(Invoice.objects.filter(customer_id__in=some(500)).values_list("id", flat=True)),
            "messages": list(OutboxMessage.objects.values_list("id", flat=True)[:20000])}


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))] if s else 0.0


def results(vendor: str, wall: float, failures: list[str], times: dict, alone: dict, queries: dict) -> dict:
    """``times`` and ``alone``: page -> list of (server ms, cpu ms, round trip ms or None)."""
    def col(values: list[tuple], i: int) -> list[float]:
        return [v[i] for v in values if v[i] is not None]

    def stats(values: list[tuple]) -> dict:
        out = {"p50": round(pct(col(values, 0), 50), 1), "p95": round(pct(col(values, 0), 95), 1),
               "cpu_p50": round(pct(col(values, 1), 50), 1)}
        if col(values, 2):
            out.update(rt_p50=round(pct(col(values, 2), 50), 1), rt_p95=round(pct(col(values, 2), 95), 1))
        return out

    return {"backend": vendor, "wall": round(wall, 1), "failures": failures[:5],
            "requests": sum(len(v) for v in times.values()),
            "pages": {name: {**stats(v), "n": len(v), "alone": stats(alone[name]), "queries": queries[name]}
                      for name, v in times.items()}}


def server_times(response_header: str | None) -> tuple[float | None, float | None]:
    """(app ms, cpu ms) from a Server-Timing header."""
    from gvia.web.timing import parse

    found = parse(response_header or "")
    return found.get("app"), found.get("cpu")


def measure(url: str, clients: int, rounds: int) -> dict:
    os.environ["GVIA_HOME"] = str(CACHE / "home")
    from gvia.cli.bootstrap import setup_django

    setup_django(url)
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    user = get_user_model().objects.get(email=OWNER)
    rng = random.Random(7)
    ids = business_ids(rng)

    # queries per page, one client, before the clock starts (also warms Django's caches)
    warm = Client()
    warm.force_login(user)
    queries: dict[str, int] = {}
    for name, path in pages(rng, ids):
        with CaptureQueriesContext(connection) as q:
            status = warm.get(path, headers=headers_for(name)).status_code
        if status != 200:
            raise SystemExit(f"{path}: {status}")
        queries[name] = len(q.captured_queries)

    # one client alone: the pages' own server time, nothing else running
    alone: dict[str, list[float]] = {}
    for _ in range(rounds):
        for name, path in pages(rng, ids):
            r = warm.get(path, headers=headers_for(name))
            alone.setdefault(name, []).append((*server_times(r.headers.get("Server-Timing")), None))

    times: dict[str, list[float]] = {}
    lock = threading.Lock()
    start = threading.Barrier(clients)
    failures: list[str] = []

    def client(n: int) -> None:
        local = random.Random(n)
        c = Client()
        c.force_login(user)
        start.wait()
        try:
            for _ in range(rounds):
                round_pages = pages(local, ids)
                local.shuffle(round_pages)
                for name, path in round_pages:
                    r = c.get(path, headers=headers_for(name))
                    if r.status_code != 200:
                        failures.append(f"{path}: {r.status_code}")
                    with lock:
                        times.setdefault(name, []).append((*server_times(r.headers.get("Server-Timing")), None))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0

    return results(connection.vendor, wall, failures, times, alone, queries)


def measure_http(url: str, clients: int, rounds: int, serve_args: list[str]) -> dict:
    """As measure(), but every request goes over loopback HTTP to `gvia serve` in its own process."""
    import http.client
    import socket
    from urllib.parse import quote

    os.environ["GVIA_HOME"] = str(CACHE / "home")
    from gvia.cli.bootstrap import setup_django

    setup_django(url)
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    user = get_user_model().objects.get(email=OWNER)
    rng = random.Random(7)
    ids = business_ids(rng)
    queries: dict[str, int] = {}
    warm = Client()
    warm.force_login(user)
    for name, path in pages(rng, ids):
        with CaptureQueriesContext(connection) as q:
            warm.get(path, headers=headers_for(name))
        queries[name] = len(q.captured_queries)
    cookies = []
    for _ in range(clients + 1):   # one session per client, as browsers would have
        c = Client()
        c.force_login(user)
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={c.cookies[settings.SESSION_COOKIE_NAME].value}")
    connections.close_all()

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [*GVIA, "--db", url, "serve", "--port", str(port), *serve_args]
    if serve_args == ["runserver"]:   # for comparison: Django's one-process development server
        command = [PY, "-m", "django", "runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command, cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT / "src"), "GVIA_DATABASE_URL": url,
                                   "DJANGO_SETTINGS_MODULE": "gvia.settings"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    raise SystemExit("gvia serve did not start")
                time.sleep(0.2)

        def get(cookie: str, path: str, name: str = "") -> tuple[int, tuple[float | None, float | None, float]]:
            """(status, (server ms, cpu ms, round trip ms))"""
            t = time.perf_counter()
            con = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            try:
                con.request("GET", quote(path, safe="/?=&-"), headers={"Cookie": cookie, **headers_for(name)})
                r = con.getresponse()
                r.read()
                return r.status, (*server_times(r.getheader("Server-Timing")), (time.perf_counter() - t) * 1000)
            finally:
                con.close()

        def warm_up(n: int) -> None:   # every page from every client at once: warms every server process
            for name, path in pages(random.Random(100 + n), ids):
                if (status := get(cookies[n], path, name)[0]) != 200:
                    raise SystemExit(f"{path}: {status}")

        warmers = [threading.Thread(target=warm_up, args=(n,)) for n in range(clients)]
        for t in warmers:
            t.start()
        for t in warmers:
            t.join()
        alone: dict[str, list[float]] = {}
        for _ in range(rounds):
            for name, path in pages(rng, ids):
                alone.setdefault(name, []).append(get(cookies[-1], path, name)[1])

        times: dict[str, list[float]] = {}
        lock = threading.Lock()
        start = threading.Barrier(clients)
        failures: list[str] = []

        def client(n: int) -> None:
            local = random.Random(n)
            start.wait()
            for _ in range(rounds):
                round_pages = pages(local, ids)
                local.shuffle(round_pages)
                for name, path in round_pages:
                    status, ms = get(cookies[n], path, name)
                    if status != 200:
                        failures.append(f"{path}: {status}")
                    with lock:
                        times.setdefault(name, []).append(ms)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()

    return results(connection.vendor, wall, failures, times, alone, queries)


def child(url: str, clients: int, rounds: int, serve_args: list[str] | None = None) -> dict:
    how = ["measure", url, str(clients), str(rounds)]
    if serve_args is not None:
        how = ["measure-http", url, str(clients), str(rounds), json.dumps(serve_args)]
    with tempfile.TemporaryDirectory(prefix="gvia-bench-web-cache-") as cache:
        # the pages' kept figures start empty: in files the server's processes share (settings)
        r = subprocess.run([PY, __file__, *how], capture_output=True, text=True, cwd=ROOT,
                           env={**os.environ, "PYTHONPATH": str(ROOT / "src"), "GVIA_CACHE": cache})
    if r.returncode != 0:
        raise RuntimeError(f"measuring failed:\n{r.stderr[-3000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def report(res: dict, built: float | None, clients: int) -> bool:
    """Print the figures; True when every page's server time p95 under load is under its target."""
    if built is not None:
        print(f"  built the business (demo + one daily run) in {built / 60:.1f} min")
    print(f"  {res['requests']:,} requests from {clients} clients at once in {res['wall']} s "
          f"({res['requests'] / res['wall']:.0f} pages/s)")
    http = any("rt_p95" in r for r in res["pages"].values())
    ok = True
    late_trips = []
    head = f"  {'':32s} {'one client alone':>24s}   {f'{clients} clients at once':>{36 if http else 17}s}"
    print(head)
    print(f"  {'page':32s} {'cpu p50':>7s} {'p50':>7s} {'p95':>7s}   {'p50':>7s} {'p95':>7s} "
          + (f"{'trip p50':>9s} {'trip p95':>9s} " if http else "") + f"{'target':>7s} {'queries':>7s}")
    for name, r in sorted(res["pages"].items(), key=lambda kv: kv[1]["alone"]["p95"]):
        target = DASHBOARD_TARGET_MS if name == "dashboard" else TARGET_MS
        flag = "" if r["p95"] < target else "  << server time over"
        ok = ok and not flag
        if http and r["rt_p95"] >= target:
            late_trips.append(name)
            flag += "  << round trip over"
        a = r["alone"]
        print(f"  {name:32s} {a['cpu_p50']:7.1f} {a['p50']:7.1f} {a['p95']:7.1f}   {r['p50']:7.1f} {r['p95']:7.1f} "
              + (f"{r['rt_p50']:9.1f} {r['rt_p95']:9.1f} " if http else "") + f"{target:7.0f} {r['queries']:7d}{flag}")
    print("  (ms; compared with the target: the server time p95 under load, the Server-Timing 'app' figure: "
          "from when a server process starts the request to its response" +
          ("; 'trip': the round trip the clients saw, queueing for a free process included)" if http else
           ", here the whole handler time of the clients' threads in one process)"))
    if http:
        print(f"  round trip p95 over the target: {', '.join(late_trips)}" if late_trips else
              "  round trip p95 under the target on every page too")
    if res["failures"]:
        print("  failures: " + "; ".join(res["failures"]))
        ok = False
    return ok


def measure_modes(url: str, modes: list[str], clients: int, rounds: int, serve_args: list[str],
                  built: float | None) -> bool:
    """Each mode's figures on one database; True when the last mode's server times meet the targets
    (with both modes, the real server's: `gvia serve` over HTTP)."""
    ok = True
    for mode in modes:
        print(f" {mode}: " + ("the clients are threads of one process calling Django directly" if mode == "in-process"
                              else f"`gvia serve {' '.join(serve_args)}`".replace("  ", " ").replace(" `", "`")
                              + " over loopback HTTP"))
        ok = report(child(url, clients, rounds, serve_args if mode == "http" else None), built, clients)
        built = None
    return ok


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Web pages' server time, 10 clients at once")
    parser.add_argument("customers", nargs="?", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=8, help="times each client asks for each page")
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--http", action="store_true", help="only through `gvia serve` over loopback HTTP")
    how.add_argument("--in-process", action="store_true", help="only the clients as threads of one process")
    parser.add_argument("--serve-args", default="", help="extra options for `gvia serve` (over HTTP)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    modes = ["http"] if args.http else ["in-process"] if args.in_process else ["in-process", "http"]
    serve_args = args.serve_args.split()
    customers, clients, rounds = args.customers, args.clients, args.rounds
    if len(modes) > 1:
        print("In process, then through the real server; the verdict is the real server's.")

    print(f"Web pages on SQLite ({customers:,} customers, ~{customers * 10:,} invoices), {clients} clients")
    pristine, built = sqlite_business(customers)
    with tempfile.TemporaryDirectory(prefix="gvia-bench-web-") as tmp:
        work = Path(tmp) / "web.db"
        shutil.copy(pristine, work)
        ok = measure_modes(f"sqlite:///{work}", modes, clients, rounds, serve_args, built)

    if args.no_pg:
        return 0 if ok else 1
    if not pg_reachable():
        print("PostgreSQL not reachable: skipped (set GVIA_BENCH_PG_ADMIN)")
        return 0 if ok else 1
    print(f"Web pages on PostgreSQL ({PG_HOST}), {clients} clients")
    template, built = pg_business(customers)
    work_db = f"{template}_run"
    pg_admin(f"DROP DATABASE IF EXISTS {work_db}")
    pg_admin(f"CREATE DATABASE {work_db} TEMPLATE {template}")
    try:
        ok = measure_modes(f"{PG_HOST}/{work_db}", modes, clients, rounds, serve_args, built) and ok
    finally:
        pg_admin(f"DROP DATABASE IF EXISTS {work_db}")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "measure":
        print(json.dumps(measure(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))))
    elif len(sys.argv) > 1 and sys.argv[1] == "measure-http":
        print(json.dumps(measure_http(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), json.loads(sys.argv[5]))))
    else:
        sys.exit(main())

"""Benchmark: read and validate a large invoices CSV (no database).

Writes a synthetic CSV (default 1,000,000 invoice rows for 100,000 customers, with names,
valid Israeli company numbers, dates, amounts, open amounts, currency) to a temporary
directory, then times ``read_table`` + ``build_mapping`` + ``RowParser.parse`` over every row
and prints rows per second. The target is about 6 s for a million rows (the parse share of the
~16 s full import).

    .venv/bin/python bench/bench_parse.py [--rows N] [--customers N] [--hebrew] [--profile]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from gvia.imports.mapping import build_mapping
from gvia.imports.rows import RowParser
from gvia.imports.tables import read_table

HEADERS_EN = ["customer_ref", "customer_name", "customer_tax_id", "invoice_number", "kind",
              "issue_date", "due_date", "amount", "open_amount", "currency"]
HEADERS_HE = ["מס' לקוח", "שם לקוח", "ח.פ.", "מס' חשבונית", "סוג מסמך", "תאריך",
              "תאריך פירעון", "סכום", "יתרה לתשלום", "מטבע"]


def company_number(n: int) -> str:
    """A valid Israeli company number (5 + 7 digits + Luhn check digit)."""
    body = f"5{n:07d}"
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


def write_csv(path: Path, rows: int, customers: int, hebrew: bool) -> None:
    rnd = random.Random(42)
    start = dt.date(2024, 1, 1)
    currencies = ["ILS"] * 8 + ["USD", "EUR"]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADERS_HE if hebrew else HEADERS_EN)
        for n in range(rows):
            c = rnd.randrange(customers)
            issue = start + dt.timedelta(days=rnd.randrange(1000))
            due = issue + dt.timedelta(days=rnd.choice((0, 30, 45, 60, 90)))
            cents = rnd.randrange(1000, 10_000_000)
            amount = f"{cents // 100}.{cents % 100:02d}"
            open_cents = cents if rnd.random() < 0.7 else rnd.randrange(0, cents)
            open_amount = f"{open_cents // 100}.{open_cents % 100:02d}"
            if hebrew:
                dates = (issue.strftime("%d/%m/%Y"), due.strftime("%d/%m/%Y"))
            else:
                dates = (issue.isoformat(), due.isoformat())
            w.writerow([f"C{c:06d}", f"Customer {c}", company_number(c), str(100000 + n),
                        "invoice", *dates, amount, open_amount, currencies[c % 10]])


def run(path: Path) -> tuple[int, int, float, float]:
    t0, c0 = time.perf_counter(), time.process_time()
    table = read_table(path)
    mapping = build_mapping("invoices", table.headers)
    parser = RowParser("invoices", mapping, country="IL", default_currency="ILS",
                       source=table.source)
    parse = parser.parse
    good = bad = 0
    for rownum, values in table.rows:
        row, problems = parse(rownum, values)
        if row is None:
            bad += 1
        else:
            good += 1
    return good, bad, time.perf_counter() - t0, time.process_time() - c0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--customers", type=int, default=100_000)
    ap.add_argument("--hebrew", action="store_true", help="Hebrew headers, dd/mm/yyyy dates")
    ap.add_argument("--profile", action="store_true", help="print a cProfile of the parse")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "invoices.csv"
        t0 = time.perf_counter()
        write_csv(path, args.rows, args.customers, args.hebrew)
        size = path.stat().st_size / 1e6
        print(f"wrote {args.rows:,} rows ({size:.0f} MB) in {time.perf_counter() - t0:.1f} s")
        if args.profile:
            import cProfile
            import pstats
            cProfile.runctx("run(path)", globals(), {"path": path, "run": run}, "/tmp/parse.prof")
            pstats.Stats("/tmp/parse.prof").sort_stats("tottime").print_stats(15)
            return
        good, bad, seconds, cpu = run(path)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"parsed {good:,} good and {bad:,} bad rows in {seconds:.2f} s "
          f"(CPU {cpu:.2f} s) = {(good + bad) / seconds:,.0f} rows/s; "
          f"peak memory {peak:.0f} MB")
    if bad:
        sys.exit("the synthetic file should have no bad rows")


if __name__ == "__main__":
    main()

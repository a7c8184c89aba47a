"""Benchmark: read and validate a large invoices CSV (no database).

By default writes a synthetic CSV — 1,000,000 invoice rows for 100,000 customers, with the
demo generator's invoice columns (customer_ref, customer_name, kind, applies_to,
invoice_number, po_number, issue_date, due_date, amount, open_amount, currency, description)
— to a temporary directory, then times ``read_table`` + ``build_mapping`` + ``parse_batches``
(the parse) over every row and prints rows per second, CPU time and peak memory. For invoices it
also times what an import does: ``read_changed`` with each row's digest (a first import, no
digest known yet) and with every row's digest known (a re-import of the unchanged file, which
parses nothing: gvia.imports.digests).

    .venv/bin/python bench/bench_parse.py [--rows N] [--customers N] [--hebrew] [--profile]
    .venv/bin/python bench/bench_parse.py --demo [--customers N]

``--hebrew`` writes Hebrew headers, dd/mm/yyyy dates and "1,250.00" amounts, Windows-1255.
``--demo`` parses the demo generator's own invoices and payments files instead.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from gvia.imports.batches import parse_batches, read_changed
from gvia.imports.mapping import build_mapping
from gvia.imports.rows import RowParser
from gvia.imports.tables import read_table

HEADERS_EN = ["customer_ref", "customer_name", "kind", "applies_to", "invoice_number",
              "po_number", "issue_date", "due_date", "amount", "open_amount", "currency",
              "description"]
HEADERS_HE = ["מס' לקוח", "שם לקוח", "סוג מסמך", "מסמך מקור", "מס' חשבונית", "מס' הזמנה",
              "תאריך", "תאריך פירעון", "סכום", "יתרה", "מטבע", "פרטים"]


def write_csv(path: Path, rows: int, customers: int, hebrew: bool) -> None:
    """Synthetic invoices: 70% fully open, 20% paid (0.00 open), 10% partly paid; 2% credit
    notes; a tenth of the customers invoice in USD or EUR."""
    rnd = random.Random(42)
    start = dt.date(2024, 1, 1)
    currencies = ["ILS"] * 8 + ["USD", "EUR"]

    def money(cents: int) -> str:
        text = f"{cents // 100}.{cents % 100:02d}"
        return f"{cents // 100:,}.{cents % 100:02d}" if hebrew else text

    with open(path, "w", newline="", encoding="cp1255" if hebrew else "utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADERS_HE if hebrew else HEADERS_EN)
        for n in range(rows):
            c = rnd.randrange(customers)
            issue = start + dt.timedelta(days=rnd.randrange(1000))
            due = issue + dt.timedelta(days=rnd.choice((0, 30, 45, 60, 90)))
            cents = rnd.randrange(1000, 10_000_000)
            state = rnd.random()
            open_cents = cents if state < 0.7 else 0 if state < 0.9 else rnd.randrange(cents)
            credit = rnd.random() < 0.02
            if hebrew:
                dates = (issue.strftime("%d/%m/%Y"), due.strftime("%d/%m/%Y"))
            else:
                dates = (issue.isoformat(), due.isoformat())
            w.writerow([f"{100000 + c}", f"לקוח {c} בע\"מ", "credit_note" if credit else "invoice",
                        str(100000 + n - 1) if credit else "", str(100000 + n),
                        f"PO-{n % 9973}" if n % 3 == 0 else "", *dates, money(cents),
                        money(open_cents), currencies[c % 10], f"שירותים {issue:%m/%Y}"])


def run(kind: str, path: Path, known: dict[int, int] | None = None,
        digests: list | None = None) -> tuple[int, int, float, float]:
    """The parse: ``parse_batches`` (invoices column by column, see gvia.imports.columns), or,
    with ``known``, the import's ``read_changed`` (``digests`` gets each parsed row's digest),
    with the cyclic garbage collector paused as the import does. Skipped rows count as good."""
    gc.disable()
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        table = read_table(path)
        mapping = build_mapping(kind, table.headers)
        parser = RowParser(kind, mapping, country="IL", default_currency="ILS",
                           source=table.source)
        good = bad = 0
        if known is None:
            batches = parse_batches(table, parser)
        else:
            batches = read_changed(table, parser, known)
        for rows, problems, bad_rows, *found_digests in batches:
            good += len(rows)
            if found_digests:
                digests_of_rows, unchanged = found_digests
                good += len(unchanged)
                if digests is not None:
                    digests.extend(digests_of_rows)
            for found in problems[:max(0, 3 - bad)]:
                print(*found, sep="\n")
            bad += bad_rows
        return good, bad, time.perf_counter() - t0, time.process_time() - c0
    finally:
        gc.enable()


def report(kind: str, good: int, bad: int, seconds: float, cpu: float) -> None:
    print(f"{kind}: parsed {good:,} good and {bad:,} bad rows in {seconds:.2f} s "
          f"(CPU {cpu:.2f} s) = {(good + bad) / seconds:,.0f} rows/s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--customers", type=int, default=100_000)
    ap.add_argument("--hebrew", action="store_true",
                    help="Hebrew headers, dd/mm/yyyy dates, 1,250.00 amounts, Windows-1255")
    ap.add_argument("--demo", action="store_true",
                    help="parse the demo generator's invoices and payments files")
    ap.add_argument("--profile", action="store_true", help="print a cProfile of the parse")
    args = ap.parse_args()
    failed = False
    with tempfile.TemporaryDirectory(prefix="gvia-bench-parse-") as tmp:
        t0 = time.perf_counter()
        if args.demo:
            from gvia.demo import generate
            from gvia.demo import write_csv as write_demo
            paths = write_demo(generate(args.customers, seed=1, as_of=dt.date(2025, 11, 23)), tmp)
            files = [("invoices", Path(paths["invoices"])), ("payments", Path(paths["payments"]))]
        else:
            files = [("invoices", Path(tmp) / "invoices.csv")]
            write_csv(files[0][1], args.rows, args.customers, args.hebrew)
        for kind, path in files:
            print(f"{kind}: {path.stat().st_size / 1e6:.0f} MB written in "
                  f"{time.perf_counter() - t0:.1f} s")
        if args.profile:
            import cProfile
            import pstats
            cProfile.runctx("run(kind, path)", globals(),
                            {"run": run, "kind": files[0][0], "path": files[0][1]},
                            str(Path(tmp) / "parse.prof"))
            pstats.Stats(str(Path(tmp) / "parse.prof")).sort_stats("tottime").print_stats(20)
            return
        for kind, path in files:
            good, bad, seconds, cpu = run(kind, path)
            report(kind, good, bad, seconds, cpu)
            failed = failed or bad > 0
            if kind == "invoices":   # what the import reads: with digests, then all of them known
                digests: list = []
                report("invoices, read as a first import (with each row's digest)", *run(kind, path, {}, digests))
                known = {d: n for n, d in enumerate(digests) if d is not None}
                report("invoices, read again unchanged (every digest known)", *run(kind, path, known))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MB")
    if failed:
        sys.exit("the benchmark's files should have no bad rows")


if __name__ == "__main__":
    main()

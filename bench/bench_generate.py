"""How long the demo generator takes to write a 1,000,000-invoice business as CSV.

Run: ``.venv/bin/python bench/bench_generate.py [customers] [invoices_per_customer]``
(default 100,000 customers x 10 = 1,000,000 invoices). Prints the time of each step,
the rows written, the file sizes, the CPU time and the peak memory of the process. The
target is about 10 s for the three files (1,000,000 invoices, ~800,000 payments) on one core;
it then writes them again with ``workers=2``.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from gvia.demo import generate, write_csv


def main(argv: list[str]) -> None:
    customers = int(argv[1]) if len(argv) > 1 else 100_000
    per_customer = float(argv[2]) if len(argv) > 2 else 10.0
    as_of = date(2025, 11, 23)
    t0, c0 = time.perf_counter(), time.process_time()
    data = generate(customers, seed=1, as_of=as_of, invoices_per_customer=per_customer)
    t1 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="gvia-bench-") as tmp:
        paths = write_csv(data, tmp)
        t2, c2 = time.perf_counter(), time.process_time()
        lines = {name: sum(1 for _ in open(p, "rb")) - 1 for name, p in paths.items()}
        sizes = {name: Path(p).stat().st_size for name, p in paths.items()}
        t3 = time.perf_counter()
        write_csv(data, Path(tmp) / "parallel", workers=2)
        t4 = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"generate({customers:,} customers, {per_customer} invoices each): plan {t1 - t0:.2f} s")
    print(f"write_csv: {t2 - t1:.2f} s for {lines['invoices']:,} invoices, "
          f"{lines['payments']:,} payments, {lines['customers']:,} customers "
          f"({sum(sizes.values()) / 1e6:.0f} MB)")
    print(f"total {t2 - t0:.2f} s wall, {c2 - c0:.2f} s CPU (the CPU figure is the one to "
          f"compare when other work shares the machine); peak memory {peak_mb:.0f} MB")
    print(f"write_csv(workers=2): {t4 - t3:.2f} s wall")


if __name__ == "__main__":
    main(sys.argv)

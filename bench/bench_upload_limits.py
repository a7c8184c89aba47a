"""Benchmark: how fast and how small the refusal of a spreadsheet "zip bomb" is (issue 14, finding 5).

Builds the bomb of tests/support/sheets.py (about 7 MB that unpacks to 1.9 GB), then
1. runs `gvia import invoices BOMB.xlsx` on a fresh SQLite database in its own process and prints
   its wall time, exit status and peak memory (the process's own maximum resident size);
2. refuses it in this process (``read_table``, what the web upload and the command both call) and
   prints the time and the growth of this process's peak memory.
The target: under a second and under 200 MB each. Before the limits it took 91 s and 4.9 GB.

    .venv/bin/python bench/bench_upload_limits.py
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    sys.path.insert(0, str(ROOT))   # tests/ (the zip bomb's maker) is not an installed package
    from tests.support.sheets import zip_bomb

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        bomb = zip_bomb(tmp / "bomb.xlsx")
        print(f"bomb: {bomb.stat().st_size / 1e6:.1f} MB on disk")
        env = {k: v for k, v in os.environ.items() if not k.startswith("GVIA_")} | {"GVIA_HOME": str(tmp)}
        db = f"sqlite:///{tmp / 'gvia.db'}"
        gvia = [sys.executable, "-m", "gvia"]
        subprocess.run(gvia + ["init", "--org", "Bench", "--admin-email", "b@example.com", "--admin-password",
                               "Bench-pass-2026!", "--db", db], env=env, cwd=tmp, check=True, capture_output=True)
        t = time.perf_counter()
        subprocess.run(gvia + ["aging", "--db", db], env=env, cwd=tmp, capture_output=True)
        print(f"gvia aging on the empty database (the command's start alone): {time.perf_counter() - t:.2f} s wall")
        t = time.perf_counter()
        proc = subprocess.run(gvia + ["import", "invoices", str(bomb), "--db", db], env=env, cwd=tmp,
                              capture_output=True, text=True)
        wall = time.perf_counter() - t
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"gvia import: exit {proc.returncode} in {wall:.2f} s wall (process start included), "
              f"peak {peak:.0f} MB")
        print("  " + " ".join(proc.stderr.split()))

        from gvia.core.errors import ValidationFailed
        from gvia.imports.tables import read_table

        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        t = time.perf_counter()
        try:
            read_table(bomb)
            print("read_table: NOT refused")
            return 1
        except ValidationFailed:
            pass
        took = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"read_table refusal (web upload and command): {took * 1000:.1f} ms, "
              f"peak memory grew {after - before:.0f} MB (process peak {after:.0f} MB)")
        return 0 if proc.returncode == 1 and wall < 5 else 1


if __name__ == "__main__":
    sys.exit(main())

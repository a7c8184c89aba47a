"""`make bench`: every benchmark in turn, each in its own process, printing its figures.

`python bench/run.py [NAME ...]` runs only the named ones (e.g. `ledger letters`).
Speed and memory are measured here, never in the test suite.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["promises", "generate", "parse", "ledger", "decide", "matching", "engine", "letters", "web", "prediction"]


def main(names: list[str]) -> int:
    available = {p.stem.removeprefix("bench_"): p for p in HERE.glob("bench_*.py")}
    chosen = names or [n for n in ORDER if n in available] + sorted(set(available) - set(ORDER))
    failed = []
    for name in chosen:
        path = available.get(name)
        if path is None:
            print(f"no benchmark {name!r}; have: {', '.join(sorted(available))}")
            failed.append(name)
            continue
        print(f"\n=== {name} ({path.name})", flush=True)
        t = time.perf_counter()
        code = subprocess.call([sys.executable, str(path)])
        print(f"--- {name}: {time.perf_counter() - t:.0f} s wall" + ("" if code == 0 else f", FAILED ({code})"),
              flush=True)
        if code:
            failed.append(name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

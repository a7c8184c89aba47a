"""mypy as a ratchet: the type errors left in tools/mypy-baseline.txt may stay (their number can
only go down), any other error fails the gate. `python tools/mypy_ratchet.py --update` rewrites the
baseline from the current tree (run it only to shrink the list, never to admit a new error).

Errors are compared without their line numbers, so moving code does not disturb the baseline.
gvia.core is checked with --strict and has no baseline entry: an error there always fails."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "tools" / "mypy-baseline.txt"
LINE = re.compile(r"^(?P<file>[^:]+):\d+: error: (?P<text>.*)$")


def current() -> tuple[Counter[str], str]:
    run = subprocess.run([str(ROOT / ".venv" / "bin" / "mypy")], cwd=ROOT, capture_output=True, text=True)
    found: Counter[str] = Counter()
    for line in run.stdout.splitlines():
        m = LINE.match(line)
        if m:
            found[f"{m['file']}: {m['text']}"] += 1
    return found, run.stdout


def main(argv: list[str]) -> int:
    found, output = current()
    if "--update" in argv:
        BASELINE.write_text("".join(f"{k}\n" * n for k, n in sorted(found.items())))
        print(f"mypy baseline: {sum(found.values())} known error(s) written to {BASELINE.relative_to(ROOT)}")
        return 0
    known = Counter(BASELINE.read_text().splitlines()) if BASELINE.exists() else Counter()
    new = found - known
    core = [k for k in found if k.startswith("src/gvia/core/")]
    if new or core:
        print(output)
        for k in sorted(set(new) | set(core)):
            print(f"NEW: {k}")
        print(f"mypy: {sum(new.values())} new type error(s) not in {BASELINE.relative_to(ROOT)}"
              + (f"; {len(core)} in gvia.core, which must have none" if core else ""))
        return 1
    gone = sum((known - found).values())
    print(f"mypy: no new type errors; {sum(found.values())} known error(s) left in "
          f"{BASELINE.relative_to(ROOT)} (fix them and run tools/mypy_ratchet.py --update to shrink it)"
          + (f"; {gone} fixed since the baseline was written" if gone else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""How well gvia predicts when an open invoice will be paid (issue 17): :func:`gvia.core.prediction.predict`
against the naive "due date + the customer's average lateness", on held-back history.

Run: ``.venv/bin/python bench/bench_prediction.py [customers]`` (default 2,000 customers per data
set); ``--tune`` instead prints the tuning split's grid (below) and nothing of the evaluation.

For each data set of ``bench/prediction_data.py`` (the demo generator's business, and three
shaped independently of it: drifting, seasonal and bimodal payers), a cut-off day is chosen;
**training** is every invoice paid in full on or before it; **scored** are the invoices issued on
or before it, still open on it, and paid in full after it (by the data's end). Each is predicted
on the cut-off day from the training data only, and the error is the absolute difference in days
between the predicted and the actual day paid in full. Printed per data set: the invoices scored,
the mean absolute error of the prediction and of the baseline (the customer's average lateness
over their training invoices added to the due date; the organization's average for a customer
with none), the improvement (the issue asks for at least 10%), the same baseline never before the
cut-off day (what part of the gain is only knowing the invoice is still open), and how often the
actual day fell in the 80% range (an open-ended range counts when the day is on or after its start).

**No tuning on the evaluation set.** :data:`gvia.core.prediction.TUNING` was chosen with
``--tune``, which reads only other seeds (:data:`TUNE_SEEDS`) and an earlier cut-off
(:data:`TUNE_CUTOFF_DAYS` before the end) than the evaluation (:data:`EVAL_SEEDS`,
:data:`EVAL_CUTOFF_DAYS`).
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from prediction_data import END, SOURCES, Customer  # noqa: E402 — bench/ is not a package: its path first

from gvia.core.prediction import TUNING, Paid, Tuning, pool, predict  # noqa: E402 — after the path above

EVAL_SEEDS = {"demo": 1, "drifting": 11, "seasonal": 12, "bimodal": 13}
TUNE_SEEDS = {"demo": 7, "drifting": 21, "seasonal": 22, "bimodal": 23}
EVAL_CUTOFF_DAYS = 120
TUNE_CUTOFF_DAYS = 240
TARGET = 0.10


def score(customers: list[Customer], cutoff: date, tuning: Tuning) -> dict:
    train = [[Paid(i.due, i.paid) for i in c if i.paid is not None and i.paid <= cutoff] for c in customers]
    org = pool((p for t in train for p in t), cutoff, tuning)
    every = [(p.paid - p.due).days for t in train for p in t]
    org_mean = sum(every) / len(every)
    n = err = base = base_clamped = covered = 0.0
    for own, c in zip(train, customers):
        mean = sum((p.paid - p.due).days for p in own) / len(own) if own else org_mean
        for i in c:
            if i.issue > cutoff or i.paid is None or i.paid <= cutoff:
                continue
            pr = predict(i.due, cutoff, own, org, tuning)
            naive = i.due + timedelta(days=round(mean))
            n += 1
            err += abs((pr.day - i.paid).days)
            base += abs((naive - i.paid).days)
            base_clamped += abs((max(naive, cutoff) - i.paid).days)
            covered += pr.low <= i.paid and (pr.high is None or i.paid <= pr.high)
    return {"n": int(n), "mae": err / n, "baseline": base / n, "clamped": base_clamped / n, "coverage": covered / n}


def load(name: str, seed: int, customers: int) -> list[Customer]:
    return SOURCES[name](customers, seed)


def evaluate(customers: int) -> int:
    print(f"cut-off {EVAL_CUTOFF_DAYS} days before {END}; {customers:,} customers per data set; "
          f"tuning {TUNING}")
    print(f"{'data set':<10} {'scored':>7} {'MAE days':>9} {'baseline':>9} {'better':>7} "
          f"{'baseline>=cut-off':>18} {'80% range':>10}")
    failed = []
    cutoff = END - timedelta(days=EVAL_CUTOFF_DAYS)
    for name in SOURCES:
        t = time.perf_counter()
        data = load(name, EVAL_SEEDS[name], customers)
        s = score(data, cutoff, TUNING)
        gain = 1 - s["mae"] / s["baseline"]
        if gain < TARGET:
            failed.append(name)
        print(f"{name:<10} {s['n']:>7,} {s['mae']:>9.1f} {s['baseline']:>9.1f} {gain:>7.0%} "
              f"{s['clamped']:>18.1f} {s['coverage']:>10.0%}   ({time.perf_counter() - t:.1f} s)")
    if failed:
        print(f"NOT {TARGET:.0%} better than the baseline on: {', '.join(failed)}")
        return 1
    print(f"at least {TARGET:.0%} better than the baseline on every data set")
    return 0


QUANTILES = ((0.1, 0.9), (0.05, 0.95), (0.03, 0.97), (0.02, 0.98))
GRID = {"half_life_days": (120.0, 365.0, 730.0), "season_boost": (0.0, 2.0), "prior_weight": (0.5, 2.0, 5.0)}


def tune(customers: int) -> None:
    cutoff = END - timedelta(days=TUNE_CUTOFF_DAYS)
    data = {name: load(name, TUNE_SEEDS[name], customers) for name in SOURCES}
    print(f"tuning split: seeds {TUNE_SEEDS}, cut-off {cutoff}; mean of the four MAE ratios (lower is better)")
    for hl in GRID["half_life_days"]:
        for sb in GRID["season_boost"]:
            for pw in GRID["prior_weight"]:
                t = replace(TUNING, half_life_days=hl, season_boost=sb, prior_weight=pw)
                ratios = {}
                for name, d in data.items():
                    s = score(d, cutoff, t)
                    ratios[name] = s["mae"] / s["baseline"]
                print(f"half_life {hl:>5.0f} season {sb:.1f} prior {pw:.1f}: "
                      f"{sum(ratios.values()) / len(ratios):.3f}  "
                      + " ".join(f"{k} {v:.3f}" for k, v in ratios.items()))
    print("the range's quantiles (with the tuning above): how often the day paid falls in it")
    for low, high in QUANTILES:
        t = replace(TUNING, low_quantile=low, high_quantile=high)
        cover = {name: score(d, cutoff, t)["coverage"] for name, d in data.items()}
        print(f"{low:.2f}-{high:.2f}: mean {sum(cover.values()) / len(cover):.0%}  "
              + " ".join(f"{k} {v:.0%}" for k, v in cover.items()))


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 2_000
    if "--tune" in sys.argv:
        tune(n)
    else:
        sys.exit(evaluate(n))

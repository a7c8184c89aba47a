"""How fast is the pure decide step? `python bench/bench_decide.py [CUSTOMERS]`.

Builds synthetic snapshots (default 100,000 customers, about 10 invoices each of which the
open ones are in the snapshot: a third of the customers owe something, aged 0–120 days, with
cases at the stage their age implies, some disputes, cheques, pauses and replies), then times
`decide_all` on the Israeli default ladder (the cyclic collector paused, as the daily run pauses
it) and prints customers/second and the decision mix.
The snapshots are built outside the timed part: reading them is the adapter's job.
"""

from __future__ import annotations

import gc
import random
import sys
import time
from collections import Counter
from datetime import date, timedelta

# gvia is the installed package (make bench installs it, editable), as in bench_parse.py
from gvia.core.calendar import BusinessCalendar
from gvia.core.escalation import CaseState, CustomerSnapshot, OverdueItem, Pause, RunSettings, StageEntry, decide_all
from gvia.core.money import Money
from gvia.policies import default_policy

TODAY = date(2026, 11, 11)  # a Wednesday


def build(n: int, seed: int = 4) -> list[CustomerSnapshot]:
    rnd = random.Random(seed)
    policy = default_policy("IL")
    by_age = [(s.after_due_days, s.key) for s in policy.stages if s.enabled and s.after_due_days > 0]
    snaps = []
    inv = 0
    for cid in range(1, n + 1):
        items = []
        owes = rnd.random() < 0.33
        n_open = rnd.randint(1, 6) if owes else (1 if rnd.random() < 0.3 else 0)
        oldest_age = -30
        for _ in range(n_open):
            inv += 1
            age = rnd.randint(1, 120) if owes else rnd.randint(-30, 0)
            oldest_age = max(oldest_age, age)
            amount = Money.from_minor(rnd.randint(5_000, 5_000_000), "ILS")
            cheque = amount if rnd.random() < 0.03 else None
            items.append(OverdueItem(inv, str(10_000 + inv), TODAY - timedelta(days=age), amount,
                                     disputed=rnd.random() < 0.03, covered_by_pending_cheque=cheque))
        state = None
        if owes and rnd.random() < 0.9:
            reached = [(d, k) for d, k in by_age if d <= oldest_age - 1]
            started = TODAY - timedelta(days=oldest_age - 1)
            hist = tuple(StageEntry(k, started + timedelta(days=d - 1)) for d, k in reached)
            state = CaseState(cycle=rnd.randint(1, 4), cycle_open=True, cycle_started=started,
                              stage_key=hist[-1].stage_key if hist else None,
                              stage_entered=hist[-1].entered if hist else None, history=hist,
                              calls_unanswered=rnd.randint(0, 3))
        elif not owes and rnd.random() < 0.5:
            state = CaseState(cycle=rnd.randint(1, 4), cycle_open=False,
                              cycle_ended=TODAY - timedelta(days=rnd.randint(1, 300)))
        pauses = ()
        if owes and rnd.random() < 0.05:
            pauses = (Pause("promised to pay", TODAY + timedelta(days=rnd.randint(-5, 20)), "promise"),)
        reply = TODAY - timedelta(days=rnd.randint(0, 30)) if owes and rnd.random() < 0.05 else None
        snaps.append(CustomerSnapshot(cid, f"C{cid:06d}", f"Customer {cid}", language="he",
                                      do_not_chase=rnd.random() < 0.01, items=tuple(items),
                                      state=state, pauses=pauses, last_reply_date=reply,
                                      first_seen=TODAY - timedelta(days=400)))
    return snaps


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    policy = default_policy("IL")
    t0 = time.perf_counter()
    snaps = build(n)
    t1 = time.perf_counter()
    items = sum(len(s.items) for s in snaps)
    settings = RunSettings(sending_mode="automatic", ledger_updated=TODAY)
    best = None
    for _ in range(3):
        cal = BusinessCalendar("IL")  # a fresh calendar each time: its caches fill in the run
        # the collector paused as the daily run pauses it (gvia.services.engine.daily_run): deciding
        # makes many small acyclic objects, and its passes over the snapshots would double the time
        gc.disable()
        try:
            t2 = time.perf_counter()
            decisions = decide_all(snaps, policy, TODAY, cal, settings)
            t3 = time.perf_counter()
        finally:
            gc.enable()
        best = t3 - t2 if best is None else min(best, t3 - t2)
    kinds = Counter(d.kind for d in decisions)
    actions = sum(len(d.actions) for d in decisions)
    print(f"snapshots built: {n:,} customers, {items:,} open items in {t1 - t0:.2f} s (not timed)")
    print(f"decide_all: {n:,} customers in {best:.3f} s (best of 3) = {n / best:,.0f} customers/s")
    print(f"decisions: {dict(sorted(kinds.items()))}; planned actions: {actions:,}")


if __name__ == "__main__":
    main()

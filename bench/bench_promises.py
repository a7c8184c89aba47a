"""The promise extractor's quality on its labelled set (issue 16): precision and recall.

Reads ``bench/promise_sentences.tsv`` (written before the extractor; its header says how each
relative date resolves) and runs :func:`gvia.core.promise_text.suggest_promise` on every
sentence with its message date. A suggestion is right when its date and its amount (and the
currency, when the sentence names one) are the label's; a suggestion on a sentence labelled as
no promise, or a wrong one, counts against precision; a promise missed counts against recall.

    .venv/bin/python bench/bench_promises.py [--split dev|held_out|all] [--show]

Prints precision and recall for the held-out half (what the quality gate in
tests/core/test_promise_text.py holds at ≥ 0.9 precision), for the dev half, and for the blind
set ``bench/promise_sentences_blind.tsv`` (written by another person, after the extractor,
without reading it; never tuned on); ``--show`` lists every miss and wrong suggestion.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from gvia.core.promise_text import PromiseSuggestion, suggest_promise

SENTENCES = Path(__file__).resolve().parent / "promise_sentences.tsv"
#: Written by another person without reading the extractor, after it (same columns, split "blind"):
#: reported apart, never tuned on.
BLIND = Path(__file__).resolve().parent / "promise_sentences_blind.tsv"


@dataclass(frozen=True)
class Labelled:
    id: int
    split: str
    lang: str
    message_date: date
    sentence: str
    due: date | None
    amount: Decimal | None
    currency: str | None

    @property
    def is_promise(self) -> bool:
        return self.due is not None or self.amount is not None


def load(path: Path = SENTENCES) -> list[Labelled]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return [Labelled(id=int(r["id"]), split=r["split"], lang=r["lang"],
                     message_date=date.fromisoformat(r["message_date"]), sentence=r["sentence"],
                     due=None if r["date"] == "-" else date.fromisoformat(r["date"]),
                     amount=None if r["amount"] == "-" else Decimal(r["amount"]),
                     currency=None if r["currency"] == "-" else r["currency"])
            for r in reader]


def right(row: Labelled, got: PromiseSuggestion) -> bool:
    if got.due != row.due:
        return False
    if (got.amount is None) != (row.amount is None):
        return False
    if got.amount is not None and row.amount is not None and got.amount != row.amount:
        return False
    return got.currency == row.currency


@dataclass(frozen=True)
class Score:
    rows: int
    promises: int
    suggested: int
    correct: int
    wrong: list[tuple[Labelled, PromiseSuggestion | None]]

    @property
    def precision(self) -> float:
        return self.correct / self.suggested if self.suggested else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.promises if self.promises else 1.0


def score(rows: list[Labelled]) -> Score:
    suggested = correct = 0
    wrong: list[tuple[Labelled, PromiseSuggestion | None]] = []
    for row in rows:
        got = suggest_promise(row.sentence, row.message_date)
        if got is not None:
            suggested += 1
            if row.is_promise and right(row, got):
                correct += 1
                continue
            wrong.append((row, got))
        elif row.is_promise:
            wrong.append((row, None))
    return Score(rows=len(rows), promises=sum(r.is_promise for r in rows), suggested=suggested,
                 correct=correct, wrong=wrong)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=["dev", "held_out", "blind", "all"], default=None)
    ap.add_argument("--show", action="store_true")
    args = ap.parse_args(argv)
    rows = load() + (load(BLIND) if BLIND.exists() else [])
    splits = [args.split] if args.split else ["held_out", "dev", "blind"]
    for split in splits:
        chosen = [r for r in rows if r.split != "blind"] if split == "all" else [r for r in rows if r.split == split]
        if not chosen:
            continue
        s = score(chosen)
        print(f"promise suggestions, {split}: {s.rows} sentences, {s.promises} promises, {s.suggested} suggested, "
              f"{s.correct} right — precision {s.precision:.3f}, recall {s.recall:.3f}")
        if args.show:
            for row, got in s.wrong:
                what = "missed" if got is None else f"gave {got.due} {got.amount} {got.currency}"
                print(f"  #{row.id} [{row.message_date}] {row.sentence!r}: expected {row.due} {row.amount} "
                      f"{row.currency}; {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

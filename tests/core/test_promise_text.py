"""The promise extractor (issue 16): the quality gate on the held-out half of its labelled set,
and the rules the set's header writes down, one by one."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from gvia.core.promise_text import sentences, suggest_promise

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_promises.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_promises", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_promises", module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_held_out_precision_is_at_least_0_9():
    bench = _bench()
    rows = bench.load()
    held = [r for r in rows if r.split == "held_out"]
    assert len(rows) >= 120 and len(held) == len(rows) // 2
    assert {r.lang for r in held} == {"he", "en"}
    assert sum(r.is_promise for r in held) >= 30 and sum(not r.is_promise for r in held) >= 20
    s = bench.score(held)
    assert s.precision >= 0.9, [(r.sentence, g) for r, g in s.wrong]


MSG = date(2026, 12, 3)  # a Thursday


@pytest.mark.parametrize("text, due, amount, currency", [
    ('נעביר 5,000 ש"ח ביום ראשון', date(2026, 12, 6), Decimal(5000), "ILS"),
    ("נשלם עד ה-15 לחודש", date(2026, 12, 15), None, None),
    ("We'll pay by Friday.", date(2026, 12, 4), None, None),
    ("We'll pay by Thursday.", date(2026, 12, 10), None, None),  # strictly after the message date
    ("התשלום יועבר עד סוף החודש", date(2026, 12, 31), None, None),
    ("We will pay next week.", date(2026, 12, 12), None, None),
    ("נשלם בשבוע הבא", date(2026, 12, 12), None, None),
    ("We will pay on 1/1.", date(2027, 1, 1), None, None),
    ("נשלם ב-15.12", date(2026, 12, 15), None, None),
    ("נשלם ב-2.12", date(2027, 12, 2), None, None),  # passed this year: next year's
    ("We will pay 1,234.50 USD.", None, Decimal("1234.50"), "USD"),
    ("we'll pay €300 in 3 days", date(2026, 12, 6), Decimal(300), "EUR"),
])
def test_what_it_finds(text, due, amount, currency):
    got = suggest_promise(text, MSG)
    assert got is not None
    assert (got.due, got.amount, got.currency) == (due, amount, currency)


@pytest.mark.parametrize("text", [
    "We can't pay by Friday.",
    "לא נוכל לשלם עד סוף החודש",
    "Can we pay by Friday?",
    "האם אפשר לשלם עד ה-15 לחודש?",
    'החשבונית על סך 12,000 ש"ח לא תואמת את ההזמנה',
    "We paid 1,500 on Monday.",
    "We'll pay as soon as possible.",
    "",
])
def test_what_is_no_promise(text):
    assert suggest_promise(text, MSG) is None


def test_the_first_promising_sentence_is_quoted_whole():
    text = "Hi,\nSorry for the delay. We had a problem with the bank! We will transfer $800 on Monday. Thanks"
    got = suggest_promise(text, MSG)
    assert got is not None
    assert got.sentence == "We will transfer $800 on Monday."
    assert (got.due, got.amount, got.currency) == (date(2026, 12, 7), Decimal(800), "USD")


def test_sentences_do_not_split_inside_numbers():
    assert sentences("We will pay 7,450.00 by 15.12. Thanks.") == ["We will pay 7,450.00 by 15.12.", "Thanks."]

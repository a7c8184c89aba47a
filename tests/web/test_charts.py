"""The server-side SVG aging chart (pure: no database)."""

from __future__ import annotations

import re
from decimal import Decimal

from gvia.core.money import Money
from gvia.web import charts

LABELS = {"not_due": "Not yet due", "1-30": "1-30", "31-60": "31-60"}


def amounts(*values: str) -> dict[str, Money]:
    return {name: Money.of(v, "ILS") for name, v in zip(LABELS, values)}


def text(m: Money) -> str:
    return f"{m.amount} {m.currency}"


def rects(svg: str) -> list[dict]:
    return [dict(re.findall(r'(\w+)="([^"]*)"', r)) for r in re.findall(r"<rect [^>]*>", svg)]


def test_bar_heights_are_proportional_to_the_largest():
    # plot 170 high: 800 fills it, 400 is half (85.0), 200 a quarter (42.5), 0 draws nothing
    assert charts.bar_heights([Decimal(800), Decimal(400), Decimal(200), Decimal(0)], 170) == [170.0, 85.0, 42.5, 0.0]


def test_bar_heights_with_nothing_open():
    assert charts.bar_heights([Decimal(0), Decimal(0)], 170) == [0.0, 0.0]


def test_bar_heights_ignore_negative_amounts():
    assert charts.bar_heights([Decimal(-5), Decimal(10)], 100) == [0.0, 100.0]


def test_chart_draws_one_bar_per_non_empty_bucket_in_reading_order():
    # width 600, sides 12: plot 576 wide, 3 slots of 192; plot height 240-30-40 = 170
    svg = charts.aging_bars(amounts("500.00", "0", "1000.00"), labels=LABELS, rtl=False,
                            amount_text=text, title="Aging in ILS")
    bars = rects(svg)
    assert [b["class"] for b in bars] == ["bar bar-0", "bar bar-2"]
    assert bars[0]["height"] == "85.0" and bars[1]["height"] == "170.0"
    # left to right: not_due centred at 12 + 96 = 108, "31-60" at 12 + 2*192 + 96 = 492
    assert float(bars[0]["x"]) + float(bars[0]["width"]) / 2 == 108.0
    assert float(bars[1]["x"]) + float(bars[1]["width"]) / 2 == 492.0
    assert svg.count('class="amount"') == 2          # no number over the empty bucket
    assert "<title id=\"chart-aging-in-ils-t\">Aging in ILS</title>" in svg


def test_right_to_left_chart_starts_on_the_right():
    svg = charts.aging_bars(amounts("500.00", "0", "1000.00"), labels=LABELS, rtl=True,
                            amount_text=text, title="גיול")
    bars = rects(svg)
    assert float(bars[0]["x"]) + float(bars[0]["width"]) / 2 == 492.0   # not_due now on the right
    assert float(bars[1]["x"]) + float(bars[1]["width"]) / 2 == 108.0


def test_text_is_escaped_and_described_for_screen_readers():
    svg = charts.aging_bars(amounts("1.00", "2.00", "3.00"), labels={"not_due": "<b>&</b>"}, rtl=False,
                            amount_text=text, title='A "quoted" <title>')
    assert "<b>" not in svg
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in svg
    assert "A \"quoted\" &lt;title&gt;" in svg
    assert "<desc" in svg and "1.00 ILS" in svg and "3.00 ILS" in svg

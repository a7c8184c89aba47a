"""Charts drawn on the server as SVG text: no JavaScript, no chart library.

:func:`aging_bars` draws one currency's aging: a bar per bucket, its height proportional to the
amount in the bucket (the largest bucket fills the plot; an empty bucket has no bar), the amount
above each non-empty bar and the bucket's name under it. Amounts of different currencies are never drawn on
one scale: a page shows one chart per currency. In right-to-left pages the buckets run from right
to left, as a Hebrew reader reads them. All text is escaped. The chart carries a <title> and a
<desc> listing every bucket, so a screen reader gets the numbers too. :func:`trend_bars` draws
one currency's overdue amount month by month the same way (the dashboard's 12-month trend),
through :func:`figure_bars`, which draws any figure by month (the reports page's too).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Callable, Mapping
from xml.sax.saxutils import escape

from gvia.core.money import Money

WIDTH, HEIGHT = 600, 240
TOP, BOTTOM, SIDE = 30, 40, 12
# calm to urgent: not yet due is slate, the oldest debt is a deep brick red
BUCKET_COLOURS = ("#7b8fa6", "#d9a441", "#d98341", "#c8623b", "#a9443a", "#7e2f2b")


def bar_heights(amounts: list[Decimal], plot_height: float) -> list[float]:
    """Heights in the plot's units: the largest amount fills ``plot_height``; zero and negative
    amounts draw no bar."""
    top = max((a for a in amounts if a > 0), default=Decimal(0))
    if top <= 0:
        return [0.0 for _ in amounts]
    return [round(float(a / top) * plot_height, 1) if a > 0 else 0.0 for a in amounts]


def aging_bars(amounts: Mapping[str, Money], *, labels: Mapping[str, str], rtl: bool,
               amount_text: Callable[[Money], str], title: str,
               width: int = WIDTH, height: int = HEIGHT) -> str:
    """One currency's aging as an SVG bar chart (``amounts``: bucket name -> Money, in order)."""
    names = list(amounts)
    n = max(len(names), 1)
    plot_w = width - 2 * SIDE
    plot_h = height - TOP - BOTTOM
    slot = plot_w / n
    bar_w = round(slot * 0.62, 1)
    heights = bar_heights([amounts[k].amount for k in names], plot_h)
    ident = "chart-" + re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40] or "chart"
    desc = "; ".join(f"{labels.get(k, k)}: {amount_text(amounts[k])}" for k in names)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{ident}-t {ident}-d" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{ident}-t">{escape(title)}</title>',
        f'<desc id="{ident}-d">{escape(desc)}</desc>',
        f'<line class="axis" x1="{SIDE}" y1="{TOP + plot_h}" x2="{width - SIDE}" y2="{TOP + plot_h}" '
        f'stroke="#9aa5b1" stroke-width="1"/>',
    ]
    for i, name in enumerate(names):
        pos = (n - 1 - i) if rtl else i
        cx = round(SIDE + slot * pos + slot / 2, 1)
        h = heights[i]
        y = round(TOP + plot_h - h, 1)
        colour = BUCKET_COLOURS[min(i, len(BUCKET_COLOURS) - 1)]
        if h > 0:
            parts.append(f'<rect class="bar bar-{i}" x="{round(cx - bar_w / 2, 1)}" y="{y}" '
                         f'width="{bar_w}" height="{h}" rx="3" fill="{colour}"/>')
        if amounts[name]:   # an empty bucket gets no number: the table under the chart has it
            parts.append(f'<text class="amount" x="{cx}" y="{round(y - 6, 1)}" text-anchor="middle" '
                         f'direction="ltr" unicode-bidi="embed" font-size="14">'
                         f'{escape(amount_text(amounts[name]))}</text>')
        parts.append(f'<text class="label" x="{cx}" y="{TOP + plot_h + 22}" text-anchor="middle" '
                     f'font-size="15" direction="{"rtl" if rtl else "ltr"}">'
                     f'{escape(labels.get(name, name))}</text>')
    parts.append("</svg>")
    return "".join(parts)


TREND_COLOUR = "#a9443a"


def trend_bars(points: list[tuple[str, Money | None]], *, rtl: bool, amount_text: Callable[[Money], str],
               title: str, empty_text: str = "", width: int = WIDTH, height: int = HEIGHT) -> str:
    """One currency's overdue amount over time as an SVG bar chart: ``points`` are (label, amount)
    from the oldest to the newest; a period without a figure (None) gets no bar and the
    ``empty_text`` in the description. Time runs in the reading direction (right to left in
    Hebrew). The largest amount fills the plot; every bar's amount is in the description and
    the newest bar's amount is written above it."""
    currency = next((a.currency for _, a in points if a is not None), "")
    return figure_bars([(label, None if a is None else a.amount) for label, a in points], rtl=rtl,
                       value_text=lambda v: amount_text(Money.of(v, currency)), title=title, empty_text=empty_text,
                       kind="trend", labelled=0, width=width, height=height)


def svg_head(kind: str, key: str, title: str, desc: str, width: int, height: int) -> list[str]:
    """A chart's opening: the <svg> of class ``chart {kind}``, its <title> and <desc> (what a
    screen reader says), their ids made of ``kind``, ``key`` and the title's Latin letters."""
    ident = f"{kind}-" + (re.sub(r"[^a-z0-9]+", "-", f"{key} {title}".lower()).strip("-")[:40] or kind)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {kind}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{ident}-t {ident}-d" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{ident}-t">{escape(title)}</title>',
        f'<desc id="{ident}-d">{escape(desc)}</desc>',
    ]


def figure_bars(points: list[tuple[str, Decimal | None]], *, rtl: bool, value_text: Callable[[Decimal], str],
                title: str, key: str = "", empty_text: str = "", kind: str = "figure", labelled: int = 6,
                width: int = WIDTH, height: int = HEIGHT) -> str:
    """Any figure over time (an amount, days, a percent) as an SVG bar chart: ``points`` are
    (label, value) from the oldest to the newest, ``value_text`` writes a value.
    A point without a figure (None), or at zero or below, gets no bar (``empty_text`` in the
    description). Time runs in the reading direction; the largest value fills the plot; every
    value is in the description, and above its bar when there are ``labelled`` points or fewer
    (else only the newest's). ``key`` and ``kind`` tell a page's charts apart (their ids)."""
    n = max(len(points), 1)
    plot_w = width - 2 * SIDE
    plot_h = height - TOP - BOTTOM
    slot = plot_w / n
    bar_w = round(slot * 0.62, 1)
    heights = bar_heights([v if v is not None else Decimal(0) for _, v in points], plot_h)
    desc = "; ".join(f"{label}: {value_text(v) if v is not None else empty_text}" for label, v in points)
    parts = svg_head(kind, key, title, desc, width, height) + [
        f'<line class="axis" x1="{SIDE}" y1="{TOP + plot_h}" x2="{width - SIDE}" y2="{TOP + plot_h}" '
        f'stroke="#9aa5b1" stroke-width="1"/>',
    ]
    last = max((i for i, (_, v) in enumerate(points) if v is not None), default=None)
    for i, (label, value) in enumerate(points):
        pos = (n - 1 - i) if rtl else i
        cx = round(SIDE + slot * pos + slot / 2, 1)
        h = heights[i]
        y = round(TOP + plot_h - h, 1)
        if h > 0:
            parts.append(f'<rect class="bar" x="{round(cx - bar_w / 2, 1)}" y="{y}" width="{bar_w}" '
                         f'height="{h}" rx="2" fill="{TREND_COLOUR}"/>')
        if value is not None and (len(points) <= labelled or i == last):
            parts.append(f'<text class="amount" x="{cx}" y="{round(y - 6, 1)}" text-anchor="middle" '
                         f'direction="ltr" unicode-bidi="embed" font-size="13">{escape(value_text(value))}</text>')
        parts.append(f'<text class="label" x="{cx}" y="{TOP + plot_h + 20}" text-anchor="middle" font-size="12" '
                     f'direction="{"rtl" if rtl else "ltr"}">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)

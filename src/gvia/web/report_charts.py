"""The reports page's charts (issue 17): a report's main figure as an SVG bar chart drawn on the
server, as the dashboard's are (:mod:`gvia.web.charts`: the same plot, bar heights and colours).

:func:`figure_bars` draws any figure — days, percent, an amount of one currency — as a bar per
point (a month, or a reason), in the reading direction (right to left on Hebrew pages). The
largest value fills the plot; a point without a figure (None) or at zero or below gets no bar.
Every point's value is in the <desc> (a screen reader gets the numbers); the values are written
above the bars when there are few of them, else only the newest. All text is escaped. ``key``
tells a page's charts apart (their ids: a Hebrew title gives none). :func:`share_bars` draws shares
by kind (the reasons for non-payment) as horizontal bars, so that long names do not collide.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Callable
from xml.sax.saxutils import escape

from .charts import BOTTOM, HEIGHT, SIDE, TOP, TREND_COLOUR, WIDTH, bar_heights

#: at most this many bars carry their value above them; more, and only the newest does
LABELLED = 6


def figure_bars(points: list[tuple[str, Decimal | None]], *, rtl: bool, value_text: Callable[[Decimal], str],
                title: str, key: str = "", empty_text: str = "", width: int = WIDTH, height: int = HEIGHT) -> str:
    n = max(len(points), 1)
    plot_w = width - 2 * SIDE
    plot_h = height - TOP - BOTTOM
    slot = plot_w / n
    bar_w = round(slot * 0.62, 1)
    values = [v if v is not None else Decimal(0) for _, v in points]
    heights = bar_heights(values, plot_h)
    ident = "figure-" + (re.sub(r"[^a-z0-9]+", "-", f"{key} {title}".lower()).strip("-")[:40] or "chart")
    desc = "; ".join(f"{label}: {value_text(v) if v is not None else empty_text}" for label, v in points)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart figure" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{ident}-t {ident}-d" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{ident}-t">{escape(title)}</title>',
        f'<desc id="{ident}-d">{escape(desc)}</desc>',
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
        if value is not None and (len(points) <= LABELLED or i == last):
            parts.append(f'<text class="amount" x="{cx}" y="{round(y - 6, 1)}" text-anchor="middle" '
                         f'direction="ltr" unicode-bidi="embed" font-size="12">{escape(value_text(value))}</text>')
        parts.append(f'<text class="label" x="{cx}" y="{TOP + plot_h + 20}" text-anchor="middle" font-size="12" '
                     f'direction="{"rtl" if rtl else "ltr"}">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


LABEL_W, ROW_H, VALUE_W = 200, 30, 56


def share_bars(points: list[tuple[str, Decimal | None]], *, rtl: bool, value_text: Callable[[Decimal], str],
               title: str, key: str = "", width: int = WIDTH) -> str:
    """Shares by kind (the reasons for non-payment) as horizontal bars: a row per point, its
    name at the reading start (the right on Hebrew pages), the bar growing in the reading
    direction and its value at the bar's end; the largest value fills the plot."""
    height = TOP // 2 + ROW_H * max(len(points), 1) + 6
    plot_w = width - 2 * SIDE - LABEL_W - VALUE_W
    lengths = bar_heights([v if v is not None else Decimal(0) for _, v in points], plot_w)
    ident = "shares-" + (re.sub(r"[^a-z0-9]+", "-", f"{key} {title}".lower()).strip("-")[:40] or "chart")
    desc = "; ".join(f"{label}: {value_text(v) if v is not None else ''}" for label, v in points)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart shares" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{ident}-t {ident}-d" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{ident}-t">{escape(title)}</title>',
        f'<desc id="{ident}-d">{escape(desc)}</desc>',
    ]
    for i, (label, value) in enumerate(points):
        y = TOP // 2 + ROW_H * i
        mid = y + ROW_H // 2 + 5
        length = lengths[i]
        if rtl:
            edge = width - SIDE - LABEL_W
            parts.append(f'<text class="label" x="{width - SIDE}" y="{mid}" text-anchor="start" font-size="13" '
                         f'direction="rtl">{escape(label)}</text>')
            bar_x, value_x, anchor = edge - length, edge - length - 6, "end"
        else:
            edge = SIDE + LABEL_W
            parts.append(f'<text class="label" x="{edge - 8}" y="{mid}" text-anchor="end" font-size="13" '
                         f'direction="ltr">{escape(label)}</text>')
            bar_x, value_x, anchor = edge, edge + length + 6, "start"
        if length > 0:
            parts.append(f'<rect class="bar" x="{round(bar_x, 1)}" y="{y + 6}" width="{length}" '
                         f'height="{ROW_H - 12}" rx="2" fill="{TREND_COLOUR}"/>')
        if value is not None:
            parts.append(f'<text class="amount" x="{round(value_x, 1)}" y="{mid}" text-anchor="{anchor}" '
                         f'direction="ltr" unicode-bidi="embed" font-size="12">{escape(value_text(value))}</text>')
    parts.append("</svg>")
    return "".join(parts)

"""The reports page's charts (issue 17): a report's main figure as an SVG bar chart drawn on the
server, as the dashboard's are (:mod:`gvia.web.charts`: the same plot, bar heights and colours).

:func:`figure_bars` draws any figure — days, percent, an amount of one currency — as a bar per
point (a month, or a reason), in the reading direction (right to left on Hebrew pages). The
largest value fills the plot; a point without a figure (None) or at zero or below gets no bar.
Every point's value is in the <desc> (a screen reader gets the numbers); the values are written
above the bars when there are few of them, else only the newest. All text is escaped. ``key``
tells a page's charts apart (their ids: a Hebrew title gives none).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Callable
from xml.sax.saxutils import escape

from .charts import BOTTOM, HEIGHT, SIDE, TOP, TREND_COLOUR, WIDTH, bar_heights

#: at most this many bars carry their value above them; more, and only the newest does
LABELLED = 13


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

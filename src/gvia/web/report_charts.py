"""The reports page's shares chart (issue 17): shares by kind (the reasons for non-payment) as
horizontal bars drawn on the server as SVG, as the dashboard's charts are (:mod:`gvia.web.charts`:
the same bar scale and colour; its ``figure_bars`` draws the reports' figures by month). A row per
kind, so long names do not collide; the names at the reading start (right on Hebrew pages); every
value in the <desc> too, for a screen reader. All text is escaped.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Callable
from xml.sax.saxutils import escape

from .charts import SIDE, TOP, TREND_COLOUR, WIDTH, bar_heights, svg_head

LABEL_W, ROW_H, VALUE_W = 200, 30, 56


def share_bars(points: list[tuple[str, Decimal | None]], *, rtl: bool, value_text: Callable[[Decimal], str],
               title: str, key: str = "", width: int = WIDTH) -> str:
    """Shares by kind (the reasons for non-payment) as horizontal bars: a row per point, its
    name at the reading start (the right on Hebrew pages), the bar growing in the reading
    direction and its value at the bar's end; the largest value fills the plot."""
    height = TOP // 2 + ROW_H * max(len(points), 1) + 6
    plot_w = width - 2 * SIDE - LABEL_W - VALUE_W
    lengths = bar_heights([v if v is not None else Decimal(0) for _, v in points], plot_w)
    desc = "; ".join(f"{label}: {value_text(v) if v is not None else ''}" for label, v in points)
    parts = svg_head("shares", key, title, desc, width, height)
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

"""What a dashboard panel is. The dashboard's panels themselves, and the order they are drawn in,
are in :mod:`gvia.web.dashboard_panels`.

A source is a function ``(ctx, today) -> Panel | None``; it returns None when it has nothing to
show (no run yet, nothing waiting), and then nothing is drawn — never a placeholder with made-up
content. The panel's template is included with the panel's ``context`` as ``panel.context``, or
its ``html`` shown when it was written already.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from gvia.services.context import Ctx


@dataclass(frozen=True)
class Panel:
    title: str                 # i18n key
    template: str              # e.g. "gvia/panels/last_run.html"
    context: dict = field(default_factory=dict)
    html: str = ""             # the template already written (a panel kept as HTML), shown as it is


PanelSource = Callable[[Ctx, date], "Panel | None"]

"""Dashboard panels that other parts of gvia contribute (the engine's "waiting today" and "last
daily run", arrangements' promises due...). The web shell draws nothing of theirs itself.

A source is a function ``(ctx, today) -> Panel | None``; it returns None when it has nothing to
show (no run yet, nothing waiting), and then nothing is drawn — never a placeholder with made-up
content. Register it once, from the module that owns the data::

    from gvia.web import panels
    panels.register("last_run", last_run_panel, order=20)

The panel's template is included with the panel's ``context`` as ``panel.context``.
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


PanelSource = Callable[[Ctx, date], "Panel | None"]

# Known slots, in page order. "waiting_today": what needs a person today (engine);
# "last_run": the outcome of the last daily run (engine).
_SOURCES: dict[str, tuple[int, PanelSource]] = {}


def register(name: str, source: PanelSource, order: int = 50) -> None:
    _SOURCES[name] = (order, source)


def unregister(name: str) -> None:
    _SOURCES.pop(name, None)


def collect(ctx: Ctx, today: date) -> list[Panel]:
    """The panels that have something to show, in order."""
    from . import dashboard_panels  # noqa: F401  (registers the collection panels on first use)

    out = []
    for _, (_, source) in sorted(_SOURCES.items(), key=lambda kv: (kv[1][0], kv[0])):
        panel = source(ctx, today)
        if panel is not None:
            out.append(panel)
    return out

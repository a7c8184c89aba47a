"""Progress bars for long work (imports, the daily run, letter batches). Quiet when not a terminal."""

from __future__ import annotations

import sys
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from .words import catalogs, t


@contextmanager
def progress_bar(enabled: bool | None = None):
    """Yield a callback(phase, advance, total) that drives one bar per phase."""
    enabled = sys.stderr.isatty() if enabled is None else enabled
    if not enabled:
        yield None
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  transient=False, redirect_stdout=False) as prog:
        tasks: dict[str, TaskID] = {}

        def update(phase: str, advance: int, total: int | None) -> None:
            if phase not in tasks:
                known = catalogs().has(f"progress.{phase}")
                tasks[phase] = prog.add_task(t(f"progress.{phase}") if known else phase, total=total)
            elif total is not None:
                prog.update(tasks[phase], total=total)
            prog.advance(tasks[phase], advance)

        yield update

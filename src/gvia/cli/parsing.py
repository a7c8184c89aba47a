"""Reading dates and moments given on the command line (--now, --as-of, --date …).

gvia.services.clock is imported when an option is read: it needs django.setup(), which the
command has done by then (:func:`gvia.cli.state.context`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Optional, overload

import typer

from .words import t


def now_option(ctx, text: Optional[str]) -> datetime:
    """`--now`: a date (2026-11-11) or a date-time (2026-11-11T10:00) in the organization's zone."""
    from gvia.services.clock import parse_now

    try:
        return parse_now(ctx.org, text)
    except ValueError:
        raise typer.BadParameter(t("bad.now", value=repr(text)))


@overload
def date_option(text: str, flag: str) -> date: ...
@overload
def date_option(text: None, flag: str) -> None: ...
@overload
def date_option(text: Optional[str], flag: str) -> Optional[date]: ...


def date_option(text: Optional[str], flag: str) -> Optional[date]:
    """A date option: None when not given."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(t("bad.date", flag=flag, value=repr(text)))


def day_option(ctx, text: Optional[str], flag: str = "--as-of") -> date:
    """A date option that defaults to today in the organization's time zone."""
    from gvia.services.clock import org_today

    return date_option(text, flag) or org_today(ctx.org)

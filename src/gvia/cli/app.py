"""The `gvia` Typer application and the options taken before a command's name (--db, --org, --as,
--lang). Each cli/commands_*.py module registers its commands on :data:`app`; :mod:`gvia.cli.main`
imports them all and runs it."""

from __future__ import annotations

from typing import Optional

import typer

from .state import GLOBALS

app = typer.Typer(
    name="gvia",
    help="gvia — collect late payments without wrecking the relationship.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _globals(
    db: Optional[str] = typer.Option(None, "--db", help="Database URL (sqlite:///var/gvia.db, postgresql://...)"),
    org: Optional[str] = typer.Option(None, "--org", help="Organization (needed when the database holds several)"),
    as_user: Optional[str] = typer.Option(None, "--as", help="E-mail of the acting user (recorded in the audit)"),
    lang: Optional[str] = typer.Option(None, "--lang",
                                       help="The language gvia speaks: he or en (default: the acting user's, "
                                            "else English); before the command's name for letter, casefile, "
                                            "explain, policy show and demo, whose own --lang follows it"),
) -> None:
    if db:
        GLOBALS.db = db
    if org:
        GLOBALS.org = org
    if as_user:
        GLOBALS.as_user = as_user
    if lang:
        GLOBALS.lang = lang

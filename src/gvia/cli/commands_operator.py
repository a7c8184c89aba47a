"""operator: the people who run the installation (the Django admin's only users), never members of
an organization. See :mod:`gvia.services.org.operators`.

Services, the store and Django are imported inside each command: they need django.setup(), and
`gvia --help` starts without them.
"""

from __future__ import annotations

import sys
from typing import Optional

import typer

from .app import app
from .output import console
from .state import GLOBALS
from .words import t

operator_app = typer.Typer(help="Operators of this installation: create EMAIL.", no_args_is_help=True)
app.add_typer(operator_app, name="operator")


@operator_app.command("create")
def create(
    email: str = typer.Argument(..., help="The operator's e-mail address (not a member's)"),
    password: Optional[str] = typer.Option(None, "--password", help="At least 12 characters (asked on a terminal)"),
) -> None:
    """Make an operator: a user who may sign in to the Django admin (/admin/, only with
    GVIA_ADMIN=1) and read every organization's records there, and who belongs to none."""
    from .bootstrap import setup_django

    if not password:
        if not sys.stdin.isatty():
            raise typer.BadParameter(t("operator.missing_password"))
        password = typer.prompt(t("operator.prompt_password"), hide_input=True, confirmation_prompt=True)
    setup_django(GLOBALS.db)
    from gvia.services.org.operators import create_operator

    user = create_operator(email, password)
    console.print(t("operator.created", email=user.email), highlight=False)

"""users: what an owner does about a person's sign-in from the command line.

Services, the store and Django are imported inside each command: they need django.setup(),
which :func:`gvia.cli.state.context` does first, and `gvia --help` starts without them.
"""

from __future__ import annotations

import typer

from .app import app
from .output import console
from .state import context
from .words import t

users_app = typer.Typer(help="People's sign-in: unlock EMAIL.", no_args_is_help=True)
app.add_typer(users_app, name="users")


@users_app.command("unlock")
def unlock(email: str = typer.Argument(..., help="The e-mail address of the member to unlock")) -> None:
    """Let a member locked out by failed sign-ins (10 in 15 minutes) sign in again now."""
    ctx = context()
    from gvia.services.org.members import unlock_member

    m = unlock_member(ctx, email=email)
    console.print(t("users.unlocked", email=m.user.email), highlight=False)

"""api key create|list|revoke: the REST API's keys (issue 18).

``gvia api key create NAME [--scope read|write|admin]`` makes a key for the organization and
prints it once (it is stored only as its digest: lost, it is revoked and made again);
``gvia api key list [--all] [--format table|csv|json]`` lists the keys (never the keys themselves:
their public prefix); ``gvia api key revoke KEY`` (its prefix or id) stops it at once. Owners only;
each audited (:mod:`gvia.services.apikeys`). A program then calls ``/api/v1`` with
``Authorization: Bearer <key>`` (README, "The REST API")."""

from __future__ import annotations

import typer

from .app import app
from .output import Format, console, print_rows
from .state import context
from .words import t, value_text

api_app = typer.Typer(help="The REST API (/api/v1): its keys.", no_args_is_help=True)
key_app = typer.Typer(help="API keys: make one, list them, revoke one.", no_args_is_help=True)
app.add_typer(api_app, name="api")
api_app.add_typer(key_app, name="key")


@key_app.command("create")
def key_create(
    name: str = typer.Argument(..., help="What the key is for (e.g. \"accounting sync\")"),
    scope: str = typer.Option("read", "--scope", help="read, write (also change) or admin (also keys)"),
) -> None:
    """Make an API key and print it once (owner; audited)."""
    ctx = context()
    from gvia.services import apikeys

    made = apikeys.create_key(ctx, name, scope)
    console.print(t("api.key_created", name=made.row.name, scope=t(f"api.scope.{made.row.scope}"),
                    prefix=made.row.prefix), highlight=False, markup=False)
    console.print(made.key, highlight=False, markup=False, soft_wrap=True)
    console.print(t("api.key_shown_once"), highlight=False, markup=False)


@key_app.command("list")
def key_list(
    include_revoked: bool = typer.Option(False, "--all", help="Also the revoked keys"),
    fmt: Format = typer.Option(Format.table, "--format", help="table, csv or json"),
) -> None:
    """List the organization's API keys (owner): name, prefix, scope, made, last used, revoked."""
    ctx = context()
    from gvia.services import apikeys

    found = apikeys.list_keys(ctx, include_revoked=include_revoked)
    data = [{"id": k.id, "name": k.name, "prefix": k.prefix, "scope": k.scope, "created_by": k.created_by,
             "created_at": k.created_at.isoformat(),
             "last_used_at": k.last_used_at.isoformat() if k.last_used_at else None,
             "revoked_at": k.revoked_at.isoformat() if k.revoked_at else None} for k in found]
    rows = [[k.id, k.name, k.prefix, t(f"api.scope.{k.scope}"), value_text(k.created_at),
             value_text(k.last_used_at) if k.last_used_at else "", value_text(k.revoked_at) if k.revoked_at else ""]
            for k in found]
    print_rows(["id", "name", "prefix", "scope", "created", "last_used", "revoked"], rows, fmt, json_data=data)


@key_app.command("revoke")
def key_revoke(key: str = typer.Argument(..., help="The key's prefix (or its id, or the key itself)")) -> None:
    """Revoke an API key: it stops working at once (owner; audited)."""
    ctx = context()
    from gvia.services import apikeys

    row = apikeys.revoke_key(ctx, key)
    console.print(t("api.key_revoked", name=row.name, prefix=row.prefix), highlight=False, markup=False)

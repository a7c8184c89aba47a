"""gateway set, gateway show, gateway log: the organization's payment gateway (issue 16).

``gvia gateway set NAME FIELD=VALUE …`` stores the gateway's credentials (the secret ones sealed;
an empty value clears a field) and makes it the gateway in use; ``gvia gateway show`` lists each
stored gateway, its fields (secrets masked) and the address to give the gateway for its
notifications; ``gvia gateway log`` lists the latest notifications received and what became of
each (recorded, already recorded, forged, too old, not a payment, refused). The services are
:mod:`gvia.services.gateways.accounts` and :mod:`~gvia.services.gateways.notify`.
"""

from __future__ import annotations

import typer

from .app import app
from .output import Format, console, print_json, print_rows
from .state import context
from .words import t

gateway_app = typer.Typer(help="The payment gateway: set NAME FIELD=VALUE…, show, log.", no_args_is_help=True)
app.add_typer(gateway_app, name="gateway")


@gateway_app.command("set")
def gateway_set(name: str = typer.Argument(..., help="grow | stripe"),
                pairs: list[str] = typer.Argument(None, help="FIELD=VALUE, e.g. user_id=… page_code=…")) -> None:
    """Store the gateway's credentials and make it the one in use."""
    ctx = context()
    from gvia.core.errors import FieldProblem, ValidationFailed
    from gvia.services.gateways import accounts

    values, problems = {}, []
    for pair in pairs or []:
        field, sep, value = pair.partition("=")
        if not sep or not field.strip():
            problems.append(FieldProblem(None, "FIELD=VALUE", pair, "write FIELD=VALUE", code="gateway_pair"))
        else:
            values[field.strip()] = value
    if problems:
        raise ValidationFailed(problems)
    accounts.set_account(ctx, name, values)
    console.print(t("gateway.saved", gateway=name), highlight=False, markup=False)
    _show(ctx, Format.table)


@gateway_app.command("show")
def gateway_show(fmt: Format = typer.Option(Format.table, "--format")) -> None:
    """Each stored gateway: in use or not, its fields (secrets masked), its notification address."""
    _show(context(), fmt)


@gateway_app.command("log")
def gateway_log(limit: int = typer.Option(50, "--limit", min=1, max=1000),
                fmt: Format = typer.Option(Format.table, "--format")) -> None:
    """The latest notifications from the gateways and what became of each."""
    ctx = context()
    from gvia.services.clock import to_local
    from gvia.services.gateways import notify

    rows = notify.recent(ctx, limit)
    if fmt == Format.json:
        print_json([{**r, "received_at": r["received_at"].isoformat()} for r in rows])
        return
    if not rows:
        console.print(t("gateway.log_empty"), highlight=False, markup=False)
        return
    table = [[to_local(ctx.org, r["received_at"]).strftime("%Y-%m-%d %H:%M"), r["gateway"],
              t(f"gateway.outcome.{r['outcome']}"), r["transaction_id"]] for r in rows]
    print_rows(["time", "gateway", "outcome", "transaction"], table, fmt, title=t("gateway.log_title"))


def _show(ctx, fmt: Format) -> None:
    from gvia.services.gateways import accounts

    rows = accounts.show(ctx)
    if fmt == Format.json:
        print_json(rows)
        return
    if not rows:
        console.print(t("gateway.none"), highlight=False, markup=False)
        return
    table = [[r["gateway"], f["field"], f["value"], t(f"gateway.source.{f['source']}") if f["source"] else ""]
             for r in rows for f in r["fields"]]
    print_rows(["gateway", "field", "value", "source"], table, fmt, title=t("gateway.title"))
    if fmt == Format.table:
        for r in rows:
            state = t("gateway.in_use") if r["active"] else t("gateway.not_in_use")
            if not r["complete"]:
                state += "; " + t("gateway.incomplete")
            console.print(t("gateway.state", gateway=r["gateway"], state=state, url=r["notify_url"]),
                          highlight=False, markup=False)

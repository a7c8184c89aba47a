"""webhook add, list, remove, log, retry: other programs told of what happens (issue 18).

``gvia webhook add URL [--events KIND,KIND]`` adds an address to POST events to and prints its
signing secret once; ``list`` shows the addresses and their deliveries' counts; ``remove ID`` stops
sending to one; ``log`` lists the latest deliveries (event, address, where it stands, tries, the
last answer); ``retry ID`` tries a given-up delivery again. The services are
:mod:`gvia.services.webhooks.endpoints`; the worker delivers (:mod:`gvia.services.webhooks.delivery`).
"""

from __future__ import annotations

import typer

from .app import app
from .output import Format, console, print_json, print_rows
from .state import context
from .words import t

webhook_app = typer.Typer(help="Webhooks: add URL, list, remove ID, log, retry ID.", no_args_is_help=True)
app.add_typer(webhook_app, name="webhook")


@webhook_app.command("add")
def webhook_add(url: str = typer.Argument(..., help="https://… (http:// only to this machine)"),
                events: str = typer.Option("", "--events",
                                           help="Comma-separated kinds (payment.promised, dispute.opened, "
                                                "stage.changed, message.failed, payment.matched); none: all")) -> None:
    """Add an address to POST events to; its signing secret is shown this once."""
    from gvia.services.webhooks import endpoints

    endpoint, secret = endpoints.add_endpoint(context(), url, events.split(",") if events else [])
    console.print(t("webhook.added", id=endpoint.id, url=endpoint.url), highlight=False, markup=False)
    console.print(t("webhook.secret_once"), highlight=False, markup=False)
    console.print(secret, highlight=False, markup=False)


@webhook_app.command("list")
def webhook_list(fmt: Format = typer.Option(Format.table, "--format")) -> None:
    """The addresses, the events each wants, and their deliveries."""
    from gvia.services.webhooks import endpoints

    rows = endpoints.list_endpoints(context())
    if fmt == Format.json:
        print_json([{**r, "created_at": r["created_at"].isoformat()} for r in rows])
        return
    if not rows:
        console.print(t("webhook.none"), highlight=False, markup=False)
        return
    table = [[str(r["id"]), r["url"], ", ".join(r["events"]), t("webhook.active" if r["active"] else "webhook.removed"),
              str(r["pending"]), str(r["delivered"]), str(r["failed"])] for r in rows]
    print_rows(["id", "url", "events", "status", "pending", "delivered", "failed"], table, fmt,
               title=t("webhook.title"))


@webhook_app.command("remove")
def webhook_remove(endpoint_id: int = typer.Argument(...)) -> None:
    """Stop sending to an address (its log stays)."""
    from gvia.services.webhooks import endpoints

    endpoint = endpoints.remove_endpoint(context(), endpoint_id)
    console.print(t("webhook.removed_one", id=endpoint.id, url=endpoint.url), highlight=False, markup=False)


@webhook_app.command("log")
def webhook_log(limit: int = typer.Option(50, "--limit", min=1, max=1000),
                fmt: Format = typer.Option(Format.table, "--format")) -> None:
    """The latest deliveries, newest first."""
    ctx = context()
    from gvia.services.clock import to_local
    from gvia.services.webhooks import endpoints

    rows = endpoints.delivery_log(ctx, limit)
    if fmt == Format.json:
        print_json([{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()} for r in rows])
        return
    if not rows:
        console.print(t("webhook.log_empty"), highlight=False, markup=False)
        return
    table = [[str(r["id"]), to_local(ctx.org, r["created_at"]).strftime("%Y-%m-%d %H:%M"), r["event"], r["endpoint"],
              t(f"webhook.status.{r['status']}"), str(r["attempts"]),
              str(r["last_status"] or "") or (t(f"webhook.error.{r['last_error']}") if r["last_error"] else "")]
             for r in rows]
    print_rows(["id", "time", "event", "url", "status", "attempts", "answer"], table, fmt,
               title=t("webhook.log_title"))


@webhook_app.command("retry")
def webhook_retry(delivery_id: int = typer.Argument(...)) -> None:
    """Try a given-up delivery again now."""
    from gvia.services.webhooks import endpoints

    d = endpoints.retry(context(), delivery_id)
    console.print(t("webhook.retrying", id=d.id), highlight=False, markup=False)

"""sync set, sync show, sync morning, sync icount: the invoicing service the business keeps its
documents in (issue 18).

``gvia sync set morning api_key_id=… api_key_secret=…`` stores the credentials (the secret ones
sealed); ``gvia sync show`` lists each account (secrets masked) and where its sync stands;
``gvia sync morning --once`` (or ``gvia sync icount --once``) reads the service's documents now
and writes them as one import, and without ``--once`` keeps doing it every ``sync.every_minutes``
until stopped (the worker does the same on its own: ``gvia worker``). The service is :mod:`gvia.services.ledger.sync`.
"""

from __future__ import annotations

import time

import typer

from .app import app
from .output import Format, console, print_json, print_rows
from .state import context
from .words import t, tn

sync_app = typer.Typer(help="Sync with an invoicing service: set PROVIDER FIELD=VALUE…, show, morning|icount [--once].",
                       no_args_is_help=True)
app.add_typer(sync_app, name="sync")


@sync_app.command("set")
def sync_set(provider: str = typer.Argument(..., help="morning | icount"),
             pairs: list[str] = typer.Argument(None, help="FIELD=VALUE: morning api_key_id=… api_key_secret=…; "
                                                          "icount cid=… user=… pass=…; [api_base=…]")
             ) -> None:
    """Store the service's credentials and switch its sync on."""
    ctx = context()
    from gvia.core.errors import FieldProblem, ValidationFailed
    from gvia.services.ledger import sync

    values, problems = {}, []
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            problems.append(FieldProblem(None, "FIELD=VALUE", pair, "write FIELD=VALUE", code="gateway_pair"))
        else:
            values[name.strip()] = value
    if problems:
        raise ValidationFailed(problems)
    sync.set_account(ctx, provider, values)
    console.print(t("sync.saved", provider=provider), highlight=False, markup=False)
    _show(ctx, Format.table)


@sync_app.command("show")
def sync_show(fmt: Format = typer.Option(Format.table, "--format")) -> None:
    """Each invoicing service set: its fields (secrets masked) and its last sync."""
    _show(context(), fmt)


@sync_app.command("morning")
def sync_morning(once: bool = typer.Option(False, "--once", help="Sync once and stop")) -> None:
    """Read Morning's documents and write them as one import (again every sync.every_minutes without --once)."""
    _run("morning", once)


@sync_app.command("icount")
def sync_icount(once: bool = typer.Option(False, "--once", help="Sync once and stop")) -> None:
    """Read iCount's documents and write them as one import (again every sync.every_minutes without --once)."""
    _run("icount", once)


def _run(provider: str, once: bool) -> None:
    ctx = context()
    from gvia.services import settings
    from gvia.services.ledger import sync

    while True:
        report = sync.sync(ctx, provider)
        console.print(t("sync.done", provider=provider, documents=tn("sync.count.documents", report.documents),
                        invoices=tn("sync.count.invoices", report.invoices),
                        payments=tn("sync.count.payments", report.payments), since=report.since, until=report.until),
                      highlight=False, markup=False)
        if once:
            return
        time.sleep(60 * int(settings.value(ctx.org, "sync.every_minutes")))


def _show(ctx, fmt: Format) -> None:
    from gvia.services.clock import to_local
    from gvia.services.ledger import sync

    rows = sync.show(ctx)
    if fmt == Format.json:
        print_json([{**r, **{k: (r[k].isoformat() if r[k] else None)
                             for k in ("read_through", "last_attempt_at", "last_success_at")}} for r in rows])
        return
    if not rows:
        console.print(t("sync.none"), highlight=False, markup=False)
        return
    table = [[r["provider"], f["field"], f["value"], t(f"sync.source.{f['source']}") if f["source"] else ""]
             for r in rows for f in r["fields"]]
    print_rows(["provider", "field", "value", "source"], table, fmt, title=t("sync.title"))
    for r in rows:
        when = to_local(ctx.org, r["last_success_at"]).strftime("%Y-%m-%d %H:%M") if r["last_success_at"] else "—"
        console.print(t("sync.state", provider=r["provider"], when=when), highlight=False, markup=False)
        if r["last_error"]:
            console.print(t("sync.failed_last", reason=t(f"sync.error.{r['last_error']}")), highlight=False,
                          markup=False)
        if r["stale"]:
            console.print(t("sync.stale"), highlight=False, markup=False)

"""init, serve, backup, restore.

Services, the store and Django are imported inside each command: they need django.setup(),
which :func:`gvia.cli.state.context` does first, and `gvia --help` starts without them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from .app import app
from .output import console
from .state import GLOBALS
from .webserver import DEFAULT_THREADS
from .words import t


@app.command()
def init(
    org: Optional[str] = typer.Option(None, "--org", "--name", help="Name of the business"),
    country: Optional[str] = typer.Option(None, help="Country code: IL, GB, US, DE, ..."),
    currency: Optional[str] = typer.Option(None, help="Default currency (ISO code)"),
    language: Optional[str] = typer.Option(None, help="Default language: he or en"),
    tax_id: str = typer.Option("", "--tax-id", help="Company number"),
    admin_email: Optional[str] = typer.Option(None, "--admin-email"),
    admin_password: Optional[str] = typer.Option(None, "--admin-password"),
    address: str = typer.Option("", "--address", help="Postal address (\\n between lines)"),
    phone: str = typer.Option("", "--phone", help="Phone number customers call"),
    email: str = typer.Option("", "--email", help="E-mail address customers write to"),
    signatory: str = typer.Option("", "--signatory", help="Who signs the letters"),
    signatory_title: str = typer.Option("", "--signatory-title", help="The signatory's title"),
    bank_details: str = typer.Option("", "--bank-details",
                                     help="How customers pay: 'Bank: …\\nBranch: …\\nAccount: …'"),
    payment_link: str = typer.Option("", "--payment-link", help="A web page where customers pay"),
    name_en: str = typer.Option("", "--name-en", help="The name English letters print"),
    address_en: str = typer.Option("", "--address-en", help="The address English letters print"),
    signatory_en: str = typer.Option("", "--signatory-en", help="Who signs English letters"),
    signatory_title_en: str = typer.Option("", "--signatory-title-en", help="The signatory's title in English"),
) -> None:
    """Create an organization and its first owner (asks for what is missing on a terminal).

    The details letters print may be given here too (each as `gvia org set` checks it), or later
    with `gvia org set FIELD VALUE`."""
    from .bootstrap import setup_django

    name = org or GLOBALS.org
    interactive = sys.stdin.isatty()
    if interactive:
        name = name or typer.prompt(t("init.prompt_name"))
        country = country or typer.prompt(t("init.prompt_country"), default="IL")
        admin_email = admin_email or typer.prompt(t("init.prompt_email"))
        admin_password = admin_password or typer.prompt(t("init.prompt_password"), hide_input=True,
                                                        confirmation_prompt=True)
    if not (name and admin_email and admin_password):
        missing = [flag for flag, v in (("--org", name), ("--admin-email", admin_email),
                                        ("--admin-password", admin_password)) if not v]
        raise typer.BadParameter(t("init.missing", flags=", ".join(missing)))
    setup_django(GLOBALS.db)
    from gvia.services.org.organizations import init_organization

    details = {"tax_id": tax_id, "address": address, "phone": phone, "email": email, "signatory_name": signatory,
               "signatory_title": signatory_title, "bank_details": bank_details, "payment_link": payment_link,
               "name_en": name_en, "address_en": address_en, "signatory_name_en": signatory_en,
               "signatory_title_en": signatory_title_en}
    created = init_organization(name, country=country or "IL", currency=currency, language=language,
                                admin_email=admin_email, admin_password=admin_password,
                                **{k: v for k, v in details.items() if v})
    console.print(t("init.created", name=f"[bold]{created.name}[/]", slug=created.slug, country=created.country,
                    currency=created.default_currency, email=admin_email))


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on"),
    port: int = typer.Option(8000, help="Port"),
    workers: Optional[int] = typer.Option(None, "--workers", min=1,
                                          help="Server processes (default: one per core, and one more)"),
    threads: int = typer.Option(DEFAULT_THREADS, "--threads", min=1,
                                help="Requests each server process answers at once"),
    worker: bool = typer.Option(False, "--worker",
                                help="Also run the worker (daily run and sending) beside the server"),
) -> None:
    """Serve the web application with several processes (with --worker: and the worker, stopped together).

    Ctrl+C or SIGTERM stops the server processes (requests in hand are finished) and the worker."""
    import os
    import subprocess

    from .bootstrap import setup_django
    from .webserver import default_workers, run_server

    setup_django(GLOBALS.db)
    processes = workers or default_workers()

    proc = None
    if worker:
        args = [sys.executable, "-m", "gvia", "worker"]
        if GLOBALS.db:
            args += ["--db", GLOBALS.db]
        proc = subprocess.Popen(args, env=dict(os.environ))
        from django.conf import settings

        console.print(t("serve.worker", pid=proc.pid, folder=settings.MAIL_CATCHER_DIR), highlight=False)
    console.print(t("serve.serving", url=f"http://{host}:{port}/", processes=processes, threads=threads),
                  highlight=False)
    master = os.getpid()
    try:
        run_server(host, port, processes, threads)
    finally:
        # a forked server process leaves through here too: only the master stops the worker
        if os.getpid() == master and proc is not None and proc.poll() is None:
            proc.terminate()   # SIGTERM: the worker finishes the message in hand, then exits
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@app.command()
def backup(
    file: Path = typer.Argument(..., help="Where to write the backup (a new file)"),
    force: bool = typer.Option(False, "--force", help="Replace FILE if it exists (never the live database)"),
) -> None:
    """Copy the SQLite database to FILE while it is in use (for PostgreSQL use pg_dump)."""
    from .bootstrap import setup_django

    setup_django(GLOBALS.db)
    from gvia.services.org.backup import backup_sqlite

    pages = backup_sqlite(file, force=force)
    console.print(t("backup.done", path=file, pages=pages))


@app.command()
def restore(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A backup made by `gvia backup`"),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation (needed when not on a terminal)"),
) -> None:
    """Replace the SQLite database with a backup (refused while a worker or `gvia serve` uses it).
    Messages the outbox journal shows as sent after the backup's moment are marked sent, never
    sent again."""
    from gvia.core.errors import Refused

    from .bootstrap import setup_django

    if not yes:
        if not sys.stdin.isatty():
            raise Refused(t("restore.no_terminal"))
        typer.confirm(t("restore.confirm"), abort=True)
    setup_django(GLOBALS.db, migrate=False)
    from gvia.services.org.backup import restore_sqlite

    restored = restore_sqlite(file)
    console.print(t("restore.done", path=file))
    rec = restored.reconciled
    if rec.changed:
        console.print(t("restore.reconciled", sent=len(rec.marked_sent), uncertain=len(rec.marked_uncertain)),
                      highlight=False)


@app.command()
def demo(
    customers: int = typer.Option(200, help="How many customers the demo business has"),
    language: str = typer.Option("he", "--lang", help="he (an Israeli business) or en (a UK business)"),
    seed: int = typer.Option(1, help="Same seed, same business"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="The demo's today (default: today)"),
) -> None:
    """Create the demo business (once) and print how to log in."""
    from .bootstrap import setup_django
    from .parsing import date_option
    from .progress import progress_bar

    setup_django(GLOBALS.db)
    from gvia.services.org.demo import load_demo

    with progress_bar() as prog:
        result = load_demo(customers=customers, language=language, seed=seed,
                           as_of=date_option(as_of, "--as-of"), progress=prog)
    if result.created:
        console.print(t("demo.created", name=f"[bold]{result.org.name}[/]", customers=result.customers,
                        invoices=result.invoices, payments=result.payments), highlight=False)
        if result.run is not None:
            counts = result.run.counts
            approval = counts.get("messages_awaiting_approval", 0)
            console.print(t("demo.ran", messages=approval + counts.get("messages_queued", 0), approval=approval,
                            calls=counts.get("call_tasks", 0)), highlight=False)
    else:
        console.print(t("demo.exists", name=f"[bold]{result.org.name}[/]"), highlight=False)
    console.print(t("demo.login", login=f"[bold]{result.login}[/]", password=f"[bold]{result.password}[/]"),
                  highlight=False)

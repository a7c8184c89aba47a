"""mailbox set|show|check|poll|unmatched|assign|dismiss|address-works, suggestions list|confirm|dismiss (issue 16).

``gvia mailbox set --host … --user … --password …`` stores the reply mailbox (the password
sealed); ``gvia mailbox poll --once`` reads it now (the worker polls every
``mailbox.poll_minutes``); messages from nobody known are listed by ``gvia mailbox unmatched``
and given to a customer by ``gvia mailbox assign ID CUSTOMER_REF``. ``gvia suggestions`` lists
the promises read in what customers wrote; ``confirm`` makes one (``--amount``/``--date``
correct it). Services: :mod:`gvia.services.mailbox`, :mod:`gvia.services.arrangements.suggestions`.
"""

from __future__ import annotations

import time

import typer

from .app import app
from .output import Format, console, print_json, print_rows
from .parsing import date_option, now_option
from .state import context
from .words import t

mailbox_app = typer.Typer(help="The reply mailbox (IMAP): set, show, check, poll, unmatched, assign, dismiss.",
                          no_args_is_help=True)
app.add_typer(mailbox_app, name="mailbox")
suggestions_app = typer.Typer(help="Promises read in customers' replies: list, confirm, dismiss.",
                              no_args_is_help=True)
app.add_typer(suggestions_app, name="suggestions")


def _say(key: str, **values: object) -> None:
    console.print(t(key, **values), highlight=False, markup=False)


@mailbox_app.command("set")
def mailbox_set(host: str = typer.Option(None, "--host", help="IMAP server (empty: stop reading replies)"),
                port: str = typer.Option(None, "--port", help="default 993 for ssl, 143 otherwise"),
                user: str = typer.Option(None, "--user"),
                password: str = typer.Option(None, "--password", help="stored sealed"),
                folder: str = typer.Option(None, "--folder", help="default INBOX"),
                security: str = typer.Option(None, "--security", help="ssl | starttls | none"),
                poll_minutes: str = typer.Option(None, "--poll-minutes")) -> None:
    """Set the reply mailbox (only the options given change; all or nothing)."""
    ctx = context()
    from gvia.services.mailbox.reading import set_mailbox

    given = {"host": host, "port": port, "user": user, "password": password, "folder": folder,
             "security": security, "poll_minutes": poll_minutes}
    set_mailbox(ctx, {k: v for k, v in given.items() if v is not None})
    _say("mailbox.saved")
    _show(ctx, Format.table)


@mailbox_app.command("show")
def mailbox_show(fmt: Format = typer.Option(Format.table, "--format")) -> None:
    """The reply mailbox's settings (the password masked) and its last poll."""
    _show(context(), fmt)


def _show(ctx, fmt: Format) -> None:
    from gvia.services import settings
    from gvia.services.mailbox.reading import state_of

    rows = [r for r in settings.show(ctx) if r["key"].startswith("mailbox.")]
    state = state_of(ctx.org)
    data = {"settings": rows, "polled_at": state.polled_at.isoformat() if state.polled_at else None,
            "last_uid": state.last_uid, "error": state.error_code}
    if fmt == Format.json:
        print_json(data)
        return
    print_rows(["key", "value", "source"], [[r["key"], r["value"], t(f"mailbox.source.{r['source']}")]
                                           for r in rows], fmt, title=t("mailbox.title"))
    if state.polled_at:
        _say("mailbox.polled_at", at=state.polled_at.isoformat(timespec="minutes"))
    if state.error_code:
        _say(f"mailbox.error.{state.error_code}")


@mailbox_app.command("check")
def mailbox_check() -> None:
    """Log in and open the folder."""
    ctx = context()
    from gvia.services.mailbox.reading import check_mailbox

    _say("mailbox.check_ok", count=check_mailbox(ctx))


@mailbox_app.command("poll")
def mailbox_poll(once: bool = typer.Option(False, "--once", help="read once and stop (else every poll_minutes)"),
                 fmt: Format = typer.Option(Format.table, "--format"),
                 now: str = typer.Option(None, "--now", help="read as of this moment (tests, replays)")) -> None:
    """Read the reply mailbox now: each new message placed on its case once."""
    ctx = context()
    from gvia.services import settings
    from gvia.services.mailbox.reading import poll

    while True:
        report = poll(ctx, now_option(ctx, now) if now else None)
        if fmt == Format.json:
            print_json({"read": report.read, "placed": report.placed, "unmatched": report.unmatched,
                        "skipped": report.skipped, "error": report.error})
        elif report.error:
            _say(f"mailbox.error.{report.error}")
        else:
            kinds = ", ".join(f"{t('mailbox.kind.' + k)} {n}" for k, n in sorted(report.placed.items()))
            _say("mailbox.polled", read=report.read, kinds=kinds or "—", unmatched=report.unmatched,
                 skipped=report.skipped)
        if once:
            if report.error:
                raise typer.Exit(1)
            return
        time.sleep(60 * settings.value(ctx.org, "mailbox.poll_minutes"))


@mailbox_app.command("unmatched")
def mailbox_unmatched(fmt: Format = typer.Option(Format.table, "--format")) -> None:
    """Messages from nobody known, waiting to be assigned to a customer."""
    ctx = context()
    from gvia.services.mailbox.unmatched import unmatched

    rows = [[m.id, m.read_at.date().isoformat(), t(f"mailbox.kind.{m.kind}"), m.from_addr, m.subject,
             m.text[:80]] for m in unmatched(ctx)]
    if not rows and fmt == Format.table:
        _say("mailbox.none_unmatched")
        return
    print_rows(["id", "date", "kind", "who", "subject", "text"], rows, fmt, title=t("mailbox.unmatched_title"))


@mailbox_app.command("assign")
def mailbox_assign(message_id: int = typer.Argument(...), customer_ref: str = typer.Argument(...),
                   now: str = typer.Option(None, "--now", help="act as of this moment (tests, replays)")) -> None:
    """Give an unmatched message to a customer (a reply then pauses their case)."""
    ctx = context()
    from gvia.services.mailbox.unmatched import assign

    row = assign(ctx, message_id, customer_ref, now=now_option(ctx, now))
    _say("mailbox.assigned", message=row.id, customer=customer_ref)


@mailbox_app.command("dismiss")
def mailbox_dismiss(message_id: int = typer.Argument(...)) -> None:
    """Set an unmatched message aside."""
    ctx = context()
    from gvia.services.mailbox.unmatched import dismiss

    dismiss(ctx, message_id)
    _say("mailbox.dismissed", message=message_id)


@mailbox_app.command("address-works")
def mailbox_address_works(address: str = typer.Argument(..., help="an address a bounce marked failing")) -> None:
    """Mail to ADDRESS works again: messages go to it again."""
    ctx = context()
    from gvia.services.mailbox.placing import address_works

    _say("mailbox.address_works" if address_works(ctx, address) else "mailbox.address_not_failing", address=address)


@suggestions_app.command("list")
def suggestions_list(fmt: Format = typer.Option(Format.table, "--format")) -> None:
    """Promises read in what customers wrote, waiting for a person."""
    ctx = context()
    from gvia.services.arrangements.suggestions import amount_of, pending

    rows = []
    for s in pending(ctx):
        money = amount_of(s)
        rows.append([s.id, s.customer.ref, t(f"suggestion.source.{s.source}"), s.message_date.isoformat(),
                     s.due.isoformat() if s.due else "", str(money) if money else "", s.sentence])
    if not rows and fmt == Format.table:
        _say("suggestion.none")
        return
    print_rows(["id", "customer", "source", "date", "due", "amount", "text"], rows, fmt,
               title=t("suggestion.title"))


@suggestions_app.command("confirm")
def suggestions_confirm(suggestion_id: int = typer.Argument(...),
                        amount: str = typer.Option(None, "--amount", help="instead of the amount read"),
                        due: str = typer.Option(None, "--date", help="YYYY-MM-DD, instead of the date read"),
                        replace: bool = typer.Option(False, "--replace", help="replace an open promise"),
                        now: str = typer.Option(None, "--now", help="act as of this moment (tests, replays)")) -> None:
    """Make the suggested promise (through the promise service: its checks, its pause)."""
    ctx = context()
    from gvia.services.arrangements.suggestions import confirm

    promise = confirm(ctx, suggestion_id, amount=amount, due=date_option(due, "--date"),
                      now=now_option(ctx, now), replace_open=replace)
    _say("suggestion.confirmed", promise=promise.id, due=promise.due.isoformat())


@suggestions_app.command("dismiss")
def suggestions_dismiss(suggestion_id: int = typer.Argument(...)) -> None:
    """Set a suggested promise aside."""
    ctx = context()
    from gvia.services.arrangements.suggestions import dismiss

    dismiss(ctx, suggestion_id)
    _say("suggestion.dismissed", suggestion=suggestion_id)

"""sms set, sms show, sms opt-out, sms opt-in: SMS and WhatsApp (issue 16).

``gvia sms set PROVIDER FIELD=VALUE …`` (019, twilio, whatsapp) stores the provider's settings
(the secret ones sealed) and, for an SMS provider, makes it the one that sends SMS; ``gvia sms
show`` lists them (secrets masked) with the address to give the provider for its callbacks;
``gvia sms test PHONE [--whatsapp]`` sends a test text; ``gvia sms opt-out PHONE`` records that a
number gets no more texts, ``gvia sms opt-in PHONE`` lifts it. The service is :mod:`gvia.services.sending.texts`.
"""

from __future__ import annotations

import typer

from .app import app
from .output import Format, console, print_json, print_rows
from .state import context
from .words import t

sms_app = typer.Typer(help="SMS and WhatsApp: set PROVIDER FIELD=VALUE…, show, test PHONE, opt-out PHONE, "
                           "opt-in PHONE.", no_args_is_help=True)
app.add_typer(sms_app, name="sms")


@sms_app.command("set")
def sms_set(provider: str = typer.Argument(..., help="019 | twilio | whatsapp"),
            pairs: list[str] = typer.Argument(None, help="FIELD=VALUE, e.g. username=… token=… source=…")) -> None:
    """Store the provider's settings (an SMS provider becomes the one that sends SMS)."""
    ctx = context()
    from gvia.core.errors import FieldProblem, ValidationFailed
    from gvia.services.sending import texts

    values, problems = {}, []
    for pair in pairs or []:
        field, sep, value = pair.partition("=")
        if not sep or not field.strip():
            problems.append(FieldProblem(None, "FIELD=VALUE", pair, "write FIELD=VALUE", code="text_pair"))
        else:
            values[field.strip()] = value
    if problems:
        raise ValidationFailed(problems)
    texts.set_provider(ctx, provider, values)
    console.print(t("sms.saved", provider=provider), highlight=False, markup=False)
    _show(ctx, Format.table)


@sms_app.command("show")
def sms_show(fmt: Format = typer.Option(Format.table, "--format")) -> None:
    """Each provider: in use or not, its settings (secrets masked), its callback address."""
    _show(context(), fmt)


@sms_app.command("test")
def sms_test(phone: str = typer.Argument(..., help="a mobile number to send a test text to"),
             whatsapp: bool = typer.Option(False, "--whatsapp", help="through WhatsApp (the approved template)"),
             ) -> None:
    """Send a short test text the way the outbox's texts go."""
    ctx = context()
    from gvia.services.sending import texts

    got = texts.send_test(ctx, phone, "whatsapp" if whatsapp else "sms")
    console.print(t("sms.test_sent", phone=phone, id=got or "-"), highlight=False, markup=False)


@sms_app.command("opt-out")
def sms_opt_out(phone: str = typer.Argument(..., help="the mobile number, e.g. 052-765-4321")) -> None:
    """Record that this number gets no more SMS or WhatsApp."""
    ctx = context()
    from gvia.services.sending import texts

    number = texts.opt_out(ctx, phone)
    console.print(t("sms.opted_out", phone=number), highlight=False, markup=False)


@sms_app.command("opt-in")
def sms_opt_in(phone: str = typer.Argument(..., help="the mobile number")) -> None:
    """Lift an opt-out: the customer asked for texts again."""
    ctx = context()
    from gvia.services.sending import texts

    number = texts.opt_in(ctx, phone)
    console.print(t("sms.opted_in", phone=number), highlight=False, markup=False)


def _show(ctx, fmt: Format) -> None:
    from gvia.services.sending import texts

    rows = texts.show(ctx)
    if fmt == Format.json:
        print_json(rows)
        return
    table = [[r["provider"], f["key"], str(f["value"]), t(f"sms.source.{f['source']}")]
             for r in rows for f in r["fields"]]
    print_rows(["provider", "setting", "value", "source"], table, fmt, title=t("sms.title"))
    if fmt == Format.table:
        for r in rows:
            state = t("sms.in_use") if r["active"] and r["complete"] else t("sms.not_in_use")
            console.print(t("sms.state", provider=r["provider"], state=state), highlight=False, markup=False)
            if r["hook_url"]:
                console.print(t("sms.hook", provider=r["provider"], url=r["hook_url"]), highlight=False, markup=False)

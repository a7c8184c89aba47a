"""org show, org set: the organization's details a letter prints (name, address, phone, e-mail,
signatory and title, bank details, payment link, and the English name, address and signatory for
English letters). They are the Organization's own fields, the same the web's settings page edits
(:mod:`gvia.services.org.details`); every change is checked and audited.

Services, the store and Django are imported inside each command: they need django.setup(),
which :func:`gvia.cli.state.context` does first, and `gvia --help` starts without them."""

from __future__ import annotations

import typer

from .app import app
from .output import Format, console, print_json, print_rows
from .state import context
from .words import t

org_app = typer.Typer(help="The organization's details for letters: show, set FIELD VALUE.", no_args_is_help=True)
app.add_typer(org_app, name="org")


@org_app.command("show")
def org_show(fmt: Format = typer.Option(Format.table, "--format")) -> None:
    """Every detail a letter prints, with its value."""
    ctx = context()
    from gvia.services.org import details

    rows = details.show(ctx)
    if fmt == Format.json:
        print_json({r["field"]: r["value"] for r in rows})
        return
    print_rows(["key", "value", "what"], [[r["field"], r["value"], r["what"]] for r in rows], fmt,
               title=t("org.title", name=ctx.org.name))


@org_app.command("set")
def org_set(
    field: str = typer.Argument(..., help="name, name_en, tax_id, address, address_en, phone, email, "
                                          "signatory_name, signatory_title, signatory_name_en, "
                                          "signatory_title_en, bank_details, payment_link"),
    value: str = typer.Argument(..., help="The new value ('' to empty it; \\n between an address's lines)"),
) -> None:
    """Change one detail (owner; checked: an e-mail, a web address, a phone number; audited)."""
    ctx = context()
    from gvia.services.org import members

    kept, changed = members.set_detail(ctx, field, value)
    shown = kept.replace("\n", " / ")
    key = "org.set" if changed else "org.unchanged"
    console.print(t(key, field=field, value=shown), highlight=False, markup=False)

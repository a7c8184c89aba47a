"""letter, casefile, letters batch.

Services, the store and Django are imported inside each command: they need django.setup(),
which :func:`gvia.cli.state.context` does first, and `gvia --help` starts without them.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from .app import app
from .output import console
from .state import context
from .words import refusal_text, t, value_text

letters_app = typer.Typer(help="Letters in bulk: the day's print batch.", no_args_is_help=True)
app.add_typer(letters_app, name="letters")


class Doc(str, Enum):
    courtesy = "courtesy"
    reminder = "reminder"
    second_reminder = "second_reminder"
    warning_letter = "warning_letter"
    warning_execution_office = "warning_execution_office"
    letter_of_claim = "letter_of_claim"
    debt_notice = "debt_notice"
    statement = "statement"
    payment_plan = "payment_plan"
    settlement = "settlement"


def document_language(lang: Optional[str]) -> Optional[str]:
    """--lang of a document: a language with a documents catalog (None: the customer's)."""
    from gvia import locale

    if lang is not None and lang not in locale.languages("documents"):
        raise typer.BadParameter(t("bad.document_lang", value=repr(lang),
                                   languages=", ".join(locale.languages("documents"))))
    return lang


@app.command()
def letter(
    customer_ref: Optional[str] = typer.Argument(None, help="The customer's reference"),
    document: Doc = typer.Option(..., "--document", help="Which document"),
    out: Path = typer.Option(..., "--out", help="Where to write the PDF"),
    lang: Optional[str] = typer.Option(None, "--lang", help="he, en, ar or ru (default: the customer's language; "
                                       "ar, ru: the Hebrew original and its courtesy translation)"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="The letter's date (default today)"),
    id: Optional[str] = typer.Option(None, "--id", help="payment_plan / settlement: the plan or offer id"),
    sample: bool = typer.Option(False, "--sample", help="payment_plan / settlement: a preview with sample data"),
    registered: Optional[bool] = typer.Option(
        None, "--registered/--not-registered",
        help="Print 'by registered mail with delivery confirmation' (default: on the warning letters)"),
) -> None:
    """Write one document as a PDF."""
    ctx = context()
    from gvia.documents import render, samples
    from gvia.documents.courtesy import render_for_reader
    from gvia.services.ledger import books as ledger
    from gvia.services.letters import content as letters

    from .commands_ledger import as_of_date

    day = as_of_date(ctx, as_of)
    language = document_language(lang)
    if document in (Doc.payment_plan, Doc.settlement):
        if sample or not id:
            if not sample:
                raise typer.BadParameter(t("bad.letter_id"))
            maker = samples.sample_plan if document == Doc.payment_plan else samples.sample_settlement
            pdf = render(maker(language or ctx.org.default_language))
        else:
            pdf = letters.arrangement_pdf(ctx, document.value, id, language)
    else:
        if not customer_ref:
            raise typer.BadParameter(t("bad.letter_customer"))
        customer = ledger.get_customer(ctx, customer_ref)
        # a reader of Arabic or Russian: the Hebrew original, then its courtesy translation
        reader = language or customer.language or ctx.org.default_language
        if document == Doc.statement:
            pdf = render_for_reader(lambda lng: letters.statement_context(ctx, customer, day, lng), reader,
                                    ctx.org.default_language)
        else:
            from gvia.core.errors import GviaError, ValidationFailed
            from gvia.services.org.details import explained

            notes: list[GviaError] = []
            try:
                pdf = render_for_reader(lambda lng: letters.letter_context(
                    ctx, customer, document.value, day, language=lng, registered=registered, notes=notes),
                    reader, ctx.org.default_language)
            except ValidationFailed as exc:    # each missing detail named with the setting that fills it
                raise explained(exc) from None
            for note in notes:     # interest left out (a missing rate): the letter goes without it
                console.print(t("letter.interest_left_out", why=refusal_text(note)), highlight=False, markup=False)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(pdf)
    console.print(t("wrote", path=out, size=f"{len(pdf):,}"), highlight=False)


@app.command()
def casefile(
    customer_ref: str = typer.Argument(..., help="The customer's reference"),
    out: Path = typer.Option(..., "--out", help="Where to write the PDF"),
    lang: Optional[str] = typer.Option(None, "--lang", help="he or en (default: the customer's language)"),
    as_of: Optional[str] = typer.Option(None, "--as-of"),
) -> None:
    """The case file for a lawyer: cover and checklist, statement, invoices, letters, calls, documents."""
    ctx = context()
    from gvia.services.letters import casefile as service

    from .commands_ledger import as_of_date

    pdf = service.build(ctx, customer_ref, as_of_date(ctx, as_of), document_language(lang))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(pdf)
    console.print(t("wrote", path=out, size=f"{len(pdf):,}"), highlight=False)


@letters_app.command("batch")
def letters_batch(
    out: Path = typer.Option(..., "--out", help="A folder for the PDFs"),
    as_of: Optional[str] = typer.Option(None, "--as-of"),
    processes: Optional[int] = typer.Option(None, "--processes", help="Default: all cores"),
    duplex: bool = typer.Option(False, "--duplex", help="Printing on both sides: each letter starts a new sheet"),
) -> None:
    """Print the day's paper letters: render the due ones (one PDF each, kept as proof), add those
    already produced, and lay them all out in one print batch for window envelopes, with a posting list."""
    ctx = context()
    from gvia.services.letters import print_batch

    from .commands_ledger import as_of_date
    from .progress import progress_bar

    with progress_bar() as prog:
        result = print_batch.render_due(ctx, as_of_date(ctx, as_of), out, processes=processes, progress=prog,
                                        duplex=duplex)
    console.print(t("batch.letters", n=result.letters, folder=out)
                  + (t("batch.file", path=result.batch_path) if result.batch_path else ""), highlight=False)
    if result.cancelled or result.waiting or result.failed:
        console.print(t("batch.others", cancelled=result.cancelled, waiting=result.waiting, failed=result.failed),
                      highlight=False)
    for problem in result.problems:
        console.print(f"  {value_text(problem)}", highlight=False, markup=False)

"""`gvia import statement FILE [--bank NAME]` and `gvia matches list|confirm|reject|undo|assign` (issue 18).

The service (:mod:`gvia.services.ledger.statements`) returns codes and values; they are worded here
from the cli catalog: a match's reasons ``match.reason.<code>``, its kind ``match.kind.<kind>``,
amounts and dates as the reader writes them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import List, Optional

import typer

from .app import app
from .output import Format, console, print_json, print_rows
from .state import context
from .words import t, value_text

matches_app = typer.Typer(help="Bank lines matched to invoices: the suggestions waiting for a person.",
                          no_args_is_help=True)
app.add_typer(matches_app, name="matches")

_AMOUNT = re.compile(r"^(-?\d+(?:\.\d+)?) ([A-Z]{3})$")


def _value(v: object) -> object:
    """A reason's value as the reader reads it (an amount "12.50 ILS" as an amount)."""
    from gvia.core.money import Money

    m = _AMOUNT.match(str(v))
    return Money.of(m.group(1), m.group(2)) if m else v


def reason_text(reason: dict) -> str:
    params = reason.get("params", {})
    return t(f"match.reason.{reason['code']}", **{k: value_text(_value(v)) for k, v in params.items()})


def import_statement(file: Path, bank: Optional[str], columns: dict[str, str], date_format: Optional[str],
                     account: str, decimal_comma: bool, dry_run: bool, fmt: Format) -> None:
    ctx = context()
    from gvia.services.ledger.statements import import_statement as service

    report = service(ctx, file, bank=bank, columns=columns or None, date_format=date_format, account=account,
                     decimal_comma=decimal_comma, dry_run=dry_run)
    if fmt == Format.json:
        print_json(report.as_dict())
        return
    console.print(t("statement.dry_run" if dry_run else "statement.done", file=report.file, lines=report.lines,
                    new=report.new, known=report.known, applied=report.applied, linked=report.linked,
                    suggested=report.suggested, unmatched=report.unmatched), highlight=False, markup=False)


def _rows(rows: list[dict]) -> list[list]:
    return [[r["id"] or "", r["line"], value_text(r["date"]), value_text(r["amount"]), r["payer"] or r["text"],
             r["customer"], ", ".join(n for n, _a in r["invoices"]), t(f"match.kind.{r['kind']}") if r["kind"] else "",
             r["confidence"], "; ".join(reason_text(x) for x in r["reasons"])] for r in rows]


@matches_app.command("list")
def list_(
    status: str = typer.Option("suggested", "--status", help="suggested | applied | rejected | undone | waiting"),
    fmt: Format = typer.Option(Format.table, "--format"),
) -> None:
    """The matches waiting for a person (or those applied, rejected, undone; `waiting`: lines without any)."""
    ctx = context()
    from gvia.services.ledger.statements import list_matches

    rows = list_matches(ctx, status)
    data = [{"id": r["id"], "line": r["line"], "date": r["date"].isoformat(), "amount": str(r["amount"].amount),
             "currency": r["amount"].currency, "payer": r["payer"], "text": r["text"], "customer": r["customer"],
             "invoices": [{"number": n, "amount": str(a.amount)} for n, a in r["invoices"]], "kind": r["kind"],
             "confidence": r["confidence"], "auto": r["auto"],
             "reasons": [{"code": x["code"], "text": reason_text(x)} for x in r["reasons"]]} for r in rows]
    if fmt != Format.json and not rows:
        console.print(t("matches.none"), highlight=False)
        return
    print_rows(["match", "line", "date", "amount", "payer", "customer", "invoices", "kind", "confidence", "reasons"],
               _rows(rows), fmt, json_data=data)


@matches_app.command("confirm")
def confirm(
    match_id: int = typer.Argument(..., help="The match's number (gvia matches list)"),
    invoice: Optional[List[str]] = typer.Option(None, "--invoice", help="Change: the invoices it pays (repeatable)"),
) -> None:
    """Apply a suggestion as it is, or with other invoices (--invoice)."""
    ctx = context()
    from gvia.services.ledger.statements import confirm as service

    m = service(ctx, match_id, invoice or None)
    console.print(t("matches.confirmed", match=m.id), highlight=False)


@matches_app.command("assign")
def assign(
    line_id: int = typer.Argument(..., help="The bank line's number (gvia matches list --status waiting)"),
    invoice: List[str] = typer.Option(..., "--invoice", help="The invoices it pays (repeatable)"),
) -> None:
    """Say what a waiting line without a suggestion pays."""
    ctx = context()
    from gvia.services.ledger.statements import assign as service

    m = service(ctx, line_id, invoice)
    console.print(t("matches.confirmed", match=m.id), highlight=False)


@matches_app.command("reject")
def reject(match_id: int = typer.Argument(..., help="The match's number")) -> None:
    """The suggestion is wrong: the line waits without it."""
    ctx = context()
    from gvia.services.ledger.statements import reject as service

    m = service(ctx, match_id)
    console.print(t("matches.rejected", match=m.id), highlight=False)


@matches_app.command("undo")
def undo(match_id: int = typer.Argument(..., help="The match's number")) -> None:
    """Undo an applied match: what it recorded is deleted, what it linked let go; the line waits again."""
    ctx = context()
    from gvia.services.ledger.statements import undo as service

    m = service(ctx, match_id)
    console.print(t("matches.undone", match=m.id), highlight=False)

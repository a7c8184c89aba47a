"""invoice allocation: Israel's allocation number (מספר הקצאה) of an invoice.

``gvia invoice allocation NUMBER --number N`` records the number; ``--confirm-without`` confirms
that the case goes on without it. Either lifts the hold an overdue invoice without its number
puts on the case (:mod:`gvia.services.ledger.allocation_numbers`).
"""

from __future__ import annotations

from typing import Optional

import typer

from .app import app
from .output import console
from .state import context
from .words import t

invoice_app = typer.Typer(help="Invoices: their allocation number (Israel).", no_args_is_help=True)
app.add_typer(invoice_app, name="invoice")


@invoice_app.command("allocation")
def invoice_allocation(
    number: str = typer.Argument(..., help="The invoice number"),
    allocation_number: Optional[str] = typer.Option(None, "--number", help="The allocation number (מספר הקצאה)"),
    confirm_without: bool = typer.Option(False, "--confirm-without",
                                         help="Go on without an allocation number"),
) -> None:
    """Record an invoice's allocation number, or confirm that its case goes on without one."""
    if (allocation_number is None) == (not confirm_without):
        raise typer.BadParameter(t("invoice.allocation_one_of"))
    ctx = context()
    from gvia.services.ledger import allocation_numbers

    if confirm_without:
        inv = allocation_numbers.confirm_without(ctx, number)
        console.print(t("invoice.allocation_confirmed", number=inv.number), highlight=False)
    else:
        inv = allocation_numbers.set_number(ctx, number, allocation_number or "")
        console.print(t("invoice.allocation_saved", number=inv.number, allocation=inv.allocation_number),
                      highlight=False)

"""customer hold, customer reason: two facts a person records about one customer (issue 17).

``gvia customer hold REF --reason TEXT`` puts the customer on credit hold (talk about the debt
before selling more), ``--lift`` lifts it (:mod:`gvia.services.ledger.credit_hold`);
``gvia customer holds`` lists the customers the policy's ``[credit_hold]`` rule suggests holding.
``gvia customer reason REF CODE [--note TEXT]`` records why the customer has not paid
(:mod:`gvia.services.engine.nonpayment`; the codes are :data:`gvia.core.nonpayment.REASONS`).
"""

from __future__ import annotations

from typing import Optional

import typer

from .app import app
from .output import Format, console, print_rows
from .parsing import day_option
from .state import context
from .words import t

customer_app = typer.Typer(
    help="One customer: credit hold (hold REF, holds), why they have not paid (reason REF CODE).",
    no_args_is_help=True)
app.add_typer(customer_app, name="customer")


@customer_app.command("hold")
def customer_hold(
    customer_ref: str = typer.Argument(..., help="The customer's reference"),
    reason: Optional[str] = typer.Option(None, "--reason", help="Why (required to set a hold)"),
    lift: bool = typer.Option(False, "--lift", help="Lift the customer's credit hold"),
) -> None:
    """Put a customer on credit hold with a reason, or lift it (--lift)."""
    if lift == (reason is not None):
        raise typer.BadParameter(t("credit_hold.one_of"))
    ctx = context()
    from gvia.services.ledger import credit_hold

    if lift:
        customer = credit_hold.lift_hold(ctx, customer_ref)
        console.print(t("credit_hold.lifted_for", name=customer.name, ref=customer.ref), highlight=False, markup=False)
    else:
        customer = credit_hold.set_hold(ctx, customer_ref, reason or "")
        console.print(t("credit_hold.set_for", name=customer.name, ref=customer.ref,
                        reason=customer.credit_hold_reason), highlight=False, markup=False)


@customer_app.command("holds")
def customer_holds(
    as_of: Optional[str] = typer.Option(None, "--as-of"),
    fmt: Format = typer.Option(Format.table, "--format"),
) -> None:
    """The customers the policy's [credit_hold] rule suggests putting on credit hold."""
    ctx = context()
    from gvia.services.engine.worklist import row_json
    from gvia.services.ledger import credit_hold

    day = day_option(ctx, as_of, "--as-of")
    found = credit_hold.suggestions(ctx, day)
    rows = [[s.customer_ref, s.customer_name, s.days_overdue, f"{s.overdue.amount} {s.overdue.currency}",
             s.after_days, f"{s.above.amount} {s.above.currency}" if s.above else ""] for s in found]
    print_rows(["customer", "customer_name", "days_overdue", "overdue", "after_days", "above"], rows, fmt,
               title=t("credit_hold.suggested_title", day=day),
               json_data={"as_of": day.isoformat(), "customers": [row_json(s) for s in found]})


@customer_app.command("reason")
def customer_reason(
    customer_ref: str = typer.Argument(..., help="The customer's reference"),
    reason: str = typer.Argument(..., help="cash_flow, dispute, forgot, wrong_contact, unreachable, refuses, "
                                           "waiting_allocation_number or other"),
    note: str = typer.Option("", "--note", help="What was said"),
) -> None:
    """Record why the customer has not paid."""
    ctx = context()
    from gvia.services.engine import nonpayment

    nonpayment.set_reason(ctx, customer_ref, reason, note)
    console.print(t("reason.recorded_for", ref=customer_ref, reason=t(f"nonpayment.{reason}")),
                  highlight=False, markup=False)


@customer_app.command("predict")
def customer_predict(
    customer_ref: str = typer.Argument(..., help="The customer's reference"),
    as_of: Optional[str] = typer.Option(None, "--as-of"),
    fmt: Format = typer.Option(Format.table, "--format"),
) -> None:
    """When each open invoice of the customer is expected to be paid, with an 80% range (from their
    own history, and the organization's while theirs is short). --format json prints {"customer":
    {"ref", "name"}, "as_of", "invoices": [{"invoice", "due", "open", "predicted", "low", "high",
    "basis", "own_paid_invoices"}]} (gvia.services.engine.prediction)."""
    ctx = context()
    from gvia.services.engine import prediction
    from gvia.services.ledger.books import get_customer

    day = day_option(ctx, as_of, "--as-of")
    customer = get_customer(ctx, customer_ref)
    found = prediction.as_json(prediction.of_customer(ctx, customer.id, day))
    rows = [[r["invoice"], r["due"], f"{r['open']['amount']} {r['open']['currency']}", r["predicted"],
             f"{r['low']} – {r['high']}" if r["high"] else t("prediction.from", day=r["low"]),
             t(f"prediction.basis.{r['basis']}")] for r in found]
    print_rows(["invoice", "due", "open", "predicted", "range", "basis"], rows, fmt,
               title=t("prediction.title", name=customer.name, ref=customer.ref, day=day),
               json_data={"customer": {"ref": customer.ref, "name": customer.name}, "as_of": day.isoformat(),
                          "invoices": found})

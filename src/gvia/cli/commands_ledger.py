"""aging, statement, customers, cheque bounce.

Services, the store and Django are imported inside each command: they need django.setup(),
which :func:`gvia.cli.state.context` does first, and `gvia --help` starts without them.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Optional

import typer

from .app import app
from .output import Format, console, print_json, print_rows
from .parsing import day_option
from .state import context
from .words import t

cheque_app = typer.Typer(help="Cheques: mark one bounced.", no_args_is_help=True)
app.add_typer(cheque_app, name="cheque")


class By(str, Enum):
    customer = "customer"


def as_of_date(ctx, text: Optional[str]) -> date:
    return day_option(ctx, text, "--as-of")


def _report_rows(report, label: tuple = ()):
    rows = []
    for cur, buckets in report.to_json_dict()["currencies"].items():
        rows.append(list(label) + [cur] + list(buckets.values()))
    return rows


@app.command()
def aging(
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Age as of this date (default today)"),
    by: Optional[By] = typer.Option(None, "--by", help="One line per customer"),
    fmt: Format = typer.Option(Format.table, "--format"),
) -> None:
    """Open amounts per currency in buckets of days past due."""
    ctx = context()
    from gvia.core.aging import BUCKETS_DEFAULT, bucket_names
    from gvia.services.ledger import books as ledger

    day = as_of_date(ctx, as_of)
    names = list(bucket_names(BUCKETS_DEFAULT)) + ["total"]
    if by == By.customer:
        per = ledger.aging_by_customer(ctx, day)
        if fmt == Format.json:
            print_json({"as_of": day.isoformat(), "customers": [
                {"ref": c.ref, "name": c.name,
                 **{k: v for k, v in c.report.to_json_dict().items() if k == "currencies"}}
                for c in per]})
            return
        rows = [r for c in per for r in _report_rows(c.report, (c.ref, c.name))]
        print_rows(["ref", "name", "currency"] + names, rows, fmt, title=t("aging.title_by_customer", day=day))
        return
    report, unapplied = ledger.aging(ctx, day)
    data = report.to_json_dict(unapplied)
    if fmt == Format.json:
        print_json(data)
        return
    print_rows(["currency"] + names, _report_rows(report), fmt, title=t("aging.title", day=day))
    if fmt == Format.table and data.get("unapplied_credit"):
        console.print(t("aging.unapplied", amounts=", ".join(f"{v} {k}" for k, v in data["unapplied_credit"].items())))


@app.command()
def statement(
    customer_ref: str = typer.Argument(..., help="The customer's reference"),
    as_of: Optional[str] = typer.Option(None, "--as-of"),
    fmt: Format = typer.Option(Format.table, "--format"),
) -> None:
    """The customer's statement of account with the running balance per currency."""
    ctx = context()
    from gvia.services.ledger import books as ledger

    day = as_of_date(ctx, as_of)
    customer, st = ledger.statement(ctx, customer_ref, day)
    data = st.to_json_dict()
    data = {"customer": {"ref": customer.ref, "name": customer.name}, **data}
    if fmt == Format.json:
        print_json(data)
        return
    headers = ["date", "kind", "reference", "description", "currency", "debit", "credit", "balance"]
    rows = [[ln["date"], ln["kind"], ln["reference"], ln.get("description", ""), ln["currency"], ln["debit"],
             ln["credit"], ln["balance"]] for ln in data["lines"]]
    print_rows(headers, rows, fmt, title=t("statement.title", name=customer.name, ref=customer.ref, day=day))
    if fmt == Format.table:
        console.print(t("statement.closing", amounts=", ".join(f"{v} {k}" for k, v in data["closing_balance"].items())),
                      highlight=False)


@app.command()
def customers(
    overdue: bool = typer.Option(False, "--overdue", help="Only customers with something overdue"),
    at_risk: bool = typer.Option(False, "--at-risk", help="Customers at risk: score and top reasons, highest first"),
    as_of: Optional[str] = typer.Option(None, "--as-of"),
    fmt: Format = typer.Option(Format.table, "--format"),
) -> None:
    """Customers with their open and overdue amounts (--at-risk: their early-warning score)."""
    ctx = context()
    from gvia.services.ledger.customers import list_customers

    day = as_of_date(ctx, as_of)
    if at_risk:
        from .commands_signals import at_risk_json

        data, table = at_risk_json(ctx, day)
        print_rows(["ref", "name", "score", "reasons"], table, fmt, title=t("customers.title_at_risk", day=day),
                   json_data=data)
        return
    rows = list_customers(ctx, day, overdue_only=overdue)
    if fmt == Format.json:
        print_json({"as_of": day.isoformat(), "customers": rows})
        return
    flat = []
    for c in rows:
        currencies = sorted(set(c["open"]) | set(c["overdue"])) or [""]
        for cur in currencies:
            hold = c["credit_hold"]
            flat.append([c["ref"], c["name"], cur, c["open"].get(cur, ""), c["overdue"].get(cur, ""),
                         c["oldest_days_overdue"] if c["oldest_days_overdue"] is not None else "",
                         hold["reason"] if hold else ""])
    print_rows(["ref", "name", "currency", "open", "overdue", "days", "credit_hold"], flat, fmt,
               title=t("customers.title_overdue" if overdue else "customers.title", day=day))


@cheque_app.command("bounce")
def cheque_bounce(
    number: str = typer.Argument(..., help="The cheque number"),
    customer_ref: Optional[str] = typer.Option(None, "--customer", help="When the number is not unique"),
) -> None:
    """Mark a cheque bounced: its invoices are open again."""
    ctx = context()
    from gvia.services.ledger import books as ledger

    payment = ledger.bounce_cheque(ctx, number, customer_ref)
    console.print(t("cheque.bounced", number=number, name=payment.customer.name, ref=payment.customer.ref),
                  highlight=False)

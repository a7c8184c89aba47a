"""customer law: Israel's suppliers' payment law on one customer's open invoices (issue 15).

``gvia customer law REF [--as-of DAY] [--format table|csv|json]`` prints each open invoice's
legal payment day (:mod:`gvia.services.legal.suppliers_law`, the law's figures in
:mod:`gvia.core.suppliers_law`), why, and, once late, the linkage and interest the law adds and the
day its arrears interest begins. ``--large-business yes|no`` first records whether the customer is a
large business (a large buyer's agreed payment day later than the law's yields to it).
"""

from __future__ import annotations

from typing import Optional

import typer

from gvia.core.errors import RefusedFor

from .commands_customer import customer_app
from .output import Format, console, print_rows
from .parsing import day_option
from .state import context
from .words import refusal_text, t

_YES = {"yes": True, "y": True, "true": True, "1": True, "כן": True,
        "no": False, "n": False, "false": False, "0": False, "לא": False}


@customer_app.command("law")
def customer_law(
    customer_ref: str = typer.Argument(..., help="The customer's reference"),
    as_of: Optional[str] = typer.Option(None, "--as-of"),
    large_business: Optional[str] = typer.Option(
        None, "--large-business", help="yes or no: record whether the customer is a large business first"),
    fmt: Format = typer.Option(Format.table, "--format"),
) -> None:
    """The suppliers' payment law (Israel) on the customer's open invoices: the legal payment day of
    each and, when late, what the law adds. --format json prints {"customer": {"ref", "name", "kind",
    "large_business"}, "as_of", "applies", "invoices": [{"invoice", "issue_date", "due_date", "open",
    "currency", "applies", "reason", "buyer", "law_day", "legal_day", "yields", "needs_person",
    "notes", "additions"}], "unsourced"}."""
    ctx = context()
    from gvia.services.ledger import customers
    from gvia.services.legal import suppliers_law

    if large_business is not None:
        value = _YES.get(large_business.strip().lower())
        if value is None:
            raise typer.BadParameter(t("suppliers_law.yes_or_no"), param_hint="--large-business")
        customers.update_customer(ctx, customer_ref, {"large_business": value})
        console.print(t("suppliers_law.large_set" if value else "suppliers_law.large_unset", ref=customer_ref),
                      highlight=False, markup=False)
    day = day_option(ctx, as_of, "--as-of")
    found = suppliers_law.for_customer(ctx, customer_ref, day)
    c = found.customer
    if not found.applies:
        if fmt == Format.json:
            print_rows([], [], fmt, json_data=found.as_dict())
        else:
            console.print(t("suppliers_law.not_in_israel"), highlight=False, markup=False)
        return
    rows = []
    for i in found.invoices:
        a = i.as_dict()
        add = a["additions"] or {}
        reason = t(f"suppliers_law.{i.day.reason}")
        if i.day.needs_person and i.day.needs_person != i.day.reason:
            reason += " · " + t(f"suppliers_law.{i.day.needs_person}")
        if "public_body_exception_possible" in i.day.notes:
            reason += " · " + t("suppliers_law.public_body_exception_possible")
        if i.additions is not None and i.additions.refused:
            added = t("suppliers_law.refused", reason=refusal_text(
                RefusedFor(i.additions.refused, i.additions.refused, **dict(i.additions.refused_params))))
        else:
            added = add.get("total") or ""
        rows.append([i.number, a["issue_date"], a["due_date"], a["law_day"] or "", a["legal_day"] or "", reason,
                     add.get("days_late", ""), added, add.get("arrears_from") or ""])
    print_rows(["invoice", "issue_date", "due_date", "law_day", "legal_day", "reason", "days_late", "added",
                "arrears_from"], rows, fmt,
               title=t("suppliers_law.title", name=c.name, ref=c.ref, day=day,
                       large=t("suppliers_law.large_yes" if c.large_business else "suppliers_law.large_no")),
               json_data=found.as_dict())

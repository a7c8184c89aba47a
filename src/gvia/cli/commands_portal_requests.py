"""portal requests, portal approve, portal reject: what customers asked for on their page and
waits for a person (issue 16) — a promise beyond the page's limits, a payment plan, a new billing
contact — as the customer page's case card and the worklist show it.

``gvia portal requests [--format json]`` lists them, oldest first; ``--format json`` prints
``[{"id", "customer", "customer_name", "kind", "day", "amount": {"amount", "currency"} | null,
"due", "installments", "email", "note", "waits_for": [codes]}]``. ``gvia portal approve ID
[--note T]`` and ``gvia portal reject ID [--note T]`` decide one
(:func:`gvia.services.portal.requests.decide`: the promise or plan recorded through its service,
the contact added and both addresses told; audited)."""

from __future__ import annotations

import typer

from .commands_portal import portal_app
from .output import Format, console, print_json, print_rows
from .state import context
from .words import t, value_text


def _row(r) -> dict:
    return {"id": r.request_id, "customer": r.customer_ref, "customer_name": r.customer_name, "kind": r.kind,
            "day": r.day.isoformat(),
            "amount": {"amount": str(r.amount.amount), "currency": r.amount.currency} if r.amount else None,
            "due": r.due.isoformat() if r.due else None, "installments": r.installments, "email": r.email,
            "note": r.note, "waits_for": list(r.waits_for)}


@portal_app.command("requests")
def portal_requests(fmt: Format = typer.Option(Format.table, "--format")) -> None:
    """What customers asked for on their page that waits for a person, oldest first."""
    ctx = context()
    from gvia.services.portal import requests

    rows = [requests.request_row(q) for q in requests.pending(ctx)]
    if fmt == Format.json:
        print_json([_row(r) for r in rows])
        return
    print_rows(["id", "customer", "customer_name", "kind", "day", "amount", "due", "email"],
               [[r.request_id, r.customer_ref, r.customer_name, t(f"portal_request.kind.{r.kind}"), value_text(r.day),
                 value_text(r.amount) if r.amount else "", value_text(r.due) if r.due else "", r.email]
                for r in rows], fmt, title=t("portal_request.title"))


def _decide(request_id: int, approve: bool, note: str) -> None:
    ctx = context()
    from gvia.services.portal import requests

    req = requests.decide(ctx, request_id, approve, note)
    console.print(t(f"portal_request.decided_{req.status}", id=req.id, ref=req.customer.ref),
                  highlight=False, markup=False)


@portal_app.command("approve")
def portal_approve(request_id: int = typer.Argument(..., help="The request's id (gvia portal requests)"),
                   note: str = typer.Option("", "--note", help="Why, for the timeline")) -> None:
    """Approve what a customer asked for on their page (collector; a plan beyond the limits: owner)."""
    _decide(request_id, True, note)


@portal_app.command("reject")
def portal_reject(request_id: int = typer.Argument(..., help="The request's id (gvia portal requests)"),
                  note: str = typer.Option("", "--note", help="Why, for the timeline")) -> None:
    """Reject what a customer asked for on their page (collector)."""
    _decide(request_id, False, note)

"""portal link, portal revoke: the links to a customer's page (issue 16).

``gvia portal link CUSTOMER_REF [--days N]`` prints a new link to the customer's page (the
``portal_link_days`` setting's days by default; built from the ``public_url`` setting) and the
last day it opens the page; ``gvia portal revoke CUSTOMER_REF`` revokes every link of theirs
(:mod:`gvia.services.portal.links`; both audited)."""

from __future__ import annotations

from typing import Optional

import typer

from .app import app
from .output import console
from .parsing import day_option
from .state import context
from .words import t, tn, value_text

portal_app = typer.Typer(help="The customer's page: a link to it, or revoke every link.", no_args_is_help=True)
app.add_typer(portal_app, name="portal")


@portal_app.command("link")
def portal_link(
    customer_ref: str = typer.Argument(..., help="The customer's reference"),
    days: Optional[int] = typer.Option(None, "--days", min=1, max=730,
                                       help="Days the link opens the page (default: the portal_link_days setting)"),
    today: Optional[str] = typer.Option(None, "--today", help="Issue it as of this date (default today)"),
) -> None:
    """Print a link to the customer's page (collector; audited)."""
    ctx = context()
    from gvia.services.portal import links

    day = day_option(ctx, today, "--today")
    issued = links.link_for_customer(ctx, customer_ref, today=day, days=days)
    console.print(issued.url, highlight=False, markup=False, soft_wrap=True)
    console.print(t("portal.link_until", until=value_text(issued.expires_on)), highlight=False, markup=False)


@portal_app.command("revoke")
def portal_revoke(customer_ref: str = typer.Argument(..., help="The customer's reference")) -> None:
    """Revoke every link to the customer's page (collector; audited)."""
    ctx = context()
    from gvia.services.portal import links

    count = links.revoke_for_customer(ctx, customer_ref)
    console.print(tn("portal.revoked", count, ref=customer_ref), highlight=False, markup=False)

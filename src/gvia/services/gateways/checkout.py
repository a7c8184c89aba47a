"""A gateway's payment page for some of a customer's open invoices.

:func:`available` says whether the organization can take a card payment (a gateway in use with
its credentials complete); :func:`start_checkout` asks the gateway for a page for the open
amount of the chosen invoices (one currency), under the case's payment reference
(:func:`gvia.services.letters.reference.customer_reference`), and returns its URL. The page's
description is the reference and the invoice numbers — no sentence in any language, since the
gateway prints it as it is. Every checkout is kept (:class:`GatewayCheckout`) with what it was
for, so the gateway's notification is recorded against exactly those invoices.
"""

from __future__ import annotations

from datetime import date
from typing import Iterable

from django.db import transaction

from gvia import gateways
from gvia.core.errors import RefusedFor
from gvia.gateways.base import CheckoutRequest
from gvia.services import audit, sealed
from gvia.services.context import Ctx
from gvia.services.gateways.accounts import active_account, credentials, notify_url
from gvia.services.letters.reference import customer_reference
from gvia.store.models import Customer, Invoice, Organization
from gvia.store.models_gateways import GatewayCheckout

#: At most this many payment pages a day for one customer (each is a call to the gateway).
CHECKOUTS_PER_DAY = 20


def available(org: Organization) -> bool:
    """Whether ``org`` has a gateway in use with its credentials complete."""
    return active_account(org) is not None


def start_checkout(org: Organization, customer: Customer, invoice_ids: Iterable[int], *, today: date,
                   return_url: str) -> str:
    """The URL of a new payment page for the open amount of ``invoice_ids`` (the customer's own,
    open, one currency); the payer comes back to ``return_url`` whether they paid or not.

    Refused (``RefusedFor``): ``gateway_none`` (no gateway in use), ``gateway_too_many`` (more than
    :data:`CHECKOUTS_PER_DAY` pages for the customer today), ``gateway_no_invoices``,
    ``gateway_invoice_not_open`` (not this customer's, or nothing open), ``gateway_mixed_currencies``,
    and the adapter's own (``gateway_unreachable``, ``gateway_answer``, ``gateway_currency``)."""
    account = active_account(org)
    if account is None:
        raise RefusedFor("gateway_none", "no payment gateway is set up")
    if customer.organization_id != org.id:
        raise RefusedFor("gateway_invoice_not_open", "another organization's customer")
    pages_today = GatewayCheckout.objects.filter(organization=org, customer=customer, created_on=today).count()
    if pages_today >= CHECKOUTS_PER_DAY:
        raise RefusedFor("gateway_too_many", "too many payment pages today", most=CHECKOUTS_PER_DAY)
    wanted = sorted({int(i) for i in invoice_ids})
    if not wanted:
        raise RefusedFor("gateway_no_invoices", "no invoice chosen")
    invoices = list(Invoice.objects.filter(organization=org, customer=customer, id__in=wanted,
                                           kind=Invoice.Kind.INVOICE, open_minor__gt=0)
                    .order_by("due_date", "issue_date", "number", "id"))
    if len(invoices) != len(wanted):
        raise RefusedFor("gateway_invoice_not_open", "an invoice chosen is not this customer's open invoice")
    currencies = {inv.currency for inv in invoices}
    if len(currencies) != 1:
        raise RefusedFor("gateway_mixed_currencies", "one currency per payment",
                         currencies=", ".join(sorted(currencies)))
    currency = currencies.pop()
    amount = sum(inv.open_minor for inv in invoices)
    reference = customer_reference(customer)
    request = CheckoutRequest(
        amount_minor=amount, currency=currency, reference=reference,
        description=f"{reference}: " + ", ".join(inv.number for inv in invoices),
        success_url=return_url, cancel_url=return_url, notify_url=notify_url(account),
        customer_name=customer.name, customer_email=customer.email or "",
        customer_phone=customer.phone or "", language=customer.language or org.default_language)
    created = gateways.adapter(account.gateway).create(credentials(account), request)
    with transaction.atomic():
        checkout = GatewayCheckout.objects.create(
            organization=org, account=account, customer=customer, gateway_ref=created.gateway_ref,
            sealed_secret=sealed.seal(created.secret), reference=reference,
            invoices=[[inv.id, inv.open_minor] for inv in invoices], amount_minor=amount, currency=currency,
            url=created.url, created_on=today)
        audit.record(Ctx(org, None, "owner"), "gateway.checkout", checkout, gateway=account.gateway,
                     customer=customer.ref, reference=reference, amount_minor=amount, currency=currency,
                     invoices=[inv.number for inv in invoices])
    return created.url

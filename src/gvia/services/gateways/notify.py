"""A gateway's notification: checked, then recorded as the customer's payment exactly once.

:func:`receive` finds the organization by the address's token, lets the gateway's adapter check
the notification as the gateway documents it (Stripe's signature and its five-minute window;
Grow's process token and Grow's own confirmation), finds the checkout gvia created, and records
the money with the payment recording every other path uses
(:func:`gvia.services.ledger.payments.record_payment`: its identity — the reference
``<gateway>:<transaction id>`` — and its ledger recomputation, so the invoices close and the
case stops): one payment per chosen invoice, each its open amount at the checkout, oldest due
first, whatever is left on the last. The transaction is unique per organization, gateway and
transaction id (:class:`GatewayTransaction`), so a notification sent again, however often and
however concurrently, records nothing more. Every notification — forged, stale, replayed,
ignored or recorded — is logged (:class:`GatewayNotification`) with its body's digest. A
recorded one is then acknowledged where the gateway asks for that (Grow's approveTransaction);
a failed acknowledgement is logged and changes nothing recorded.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Mapping

from django.db import IntegrityError, transaction

from gvia import gateways
from gvia.core.errors import NotFoundFor, RefusedFor
from gvia.core.money import Money
from gvia.services import sealed
from gvia.services.clock import org_today
from gvia.services.context import Ctx
from gvia.services.gateways.accounts import credentials
from gvia.services.ledger.payments import record_payment
from gvia.store.models import Invoice, Payment
from gvia.store.models_gateways import GatewayAccount, GatewayCheckout, GatewayNotification, GatewayTransaction

log = logging.getLogger("gvia.gateways")

#: The largest notification read (Stripe's events and Grow's forms are a few kilobytes).
MAX_BODY = 256 * 1024

Outcome = GatewayNotification.Outcome


@dataclass(frozen=True)
class Received:
    """What became of a notification: ``outcome`` (recorded, replayed, ignored) and the transaction."""

    outcome: str
    transaction: GatewayTransaction | None = None


def _log(account: GatewayAccount | None, gateway: str, outcome: str, body: bytes, now: datetime, code: str = "",
         event_id: str = "", transaction_id: str = "") -> None:
    GatewayNotification.objects.create(
        organization=account.organization if account else None, gateway=gateway[:20], outcome=outcome,
        code=code[:60], event_id=event_id[:200], transaction_id=transaction_id[:200],
        body_sha256=hashlib.sha256(body).hexdigest(), size=len(body), received_at=now)
    level = logging.INFO if outcome in (Outcome.RECORDED, Outcome.IGNORED) else logging.WARNING
    log.log(level, "gateway %s notification: %s %s (event %s, transaction %s)", gateway, outcome, code,
            event_id, transaction_id)


def _account(gateway: str, token: str) -> GatewayAccount | None:
    account = GatewayAccount.objects.select_related("organization").filter(gateway=gateway).filter(
        notify_token=token).first()
    # the token is compared again in constant time (the index found it; this keeps timing flat)
    if account is None or not hmac.compare_digest(account.notify_token.encode(), token.encode()):
        return None
    return account


def receive(gateway: str, token: str, headers: Mapping[str, str], body: bytes, *, now: datetime) -> Received:
    """Check and record one notification received at ``/gateways/<gateway>/notify/<token>/``.

    Raises ``NotFoundFor("gateway_account")`` for an unknown address, ``RefusedFor`` with
    ``gateway_forged``, ``gateway_stale``, ``gateway_bad_notice``, ``gateway_too_large``,
    ``gateway_unknown_checkout`` or ``gateway_currency_mismatch``; each is logged first."""
    account = _account(gateway, token) if gateway in gateways.NAMES else None
    if account is None:
        _log(None, gateway, Outcome.REFUSED, body[:MAX_BODY], now, code="gateway_account")
        raise NotFoundFor("gateway_account", "no such gateway address")
    if len(body) > MAX_BODY:
        _log(account, gateway, Outcome.REFUSED, body[:MAX_BODY], now, code="gateway_too_large")
        raise RefusedFor("gateway_too_large", "notification too large", size=len(body))

    def secret_for(ref: str) -> str | None:
        stored = (GatewayCheckout.objects.filter(account=account, gateway_ref=ref)
                  .values_list("sealed_secret", flat=True).first())
        return None if stored is None else sealed.unseal(stored, "a checkout's secret")

    try:
        notice = gateways.adapter(gateway).verify(credentials(account), headers, body, now=int(now.timestamp()),
                                                  secret_for=secret_for)
    except RefusedFor as exc:
        outcome = {"gateway_forged": Outcome.FORGED, "gateway_stale": Outcome.STALE}.get(exc.code, Outcome.REFUSED)
        _log(account, gateway, outcome, body, now, code=exc.code)
        raise
    if not notice.paid:
        _log(account, gateway, Outcome.IGNORED, body, now, event_id=notice.event_id,
             transaction_id=notice.transaction_id)
        return Received(Outcome.IGNORED)
    checkout = GatewayCheckout.objects.select_related("customer").filter(
        account=account, gateway_ref=notice.gateway_ref).first()
    currency = notice.currency or (checkout.currency if checkout is not None else "")
    problem = ("gateway_unknown_checkout" if checkout is None
               else "gateway_currency_mismatch" if checkout.currency != currency
               else "gateway_bad_notice" if notice.amount_minor <= 0 or not notice.transaction_id else "")
    if problem:
        _log(account, gateway, Outcome.REFUSED, body, now, code=problem, event_id=notice.event_id,
             transaction_id=notice.transaction_id)
        raise RefusedFor(problem, f"notification for {notice.gateway_ref!r} refused")
    assert checkout is not None
    try:
        with transaction.atomic():
            txn = GatewayTransaction.objects.create(
                organization=account.organization, gateway=gateway, transaction_id=notice.transaction_id,
                checkout=checkout, amount_minor=notice.amount_minor, currency=currency,
                received_on=org_today(account.organization, now))
            txn.payments.set(_record(account, checkout, txn))
            GatewayCheckout.objects.filter(id=checkout.id).update(status=GatewayCheckout.Status.PAID)
    except IntegrityError:
        _log(account, gateway, Outcome.REPLAYED, body, now, event_id=notice.event_id,
             transaction_id=notice.transaction_id)
        return Received(Outcome.REPLAYED, GatewayTransaction.objects.filter(
            organization=account.organization, gateway=gateway, transaction_id=notice.transaction_id).first())
    _log(account, gateway, Outcome.RECORDED, body, now, event_id=notice.event_id, transaction_id=notice.transaction_id)
    try:
        gateways.adapter(gateway).acknowledge(credentials(account), body)
    except RefusedFor as exc:       # the payment stands; the gateway's own records say it was charged
        log.warning("gateway %s: the acknowledgement of transaction %s failed: %s %s", gateway,
                    notice.transaction_id, exc.code, exc)
    return Received(Outcome.RECORDED, txn)


def _record(account: GatewayAccount, checkout: GatewayCheckout, txn: GatewayTransaction) -> list[Payment]:
    """The customer's payments for ``txn``: one per checkout invoice (its amount at the checkout,
    in the checkout's order), the last taking what is left (more or less than asked)."""
    ctx = Ctx(account.organization, None, "collector")
    numbers = dict(Invoice.objects.filter(id__in=[i for i, _ in checkout.invoices]).values_list("id", "number"))
    left, parts = txn.amount_minor, []
    for n, (invoice_id, asked) in enumerate(checkout.invoices):
        last = n == len(checkout.invoices) - 1
        part = left if last else min(left, int(asked))
        if part <= 0:
            break
        parts.append((numbers.get(invoice_id, ""), part))
        left -= part
    payments = []
    base = f"{txn.gateway}:{txn.transaction_id}"
    for k, (number, part) in enumerate(parts, start=1):
        reference = base if len(parts) == 1 else f"{base}:{k}"
        payment = record_payment(ctx, checkout.customer.ref, Money.from_minor(part, txn.currency), txn.received_on,
                                 txn.received_on, method=Payment.Method.CARD, reference=reference[:100],
                                 invoice_number=number)
        Payment.objects.filter(id=payment.id).update(source=f"gateway {txn.gateway} {txn.transaction_id}"[:200])
        payments.append(payment)
    return payments


def recent(ctx: Ctx, limit: int = 50) -> list[dict]:
    """The organization's latest notifications, newest first: when, which gateway, what became of
    each (``outcome``, the refusal's ``code``) and the transaction it named — for whoever checks
    that no forged or replayed notification went unnoticed (``gvia gateway log``)."""
    ctx.require("viewer", "reading the gateways' notifications")
    rows = (GatewayNotification.objects.filter(organization=ctx.org).order_by("-received_at", "-id")
            .values("received_at", "gateway", "outcome", "code", "event_id", "transaction_id")[:limit])
    return [dict(r) for r in rows]

"""Stripe against a local fake of its documented API (tests/fakes/stripe.py): a Checkout Session
for the chosen invoices, the signed webhook recorded as the customer's payments exactly once, a
forged, a stale and a replayed notification refused and logged, and the case stops."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from gvia.core.errors import NotFoundFor, RefusedFor
from gvia.services.engine import daily_run
from gvia.services.gateways import accounts, checkout, notify
from gvia.store.models import Case, Invoice, OutboxMessage, Payment
from gvia.store.models_gateways import GatewayAccount, GatewayNotification, GatewayTransaction
from tests.gateways.conftest import NOW, TODAY

pytestmark = pytest.mark.django_db


def _account(ctx) -> GatewayAccount:
    return GatewayAccount.objects.get(organization=ctx.org, gateway="stripe")


def _send(ctx, body: bytes, signature: str, at: datetime = NOW):
    return notify.receive("stripe", _account(ctx).notify_token, {"Stripe-Signature": signature}, body, now=at)


def test_a_session_for_the_chosen_invoices_under_the_case_reference(ctx, debtor, stripe):
    customer, first, second = debtor
    assert checkout.available(ctx.org)
    url = checkout.start_checkout(ctx.org, customer, [second.id, first.id], today=TODAY,
                                  return_url="https://pay.example/p/x/")
    path, headers, body = stripe.requests[-1]
    assert path == "/v1/checkout/sessions" and headers["Authorization"] == f"Bearer {stripe.secret_key}"
    [session] = stripe.sessions.values()
    assert url == session["url"]
    assert (session["amount_total"], session["currency"], session["client_reference_id"]) == (150050, "ils", "C1-1")
    assert session["metadata"] == {"reference": "C1-1"}
    assert b"notify" not in body      # Stripe's webhook endpoint is registered in its dashboard, not per session


def test_the_webhook_records_the_payment_once_and_the_case_stops(ctx, debtor, stripe):
    customer, first, second = debtor
    at = datetime(2026, 11, 10, 7, 0, tzinfo=timezone.utc)
    daily_run.run(ctx, at)
    assert Case.objects.get(customer=customer).active
    sent_before = OutboxMessage.objects.filter(customer=customer).count()
    assert sent_before == 1

    checkout.start_checkout(ctx.org, customer, [first.id, second.id], today=TODAY, return_url="https://x.example/")
    [sid] = stripe.sessions
    stamp = int(NOW.timestamp())
    body = stripe.complete(sid, at=stamp, payment_intent="pi_3PaidOnce")
    got = _send(ctx, body, stripe.signature(body, stamp))
    assert got.outcome == "recorded"
    txn = GatewayTransaction.objects.get(organization=ctx.org)
    assert (txn.gateway, txn.transaction_id, txn.amount_minor, txn.currency, txn.payout_id) == (
        "stripe", "pi_3PaidOnce", 150050, "ILS", "")
    payments = list(Payment.objects.filter(customer=customer).order_by("id"))
    assert [(p.amount_minor, p.invoice.number, p.method, p.reference) for p in payments] == [
        (100000, "1001", "card", "stripe:pi_3PaidOnce:1"), (50050, "1002", "card", "stripe:pi_3PaidOnce:2")]
    assert all(p.source == "gateway stripe pi_3PaidOnce" for p in payments)
    assert set(txn.payments.all()) == set(payments)
    assert list(Invoice.objects.filter(customer=customer).values_list("open_minor", flat=True)) == [0, 0]

    # the same event again (Stripe retries within its window): nothing more is recorded
    again = _send(ctx, body, stripe.signature(body, stamp + 30), at=NOW + timedelta(seconds=30))
    assert again.outcome == "replayed"
    # another event naming the same payment (a duplicate transaction id): nothing more either
    other = stripe.complete(sid, at=stamp, payment_intent="pi_3PaidOnce",
                            kind="checkout.session.async_payment_succeeded")
    assert _send(ctx, other, stripe.signature(other, stamp)).outcome == "replayed"
    assert Payment.objects.filter(customer=customer).count() == 2
    assert GatewayTransaction.objects.count() == 1

    daily_run.run(ctx, at + timedelta(days=8))
    assert not Case.objects.get(customer=customer).active
    assert OutboxMessage.objects.filter(customer=customer).count() == sent_before
    outcomes = list(GatewayNotification.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes == ["recorded", "replayed", "replayed"]


def test_a_forged_or_stale_notification_is_refused_and_logged(ctx, debtor, stripe):
    customer, first, _ = debtor
    checkout.start_checkout(ctx.org, customer, [first.id], today=TODAY, return_url="https://x.example/")
    [sid] = stripe.sessions
    stamp = int(NOW.timestamp())
    body = stripe.complete(sid, at=stamp)
    with pytest.raises(RefusedFor) as forged:
        _send(ctx, body, stripe.signature(body, stamp, secret="whsec_not_the_endpoints"))
    assert forged.value.code == "gateway_forged"
    tampered = body.replace(b'"amount_total": 100000', b'"amount_total": 999999900')
    assert tampered != body
    with pytest.raises(RefusedFor) as changed:
        _send(ctx, tampered, stripe.signature(body, stamp))
    assert changed.value.code == "gateway_forged"
    with pytest.raises(RefusedFor) as unsigned:
        _send(ctx, body, "")
    assert unsigned.value.code == "gateway_forged"
    old = stamp - 3600       # a notification captured an hour ago, replayed now with its own signature
    with pytest.raises(RefusedFor) as stale:
        _send(ctx, body, stripe.signature(body, old))
    assert stale.value.code == "gateway_stale"
    assert Payment.objects.count() == 0 and GatewayTransaction.objects.count() == 0
    assert list(GatewayNotification.objects.order_by("id").values_list("outcome", flat=True)) == [
        "forged", "forged", "forged", "stale"]


def test_a_signed_event_for_a_session_gvia_did_not_create_records_nothing(ctx, debtor, stripe):
    stamp = int(NOW.timestamp())
    stripe.sessions["cs_test_elsewhere"] = {"id": "cs_test_elsewhere", "object": "checkout.session",
                                            "amount_total": 5000, "currency": "ils"}
    body = stripe.complete("cs_test_elsewhere", at=stamp)
    with pytest.raises(RefusedFor) as refused:
        _send(ctx, body, stripe.signature(body, stamp))
    assert refused.value.code == "gateway_unknown_checkout"
    assert Payment.objects.count() == 0


def test_an_unknown_address_is_not_found(ctx, stripe):
    with pytest.raises(NotFoundFor):
        notify.receive("stripe", "not-a-token", {}, b"{}", now=NOW)
    assert GatewayNotification.objects.get().outcome == "refused"


def test_credentials_are_sealed_and_shown_masked(ctx, stripe):
    account = _account(ctx)
    assert stripe.secret_key not in account.sealed_secrets and stripe.webhook_secret not in account.sealed_secrets
    assert stripe.secret_key not in str(account.fields)
    [row] = accounts.show(ctx)
    shown = {f["field"]: f["value"] for f in row["fields"]}
    assert shown == {"secret_key": "********", "webhook_secret": "********", "api_base": stripe.url}
    assert row["active"] and row["complete"]
    assert row["notify_url"].endswith(f"/gateways/stripe/notify/{account.notify_token}/")


def test_credentials_from_the_environment(ctx, monkeypatch):
    accounts.set_account(ctx, "stripe", {})
    assert not checkout.available(ctx.org)
    monkeypatch.setenv("GVIA_GATEWAY_STRIPE_SECRET_KEY", "sk_live_from_env")
    monkeypatch.setenv("GVIA_GATEWAY_STRIPE_WEBHOOK_SECRET", "whsec_from_env")
    assert checkout.available(ctx.org)
    [row] = accounts.show(ctx)
    assert {f["field"]: f["source"] for f in row["fields"]}["secret_key"] == "environment"

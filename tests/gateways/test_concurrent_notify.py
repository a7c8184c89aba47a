"""The same payment notified twice at the same moment (a gateway's retry crossing the first
delivery) records one payment: the transaction's unique constraint decides, in PostgreSQL's
concurrent transactions, which delivery records and which finds it recorded."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from gvia.services.gateways import accounts, checkout, notify
from gvia.store.models import Payment
from gvia.store.models_gateways import GatewayAccount, GatewayNotification, GatewayTransaction
from tests.fakes.stripe import FakeStripe
from tests.gateways.conftest import NOW, TODAY

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_deliveries_at_once_record_one_payment(ctx, debtor):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL (the suite's second pass)")
    customer, first, second = debtor
    with FakeStripe() as stripe:
        accounts.set_account(ctx, "stripe", {"secret_key": stripe.secret_key, "webhook_secret": stripe.webhook_secret,
                                             "api_base": stripe.url})
        checkout.start_checkout(ctx.org, customer, [first.id, second.id], today=TODAY, return_url="https://x/")
        [sid] = stripe.sessions
        stamp = int(NOW.timestamp())
        body = stripe.complete(sid, at=stamp, payment_intent="pi_race")
        headers = {"Stripe-Signature": stripe.signature(body, stamp)}
    token = GatewayAccount.objects.get(organization=ctx.org).notify_token
    start = threading.Barrier(2)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def deliver() -> None:
        try:
            start.wait()
            outcomes.append(notify.receive("stripe", token, headers, body, now=NOW).outcome)
        except BaseException as exc:       # reported by the test below, not swallowed
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == [] and sorted(outcomes) == ["recorded", "replayed"]
    assert GatewayTransaction.objects.count() == 1
    assert Payment.objects.filter(customer=customer).count() == 2       # one per chosen invoice, once
    assert sorted(GatewayNotification.objects.values_list("outcome", flat=True)) == ["recorded", "replayed"]

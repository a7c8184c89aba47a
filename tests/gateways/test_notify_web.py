"""The notification address over HTTP: no sign-in and no CSRF token, the body bounded, the
answer a code for the gateway's server; one organization's address never records another's."""

from __future__ import annotations

import pytest
from django.test import Client

from gvia.services.context import resolve
from gvia.services.gateways import accounts, checkout
from gvia.services.org.organizations import init_organization
from gvia.store.models import Payment
from gvia.store.models_gateways import GatewayAccount, GatewayNotification
from tests.fakes.stripe import FakeStripe
from tests.gateways.conftest import TODAY

pytestmark = pytest.mark.django_db


def _url(org) -> str:
    return f"/gateways/stripe/notify/{GatewayAccount.objects.get(organization=org).notify_token}/"


def test_the_address_records_once_and_refuses_forgeries(ctx, debtor, monkeypatch):
    import time

    customer, first, _ = debtor
    client = Client(enforce_csrf_checks=True)
    with FakeStripe() as fake:
        accounts.set_account(ctx, "stripe", {"secret_key": fake.secret_key, "webhook_secret": fake.webhook_secret,
                                             "api_base": fake.url})
        checkout.start_checkout(ctx.org, customer, [first.id], today=TODAY, return_url="https://x.example/")
        [sid] = fake.sessions
        stamp = int(time.time())
        body = fake.complete(sid, at=stamp, payment_intent="pi_web")

        assert client.get(_url(ctx.org)).status_code == 405
        forged = client.post(_url(ctx.org), body, content_type="application/json",
                             HTTP_STRIPE_SIGNATURE=fake.signature(body, stamp, secret="whsec_guess"))
        assert (forged.status_code, forged.json()) == (400, {"refused": "gateway_forged"})
        ok = client.post(_url(ctx.org), body, content_type="application/json",
                         HTTP_STRIPE_SIGNATURE=fake.signature(body, stamp))
        assert (ok.status_code, ok.json()) == (200, {"outcome": "recorded"})
        again = client.post(_url(ctx.org), body, content_type="application/json",
                            HTTP_STRIPE_SIGNATURE=fake.signature(body, stamp))
        assert (again.status_code, again.json()) == (200, {"outcome": "replayed"})
        big = b'{"pad": "' + b"x" * (300 * 1024) + b'"}'
        assert client.post(_url(ctx.org), big, content_type="application/json").status_code == 413
        assert client.post("/gateways/stripe/notify/no-such/", body, content_type="application/json",
                           HTTP_STRIPE_SIGNATURE=fake.signature(body, stamp)).status_code == 404
    assert Payment.objects.filter(customer=customer).count() == 1
    assert list(GatewayNotification.objects.order_by("id").values_list("outcome", "code")) == [
        ("forged", "gateway_forged"), ("recorded", ""), ("replayed", ""), ("refused", "gateway_too_large"),
        ("refused", "gateway_account")]


def test_one_organizations_address_never_records_anothers_payment(ctx, debtor):
    import time

    customer, first, _ = debtor
    init_organization("Other Business", country="IL", admin_email="owner@other.test", admin_password="Gvia-test-2026!")
    other = resolve("other-business", "owner@other.test")
    client = Client(enforce_csrf_checks=True)
    with FakeStripe() as a_fake, FakeStripe(webhook_secret="whsec_other_business") as b_fake:
        accounts.set_account(ctx, "stripe", {"secret_key": a_fake.secret_key, "webhook_secret": a_fake.webhook_secret,
                                             "api_base": a_fake.url})
        accounts.set_account(other, "stripe", {"secret_key": b_fake.secret_key,
                                               "webhook_secret": b_fake.webhook_secret, "api_base": b_fake.url})
        checkout.start_checkout(ctx.org, customer, [first.id], today=TODAY, return_url="https://x.example/")
        [sid] = a_fake.sessions
        stamp = int(time.time())
        body = a_fake.complete(sid, at=stamp)
        # A's genuine event sent to B's address: B's secret does not check it
        r = client.post(_url(other.org), body, content_type="application/json",
                        HTTP_STRIPE_SIGNATURE=a_fake.signature(body, stamp))
        assert (r.status_code, r.json()) == (400, {"refused": "gateway_forged"})
        # and signed with B's secret (B's own gateway would sign so), A's session is not B's checkout
        r = client.post(_url(other.org), body, content_type="application/json",
                        HTTP_STRIPE_SIGNATURE=b_fake.signature(body, stamp))
        assert (r.status_code, r.json()) == (400, {"refused": "gateway_unknown_checkout"})
    assert Payment.objects.count() == 0

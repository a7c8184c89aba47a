"""Paying from the customer's page (issue 16): the page offers the card payment when the
business has a gateway, the pay route opens the gateway's page for the ticked invoices of that
customer only, the gateway's notification records the payment, and the return page says so —
in the customer's language."""

from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest
from django.test import Client

from gvia.services.gateways import notify
from gvia.services.portal import links
from gvia.store.models import Customer, Invoice, Payment
from gvia.store.models_gateways import GatewayAccount, GatewayCheckout
from tests.gateways.conftest import TODAY, invoice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch):
    monkeypatch.setattr("gvia.services.clock.now_utc", lambda: datetime(2026, 11, 10, 9, 0, tzinfo=timezone.utc))


def _page(ctx, customer) -> str:
    return "/p/" + links.issue_link(ctx.org, customer, today=TODAY).token + "/"


def test_pay_the_ticked_invoices_then_the_return_page_says_it_is_recorded(ctx, debtor, stripe):
    customer, first, second = debtor
    client = Client()
    page = _page(ctx, customer)
    html = client.get(page).content.decode()
    assert 'data-testid="portal-card-pay"' in html and "תשלום בכרטיס אשראי" in html
    assert f'value="{first.id}" checked' in html and f'value="{second.id}" checked' in html

    r = client.post(page + "pay/?lang=he", {"invoice": [str(first.id)]})
    assert r.status_code == 200 and r["Cache-Control"] == "no-store, private"
    [session] = stripe.sessions.values()
    html = r.content.decode()
    assert f'content="0;url={session["url"]}"' in html and f'href="{session["url"]}"' in html
    assert "להמשך לדף התשלום" in html
    assert (session["amount_total"], session["client_reference_id"]) == (100000, "C1-1")
    assert session["success_url"].endswith(page + "paid/")

    assert "אם שילמתם" in client.get(page + "paid/").content.decode()
    stamp = int(time.time())
    body = stripe.complete(session["id"], at=stamp)
    token = GatewayAccount.objects.get(organization=ctx.org).notify_token
    notify.receive("stripe", token, {"Stripe-Signature": stripe.signature(body, stamp)}, body,
                   now=datetime.fromtimestamp(stamp, timezone.utc))
    assert Payment.objects.get(customer=customer).invoice_id == first.id
    assert Invoice.objects.get(id=first.id).open_minor == 0 and Invoice.objects.get(id=second.id).open_minor == 50050
    assert "התשלום התקבל ונרשם" in client.get(page + "paid/").content.decode()     # the customer's language
    assert "Your payment was received" in client.get(page + "paid/?lang=en").content.decode()   # or the one asked


def test_another_customers_invoice_cannot_be_paid_through_this_link(ctx, debtor, stripe):
    customer, first, _ = debtor
    other = Customer.objects.create(organization=ctx.org, ref="C2", name="Other Ltd", language="en")
    theirs = invoice(ctx.org, other, "2001", "75.00", first.due_date)
    client = Client()
    r = client.post(_page(ctx, customer) + "pay/", {"invoice": [str(first.id), str(theirs.id)]})
    assert r.status_code == 400
    assert "אחת החשבוניות שנבחרו כבר אינה פתוחה" in r.content.decode()
    assert "2001" not in r.content.decode() and "Other Ltd" not in r.content.decode()
    assert stripe.sessions == {} and not GatewayCheckout.objects.exists()


def test_without_a_gateway_there_is_no_card_payment(ctx, debtor):
    customer, first, _ = debtor
    customer.language = "en"
    customer.save()
    client = Client()
    page = _page(ctx, customer)
    assert 'data-testid="portal-card-pay"' not in client.get(page).content.decode()
    r = client.post(page + "pay/", {"invoice": [str(first.id)]})
    assert r.status_code == 400 and "has not set up card payments yet" in r.content.decode()


def test_a_forged_link_pays_nothing(ctx, debtor, stripe):
    customer, first, _ = debtor
    r = Client().post("/p/not-a-token/pay/", {"invoice": [str(first.id)]})
    assert r.status_code == 404 and stripe.sessions == {}

"""Cardcom against a local fake of its documented Low Profile interface (tests/fakes/cardcom.py):
a payment page for the chosen invoices, Cardcom's indicator (a GET, unsigned) believed only for
a page gvia created on this terminal and only when Cardcom itself says the deal was charged;
recorded once however often the indicator comes."""

from __future__ import annotations

import urllib.parse

import pytest
from django.test import Client

from gvia.core.errors import RefusedFor
from gvia.services.gateways import accounts, checkout, notify
from gvia.store.models import Invoice, Payment
from gvia.store.models_gateways import GatewayAccount, GatewayNotification, GatewayTransaction
from tests.fakes.cardcom import FakeCardcom
from tests.gateways.conftest import NOW, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def cardcom(ctx):
    with FakeCardcom() as fake:
        accounts.set_account(ctx, "cardcom", {"terminal_number": fake.terminal, "user_name": fake.user,
                                              "api_base": fake.url})
        yield fake


def _url(ctx) -> str:
    return f"/gateways/cardcom/notify/{GatewayAccount.objects.get(organization=ctx.org).notify_token}/"


def test_a_low_profile_page_then_the_indicator_records_it_once(ctx, debtor, cardcom):
    customer, first, second = debtor
    url = checkout.start_checkout(ctx.org, customer, [first.id, second.id], today=TODAY,
                                  return_url="https://pay.example/p/x/paid/")
    path, _h, body = cardcom.requests[-1]
    sent = dict(urllib.parse.parse_qsl(body.decode()))
    assert path == "/Interface/LowProfile.aspx"
    assert {k: sent[k] for k in ("SumToBill", "CoinId", "Operation", "APILevel", "ReturnValue", "Language")} == {
        "SumToBill": "1500.50", "CoinId": "1", "Operation": "1", "APILevel": "10", "ReturnValue": "C1-1",
        "Language": "he"}
    assert sent["IndicatorUrl"].endswith(_url(ctx)) and sent["SuccessRedirectUrl"] == "https://pay.example/p/x/paid/"
    [code] = cardcom.pages
    assert url.endswith(f"LowProfileCode={code}")

    client = Client(enforce_csrf_checks=True)
    # the indicator before the payer paid: Cardcom does not confirm a charge, nothing is recorded
    early = client.get(_url(ctx) + "?" + urllib.parse.urlencode(
        {"terminalnumber": cardcom.terminal, "lowprofilecode": code, "Operation": "1"}))
    assert (early.status_code, early.json()) == (200, {"outcome": "ignored"})
    hit = cardcom.pay(code)
    r = client.get(_url(ctx) + "?" + hit)
    assert (r.status_code, r.json()) == (200, {"outcome": "recorded"})
    # "Cardcom may access the Indicator URL several times using the same information"
    assert client.get(_url(ctx) + "?" + hit).json() == {"outcome": "replayed"}
    assert client.post(_url(ctx), hit, content_type="application/x-www-form-urlencoded").status_code == 405
    txn = GatewayTransaction.objects.get()
    assert (txn.gateway, txn.transaction_id, txn.amount_minor, txn.currency) == ("cardcom", code, 150050, "ILS")
    assert Payment.objects.count() == 2 and set(Invoice.objects.values_list("open_minor", flat=True)) == {0}


def test_an_indicator_for_a_page_gvia_did_not_create_is_forged(ctx, debtor, cardcom):
    token = GatewayAccount.objects.get(organization=ctx.org).notify_token
    for query in ({"terminalnumber": cardcom.terminal, "lowprofilecode": "0F0F0F0F-AAAA", "Operation": "1"},
                  {"terminalnumber": "9999", "lowprofilecode": "0F0F0F0F-AAAA", "Operation": "1"}):
        with pytest.raises(RefusedFor) as forged:
            notify.receive("cardcom", token, {}, urllib.parse.urlencode(query).encode(), now=NOW)
        assert forged.value.code == "gateway_forged"
    assert list(GatewayNotification.objects.values_list("outcome", flat=True)) == ["forged", "forged"]
    assert Payment.objects.count() == 0


def test_cardcom_refuses_a_wrong_user_and_other_currencies(ctx, debtor, cardcom):
    customer, first, _ = debtor
    accounts.set_account(ctx, "cardcom", {"user_name": "someone-else"})
    with pytest.raises(RefusedFor) as refused:
        checkout.start_checkout(ctx.org, customer, [first.id], today=TODAY, return_url="https://x/")
    assert refused.value.code == "gateway_answer"

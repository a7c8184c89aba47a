"""Grow (formerly Meshulam) against a local fake of its documented Light API
(tests/fakes/grow.py): a payment process for the chosen invoices, the server notification
believed only with the process token Grow gave gvia and Grow's own confirmation, recorded once."""

from __future__ import annotations

import urllib.parse

import pytest

from gvia.core.errors import RefusedFor
from gvia.services.gateways import accounts, checkout, notify
from gvia.store.models import Invoice, Payment
from gvia.store.models_gateways import GatewayAccount, GatewayCheckout, GatewayNotification, GatewayTransaction
from tests.fakes.grow import FakeGrow
from tests.gateways.conftest import NOW, TODAY, invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def grow(ctx):
    with FakeGrow() as fake:
        accounts.set_account(ctx, "grow", {"user_id": fake.user_id, "page_code": fake.page_code,
                                           "api_base": fake.url})
        yield fake


def _send(ctx, body: bytes):
    token = GatewayAccount.objects.get(organization=ctx.org, gateway="grow").notify_token
    return notify.receive("grow", token, {"Content-Type": "application/x-www-form-urlencoded"}, body, now=NOW)


def _form(body: bytes) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(body.decode()))


def test_a_process_for_the_chosen_invoices_then_paid_once(ctx, debtor, grow):
    customer, first, second = debtor
    url = checkout.start_checkout(ctx.org, customer, [first.id, second.id], today=TODAY,
                                  return_url="https://pay.example/p/x/")
    path, _headers, body = grow.requests[-1]
    sent = _form(body)
    assert path == "/api/light/server/1.0/createPaymentProcess"
    assert (sent["sum"], sent["cField1"], sent["description"]) == ("1500.50", "C1-1", "C1-1: 1001, 1002")
    assert sent["notifyUrl"].endswith(f"/gateways/grow/notify/{GatewayAccount.objects.get().notify_token}/")
    assert (sent["successUrl"], sent["pageField[fullName]"], sent["pageField[phone]"]) == (
        "https://pay.example/p/x/", customer.name, "0541234567")
    [pid] = grow.processes
    assert url.startswith(grow.url + "/far?l=")
    stored = GatewayCheckout.objects.get()
    assert grow.processes[pid]["token"] not in stored.sealed_secret     # the process token is kept sealed

    body = grow.pay(pid, transaction_id="145111110")
    assert _send(ctx, body).outcome == "recorded"
    txn = GatewayTransaction.objects.get()
    assert (txn.gateway, txn.transaction_id, txn.amount_minor, txn.currency) == ("grow", "145111110", 150050, "ILS")
    assert sorted(Payment.objects.values_list("amount_minor", "reference")) == [
        (50050, "grow:145111110:2"), (100000, "grow:145111110:1")]
    assert set(Invoice.objects.values_list("open_minor", flat=True)) == {0}
    assert grow.approved == ["145111110"]       # approveTransaction, as Grow asks after each payment
    # Grow notifies again (a retry, or a copy sent by someone else): recorded once
    assert _send(ctx, body).outcome == "replayed"
    assert Payment.objects.count() == 2 and grow.approved == ["145111110"]
    assert list(GatewayNotification.objects.order_by("id").values_list("outcome", flat=True)) == [
        "recorded", "replayed"]


def test_a_notification_without_the_process_token_is_forged(ctx, debtor, grow):
    customer, first, _ = debtor
    checkout.start_checkout(ctx.org, customer, [first.id], today=TODAY, return_url="https://x.example/")
    [pid] = grow.processes
    data = _form(grow.pay(pid))
    data["data[processToken]"] = "0" * 32
    with pytest.raises(RefusedFor) as forged:
        _send(ctx, urllib.parse.urlencode(data).encode())
    assert forged.value.code == "gateway_forged"
    assert Payment.objects.count() == 0
    assert GatewayNotification.objects.get().outcome == "forged"


def test_a_paid_notice_grow_does_not_confirm_is_forged(ctx, debtor, grow):
    """Someone who learnt a process's token claims a payment Grow never took."""
    customer, first, _ = debtor
    checkout.start_checkout(ctx.org, customer, [first.id], today=TODAY, return_url="https://x.example/")
    [pid] = grow.processes
    claimed = grow._data(pid) | {"statusCode": "2", "transactionId": "999", "sum": "1000.00"}
    with pytest.raises(RefusedFor) as forged:
        _send(ctx, grow.notification(claimed))
    assert forged.value.code == "gateway_forged"
    # and a real payment with a changed sum is refused too
    real = _form(grow.pay(pid, transaction_id="777"))
    real["data[sum]"] = "1.00"
    with pytest.raises(RefusedFor):
        _send(ctx, urllib.parse.urlencode(real).encode())
    assert Payment.objects.count() == 0 and GatewayTransaction.objects.count() == 0


def test_grow_takes_shekels_only_and_one_currency_per_payment(ctx, debtor, grow):
    customer, first, _ = debtor
    dollars = invoice(ctx.org, customer, "1003", "80.00", first.due_date, currency="USD")
    with pytest.raises(RefusedFor) as mixed:
        checkout.start_checkout(ctx.org, customer, [first.id, dollars.id], today=TODAY, return_url="https://x/")
    assert mixed.value.code == "gateway_mixed_currencies"
    with pytest.raises(RefusedFor) as currency:
        checkout.start_checkout(ctx.org, customer, [dollars.id], today=TODAY, return_url="https://x/")
    assert currency.value.code == "gateway_currency"
    assert grow.requests == []


def test_another_customers_or_a_paid_invoice_is_refused(ctx, debtor, grow):
    from gvia.store.models import Customer

    customer, first, _ = debtor
    other = Customer.objects.create(organization=ctx.org, ref="C2", name="Other")
    theirs = invoice(ctx.org, other, "2001", "10.00", first.due_date)
    with pytest.raises(RefusedFor) as refused:
        checkout.start_checkout(ctx.org, customer, [theirs.id], today=TODAY, return_url="https://x/")
    assert refused.value.code == "gateway_invoice_not_open"
    Invoice.objects.filter(id=first.id).update(open_minor=0)
    with pytest.raises(RefusedFor):
        checkout.start_checkout(ctx.org, customer, [first.id], today=TODAY, return_url="https://x/")


def test_wrong_credentials_are_the_gateways_refusal(ctx, debtor, grow):
    customer, first, _ = debtor
    accounts.set_account(ctx, "grow", {"page_code": "not-ours"})
    with pytest.raises(RefusedFor) as refused:
        checkout.start_checkout(ctx.org, customer, [first.id], today=TODAY, return_url="https://x/")
    assert refused.value.code == "gateway_answer"
    assert GatewayCheckout.objects.count() == 0


def test_a_failed_approval_leaves_the_payment_recorded(ctx, debtor, grow, monkeypatch, caplog):
    customer, first, _ = debtor
    checkout.start_checkout(ctx.org, customer, [first.id], today=TODAY, return_url="https://x.example/")
    [pid] = grow.processes
    body = grow.pay(pid, transaction_id="555")
    real = grow.handle
    monkeypatch.setattr(grow, "handle", lambda path, headers, b: (500, {"status": 0}) if path.endswith(
        "approveTransaction") else real(path, headers, b))
    assert _send(ctx, body).outcome == "recorded"
    assert Payment.objects.get().amount_minor == 100000 and grow.approved == []
    assert "acknowledgement of transaction 555 failed" in caplog.text

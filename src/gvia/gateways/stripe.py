"""Stripe: a Checkout Session for the amount, and its signed webhook — for businesses abroad.

Sourced from Stripe's API reference and the official libraries:

- "Create a Checkout Session" (https://docs.stripe.com/api/checkout/sessions/create): ``POST
  https://api.stripe.com/v1/checkout/sessions``, form-encoded, authenticated by the secret key as
  a bearer token; ``mode=payment``, ``line_items[0][price_data][currency]`` (lowercase ISO code),
  ``[unit_amount]`` (the smallest currency unit), ``[product_data][name]``,
  ``line_items[0][quantity]``, ``success_url``, ``cancel_url``, ``client_reference_id`` and
  ``metadata[…]``. The answer is the Session object: ``id`` (``cs_…``), ``url``,
  ``payment_intent``, ``amount_total``, ``currency``, ``payment_status``.
- Webhook signatures (https://stripe.com/docs/webhooks/signatures#verify-manually; the libraries'
  ``Webhook.Signature.verify_header``, e.g. stripe-ruby lib/stripe/webhook.rb, stripe-go
  webhook.ConstructEvent): the ``Stripe-Signature`` header is ``t=<unix time>,v1=<hex>[,v1=…]``;
  ``v1`` is HMAC-SHA256, keyed by the endpoint's signing secret (``whsec_…``), of
  ``"<t>.<raw body>"``; a timestamp more than 300 seconds from now is refused (a replay).
- The event ``checkout.session.completed`` (and ``checkout.session.async_payment_succeeded``)
  carries the Session in ``data.object``; it is paid when ``payment_status`` is ``paid``. The
  transaction id kept is the PaymentIntent's (``pi_…``), which Stripe's balance transactions and
  payouts name (for matching the bank's payout, issue 18).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Mapping

from gvia.core.errors import RefusedFor
from gvia.gateways.base import Adapter, CheckoutRequest, Created, Notice, SecretFor, header, post

PRODUCTION = "https://api.stripe.com"
TOLERANCE = 300
PAID_EVENTS = ("checkout.session.completed", "checkout.session.async_payment_succeeded")


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``v1`` signature of ``body`` sent at ``timestamp`` (the scheme Stripe documents)."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


class Stripe(Adapter):
    name = "stripe"
    FIELDS = (("secret_key", True), ("webhook_secret", True), ("api_base", False))
    REQUIRED = ("secret_key", "webhook_secret")

    def create(self, creds: Mapping[str, str], req: CheckoutRequest) -> Created:
        form = {"mode": "payment", "line_items[0][quantity]": "1",
                "line_items[0][price_data][currency]": req.currency.lower(),
                "line_items[0][price_data][unit_amount]": str(req.amount_minor),
                "line_items[0][price_data][product_data][name]": req.description[:200],
                "success_url": req.success_url, "cancel_url": req.cancel_url,
                "client_reference_id": req.reference, "metadata[reference]": req.reference,
                "payment_intent_data[metadata][reference]": req.reference}
        if req.customer_email:
            form["customer_email"] = req.customer_email
        answer = post((creds.get("api_base") or PRODUCTION).rstrip("/") + "/v1/checkout/sessions", form=form,
                      headers={"Authorization": f"Bearer {creds['secret_key']}"})
        if not answer.get("id") or not answer.get("url"):
            raise RefusedFor("gateway_answer", "Stripe gave no session", status=200)
        return Created(str(answer["id"]), str(answer["url"]))

    def verify(self, creds: Mapping[str, str], headers: Mapping[str, str], body: bytes, *, now: int,
               secret_for: SecretFor) -> Notice:
        signature = header(headers, "Stripe-Signature")
        parts = [p.split("=", 1) for p in signature.split(",") if "=" in p]
        stamps = [v for k, v in parts if k.strip() == "t"]
        given = [v.strip() for k, v in parts if k.strip() == "v1"]
        if not stamps or not stamps[0].strip().isdigit() or not given:
            raise RefusedFor("gateway_forged", "no Stripe-Signature")
        timestamp = int(stamps[0])
        expected = sign(creds["webhook_secret"], timestamp, body)
        if not any(hmac.compare_digest(expected, g) for g in given):
            raise RefusedFor("gateway_forged", "the signature does not match")
        if abs(now - timestamp) > TOLERANCE:
            raise RefusedFor("gateway_stale", f"signed {now - timestamp} s ago", seconds=now - timestamp)
        try:
            event = json.loads(body)
            session = event["data"]["object"]
            kind, event_id = str(event["type"]), str(event["id"])
        except (ValueError, KeyError, TypeError):
            raise RefusedFor("gateway_bad_notice", "not a Stripe event") from None
        if not isinstance(session, dict) or session.get("object") != "checkout.session":
            return Notice("", "", 0, "", paid=False, event_id=event_id)
        paid = kind in PAID_EVENTS and session.get("payment_status") == "paid"
        intent = session.get("payment_intent")
        if isinstance(intent, dict):
            intent = intent.get("id")
        try:
            amount = int(session.get("amount_total") or 0)
        except (TypeError, ValueError):
            raise RefusedFor("gateway_bad_notice", "amount_total") from None
        return Notice(gateway_ref=str(session.get("id") or ""), transaction_id=str(intent or session.get("id") or ""),
                      amount_minor=amount, currency=str(session.get("currency") or "").upper(), paid=paid,
                      event_id=event_id, extra={"reference": str(session.get("client_reference_id") or "")})

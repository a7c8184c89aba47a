"""A fake of Stripe's Checkout Sessions and signed webhooks, from Stripe's API reference:

- https://docs.stripe.com/api/checkout/sessions/create — ``POST /v1/checkout/sessions``,
  form-encoded, the secret key as a bearer token (a wrong key: HTTP 401 with an ``error``
  object); ``mode``, ``line_items[0][price_data][currency|unit_amount|product_data][name]``,
  ``line_items[0][quantity]``, ``success_url``, ``cancel_url``, ``client_reference_id``,
  ``metadata[…]``; the answer is the Session object (``id`` ``cs_test_…``, ``object``
  ``checkout.session``, ``url``, ``amount_total``, ``currency``, ``payment_status`` ``unpaid``,
  ``status`` ``open``, ``payment_intent``).
- https://stripe.com/docs/webhooks/signatures — the event is POSTed with
  ``Stripe-Signature: t=<unix time>,v1=<HMAC-SHA256 hex of "<t>.<body>" keyed by the endpoint's
  whsec_ secret>``; the event ``checkout.session.completed`` carries the Session (now
  ``payment_status`` ``paid``, ``status`` ``complete``, its ``payment_intent`` ``pi_…``) in
  ``data.object``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import urllib.parse

from tests.fakes.http_fake import FakeAPI


class FakeStripe(FakeAPI):
    def __init__(self, secret_key: str = "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
                 webhook_secret: str = "whsec_test_5d8d1a2b3c") -> None:
        super().__init__()
        self.secret_key, self.webhook_secret = secret_key, webhook_secret
        self.sessions: dict[str, dict] = {}
        #: the endpoint registered in the dashboard: when set, paying on the hosted page delivers
        #: the signed ``checkout.session.completed`` there before sending the payer back
        self.webhook_url = ""
        #: (status, answer) of each delivery to ``webhook_url``
        self.delivered: list[tuple[int, bytes]] = []
        #: Stripe's clock, Unix seconds (a test with a fixed clock gives its own)
        self.now = lambda: int(time.time())

    def handle(self, path: str, headers: dict[str, str], body: bytes) -> tuple:
        if path.startswith("/c/pay/"):
            return self._hosted(path[len("/c/pay/"):])
        if headers.get("Authorization") != f"Bearer {self.secret_key}":
            return 401, {"error": {"type": "invalid_request_error", "message": "Invalid API Key provided"}}
        if path != "/v1/checkout/sessions":
            return 404, {"error": {"type": "invalid_request_error", "message": "Unrecognized request URL"}}
        form = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
        for needed in ("mode", "success_url", "line_items[0][price_data][currency]",
                       "line_items[0][price_data][unit_amount]", "line_items[0][quantity]"):
            if not form.get(needed):
                return 400, {"error": {"type": "invalid_request_error", "param": needed,
                                       "message": f"Missing required param: {needed}."}}
        sid = "cs_test_" + secrets.token_hex(12)
        amount = int(form["line_items[0][price_data][unit_amount]"]) * int(form["line_items[0][quantity]"])
        session = {"id": sid, "object": "checkout.session", "url": f"{self.url}/c/pay/{sid}", "mode": form["mode"],
                   "amount_total": amount, "currency": form["line_items[0][price_data][currency]"],
                   "client_reference_id": form.get("client_reference_id"), "payment_status": "unpaid",
                   "status": "open", "payment_intent": None, "success_url": form["success_url"],
                   "cancel_url": form.get("cancel_url"), "customer_email": form.get("customer_email"),
                   "metadata": {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")}}
        self.sessions[sid] = session
        return 200, session

    def complete(self, sid: str, *, at: int, payment_intent: str = "", event_id: str = "",
                 kind: str = "checkout.session.completed") -> bytes:
        """The payer pays: the event body Stripe then POSTs to the webhook endpoint."""
        session = dict(self.sessions[sid], payment_status="paid", status="complete",
                       payment_intent=payment_intent or "pi_" + secrets.token_hex(12))
        self.sessions[sid] = session
        event = {"id": event_id or "evt_" + secrets.token_hex(12), "object": "event", "api_version": "2024-06-20",
                 "created": at, "type": kind, "livemode": False, "data": {"object": session}}
        return json.dumps(event).encode()

    def signature(self, body: bytes, at: int, secret: str = "") -> str:
        mac = hmac.new((secret or self.webhook_secret).encode(), f"{at}.".encode() + body, hashlib.sha256)
        return f"t={at},v1={mac.hexdigest()}"

    def _hosted(self, rest: str) -> tuple:
        """The hosted Checkout page (a stand-in: a button that pays), and what paying does."""
        sid, _, action = rest.partition("/")
        if sid not in self.sessions:
            return 404, "<!doctype html><title>404</title>", {"Content-Type": "text/html; charset=utf-8"}
        if action != "pay":
            amount = self.sessions[sid]["amount_total"]
            page = (f'<!doctype html><html lang="en"><title>Pay</title><p data-testid="stripe-amount">{amount}</p>'
                    f'<form method="post" action="/c/pay/{sid}/pay"><button data-testid="stripe-pay">Pay</button>'
                    '</form></html>')
            return 200, page, {"Content-Type": "text/html; charset=utf-8"}
        import urllib.error
        import urllib.request

        stamp = self.now()
        body = self.complete(sid, at=stamp)
        delivery = urllib.request.Request(self.webhook_url, data=body, method="POST", headers={
            "Content-Type": "application/json", "Stripe-Signature": self.signature(body, stamp)})
        try:
            with urllib.request.urlopen(delivery, timeout=30) as answer:
                self.delivered.append((answer.status, answer.read()))
        except urllib.error.HTTPError as exc:     # Stripe would retry; the test reads what happened
            self.delivered.append((exc.code, exc.read()))
        return 303, "", {"Location": self.sessions[sid]["success_url"]}


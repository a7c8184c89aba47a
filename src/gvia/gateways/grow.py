"""Grow (formerly Meshulam): a payment page from the Light API, confirmed server to server.

Sourced from Grow's API reference (https://grow-il.readme.io/):

- "Create Payment Process" (reference/overview-6, reference/בקשת-תשלום-רגילה): a server-side POST
  of form fields to ``{base}/api/light/server/1.0/createPaymentProcess`` with ``userId`` and
  ``pageCode`` (given by Grow at onboarding; ``apiKey`` for a company serving several businesses),
  ``sum`` (in shekels), ``description``, ``successUrl``, ``cancelUrl``, ``notifyUrl``, the
  payer's ``pageField[fullName]``/``pageField[phone]``/``pageField[email]`` and free fields
  ``cField1``… Its answer (reference/response-copy-copy) is ``{"status": 1, "err": "", "data":
  {"processId", "processToken", "url"}}``; the process id and token must never be shown to the
  payer. Base: ``https://secure.meshulam.co.il`` (sandbox ``https://sandbox.meshulam.co.il``).
- The server notification (reference/server-respons): Grow POSTs to ``notifyUrl`` form fields
  (not JSON), ``status`` and ``data`` with ``transactionId``, ``asmachta``, ``sum``,
  ``statusCode`` (2: paid), ``processId``, ``processToken``, ``cField1``…
- "Get Payment Process Info" (post_api-light-server-1-0-getpaymentprocessinfo): the server asks
  Grow about a process by ``processId`` and ``processToken``.
- "Approve Transaction" (reference/approve-transation, reference/server-response-1): after each
  successful payment the merchant calls ``approveTransaction`` with the ``pageCode`` and all the
  data the server update brought (it changes nothing of the charge; Grow asks for it).

Grow signs nothing, so a notification is believed only when (1) its process token is the one
Grow gave gvia for that process (never shown to anyone else) and (2) Grow itself, asked server to
server, confirms the process is paid with that transaction and sum.
"""

from __future__ import annotations

import hmac
import urllib.parse
from decimal import Decimal, InvalidOperation
from typing import Mapping

from gvia.core.errors import RefusedFor
from gvia.core.money import Money
from gvia.gateways.base import Adapter, CheckoutRequest, Created, Notice, SecretFor, post

PRODUCTION = "https://secure.meshulam.co.il"
PATH = "/api/light/server/1.0/"
PAID = "2"


def _fields(body: bytes) -> dict[str, str]:
    """The form fields of a notification; ``data[x]`` and a flat ``x`` are both read as ``x``."""
    out: dict[str, str] = {}
    try:
        pairs = urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        raise RefusedFor("gateway_bad_notice", "not UTF-8") from None
    for key, value in pairs:
        if key.startswith("data[") and key.endswith("]"):
            key = key[5:-1].rsplit("[", 1)[-1].rstrip("]")     # data[customFields][cField1] → cField1
        out.setdefault(key, value)
    return out


def _minor(text: str) -> int:
    try:
        return Money.of(Decimal(str(text).strip()), "ILS").minor
    except (InvalidOperation, ValueError, ArithmeticError):
        raise RefusedFor("gateway_bad_notice", f"sum {text!r}") from None


class Grow(Adapter):
    name = "grow"
    FIELDS = (("user_id", False), ("page_code", False), ("api_key", True), ("api_base", False))
    REQUIRED = ("user_id", "page_code")

    def _url(self, creds: Mapping[str, str], method: str) -> str:
        return (creds.get("api_base") or PRODUCTION).rstrip("/") + PATH + method

    def _auth(self, creds: Mapping[str, str]) -> dict[str, str]:
        auth = {"userId": creds["user_id"], "pageCode": creds["page_code"]}
        if creds.get("api_key"):
            auth["apiKey"] = creds["api_key"]
        return auth

    def create(self, creds: Mapping[str, str], req: CheckoutRequest) -> Created:
        if req.currency != "ILS":
            raise RefusedFor("gateway_currency", "Grow takes shekels", currency=req.currency, gateway=self.name)
        form = {**self._auth(creds),
                "sum": str(Money.from_minor(req.amount_minor, "ILS").amount),
                "description": req.description[:200], "successUrl": req.success_url,
                "cancelUrl": req.cancel_url, "notifyUrl": req.notify_url, "cField1": req.reference}
        if req.customer_name:
            form["pageField[fullName]"] = req.customer_name
        if req.customer_phone:
            form["pageField[phone]"] = req.customer_phone
        if req.customer_email:
            form["pageField[email]"] = req.customer_email
        answer = post(self._url(creds, "createPaymentProcess"), form=form)
        data = answer.get("data") if str(answer.get("status")) == "1" else None
        if not isinstance(data, dict) or not data.get("url") or not data.get("processId"):
            raise RefusedFor("gateway_answer", f"Grow refused: {answer.get('err')!r}", status=200)
        return Created(str(data["processId"]), str(data["url"]), str(data.get("processToken") or ""))

    def verify(self, creds: Mapping[str, str], headers: Mapping[str, str], body: bytes, *, now: int,
               secret_for: SecretFor) -> Notice:
        f = _fields(body)
        process_id, token = f.get("processId", ""), f.get("processToken", "")
        if not process_id or not token or not f.get("transactionId"):
            raise RefusedFor("gateway_bad_notice", "processId, processToken and transactionId are needed")
        known = secret_for(process_id)
        if not known or not hmac.compare_digest(known.encode(), token.encode()):
            raise RefusedFor("gateway_forged", f"process token of {process_id} does not match")
        answer = post(self._url(creds, "getPaymentProcessInfo"),
                      form={**self._auth(creds), "processId": process_id, "processToken": token})
        info = answer.get("data") if str(answer.get("status")) == "1" else None
        if not isinstance(info, dict):
            raise RefusedFor("gateway_forged", f"Grow does not confirm process {process_id}")
        paid = str(f.get("statusCode")) == PAID
        if paid and (str(info.get("statusCode")) != PAID or str(info.get("transactionId")) != f["transactionId"]
                     or _minor(info.get("sum", "")) != _minor(f.get("sum", ""))):
            raise RefusedFor("gateway_forged", f"Grow's record of process {process_id} differs from the notice")
        return Notice(gateway_ref=process_id, transaction_id=f["transactionId"], amount_minor=_minor(f.get("sum", "0")),
                      currency="ILS", paid=paid, event_id=f["transactionId"],
                      extra={"asmachta": f.get("asmachta", ""), "reference": f.get("cField1", "")})

    def acknowledge(self, creds: Mapping[str, str], body: bytes) -> None:
        answer = post(self._url(creds, "approveTransaction"), form={**_fields(body), **self._auth(creds)})
        if str(answer.get("status")) != "1":
            raise RefusedFor("gateway_answer", f"Grow did not take the approval: {answer.get('err')!r}", status=200)

"""Cardcom: the hosted "Low Profile" payment page (API 10), confirmed server to server.

Sourced from Cardcom's own documentation:

- "Unified API for Redirect or IFRAME billing form (API 10)", step 1
  (https://support.cardcom.solutions/hc/he/articles/360021519340-Low-profile-interface-EN-Step-1-2):
  a POST, every value URL-encoded, to ``{base}/Interface/LowProfile.aspx`` with ``Operation``
  (1: charge only), ``TerminalNumber``, ``UserName`` (the API user), ``SumToBill`` (e.g.
  100.50), ``CoinId`` (1: shekel), ``Language``, ``ProductName``, ``SuccessRedirectUrl``,
  ``ErrorRedirectUrl``, ``IndicatorUrl`` (where Cardcom reports), ``ReturnValue`` (the merchant's
  own reference), ``APILevel`` 10 and ``codepage`` 65001 (UTF-8; the older article AA-00243).
  The answer is ``name=value`` pairs: ``ResponseCode`` (0: good), ``Description``,
  ``LowProfileCode`` and ``url``, the page to send the payer to.
- "Unified API Get server Response (IndicatorUrl)", step 2 (http://kb.cardcom.co.il/article/AA-00436):
  Cardcom makes a GET to ``IndicatorUrl`` with ``terminalnumber``, ``lowprofilecode`` ("unique code
  for this deal") and ``Operation``, possibly several times for the same deal. The merchant then
  asks Cardcom, GET ``{base}/Interface/BillGoldGetLowProfileIndicator.aspx`` with
  ``terminalnumber``, ``username``, ``lowprofilecode``; the answer's ``OperationResponse`` 0 means
  the operation ended well and ``DealResponse`` 0 that the charge was made;
  ``ExtShvaParams.Sum36`` is the sum the customer paid in agorot — minor units of the deal's own
  currency (article AA-00241, the card companies' data).

Cardcom signs nothing, so the indicator's call is only a hint: a deal is believed when its low
profile code is one gvia created (never shown to anyone but the payer's own page) on this
terminal, and Cardcom itself, asked server to server, says it was charged. The low profile code
is the transaction's id: one page, one deal. Currencies: ``CoinId`` 1 (shekel) and 2 (dollar).
"""

from __future__ import annotations

import urllib.parse
from typing import Mapping

from gvia.core.errors import RefusedFor
from gvia.core.money import Money
from gvia.gateways.base import Adapter, CheckoutRequest, Created, Notice, SecretFor, name_values

PRODUCTION = "https://secure.cardcom.solutions"
COINS = {"ILS": "1", "USD": "2"}
LANGUAGES = ("he", "en", "ru")


class Cardcom(Adapter):
    name = "cardcom"
    FIELDS = (("terminal_number", False), ("user_name", True), ("api_base", False))
    REQUIRED = ("terminal_number", "user_name")
    NOTIFY_METHOD = "GET"

    def _base(self, creds: Mapping[str, str]) -> str:
        return (creds.get("api_base") or PRODUCTION).rstrip("/")

    def create(self, creds: Mapping[str, str], req: CheckoutRequest) -> Created:
        coin = COINS.get(req.currency)
        if coin is None:
            raise RefusedFor("gateway_currency", "Cardcom takes shekels and dollars", currency=req.currency,
                             gateway=self.name)
        form = {"TerminalNumber": creds["terminal_number"], "UserName": creds["user_name"], "APILevel": "10",
                "codepage": "65001", "Operation": "1",
                "SumToBill": str(Money.from_minor(req.amount_minor, req.currency).amount), "CoinId": coin,
                "Language": req.language if req.language in LANGUAGES else "en",
                "ProductName": req.description[:200], "SuccessRedirectUrl": req.success_url,
                "ErrorRedirectUrl": req.cancel_url, "IndicatorUrl": req.notify_url, "ReturnValue": req.reference}
        answer = name_values(self._base(creds) + "/Interface/LowProfile.aspx", form)
        if answer.get("ResponseCode") != "0" or not answer.get("LowProfileCode") or not answer.get("url"):
            raise RefusedFor("gateway_answer", f"Cardcom refused: {answer.get('Description')!r}", status=200)
        return Created(answer["LowProfileCode"], answer["url"])

    def verify(self, creds: Mapping[str, str], headers: Mapping[str, str], body: bytes, *, now: int,
               secret_for: SecretFor) -> Notice:
        try:
            hit = dict(urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError:
            raise RefusedFor("gateway_bad_notice", "not UTF-8") from None
        hit = {k.lower(): v for k, v in hit.items()}
        code, terminal = hit.get("lowprofilecode", ""), hit.get("terminalnumber", "")
        if not code or not terminal:
            raise RefusedFor("gateway_bad_notice", "terminalnumber and lowprofilecode are needed")
        if terminal != creds["terminal_number"] or secret_for(code) is None:
            raise RefusedFor("gateway_forged", f"low profile code {code} is not one of this terminal's pages")
        if hit.get("operation", "1") != "1":
            return Notice(code, code, 0, "", paid=False, event_id=code)
        deal = name_values(self._base(creds) + "/Interface/BillGoldGetLowProfileIndicator.aspx",
                           {"terminalnumber": terminal, "username": creds["user_name"], "lowprofilecode": code},
                           method="GET")
        if deal.get("lowprofilecode", code) != code or deal.get("terminalnumber", terminal) != terminal:
            raise RefusedFor("gateway_forged", f"Cardcom's record of {code} is another deal's")
        paid = deal.get("OperationResponse") == "0" and deal.get("DealResponse") == "0"
        try:
            amount = int(deal.get("ExtShvaParams.Sum36") or 0) if paid else 0
        except ValueError:
            raise RefusedFor("gateway_bad_notice", "ExtShvaParams.Sum36") from None
        return Notice(gateway_ref=code, transaction_id=code, amount_minor=amount, currency="", paid=paid,
                      event_id=code, extra={"reference": deal.get("ReturnValue", "")})

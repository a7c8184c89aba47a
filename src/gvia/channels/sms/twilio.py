"""SMS through Twilio's Programmable Messaging, and the check of its webhooks' signature.

Documentation: the Messages resource, https://www.twilio.com/docs/messaging/api/message-resource
(``POST /2010-04-01/Accounts/{AccountSid}/Messages.json``, HTTP basic authentication with the
account SID and auth token, form fields ``To`` (E.164), ``From``, ``Body`` and ``StatusCallback``
— the URL Twilio posts ``MessageSid``, ``MessageStatus`` (queued, sent, delivered, undelivered,
failed) and ``ErrorCode`` to; a created message is answered 201 with its ``sid``; an error with
a JSON ``code`` and ``message`` — 21610: the recipient replied STOP, Twilio will not send to
it), and webhook security, https://www.twilio.com/docs/usage/webhooks/webhooks-security (each
request carries ``X-Twilio-Signature``: the base64 HMAC-SHA1, keyed with the auth token, of the
full URL Twilio called followed by every POST parameter's name and value, sorted by name). An
inbound message names ``MessageSid``, ``From``, ``To``, ``Body``; with Twilio's opt-out handling it
also carries ``OptOutType`` (STOP, START, HELP).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from urllib.parse import urlencode

from gvia.channels.sms.base import Prepared, ProviderEvent, Sent, TextOut, proof_of
from gvia.channels.sms.http import Checkpoint, OptedOut, PermanentFailure, ProviderRefused, Request, call

URL = "https://api.twilio.com"
UNSUBSCRIBED = 21610


def signature(url: str, params: dict[str, str], auth_token: str) -> str:
    """The ``X-Twilio-Signature`` Twilio computes for a POST of ``params`` to ``url``."""
    data = url + "".join(k + params[k] for k in sorted(params))
    return base64.b64encode(hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def valid_signature(url: str, params: dict[str, str], auth_token: str, header: str) -> bool:
    return bool(auth_token and header) and hmac.compare_digest(signature(url, params, auth_token), header)


class Twilio:
    provider = "twilio"

    def __init__(self, account_sid: str, auth_token: str, from_: str, url: str = URL, timeout: float = 30.0):
        self.sid, self.token, self.from_ = account_sid, auth_token, from_
        self.url, self.timeout = (url or URL).rstrip("/"), timeout

    def prepare(self, out: TextOut) -> Prepared:
        fields = {"To": out.to, "From": self.from_, "Body": out.text}
        if out.status_callback:
            fields["StatusCallback"] = out.status_callback
        auth = base64.b64encode(f"{self.sid}:{self.token}".encode()).decode()
        req = Request("POST", f"{self.url}/2010-04-01/Accounts/{self.sid}/Messages.json", urlencode(fields).encode(),
                      headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
                      secret_headers={"Authorization": f"Basic {auth}"})
        return Prepared(req, proof_of(req))

    def send(self, prepared: Prepared, checkpoint: Checkpoint) -> Sent:
        try:
            reply = call(prepared.request, self.timeout, checkpoint)
        except ProviderRefused as exc:
            try:
                code = int(json.loads(exc.reply.body).get("code") or 0)
            except (ValueError, TypeError, AttributeError):
                code = 0
            if code == UNSUBSCRIBED:
                raise OptedOut(f"twilio: {code}: the number replied STOP") from None
            raise
        try:
            sid = str(json.loads(reply.body)["sid"])
        except (ValueError, KeyError, TypeError):
            raise PermanentFailure(f"twilio: a reply without the message's sid: {reply.text()}") from None
        return Sent(sid, reply.text(500))

    def close(self) -> None:
        return None


def events(params: dict[str, str]) -> list[ProviderEvent]:
    """What a webhook call says: a delivery report (``MessageStatus``) or a reply (``Body``)."""
    sid = params.get("MessageSid") or params.get("SmsSid") or ""
    if not sid:
        return []
    if params.get("MessageStatus") and "Body" not in params:
        return [ProviderEvent("status", sid, phone=params.get("To", "").removeprefix("whatsapp:"),
                              status=params["MessageStatus"].lower(),
                              error=params.get("ErrorCode", ""))]
    opt = (params.get("OptOutType") or "").upper()
    return [ProviderEvent("inbound", sid, phone=params.get("From", "").removeprefix("whatsapp:"),
                          text=params.get("Body", ""),
                          opted_out=opt == "STOP", data={"opt_out_type": opt} if opt else {})]

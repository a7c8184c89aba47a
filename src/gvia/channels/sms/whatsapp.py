"""WhatsApp through the WhatsApp Business Cloud API (Meta's Graph API), and the check of its
webhooks' signature.

Documentation: sending a message template — ``POST https://graph.facebook.com/<version>/
<phone-number-id>/messages`` with ``Authorization: Bearer <access token>`` and the JSON
``{"messaging_product": "whatsapp", "to": <number, digits with country code>, "type": "template",
"template": {"name": …, "language": {"code": …}, "components": [{"type": "body", "parameters":
[{"type": "text", "text": …}, …]}]}}``; the reply names the message as ``messages[0].id`` (a
"wamid"); a business may start a conversation only with a template approved in advance
(WhatsApp Node.js SDK reference, https://whatsapp.github.io/WhatsApp-Nodejs-SDK/api-reference/messages/template).
Webhooks (https://whatsapp.github.io/WhatsApp-Nodejs-SDK/api-reference/webhooks/start): a GET
with ``hub.mode=subscribe``, ``hub.verify_token`` and ``hub.challenge`` is answered with the
challenge when the token matches; every POST carries ``X-Hub-Signature-256: sha256=<hex
HMAC-SHA256 of the raw body keyed with the app secret>``; its JSON holds ``entry[].changes[].value``
with ``messages`` (``from``, ``id``, ``text.body``) and ``statuses`` (``id``, ``status``: sent,
delivered, read, failed; ``recipient_id``; ``errors``).
"""

from __future__ import annotations

import hashlib
import hmac
import json

from gvia.channels.sms.base import Prepared, ProviderEvent, Sent, TextOut, proof_of
from gvia.channels.sms.http import Checkpoint, PermanentFailure, Request, call

URL = "https://graph.facebook.com/v21.0"


def signature(body: bytes, app_secret: str) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def valid_signature(body: bytes, app_secret: str, header: str) -> bool:
    return bool(app_secret and header) and hmac.compare_digest(signature(body, app_secret), header)


class WhatsApp:
    provider = "whatsapp"

    def __init__(self, phone_number_id: str, token: str, url: str = URL, timeout: float = 30.0):
        self.phone_id, self.token = phone_number_id, token
        self.url, self.timeout = (url or URL).rstrip("/"), timeout

    def prepare(self, out: TextOut) -> Prepared:
        body = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": out.to.lstrip("+"),
                "type": "template",
                "template": {"name": out.template, "language": {"code": out.template_language},
                             "components": [{"type": "body", "parameters": [
                                 {"type": "text", "text": p} for p in out.params]}]}}
        req = Request("POST", f"{self.url}/{self.phone_id}/messages", json.dumps(body, ensure_ascii=False).encode(),
                      headers={"Content-Type": "application/json"},
                      secret_headers={"Authorization": f"Bearer {self.token}"})
        return Prepared(req, proof_of(req) + b"\n" + out.text.encode())

    def send(self, prepared: Prepared, checkpoint: Checkpoint) -> Sent:
        reply = call(prepared.request, self.timeout, checkpoint)
        try:
            wamid = str(json.loads(reply.body)["messages"][0]["id"])
        except (ValueError, KeyError, IndexError, TypeError):
            raise PermanentFailure(f"whatsapp: a reply without the message's id: {reply.text()}") from None
        return Sent(wamid, reply.text(500))

    def close(self) -> None:
        return None


def events(payload: dict) -> list[ProviderEvent]:
    """The replies and delivery reports of one webhook call."""
    out: list[ProviderEvent] = []
    for entry in payload.get("entry") or []:
        for change in (entry or {}).get("changes") or []:
            value = (change or {}).get("value") or {}
            for m in value.get("messages") or []:
                body = ((m.get("text") or {}).get("body") or (m.get("button") or {}).get("text") or "")
                out.append(ProviderEvent("inbound", str(m.get("id") or ""), phone="+" + str(m.get("from") or ""),
                                         text=str(body)))
            for s in value.get("statuses") or []:
                errors = s.get("errors") or []
                error = str(errors[0].get("code") or "") if errors and isinstance(errors[0], dict) else ""
                out.append(ProviderEvent("status", str(s.get("id") or ""), phone="+" + str(s.get("recipient_id") or ""),
                                         status=str(s.get("status") or "").lower(), error=error))
    return [e for e in out if e.provider_id]

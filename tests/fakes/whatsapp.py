"""A fake of the WhatsApp Business Cloud API (Meta's Graph API), built from the WhatsApp
Node.js SDK reference — messages.template
(https://whatsapp.github.io/WhatsApp-Nodejs-SDK/api-reference/messages/template: ``POST
/<phone-number-id>/messages`` with a bearer access token and ``{"messaging_product": "whatsapp",
"to", "type": "template", "template": {"name", "language": {"code"}, "components"}}``, answered
with ``messages[0].id``) and webhooks.start
(https://whatsapp.github.io/WhatsApp-Nodejs-SDK/api-reference/webhooks/start: GET verification
with ``hub.verify_token``/``hub.challenge``; POSTs signed ``X-Hub-Signature-256: sha256=<HMAC-SHA256
of the body with the app secret>``). Only the templates given as approved are sent (an unknown
one is refused with Graph error 132001, "template name does not exist in the translation").
:meth:`webhook` builds a signed notification."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json

from tests.fakes.http_fake import FakeAPI


class FakeWhatsApp(FakeAPI):
    def __init__(self, phone_id: str = "106540352242922", token: str = "wa-token", app_secret: str = "wa-secret",
                 templates: tuple[tuple[str, str], ...] = (("gvia_payment_reminder", "he"),
                                                            ("gvia_payment_reminder", "en"))):
        super().__init__()
        self.phone_id, self.token, self.app_secret = phone_id, token, app_secret
        self.templates = set(templates)
        self.sent: list[dict] = []
        self.next: list[tuple[int | None, dict]] = []
        self._ids = itertools.count(1)

    def fail_with(self, status: int | None, body: dict | None = None) -> None:
        self.next.append((status, body or {}))

    def handle(self, path, headers, body):
        if self.next:
            return self.next.pop(0)
        if path != f"/{self.phone_id}/messages":
            return 404, {"error": {"message": "Unknown path", "type": "OAuthException", "code": 803}}
        if headers.get("Authorization") != f"Bearer {self.token}":
            return 401, {"error": {"message": "Invalid OAuth access token", "type": "OAuthException", "code": 190}}
        try:
            data = json.loads(body)
            template = data["template"]
            key = (template["name"], template["language"]["code"])
        except (ValueError, KeyError, TypeError):
            return 400, {"error": {"message": "Invalid parameter", "type": "OAuthException", "code": 100}}
        if data.get("messaging_product") != "whatsapp" or data.get("type") != "template" \
                or not str(data.get("to", "")).isdigit():
            return 400, {"error": {"message": "Invalid parameter", "type": "OAuthException", "code": 100}}
        if key not in self.templates:
            return 404, {"error": {"message": "(#132001) Template name does not exist in the translation",
                                   "type": "OAuthException", "code": 132001}}
        wamid = f"wamid.HBgM{next(self._ids):08d}"
        params = [p["text"] for c in template.get("components", []) for p in c.get("parameters", [])]
        self.sent.append({"to": data["to"], "template": key, "params": params, "id": wamid})
        return 200, {"messaging_product": "whatsapp", "contacts": [{"input": data["to"], "wa_id": data["to"]}],
                     "messages": [{"id": wamid}]}

    def webhook(self, value: dict, secret: str | None = None) -> tuple[bytes, dict[str, str]]:
        """A notification carrying ``value`` (messages or statuses), and its signature header."""
        body = json.dumps({"object": "whatsapp_business_account", "entry": [
            {"id": "102290129340398", "changes": [{"field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "15550783881", "phone_number_id": self.phone_id},
                **value}}]}]}).encode()
        sig = "sha256=" + hmac.new((secret or self.app_secret).encode(), body, hashlib.sha256).hexdigest()
        return body, {"HTTP_X_HUB_SIGNATURE_256": sig}

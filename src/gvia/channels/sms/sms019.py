"""SMS through 019 (019sms.co.il), an Israeli provider with a documented HTTP API.

Documentation: https://docs.019sms.co.il/sms/send-sms.html ("Send SMS": ``POST
https://019sms.co.il/api`` with an XML or JSON stream and an API token; the request names the
account's ``username``, a ``source`` of at most 11 digits or English letters, ``destinations``
with ``phone`` numbers written 5xxxxxxxx or 05xxxxxxxx — each may carry an ``id`` that its
delivery reports name — and the ``message``, at most 1005 characters) and
https://docs.019sms.co.il/sms (requests go to ``/api``; ``/api/test`` checks a request without
sending it). The stored copy of the documentation lists these fields but not its JSON examples:
the JSON nesting below (``{"sms": {"user": {"username": …}, …}}``, a phone with its id as
``{"_": number, "id": …}``), the ``Authorization: Bearer <token>`` header and the reply
``{"status": 0, "message": …, "shipment_id": …}`` (0: accepted; any other status: refused) follow
the XML element names of that page and are an assumption to check against the account. 019's
delivery reports and replies are not read (no webhook is documented in the stored copy): with
019, an opt-out is recorded by a person (``gvia sms opt-out``).
"""

from __future__ import annotations

import json

from gvia.channels.sms.base import Prepared, Sent, TextOut, proof_of
from gvia.channels.sms.http import Checkpoint, PermanentFailure, Request, call
from gvia.core.texting import national

URL = "https://019sms.co.il/api"


class Sms019:
    provider = "019"

    def __init__(self, username: str, token: str, source: str, url: str = URL, timeout: float = 30.0):
        self.username, self.token, self.source = username, token, source
        self.url, self.timeout = url or URL, timeout

    def prepare(self, out: TextOut) -> Prepared:
        body = {"sms": {"user": {"username": self.username}, "source": self.source,
                        "destinations": {"phone": [{"_": national(out.to), "id": out.reference}]},
                        "message": out.text}}
        req = Request("POST", self.url, json.dumps(body, ensure_ascii=False).encode(),
                      headers={"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"},
                      secret_headers={"Authorization": f"Bearer {self.token}"})
        return Prepared(req, proof_of(req))

    def send(self, prepared: Prepared, checkpoint: Checkpoint) -> Sent:
        reply = call(prepared.request, self.timeout, checkpoint)
        try:
            data = json.loads(reply.body)
            status = int(data.get("status", -1))
        except (ValueError, TypeError, AttributeError):
            raise PermanentFailure(f"019: a reply that is not the documented JSON: {reply.text()}") from None
        if status != 0:
            raise PermanentFailure(f"019: status {status}: {str(data.get('message', ''))[:200]}")
        return Sent(str(data.get("shipment_id") or ""), reply.text(500))

    def close(self) -> None:
        return None

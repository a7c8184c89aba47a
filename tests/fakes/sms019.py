"""A fake of 019's SMS API, built from https://docs.019sms.co.il/sms/send-sms.html (Send SMS:
``POST /api`` with a JSON stream naming the account's ``username``, a ``source`` of at most 11
digits or English letters, ``destinations`` with ``phone`` numbers written 5xxxxxxxx or
05xxxxxxxx and the ``message``, at most 1005 characters) and https://docs.019sms.co.il/sms (an
API token with every request). It checks the token (``Authorization: Bearer``), the user name,
the source, the phone format and the message length, and answers ``{"status": 0, "message":
"SMS will be sent", "shipment_id": …}``, or a non-zero status naming the problem. Each accepted
SMS is kept in ``sent``. ``fail_with`` sets the answer of the next request ((status, body), or
(None, {}) to drop the connection after reading it)."""

from __future__ import annotations

import itertools
import json
import re

from tests.fakes.http_fake import FakeAPI


class Fake019(FakeAPI):
    def __init__(self, username: str = "gilboa", token: str = "tok-019", source: str = "Gilboa"):
        super().__init__()
        self.username, self.token, self.source = username, token, source
        self.sent: list[dict] = []
        self.next: list[tuple[int | None, dict]] = []
        self._ids = itertools.count(5001)

    def fail_with(self, status: int | None, body: dict | None = None) -> None:
        self.next.append((status, body or {}))

    def handle(self, path, headers, body):
        if self.next:
            return self.next.pop(0)
        if path.rstrip("/") != "/api":
            return 404, {"status": 404, "message": "not found"}
        if headers.get("Authorization") != f"Bearer {self.token}":
            return 200, {"status": 3, "message": "wrong token"}
        try:
            sms = json.loads(body)["sms"]
            phones = sms["destinations"]["phone"]
        except (ValueError, KeyError, TypeError):
            return 200, {"status": 1, "message": "not a valid request"}
        if sms.get("user", {}).get("username") != self.username:
            return 200, {"status": 3, "message": "wrong user name"}
        if not re.fullmatch(r"[0-9A-Za-z]{1,11}", str(sms.get("source", ""))):
            return 200, {"status": 2, "message": "bad source"}
        message = sms.get("message", "")
        if not message or len(message) > 1005:
            return 200, {"status": 2, "message": "bad message"}
        for p in phones:
            if not re.fullmatch(r"0?5\d{8}", str(p.get("_", ""))):
                return 200, {"status": 2, "message": f"bad phone {p!r}"}
        shipment = str(next(self._ids))
        for p in phones:
            self.sent.append({"phone": p["_"], "id": p.get("id"), "message": message, "source": sms["source"],
                              "shipment_id": shipment})
        return 200, {"status": 0, "message": "SMS will be sent", "shipment_id": shipment}

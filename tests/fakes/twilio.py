"""A fake of Twilio's Messages API, built from
https://www.twilio.com/docs/messaging/api/message-resource (``POST
/2010-04-01/Accounts/{AccountSid}/Messages.json``, HTTP basic authentication with the account
SID and auth token, form fields ``To`` in E.164, ``From``, ``Body``, ``StatusCallback``; 201 with
the message's ``sid``; errors as JSON ``code``/``message``/``status`` — 20003 authentication,
21211 an invalid ``To``, 21610 a recipient that replied STOP), and of its webhook requests,
https://www.twilio.com/docs/usage/webhooks/webhooks-security (``X-Twilio-Signature``: base64
HMAC-SHA1 with the auth token of the URL followed by the sorted POST parameters): :meth:`signed`
builds the signed form a status callback or an inbound message carries."""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import re
from urllib.parse import parse_qs

from tests.fakes.http_fake import FakeAPI


def sign(url: str, params: dict[str, str], token: str) -> str:
    data = url + "".join(k + params[k] for k in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


class FakeTwilio(FakeAPI):
    def __init__(self, sid: str = "AC" + "1" * 32, token: str = "twilio-token", from_: str = "+15005550006"):
        super().__init__()
        self.sid, self.token, self.from_ = sid, token, from_
        self.sent: list[dict] = []
        self.stopped: set[str] = set()
        self.next: list[tuple[int | None, dict]] = []
        self._ids = itertools.count(1)

    def fail_with(self, status: int | None, body: dict | None = None) -> None:
        self.next.append((status, body or {}))

    def handle(self, path, headers, body):
        if self.next:
            return self.next.pop(0)
        if path != f"/2010-04-01/Accounts/{self.sid}/Messages.json":
            return 404, {"code": 20404, "message": "The requested resource was not found", "status": 404}
        want = "Basic " + base64.b64encode(f"{self.sid}:{self.token}".encode()).decode()
        if headers.get("Authorization") != want:
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}
        form = {k: v[0] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
        if not re.fullmatch(r"\+[1-9]\d{6,14}", form.get("To", "")):
            return 400, {"code": 21211, "message": "Invalid 'To' Phone Number", "status": 400}
        if form.get("From") != self.from_ or not form.get("Body"):
            return 400, {"code": 21603, "message": "A 'From' phone number and a body are required", "status": 400}
        if form["To"] in self.stopped:
            return 400, {"code": 21610, "message": "Attempt to send to unsubscribed recipient", "status": 400}
        sid = f"SM{next(self._ids):032d}"
        self.sent.append({**form, "sid": sid})
        return 201, {"sid": sid, "status": "queued", "to": form["To"], "from": form["From"], "body": form["Body"]}

    def signed(self, url: str, params: dict[str, str], token: str | None = None) -> dict[str, str]:
        """The header Twilio sends with a POST of ``params`` to ``url``."""
        return {"HTTP_X_TWILIO_SIGNATURE": sign(url, params, token or self.token)}

"""One HTTPS request to a provider, and what its failure means for the message.

- The connection could not be opened, or broke while the request was being written: the
  provider has no complete request, so nothing was sent — :class:`TemporaryFailure`.
- The whole request was written (checkpoint ``data_sent``) and then the connection broke or
  timed out before a reply: the provider may have sent the text — :class:`Uncertain`, never
  retried automatically.
- A reply: 2xx is the provider's; 429 (too many requests) is temporary; any other 4xx is
  permanent (the request is wrong, the credentials, the number); 5xx is uncertain (the provider
  failed somewhere, perhaps after sending: gvia does not send it a second time on a guess).
"""

from __future__ import annotations

import http.client
import socket
import ssl
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlsplit

from gvia.channels.smtp import PermanentFailure, TemporaryFailure, Uncertain

Checkpoint = Callable[[str], None]
MAX_REPLY = 1 << 20


@dataclass(frozen=True)
class Request:
    method: str
    url: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    secret_headers: dict[str, str] = field(default_factory=dict)   # credentials: never in the proof


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes

    def text(self, limit: int = 300) -> str:
        return self.body[:limit].decode("utf-8", "replace")


class ProviderRefused(PermanentFailure):
    """A 4xx reply: the provider refused the request (its reply is kept for the adapter to read)."""

    def __init__(self, what: str, reply: Reply):
        super().__init__(what)
        self.reply = reply


class OptedOut(PermanentFailure):
    """The provider refuses to send to this number because it opted out there."""


def _noop(_: str) -> None:
    return None


def call(req: Request, timeout: float = 30.0, checkpoint: Checkpoint = _noop) -> Reply:
    """Send ``req``; a 2xx reply is returned, anything else raised as the module doc says."""
    parts = urlsplit(req.url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise PermanentFailure(f"not a web address: {req.url!r}")
    conn: http.client.HTTPConnection
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout,
                                           context=ssl.create_default_context())
    else:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        try:
            conn.request(req.method, path, body=req.body,
                         headers={**req.headers, **req.secret_headers, "Content-Length": str(len(req.body))})
        except (OSError, http.client.HTTPException) as exc:
            raise TemporaryFailure(f"{parts.hostname}: could not send the request ({exc})") from None
        checkpoint("data_sent")
        try:
            resp = conn.getresponse()
            body = resp.read(MAX_REPLY)
        except (OSError, http.client.HTTPException, socket.timeout) as exc:
            raise Uncertain(f"{parts.hostname}: no reply after the request was sent ({exc})") from None
    finally:
        conn.close()
    reply = Reply(resp.status, body)
    if 200 <= resp.status < 300:
        return reply
    what = f"{parts.hostname}: HTTP {resp.status} {reply.text()}"
    if resp.status == 429:
        raise TemporaryFailure(what)
    if resp.status >= 500:
        raise Uncertain(what)
    raise ProviderRefused(what, reply)

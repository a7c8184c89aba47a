"""A small HTTP server on loopback for the fakes of outside APIs: it runs in a thread, hands each
POST (path, headers, raw body) to the fake's ``handle`` and sends back its JSON answer; every
request is kept in ``requests`` for the tests to read."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeAPI:
    """Subclass and define ``handle(path, headers, body) -> (status, answer[, headers])``: a dict
    is sent as JSON, a str as text (name=value answers) unless the headers name another
    Content-Type (a hosted page's HTML); status None: the connection drops after the request
    was read, with no reply. A GET's query string is given as the body, its path without the
    query. Use as a context manager."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self._answer(self.path, self.rfile.read(int(self.headers.get("Content-Length") or 0)))

            def do_GET(self) -> None:
                path, _, query = self.path.partition("?")
                self._answer(path, query.encode())

            def _answer(self, path: str, body: bytes) -> None:
                headers = {k: v for k, v in self.headers.items()}
                fake.requests.append((path, headers, body))
                status, answer, *more = fake.handle(path, headers, body)
                if status is None:       # the request was read, then the connection drops: no reply
                    self.close_connection = True
                    return
                extra = dict(more[0]) if more else {}
                text = isinstance(answer, str)
                raw = answer.encode() if text else json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", extra.pop("Content-Type", "text/plain; charset=utf-8" if text
                                                          else "application/json"))
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def handle(self, path: str, headers: dict[str, str], body: bytes) -> tuple:
        raise NotImplementedError

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

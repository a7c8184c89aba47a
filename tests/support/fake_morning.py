"""A local fake of Morning's (Green Invoice's) public API, for the sync's tests (issue 18).

Built from Green Invoice's own API collection, "Green Invoice Public API" (its Postman collection;
stored copy: github.com/gilgardosh/accounter-toolkit,
packages/green-invoice-graphql/json-schemas/postmanCollection.json):

* ``POST /api/v1/account/token`` ``{"id", "secret"}`` → ``{"token", "expires"}`` and the JWT in the
  ``X-Authorization-Bearer`` header; wrong key data → 401 with ``{"errorCode": 2014,
  "errorMessage": "נתוני מפתח לא נכונים."}`` (the collection's error table: 2014).
* ``POST /api/v1/documents/search`` ``{"page", "pageSize", "fromDate", "toDate", "sort"}`` with
  ``Authorization: Bearer <JWT>`` → ``{"pageSize", "page", "total", "from", "to", "pages",
  "items"}``; a missing or wrong JWT → 401.

The documents it holds are dicts shaped as the collection's "Get Document" example; tests add
them with :meth:`FakeMorning.document`.
"""

from __future__ import annotations

import json
import math
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def _number(text: str) -> Any:
    """The amount as Morning's JSON has it (a number); a test's deliberately broken value as it is."""
    try:
        return float(text)
    except ValueError:
        return text


class FakeMorning:
    def __init__(self, key_id: str = "key-1", secret: str = "secret-1") -> None:
        self.key_id, self.secret = key_id, secret
        self.documents: list[dict[str, Any]] = []
        self.tokens: set[str] = set()
        self.calls: list[str] = []
        self.fail_with: int | None = None          # answer every call with this status
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
                data = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # noqa: N802 — http.server's name
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                outer.calls.append(self.path)
                if outer.fail_with:
                    return self._answer(outer.fail_with, {"errorCode": 1017, "errorMessage": "שגיאה כללית."})
                if self.path == "/api/v1/account/token":
                    if body.get("id") != outer.key_id or body.get("secret") != outer.secret:
                        return self._answer(401, {"errorCode": 2014, "errorMessage": "נתוני מפתח לא נכונים."})
                    token = uuid.uuid4().hex
                    outer.tokens.add(token)
                    return self._answer(200, {"token": token, "expires": 1_900_000_000},
                                        {"X-Authorization-Bearer": token})
                auth = self.headers.get("Authorization", "")
                if not auth.startswith("Bearer ") or auth[7:] not in outer.tokens:
                    return self._answer(401, {"errorCode": 1001, "errorMessage": "גישה נדחתה."})
                if self.path == "/api/v1/documents/search":
                    found = [d for d in outer.documents
                             if body.get("fromDate", "0000") <= d["documentDate"] <= body.get("toDate", "9999")]
                    found.sort(key=lambda d: (d["documentDate"], d["number"]))
                    size, page = int(body.get("pageSize", 25)), int(body.get("page", 1))
                    items = found[(page - 1) * size:page * size]
                    return self._answer(200, {"pageSize": size, "page": page, "total": len(found),
                                              "from": (page - 1) * size + 1, "to": (page - 1) * size + len(items),
                                              "pages": math.ceil(len(found) / size), "items": items})
                return self._answer(404, {"errorCode": 404, "errorMessage": "פריט לא נמצא."})

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/api/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def document(self, type_: int, number: int, date: str, client: dict[str, Any], amount: str, *,
                 due: str | None = None, status: int = 0, currency: str = "ILS",
                 payments: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        doc = {"id": str(uuid.uuid4()), "type": type_, "number": number, "documentDate": date, "status": status,
               "lang": "he", "currency": currency, "currencyRate": 1, "amount": _number(amount),
               "client": client, "description": ""}
        if due:
            doc["dueDate"] = due
        if payments is not None:
            doc["payment"] = [{"id": str(uuid.uuid4()), "type": 4, "status": 1, "currency": currency,
                               "currencyRate": 1, **p} for p in payments]
        self.documents.append(doc)
        return doc

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

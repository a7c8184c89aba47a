"""A local fake of iCount's API v3, for the sync's tests (issue 18).

Built from the sources :mod:`gvia.invoicing.icount` names: iCount's API index
(apiv3.icount.co.il/new_api_docs/index.json.php; stored copy: github.com/miriamrteller/manage-studio,
docs/plans/finance/icount/fixtures/apiv3-module-index.json) for the methods, their parameters and
the fields of a document (``iCountDocInfo``) and of its payments; and, where the index is silent,
the public clients that module cites:

* ``POST /api/v3.php/auth/login`` ``{"cid", "user", "pass"}`` → ``{"status": true, "sid"}``;
  wrong credentials → ``{"status": false, "reason": ...}`` with HTTP 200 ("iCount signals
  application-level failures with status: false and HTTP 200", davidkotler/icount-mcp).
* ``POST /api/v3.php/doc/search`` ``{"sid", "doctype", "start_date", "end_date", "detail_level",
  "max_results", "offset"}`` → ``{"status": true, "results_list": [...], "total_results"}``; no
  documents → ``{"status": false, "reason": "no_results_found"}``; an unknown ``sid`` → a
  ``status: false`` failure. ``results_list`` is sent as an object keyed by position when
  ``keyed`` is set (a source reads both shapes).

Documents are dicts with ``iCountDocInfo``'s field names; tests add them with
:meth:`FakeICount.document`.
"""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PREFIX = "/api/v3.php"


class FakeICount:
    def __init__(self, cid: str = "acme", user: str = "api", password: str = "pass-1") -> None:
        self.cid, self.user, self.password = cid, user, password
        self.documents: list[dict[str, Any]] = []
        self.sessions: set[str] = set()
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.fail_with: int | None = None          # answer every call with this HTTP status
        self.keyed = False                          # results_list as an object keyed by position
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status: int, body: Any) -> None:
                data = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # noqa: N802 — http.server's name
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                path = self.path[len(PREFIX):] if self.path.startswith(PREFIX) else self.path
                outer.calls.append((path, body))
                if outer.fail_with:
                    return self._answer(outer.fail_with, {"status": False, "reason": "server_error"})
                if path == "/auth/login":
                    if (body.get("cid"), body.get("user"), body.get("pass")) != (outer.cid, outer.user, outer.password):
                        return self._answer(200, {"status": False, "reason": "bad_login",
                                                  "error_description": "Wrong company id, user or password"})
                    sid = uuid.uuid4().hex
                    outer.sessions.add(sid)
                    return self._answer(200, {"status": True, "sid": sid})
                if body.get("sid") not in outer.sessions:
                    return self._answer(200, {"status": False, "reason": "auth_required"})
                if path == "/doc/search":
                    start, end = str(body.get("start_date") or "0000"), str(body.get("end_date") or "9999")
                    found = [d for d in outer.documents if d["doctype"] == body.get("doctype")
                             and start <= d["dateissued"] <= end]
                    found.sort(key=lambda d: (d["dateissued"], int(d["docnum"])))
                    if not found:
                        return self._answer(200, {"status": False, "reason": "no_results_found"})
                    size, offset = int(body.get("max_results") or 100), int(body.get("offset") or 0)
                    page = found[offset:offset + size]
                    listed: Any = {str(i): d for i, d in enumerate(page)} if outer.keyed else page
                    return self._answer(200, {"status": True, "results_list": listed, "total_results": len(found)})
                return self._answer(200, {"status": False, "reason": "unknown_method"})

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}{PREFIX}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def document(self, doctype: str, docnum: int, date: str, client_id: str, client_name: str, total: str, *,
                 due: str | None = None, currency: str | None = "ILS", cancelled: bool = False,
                 payments: dict[str, Any] | None = None) -> dict[str, Any]:
        """A document as ``iCountDocInfo`` names its fields; ``payments`` by iCount's payment field
        (``cash``, ``cheques``, ``banktransfer``, ``cc``…), each a list of ``{"sum", "date"}``."""
        doc: dict[str, Any] = {"doctype": doctype, "docnum": str(docnum), "dateissued": date,
                               "timeissued": f"{date} 10:00:00", "client_id": client_id, "client_name": client_name,
                               "totalwithvat": total, "is_cancelled": "1" if cancelled else "0",
                               "is_cancellation": "0", "status": "0"}
        if currency is not None:
            doc["currency_code"] = currency
        if due:
            doc["duedate"] = due
        doc.update(payments or {})
        self.documents.append(doc)
        return doc

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

"""A fake of Grow's (formerly Meshulam's) Light API, from Grow's API reference at
https://grow-il.readme.io/:

- reference/overview-6 ("Create Payment Process"): ``POST /api/light/server/1.0/createPaymentProcess``,
  form fields (not JSON) ``userId``, ``pageCode`` (Grow's onboarding identifiers), ``sum`` in
  shekels, ``successUrl``, ``cancelUrl``, ``notifyUrl``, ``description``, ``pageField[…]``,
  ``cField1``…; the answer (reference/response-copy-copy) is ``{"status": 1, "err": "", "data":
  {"processId", "processToken", "url"}}``, a refusal ``{"status": 0, "err": {"id", "message"},
  "data": ""}``;
- reference/server-respons: after payment Grow POSTs to ``notifyUrl`` form fields ``status``,
  ``err`` and ``data[…]`` — ``transactionId``, ``asmachta``, ``sum``, ``statusCode`` (2: paid),
  ``paymentDate``, ``fullName``, ``processId``, ``processToken``, ``cField1``;
- post_api-light-server-1-0-getpaymentprocessinfo: ``POST …/getPaymentProcessInfo`` with
  ``userId``, ``pageCode``, ``processId``, ``processToken`` gives the process's record, here in
  the notification's own fields;
- reference/approve-transation: ``POST …/approveTransaction`` with the ``pageCode`` and all the
  data of the server update, after each successful payment (kept in ``approved``).
"""

from __future__ import annotations

import secrets
import urllib.parse

from tests.fakes.http_fake import FakeAPI

PATH = "/api/light/server/1.0/"


def _refuse(n: int, message: str) -> tuple[int, dict]:
    return 200, {"status": 0, "err": {"id": n, "message": message}, "data": ""}


class FakeGrow(FakeAPI):
    def __init__(self, user_id: str = "4ec1d595ae764243", page_code: str = "b73ca07591f8") -> None:
        super().__init__()
        self.user_id, self.page_code = user_id, page_code
        self.processes: dict[str, dict] = {}
        self.approved: list[str] = []

    def handle(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict]:
        form = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
        if form.get("userId") != self.user_id or form.get("pageCode") != self.page_code:
            return _refuse(54, "חסרים שדות חובה: pageCode")
        if path == PATH + "createPaymentProcess":
            if not form.get("sum") or float(form["sum"]) <= 0:
                return _refuse(3, "sum")
            pid = str(100000 + len(self.processes) + 1)
            token = secrets.token_hex(16)
            self.processes[pid] = {"form": form, "token": token, "paid": None}
            return 200, {"status": 1, "err": "", "data": {"processId": pid, "processToken": token,
                                                          "url": f"{self.url}/far?l={secrets.token_hex(16)}"}}
        if path == PATH + "approveTransaction":
            paid = [pid for pid, p in self.processes.items() if p["paid"] and p["paid"] == form.get("transactionId")]
            if not paid or form.get("processToken") != self.processes[paid[0]]["token"]:
                return _refuse(5, "transaction not found")
            self.approved.append(form["transactionId"])
            return 200, {"status": 1, "err": "", "data": ""}
        if path == PATH + "getPaymentProcessInfo":
            process = self.processes.get(form.get("processId", ""))
            if process is None or form.get("processToken") != process["token"]:
                return _refuse(4, "process not found")
            return 200, {"status": 1, "err": "", "data": self._data(form["processId"])}
        return 404, {"status": 0, "err": {"id": 404, "message": "not found"}, "data": ""}

    def _data(self, pid: str) -> dict:
        process = self.processes[pid]
        paid = process["paid"]
        return {"processId": pid, "processToken": process["token"], "sum": process["form"]["sum"],
                "statusCode": "2" if paid else "1", "status": "שולם" if paid else "ממתין",
                "transactionId": paid or "", "asmachta": "0289199" if paid else "",
                "cField1": process["form"].get("cField1", ""),
                "fullName": process["form"].get("pageField[fullName]", ""),
                "paymentDate": "07/12/26", "cardSuffix": "1177", "cardBrand": "Mastercard",
                "transactionToken": ("c68d98d4" + process["token"][:8]) if paid else ""}

    def pay(self, pid: str, transaction_id: str = "") -> bytes:
        """The payer pays the process: the form Grow then POSTs to ``notifyUrl``."""
        self.processes[pid]["paid"] = transaction_id or str(145111110 + len(self.processes))
        return self.notification(self._data(pid))

    @staticmethod
    def notification(data: dict) -> bytes:
        pairs = [("status", "1"), ("err", "")] + [(f"data[{k}]", str(v)) for k, v in data.items()]
        return urllib.parse.urlencode(pairs).encode()

"""A fake of Cardcom's Low Profile interface (API 10), from Cardcom's documentation:

- step 1, https://support.cardcom.solutions/hc/he/articles/360021519340-Low-profile-interface-EN-Step-1-2:
  ``POST /Interface/LowProfile.aspx``, URL-encoded ``TerminalNumber``, ``UserName``,
  ``Operation``, ``SumToBill``, ``CoinId``, ``Language``, ``ProductName``,
  ``SuccessRedirectUrl``, ``ErrorRedirectUrl``, ``IndicatorUrl``, ``ReturnValue``, ``APILevel``,
  ``codepage``; the answer ``ResponseCode=0&Description=…&LowProfileCode=…&url=…`` (a wrong
  user: a ResponseCode other than 0, as article AA-00243 shows ``ResponseCode=4&Description=NoPemition``);
- step 2, http://kb.cardcom.co.il/article/AA-00436: after the payer pays, Cardcom GETs the
  ``IndicatorUrl`` with ``terminalnumber``, ``lowprofilecode``, ``Operation``;
  ``GET /Interface/BillGoldGetLowProfileIndicator.aspx?terminalnumber&username&lowprofilecode``
  answers ``terminalnumber``, ``lowprofilecode``, ``Operation``, ``ResponseCode``,
  ``OperationResponse`` (0: ended well), ``DealResponse`` (0: charged), ``ReturnValue`` and the
  card companies' data, ``ExtShvaParams.Sum36`` the sum paid in agorot (article AA-00241).
"""

from __future__ import annotations

import urllib.parse
import uuid

from tests.fakes.http_fake import FakeAPI


class FakeCardcom(FakeAPI):
    def __init__(self, terminal: str = "1000", user: str = "barak9611") -> None:
        super().__init__()
        self.terminal, self.user = terminal, user
        self.pages: dict[str, dict] = {}

    def handle(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, str]:
        form = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
        if path == "/Interface/LowProfile.aspx":
            if form.get("TerminalNumber") != self.terminal or form.get("UserName") != self.user:
                return 200, "ResponseCode=4&Description=NoPemition&LowProfileCode="
            code = str(uuid.uuid4()).upper()
            self.pages[code] = {"form": form, "paid": False}
            return 200, urllib.parse.urlencode({
                "ResponseCode": "0", "Description": "OK", "LowProfileCode": code,
                "url": f"{self.url}/External/lowProfileClearing/{self.terminal}.aspx?LowProfileCode={code}"})
        if path == "/Interface/BillGoldGetLowProfileIndicator.aspx":
            page = self.pages.get(form.get("lowprofilecode", ""))
            if page is None or form.get("username") != self.user or form.get("terminalnumber") != self.terminal:
                return 200, "ResponseCode=5&Description=NotFound"
            sum_minor = round(float(page["form"]["SumToBill"]) * 100)
            answer = {"terminalnumber": self.terminal, "lowprofilecode": form["lowprofilecode"], "Operation": "1",
                      "ResponseCode": "0", "ProssesEndOK": "0",
                      "OperationResponse": "0" if page["paid"] else "5",
                      "DealResponse": "0" if page["paid"] else "-1", "ReturnValue": page["form"].get("ReturnValue", "")}
            if page["paid"]:
                answer.update({"ExtShvaParams.Sum36": str(sum_minor), "ExtShvaParams.CardNumber5": "4580",
                               "ExtShvaParams.ApprovalNumber71": "0012345"})
            return 200, urllib.parse.urlencode(answer)
        return 404, "ResponseCode=404"

    def pay(self, code: str) -> str:
        """The payer pays the page: the query string of Cardcom's GET to the IndicatorUrl."""
        self.pages[code]["paid"] = True
        return urllib.parse.urlencode({"terminalnumber": self.terminal, "lowprofilecode": code, "Operation": "1"})

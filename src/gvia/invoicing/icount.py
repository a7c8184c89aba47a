"""iCount (אייקאונט): a business's invoices, invoice-receipts, receipts and credit notes.

**Sources.** iCount publishes API v3 as an interactive page (apiv3.icount.co.il) built from an
index of its modules, methods, their parameters and the types they answer
(``https://apiv3.icount.co.il/new_api_docs/index.json.php``); stored copy read:
github.com/miriamrteller/manage-studio, ``docs/plans/finance/icount/fixtures/apiv3-module-index.json``
(a snapshot of 2026-06-29). It names, without describing them further:

* ``auth/login`` — "Start session" — with ``cid``, ``user``, ``pass``;
* ``doc/search`` — "Search documents" — with, among others, ``doctype``, ``start_date``,
  ``end_date``, ``max_results``, ``offset``, ``detail_level``;
* the type ``iCountDocInfo`` ("Document information"): ``doctype``, ``docnum``, ``dateissued``,
  ``client_id``, ``client_name``, ``currency_code``, ``duedate``, ``totalwithvat``,
  ``is_cancelled``, ``is_cancellation``, and the payments ``cash``, ``cheques``,
  ``banktransfer``, ``cc``, ``paypal``, ``barter`` — each a payment of its type
  (``iCountChequePayment``: ``sum``, ``date``, …; ``iCountCashPayment``: ``sum``).

What the index does not say is taken from public clients, read and cited:

* the base ``https://api.icount.co.il/api/v3.php``, a JSON POST to ``<base>/<module>/<method>``,
  ``auth/login`` answering ``{"sid"}`` and every later call carrying ``sid``, ``doc/search``
  answering ``{"status", "results_list", "total_results"}``, and ``status: false`` with
  ``reason: "no_results_found"`` meaning no documents (not a failure) — a client whose header
  calls this contract "verified" against the service (``supabase/functions/icount-admin``,
  "CoffeeFlow — iCount Coffee-Sales Reporter", found in the stored code index by its
  ``results_list``; its repository is not named there);
* ``results_list`` as a list or as an object keyed by position, and a payment given as a list, an
  object keyed by position or one flat object; ``doc/search`` at detail level 10 carrying the
  payments; "iCount caps a single search at 100 results" (a cash-flow report built on
  ``doc/search``, same index);
* failures as ``status: false`` with ``reason`` or ``error_description`` (github.com/davidkotler/
  icount-mcp, ``src/icount-client.js``: "iCount signals application-level failures with
  ``status: false`` and HTTP 200");
* the document types: ``invoice`` חשבונית מס, ``invrec`` חשבונית מס קבלה, ``receipt`` קבלה,
  ``refund`` חשבונית זיכוי (github.com/binesamit/n8n-nodes-icount, README; iCount's own page for
  its v1 ``get_doclink`` lists ``invoice, receipt, invrec, refund, offer, deal, delcert, trec``:
  https://www.icount.co.il/שחזור-קישור-למסמך/).
* ``totalwithvat`` is "the total with VAT — in shekels; if the document is in a foreign currency
  the total is translated into shekels" (iCount's page for its v1 document creation:
  https://www.icount.co.il/icount-api/חשבונית-מס-קבלה-2/).

**Unverified against the live service**: gvia has no iCount account; the tests run this client
against a local fake built from the same sources (``tests/support/fake_icount.py``).

**What becomes what** (:func:`to_rows`), as :mod:`.morning` does: a tax invoice (``invoice``) is
an invoice; an invoice-receipt (``invrec``) an invoice paid at once (an invoice and its payments);
a credit note (``refund``) a credit note; a receipt (``receipt``) payments, allocated by the ledger
oldest first. A cancelled document, or one that cancels another, is left out, as are the other
types (offers, orders, delivery notes…). A client is a customer whose reference is iCount's
``client_id``. A payment's reference is ``icount:<doctype>:<docnum>:<kind>:<n>`` (a tax document's
number never changes), so reading it again finds it.

**What it refuses** (a problem on the document, and the sync writes nothing): a document in a
currency other than shekels — ``totalwithvat`` is in shekels and no source says what
``totalwithvat_currency`` or a payment's ``sum`` is in then (``sync_icount_currency_unsourced``);
a document without ``currency_code``, whose currency no source lets gvia infer (the same code).
The client's e-mail, phone and tax id are not read: the document's fields that would carry them
are named but not described in the sources (``client_idno``), so the customer has its name only.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from gvia.core.errors import FieldProblem
from gvia.core.money import Money
from gvia.imports.parsed import CustomerRow, InvoiceRow, PaymentRow

from .http import SyncFailed, Transport, post_json, urllib_transport
from .rows import DocumentRows, day, money

DEFAULT_BASE = "https://api.icount.co.il/api/v3.php"
PAGE_SIZE = 100                       # "iCount caps a single search at 100 results"
DETAIL_LEVEL = 10                     # the level at which doc/search carries the payments
INVOICE, INVOICE_RECEIPT, RECEIPT, CREDIT_NOTE = "invoice", "invrec", "receipt", "refund"
DOCTYPES = (INVOICE, INVOICE_RECEIPT, RECEIPT, CREDIT_NOTE)
NO_RESULTS = "no_results_found"
CURRENCY = "ILS"                      # the only currency whose totals the sources describe
#: iCountDocInfo's payment fields → gvia's payment methods
PAYMENT_KINDS = {"cash": "cash", "cheques": "cheque", "banktransfer": "transfer", "cc": "card",
                 "paypal": "other", "barter": "other"}
FIELDS = (("cid", False), ("user", False), ("pass", True), ("api_base", False))   # (name, secret)


def connect(value: Callable[[str], str], transport: Transport = urllib_transport) -> ICountClient:
    """The client for an account whose field ``name`` is ``value(name)``; ``sync_not_set`` when the
    company id, user or password is missing."""
    cid, user, password = value("cid"), value("user"), value("pass")
    if not cid or not user or not password:
        raise SyncFailed("sync_not_set", "icount: the company id, user or password is not set", provider="icount")
    return ICountClient(cid, user, password, value("api_base") or DEFAULT_BASE, transport)


def _truthy(value: Any) -> bool:
    """iCount's flags arrive as true/false, 1/0 or "1"/"0"."""
    return value is True or str(value).strip().lower() in ("1", "true")


def _listed(value: Any) -> list[Any]:
    """A list as iCount gives it: a list, an object keyed by position, or one flat object."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        inner = list(value.values())
        return inner if inner and all(isinstance(v, dict) for v in inner) else [value]
    return []


@dataclass
class ICountClient:
    cid: str
    user: str
    password: str
    base: str = DEFAULT_BASE
    transport: Transport = urllib_transport
    #: between two requests: iCount's documentation states no rate; notes kept by its API's
    #: users speak of about 30 requests a minute, so gvia keeps to that
    min_interval: float = 2.0
    _sid: str = ""
    _last: float = field(default=0.0, repr=False)

    def _post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        wait = self.min_interval - (time.monotonic() - self._last)
        if wait > 0:
            time.sleep(wait)
        self._last = time.monotonic()
        _h, data = post_json(self.transport, self.base.rstrip("/") + path, payload)
        if not isinstance(data, dict):
            raise SyncFailed("sync_bad_answer", f"icount {path}: not an object", service="icount")
        return data

    def session(self) -> str:
        if not self._sid:
            data = self._post("/auth/login", {"cid": self.cid, "user": self.user, "pass": self.password})
            if data.get("status") is False:
                raise SyncFailed("sync_refused", f"icount auth/login: {data.get('reason') or ''}", service="icount")
            self._sid = str(data.get("sid") or "")
            if not self._sid:
                raise SyncFailed("sync_bad_answer", "no sid in iCount's answer", service="icount")
        return self._sid

    def documents(self, since: dt.date, until: dt.date) -> Iterator[dict[str, Any]]:
        """Every invoice, invoice-receipt, receipt and credit note dated ``since`` … ``until``,
        one type at a time, page by page. A page that brings nothing new ends the type (a source
        warns that ``offset`` is not always honoured)."""
        for doctype in DOCTYPES:
            seen: set[str] = set()
            offset = 0
            while True:
                data = self._post("/doc/search", {
                    "sid": self.session(), "doctype": doctype, "start_date": since.isoformat(),
                    "end_date": until.isoformat(), "detail_level": DETAIL_LEVEL, "max_results": PAGE_SIZE,
                    "offset": offset})
                if data.get("status") is False:
                    if data.get("reason") == NO_RESULTS:
                        break
                    raise SyncFailed("sync_bad_answer", f"icount doc/search: {data.get('reason') or ''}",
                                     service="icount")
                if "results_list" not in data:
                    raise SyncFailed("sync_bad_answer", "doc/search answered without results_list",
                                     service="icount")
                page = [d for d in _listed(data.get("results_list")) if isinstance(d, dict)]
                new = [d for d in page if f"{d.get('doctype') or doctype}:{d.get('docnum')}" not in seen]
                for d in new:
                    seen.add(f"{d.get('doctype') or doctype}:{d.get('docnum')}")
                    yield {**d, "doctype": d.get("doctype") or doctype}
                total = int(data.get("total_results") or 0)
                if not new or len(page) < PAGE_SIZE or (total and len(seen) >= total):
                    break
                offset += len(page)


def _problem(n: int, field_name: str, value: Any, message: str, code: str, source: str,
             **params: Any) -> FieldProblem:
    return FieldProblem(n, field_name, str(value if value is not None else ""), message, source,
                        place="record_field", code=code, params=params)


def to_rows(documents: list[dict[str, Any]], source: str = "icount") -> DocumentRows:
    """iCount's documents as import rows (module docstring); a document that cannot be read is a
    problem naming it (``row``: its place in the answer, ``field``: iCount's field), and nothing of
    the sync is written while there is one."""
    out = DocumentRows([], [], [])
    customers: dict[str, CustomerRow] = {}
    for n, doc in enumerate(documents, start=1):
        kind = doc.get("doctype")
        if kind not in DOCTYPES or _truthy(doc.get("is_cancelled")) or _truthy(doc.get("is_cancellation")):
            out.left_out += 1
            continue
        key = str(doc.get("client_id") or "").strip()
        number = str(doc.get("docnum") or "").strip()
        issued = day(doc.get("dateissued"))
        if not key or not number or issued is None:
            missing = "client_id" if not key else "docnum" if not number else "dateissued"
            out.problems.append(_problem(n, missing, doc.get(missing), "missing", "sync_document_incomplete",
                                         source, document=number or "—"))
            continue
        currency = str(doc.get("currency_code") or "").strip().upper()
        if currency != CURRENCY:
            out.problems.append(_problem(n, "currency_code", currency, "only shekel documents are read",
                                         "sync_icount_currency_unsourced", source, document=number,
                                         currency=currency or "—"))
            continue
        customer = customers.get(key)
        if customer is None:
            customer = customers[key] = CustomerRow(n, key, name=str(doc.get("client_name") or "").strip() or key)
        if kind in (INVOICE, INVOICE_RECEIPT, CREDIT_NOTE):
            amount = money(doc.get("totalwithvat"), CURRENCY, absolute=True)
            if amount is None:
                out.problems.append(_problem(n, "totalwithvat", doc.get("totalwithvat"), "not an amount",
                                             "sync_document_amount", source, document=number))
                continue
            due = day(doc.get("duedate")) or issued
            out.invoices.append(InvoiceRow(n, customer, number, "credit_note" if kind == CREDIT_NOTE else "invoice",
                                           issued, max(due, issued), amount))
        if kind in (INVOICE_RECEIPT, RECEIPT):
            out.payments.extend(_payments(n, doc, customer, number, issued, kind == INVOICE_RECEIPT))
    out.customers = list(customers.values())
    return out


def _payments(n: int, doc: dict[str, Any], customer: CustomerRow, number: str, issued: dt.date,
              names_invoice: bool) -> Iterator[PaymentRow]:
    for kind, method in PAYMENT_KINDS.items():
        for i, p in enumerate(_listed(doc.get(kind)), start=1):
            if not isinstance(p, dict):
                continue
            paid = money(p.get("sum"), CURRENCY)
            if paid is None or paid.amount <= 0:
                continue
            yield PaymentRow(n, customer, day(p.get("date")) or issued, paid, Money.zero(CURRENCY), method,
                             reference=f"icount:{doc.get('doctype')}:{number}:{kind}:{i}",
                             invoice_number=number if names_invoice else None)

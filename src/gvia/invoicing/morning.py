"""Morning (formerly Green Invoice, חשבונית ירוקה): a business's clients, documents and receipts.

**Source.** Green Invoice's own API collection, "Green Invoice Public API" (the Postman collection
its API documentation publishes; stored copy read: github.com/gilgardosh/accounter-toolkit,
``packages/green-invoice-graphql/json-schemas/postmanCollection.json``). What gvia uses of it:

* ``POST /api/v1/account/token`` with ``{"id", "secret"}`` (an API key made in the Morning
  site) answers ``{"token", "expires"}``; "This endpoint returns a JSON Web Token (JWT) in a
  header named ``X-Authorization-Bearer``" and "The JSON Web Token (JWT) is valid for only a
  temporal time (currently for 1 hour)". Every other call sends ``Authorization: Bearer <JWT>``.
* ``POST /api/v1/documents/search`` with ``{"page", "pageSize", "fromDate", "toDate", "sort"}``
  answers ``{"page", "pages", "total", "items": [...]}``; a document (the "Get Document"
  example) has ``id``, ``type``, ``number``, ``documentDate``, ``dueDate``, ``status``,
  ``amount``, ``currency``, ``client {id, name, taxId, emails, phone, address, city}`` and, on a
  receipt, ``payment [{id, date, type, price, currency}]``.
* Document types ("Get Document Types"): 300 חשבון עסקה, 305 חשבונית מס, 320 חשבונית מס / קבלה,
  330 חשבונית זיכוי, 400 קבלה. Statuses ("Get Document Statuses"): 0 open, 1 closed, 2 closed by
  hand, 3 a document that cancelled another, 4 cancelled. Payment types ("Get Available Payment
  Types"): 0 tax withheld, 1 cash, 2 cheque, 3 credit card, 4 bank transfer, 5 PayPal.
* "The average rate limit of the API is 3 requests per second with a burst possibility of 20";
  too many requests answer 429.

**Unverified against the live service**: gvia has no Morning account; the tests run this client
against a local fake built from the same collection (``tests/support/fake_morning.py``).

**What becomes what** (:func:`to_rows`): a tax invoice (305) is an invoice; a transaction
invoice (300, a demand for payment before the tax invoice) is an invoice only while it is open
(status 0) — once closed, the tax invoice or receipt that replaced it carries the money; an
invoice-receipt (320) is an invoice paid at once (an invoice and its payments); a credit note
(330) a credit note; a receipt (400) payments, allocated by the ledger oldest first. Cancelled
documents (3, 4) are left out. A client is a customer whose reference is Morning's client id.
A payment's reference is ``morning:<document id>:<payment id>``, so reading it again finds it.
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
from .rows import DocumentRows as MorningRows
from .rows import day as _day
from .rows import money as _money

DEFAULT_BASE = "https://api.greeninvoice.co.il/api/v1"
PAGE_SIZE = 100
TAX_INVOICE, TRANSACTION_INVOICE, INVOICE_RECEIPT, CREDIT_NOTE, RECEIPT = 305, 300, 320, 330, 400
OPEN, CANCELLING, CANCELLED = 0, 3, 4
METHODS = {0: "other", 1: "cash", 2: "cheque", 3: "card", 4: "transfer", 5: "other"}
FIELDS = (("api_key_id", False), ("api_key_secret", True), ("api_base", False))   # (name, secret)


def connect(value: Callable[[str], str], transport: Transport = urllib_transport) -> MorningClient:
    """The client for an account whose field ``name`` is ``value(name)``; ``sync_not_set`` without a key."""
    key_id, secret = value("api_key_id"), value("api_key_secret")
    if not key_id or not secret:
        raise SyncFailed("sync_not_set", "morning: the API key is not set", provider="morning")
    return MorningClient(key_id, secret, value("api_base") or DEFAULT_BASE, transport)


@dataclass
class MorningClient:
    key_id: str
    secret: str
    base: str = DEFAULT_BASE
    transport: Transport = urllib_transport
    min_interval: float = 1 / 3              # the documented average: 3 requests a second
    _token: str = ""
    _last: float = field(default=0.0, repr=False)

    def _post(self, path: str, payload: dict[str, Any], auth: bool = True) -> tuple[dict[str, str], Any]:
        wait = self.min_interval - (time.monotonic() - self._last)
        if wait > 0:
            time.sleep(wait)
        self._last = time.monotonic()
        headers = {"Authorization": f"Bearer {self.token()}"} if auth else {}
        return post_json(self.transport, self.base.rstrip("/") + path, payload, headers)

    def token(self) -> str:
        if not self._token:
            headers, data = self._post("/account/token", {"id": self.key_id, "secret": self.secret}, auth=False)
            self._token = (data or {}).get("token") or headers.get("x-authorization-bearer", "")
            if not self._token:
                raise SyncFailed("sync_bad_answer", "no token in Morning's answer", service="morning")
        return self._token

    def documents(self, since: dt.date, until: dt.date) -> Iterator[dict[str, Any]]:
        """Every document dated ``since`` … ``until``, page by page."""
        page, pages = 1, 1
        while page <= pages:
            _h, data = self._post("/documents/search", {"page": page, "pageSize": PAGE_SIZE,
                                                         "fromDate": since.isoformat(), "toDate": until.isoformat(),
                                                         "sort": "documentDate"})
            if not isinstance(data, dict) or not isinstance(data.get("items"), list):
                raise SyncFailed("sync_bad_answer", "documents/search answered without items", service="morning")
            yield from data["items"]
            pages = int(data.get("pages") or 0)
            page += 1


def to_rows(documents: list[dict[str, Any]], source: str = "morning") -> MorningRows:
    """Morning's documents as import rows (module docstring); a document that cannot be read is a
    problem naming it (``row``: its place in the answer, ``field``: Morning's field), and nothing
    of the sync is written while there is one."""
    out = MorningRows([], [], [])
    customers: dict[str, CustomerRow] = {}
    for n, doc in enumerate(documents, start=1):
        kind, status = doc.get("type"), doc.get("status")
        if status in (CANCELLING, CANCELLED) or kind not in (TAX_INVOICE, TRANSACTION_INVOICE, INVOICE_RECEIPT,
                                                           CREDIT_NOTE, RECEIPT) \
                or (kind == TRANSACTION_INVOICE and status != OPEN):
            out.left_out += 1
            continue
        client = doc.get("client") or {}
        key = str(client.get("id") or "")
        number = str(doc.get("number") or "")
        issued = _day(doc.get("documentDate"))
        if not key or not number or issued is None:
            missing = "client.id" if not key else "number" if not number else "documentDate"
            out.problems.append(FieldProblem(n, missing, str(doc.get(missing, "")), "missing", source,
                                             place="record_field", code="sync_document_incomplete",
                                             params={"document": str(doc.get("id", ""))}))
            continue
        customer = customers.get(key)
        if customer is None:
            customer = customers[key] = CustomerRow(
                n, key, name=str(client.get("name") or key), tax_id=str(client.get("taxId") or "") or None,
                email=next(iter(client.get("emails") or []), None), phone=client.get("phone") or None,
                address=", ".join(p for p in (client.get("address"), client.get("city")) if p) or None)
        if kind in (TAX_INVOICE, TRANSACTION_INVOICE, INVOICE_RECEIPT, CREDIT_NOTE):
            amount = _money(doc.get("amount"), doc.get("currency"), absolute=True)
            if amount is None:
                out.problems.append(FieldProblem(n, "amount", str(doc.get("amount")), "not an amount", source,
                                                 place="record_field", code="sync_document_amount",
                                                 params={"document": number}))
                continue
            credit = kind == CREDIT_NOTE
            due = _day(doc.get("dueDate")) or issued
            out.invoices.append(InvoiceRow(n, customer, number, "credit_note" if credit else "invoice", issued,
                                           max(due, issued), amount, None, None, None,
                                           str(doc.get("description") or "") or None))
        if kind in (INVOICE_RECEIPT, RECEIPT):
            for p in doc.get("payment") or []:
                paid = _money(p.get("price"), p.get("currency") or doc.get("currency"))
                day = _day(p.get("date")) or issued
                if paid is None or paid.amount <= 0:
                    continue
                out.payments.append(PaymentRow(
                    n, customer, day, paid, Money.zero(paid.currency), METHODS.get(p.get("type"), "other"),
                    reference=f"morning:{doc.get('id')}:{p.get('id') or len(out.payments)}",
                    invoice_number=number if kind == INVOICE_RECEIPT else None))
    out.customers = list(customers.values())
    return out

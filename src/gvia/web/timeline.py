"""A customer's timeline: everything that happened with them, newest first.

Each kind of activity comes from a *provider*: a function ``(ctx, customer, limit) -> entries``
that returns at most ``limit`` of its newest :class:`Entry` objects in a fixed number of
queries. The timeline merges them by time. What exists today: invoices and credit notes issued,
payments received (a bounced cheque flagged), documents added, and the audit records about the
customer, their invoices, payments and documents. The collection case adds its own (messages out
and in, calls, letters, stage changes, promises, plans, disputes, notes: :mod:`gvia.web.case_timeline`).
Every provider is listed in :data:`PROVIDERS`; a new kind of entry is a provider added there.

An entry's text is the i18n key ``timeline.<kind>`` filled with ``params`` (values may be Money,
dates, text, or :class:`gvia.web.i18n.Key` for a word to translate; values are shown in isolates).
``detail`` is shown under it as written (``dir="auto"``): the text a person typed, or the
record's own sentence.
"""

from __future__ import annotations

from typing import Callable, Iterable

from django.db.models import CharField, Q
from django.db.models.functions import Cast

from gvia.core.money import Money
from gvia.services.clock import to_local
from gvia.services.context import Ctx
from gvia.store import prepared
from gvia.store.models import AuditRecord, Customer, Document, Invoice, Payment

from . import case_timeline
from .i18n import Key
from .links import id_url
from .timeline_entry import Entry

Provider = Callable[[Ctx, Customer, int], Iterable[Entry]]


def timeline(ctx: Ctx, customer: Customer, limit: int = 100,
             given: dict[str, list[Entry]] | None = None) -> list[Entry]:
    """The customer's newest ``limit`` entries from every provider, newest first.

    ``given``: a provider's entries the caller has already (built from records it read anyway:
    at least that provider's newest ``limit``), used instead of asking the provider."""
    given = given or {}
    entries: list[Entry] = []
    for name, provider in PROVIDERS.items():
        entries.extend(given[name] if name in given else provider(ctx, customer, limit))
    entries.sort(key=lambda e: e.sort_key, reverse=True)
    return entries[:limit]


# --- what exists now ---------------------------------------------------------------------------

def invoices_issued(ctx: Ctx, customer: Customer, limit: int) -> list[Entry]:
    return invoice_entries(Invoice.objects.filter(organization=ctx.org, customer=customer)
                           .order_by("-issue_date", "-id")[:limit])


def invoice_entries(invoices: Iterable[Invoice]) -> list[Entry]:
    out = []
    for i in invoices:
        amount = Money.from_minor(i.amount_minor, i.currency)
        kind = "credit_note" if i.kind == Invoice.Kind.CREDIT_NOTE else "invoice"
        out.append(Entry(i.issue_date, kind, {"number": i.number, "amount": amount, "due": i.due_date},
                         url=id_url("invoice_detail", i.id), amount=amount))
    return out


def payments_received(ctx: Ctx, customer: Customer, limit: int) -> list[Entry]:
    return payment_entries(Payment.objects.filter(organization=ctx.org, customer=customer)
                           .order_by("-date", "-id")[:limit])


def payment_entries(payments: Iterable[Payment]) -> list[Entry]:
    out = []
    for p in payments:
        amount = Money.from_minor(p.amount_minor, p.currency)
        if p.status == Payment.Status.BOUNCED:
            out.append(Entry(p.date, "payment_bounced", {"amount": amount, "number": p.cheque_number},
                             amount=amount, tone="bad"))
        elif p.status == Payment.Status.PENDING:
            out.append(Entry(p.date, "payment_pending",
                             {"amount": amount, "number": p.cheque_number, "value_date": p.value_date},
                             amount=amount))
        else:
            out.append(Entry(p.date, "payment", {"amount": amount, "method": Key(f"method.{p.method}")},
                             amount=amount, tone="good"))
    return out


def documents_added(ctx: Ctx, customer: Customer, limit: int) -> list[Entry]:
    return document_entries(ctx, Document.objects.filter(organization=ctx.org, customer=customer)
                            .select_related("uploaded_by").order_by("-created_at", "-id")[:limit])


def document_entries(ctx: Ctx, documents: Iterable[Document]) -> list[Entry]:
    out = []
    for d in documents:
        out.append(Entry(to_local(ctx.org, d.created_at).date(), "document",
                         {"name": d.file_name, "doc_kind": Key(f"document.{d.kind}")}, at=d.created_at,
                         url=id_url("document_download", d.id),
                         actor=getattr(d.uploaded_by, "email", "") or ""))
    return out


#: Audit actions about a customer that an activity of the case timeline already shows.
SHOWN_AS_ACTIVITY = ("call.logged",)


def audit_records(ctx: Ctx, customer: Customer, limit: int) -> list[Entry]:
    """Audit records about the customer itself and about its payments (a cheque marked bounced).

    Document uploads and imports are shown by their own providers / pages, calls by the case's
    activities (:data:`SHOWN_AS_ACTIVITY`), not twice here."""
    org = ctx.org

    def records(cid: int):
        payment_ids = (Payment.objects.filter(organization=org, customer_id=cid)
                       .values(text_id=Cast("id", CharField())))
        cond = Q(object_type="customer", object_id=str(cid)) | Q(object_type="payment", object_id__in=payment_ids)
        return (AuditRecord.objects.filter(organization=org).filter(cond).exclude(action__in=SHOWN_AS_ACTIVITY)
                .order_by("-at", "-id")[:limit])

    out = []
    # read on every visit of the page: the query compiled once in the process (gvia.store.prepared)
    for r in prepared.models(("timeline.audit", org.pk, limit), AuditRecord, records, customer.id):
        out.append(Entry(to_local(ctx.org, r.at).date(), "audit",
                         {"action": Key(f"audit.{r.action}", fallback=r.action)},
                         at=r.at, actor=r.actor, tone="bad" if r.action == "cheque.bounced" else ""))
    return out


#: Where the timeline's entries come from, by name (the name :func:`timeline`'s ``given`` uses).
PROVIDERS: dict[str, Provider] = {
    "invoices": invoices_issued,
    "payments": payments_received,
    "documents": documents_added,
    "audit": audit_records,
    "activities": case_timeline.activities,
    "messages": case_timeline.messages,
}

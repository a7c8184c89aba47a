"""The case file for a lawyer: everything gvia knows about one customer's debt, as one PDF."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.conf import settings as django_settings

from gvia.core.money import Money
from gvia.documents.model import Attachment, CallRecord, CaseFileContext, PromiseRecord, SentMessage
from gvia.store.models import Activity, Case, Customer, Document, OutboxMessage, Pause, Task

from . import audit, ledger
from .context import Ctx
from .letters import debtor_for, letterhead_for, open_invoice_lines

DOC_KINDS = {"agreement": "signed_agreement", "invoice_copy": "invoice_copy", "delivery_proof": "delivery_proof"}
CHANNEL = {"email": "email", "letter": "letter", "registered_letter": "registered_mail", "sms": "sms"}


def _messages(customer: Customer) -> tuple[SentMessage, ...]:
    out = []
    for m in OutboxMessage.objects.filter(customer=customer, status=OutboxMessage.Status.SENT).order_by("sent_at"):
        out.append(SentMessage(
            sent_at=m.sent_at or m.created_at, channel=CHANNEL.get(m.channel, "other"), subject=m.subject or m.document,
            document=m.document, recipient=", ".join(m.to_addrs or []), proof=m.server_reply,
            registered_number=m.registered_number, posted_on=m.posted_date, delivered_on=m.delivered_date))
    return tuple(out)


def _calls(customer: Customer) -> tuple[CallRecord, ...]:
    out = []
    for a in Activity.objects.filter(customer=customer, kind=Activity.Kind.CALL).order_by("at"):
        out.append(CallRecord(at=a.at, by=a.actor, outcome=(a.data or {}).get("outcome", ""), note=a.text,
                              contact=(a.data or {}).get("contact", "")))
    return tuple(out)


def _promises(customer: Customer, as_of: date) -> tuple[PromiseRecord, ...]:
    """Promises to pay. (Recorded as promise pauses; the amount is kept in the pause's data.)"""
    out = []
    for p in Pause.objects.filter(customer=customer, kind=Pause.Kind.PROMISE).order_by("created_at"):
        data = getattr(p, "data", None) or {}
        amount = data.get("amount")
        currency = data.get("currency") or customer.organization.default_currency
        status = data.get("status") or ("open" if p.active and (p.until is None or p.until >= as_of) else "broken")
        if amount is None:
            continue
        out.append(PromiseRecord(made_on=p.created_at.date(), amount=Money.of(str(amount), currency),
                                 due_date=p.until or as_of, status=status, note=p.reason))
    return tuple(out)


def _attachments(customer: Customer) -> tuple[Attachment, ...]:
    root = Path(django_settings.STORAGE_ROOT)
    out = []
    for d in Document.objects.filter(customer=customer).exclude(kind=Document.Kind.LETTER).order_by("created_at"):
        path = root / d.path
        if not path.exists():
            continue
        out.append(Attachment(title=d.file_name, kind=DOC_KINDS.get(d.kind, "other"), path=path,
                              invoice_number=d.invoice.number if d.invoice_id else ""))
    return tuple(out)


def casefile_context(ctx: Ctx, customer: Customer, as_of: date, language: str | None = None) -> CaseFileContext:
    _, st = ledger.statement(ctx, customer.ref, as_of)
    case = Case.objects.filter(customer=customer).first()
    return CaseFileContext(
        language=language or ctx.org.default_language, as_of=as_of, letterhead=letterhead_for(ctx.org),
        debtor=debtor_for(customer), invoices=open_invoice_lines(customer, as_of), statement=st,
        messages=_messages(customer), calls=_calls(customer), promises=_promises(customer, as_of),
        attachments=_attachments(customer), case_ref=f"{customer.ref}" + (f"/{case.cycle}" if case else ""),
        stage=case.stage_key if case else "")


def build(ctx: Ctx, customer_ref: str, as_of: date, language: str | None = None) -> bytes:
    from gvia.documents import build_casefile

    ctx.require("collector", "building a case file")
    customer = ledger.get_customer(ctx, customer_ref)
    pdf = build_casefile(casefile_context(ctx, customer, as_of, language))
    audit.record(ctx, "casefile.built", customer, as_of=as_of.isoformat(), bytes=len(pdf))
    return pdf

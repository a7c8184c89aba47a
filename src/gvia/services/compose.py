"""Turning an outbox message into what is sent: the e-mail (bodies from the same texts as the
PDF, the documents attached) or the paper letter's PDF. Rendered at dispatch time, from the
ledger as it stands then, so a message never quotes an amount the customer already paid."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from gvia.channels.mime import Attachment, OutgoingEmail, new_message_id
from gvia.core.errors import Refused
from gvia.store.models import Contact, Customer, Organization, OutboxMessage

from .context import Ctx
from .letters import letter_context, statement_context
from .mailconfig import mail_from

ATTACHMENT_NAMES = {
    "statement": {"he": "דף חשבון", "en": "Statement of account"},
    "reminder": {"he": "תזכורת", "en": "Reminder"},
    "second_reminder": {"he": "תזכורת שנייה", "en": "Second reminder"},
    "courtesy": {"he": "תזכורת", "en": "Payment reminder"},
    "warning_letter": {"he": "מכתב התראה", "en": "Letter before action"},
    "warning_execution_office": {"he": "מכתב התראה", "en": "Letter before action"},
    "letter_of_claim": {"he": "מכתב דרישה", "en": "Letter of claim"},
}
FORMAL = ("warning_letter", "warning_execution_office", "letter_of_claim")


@dataclass(frozen=True)
class Composed:
    email: OutgoingEmail | None = None
    pdf: bytes | None = None


def recipients_for(customer: Customer) -> tuple[list[str], list[str]]:
    """Billing contacts get the message (primary if none is billing); CC contacts are copied."""
    contacts = list(Contact.objects.filter(customer=customer).exclude(email=""))
    to = [c.email for c in contacts if c.is_billing] or [c.email for c in contacts if c.is_primary]
    if not to and customer.email:
        to = [customer.email]
    if not to and contacts:
        to = [contacts[0].email]
    cc = [c.email for c in contacts if c.cc and c.email not in to]
    return to, cc


def _file_name(document: str, lang: str, customer: Customer, today: date) -> str:
    label = ATTACHMENT_NAMES.get(document, {}).get(lang, document)
    return f"{label} {customer.ref} {today.isoformat()}.pdf"


def _context(ctx: Ctx, customer: Customer, document: str, today: date, lang: str, reference: str, free_text: str):
    if document == "statement":
        return statement_context(ctx, customer, today, lang)
    return letter_context(ctx, customer, document, today, language=lang, reference=reference, free_text=free_text)


def merge_pdfs(parts: list[bytes]) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for p in parts:
        writer.append(io.BytesIO(p))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def compose_message(msg: OutboxMessage, org: Organization, today: date) -> Composed:
    from gvia.documents.emailbody import email_body
    from gvia.documents.render import render

    ctx = Ctx(org, None, "owner")
    customer = Customer.objects.get(id=msg.customer_id)
    lang = msg.language or customer.language or org.default_language
    reference = f"{customer.ref}-{msg.id}"
    main = _context(ctx, customer, msg.document, today, lang, reference, msg.free_text)
    attached = [(a, render(_context(ctx, customer, a, today, lang, reference, ""))) for a in msg.attach]
    if msg.channel in ("letter", "registered_letter"):
        return Composed(pdf=merge_pdfs([render(main)] + [pdf for _a, pdf in attached]))
    if msg.channel != "email":
        raise Refused(f"cannot compose a message for the {msg.channel} channel")
    body = email_body(main)
    files = []
    if msg.document in FORMAL or msg.document == "statement":
        files.append(Attachment(_file_name(msg.document, lang, customer, today), render(main)))
    files += [Attachment(_file_name(a, lang, customer, today), pdf) for a, pdf in attached]
    to, cc = recipients_for(customer)
    sender = mail_from(org)
    email = OutgoingEmail(from_name=org.name, from_addr=sender, to=to, cc=cc, reply_to=org.email or sender,
                          subject=body.subject, text=body.text, html=body.html, attachments=files,
                          message_id=new_message_id(msg.idempotency_key, sender),
                          headers={"X-Gvia-Message": str(msg.id)})
    return Composed(email=email)

"""Turning an outbox message into what is sent: the e-mail (bodies from the same texts as the
PDF, the documents attached) or the paper letter's PDF. Rendered at dispatch time, from the
ledger as it stands then, so a message never quotes an amount the customer already paid.

A message's documents (:func:`message_contexts`) are its own document, then each document it
attaches (``attach``, e.g. the statement), all under one reference, the case's ("C-1042-3": the
customer's reference and the collection cycle, :mod:`gvia.services.letters.reference`; the
registered letter and its e-mail copy carry the same), which the customer quotes when paying:

* a letter's deadline is the one its policy stage gives (``deadline_days`` in its day kind,
  from the day it is produced, as the engine counts it), never less than the law allows;
* a letter demands only what is due on the day it is produced; its policy's ``not_yet_due``
  says whether invoices not yet due are listed apart or left out (:mod:`gvia.core.demand`);
* "by registered mail with delivery confirmation" is printed on a registered letter, and on
  the e-mail copy of a document its stage also sends as a registered letter;
* an e-mail carries the document as its body (plain text and HTML from the same texts as
  the PDF); a formal letter and a statement also go as a PDF attachment, so the customer
  has the letter as a document (with the annexes of a letter of claim), and every attached
  document goes as a PDF, named in the message's language ("מכתב התראה C-1042 2026-11-23.pdf");
* a customer who reads a language that is not a language of record (Arabic, Russian) gets the
  documents of record in the organization's language (Hebrew in Israel) and, after them, a
  courtesy translation of each (:mod:`gvia.documents.courtesy`, :func:`message_languages`): an
  e-mail is written in the customer's language (a formal letter's body is its translation, with
  the notice that the attached original binds) and carries both PDFs; on paper the translations'
  pages follow the originals' in the same envelope. Short texts are in the customer's language.

Many messages in a row (the dispatcher's batch, :func:`composing`) are composed from the same
facts read fewer times: the batch's customers with their contacts, addresses and active
pauses, whether their stages also send registered letters, each organization's interest
rules and each policy version's stages are read once for the batch rather than per message.
What is read that way is at most :data:`FRESH_FOR` seconds old when a message uses it (a
slower batch, e.g. under a send rate limit, reads per message again); the ledger is still
read per message.
"""

from __future__ import annotations

import io
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import date

from pypdf import PdfWriter

from gvia.channels.mime import Attachment, OutgoingEmail, new_message_id
from gvia.core.errors import GviaError, RefusedFor
from gvia.core.escalation import deadline_from
from gvia.core.policy import Policy as CorePolicy
from gvia.documents.compose import compose as compose_document
from gvia.documents.courtesy import (
    Languages,
    Translation,
    compose_translation,
    languages_for,
    render_translation,
    translated,
    translation_email,
    translation_file_title,
)
from gvia.documents.emailbody import email_body
from gvia.documents.model import DocumentContext
from gvia.documents.render import render
from gvia.documents.wording import texts
from gvia.services.context import Ctx
from gvia.services.engine.policies import parse
from gvia.services.ledger import books as ledger
from gvia.services.legal.interest import rules_read_once
from gvia.services.letters.content import CONTACTS_READ, DEADLINE_LETTERS, letter_context, read_ahead, statement_context
from gvia.services.letters.reference import message_reference
from gvia.services.locality import org_calendar
from gvia.services.portal import notices
from gvia.services.portal.links import message_url
from gvia.services.sending.mailconfig import mail_from
from gvia.store.models import Contact, Customer, Organization, OutboxMessage
from gvia.store.models_inbound import FailingAddress

FORMAL = DEADLINE_LETTERS
PAPER = ("letter", "registered_letter")


FRESH_FOR = 2.0
"""Seconds what :func:`composing` read for a batch may be used: older, it is read again per message."""


@dataclass(frozen=True)
class Composed:
    email: OutgoingEmail | None = None
    pdf: bytes | None = None


@dataclass
class _Batch:
    """What :func:`composing` read for a batch of messages (see the module doc)."""

    read_at: float
    customers: dict[int, Customer] = field(default_factory=dict)
    registered: set[tuple] | None = None                    # (customer, cycle, stage, document)
    customer_ids: set[int] = field(default_factory=set)
    interest_rules: dict = field(default_factory=dict)
    policies: dict = field(default_factory=dict)            # policy version id -> its checked policy or None

    def fresh(self) -> bool:
        return time.monotonic() - self.read_at <= FRESH_FOR


_BATCH: ContextVar[_Batch | None] = ContextVar("gvia_compose_batch", default=None)


def _batch() -> _Batch | None:
    batch = _BATCH.get()
    return batch if batch is not None and batch.fresh() else None


@contextmanager
def composing(msgs: list[OutboxMessage]):
    """Within the block, :func:`compose_message` composes ``msgs`` (a dispatch batch) from
    facts read for all of them at once (see the module doc); what is sent does not change."""
    ids = sorted({m.customer_id for m in msgs})
    batch = _Batch(read_at=time.monotonic(), customer_ids=set(ids))
    if ids:
        batch.customers = Customer.objects.in_bulk(ids)
        read_ahead(batch.customers.values())
        ledger.read_ahead_records(batch.customers.values())
        if any(m.channel == "email" and m.stage_key for m in msgs):
            batch.registered = set(OutboxMessage.objects.filter(
                customer_id__in=ids, channel="registered_letter").exclude(
                status__in=[OutboxMessage.Status.CANCELLED, OutboxMessage.Status.REJECTED]).values_list(
                "customer_id", "cycle", "stage_key", "document"))
    token = _BATCH.set(batch)
    try:
        yield
    finally:
        _BATCH.reset(token)


def recipients_for(customer: Customer) -> tuple[list[str], list[str]]:
    """Billing contacts get the message (primary if none is billing); CC contacts are copied.
    An address a bounce marked failing (``FailingAddress``, :mod:`gvia.services.mailbox.placing`)
    is left out until a person finds a working contact."""
    read = getattr(customer, CONTACTS_READ, None)
    if read is not None:
        contacts = [c for c in read if c.email != ""]
    else:
        contacts = list(Contact.objects.filter(customer=customer).exclude(email=""))
    candidates = {e.lower() for e in [customer.email, *(c.email for c in contacts)] if e}
    failing = set(FailingAddress.objects.filter(organization_id=customer.organization_id, active=True,
                                                address__in=candidates).values_list("address", flat=True)
                  ) if candidates else set()
    contacts = [c for c in contacts if c.email.lower() not in failing]
    own = "" if customer.email.lower() in failing else customer.email
    to = [c.email for c in contacts if c.is_billing] or [c.email for c in contacts if c.is_primary]
    if not to and own:
        to = [own]
    if not to and contacts:
        to = [contacts[0].email]
    cc = [c.email for c in contacts if c.cc and c.email not in to]
    return to, cc


def attachment_name(document: str, lang: str, customer: Customer, today: date, translation: bool = False) -> str:
    """The PDF's file name: the document's name in ``lang`` (``attachment.<document>`` in the
    documents catalog; a courtesy translation's says so, ``translation.file``), the customer's
    reference and the day."""
    t = texts(lang)
    label = t(f"attachment.{document}") if t.has(f"attachment.{document}") else document
    if translation:
        label = translation_file_title(label, lang)
    return f"{label} {customer.ref} {today.isoformat()}.pdf"


def message_policy(msg: OutboxMessage) -> CorePolicy | None:
    """The checked policy the message's stage came from; None for a message a person asked for
    (or a policy version that no longer loads)."""
    if msg.policy_version_id is None:
        return None
    batch = _batch()
    if batch is not None and msg.policy_version_id in batch.policies:
        return batch.policies[msg.policy_version_id]
    policy: CorePolicy | None = None
    version = msg.policy_version
    if version is not None:
        try:
            policy = parse(version)
        except GviaError:
            policy = None
    if batch is not None:
        batch.policies[msg.policy_version_id] = policy
    return policy


def stage_deadline(ctx: Ctx, msg: OutboxMessage, today: date) -> tuple[date, int, bool] | None:
    """The deadline the message's policy stage gives a letter produced ``today`` (with its
    days and whether they are business days), as the engine counts it; None when the message
    has no stage with a deadline (a letter a person asked for)."""
    if msg.document not in DEADLINE_LETTERS or msg.policy_version_id is None or not msg.stage_key:
        return None
    policy = message_policy(msg)
    if policy is None:
        return None
    stage = next((s for s in policy.stages if s.key == msg.stage_key), None)
    if stage is None or stage.deadline_days is None:
        return None
    return (deadline_from(stage, today, org_calendar(ctx.org)), stage.deadline_days,
            stage.deadline_day_kind == "business")


def goes_registered(msg: OutboxMessage) -> bool:
    """Whether the document goes by registered mail: a registered letter, or the e-mail copy of
    a document its stage also sends as a registered letter (then the e-mail says so too)."""
    if msg.channel == "registered_letter":
        return True
    if msg.channel != "email" or not msg.stage_key:
        return False
    batch = _batch()
    if batch is not None and batch.registered is not None and msg.customer_id in batch.customer_ids:
        return (msg.customer_id, msg.cycle, msg.stage_key, msg.document) in batch.registered
    return OutboxMessage.objects.filter(
        customer_id=msg.customer_id, cycle=msg.cycle, stage_key=msg.stage_key, document=msg.document,
        channel="registered_letter").exclude(
        status__in=[OutboxMessage.Status.CANCELLED, OutboxMessage.Status.REJECTED]).exists()


def message_languages(ctx: Ctx, msg: OutboxMessage, customer: Customer) -> Languages:
    """The language of the message's documents of record and of their courtesy translation (None
    for a customer who reads a language of record): :func:`gvia.documents.courtesy.languages_for`
    the message's (else the customer's, else the organization's) language."""
    return languages_for(msg.language or customer.language or ctx.org.default_language, ctx.org.default_language)


def message_contexts(ctx: Ctx, msg: OutboxMessage, customer: Customer, today: date) -> list:
    """The message's document, then each attached one, in the language of record; then, for a
    customer who reads another language, the courtesy :class:`Translation` of each of them (see
    the module doc)."""
    languages = message_languages(ctx, msg, customer)
    lang = languages.record
    reference = message_reference(msg, customer)
    registered = goes_registered(msg)
    deadline = stage_deadline(ctx, msg, today)
    policy = message_policy(msg)
    # the stage's policy says how invoices not yet due are shown; else the customer's (letter_context)
    mode = policy.not_yet_due if policy is not None else None
    stage = (msg.cycle, msg.stage_key) if msg.stage_key else None
    # the link to the customer's page the message carries: one per message (a letter's lives 60 days)
    url = message_url(ctx.org, customer, message_id=msg.id, paper=msg.channel in PAPER, today=today)

    def one(document: str, free_text: str):
        if document == "statement":
            return replace(statement_context(ctx, customer, today, lang, portal_url=url), reference=reference)
        if deadline is not None and document == msg.document:
            return letter_context(ctx, customer, document, today, language=lang, registered=registered,
                                  reference=reference, free_text=free_text, deadline=deadline[0],
                                  deadline_days=deadline[1], business_days=deadline[2], not_yet_due=mode,
                                  stage=stage, portal_url=url)
        return letter_context(ctx, customer, document, today, language=lang, registered=registered,
                              reference=reference, free_text=free_text, not_yet_due=mode, stage=stage,
                              portal_url=url)

    originals = [one(msg.document, msg.free_text)] + [one(a, "") for a in msg.attach or []]
    if languages.translation is None:
        return originals
    return originals + [Translation(c, languages.translation) for c in originals]


def merge_pdfs(parts: list[bytes]) -> bytes:
    if len(parts) == 1:
        return parts[0]

    writer = PdfWriter()
    for p in parts:
        writer.append(io.BytesIO(p))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _checked(c: DocumentContext) -> bytes:
    """A document composed (and so checked: ValidationFailed as :func:`render` raises it) but not
    laid out: no content."""
    compose_document(c)
    return b""


def _checked_translation(t: Translation) -> bytes:
    compose_translation(t)
    return b""


def compose_message(msg: OutboxMessage, org: Organization, today: date, *, files: bool = True) -> Composed:
    """What ``msg`` sends if it leaves ``today``: an e-mail with its files, or a letter's PDF.
    ``files=False`` (a person's preview of an e-mail, which shows each file's name): the files'
    contents are left empty — each document is still composed and checked, so what would stop the
    sending stops the preview too, but not laid out as a PDF."""
    if notices.is_notice(msg.document):
        return Composed(email=notices.notice_email(msg, org, today))
    ctx = Ctx(org, None, "owner")
    batch = _batch()
    if batch is None:
        customer = Customer.objects.get(id=msg.customer_id)
        contexts = message_contexts(ctx, msg, customer, today)
    else:
        customer = batch.customers.get(msg.customer_id) or Customer.objects.get(id=msg.customer_id)
        if customer.organization_id == org.id:
            customer.organization = org     # the dispatcher's record: not read again per message
        with rules_read_once(batch.interest_rules):
            contexts = message_contexts(ctx, msg, customer, today)
    documents = [msg.document, *(msg.attach or [])]
    originals, translations = contexts[:len(documents)], contexts[len(documents):]
    if msg.channel in PAPER:
        return Composed(pdf=merge_pdfs([render(c) for c in originals] + [render_translation(t) for t in translations]))
    if msg.channel != "email":
        raise RefusedFor("compose_channel", f"no composition for the {msg.channel} channel", channel=msg.channel)
    main, lang = originals[0], originals[0].language
    as_pdf = msg.document in FORMAL or msg.document == "statement"
    if not translations:
        body = email_body(main)
    elif as_pdf:
        body = translation_email(translations[0])      # the letter's translation; its original attached
    else:
        body = email_body(translated(main, translations[0].language))   # an e-mail of its own, no original
    pdf, pdf_translation = (render, render_translation) if files else (_checked, _checked_translation)
    attached = [Attachment(attachment_name(d, lang, customer, today), pdf(c))
                for i, (d, c) in enumerate(zip(documents, originals)) if i or as_pdf]
    attached += [Attachment(attachment_name(d, t.language, customer, today, translation=True), pdf_translation(t))
                 for i, (d, t) in enumerate(zip(documents, translations)) if i or as_pdf]
    to, cc = recipients_for(customer)
    sender = mail_from(org)
    email = OutgoingEmail(from_name=org.name, from_addr=sender, to=to, cc=cc, reply_to=org.email or sender,
                          subject=body.subject, text=body.text, html=body.html, attachments=attached,
                          message_id=new_message_id(msg.idempotency_key, sender),
                          headers={"X-Gvia-Message": str(msg.id)})
    return Composed(email=email)

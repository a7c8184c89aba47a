"""A letter on demand: one document for one customer, asked for by a person (the web's customer
page; ``gvia letter`` writes the same PDF).

* :func:`letter_pdf` renders the document exactly as ``gvia letter`` does
  (:func:`gvia.services.letters.content.letter_context` / ``statement_context``, then
  :func:`gvia.documents.render`); a letter that cannot be produced raises the checks'
  ``ValidationFailed``, each problem naming the detail (``letterhead.signatory_name``...) the
  caller words (:data:`gvia.services.org.details.HOW_TO_SET` says where each is filled in).
* :func:`request_send` puts it in the outbox under the engine's approval rules: a letter that
  threatens proceedings (``core.policy.DEADLINE_DOCUMENTS``) or goes by registered mail waits for
  an owner's approval (``needs_approval``, as a stage marked ``approval = true``); any other waits
  for a person's approval unless the organization sends automatically (the ``sending_mode``
  setting). Nothing leaves without the dispatcher's own checks (paid, paused, disputed...).

Refusals are coded (:class:`gvia.core.errors.RefusedFor`, codes ``letter_<reason>``), worded by the
edges' ``refusal.<code>``.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from django.db import transaction

from gvia.core.debt_notice import DOCUMENT as DEBT_NOTICE
from gvia.core.errors import NotFound, RefusedFor
from gvia.core.policy import DEADLINE_DOCUMENTS
from gvia.documents.checks import check_letter
from gvia.documents.courtesy import render_for_reader
from gvia.documents.model import LETTER_DOCUMENTS, LetterContext
from gvia.services import audit, clock, settings
from gvia.services.context import Ctx
from gvia.services.engine import debt_notices
from gvia.services.letters.content import letter_context, statement_context
from gvia.store.models import Activity, Case, Customer, OutboxMessage

DOCUMENTS = LETTER_DOCUMENTS + ("statement",)
CHANNELS = ("email", "letter", "registered_letter")
ON_DEMAND = "on_demand:"          # the idempotency key's prefix: one per request
WAITING = (OutboxMessage.Status.AWAITING_APPROVAL, OutboxMessage.Status.QUEUED, OutboxMessage.Status.HELD)


def _customer(ctx: Ctx, customer_ref: str) -> Customer:
    customer = Customer.objects.filter(organization=ctx.org, ref=customer_ref).first()
    if customer is None:
        raise NotFound(f"no customer {customer_ref!r}")
    return customer


def _context(ctx: Ctx, customer: Customer, document: str, day: date, language: str | None):
    if document not in DOCUMENTS:
        raise RefusedFor("letter_unknown_document", "not a document gvia writes on demand")
    if document == "statement":
        return statement_context(ctx, customer, day, language)
    letter = letter_context(ctx, customer, document, day, language=language)
    check_letter(letter)          # what rendering checks: refused before the outbox, not after
    return letter


def letter_pdf(ctx: Ctx, customer_ref: str, document: str, day: date, language: str | None = None) -> bytes:
    """The document as the customer would receive it on ``day`` (the PDF of ``gvia letter``)."""
    ctx.require("viewer", "reading a letter")
    customer = _customer(ctx, customer_ref)
    # a reader of Arabic or Russian: the Hebrew original, then its courtesy translation
    return render_for_reader(lambda lang: _context(ctx, customer, document, day, lang),
                             language or customer.language or ctx.org.default_language, ctx.org.default_language)


def needs_owner(document: str, channel: str) -> bool:
    """Whether only an owner may approve it: a letter that threatens proceedings, or registered mail."""
    return document in DEADLINE_DOCUMENTS or channel == "registered_letter"


def request_send(ctx: Ctx, customer_ref: str, document: str, channel: str, language: str | None = None,
                 now: datetime | None = None) -> OutboxMessage:
    """Put the letter in the outbox (see the module doc); refused when the customer is on "do not
    chase", the e-mail has no address, the same letter is already waiting, or the letter cannot be
    produced today."""
    ctx.require("collector", "sending a letter")
    now = now or clock.now_utc()
    today = clock.org_today(ctx.org, now)
    customer = _customer(ctx, customer_ref)
    if channel not in CHANNELS:
        raise RefusedFor("letter_unknown_channel", "not a way of sending")
    if customer.do_not_chase:
        raise RefusedFor("letter_do_not_chase", "the customer is on do not chase")
    if channel == "email" and not customer.email:
        raise RefusedFor("letter_no_email", "the customer has no e-mail address")
    if document in debt_notices.COLLECTION_LETTERS:     # an Israeli consumer: the debt notice first
        debt_notices.require_allowed(ctx.org, customer, today)
    letter = _context(ctx, customer, document, today, language)      # refused now if it cannot be produced
    lang = language or customer.language or ctx.org.default_language
    owner = needs_owner(document, channel)
    automatic = settings.value(ctx.org, "sending_mode") == "automatic"
    status = OutboxMessage.Status.QUEUED if automatic and not owner else OutboxMessage.Status.AWAITING_APPROVAL
    with transaction.atomic():
        Customer.objects.select_for_update().filter(id=customer.id).first()    # one request at a time
        if OutboxMessage.objects.filter(customer=customer, idempotency_key__startswith=ON_DEMAND, document=document,
                                        channel=channel, status__in=WAITING).exists():
            raise RefusedFor("letter_already_waiting", "the same letter is already waiting")
        cycle = Case.objects.filter(customer=customer).values_list("cycle", flat=True).first() or 0
        msg = OutboxMessage.objects.create(
            organization=ctx.org, customer=customer, idempotency_key=f"{ON_DEMAND}{uuid.uuid4()}", cycle=cycle,
            channel=channel, document=document, language=lang, status=status, needs_approval=owner,
            planned_for=today, reasons=[["sent_by_hand", {"by": ctx.actor}]],
            approved_by=ctx.actor if status == OutboxMessage.Status.QUEUED else "",
            approved_at=now if status == OutboxMessage.Status.QUEUED else None)
        Activity.objects.create(organization=ctx.org, customer=customer, kind=Activity.Kind.MESSAGE_OUT, date=today,
                                at=now, actor=ctx.actor, text=f"{document} ({channel}) asked for by {ctx.actor}",
                                data={"message": msg.id, "manual": True, "event": "message.asked_by_hand",
                                      "document": document, "channel": channel, "by": ctx.actor})
        audit.record(ctx, "outbox.on_demand", msg, customer=customer.ref, document=document, channel=channel,
                     status=status)
        if document == DEBT_NOTICE and isinstance(letter, LetterContext):   # its charges, for the wait it starts
            debt_notices.record_message(msg, debt_notices.invoice_ids_of(
                customer.id, [ln.number for ln in letter.demand.demanded]), now)
    return msg

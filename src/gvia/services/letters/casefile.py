"""The case file for a lawyer: everything gvia knows about one customer's debt, as one PDF.

Read from the database into :class:`gvia.documents.CaseFileContext`:

* the open invoices as the ledger allocates them on the day, and the interest, linkage and
  fees the customer's interest rule charges, as separate lines;
* every message that went out (``OutboxMessage`` sent) with its proof: the SMTP server's
  reply for an e-mail; for a letter the registered-mail number, posting and delivery dates
  recorded with ``gvia mail registered``; each with its stage (cycle and stage key), so that
  the registered letter and its e-mail copy are read as one stage;
* the calls (``Activity`` of kind call), the promises to pay (``Promise``);
* the attached documents (``Document``: signed agreement, invoice copies, delivery proof,
  other), each read back through its checksum; files that are neither PDF nor image are
  listed nowhere (they cannot be merged), and a file whose checksum no longer matches is
  left out rather than passed off as the original;
* a copy of each warning letter or letter of claim sent on paper, as it was printed;
* in Israel, whether the debt fits the Execution Office's fixed-sum route on the first filing
  day, judged as ``gvia legal`` judges it (the same service and the same fit test), and every
  legal route of that one computation with why it fits or not (issue 15);
* the customer's payment record (:func:`gvia.services.engine.payment_record.of_customer`, issue 17).
"""

from __future__ import annotations

from datetime import date

from gvia.core.errors import GviaError, Refused, Worded
from gvia.core.legal_rules import fixed_sum_fit
from gvia.documents import build_casefile
from gvia.documents.model import (
    Attachment,
    CallRecord,
    CaseFileContext,
    RouteFit,
    RouteLine,
    SentMessage,
)
from gvia.services import audit
from gvia.services.arrangements.promises import promise_records
from gvia.services.context import Ctx
from gvia.services.engine import payment_record
from gvia.services.engine.calls import said_of
from gvia.services.files import open_document, resolve_path
from gvia.services.ledger import books as ledger
from gvia.services.legal import routes as legal_routes
from gvia.services.legal.interest import interest_lines
from gvia.services.letters.content import debtor_for, letterhead_for, open_invoice_lines
from gvia.services.letters.reference import payment_reference
from gvia.store.models import Activity, Case, Customer, Document, OutboxMessage

DOC_KINDS = {"agreement": "signed_agreement", "invoice_copy": "invoice_copy", "delivery_proof": "delivery_proof"}
CHANNEL = {"email": "email", "letter": "letter", "registered_letter": "registered_mail", "sms": "sms",
           "whatsapp": "whatsapp"}
PAPER = ("letter", "registered_letter")
COPIED = ("warning_letter", "warning_execution_office", "letter_of_claim")
MERGEABLE = (".pdf", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")


def _proof(m: OutboxMessage) -> str:
    """The evidence of sending: the server's reply (a letter's note without the instruction
    to record its posting, which is shown by its own fields)."""
    reply = (m.server_reply or "").strip()
    if m.channel in PAPER:
        reply = reply.split(";")[0].strip()
    return reply


def _messages(customer: Customer) -> tuple[SentMessage, ...]:
    out = []
    sent = OutboxMessage.objects.filter(customer=customer, status=OutboxMessage.Status.SENT)
    for m in sent.order_by("sent_at", "id"):
        out.append(SentMessage(
            sent_at=m.sent_at or m.created_at, channel=CHANNEL.get(m.channel, "other"), subject=m.subject,
            document=m.document, recipient=", ".join(m.to_addrs or []), proof=_proof(m),
            registered_number=m.registered_number, posted_on=m.posted_date, delivered_on=m.delivered_date,
            stage=f"{m.cycle}:{m.stage_key}" if m.stage_key else ""))
    return tuple(out)


def _calls(customer: Customer) -> tuple[CallRecord, ...]:
    """The calls logged, each with what it achieved as a code and its values
    (:func:`gvia.services.engine.calls.said_of`), worded by the document in its language."""
    out = []
    for a in Activity.objects.filter(customer=customer, kind=Activity.Kind.CALL).order_by("at", "id"):
        data = a.data or {}
        code, values = said_of(data) or ("", {})
        out.append(CallRecord(at=a.at, by=a.actor, outcome=code, values=values, note=data.get("note", ""),
                              contact=data.get("contact", "")))
    return tuple(out)


def _attachments(ctx: Ctx, customer: Customer) -> tuple[Attachment, ...]:
    out = []
    docs = (Document.objects.filter(customer=customer).exclude(kind=Document.Kind.LETTER)
            .select_related("invoice").order_by("created_at", "id"))
    for d in docs:
        if not d.file_name.lower().endswith(MERGEABLE):
            continue
        try:
            with open_document(ctx, d) as fh:
                data = fh.read()
        except GviaError:       # missing, or changed since it was stored
            continue
        out.append(Attachment(title=d.file_name, kind=DOC_KINDS.get(d.kind, "other"), data=data,
                              invoice_number=d.invoice.number if d.invoice is not None else ""))
    letters = OutboxMessage.objects.filter(customer=customer, status=OutboxMessage.Status.SENT, channel__in=PAPER,
                                           document__in=COPIED).exclude(raw_path="").order_by("sent_at", "id")
    for m in letters:
        try:
            path = resolve_path(m.raw_path)
        except GviaError:
            continue
        if path.suffix.lower() == ".pdf" and path.exists():
            day = (m.posted_date or (m.sent_at or m.created_at).date()).isoformat()
            out.append(Attachment(title=f"{m.document} {day} ({m.id})", kind="letter_copy", path=path))
    return tuple(out)


def _reasons(reason: object) -> tuple[tuple[str, dict[str, object]], ...]:
    """A route's reason as codes with their values (several reasons: each)."""
    if not isinstance(reason, Worded):
        return ()
    subs = reason.params.get("reasons", ())
    if reason.code == "route_reasons" and isinstance(subs, (tuple, list)):
        return tuple(r for sub in subs for r in _reasons(sub))
    return ((reason.code, dict(reason.params)),)


def _routes(ctx: Ctx, customer: Customer, as_of: date) -> tuple[RouteFit | None, tuple[RouteLine, ...]]:
    """The fixed-sum route on the first filing day, judged as ``gvia legal`` judges it (the same
    claim, filing day and written basis, :func:`gvia.services.legal.routes.routes`, through
    :func:`gvia.core.legal_rules.fixed_sum_fit`), and every route of that one computation; None
    and () outside Israel or with no shekel debt."""
    if ctx.org.country != "IL":
        return None, ()
    try:
        res = legal_routes.routes(ctx, customer, today=as_of)
    except Refused:
        return None, ()
    fit = fixed_sum_fit(res.claim, res.filing_day, res.written_basis is not False)
    lines = tuple(RouteLine(code=r.code, fits=r.fits, limit=r.limit, why=_reasons(r.reason)) for r in res.routes)
    return (RouteFit(claim=res.claim, filing_day=res.filing_day, cap=fit.rule.cap if fit.rule else None,
                     reasons=fit.reasons), lines)


def casefile_context(ctx: Ctx, customer: Customer, as_of: date, language: str | None = None) -> CaseFileContext:
    lang = language or ctx.org.default_language
    _, st = ledger.statement(ctx, customer.ref, as_of)
    case = Case.objects.filter(customer=customer).first()
    fixed_sum, routes = _routes(ctx, customer, as_of)
    charged = interest_lines(ctx, customer, as_of, lang)
    return CaseFileContext(
        language=lang, as_of=as_of, letterhead=letterhead_for(ctx.org, lang),
        debtor=debtor_for(customer), invoices=open_invoice_lines(customer, as_of),
        extra_lines=charged.lines, interest_unavailable=bool(charged.problems) and not charged.by_law,
        interest_by_law=bool(charged.by_law), statement=st,
        messages=_messages(customer), calls=_calls(customer), promises=promise_records(customer),
        attachments=_attachments(ctx, customer),
        case_ref=payment_reference(customer.ref, case.cycle) if case else customer.ref,
        stage=case.stage_key if case else "", fixed_sum=fixed_sum, routes=routes,
        payment_record=payment_record.of_customer(ctx, customer.id, as_of))


def build(ctx: Ctx, customer_ref: str, as_of: date, language: str | None = None) -> bytes:
    ctx.require("collector", "building a case file")
    customer = ledger.get_customer(ctx, customer_ref)
    pdf = build_casefile(casefile_context(ctx, customer, as_of, language))
    audit.record(ctx, "casefile.built", customer, as_of=as_of.isoformat(), bytes=len(pdf))
    return pdf

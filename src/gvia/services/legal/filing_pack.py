"""The filing pack for a fixed-sum claim at the Execution Office (Execution Law s.81A1), beside the
case file: the case's facts that the request to execute a fixed-sum claim will be filled from,
as a PDF (:func:`gvia.documents.filing_pack.build_filing_pack`) and as structured data (JSON).

Everything comes from the one route computation (:func:`gvia.services.legal.routes.routes`: the
claim, the filing day by the one filing clock, the written basis, limitation, the consumer
notice) and from the letters' own readers (the letterhead, the debtor, the written basis). What
stands in the way is a code of :data:`gvia.documents.filing_pack.BLOCKERS` with its values;
the attachments the stored source names (:data:`gvia.documents.filing_pack.ATTACHMENTS`) are
checked against what the case holds. The request form's own field list was not found in any
stored source (docs/legal-sources.md 9d): the data says so (``form_fields``: None) rather than
guessing one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gvia.core.errors import GviaError
from gvia.core.legal_rules import fixed_sum_fit
from gvia.core.money import Money
from gvia.documents.filing_pack import (
    ATTACHMENTS,
    ATTACHMENTS_SOURCE,
    FilingPackContext,
    PackInvoice,
    PackWarning,
    build_filing_pack,
)
from gvia.services import audit, clock
from gvia.services.context import Ctx
from gvia.services.files import resolve_path
from gvia.services.ledger import books as ledger
from gvia.services.legal.routes import LegalRoutes, routes
from gvia.services.letters.content import claim_basis, debtor_for, letterhead_for
from gvia.services.letters.reference import payment_reference
from gvia.store.models import Case, Customer, Document, Invoice, OutboxMessage

__all__ = ["FilingPack", "pack_context", "build", "FORM_FIELDS_NOTE"]

#: Said in the data where the request form's fields would be.
FORM_FIELDS_NOTE = ("the fields of the Execution Office's request form for a fixed-sum claim were not found in any "
                    "stored source; the pack gives the case's facts and the attachments the source names, and a "
                    "person copies them into the form")

_GATES = {"route_time_barred": "time_barred", "route_consumer_notice_wait": "consumer_notice_wait",
          "route_consumer_notice_not_sent": "consumer_notice_not_sent",
          "route_consumer_notice_missed": "consumer_notice_missed",
          "route_consumer_notice_unknown": "consumer_notice_unknown"}


def _money(m: Money | None) -> str | None:
    return str(m.amount) if m is not None else None


def _day(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _plain(v: object) -> object:
    """A value for the JSON: a day as ISO, an amount as its number, anything else as it is."""
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, Money):
        return str(v.amount)
    return v


@dataclass
class FilingPack:
    """The pack: its context (what the PDF shows) and the routes it was judged from."""

    context: FilingPackContext
    legal: LegalRoutes

    def pdf(self) -> bytes:
        return build_filing_pack(self.context)

    def as_dict(self) -> dict:
        c, lh, d = self.context, self.context.letterhead, self.context.debtor
        route = self.legal.routes[0]
        w = c.warning
        return {
            "document": "filing_pack", "route": route.code, "customer": self.legal.customer_ref,
            "case_reference": c.case_ref, "prepared_on": c.as_of.isoformat(), "filing_day": c.filing_day.isoformat(),
            "fits": route.fits,
            "blockers": [{"code": code, **{k: _plain(v) for k, v in values.items()}} for code, values in c.blockers],
            "creditor": {"name": lh.name, "number": lh.tax_id, "address": list(lh.address_lines), "phone": lh.phone,
                         "email": lh.email},
            "debtor": {"name": d.name, "kind": d.kind, "number": d.tax_id, "number_label": d.id_label_code,
                       "address": list(d.address_lines), "contact_person": d.contact_person, "phone": d.phone,
                       "email": d.email, "customer_ref": d.customer_ref},
            "currency": c.claim.currency, "principal": _money(c.principal), "interest_and_fees": _money(c.interest),
            "claim": _money(c.claim), "cap": _money(c.cap),
            "invoices": [{"number": i.number, "issued": _day(i.issue_date), "due": i.due_date.isoformat(),
                          "open": str(i.amount.amount)} for i in c.invoices],
            "written_basis": c.written_basis,
            "warning": None if w is None else {
                "registered_number": w.registered_number, "posted": _day(w.posted_on),
                "delivered": _day(w.delivered_on), "earliest_filing": _day(w.earliest_filing)},
            "attachments": [{"name": a, "held": c.attached.get(a, False)} for a in ATTACHMENTS],
            "notes": [{"code": getattr(n, "code", ""), **{k: _plain(v) for k, v in getattr(n, "params", {}).items()}}
                      for n in self.legal.notes],
            "sources": {"attachments": {"url": ATTACHMENTS_SOURCE[0], "quote": ATTACHMENTS_SOURCE[1]},
                        "route": route.source},
            "form_fields": None, "form_fields_note": FORM_FIELDS_NOTE,
        }


def _warning_copy_held(message_id: int | None) -> bool:
    """Whether the registered warning's PDF, as it was printed, is kept (the case file attaches it)."""
    if message_id is None:
        return False
    raw = OutboxMessage.objects.filter(id=message_id).values_list("raw_path", flat=True).first()
    if not raw:
        return False
    try:
        path = resolve_path(raw)
    except GviaError:       # a path outside the store is not a copy we can show
        return False
    return path.suffix.lower() == ".pdf" and path.exists()


def _blockers(res: LegalRoutes) -> tuple[tuple[str, dict[str, object]], ...]:
    out: list[tuple[str, dict[str, object]]] = []
    route = res.routes[0]
    gate = _GATES.get(getattr(route.reason, "code", ""))
    fit = fixed_sum_fit(res.claim, res.filing_day, res.written_basis is not False)
    for r in fit.reasons:
        out.append((r, {"total": fit.rule.cap} if fit.rule is not None and r == "over_fixed_sum_cap" else {}))
    if gate is not None:
        params = getattr(route.reason, "params", {}) or {}
        out.append((gate, {"date": params["day"]} if "day" in params else
                    {"amount": params["amount"]} if "amount" in params else {}))
    notice = res.notice
    if notice is not None:
        clock_ = notice.filing
        if clock_.code in ("not_posted", "awaiting_delivery_confirmation", "no_delivery_confirmation"):
            out.append((clock_.code, {"date": notice.posted} if notice.posted else {}))
        elif res.filing_allowed is False and clock_.on is not None:
            out.append(("too_early", {"date": clock_.on}))
    return tuple(out)


def pack_context(ctx: Ctx, customer: Customer, today: date, filing_day: date | None = None,
                 language: str | None = None) -> tuple[FilingPackContext, LegalRoutes]:
    """The pack's context for ``customer`` on ``filing_day`` (None: the first day the filing clock
    allows), judged by :func:`gvia.services.legal.routes.routes`."""
    lang = language or ctx.org.default_language
    res = routes(ctx, customer, filing_day, today=today)
    issued = dict(Invoice.objects.filter(customer=customer, id__in=[c[0] for c in res.claimed])
                  .values_list("id", "issue_date"))
    invoices = tuple(PackInvoice(number=number, issue_date=issued.get(iid), due_date=due, amount=amount)
                     for iid, number, due, amount in res.claimed)
    notice = res.notice
    warning = None
    if notice is not None and notice.message_id is not None:
        warning = PackWarning(registered_number=notice.registered_number, posted_on=notice.posted,
                              delivered_on=notice.delivered, earliest_filing=notice.filing.on)
    kinds = set(Document.objects.filter(customer=customer).values_list("kind", flat=True))
    attached = {"statement_of_claim": False,
                "written_evidence": Document.Kind.AGREEMENT in kinds,
                "warning_copy": _warning_copy_held(notice.message_id if notice else None),
                "delivery_confirmation": (bool(warning and warning.delivered_on)
                                          or Document.Kind.DELIVERY_PROOF in kinds)}
    fit = fixed_sum_fit(res.claim, res.filing_day, res.written_basis is not False)
    case = Case.objects.filter(customer=customer).first()
    context = FilingPackContext(
        language=lang, as_of=today, letterhead=letterhead_for(ctx.org, lang), debtor=debtor_for(customer),
        filing_day=res.filing_day, cap=fit.rule.cap if fit.rule is not None else None, principal=res.principal,
        interest=res.interest, claim=res.claim, invoices=invoices,
        written_basis=claim_basis(ctx.org, customer, lang), warning=warning, attached=attached,
        blockers=_blockers(res), case_ref=payment_reference(customer.ref, case.cycle) if case else customer.ref)
    return context, res


def build(ctx: Ctx, customer_ref: str, today: date | None = None, filing_day: date | None = None,
          language: str | None = None) -> FilingPack:
    """The filing pack of ``customer_ref`` (this organization's customer only), audited."""
    ctx.require("collector", "building a filing pack")
    customer = ledger.get_customer(ctx, customer_ref)
    today = today or clock.org_today(ctx.org)
    context, res = pack_context(ctx, customer, today, filing_day, language)
    audit.record(ctx, "filing_pack.built", customer, filing_day=res.filing_day.isoformat(),
                 blockers=[code for code, _ in context.blockers])
    return FilingPack(context, res)

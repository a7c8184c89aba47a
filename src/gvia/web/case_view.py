"""The collection case on the customer page: where it stands and why, what comes next, the
arrangements in force, and the records a person may act on (pauses, disputes, the settlement
offer, the payment plan). Read-only.

"Where it stands and why, what next and when" is :func:`gvia.services.engine.daily_run.explain` in the
reader's language (the same words as ``gvia explain``, from one computation in parts:
:func:`gvia.services.engine.daily_run.explain_parts`); the arrangements in force, which the explanation
tells too, are listed on their own. ``limitation`` is the earliest limitation date of the customer's
open overdue invoices and what set it (:func:`gvia.services.legal.limitation.customer_limitation`).

"What next" is the ladder's next step as decided today, so a pause made since the last run shows:
``pause_until``/``pause_kind`` (the longest pause in force; ``pause_open`` when it lasts until
lifted) come before the next stage ("paused until 24/12/2026 (promise); then the second
reminder"). ``rejected_stage`` names the stage whose rejected message waits for a person's choice
(:mod:`gvia.services.engine.rejections`); ``held`` lists the messages that cannot be produced yet,
each with what is missing and where to fill it in (:attr:`gvia.web.day.MessageRow.held_items`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from gvia.core.errors import GviaError
from gvia.services.arrangements.describe import Records, describe_arrangements, records_of
from gvia.services.context import Ctx
from gvia.services.engine import daily_run
from gvia.services.engine.cases import case_state
from gvia.services.legal.limitation import CustomerLimitation, customer_limitation
from gvia.store import prepared
from gvia.store.models import Case, Customer, Dispute, Invoice, OutboxMessage, Pause, PaymentPlan, Settlement

from . import day
from .ladder import stage_names


@dataclass(frozen=True)
class CaseView:
    stage_key: str
    stage: str                       # its name in the reader's language ("" before the first stage)
    cycle: int
    active: bool
    since: date | None
    next_stage: str
    next_date: date | None
    explanation: list[str]           # lines
    arrangements: list[str]
    pauses: list[Pause] = field(default_factory=list)
    disputes: list[Dispute] = field(default_factory=list)
    settlements: list[Settlement] = field(default_factory=list)
    plans: list[PaymentPlan] = field(default_factory=list)
    limitation: CustomerLimitation | None = None
    pause_until: date | None = None
    pause_open: bool = False
    pause_kind: str = ""
    rejected_stage: str = ""
    held: list = field(default_factory=list)     # the case's messages held for details (web MessageRow)

    @property
    def paused(self) -> bool:
        return bool(self.pauses)


def case_view(ctx: Ctx, customer: Customer, today: date, lang: str, records: Records | None = None,
              open_invoices: list[Invoice] | None = None) -> CaseView:
    """``customer`` is the organization's (the page found it so): its records are read by it;
    ``records`` (:func:`gvia.services.arrangements.describe.records_of`) and ``open_invoices`` (all
    the customer's open invoices): the customer's, when the page has read them."""
    case = _case(customer)
    if records is None:                 # listed below and told in the arrangements: read once
        records = records_of(customer)
    try:
        chooser = daily_run.PolicyChooser(ctx)
        names = stage_names(ctx, lang, (chooser.default, chooser.versions))
        # one computation: the explanation's own lines and messages, the arrangements listed apart
        parts = daily_run.explain_parts(ctx, customer, lang=lang, chooser=chooser, records=records)
        explanation, arrangements = [*parts.lines, *parts.messages], parts.arrangements
    except GviaError as exc:          # a policy that no longer loads: say so instead of failing the page
        names, explanation, parts = {}, [str(exc)], None
        arrangements = describe_arrangements(ctx, customer, today, lang, records)
    next_stage = names.get(case.next_step, case.next_step) if case and case.next_step else ""
    next_date = case.next_date if case else None
    if parts is not None and parts.next_step is not None:     # today's decision: pauses made since count
        next_stage, next_date = names.get(parts.next_step.stage_key, parts.next_step.stage_key), parts.next_step.on
    in_force = [p for p in prepared.models(
        ("case_view.pauses", ctx.org.pk), Pause,
        lambda cid: Pause.objects.filter(organization=ctx.org, customer_id=cid, active=True).order_by("until", "id"),
        customer.id) if p.until is None or p.until >= today]
    # the pauses that hold the whole case (a dispute holds only its invoices), the longest last
    held = sorted((p for p in in_force if not p.invoices), key=lambda p: (p.until is None, p.until or today))
    longest = held[-1] if held else None
    rejected = case_state(case).rejected_stage if case is not None else None     # rejections.waiting_choice's
    return CaseView(
        stage_key=case.stage_key if case else "", stage=names.get(case.stage_key, case.stage_key) if case else "",
        cycle=case.cycle if case else 0, active=bool(case and case.active),
        since=case.stage_entered if case else None,
        next_stage=next_stage, next_date=next_date,
        explanation=[line for line in explanation if line.strip()],
        arrangements=arrangements,
        pauses=in_force,
        disputes=records.disputes,
        settlements=records.settlements,
        plans=records.plans,
        limitation=customer_limitation(ctx, customer, today, open_invoices),
        pause_until=longest.until if longest else None, pause_open=bool(longest and longest.until is None),
        pause_kind=longest.kind if longest else "",
        rejected_stage=names.get(rejected, rejected) if rejected else "",
        held=[day.message_row(m, names) for m in _held(customer)],
    )


def _case(customer: Customer) -> Case | None:
    """The customer's case, kept by the customer (the page's header reads ``customer.case`` again);
    the query compiled once in the process (gvia.store.prepared)."""
    if Customer.case.is_cached(customer):       # the reverse one-to-one's descriptor
        return getattr(customer, "case", None)
    found = prepared.models(("case_view.case",), Case, lambda cid: Case.objects.filter(customer_id=cid),
                                customer.id)
    case = found[0] if found else None
    if case is not None:
        case.customer = customer
    Customer.case.related.set_cached_value(customer, case)  # as reading it would
    return case


def _held(customer: Customer) -> list[OutboxMessage]:
    """The case's messages held for details, oldest first, each with its customer."""
    found = prepared.models(("case_view.held",), OutboxMessage, lambda cid: OutboxMessage.objects.filter(
        customer_id=cid, status=OutboxMessage.Status.HELD).order_by("id"), customer.id)
    for m in found:
        m.customer = customer
    return found

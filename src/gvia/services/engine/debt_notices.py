"""The consumer debt notices an organization sent (issue 15), as the engine reads them.

The rule is :mod:`gvia.core.debt_notice` (Israel, Consumer Protection Law s.13ב2): this module
only records which charges each notice message lists (:class:`~gvia.store.models.DebtNotice`,
written when the daily run plans the notice, or when a person asks for one by hand) and reads
back, for each consumer, the notices that went out and the day each did:

* by e-mail (or a short text): the day it was sent, in the organization's time zone;
* on paper: the posting day recorded for it (``gvia mail registered`` and the outbox's paper
  letters); a letter printed but not recorded as posted has not been sent as far as gvia knows.

A message that failed, was rejected or cancelled, or whose fate is uncertain, was not sent.

:func:`assessment` is where a consumer's debt stands by the rule today (the ladder's own check is
in the core; a letter asked for by hand asks :func:`require_allowed`, the legal route may ask
:func:`assessment`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable, Iterable

from gvia.core.customer_kinds import CONSUMER
from gvia.core.debt_notice import (
    DOCUMENT,
    NEEDS_NOTICE,
    WAITING,
    WINDOW_MISSED,
    Assessment,
    Charge,
    SentNotice,
    applies,
    assess,
)
from gvia.core.errors import RefusedFor
from gvia.core.escalation import Decision
from gvia.core.money import Money
from gvia.core.policy import NOTICE_CHANNELS, PAPER_CHANNELS
from gvia.services import clock
from gvia.services.context import Ctx
from gvia.store.models import Customer, DebtNotice, Invoice, Organization, OutboxMessage, Pause

__all__ = ["reader", "notices_of", "record_planned", "record_message", "sent_day", "invoice_ids_of",
           "assessment", "require_allowed", "COLLECTION_LETTERS", "Flag", "flagged"]

#: the letters that are a step to collect a debt (a debt notice, a statement, a plan or a
#: settlement the customer agrees to are not)
COLLECTION_LETTERS = frozenset({"courtesy", "reminder", "second_reminder", "warning_letter",
                                "warning_execution_office", "letter_of_claim"})

Reader = Callable[[int, str], "tuple[SentNotice, ...] | None"]


def sent_day(org: Organization, channel: str, status: str, sent_at: datetime | None,
             posted: date | None) -> date | None:
    """The day a notice message went out (see the module's text); None: not sent (or not by a
    written channel, :data:`gvia.core.policy.NOTICE_CHANNELS`)."""
    if channel not in NOTICE_CHANNELS:
        return None
    if channel in PAPER_CHANNELS:
        return posted if status == OutboxMessage.Status.SENT else None
    if status != OutboxMessage.Status.SENT or sent_at is None:
        return None
    return clock.to_local(org, sent_at).date()


def notices_of(org: Organization, customer_ids: Iterable[int] | None = None) -> dict[int, tuple[SentNotice, ...]]:
    """The notices sent to the organization's customers (those of ``customer_ids``), by customer."""
    rows = DebtNotice.objects.filter(organization=org)
    if customer_ids is not None:
        rows = rows.filter(customer_id__in=list(customer_ids))
    out: dict[int, list[SentNotice]] = defaultdict(list)
    for cid, ids, channel, status, sent_at, posted in rows.values_list(
            "customer_id", "invoice_ids", "message__channel", "message__status", "message__sent_at",
            "message__posted_date").order_by("id"):
        day = sent_day(org, channel, status, sent_at, posted)
        if day is not None:
            out[cid].append(SentNotice(day, frozenset(int(i) for i in ids or ())))
    return {cid: tuple(found) for cid, found in out.items()}


def reader(org: Organization, customer_ids: Iterable[int] | None = None) -> Reader | None:
    """What :func:`gvia.store.engine_store.load_snapshots` asks per customer: the notices sent to
    a customer whose debts the notice's law governs (:func:`gvia.core.debt_notice.applies`),
    else None; None altogether for an organization the law does not reach."""
    if not applies(org.country, CONSUMER):
        return None
    sent: dict[int, tuple[SentNotice, ...]] = {}
    read_yet = False

    def read(customer_id: int, kind: str) -> tuple[SentNotice, ...] | None:
        nonlocal read_yet
        if not applies(org.country, kind):
            return None
        if not read_yet:        # read once, when the first consumer asks (none asks: no query)
            sent.update(notices_of(org, customer_ids))
            read_yet = True
        return sent.get(customer_id, ())

    return read


def record_message(msg: OutboxMessage, invoice_ids: Iterable[Any], now: datetime) -> None:
    """Record which charges the notice message ``msg`` lists (once per message)."""
    DebtNotice.objects.get_or_create(
        message=msg, defaults={"organization_id": msg.organization_id, "customer_id": msg.customer_id,
                               "invoice_ids": sorted(int(i) for i in invoice_ids), "created_at": now})


def record_planned(org: Organization, decisions: Iterable[Decision], now: datetime) -> int:
    """After the daily run wrote its decisions: a ``DebtNotice`` row for each notice message it
    planned, listing the invoices the decision planned it for. Returns how many were recorded."""
    wanted = {x.idempotency_key: (d.customer_id, x.invoice_ids)
              for d in decisions for x in d.actions if x.document == DOCUMENT}
    if not wanted:
        return 0
    messages = OutboxMessage.objects.filter(organization=org, idempotency_key__in=list(wanted)).exclude(
        debt_notice__isnull=False).values_list("id", "idempotency_key", "customer_id")
    rows = [DebtNotice(organization=org, customer_id=cid, message_id=mid, created_at=now,
                       invoice_ids=sorted(int(i) for i in wanted[key][1]))
            for mid, key, cid in messages if wanted[key][0] == cid]
    DebtNotice.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def invoice_ids_of(customer_id: int, numbers: Iterable[str]) -> list[int]:
    """The ids of the customer's invoices with these numbers (a letter lists numbers)."""
    return list(Invoice.objects.filter(customer_id=customer_id, number__in=list(numbers),
                                       kind=Invoice.Kind.INVOICE).values_list("id", flat=True))


def assessment(org: Organization, customer: Customer, today: date) -> Assessment | None:
    """Where the customer's overdue charges stand by the debt notice's rule on ``today``; None when
    the rule does not govern this customer's debts. The charges are the open invoices due before
    ``today``, less those under a dispute (as the ladder leaves them out)."""
    if customer.organization_id != org.id or not applies(org.country, customer.kind):
        return None
    disputed: set[int] = set()
    for ids in Pause.objects.filter(customer=customer, kind=Pause.Kind.DISPUTE, active=True).values_list(
            "invoices", flat=True):
        disputed.update(int(i) for i in ids or ())
    charges = [Charge(i, n, due) for i, n, due in Invoice.objects.filter(
        customer=customer, kind=Invoice.Kind.INVOICE, due_date__lt=today, open_minor__gt=0).values_list(
        "id", "number", "due_date") if i not in disputed]
    return assess(charges, notices_of(org, [customer.id]).get(customer.id, ()), today)


def require_allowed(org: Organization, customer: Customer, today: date) -> None:
    """Refused (``letter_debt_notice_*``) when a step to collect the customer's debt may not be
    taken on ``today`` by the debt notice's rule: a window missed, a notice still to send, or its
    14 days not over."""
    found = assessment(org, customer, today)
    if found is None or found.allowed:
        return
    missed, needed, waiting = found.of(WINDOW_MISSED), found.of(NEEDS_NOTICE), found.of(WAITING)
    if missed:
        raise RefusedFor("letter_debt_notice_window_missed", "the debt notice's window was missed",
                         invoices=", ".join(s.charge.number for s in missed))
    if needed:
        raise RefusedFor("letter_debt_notice_needed", "no debt notice was sent yet",
                         invoices=", ".join(s.charge.number for s in needed))
    raise RefusedFor("letter_debt_notice_wait", "the debt notice's 14 days are not over",
                     sent=max(s.sent_on for s in waiting if s.sent_on is not None), until=found.wait_until)


@dataclass(frozen=True, slots=True)
class Flag:
    """An overdue invoice of an Israeli consumer whose debt notice was not sent in time: the
    worklist's ``debt_notices`` section (a person decides; the ladder does not chase it)."""

    invoice_id: int
    number: str
    customer_id: int
    customer_ref: str
    customer_name: str
    due_date: date
    amount: Money
    last_day: date


def flagged(ctx: Ctx, day: date, customer_id: int | None = None) -> list[Flag]:
    """The organization's consumers' overdue invoices whose notice window was missed on ``day``
    (those on "do not chase" or under a dispute left out: a person already decided), the oldest
    due first; none where the notice's law does not reach (three queries)."""
    org = ctx.org
    if not applies(org.country, CONSUMER):
        return []
    invoices = Invoice.objects.filter(organization=org, kind=Invoice.Kind.INVOICE, due_date__lt=day,
                                      open_minor__gt=0, customer__kind=CONSUMER, customer__do_not_chase=False)
    if customer_id is not None:
        invoices = invoices.filter(customer_id=customer_id)
    rows = list(invoices.values_list("id", "number", "customer_id", "customer__ref", "customer__name", "due_date",
                                     "open_minor", "currency").order_by("due_date", "number"))
    if not rows:
        return []
    customers = sorted({r[2] for r in rows})
    disputed: set[int] = set()
    for ids in Pause.objects.filter(organization=org, customer_id__in=customers, kind=Pause.Kind.DISPUTE,
                                    active=True).values_list("invoices", flat=True):
        disputed.update(int(i) for i in ids or ())
    sent = notices_of(org, customers)
    by_customer: dict[int, list[tuple]] = defaultdict(list)
    for r in rows:
        if r[0] not in disputed:
            by_customer[r[2]].append(r)
    out: list[Flag] = []
    for cid, mine in by_customer.items():
        found = assess([Charge(r[0], r[1], r[5]) for r in mine], sent.get(cid, ()), day)
        missed = {s.charge.invoice_id: s.day for s in found.of(WINDOW_MISSED)}
        out.extend(Flag(r[0], r[1], cid, r[3], r[4], r[5], Money.from_minor(r[6], r[7]), missed[r[0]])
                   for r in mine if r[0] in missed)
    out.sort(key=lambda f: (f.due_date, f.number))
    return out

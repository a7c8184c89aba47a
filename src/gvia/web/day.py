"""The collector's day: what needs a person today, section by section, for the worklist page
and the dashboard's "waiting today" counts. Read-only; every query is scoped to the
organization and reads a page of rows (never one query per row).

The sections and what puts a row in each (``day`` is the organization's business date):

=======================  ==================================================================
``calls``                open call tasks due on or before ``day`` (the engine's call stage;
                         a call-back or an unanswered call moves the task's date)
``approvals``            messages awaiting approval; an owner's decision when their stage
                         asks for approval, anyone who may change data otherwise
``failed``               messages that failed to send
``uncertain``            messages that may or may not have reached the customer
``replies``              replies from customers to read (open reply tasks)
``promises_due``         promises to pay due on ``day``: recorded promises still open, and
                         promises logged on a call (a promise pause ending that day)
``broken_promises``      promises broken or only partly kept in the last
                         :data:`BROKEN_RECENT_DAYS` days
``missed_installments``  missed installments of payment plans still running
``disputes_too_long``    open disputes older than their reminder period
                         (``dispute_max_open_days`` when they were opened)
``nearing_limitation``   open invoices within the warning window before limitation, or past
                         it (:func:`gvia.services.legal.limitation.nearing`)
=======================  ==================================================================

The first four mirror :func:`gvia.services.engine.worklist.worklist` (the same records, oldest first),
but read a page at a time with a count: after the first daily run of a large business thousands
of messages wait for approval, and the service returns every one of them. On the overview the
message sections' counts (on the overview and their own pages) are kept for
:data:`gvia.web.cached.SHORT_TTL` seconds, as on the dashboard: a change made through gvia (an
approval) shows at once, the dispatcher's (a message failing) within that time.

Queries about one customer are filtered by the customer alone once the customer is known to be
the organization's: the customer's own index answers them, whatever the planner knows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q

from gvia.core.money import Money
from gvia.services.legal import limitation
from gvia.services.engine.calls import CALL_SCRIPT
from gvia.services.context import Ctx
from gvia.store.models import Dispute, OutboxMessage, Pause, PlanInstallment, Promise, Task

from . import cached, links

SECTIONS = ("calls", "approvals", "failed", "uncertain", "replies", "promises_due", "broken_promises",
            "missed_installments", "disputes_too_long", "nearing_limitation")
BROKEN_RECENT_DAYS = 14
OVERVIEW_ROWS = 10      # rows of each section on the worklist's overview
PAGE_ROWS = 25          # rows of one section shown on its own


@dataclass(frozen=True)
class Section:
    name: str
    rows: list
    total: int
    page: int = 1
    per_page: int = OVERVIEW_ROWS

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.rows))

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


@dataclass(frozen=True)
class CallRow:
    task_id: int
    customer_id: int
    customer_ref: str
    customer_name: str
    language: str
    due: date
    stage: str
    assigned_to: str
    phones: list[dict]
    open_items: list[dict]          # number, due (date), open (Money), id
    calls_so_far: list[dict]
    script: tuple[str, ...]

    @property
    def invoice_numbers(self) -> list[str]:
        return [i["number"] for i in self.open_items]


@dataclass(frozen=True)
class MessageRow:
    id: int
    customer_id: int
    customer_ref: str
    customer_name: str
    stage: str
    channel: str
    document: str
    planned_for: date
    status: str
    needs_owner: bool
    free_text: str
    subject: str
    last_error: str
    attempts: int

    # its links (Django's reverse asked once per name, not once per row: gvia.web.links)
    pdf_url = links.id_property("message_pdf")
    approve_url = links.id_property("message_approve")
    reject_url = links.id_property("message_reject")
    resolve_url = links.id_property("message_resolve")
    detail_url = links.id_property("message_detail")
    customer_url = links.id_property("customer_detail", "customer_id")


@dataclass(frozen=True)
class ReplyRow:
    task_id: int
    customer_id: int
    customer_ref: str
    customer_name: str
    day: date
    text: str


@dataclass(frozen=True)
class PromiseRow:
    customer_id: int
    customer_ref: str
    customer_name: str
    amount: Money | None            # None: a promise logged on a call without an amount
    due: date
    source: str
    status: str
    paid: Money | None = None
    closed_on: date | None = None
    promise_id: int | None = None


@dataclass(frozen=True)
class InstallmentRow:
    plan_id: int
    customer_id: int
    customer_ref: str
    customer_name: str
    number: int
    due: date
    unpaid: Money
    missed_in_plan: int


@dataclass(frozen=True)
class DisputeRow:
    id: int
    customer_id: int
    customer_ref: str
    customer_name: str
    invoices: list[str]
    reason: str
    opened_on: date
    days_open: int
    owner: str


@dataclass
class Day:
    day: date
    sections: dict[str, Section] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Section:
        return self.sections[name]

    @property
    def total(self) -> int:
        return sum(s.total for s in self.sections.values())


def _page(qs, page: int, per_page: int):
    start = (page - 1) * per_page
    return list(qs[start:start + per_page])


def _total(qs, rows: list, page: int, per_page: int) -> int:
    """How many rows ``qs`` has, from the page read when it is its last (not full): counted in
    the database only when there may be more."""
    if len(rows) < per_page and (rows or page == 1):
        return (page - 1) * per_page + len(rows)
    return qs.count()


# --- the queries of each section ---------------------------------------------------------------

def _calls_qs(ctx: Ctx, day: date, mine_user=None):
    qs = Task.objects.filter(organization=ctx.org, kind=Task.Kind.CALL, open=True, due_date__lte=day)
    if mine_user is not None:      # the user's own calls and the calls nobody was given
        qs = qs.filter(Q(assigned_to=mine_user) | Q(assigned_to__isnull=True))
    return qs


def _messages_qs(ctx: Ctx, status: str):
    return OutboxMessage.objects.filter(organization=ctx.org, status=status)


MESSAGE_SECTIONS = {"approvals": OutboxMessage.Status.AWAITING_APPROVAL, "failed": OutboxMessage.Status.FAILED,
                    "uncertain": OutboxMessage.Status.UNCERTAIN}


def message_counts(ctx: Ctx) -> dict[str, int]:
    """How many messages wait in each of the message sections, in one grouped query."""
    found = dict(OutboxMessage.objects.filter(organization=ctx.org, status__in=list(MESSAGE_SECTIONS.values()))
                 .values_list("status").annotate(n=Count("id")).order_by())
    return {name: found.get(status, 0) for name, status in MESSAGE_SECTIONS.items()}


def kept_message_counts(ctx: Ctx, day: date) -> dict[str, int]:
    """:func:`message_counts`, kept for a short while as the dashboard's counts are (thousands
    may wait for approval): a change made through gvia shows at once, the dispatcher's within
    :data:`gvia.web.cached.SHORT_TTL` seconds."""
    return cached.remember(ctx, "message_counts", day, lambda: message_counts(ctx), ttl=cached.SHORT_TTL)


def _message_order(name: str) -> tuple[str, ...]:
    # oldest first. Thousands may wait for approval after a large run: their ids follow the order
    # they were planned in, and reading by id stops after a page; the few failed or uncertain
    # ones are sorted by the day they were planned for.
    return ("id",) if name == "approvals" else ("planned_for", "id")


def _nearing(ctx: Ctx, day: date) -> list:
    """Debts nearing limitation: a pass over the oldest open invoices, kept while nothing changes."""
    return cached.remember(ctx, "nearing_limitation", day, lambda: limitation.nearing(ctx, day), ttl=600)


def _replies_qs(ctx: Ctx):
    return Task.objects.filter(organization=ctx.org, kind=Task.Kind.REPLY, open=True)


def _promises_due_qs(ctx: Ctx, day: date):
    return Promise.objects.filter(organization=ctx.org, status=Promise.Status.OPEN, due=day)


def _call_promises_qs(ctx: Ctx, day: date):
    """Promises logged on a call (gvia.services.engine.calls): a promise pause of their own, not made
    by a recorded promise (those carry the promise's id in ``source_id``)."""
    return Pause.objects.filter(organization=ctx.org, kind=Pause.Kind.PROMISE, active=True, until=day,
                                source_id__isnull=True)


def _broken_qs(ctx: Ctx, day: date):
    return Promise.objects.filter(organization=ctx.org, status__in=(Promise.Status.BROKEN,
                                                                    Promise.Status.PARTIALLY_KEPT),
                                  closed_on__gte=day - timedelta(days=BROKEN_RECENT_DAYS))


def _missed_qs(ctx: Ctx):
    return PlanInstallment.objects.filter(plan__organization=ctx.org, plan__status="active",
                                          status=PlanInstallment.Status.MISSED)


def _disputes_too_long(ctx: Ctx, day: date) -> list[Dispute]:
    # few open disputes at any time: their own reminder periods are compared here
    rows = (Dispute.objects.filter(organization=ctx.org, status=Dispute.Status.OPEN)
            .select_related("customer", "owner").prefetch_related("invoices").order_by("opened_on", "id"))
    return [d for d in rows if d.opened_on + timedelta(days=d.remind_after_days) <= day]


# --- rows ----------------------------------------------------------------------------------------

def _open_item(item: dict) -> dict:
    return {"id": item.get("id"), "number": item.get("number", ""),
            "due": date.fromisoformat(item["due"]) if item.get("due") else None,
            "open": Money.of(Decimal(str(item.get("open", "0"))), item.get("currency") or "ILS")}


def _call_row(t: Task, names: dict[str, str]) -> CallRow:
    data = t.data or {}
    lang = "he" if t.customer.language == "he" else "en"
    stage = data.get("stage", "")
    return CallRow(t.id, t.customer_id, t.customer.ref, t.customer.name, t.customer.language, t.due_date,
                   names.get(stage, stage), getattr(t.assigned_to, "email", "") or "", list(data.get("phones", [])),
                   [_open_item(i) for i in data.get("open_items", [])], list(data.get("calls", [])),
                   tuple(CALL_SCRIPT[lang]))


#: The fields :func:`message_row` reads: a list of messages reads only these (not the messages'
#: and customers' JSON fields, decoded row by row).
MESSAGE_ROW_FIELDS = ("id", "customer_id", "customer__ref", "customer__name", "stage_key", "channel", "document",
                      "planned_for", "status", "needs_approval", "free_text", "subject", "last_error", "attempts")


def message_rows(qs):
    """``qs`` (messages) with what :func:`message_row` needs, in one query."""
    return qs.select_related("customer").only(*MESSAGE_ROW_FIELDS)


def message_row(m: OutboxMessage, names: dict[str, str]) -> MessageRow:
    error = m.last_error.strip().splitlines()[-1] if m.last_error.strip() else ""
    return MessageRow(m.id, m.customer_id, m.customer.ref, m.customer.name, names.get(m.stage_key, m.stage_key),
                      m.channel, m.document, m.planned_for, m.status, m.needs_approval, m.free_text, m.subject,
                      error, m.attempts)


def _promise_row(p: Promise) -> PromiseRow:
    return PromiseRow(p.customer_id, p.customer.ref, p.customer.name, Money.from_minor(p.amount_minor, p.currency),
                      p.due, p.source, p.status, Money.from_minor(p.paid_minor, p.currency), p.closed_on, p.id)


def _dispute_row(d: Dispute, day: date) -> DisputeRow:
    return DisputeRow(d.id, d.customer_id, d.customer.ref, d.customer.name,
                      sorted(i.number for i in d.invoices.all()), d.reason, d.opened_on, (day - d.opened_on).days,
                      getattr(d.owner, "email", "") or "")


def section(ctx: Ctx, name: str, day: date, names: dict[str, str], page: int = 1,
            per_page: int = OVERVIEW_ROWS, mine_user=None, total: int | None = None) -> Section:
    """One section of the day: a page of its rows and how many there are in all (``total`` when
    the caller counted them already)."""
    if name not in SECTIONS:
        raise KeyError(name)
    if name == "calls":
        qs = _calls_qs(ctx, day, mine_user)
        tasks = _page(qs.select_related("customer", "assigned_to").order_by("due_date", "id"), page, per_page)
        return Section(name, [_call_row(t, names) for t in tasks], _total(qs, tasks, page, per_page), page,
                       per_page)
    if name in MESSAGE_SECTIONS:
        qs = _messages_qs(ctx, MESSAGE_SECTIONS[name])
        total = qs.count() if total is None else total
        rows = [message_row(m, names) for m in _page(message_rows(qs).order_by(*_message_order(name)),
                                                     page, per_page)] if total else []
        return Section(name, rows, total, page, per_page)
    if name == "replies":
        qs = _replies_qs(ctx)
        tasks = _page(qs.select_related("customer").order_by("due_date", "id"), page, per_page)
        rows = [ReplyRow(t.id, t.customer_id, t.customer.ref, t.customer.name, t.due_date,
                         (t.data or {}).get("text", "")) for t in tasks]
        return Section(name, rows, _total(qs, tasks, page, per_page), page, per_page)
    if name == "promises_due":
        recorded = [_promise_row(p) for p in _promises_due_qs(ctx, day).select_related("customer").order_by("id")]
        on_calls = [PromiseRow(p.customer_id, p.customer.ref, p.customer.name, None, p.until, "call", "open")
                    for p in _call_promises_qs(ctx, day).select_related("customer").order_by("id")]
        rows = recorded + on_calls
        start = (page - 1) * per_page
        return Section(name, rows[start:start + per_page], len(rows), page, per_page)
    if name == "broken_promises":
        qs = _broken_qs(ctx, day)
        promises = _page(qs.select_related("customer").order_by("-closed_on", "id"), page, per_page)
        return Section(name, [_promise_row(p) for p in promises], _total(qs, promises, page, per_page), page,
                       per_page)
    if name == "missed_installments":
        qs = _missed_qs(ctx)
        missed = _page(qs.select_related("plan", "plan__customer").order_by("due", "id"), page, per_page)
        rows = [InstallmentRow(i.plan_id, i.plan.customer_id, i.plan.customer.ref, i.plan.customer.name, i.number,
                               i.due, Money.from_minor(i.amount_minor - i.paid_minor, i.plan.currency), i.plan.missed)
                for i in missed]
        return Section(name, rows, _total(qs, missed, page, per_page), page, per_page)
    if name == "disputes_too_long":
        found = _disputes_too_long(ctx, day)
        start = (page - 1) * per_page
        return Section(name, [_dispute_row(d, day) for d in found[start:start + per_page]], len(found), page,
                       per_page)
    flags = _nearing(ctx, day)
    start = (page - 1) * per_page
    return Section(name, flags[start:start + per_page], len(flags), page, per_page)


def collectors_day(ctx: Ctx, day: date, names: dict[str, str], mine_user=None) -> Day:
    """Every section's first rows (the worklist's overview)."""
    out = Day(day)
    with cached.one_version(ctx):        # the kept counts and the debts nearing limitation
        counts = kept_message_counts(ctx, day)
        for name in SECTIONS:
            out.sections[name] = section(ctx, name, day, names, mine_user=mine_user, total=counts.get(name))
    return out


def waiting_counts(ctx: Ctx, day: date) -> dict[str, int]:
    """How many rows each section has today, counted in the database (for the dashboard)."""
    return {
        "calls": _calls_qs(ctx, day).count(),
        **message_counts(ctx),
        "replies": _replies_qs(ctx).count(),
        "promises_due": _promises_due_qs(ctx, day).count() + _call_promises_qs(ctx, day).count(),
        "broken_promises": _broken_qs(ctx, day).count(),
        "missed_installments": _missed_qs(ctx).count(),
        "disputes_too_long": len(_disputes_too_long(ctx, day)),
        "nearing_limitation": len(_nearing(ctx, day)),
    }

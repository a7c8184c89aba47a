"""The worklist: what needs a person today, section by section. The one builder of the sections
that the web's worklist page and dashboard, and ``gvia worklist``, show: the same records, in the
same order, with the same counts. Read-only; every query is scoped to the organization and reads
a page of rows (never one query per row).

The sections, in the order they are shown, and what puts a row in each (``day`` is the
organization's business date):

=======================  ==================================================================
``calls``                open call tasks due on or before ``day`` (the engine's call stage;
                         a call-back or an unanswered call moves the task's date), oldest first
``approvals``            messages awaiting approval (an owner's decision when their stage
                         asks for approval, anyone who may change data otherwise), in the
                         order they were planned
``failed``               messages that failed to send, by the day they were planned for
``uncertain``            messages that may or may not have reached the customer, likewise
``replies``              replies from customers to read (open reply tasks), oldest first
``portal_requests``      what customers asked for on their page that waits for a person (a
                         promise beyond the page's limits, a plan, a new billing contact:
                         :mod:`gvia.services.portal.requests`), oldest first
``unmatched_replies``    messages read from the reply mailbox from nobody known, to assign to
                         a customer or dismiss (:mod:`gvia.services.mailbox.unmatched`), oldest
                         first
``suggested_promises``   promises read in what customers wrote (a reply, a call's note, the
                         page's text), to confirm or dismiss
                         (:mod:`gvia.services.arrangements.suggestions`), oldest first
``failing_addresses``    addresses mail to which bounced (a delivery status notification):
                         find the customer a working contact, or say it works again
                         (:func:`gvia.services.mailbox.placing.address_works`), oldest first
``promises_due``         promises to pay due on ``day``: recorded promises still open, and
                         promises logged on a call (a promise pause ending that day)
``broken_promises``      promises broken or only partly kept in the last
                         :data:`BROKEN_RECENT_DAYS` days, the latest first
``missed_installments``  missed installments of payment plans still running, oldest first
``disputes_too_long``    open disputes older than their reminder period
                         (``dispute_max_open_days`` when they were opened), oldest first
``nearing_limitation``   open invoices whose limitation date (part payments and signed plans
                         counted) is within the warning window (``limitation_warn_months``,
                         6 by default) or past (:func:`gvia.services.legal.limitation.nearing`),
                         soonest first
=======================  ==================================================================

and last ``no_delivery_confirmation``: warnings of a running cycle posted by registered mail
whose delivery is not recorded the filing clock's ``confirmation_wait_days`` after posting
(:func:`gvia.core.legal_rules.earliest_filing`: returned, refused or unclaimed? the legal stage
waits for a person to find out), oldest posting first; then ``allocation_numbers``: overdue
invoices that need an Israeli allocation number (מספר הקצאה) and have none, no person having
confirmed going on without it — the customer cannot deduct its VAT without it and may be waiting
for it, and the case's next step waits (:func:`gvia.services.ledger.allocation_numbers.flagged`),
oldest due first; then ``debt_notices``: an Israeli consumer's overdue invoices whose debt notice
was not sent within four months of the due date (:func:`gvia.services.engine.debt_notices.flagged`:
the ladder does not chase them, a person decides), oldest due first; then ``at_risk``: the
customers at risk (something overdue and an
early-warning score from the weights' ``at_risk_from``,
:func:`gvia.services.engine.signals.at_risk`), highest score first, each with its top signals;
then ``credit_hold``: customers not on credit hold whose policy's ``[credit_hold]`` rule suggests
one (:func:`gvia.services.ledger.credit_hold.suggestions`), the oldest debt first; then
``chase_first`` (issue 17): every customer with something overdue, ordered by the overdue amount ×
the early-warning score × the days the oldest overdue invoice is late (other currencies converted
at the latest rate on file, :func:`latest_rates`, and marked as estimates;
:mod:`gvia.core.worklist_order`), each with its groups — ``at_risk``, ``promise_due_today``,
``quick_win`` (one overdue invoice below the ``quick_win_below`` setting from a customer who
usually pays after one reminder); ``group`` (:func:`section`, :func:`worklist`) keeps one group's.
It orders what is overdue rather than listing what waits for a person (a lens, :data:`LENSES`): the
overview and the dashboard's counts leave it out; its own page and ``gvia worklist`` show it.

Last of all ``sync_stale`` (issue 18): the invoicing services (Morning, iCount) whose sync has not
succeeded for ``sync.max_age_hours`` — why the organization's messages wait
(:func:`gvia.services.ledger.sync.is_stale`) — with the last success and the last try's error;
its rows are services, not customers.

A section is a :class:`SectionSource` in :data:`SOURCES`: its name, how its rows are counted and
how a page of them is read. A new section is one more :func:`source` (its rows a dataclass with
``customer_id``, ``customer_ref`` and ``customer_name``, and :func:`row_json` knows how to write
it); the web shows it with a template named after it, the command line with the table of
:func:`row_json`'s keys.

Some figures cost a pass over many rows (the message counts after a large daily run, the debts
nearing limitation): the caller may keep them for a while by passing ``keep`` (see :data:`Keep`);
by default they are read each time.

``gvia worklist --format json`` prints :func:`as_json` of the worklist::

    {"day": "2026-11-10",
     "sections": [{"key": "calls", "count": 1,
                   "rows": [{"task_id": 7, "customer_id": 3, "customer": "C0001", "customer_name": "…",
                             "due": "2026-11-10", "stage": "call", …}]},
                  {"key": "approvals", "count": 3, "rows": […]},
                  …]}

every section in the order above, ``count`` the number of rows it has in all and ``rows`` those
read (all of them unless a limit was asked for). The keys of each section's rows are
:func:`row_json`'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Callable, Mapping

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q

from gvia.core import message_log
from gvia.core.errors import Worded
from gvia.core.legal_rules import filing_clock
from gvia.core.money import Money
from gvia.core.policy import DEADLINE_DOCUMENTS
from gvia.services import clock
from gvia.services.context import Ctx
from gvia.services.engine import signals as early_warning
from gvia.services.engine.calls import CALL_SCRIPT
from gvia.services.legal import limitation
from gvia.services.portal.requests import request_row
from gvia.store.models import Case, Dispute, OutboxMessage, Pause, PlanInstallment, Promise, Task
from gvia.store.models_inbound import InboundMail, SuggestedPromise
from gvia.store.models_portal_requests import PortalRequest

BROKEN_RECENT_DAYS = 14
OVERVIEW_ROWS = 10      # rows of each section on the web's overview
PAGE_ROWS = 25          # rows of one section shown on its own

#: ``keep(name, compute)``: ``compute()``, or what it gave before for this organization and day
#: (the web keeps it in its cache for a short while). Names: "message_counts", "nearing_limitation".
Keep = Callable[[str, Callable[[], Any]], Any]


def _fresh(_name: str, compute: Callable[[], Any]) -> Any:
    return compute()


def _once(keep: Keep) -> Keep:
    """``keep``, asked once per name for one reading of the worklist."""
    seen: dict[str, Any] = {}

    def kept(name: str, compute: Callable[[], Any]) -> Any:
        if name not in seen:
            seen[name] = keep(name, compute)
        return seen[name]
    return kept


# --- rows ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CallRow:
    task_id: int
    customer_id: int
    customer_ref: str
    customer_name: str
    language: str
    due: date
    stage: str                      # the stage's name as the caller named it (its key otherwise)
    assigned_to: str
    phones: list[dict]
    open_items: list[dict]          # number, due (date), open (Money), id
    calls_so_far: list[dict]
    script: tuple[str, ...]
    stage_key: str = ""

    @property
    def invoice_numbers(self) -> list[str]:
        return [i["number"] for i in self.open_items]


@dataclass(frozen=True)
class MessageRow:
    id: int
    customer_id: int
    customer_ref: str
    customer_name: str
    stage: str                      # the stage's name as the caller named it (its key otherwise)
    channel: str
    document: str
    planned_for: date
    status: str
    needs_owner: bool
    free_text: str
    subject: str
    last_error: Worded | str        # the latest entry of its log (gvia.core.message_log), "" for none
    attempts: int
    stage_key: str = ""
    #: a message held for details (:mod:`gvia.services.engine.holds`): the codes of what to fill in
    held_for: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReplyRow:
    task_id: int
    customer_id: int
    customer_ref: str
    customer_name: str
    day: date
    text: str
    reason: str = ""                # the reason for non-payment the customer gave on their page


@dataclass(frozen=True)
class UnmatchedRow:
    """A message from the reply mailbox from nobody known (issue 16): a person assigns or dismisses it."""
    inbound_id: int
    day: date
    mail_kind: str                  # reply, auto_reply, bounce, report
    from_addr: str
    subject: str
    text: str
    customer_id: int | None = None
    customer_ref: str = ""
    customer_name: str = ""


@dataclass(frozen=True)
class SuggestionRow:
    """A promise read in what a customer wrote (issue 16), for a person to confirm or dismiss."""
    suggestion_id: int
    customer_id: int
    customer_ref: str
    customer_name: str
    day: date                       # the day it was written
    said_in: str                    # reply, call, portal
    sentence: str
    due: date | None
    amount: Money | None


@dataclass(frozen=True)
class FailingAddressRow:
    """An address mail to which bounced (issue 16): find the customer a working contact."""
    task_id: int
    customer_id: int
    customer_ref: str
    customer_name: str
    day: date
    address: str
    status: str                     # the delivery report's status code, e.g. 5.1.1


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


@dataclass(frozen=True)
class UndeliveredRow:
    id: int                         # the registered letter (outbox message)
    customer_id: int
    customer_ref: str
    customer_name: str
    document: str
    number: str                     # its registered-mail number
    date: date                      # the day it was posted
    days: int                       # days since, without a delivery confirmation


# --- sections --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Section:
    name: str
    rows: list
    total: int
    page: int = 1
    per_page: int | None = OVERVIEW_ROWS       # None: every row

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.rows))

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page)) if self.per_page else 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


@dataclass
class Worklist:
    day: date
    sections: dict[str, Section] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Section:
        return self.sections[name]

    @property
    def total(self) -> int:
        return sum(s.total for s in self.sections.values())

    @property
    def counts(self) -> dict[str, int]:
        return {name: s.total for name, s in self.sections.items()}


@dataclass(frozen=True)
class Reading:
    """What every section is read with: whose worklist, which day, the stage names to show
    (stage key -> name), only the calls of ``mine`` (a user) and of nobody, and ``keep``."""

    ctx: Ctx
    day: date
    names: Mapping[str, str] = field(default_factory=dict)
    mine: Any = None
    keep: Keep = _fresh
    group: str = ""             # chase_first: only its rows in this group (one of core.worklist_order.GROUPS)


@dataclass(frozen=True)
class SectionSource:
    """One section: ``count(reading)`` its rows in all; ``read(reading, page, per_page, total)``
    one page of them (``per_page`` None: all) as a :class:`Section` (``total``: the count when the
    caller knows it already). ``counted(reading)``: the querysets of its rows, their counts adding
    up to its count; or ``within(reading)``: querysets its rows are drawn from (none there: the
    section is empty). The overview and the dashboard count all such sections in one query
    (:func:`_counted_together`) and read only those with rows."""

    name: str
    count: Callable[[Reading], int]
    read: Callable[[Reading, int, int | None, int | None], Section]
    counted: Callable[[Reading], tuple] | None = None
    within: Callable[[Reading], tuple] | None = None


SOURCES: dict[str, SectionSource] = {}
#: Sections that order what is there rather than list what waits for a person: read only when
#: asked (:func:`worklist`'s ``lenses``; :func:`section` by name), never in :func:`counts`.
LENSES = ("chase_first",)


def source(name: str, count: Callable[[Reading], int] | None = None, *,
           counted: Callable[[Reading], tuple] | None = None, within: Callable[[Reading], tuple] | None = None):
    """Register the decorated ``read`` as the section ``name`` (shown after those registered before):
    its rows counted by ``count``, or by adding up the counts of the querysets ``counted`` gives
    (see :class:`SectionSource`)."""
    def counted_apart(r: Reading) -> int:
        return sum(qs.count() for qs in counted(r)) if counted else 0

    if count is None and counted is None:
        raise TypeError(f"section {name}: count or counted")   # not shown: a section registered wrongly (a bug)

    def register(read: Callable[[Reading, int, int | None, int | None], Section]):
        SOURCES[name] = SectionSource(name, count or counted_apart, read, counted, within)
        return read
    return register


def section_names() -> tuple[str, ...]:
    """The sections of the overview, in order (the :data:`LENSES` are read by name)."""
    return tuple(name for name in SOURCES if name not in LENSES)


#: The query of :func:`_counted_together` — (the section of each value, its SQL, its values) — made
#: once per database, organization, day, user and sections in this process (its text and values
#: depend on nothing else): making it (the sections' querysets, compiled) cost ten times running it.
_COUNTING: dict[tuple, tuple[tuple[str, ...], str, tuple]] = {}


def _counting_query(r: Reading, sources: list[SectionSource]) -> tuple[tuple[str, ...], str, tuple]:
    key = (connection.alias, connection.vendor, r.ctx.org.pk, r.day, getattr(r.mine, "pk", None),
           tuple(src.name for src in sources))
    if key not in _COUNTING:
        names: list[str] = []
        parts: list[str] = []
        params: list = []
        for src in sources:
            for qs in (src.counted or src.within or (lambda _r: ()))(r):
                sql, values = qs.order_by().values("pk").query.get_compiler(connection=connection).as_sql()
                names.append(src.name)
                parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted)")
                params.extend(values)
        if len(_COUNTING) > 1000:       # days and users go by
            _COUNTING.clear()
        _COUNTING[key] = (tuple(names), "SELECT " + ", ".join(parts), tuple(params))
    return _COUNTING[key]


def _counted_together(r: Reading, sources: list[SectionSource]) -> dict[str, int]:
    """The count of each of ``sources`` that has ``counted`` (its querysets' counts added up), and
    for one that has ``within`` how many rows are there — all in one query: at 100,000 customers
    most sections are empty, and a query apiece cost more than the page's rows."""
    names, sql, params = _counting_query(r, sources)
    if not names:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        values = cursor.fetchone()
    out: dict[str, int] = {}
    for name, n in zip(names, values):
        out[name] = out.get(name, 0) + (n or 0)
    return out


def _slice(qs_or_list, page: int, per_page: int | None) -> list:
    if per_page is None:
        return list(qs_or_list)
    start = (page - 1) * per_page
    return list(qs_or_list[start:start + per_page])


def _total(qs, rows: list, page: int, per_page: int | None, total: int | None = None) -> int:
    """How many rows ``qs`` has (``total`` when the caller counted them), from the page read when it
    is its last (not full): counted in the database only when there may be more."""
    if per_page is None:
        return len(rows)
    if total is not None:
        return total
    if len(rows) < per_page and (rows or page == 1):
        return (page - 1) * per_page + len(rows)
    return qs.count()


def _listed(name: str, rows: list, page: int, per_page: int | None, convert=lambda r: r) -> Section:
    """A section whose rows are all read anyway (few): its page sliced from the list."""
    return Section(name, [convert(r) for r in _slice(rows, page, per_page)], len(rows), page, per_page)


# calls ---------------------------------------------------------------------------------------

def _calls_qs(r: Reading):
    qs = Task.objects.filter(organization=r.ctx.org, kind=Task.Kind.CALL, open=True, due_date__lte=r.day)
    if r.mine is not None:      # the user's own calls and the calls nobody was given
        qs = qs.filter(Q(assigned_to=r.mine) | Q(assigned_to__isnull=True))
    return qs


def _open_item(item: dict) -> dict:
    return {"id": item.get("id"), "number": item.get("number", ""),
            "due": date.fromisoformat(item["due"]) if item.get("due") else None,
            "open": Money.of(Decimal(str(item.get("open", "0"))), item.get("currency") or "ILS")}


def _call_row(t: Task, names: Mapping[str, str]) -> CallRow:
    data = t.data or {}
    lang = "he" if t.customer.language == "he" else "en"
    stage = data.get("stage", "")
    return CallRow(t.id, t.customer_id, t.customer.ref, t.customer.name, t.customer.language, t.due_date,
                   names.get(stage, stage), getattr(t.assigned_to, "email", "") or "", list(data.get("phones", [])),
                   [_open_item(i) for i in data.get("open_items", [])], list(data.get("calls", [])),
                   tuple(CALL_SCRIPT[lang]), stage)


@source("calls", counted=lambda r: (_calls_qs(r),))
def _calls(r: Reading, page: int, per_page: int | None, total: int | None) -> Section:
    qs = _calls_qs(r)
    tasks = _slice(qs.select_related("customer", "assigned_to").order_by("due_date", "id"), page, per_page)
    return Section("calls", [_call_row(t, r.names) for t in tasks], _total(qs, tasks, page, per_page, total), page,
                   per_page)


# messages ------------------------------------------------------------------------------------

MESSAGE_SECTIONS = {"approvals": OutboxMessage.Status.AWAITING_APPROVAL, "failed": OutboxMessage.Status.FAILED,
                    "uncertain": OutboxMessage.Status.UNCERTAIN}

#: The fields :func:`message_row` reads: a list of messages reads only these (not the messages'
#: and customers' JSON fields, decoded row by row).
MESSAGE_ROW_FIELDS = ("id", "customer_id", "customer__ref", "customer__name", "stage_key", "channel", "document",
                      "planned_for", "status", "needs_approval", "free_text", "subject", "log", "attempts")


def message_rows(qs):
    """``qs`` (messages) with what :func:`message_row` needs, in one query."""
    return qs.select_related("customer").only(*MESSAGE_ROW_FIELDS)


def message_row(m: OutboxMessage, names: Mapping[str, str] | None = None) -> MessageRow:
    error = message_log.last(m.log) or ""
    held: tuple[str, ...] = ()
    if m.status == OutboxMessage.Status.HELD:     # only a held row reads its reasons (a list reads few)
        from gvia.services.engine.holds import held_codes
        held = tuple(held_codes(m))
    return MessageRow(m.id, m.customer_id, m.customer.ref, m.customer.name,
                      (names or {}).get(m.stage_key, m.stage_key), m.channel, m.document, m.planned_for, m.status,
                      m.needs_approval, m.free_text, m.subject, error, m.attempts, m.stage_key, held)


def message_counts(ctx: Ctx) -> dict[str, int]:
    """How many messages wait in each of the message sections, in one grouped query."""
    found = dict(OutboxMessage.objects.filter(organization=ctx.org, status__in=list(MESSAGE_SECTIONS.values()))
                 .values_list("status").annotate(n=Count("id")).order_by())
    return {name: found.get(status, 0) for name, status in MESSAGE_SECTIONS.items()}


def _kept_message_counts(r: Reading) -> dict[str, int]:
    return r.keep("message_counts", lambda: message_counts(r.ctx))


def _message_order(name: str) -> tuple[str, ...]:
    # oldest first. Thousands may wait for approval after a large run: their ids follow the order
    # they were planned in, and reading by id stops after a page; the few failed or uncertain
    # ones are sorted by the day they were planned for.
    return ("id",) if name == "approvals" else ("planned_for", "id")


def _message_source(name: str) -> None:
    @source(name, count=lambda r: _kept_message_counts(r)[name])
    def read(r: Reading, page: int, per_page: int | None, total: int | None) -> Section:
        total = _kept_message_counts(r)[name] if total is None else total
        qs = OutboxMessage.objects.filter(organization=r.ctx.org, status=MESSAGE_SECTIONS[name])
        rows = [message_row(m, r.names) for m in _slice(message_rows(qs).order_by(*_message_order(name)),
                                                        page, per_page)] if total else []
        return Section(name, rows, total, page, per_page)


for _name in MESSAGE_SECTIONS:
    _message_source(_name)


# replies -------------------------------------------------------------------------------------

def _replies_qs(r: Reading):
    return Task.objects.filter(organization=r.ctx.org, kind=Task.Kind.REPLY, open=True)


@source("replies", counted=lambda r: (_replies_qs(r),))
def _replies(r: Reading, page: int, per_page: int | None, total: int | None) -> Section:
    qs = _replies_qs(r)
    tasks = _slice(qs.select_related("customer").order_by("due_date", "id"), page, per_page)
    rows = [ReplyRow(t.id, t.customer_id, t.customer.ref, t.customer.name, t.due_date,
                     (t.data or {}).get("text", ""), (t.data or {}).get("nonpayment", "")) for t in tasks]
    return Section("replies", rows, _total(qs, tasks, page, per_page, total), page, per_page)


# what customers asked for on their page (issue 16) ------------------------------------------

def _portal_qs(r: Reading):
    return PortalRequest.objects.filter(organization=r.ctx.org, status=PortalRequest.Status.PENDING)


@source("portal_requests", counted=lambda r: (_portal_qs(r),))
def _portal_requests(r: Reading, page: int, per_page: int | None, total: int | None) -> Section:
    qs = _portal_qs(r)
    rows = _slice(qs.select_related("customer", "organization").order_by("at", "id"), page, per_page)
    return Section("portal_requests", [request_row(q) for q in rows],
                   _total(qs, rows, page, per_page, total), page, per_page)


# the reply mailbox: messages from nobody known, promises read in replies (issue 16) ----------

def _unmatched_qs(r: Reading):
    return InboundMail.objects.filter(organization=r.ctx.org, status=InboundMail.Status.UNMATCHED)


@source("unmatched_replies", counted=lambda r: (_unmatched_qs(r),))
def _unmatched_replies(r: Reading, page: int, per_page: int | None, total: int | None) -> Section:
    qs = _unmatched_qs(r)
    rows = _slice(qs.order_by("read_at", "id"), page, per_page)
    return Section("unmatched_replies",
                   [UnmatchedRow(m.id, clock.org_today(r.ctx.org, m.sent_at or m.read_at), m.kind, m.from_addr,
                                 m.subject, m.text[:2000]) for m in rows],
                   _total(qs, rows, page, per_page, total), page, per_page)


def _suggestions_qs(r: Reading):
    return SuggestedPromise.objects.filter(organization=r.ctx.org, status=SuggestedPromise.Status.PENDING)


@source("suggested_promises", counted=lambda r: (_suggestions_qs(r),))
def _suggested_promises(r: Reading, page: int, per_page: int | None, total: int | None) -> Section:
    qs = _suggestions_qs(r)
    rows = _slice(qs.select_related("customer").order_by("created_at", "id"), page, per_page)
    return Section("suggested_promises",
                   [SuggestionRow(s.id, s.customer_id, s.customer.ref, s.customer.name, s.message_date, s.source,
                                  s.sentence, s.due,
                                  Money.from_minor(s.amount_minor, s.currency) if s.amount_minor is not None
                                  else None) for s in rows],
                   _total(qs, rows, page, per_page, total), page, per_page)


def _failing_qs(r: Reading):
    return Task.objects.filter(organization=r.ctx.org, kind=Task.Kind.FOLLOW_UP, open=True, key__startswith="bounce:")


@source("failing_addresses", counted=lambda r: (_failing_qs(r),))
def _failing_addresses(r: Reading, page: int, per_page: int | None, total: int | None) -> Section:
    qs = _failing_qs(r)
    tasks = _slice(qs.select_related("customer").order_by("due_date", "id"), page, per_page)
    return Section("failing_addresses",
                   [FailingAddressRow(t.id, t.customer_id, t.customer.ref, t.customer.name, t.due_date,
                                      str((t.data or {}).get("address", "")), str((t.data or {}).get("status", "")))
                    for t in tasks],
                   _total(qs, tasks, page, per_page, total), page, per_page)


# promises ------------------------------------------------------------------------------------

def _promises_due_qs(r: Reading):
    return Promise.objects.filter(organization=r.ctx.org, status=Promise.Status.OPEN, due=r.day)


def _call_promises_qs(r: Reading):
    """Promises logged on a call (gvia.services.engine.calls): a promise pause of their own, not made
    by a recorded promise (those carry the promise's id in ``source_id``)."""
    return Pause.objects.filter(organization=r.ctx.org, kind=Pause.Kind.PROMISE, active=True, until=r.day,
                                source_id__isnull=True)


def _promise_row(p: Promise) -> PromiseRow:
    return PromiseRow(p.customer_id, p.customer.ref, p.customer.name, Money.from_minor(p.amount_minor, p.currency),
                      p.due, p.source, p.status, Money.from_minor(p.paid_minor, p.currency), p.closed_on, p.id)


@source("promises_due", counted=lambda r: (_promises_due_qs(r), _call_promises_qs(r)))
def _promises_due(r: Reading, page: int, per_page: int | None, total: int | None) -> Section:
    recorded = [_promise_row(p) for p in _promises_due_qs(r).select_related("customer").order_by("id")]
    on_calls = [PromiseRow(p.customer_id, p.customer.ref, p.customer.name, None, p.until, "call", "open")
                for p in _call_promises_qs(r).select_related("customer").order_by("id")]
    return _listed("promises_due", recorded + on_calls, page, per_page)


def _broken_qs(r: Reading):
    return Promise.objects.filter(organization=r.ctx.org, status__in=(Promise.Status.BROKEN,
                                                                      Promise.Status.PARTIALLY_KEPT),
                                  closed_on__gte=r.day - timedelta(days=BROKEN_RECENT_DAYS))


@source("broken_promises", counted=lambda r: (_broken_qs(r),))
def _broken_promises(r: Reading, page: int, per_page: int | None, total: int | None) -> Section:
    qs = _broken_qs(r)
    promises = _slice(qs.select_related("customer").order_by("-closed_on", "id"), page, per_page)
    return Section("broken_promises", [_promise_row(p) for p in promises], _total(qs, promises, page, per_page, total),
                   page, per_page)


# payment plans -------------------------------------------------------------------------------

def _missed_qs(r: Reading):
    return PlanInstallment.objects.filter(plan__organization=r.ctx.org, plan__status="active",
                                          status=PlanInstallment.Status.MISSED)


@source("missed_installments", counted=lambda r: (_missed_qs(r),))
def _missed_installments(r: Reading, page: int, per_page: int | None, total: int | None) -> Section:
    qs = _missed_qs(r)
    missed = _slice(qs.select_related("plan", "plan__customer").order_by("due", "id"), page, per_page)
    rows = [InstallmentRow(i.plan_id, i.plan.customer_id, i.plan.customer.ref, i.plan.customer.name, i.number,
                           i.due, Money.from_minor(i.amount_minor - i.paid_minor, i.plan.currency), i.plan.missed)
            for i in missed]
    return Section("missed_installments", rows, _total(qs, missed, page, per_page, total), page, per_page)


# disputes ------------------------------------------------------------------------------------

def _open_disputes_qs(r: Reading):
    return Dispute.objects.filter(organization=r.ctx.org, status=Dispute.Status.OPEN)


def _disputes_too_long_found(r: Reading) -> list[Dispute]:
    # few open disputes at any time: their own reminder periods are compared here
    rows = (_open_disputes_qs(r).select_related("customer", "owner").prefetch_related("invoices")
            .order_by("opened_on", "id"))
    return [d for d in rows if d.opened_on + timedelta(days=d.remind_after_days) <= r.day]


def _dispute_row(d: Dispute, day: date) -> DisputeRow:
    return DisputeRow(d.id, d.customer_id, d.customer.ref, d.customer.name,
                      sorted(i.number for i in d.invoices.all()), d.reason, d.opened_on, (day - d.opened_on).days,
                      getattr(d.owner, "email", "") or "")


@source("disputes_too_long", count=lambda r: len(_disputes_too_long_found(r)), within=lambda r: (_open_disputes_qs(r),))
def _disputes_too_long(r: Reading, page: int, per_page: int | None, total: int | None) -> Section:
    return _listed("disputes_too_long", _disputes_too_long_found(r), page, per_page,
                   lambda d: _dispute_row(d, r.day))


# limitation ----------------------------------------------------------------------------------

def _nearing(r: Reading) -> list:
    """Debts nearing limitation: a pass over the oldest open invoices."""
    return r.keep("nearing_limitation", lambda: limitation.nearing(r.ctx, r.day))


@source("nearing_limitation", count=lambda r: len(_nearing(r)))
def _nearing_limitation(r: Reading, page: int, per_page: int | None, total: int | None) -> Section:
    return _listed("nearing_limitation", _nearing(r), page, per_page)


# registered warnings without a delivery confirmation -------------------------------------------

def _undelivered_qs(r: Reading):
    cutoff = r.day - timedelta(days=filing_clock(r.day).confirmation_wait_days)
    running = Case.objects.filter(customer_id=OuterRef("customer_id"), active=True, cycle=OuterRef("cycle"))
    return (OutboxMessage.objects.filter(organization=r.ctx.org, status=OutboxMessage.Status.SENT,
                                         document__in=sorted(DEADLINE_DOCUMENTS), posted_date__lte=cutoff,
                                         delivered_date__isnull=True)
            .exclude(registered_number="").filter(Exists(running)))


@source("no_delivery_confirmation", counted=lambda r: (_undelivered_qs(r),))
def _no_delivery_confirmation(r: Reading, page: int, per_page: int | None, total: int | None) -> Section:
    qs = _undelivered_qs(r)
    letters = _slice(qs.select_related("customer").order_by("posted_date", "id"), page, per_page)
    rows = [UndeliveredRow(m.id, m.customer_id, m.customer.ref, m.customer.name, m.document, m.registered_number,
                           m.posted_date, (r.day - m.posted_date).days) for m in letters]
    return Section("no_delivery_confirmation", rows, _total(qs, letters, page, per_page, total), page, per_page)


# long lists: their count and first rows kept apart --------------------------------------------

#: The sections whose rows come from a list kept per data version (through ``keep``): section ->
#: the list's name. A page may keep what it shows of them as long (:mod:`gvia.web.day`).
KEPT_LISTS: dict[str, str] = {"nearing_limitation": "nearing_limitation"}


def _as_found(_r: Reading, found: list) -> list:
    return list(found)


def _head(r: Reading, key: str, found: Callable[[Reading], list],
          rows: Callable[[Reading, list], list] = _as_found) -> tuple[int, list]:
    """A long kept list's count and first rows as its section shows them (``rows``), kept apart
    under ``<key>:first``: the overview and the dashboard's counts read only these, not the whole
    list (at 100,000 customers a list of tens of thousands of rows takes a tenth of a second to
    read back); a section's own pages beyond the first read the whole list."""
    def compute() -> tuple[int, list]:
        every = found(r)
        return len(every), rows(r, every[:PAGE_ROWS])
    return r.keep(f"{key}:first", compute)


def _long(name: str, key: str, found: Callable[[Reading], list], r: Reading, page: int, per_page: int | None,
          rows: Callable[[Reading, list], list] = _as_found) -> Section:
    """A section of a long list: a first page from its head (:func:`_head`), others from the whole."""
    n, first = _head(r, key, found, rows)
    if page == 1 and (n == len(first) or per_page is not None and per_page <= len(first)):
        return Section(name, first[:per_page] if per_page is not None else first, n, page, per_page)
    every = found(r)
    return Section(name, rows(r, _slice(every, page, per_page)), len(every), page, per_page)


def _long_source(name: str, key: str, found: Callable[[Reading], list],
                 rows: Callable[[Reading, list], list] = _as_found) -> None:
    """Register the section ``name`` of the list kept as ``key`` (``found``), each row as ``rows`` makes it."""
    KEPT_LISTS[name] = key

    @source(name, count=lambda r: _head(r, key, found, rows)[0])
    def read(r: Reading, page: int, per_page: int | None, total: int | None) -> Section:
        return _long(name, key, found, r, page, per_page, rows)


# invoices without the allocation number the customer needs (Israel) ----------------------------

def _allocation_flags(r: Reading) -> list:
    from gvia.services.ledger.allocation_numbers import flagged
    return r.keep("allocation_flags", lambda: flagged(r.ctx, r.day))     # read once for its count and its rows


_long_source("allocation_numbers", "allocation_flags", _allocation_flags)


# an Israeli consumer's invoices whose debt notice was not sent in time: a person decides -----------

def _debt_notice_flags(r: Reading) -> list:
    from gvia.services.engine.debt_notices import flagged
    return r.keep("debt_notices", lambda: flagged(r.ctx, r.day))


_long_source("debt_notices", "debt_notices", _debt_notice_flags)


# invoices whose legal payment day under Israel's suppliers' payment law waits for a person -------

def _suppliers_law_flags(r: Reading) -> list:
    """Kept as plain tuples (amounts in minor units): a business whose buyers agreed long terms
    can have every open invoice here — 97,000 at 100,000 customers — and the flags themselves took
    a second to read back from the cache; a page's rows are made from its slice only."""
    from gvia.services.legal.suppliers_law import flagged

    def plain() -> list[tuple]:
        return [(f.invoice_id, f.number, f.customer_id, f.customer_ref, f.customer_name, f.issue_date, f.due_date,
                 f.law_day, f.amount.minor, f.amount.currency, f.code) for f in flagged(r.ctx, r.day)]
    return r.keep("suppliers_law_rows", plain)      # a new name for a new form: nothing kept before is misread


def _suppliers_law_rows(_r: Reading, found: list) -> list:
    from gvia.services.legal.suppliers_law import Flag
    return [Flag(invoice_id, number, customer_id, ref, name, issued, due, law_day, Money.from_minor(minor, currency),
                 code)
            for (invoice_id, number, customer_id, ref, name, issued, due, law_day, minor, currency, code) in found]


_long_source("suppliers_law", "suppliers_law_rows", _suppliers_law_flags, _suppliers_law_rows)


# customers at risk (early-warning signals) -----------------------------------------------------

@dataclass(frozen=True)
class AtRiskRow:
    customer_id: int
    customer_ref: str
    customer_name: str
    score: int
    signals: list[str]          # the codes of its top signals, the most points first


def _at_risk_found(r: Reading) -> list:
    """The customers at risk: a pass over the histories of those overdue (kept like the limitation's)."""
    return r.keep("customers_at_risk_rows", lambda: early_warning.at_risk_rows(r.ctx, r.day))


def _at_risk_rows(r: Reading, found: list) -> list[AtRiskRow]:
    top = early_warning.weights(r.ctx).top_reasons
    return [AtRiskRow(c.customer_id, c.ref, c.name, c.score, list(c.codes[:top])) for c in found]


_long_source("at_risk", "customers_at_risk_rows", _at_risk_found, _at_risk_rows)


# customers the policy's rule suggests putting on credit hold ------------------------------------

def _credit_hold_found(r: Reading) -> list:
    from gvia.services.ledger.credit_hold import suggestions
    return r.keep("credit_hold_suggestions", lambda: suggestions(r.ctx, r.day))


_long_source("credit_hold", "credit_hold_suggestions", _credit_hold_found)


# who to chase first: the order and its groups (issue 17) ----------------------------------------

@dataclass(frozen=True)
class ChaseRow:
    """A customer with something overdue, in the order to chase them (:mod:`gvia.core.worklist_order`)."""
    customer_id: int
    customer_ref: str
    customer_name: str
    overdue: Money                  # in the organization's currency; an estimate when ``estimated``
    estimated: bool                 # other currencies converted at the latest rate on file
    unconverted: list[str]          # currencies with no rate on file: not in ``overdue``
    score: int                      # the early-warning score
    days_overdue: int               # of the oldest overdue invoice
    overdue_invoices: int
    groups: list[str]               # of core.worklist_order.GROUPS
    priority: Decimal               # overdue × score (at least 1) × days overdue


@dataclass(frozen=True)
class GroupedSection(Section):
    """``chase_first``: its rows (of ``group`` only, when one is chosen) and how many are in each group."""
    group: str = ""
    groups: Mapping[str, int] = field(default_factory=dict)


def latest_rates(ctx: Ctx, home: str, currencies: set[str]) -> dict[tuple[str, str], Any]:
    """The latest rate on file between ``home`` and each of ``currencies``, either way: the rate the
    ledger recorded when a payment in one paid an invoice in the other (one query per currency)."""
    from gvia.core.worklist_order import Rate
    from gvia.store.models import Allocation
    out: dict[tuple[str, str], Rate] = {}
    for cur in sorted(currencies - {home}):
        row = (Allocation.objects.filter(organization=ctx.org, source=Allocation.Source.PAYMENT, rate__isnull=False)
               .filter(Q(source_currency=cur, invoice__currency=home) | Q(source_currency=home, invoice__currency=cur))
               .order_by("-payment__date", "-id").values_list("source_currency", "invoice__currency", "rate",
                                                               "payment__date").first())
        if row is not None and row[2]:
            out[(row[0], row[1])] = Rate(row[0], row[1], row[2], row[3])
    return out


def chase_first(ctx: Ctx, day: date) -> list[ChaseRow]:
    """Every customer with something overdue on ``day``, the first to chase first (see
    :mod:`gvia.core.worklist_order`), with the groups each is in."""
    from django.db.models import Min, Sum

    from gvia.core import signals as rules
    from gvia.core import worklist_order as order
    from gvia.core.aging import overdue_bound
    from gvia.services import settings
    from gvia.store.models import Customer, Invoice

    home = ctx.org.default_currency
    overdue: dict[int, dict[str, Money]] = {}
    oldest: dict[int, date] = {}
    count: dict[int, int] = {}
    for cid, currency, total, first, n in (
            Invoice.objects.filter(organization=ctx.org, kind=Invoice.Kind.INVOICE, issue_date__lte=day,
                                   due_date__lt=overdue_bound(day)).exclude(open_minor=0)
            .values("customer_id", "currency").annotate(total=Sum("open_minor"), first=Min("due_date"), n=Count("id"))
            .values_list("customer_id", "currency", "total", "first", "n").order_by()):
        overdue.setdefault(cid, {})[currency] = Money.from_minor(total, currency)
        oldest[cid] = min(first, oldest.get(cid, first))
        count[cid] = count.get(cid, 0) + n
    if not overdue:
        return []
    rates = latest_rates(ctx, home, {c for amounts in overdue.values() for c in amounts})
    w = early_warning.weights(ctx)
    histories = early_warning.overdue_histories(ctx, day)
    reading = Reading(ctx, day)
    promised = set(_promises_due_qs(reading).values_list("customer_id", flat=True)) | set(
        _call_promises_qs(reading).values_list("customer_id", flat=True))
    below = {c: Money.of(v, c) for c, v in (settings.value(ctx.org, "quick_win_below") or {}).items()}
    names = dict((cid, (ref, name)) for cid, ref, name in Customer.objects.filter(
        organization=ctx.org, id__in=list(overdue)).values_list("id", "ref", "name"))
    rows = []
    for cid, amounts in overdue.items():
        h = histories.get(cid, rules.History())
        score = rules.score(rules.signals(h, day, w))
        converted = order.in_currency(amounts, home, rates)
        days = (day - oldest[cid]).days
        groups = [g for g, yes in (
            ("at_risk", early_warning.is_at_risk(h, score, w, day)),
            ("promise_due_today", cid in promised),
            ("quick_win", order.quick_win(count[cid], amounts, below, order.pays_after_one_reminder(h, day))))
            if yes]
        ref, name = names[cid]
        rows.append(ChaseRow(cid, ref, name, converted.amount, converted.estimated, list(converted.unconverted), score,
                             days, count[cid], groups, order.priority(converted.amount, score, days)))
    rows.sort(key=lambda c: (-c.priority, c.customer_name, c.customer_id))
    return rows


def _chase_found(r: Reading) -> list[ChaseRow]:
    """Who to chase first: a pass over the overdue customers' histories (kept like the customers at risk)."""
    return r.keep("chase_first", lambda: chase_first(r.ctx, r.day))


def _chase_in_group(r: Reading) -> list[ChaseRow]:
    return [c for c in _chase_found(r) if not r.group or r.group in c.groups]


@source("chase_first", count=lambda r: len(_chase_in_group(r)))
def _chase_first(r: Reading, page: int, per_page: int | None, total: int | None) -> Section:
    from gvia.core.worklist_order import GROUPS
    found = _chase_found(r)
    rows = _chase_in_group(r)
    groups = {g: sum(1 for c in found if g in c.groups) for g in GROUPS}
    return GroupedSection("chase_first", _slice(rows, page, per_page), len(rows), page, per_page, r.group, groups)


# the invoicing services whose sync is stale: the organization's messages wait (issue 18) --------

@dataclass(frozen=True)
class SyncStaleRow:
    """An invoicing service (Morning, iCount) whose documents are too old to act on: no sync has
    succeeded for ``sync.max_age_hours``, so the organization sends nothing until one does
    (:func:`gvia.services.ledger.sync.stale_org_ids`). Not a customer's row."""
    provider: str
    last_success: Any           # datetime in the organization's time, None when never
    sync_error: str             # the last try's failure code (``sync.error.<code>``), "" when none


def _sync_stale_found(r: Reading) -> list[SyncStaleRow]:
    from gvia.services.ledger.sync import is_stale
    from gvia.store.models_sync import SyncAccount

    def found() -> list[SyncStaleRow]:
        now = clock.now_utc()
        accounts = (SyncAccount.objects.filter(organization=r.ctx.org, active=True).select_related("organization")
                    .order_by("provider"))
        return [SyncStaleRow(a.provider, clock.to_local(r.ctx.org, a.last_success_at) if a.last_success_at else None,
                             a.last_error or "")
                for a in accounts if is_stale(a, now)]
    return r.keep("sync_stale", found)          # read once for its count and its rows


@source("sync_stale", count=lambda r: len(_sync_stale_found(r)))
def _sync_stale(r: Reading, page: int, per_page: int | None, total: int | None) -> Section:
    return _listed("sync_stale", _sync_stale_found(r), page, per_page)


# --- the service -----------------------------------------------------------------------------

def _reading(ctx: Ctx, day: date | None, names: Mapping[str, str] | None, mine, keep: Keep | None,
             group: str = "") -> Reading:
    ctx.require("viewer", "reading the worklist")
    from gvia.core.worklist_order import GROUPS
    return Reading(ctx, day or clock.org_today(ctx.org), names or {}, mine, _once(keep or _fresh),
                   group if group in GROUPS else "")


def section(ctx: Ctx, name: str, day: date | None = None, *, page: int = 1, per_page: int | None = PAGE_ROWS,
            names: Mapping[str, str] | None = None, mine=None, total: int | None = None,
            keep: Keep | None = None, group: str = "") -> Section:
    """One section of the worklist: a page of its rows (``per_page`` None: all) and how many
    there are in all. ``names``: stage key -> the name to show; ``mine``: a user, to show only
    their calls and nobody's; ``total``: the section's count when the caller has it; ``group``:
    ``chase_first``'s rows of that group only."""
    if name not in SOURCES:
        raise KeyError(name)
    return SOURCES[name].read(_reading(ctx, day, names, mine, keep, group), page, per_page, total)


def worklist(ctx: Ctx, day: date | None = None, *, per_page: int | None = OVERVIEW_ROWS,
             names: Mapping[str, str] | None = None, mine=None, keep: Keep | None = None,
             group: str = "", lenses: bool = False) -> Worklist:
    """Every section's first ``per_page`` rows (None: all of them) and counts, on ``day``
    (default: the organization's today); with ``lenses`` also the :data:`LENSES` (``group``:
    ``chase_first``'s rows of that group only)."""
    r = _reading(ctx, day, names, mine, keep, group)
    out = Worklist(r.day)
    shown = [src for name, src in SOURCES.items() if lenses or name not in LENSES]
    counts = {**_kept_message_counts(r), **_counted_together(r, shown)}
    for src in shown:
        n = counts.get(src.name)
        if n == 0:          # nothing there: not read
            out.sections[src.name] = Section(src.name, [], 0, 1, per_page)
        else:               # a count of ``within`` is not the section's: read it
            out.sections[src.name] = src.read(r, 1, per_page, None if src.within else n)
    return out


def counts(ctx: Ctx, day: date | None = None, *, mine=None, keep: Keep | None = None) -> dict[str, int]:
    """How many rows each section has on ``day``, counted in the database (the dashboard's); the
    :data:`LENSES` are not counted (they wait for nobody)."""
    r = _reading(ctx, day, None, mine, keep)
    counted = [src for name, src in SOURCES.items() if name not in LENSES]
    together = _counted_together(r, counted)
    return {src.name: together[src.name] if src.counted else 0 if together.get(src.name) == 0 else src.count(r)
            for src in counted}


# --- as the command line writes it -----------------------------------------------------------

def _plain(value: Any) -> Any:
    if isinstance(value, Money):
        return {"amount": str(value.amount), "currency": value.currency}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def row_json(row: Any) -> dict:
    """One row as plain JSON values: the row's fields (the customer's as ``customer`` (its
    reference), ``customer_name`` and ``customer_id``), amounts as ``{"amount": "…",
    "currency": "…"}``, dates as ISO dates, a stage by its key."""
    out = {}
    for f in fields(row):
        value = getattr(row, f.name)
        if f.name == "customer_ref":
            out["customer"] = value
        elif f.name == "stage_key":
            continue
        elif f.name == "stage" and hasattr(row, "stage_key"):
            out["stage"] = row.stage_key or value
        else:
            out[f.name] = _plain(value)
    return out


def as_json(work: Worklist) -> dict:
    """The worklist as ``gvia worklist --format json`` prints it (the shape is in the module
    docstring)."""
    return {"day": work.day.isoformat(),
            "sections": [{"key": s.name, "count": s.total, "rows": [row_json(row) for row in s.rows]}
                         for s in work.sections.values()]}

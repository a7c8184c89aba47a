"""Decide, for one customer and one day, what the escalation ladder does: a pure function.

The daily run is *snapshot → decide → apply*. The adapter reads every customer's open items,
case state and pauses into a :class:`CustomerSnapshot` (in bulk); :func:`decide` (or
:func:`decide_all`) turns each into a :class:`Decision` — the new :class:`CaseState`, the
:class:`PlannedAction` list for the outbox and the :class:`Reason` list that explains it —
and the adapter writes the decision in one transaction. Nothing here reads a clock, a file or
a database.

The rules
=========

**Account level.** A customer gets one message per stage, listing every overdue invoice; the
stage is chosen by the *oldest* overdue invoice. Disputed invoices leave the ladder (they are
neither chased nor counted). The part of an invoice covered by a pending post-dated cheque is
not overdue; only the uncovered rest is. Amounts are totalled per currency, never mixed.

**Overdue.** An invoice is overdue from the day after its due date (days past due > 0).

**Cycle.** A cycle opens when a customer with nothing on the ladder gets something on it: an
overdue invoice (or, when the policy has an enabled pre-due stage such as the courtesy note
3 days before the due date, an invoice entering that window). It closes when nothing is
overdue any more (a cycle that has only reached pre-due stages stays open while an invoice is
still in the pre-due window). A later overdue invoice opens a new cycle (cycle + 1), never on
the day the previous one closed. A partial payment changes nothing: the cycle and stage stay.

**Which stage next.** Stages are entered in the policy's order, one at a time; disabled
stages are skipped, and pre-due stages are skipped once something is overdue (a "your invoice
is due soon" note after the due date makes no sense). With ``start_mode = "by_age"`` a cycle
with no stage yet starts at the latest stage whose ``after_due_days`` the oldest invoice has
reached (never beyond the first stage that sends a warning). With ``"first_stage"`` (the
default) a customer already far overdue starts at the first stage and moves on with
``min_spacing_days`` between stages.

**When.** The next stage's earliest day is the latest of:

* its trigger: ``after_due_days`` after the oldest overdue invoice's due date, or
  ``after_previous_days`` after the previous stage was entered (the cycle's start for the
  first stage), counted in the stage's ``day_kind``;
* ``min_spacing_days`` (calendar) after the previous stage, and the day after it (never two
  stages on one day);
* the previous stage's ``wait_days`` (in that stage's ``day_kind``);
* for a post-due stage in a cycle where nothing is overdue yet: the day after the due date;
* once a warning with a deadline was entered in this cycle: the day after its deadline
  (which runs from the day the warning was posted or sent, see :func:`record_warning_sent`),
  and for a stage with ``notice_days``: the first filing day of the one filing clock
  (:func:`gvia.core.legal_rules.earliest_filing`: ``notice_days`` whole days after the
  recorded *delivery* of the warning, the day after them). Until the posting is recorded the
  stage also waits for it, and the day shown counts from the day the warning stage was
  entered (the earliest it can have been posted); until the delivery is recorded it waits
  for that (``awaiting_delivery_confirmation``, the day shown counting from the posting),
  and once the clock's ``confirmation_wait_days`` have passed since posting without one the
  stage is due and held for a person (``no_delivery_confirmation``: returned, refused or
  unclaimed? — it never waits silently).

and then the first business day on or after it: stages fire only on business days.

**What holds a due stage back** (the decision is then ``"hold"``, nothing changes):

* the customer is on *do not chase* — never contacted;
* an active pause (promise to pay, payment plan, manual, call-back), through its ``until``
  date inclusive (``until = None``: until lifted);
* a reply from the customer: ``reply_pause_days`` (calendar) from the reply's date inclusive;
* a promise or a plan the customer asked for on their page that waits for a person
  (``request_pending``): ``reply_pause_days`` from the day they asked, while it waits;
* the previous stage was a call and its outcome is not settled: the case moves on once the
  collector logged an answer that settles it (promised, disputed, refused, wrong number) or
  ``call_attempts`` unanswered calls (:func:`record_call_outcome`);
* a warning was entered in this cycle but its posting/sending is not recorded yet;
* the overdue amount is below the stage's ``min_amount`` in every currency the customer owes
  (a currency the policy does not name has no minimum);
* the ledger data is stale (:class:`RunSettings`) — plan nothing until it is fresh, so nobody
  is reminded of a debt they already paid;
* the organization's sending mode is "off";
* a message of the current stage was rejected (``message_rejected``): the case holds until a
  person chooses (:func:`resolve_rejection`) to plan the stage again, skip it, or pause — the
  ladder never moves on as if the rejected message had been sent;
* an overdue invoice needs an Israeli allocation number and has none
  (``allocation_number_missing``, params ``invoices``: their numbers;
  :func:`gvia.core.allocation.needs_allocation_number` on each item's ``allocation`` facts and
  the snapshot's ``customer_kind``): the customer cannot deduct its VAT without it and may be
  waiting for it; the case waits until the number is recorded or a person confirms going on;
* the customer is an Israeli consumer (the snapshot's ``debt_notices`` is not None) and the
  Consumer Protection Law's debt notice does not yet allow a collection step
  (:mod:`gvia.core.debt_notice`, whatever the policy): an overdue charge has no notice yet
  (``debt_notice_needed``), or its notice's 14 days are not over (``debt_notice_wait``: the
  stage's day moves to the first day after them, ``set_by`` "debt_notice"), or its notice
  window was missed (``debt_notice_window_missed``: a person decides, the case is not chased).
  A stage whose every action sends the ``debt_notice`` document is the notice itself, never
  held by it: it lists every overdue charge (one listed again keeps the wait of its first
  notice), and is entered with no message when no charge needs one (``debt_notice_not_needed``).

**Channels.** Every action but ``call_task`` (a task for a person) becomes an outbox message:
``email``, paper, and the short texts ``sms`` and ``whatsapp`` alike, with the same approval
rule; the dispatcher sends the texts (:mod:`gvia.services.sending.texts`).

**Idempotency.** Each action's key is ``case:{customer_id}:cycle:{cycle}:stage:{stage}:{channel}``;
the same inputs on the same day give the same keys, and deciding again with the state a
decision returned gives ``"none"`` (or the same ``"hold"``).

Decision kinds: ``"enter_stage"`` (a stage was entered; ``cycle_started`` tells whether the
cycle also opened today), ``"start_cycle"`` (the cycle opened and no stage was entered; a
stage due but held back shows in ``held``), ``"end_cycle"``, ``"hold"`` (a stage is due
today but held back; ``held`` lists what would have been planned) and ``"none"``. Only
``enter_stage``, ``start_cycle`` and ``end_cycle`` change the state; ``actions`` is empty
for every other kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any, Callable, Iterable, Mapping

from .allocation import MISSING as ALLOCATION_MISSING
from .allocation import InvoiceFacts, needs_allocation_number
from .calendar import BusinessCalendar
from .debt_notice import DOCUMENT as DEBT_NOTICE
from .debt_notice import NEEDS_NOTICE, WAITING, WINDOW_MISSED, Charge, SentNotice, assess, first_collection_day
from .demand import demand
from .errors import CurrencyMismatch, FieldProblem, NotFound, Refused, RefusedFor, ValidationFailed
from .legal_rules import EXECUTION_OFFICE_RULES, earliest_filing, execution_office_rule, fixed_sum_fit
from .money import Money
from .policy import Action, Policy, Stage

__all__ = [
    "SENDING_MODES", "PAUSE_KINDS", "CALL_OUTCOMES", "DECISION_KINDS",
    "OverdueItem", "Pause", "StageEntry", "CaseState", "CustomerSnapshot", "RunSettings",
    "Reason", "PlannedAction", "NextStep", "Decision",
    "decide", "decide_all", "record_call_outcome", "record_warning_sent", "deadline_from",
    "REJECTION_CHOICES", "record_rejection", "resolve_rejection",
    "call_settled", "is_stale", "idempotency_key",
]

SENDING_MODES = ("off", "approve_all", "automatic")
PAUSE_KINDS = ("promise", "payment_plan", "manual", "call_back", "other")
CALL_OUTCOMES = ("promised", "disputed", "refused", "no_answer", "wrong_number", "call_back")
DECISION_KINDS = ("none", "enter_stage", "start_cycle", "end_cycle", "hold")
_SETTLING_OUTCOMES = frozenset({"promised", "disputed", "refused", "wrong_number"})
_PROMISE_KINDS = frozenset({"promise", "payment_plan"})
#: What a person may choose after a message of the current stage was rejected.
REJECTION_CHOICES = ("replan", "skip", "pause")
_ONE_DAY = timedelta(days=1)


# ----------------------------------------------------------------------------------------
# Input: the snapshot
# ----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class OverdueItem:
    """One open invoice of the customer (overdue or not yet due; the engine tells which).

    ``covered_by_pending_cheque`` is the part a pending post-dated cheque will pay, in the
    invoice's currency; only the rest can be overdue.
    """

    invoice_id: Any
    number: str
    due_date: date
    open: Money
    disputed: bool = False
    covered_by_pending_cheque: Money | None = None
    #: what the allocation-number rule reads (None: not known, never flagged)
    allocation: InvoiceFacts | None = None


@dataclass(frozen=True, slots=True)
class Pause:
    """A pause of the whole case: active through ``until`` (inclusive); None = until lifted."""

    reason: str
    until: date | None
    kind: str = "manual"  # one of PAUSE_KINDS

    def active_on(self, day: date) -> bool:
        return self.until is None or day <= self.until


@dataclass(frozen=True, slots=True)
class StageEntry:
    stage_key: str
    entered: date


@dataclass(frozen=True, slots=True)
class CaseState:
    """Where a customer's case stands. ``CaseState()`` is a customer never on the ladder.

    ``cycle`` counts cycles (1 = the first); ``cycle_open`` says whether one is running.
    ``history`` lists the stages entered in the running cycle. ``deadline_stage`` is the
    stage of this cycle whose warning set a deadline; ``warning_sent`` the day that warning
    was posted (or e-mailed, when it has no paper), ``warning_delivered`` the day its delivery
    confirmation records (a refusal to accept counts) and ``warning_deadline`` the deadline it
    states, all recorded with :func:`record_warning_sent`. ``calls_unanswered`` and
    ``last_call_outcome`` belong to the current call stage (:func:`record_call_outcome`).
    ``rejected_stage``: a message of this (current) stage was rejected and a person has not yet
    chosen what happens (:func:`record_rejection`, :func:`resolve_rejection`); the case holds.
    ``replan_stage``: the person chose to pause and plan that stage again afterwards: the next
    day nothing holds the case back, the stage is entered again (its messages planned afresh).
    """

    cycle: int = 0
    cycle_open: bool = False
    cycle_started: date | None = None
    cycle_ended: date | None = None
    stage_key: str | None = None
    stage_entered: date | None = None
    history: tuple[StageEntry, ...] = ()
    deadline_stage: str | None = None
    warning_sent: date | None = None
    warning_deadline: date | None = None
    calls_unanswered: int = 0
    last_call_outcome: str | None = None
    warning_delivered: date | None = None
    rejected_stage: str | None = None
    replan_stage: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (dates as ISO strings) for storage."""
        def iso(d: date | None) -> str | None:
            return None if d is None else d.isoformat()
        return {
            "cycle": self.cycle, "cycle_open": self.cycle_open,
            "cycle_started": iso(self.cycle_started), "cycle_ended": iso(self.cycle_ended),
            "stage_key": self.stage_key, "stage_entered": iso(self.stage_entered),
            "history": [[h.stage_key, h.entered.isoformat()] for h in self.history],
            "deadline_stage": self.deadline_stage, "warning_sent": iso(self.warning_sent),
            "warning_deadline": iso(self.warning_deadline),
            "calls_unanswered": self.calls_unanswered, "last_call_outcome": self.last_call_outcome,
            **({"warning_delivered": self.warning_delivered.isoformat()} if self.warning_delivered else {}),
            **({"rejected_stage": self.rejected_stage} if self.rejected_stage else {}),
            **({"replan_stage": self.replan_stage} if self.replan_stage else {}),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "CaseState":
        day = _iso_day
        return cls(
            cycle=int(data.get("cycle", 0)), cycle_open=bool(data.get("cycle_open", False)),
            cycle_started=day(data.get("cycle_started")), cycle_ended=day(data.get("cycle_ended")),
            stage_key=data.get("stage_key"), stage_entered=day(data.get("stage_entered")),
            history=tuple(StageEntry(k, _iso_date(d)) for k, d in data.get("history", ())),
            deadline_stage=data.get("deadline_stage"), warning_sent=day(data.get("warning_sent")),
            warning_deadline=day(data.get("warning_deadline")),
            calls_unanswered=int(data.get("calls_unanswered", 0)),
            last_call_outcome=data.get("last_call_outcome"),
            warning_delivered=day(data.get("warning_delivered")),
            rejected_stage=data.get("rejected_stage") or None,
            replan_stage=data.get("replan_stage") or None,
        )


NEW_CASE = CaseState()


@lru_cache(maxsize=8192)
def _iso_date(text: str) -> date:
    return date.fromisoformat(text)


def _iso_day(v: str | None) -> date | None:
    """An ISO date read back from storage (the same few hundred days recur across cases)."""
    return None if v is None else _iso_date(v)


@dataclass(frozen=True, slots=True)
class CustomerSnapshot:
    """Everything :func:`decide` needs about one customer, read in bulk by the adapter.

    ``items`` holds the customer's open invoices (at least those overdue or due within the
    policy's pre-due window); ``state`` is None for a customer never on the ladder.
    """

    customer_id: Any
    ref: str
    name: str
    language: str = "he"
    is_consumer: bool = False
    do_not_chase: bool = False
    items: tuple[OverdueItem, ...] = ()
    state: CaseState | None = None
    pauses: tuple[Pause, ...] = ()
    last_reply_date: date | None = None
    first_seen: date | None = None
    #: the day of the latest promise or plan the customer asked for on their page that still waits
    #: for a person: the ladder holds for the reply days, as after a reply
    asked_on: date | None = None
    #: Whether the debt rests on a written contract or undertaking a letter in the customer's
    #: language can name (the customer's basis, an agreement on file, the organization's
    #: wording); None: not known, and a route is judged on the amount alone.
    written_basis: bool | None = None
    #: the customer's kind (:mod:`gvia.core.customer_kinds`), for the allocation-number rule
    customer_kind: str = "business"
    #: an exempt dealer (Israel's עוסק פטור): deducts no VAT, never flagged for an allocation number
    vat_exempt: bool = False
    #: the debt notices sent to an Israeli consumer (:mod:`gvia.core.debt_notice`); None: the
    #: customer is not one, and no notice is asked for
    debt_notices: tuple[SentNotice, ...] | None = None


@dataclass(frozen=True, slots=True)
class RunSettings:
    """The organization's settings that shape decisions.

    ``sending_mode``: "off" (hold every stage), "approve_all" (every message needs a
    person's approval; call tasks do not) or "automatic" (only stages marked
    ``approval = true`` do). ``ledger_updated``: the day of the last import of invoices or
    payments; when more than ``stale_after_business_days`` business days old, every due stage
    is held (None: not checked).
    """

    sending_mode: str = "approve_all"
    ledger_updated: date | None = None
    stale_after_business_days: int = 3

    def __post_init__(self) -> None:
        if self.sending_mode not in SENDING_MODES:
            raise ValidationFailed([FieldProblem(None, "sending_mode", str(self.sending_mode),
                                                 f"must be one of: {', '.join(SENDING_MODES)}",
                                                 code="setting_one_of", params={"choices": SENDING_MODES})])


DEFAULT_SETTINGS = RunSettings()


# ----------------------------------------------------------------------------------------
# Output: the decision
# ----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Reason:
    """One structured reason; ``params`` hold plain values (str, int, ISO dates) for JSON.

    :mod:`gvia.core.explain` turns them into Hebrew or English sentences.
    """

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PlannedAction:
    """One message or task for the outbox, with its idempotency key.

    ``invoice_ids``: the invoices the message lists, oldest due date first. ``deadline_days``
    and ``deadline_day_kind``: for a warning, the deadline to print, counted from the day it
    is sent (use :func:`deadline_from`).
    """

    stage_key: str
    channel: str
    document: str
    attach: tuple[str, ...]
    needs_approval: bool
    idempotency_key: str
    language: str
    invoice_ids: tuple[Any, ...]
    deadline_days: int | None = None
    deadline_day_kind: str = "calendar"


@dataclass(frozen=True, slots=True)
class NextStep:
    """The next stage, the earliest business day it can fire, what sets that day (``set_by``:
    trigger, spacing, wait, not_yet_overdue, deadline, notice, pause, debt_notice) and the
    conditions it also waits for (reason codes: awaiting_call_outcome, paused, …)."""

    stage_key: str
    on: date
    set_by: str = "trigger"
    waiting_for: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Decision:
    """What the run does for one customer today (see the module docstring for ``kind``).

    ``state`` is the case after the decision (unchanged unless :attr:`changes_state`);
    ``actions`` go to the outbox; ``held`` is what a hold kept back; ``overdue`` the amounts
    on the ladder per currency and ``invoice_ids`` the invoices the messages list;
    ``policy_fingerprint`` records the policy version that decided.
    """

    customer_id: Any
    kind: str
    state: CaseState
    today: date
    policy_fingerprint: str
    actions: tuple[PlannedAction, ...] = ()
    reasons: tuple[Reason, ...] = ()
    next_step: NextStep | None = None
    cycle_started: bool = False
    held: tuple[PlannedAction, ...] = ()
    overdue: tuple[Money, ...] = ()
    invoice_ids: tuple[Any, ...] = ()

    @property
    def stage_key(self) -> str | None:
        return self.state.stage_key

    @property
    def changes_state(self) -> bool:
        return self.kind in ("enter_stage", "start_cycle", "end_cycle")


# ----------------------------------------------------------------------------------------
# Small pure helpers the adapters call
# ----------------------------------------------------------------------------------------
def idempotency_key(customer_id: Any, cycle: int, stage_key: str, channel: str) -> str:
    return f"case:{customer_id}:cycle:{cycle}:stage:{stage_key}:{channel}"


def record_call_outcome(state: CaseState, outcome: str) -> CaseState:
    """The case after a call was logged: "no-answer" counts; others are remembered.

    Outcomes: promised, disputed, refused, no_answer, wrong_number, call_back ("-" may be
    used for "_"). Promised / disputed / refused / wrong_number settle the call stage (the
    pause of a promise or dispute comes as a :class:`Pause` or a disputed item); call_back
    does not (add a "call_back" pause until the agreed time).
    """
    key = outcome.strip().lower().replace("-", "_")
    if key not in CALL_OUTCOMES:
        raise ValidationFailed([FieldProblem(None, "outcome", outcome,
                                             f"must be one of: {', '.join(CALL_OUTCOMES)}",
                                             code="call_outcome_one_of", params={"choices": CALL_OUTCOMES})])
    if key == "no_answer":
        return replace(state, calls_unanswered=state.calls_unanswered + 1, last_call_outcome=key)
    return replace(state, last_call_outcome=key)


def call_settled(state: CaseState, policy: Policy) -> bool:
    """Whether the current call stage lets the case move on."""
    return (state.last_call_outcome in _SETTLING_OUTCOMES
            or state.calls_unanswered >= policy.call_attempts)


def record_rejection(state: CaseState, stage_key: str) -> CaseState:
    """A message of ``stage_key`` was rejected: when it is the open cycle's current stage, the case
    holds (``message_rejected``) until a person chooses with :func:`resolve_rejection`. A message
    of a stage the case has left, or of a closed cycle, changes nothing."""
    if not state.cycle_open or state.stage_key != stage_key:
        return state
    return replace(state, rejected_stage=stage_key)


def resolve_rejection(state: CaseState, choice: str, today: date) -> CaseState:
    """The case after a person's choice about its rejected stage (one of :data:`REJECTION_CHOICES`):

    * ``"replan"``: the stage stays, entered again ``today`` (the next stage counts from it); the
      caller asks for the stage's rejected message to be approved again;
    * ``"pause"``: the ladder plans the stage afresh (enters it again) on the first day nothing
      holds the case back — once the pause the caller records is over (``replan_stage``);
    * ``"skip"``: the stage counts as passed without its message; a warning's deadline that
      message would have set is dropped (a later stage that needs a warning sent says so).

    Refused (``no_rejected_stage``) when nothing waits for a choice, ``unknown_choice`` for
    anything else."""
    stage = state.rejected_stage
    if stage is None:
        raise RefusedFor("no_rejected_stage", "no rejected message waits for a decision in this case")
    if choice not in REJECTION_CHOICES:
        raise RefusedFor("unknown_choice", f"choice must be one of {', '.join(REJECTION_CHOICES)}",
                         choice=choice)
    new_state = replace(state, rejected_stage=None)
    history = state.history
    if choice == "replan":
        if history and history[-1].stage_key == stage:
            history = history[:-1] + (StageEntry(stage, today),)
        return replace(new_state, stage_entered=today, history=history)
    if choice == "pause":
        return replace(new_state, replan_stage=stage)
    if state.deadline_stage == stage:
        new_state = replace(new_state, deadline_stage=None, warning_sent=None, warning_deadline=None,
                            warning_delivered=None)
    return new_state


def deadline_from(stage: Stage, sent_on: date, calendar: BusinessCalendar) -> date:
    """The deadline a warning sent on ``sent_on`` gives: ``deadline_days`` in its day kind,
    moved to the next business day when it falls on a day off."""
    if stage.deadline_days is None:
        raise Refused(f"stage {stage.key!r} gives no deadline")  # not shown: asked only of a warning's stage
    return calendar.next_business_day(
        calendar.add_days(sent_on, stage.deadline_days, stage.deadline_day_kind))


def record_warning_sent(state: CaseState, sent_on: date, deadline: date | None = None,
                        delivered_on: date | None = None) -> CaseState:
    """The case once the cycle's warning went out: the posting day of the registered letter
    (or the e-mail's sending day when the stage sends no paper), the deadline printed in it if
    known (else :func:`decide` derives it with :func:`deadline_from`) and the day its delivery
    confirmation records, if it came back (a legal notice period runs from it). Calling it
    again corrects the record."""
    if state.deadline_stage is None:
        raise Refused("no warning with a deadline was entered in this cycle")  # not shown: the service checks
    return replace(state, warning_sent=sent_on, warning_deadline=deadline, warning_delivered=delivered_on)


def is_stale(settings: RunSettings, today: date, calendar: BusinessCalendar) -> Reason | None:
    """The stale-data reason when the ledger's last import is too old, else None."""
    if settings.ledger_updated is None:
        return None
    age = calendar.business_days_between(settings.ledger_updated, today)
    if age > settings.stale_after_business_days:
        return Reason("stale_data", {"last_import": settings.ledger_updated.isoformat(),
                                     "business_days": age,
                                     "limit": settings.stale_after_business_days})
    return None


# ----------------------------------------------------------------------------------------
# decide
# ----------------------------------------------------------------------------------------
_NOTHING_OVERDUE = Reason("nothing_overdue")
_NO_OPEN_PROMISE = Reason("no_open_promise")
_DO_NOT_CHASE = Reason("do_not_chase")
_SENDING_OFF = Reason("sending_off")


def decide(snapshot: CustomerSnapshot, policy: Policy, today: date, calendar: BusinessCalendar,
           settings: RunSettings = DEFAULT_SETTINGS) -> Decision:
    """The decision for one customer on ``today`` (see the module docstring for the rules)."""
    return _decide(snapshot, policy, today, calendar, settings, is_stale(settings, today, calendar))


def decide_all(snapshots: Iterable[CustomerSnapshot],
               policy: Policy | Callable[[CustomerSnapshot], Policy],
               today: date, calendar: BusinessCalendar,
               settings: RunSettings = DEFAULT_SETTINGS) -> list[Decision]:
    """Decisions for many customers; ``policy`` is one policy or a function choosing one per
    customer (e.g. the customer's assigned policy, or the consumer ladder).

    Deciding makes hundreds of thousands of small acyclic objects, over which the cyclic garbage
    collector's passes can double the time; pausing it is the caller's choice (the daily run
    does, :func:`gvia.services.engine.daily_run.run`), not a side effect of this pure function.
    """
    stale = is_stale(settings, today, calendar)
    if isinstance(policy, Policy):
        return [_decide(s, policy, today, calendar, settings, stale) for s in snapshots]
    return [_decide(s, policy(s), today, calendar, settings, stale) for s in snapshots]


def _oldest_first(item: OverdueItem) -> tuple[date, str]:
    return item.due_date, item.number


class _Ladder:
    """The customer's items as the ladder sees them on one day."""

    __slots__ = ("overdue", "upcoming", "ref", "ref_days", "totals", "upcoming_totals",
                 "disputed", "covered")

    def __init__(self, items: Iterable[OverdueItem], today: date, pre_due: int | None) -> None:
        overdue: list[OverdueItem] = []
        upcoming: list[OverdueItem] = []
        totals: dict[str, Decimal] = {}
        up_totals: dict[str, Decimal] = {}
        disputed = covered = 0
        ref: OverdueItem | None = None
        ref_up: OverdueItem | None = None
        for it in items:
            if it.disputed:
                disputed += 1
                continue
            money = it.open
            amount = money.amount
            cov = it.covered_by_pending_cheque
            if cov is not None:
                if cov.currency != money.currency:
                    raise CurrencyMismatch(  # not shown: a cheque is recorded in its invoice's currency
                        f"invoice {it.number}: cheque in {cov.currency}, invoice in {money.currency}")
                amount = amount - cov.amount
                if amount <= 0:
                    covered += 1
                    continue
            elif amount <= 0:
                continue
            days = (today - it.due_date).days
            cur = money.currency
            if days > 0:
                overdue.append(it)
                totals[cur] = totals.get(cur, 0) + amount
                if ref is None or (it.due_date, it.number) < (ref.due_date, ref.number):
                    ref = it
            elif pre_due is not None and days >= pre_due:
                upcoming.append(it)
                up_totals[cur] = up_totals.get(cur, 0) + amount
                if ref_up is None or (it.due_date, it.number) < (ref_up.due_date, ref_up.number):
                    ref_up = it
        if len(overdue) > 1:
            overdue.sort(key=_oldest_first)
        if len(upcoming) > 1:
            upcoming.sort(key=_oldest_first)
        self.overdue = overdue
        self.upcoming = upcoming
        self.totals = totals
        self.upcoming_totals = up_totals
        self.disputed = disputed
        self.covered = covered
        self.ref = ref if ref is not None else ref_up
        self.ref_days = (today - self.ref.due_date).days if self.ref is not None else 0


def _situation(ladder: _Ladder) -> list[Reason]:
    """Reasons describing what is overdue (for explain)."""
    out: list[Reason] = []
    ref = ladder.ref
    if ref is not None:
        if ladder.overdue:
            out.append(Reason("oldest_overdue", {"invoice": ref.number, "days": ladder.ref_days,
                                                 "due": ref.due_date.isoformat(),
                                                 "count": len(ladder.overdue)}))
            totals = ladder.totals
        else:
            out.append(Reason("due_soon", {"invoice": ref.number, "days": -ladder.ref_days,
                                           "due": ref.due_date.isoformat(),
                                           "count": len(ladder.upcoming)}))
            totals = ladder.upcoming_totals
        for cur in sorted(totals):
            # sums of Money amounts of one currency keep its minor unit: no re-quantizing
            out.append(Reason("amount", {"currency": cur, "amount": str(totals[cur])}))
    if ladder.disputed:
        out.append(Reason("disputed_excluded", {"count": ladder.disputed}))
    if ladder.covered:
        out.append(Reason("covered_by_cheque", {"count": ladder.covered}))
    return out


def _allocation_missing(snap: CustomerSnapshot, ladder: _Ladder) -> list[str]:
    """The numbers of the overdue invoices that need an allocation number and have none."""
    return sorted(it.number for it in ladder.overdue
                  if it.allocation is not None
                  and needs_allocation_number(it.allocation, snap.customer_kind, snap.vat_exempt)
                  == ALLOCATION_MISSING)


def _meets_minimum(stage: Stage, totals: Mapping[str, Decimal]) -> bool:
    minimum = stage.min_amount
    if not minimum:
        return True
    for cur, amount in totals.items():
        m = minimum.get(cur)
        if m is None or amount >= m:
            return True
    return False


def _first_after(policy: Policy, idx: int, overdue_now: bool) -> int | None:
    """The next stage to enter after position ``idx``: enabled, and not pre-due once overdue."""
    stages = policy.stages
    for i in range(idx + 1, len(stages)):
        st = stages[i]
        if st.enabled and not (overdue_now and st.is_pre_due):
            return i
    return None


def _by_age_target(policy: Policy, ladder: _Ladder, today: date, cal: BusinessCalendar) -> int | None:
    """The latest after_due stage the oldest invoice's age has reached (not past a warning)."""
    ref = ladder.ref
    assert ref is not None        # called only while the ladder is in play
    target = None
    for i, st in enumerate(policy.stages):
        if not st.enabled or st.is_pre_due:
            continue
        if st.after_due_days is not None and \
                cal.add_days(ref.due_date, st.after_due_days, st.day_kind) <= today:
            target = i
        if st.deadline_days is not None:
            break
    return target


def _earliest(policy: Policy, state: CaseState, cand: Stage, ladder: _Ladder,
              cal: BusinessCalendar, today: date | None = None) -> tuple[date, str, list[Reason]]:
    """Earliest day (before moving to a business day) the candidate may fire, what sets it,
    and the open-ended waits (no date known yet)."""
    ref = ladder.ref
    assert ref is not None        # called only while the ladder is in play
    if cand.after_due_days is not None:
        earliest = cal.add_days(ref.due_date, cand.after_due_days, cand.day_kind)
        why = "trigger"
    else:
        base = state.stage_entered or state.cycle_started or ref.due_date
        earliest = cal.add_days(base, cand.after_previous_days or 0, cand.day_kind)
        why = "trigger"
    waits: list[Reason] = []
    entered = state.stage_entered
    if entered is not None:
        d = entered + timedelta(days=max(policy.min_spacing_days, 1))
        if d > earliest:
            earliest, why = d, "spacing"
        cur_idx = policy.index_of(state.stage_key)
        if cur_idx is not None:
            cur = policy.stages[cur_idx]
            if cur.wait_days:
                d = cal.add_days(entered, cur.wait_days, cur.day_kind)
                if d > earliest:
                    earliest, why = d, "wait"
            if cur.is_call and not call_settled(state, policy):
                waits.append(Reason("awaiting_call_outcome", {
                    "stage": cur.key, "unanswered": state.calls_unanswered,
                    "attempts": policy.call_attempts}))
    if not ladder.overdue and not cand.is_pre_due:
        d = ref.due_date + _ONE_DAY
        if d > earliest:
            earliest, why = d, "not_yet_overdue"
    if state.deadline_stage is not None:
        sent = state.warning_sent
        deadline = state.warning_deadline
        if sent is None:
            # Not posted yet: wait for it, and count from the earliest day it can be posted
            # (the day the warning stage was entered) so that the date shown is a lower bound.
            waits.append(Reason("awaiting_warning_sent", {"stage": state.deadline_stage}))
            sent = next((h.entered for h in reversed(state.history)
                         if h.stage_key == state.deadline_stage), entered or earliest)
            deadline = None
        if deadline is None:
            idx = policy.index_of(state.deadline_stage)
            st = policy.stages[idx] if idx is not None else None
            if st is not None and st.deadline_days is not None:
                deadline = deadline_from(st, sent, cal)
            else:
                deadline = sent
        d = deadline + _ONE_DAY
        if d > earliest:
            earliest, why = d, "deadline"
        if cand.notice_days:
            d, wait = _notice(state, cand, sent, today)
            if d > earliest:
                earliest, why = d, "notice"
            if wait is not None:
                waits.append(wait)
    elif cand.notice_days is not None:
        waits.append(Reason("no_warning_sent", {"stage": cand.key}))
    return earliest, why, waits


def _notice(state: CaseState, cand: Stage, sent: date, today: date | None) -> tuple[date, Reason | None]:
    """The day ``cand``'s notice period allows, by the one filing clock
    (:func:`gvia.core.legal_rules.earliest_filing`, with the policy's ``notice_days``), and what it
    still waits for: the delivery confirmation (the day then counts from the posting, the
    earliest delivery can be), or a person once none came ``confirmation_wait_days`` after
    posting (the stage is then due, and held)."""
    try:
        rule = execution_office_rule(sent)
    except NotFound:
        rule = EXECUTION_OFFICE_RULES[0]
    if cand.notice_days is not None and rule.notice_days != cand.notice_days:
        rule = replace(rule, notice_days=cand.notice_days)
    posted = state.warning_sent      # None: not posted yet, ``sent`` is the earliest it can be
    try:
        filing = earliest_filing(rule, posted or sent, state.warning_delivered, today)
    except NotFound:                 # posted before the first filing clock on file: whole days from it
        return (posted or sent) + timedelta(days=rule.notice_days + 1), None
    if filing.on is not None:
        return filing.on, None
    params = {"stage": state.deadline_stage, "posted": (posted or sent).isoformat(),
              "ask_on": filing.ask_person_on.isoformat() if filing.ask_person_on else None}
    if posted is not None and filing.code == "no_delivery_confirmation" and filing.ask_person_on is not None:
        return filing.ask_person_on, Reason("no_delivery_confirmation", params)
    bound = earliest_filing(rule, posted or sent, posted or sent).on
    assert bound is not None
    return bound, (Reason("awaiting_delivery_confirmation", params) if posted is not None else None)


def _blocks(snap: CustomerSnapshot, policy: Policy, today: date, settings: RunSettings,
            stale: Reason | None) -> tuple[list[Reason], date | None, bool]:
    """Holds that apply to the customer today: (reasons, the day after the last dated one
    ends, whether a promise or payment plan is open)."""
    out: list[Reason] = []
    resume: date | None = None
    promise = False
    if snap.do_not_chase:
        out.append(_DO_NOT_CHASE)
    for p in snap.pauses:
        if not p.active_on(today):
            continue
        if p.kind in _PROMISE_KINDS:
            promise = True
        out.append(Reason("paused", {"kind": p.kind, "reason": p.reason,
                                     "until": None if p.until is None else p.until.isoformat()}))
        if p.until is not None and (resume is None or p.until + _ONE_DAY > resume):
            resume = p.until + _ONE_DAY
    # the customer's answers (a reply; a promise or a plan asked for on their page, still waiting
    # for a person): the reply days from each (the store reads only answers up to the run's day)
    for code, key, day in (("reply_pause", "replied", snap.last_reply_date),
                           ("request_pending", "asked", snap.asked_on)):
        if day is None or not policy.reply_pause_days:
            continue
        until = day + timedelta(days=policy.reply_pause_days)
        if today <= until:
            out.append(Reason(code, {key: day.isoformat(), "until": until.isoformat()}))
            if resume is None or until + _ONE_DAY > resume:
                resume = until + _ONE_DAY
    if stale is not None:
        out.append(stale)
    if settings.sending_mode == "off":
        out.append(_SENDING_OFF)
    return out, resume, promise


def _route_misfit(snap: CustomerSnapshot, ladder: _Ladder, action: Action, today: date) -> Reason | None:
    """The ``fallback_document`` reason when ``action``'s document does not fit the debt (the
    Execution Office's fixed-sum route: :func:`gvia.core.legal_rules.fixed_sum_fit`, judged on
    the earliest day the claim could be filed, the notice period after today, on the invoices
    the customer owes that are due before it); None when it fits or names no fallback."""
    if action.fallback is None or action.document != "warning_execution_office":
        return None
    try:
        # the earliest the claim could be filed: the warning posted and delivered today
        filing_day = earliest_filing(execution_office_rule(today), today, today).on or today
    except NotFound:
        filing_day = today
    lines = [it for it in ladder.overdue + ladder.upcoming if it.covered_by_pending_cheque is None]
    lines += [replace(it, open=it.open - it.covered_by_pending_cheque)
              for it in ladder.overdue + ladder.upcoming if it.covered_by_pending_cheque is not None]
    owed = demand(lines, filing_day).invoice_totals
    fit = fixed_sum_fit(owed, filing_day, snap.written_basis is not False)
    if fit.fits:
        return None
    params: dict[str, Any] = {"document": action.fallback, "instead_of": action.document, "why": fit.reason,
                              "reasons": list(fit.reasons), "filing_day": filing_day.isoformat(),
                              "amounts": owed.as_strings()}
    if fit.rule is not None:
        params["cap"] = str(fit.rule.cap.amount)
        params["cap_currency"] = fit.rule.cap.currency
    return Reason("fallback_document", params)


def _documents(snap: CustomerSnapshot, ladder: _Ladder, stage: Stage,
               today: date) -> tuple[tuple[str, ...], list[Reason]]:
    """The document each of ``stage``'s actions sends today (its fallback when the debt does not
    fit its own), and the reasons for each fallback taken (one per document replaced)."""
    documents: list[str] = []
    reasons: list[Reason] = []
    for a in stage.actions:
        misfit = _route_misfit(snap, ladder, a, today)
        documents.append(a.document if misfit is None else str(misfit.params["document"]))
        if misfit is not None and misfit not in reasons:
            reasons.append(misfit)
    return tuple(documents), reasons


def _plan(snap: CustomerSnapshot, stage: Stage, cycle: int, settings: RunSettings,
          invoice_ids: tuple[Any, ...], documents: tuple[str, ...] | None = None) -> tuple[PlannedAction, ...]:
    approve_all = settings.sending_mode == "approve_all"
    cid = snap.customer_id
    docs = documents or tuple(a.document for a in stage.actions)
    return tuple(
        PlannedAction(
            stage_key=stage.key, channel=a.channel, document=doc, attach=a.attach,
            needs_approval=stage.approval or (approve_all and a.channel != "call_task"),
            idempotency_key=idempotency_key(cid, cycle, stage.key, a.channel),
            language=snap.language, invoice_ids=invoice_ids,
            deadline_days=stage.deadline_days, deadline_day_kind=stage.deadline_day_kind)
        for a, doc in zip(stage.actions, docs))


def _decide(snap: CustomerSnapshot, policy: Policy, today: date, cal: BusinessCalendar,
            settings: RunSettings, stale: Reason | None) -> Decision:
    state = snap.state or NEW_CASE
    fp = policy.fingerprint
    if not snap.items and not state.cycle_open:
        return Decision(snap.customer_id, "none", state, today, fp, reasons=(_NOTHING_OVERDUE,))

    ladder = _Ladder(snap.items, today, policy.pre_due_offset)
    overdue_now = bool(ladder.overdue)

    # --- the cycle ---------------------------------------------------------------------
    no_cycle = _no_cycle(snap.customer_id, policy, state, ladder, today)
    if no_cycle is not None:
        return no_cycle
    cycle_started = not state.cycle_open
    if cycle_started:
        state = CaseState(cycle=state.cycle + 1, cycle_open=True, cycle_started=today)
    reasons = _situation(ladder)
    if cycle_started:
        reasons.insert(0, Reason("cycle_started", {"cycle": state.cycle}))

    # --- which stage next ----------------------------------------------------------------
    cur_idx, cand_idx = _candidate(policy, state, ladder, today, cal, reasons)
    replan = policy.index_of(state.replan_stage) if state.replan_stage is not None else None
    if replan is not None:       # planned afresh after a pause: due as soon as nothing holds it
        cand_idx = replan
    if cand_idx is None:
        reasons.append(Reason("last_stage", {"stage": state.stage_key}))
        kind = "start_cycle" if cycle_started else "none"
        return _finish(snap, ladder, kind, state, today, fp, reasons, None, cycle_started)

    cand = policy.stages[cand_idx]
    earliest, why, waits = ((today, "replan", []) if replan is not None
                            else _earliest(policy, state, cand, ladder, cal, today))
    blocks, resume, promise = _blocks(snap, policy, today, settings, stale)
    totals = ladder.totals if overdue_now else ladder.upcoming_totals
    if state.rejected_stage is not None:
        waits.append(Reason("message_rejected", {"stage": state.rejected_stage}))
    missing = _allocation_missing(snap, ladder) if overdue_now else []
    if missing:
        waits.append(Reason(ALLOCATION_MISSING, {"invoices": missing}))
    notice_due = True     # a notice stage has a charge to list (always so for any other stage)
    if snap.debt_notices is not None and overdue_now:
        notice_waits, notice_until, notice_due = _debt_notice(snap.debt_notices, ladder, cand, today)
        waits.extend(notice_waits)
        if notice_until is not None and notice_until > earliest:
            earliest, why = notice_until, "debt_notice"
    if not _meets_minimum(cand, totals):
        waits.append(Reason("below_minimum", {
            "stage": cand.key,
            "minimum": {c: str(v) for c, v in sorted(cand.min_amount.items())}}))
    if not promise and overdue_now:
        reasons.append(_NO_OPEN_PROMISE)
    fire_on = cal.next_business_day(max(earliest, today))

    on, set_by = fire_on, why
    if resume is not None and resume > on:
        on, set_by = cal.next_business_day(resume), "pause"
    pending = waits + blocks
    nxt: NextStep | None = NextStep(cand.key, on, set_by, tuple(r.code for r in pending))
    invoice_ids = tuple(it.invoice_id for it in (ladder.overdue if overdue_now else ladder.upcoming))

    if fire_on > today:  # not due yet
        reasons.extend(pending)
        kind = "start_cycle" if cycle_started else "none"
        return _finish(snap, ladder, kind, state, today, fp, reasons, nxt, cycle_started,
                       invoice_ids=invoice_ids)

    documents, fallbacks = _documents(snap, ladder, cand, today)
    if pending:  # due today, held back
        reasons.extend(pending)
        reasons.append(Reason("stage_held", {"stage": cand.key}))
        reasons.extend(fallbacks)
        held = _plan(snap, cand, state.cycle, settings, invoice_ids, documents)
        kind = "start_cycle" if cycle_started else "hold"
        return _finish(snap, ladder, kind, state, today, fp, reasons, nxt, cycle_started,
                       held=held, invoice_ids=invoice_ids)

    # --- enter the stage -----------------------------------------------------------------
    if cur_idx == -1 and policy.start_mode == "first_stage" and overdue_now:
        late = _late_start(snap, policy, cand_idx, ladder)
        if late is not None:
            reasons.append(late)
    reasons.append(Reason("stage_due", {
        "stage": cand.key, "because": why,
        "after_due_days": cand.after_due_days, "after_previous_days": cand.after_previous_days,
        "day_kind": cand.day_kind}))
    reasons.extend(fallbacks)
    new_state = _entered(state if state.replan_stage is None else replace(state, replan_stage=None), cand, today)
    actions = _plan(snap, cand, state.cycle, settings, invoice_ids, documents) if notice_due else ()
    nxt = _after(policy, cand_idx, new_state, ladder, cal)
    if not notice_due:
        reasons.append(Reason("debt_notice_not_needed", {"stage": cand.key}))
    elif snap.debt_notices is not None and nxt is not None and _is_notice_stage(cand):
        # the notice goes out today at the earliest: nothing follows before its 14 days are over
        after_wait = cal.next_business_day(first_collection_day(today))
        if after_wait > nxt.on:
            nxt = replace(nxt, on=after_wait, set_by="debt_notice")
    return _finish(snap, ladder, "enter_stage", new_state, today, fp, reasons, nxt, cycle_started,
                   actions=actions, invoice_ids=invoice_ids)


def _is_notice_stage(stage: Stage) -> bool:
    """A stage whose every action sends the consumer debt notice: the notice itself, not a
    collection step."""
    return bool(stage.actions) and all(a.document == DEBT_NOTICE for a in stage.actions)


def _debt_notice(notices: tuple[SentNotice, ...], ladder: _Ladder, cand: Stage,
                 today: date) -> tuple[list[Reason], date | None, bool]:
    """For an Israeli consumer (:mod:`gvia.core.debt_notice`): what holds ``cand`` back, the day
    the notices' 14 days are over when some still run, and whether a notice stage has a charge
    to list (True for any other stage). The notice stage itself is never held by the notice."""
    a = assess([Charge(it.invoice_id, it.number, it.due_date) for it in ladder.overdue], notices, today)
    if _is_notice_stage(cand):
        return [], None, bool(a.of(NEEDS_NOTICE))
    out: list[Reason] = []
    for state in (WINDOW_MISSED, NEEDS_NOTICE):
        found = a.of(state)
        if found:
            out.append(Reason(state, {"invoices": [s.charge.number for s in found],
                                      "last_day": min(s.day for s in found).isoformat()}))
    until = a.wait_until
    if until is not None:
        waiting = a.of(WAITING)
        out.append(Reason(WAITING, {"invoices": [s.charge.number for s in waiting],
                                    "sent": max(s.sent_on for s in waiting if s.sent_on is not None).isoformat(),
                                    "until": until.isoformat()}))
    return out, until, True


def _no_cycle(cid: Any, policy: Policy, state: CaseState, ladder: _Ladder, today: date) -> Decision | None:
    """The decision when no collection cycle runs today — nothing in play, a cycle that ended
    today, or an open cycle ending now that nothing is overdue (unless it is a pre-due cycle and
    something is still in play) —; None when a cycle runs (open, or to be opened today)."""
    fp = policy.fingerprint
    in_play = ladder.ref is not None
    if not state.cycle_open:
        if not in_play:
            return Decision(cid, "none", state, today, fp,
                            reasons=tuple([_NOTHING_OVERDUE] + _situation(ladder)))
        if state.cycle_ended == today:
            return Decision(cid, "none", state, today, fp,
                            reasons=tuple([Reason("cycle_ended_today", {"cycle": state.cycle})]
                                          + _situation(ladder)))
    elif not ladder.overdue:
        cur_idx = policy.index_of(state.stage_key)
        pre_due_cycle = state.stage_key is None or (cur_idx is not None and policy.stages[cur_idx].is_pre_due)
        if not in_play or not pre_due_cycle:
            ended = CaseState(cycle=state.cycle, cycle_open=False, cycle_ended=today)
            return Decision(cid, "end_cycle", ended, today, fp,
                            reasons=tuple([_NOTHING_OVERDUE, Reason("cycle_ended", {"cycle": state.cycle})]
                                          + _situation(ladder)))
    return None


def _candidate(policy: Policy, state: CaseState, ladder: _Ladder, today: date, cal: BusinessCalendar,
               reasons: list[Reason]) -> tuple[int, int | None]:
    """``(index of the current stage, -1 before the first; index of the next stage to enter, None
    after the last)``. A stage the policy no longer has counts as the furthest known stage the
    case went through; a new case of a policy that starts by age starts at the stage its oldest
    debt's age calls for. The reasons for either are added to ``reasons``."""
    overdue_now = bool(ladder.overdue)
    cur_idx = policy.index_of(state.stage_key)
    if cur_idx is None:
        cur_idx = -1
        if state.stage_key is not None:  # the policy changed and lost this stage
            known = [policy.index_of(h.stage_key) for h in state.history]
            cur_idx = max((i for i in known if i is not None), default=-1)
            reasons.append(Reason("unknown_stage", {"stage": state.stage_key}))
    cand_idx: int | None
    if cur_idx == -1 and policy.start_mode == "by_age" and overdue_now:
        cand_idx = _by_age_target(policy, ladder, today, cal)
        if cand_idx is not None:
            reasons.append(Reason("start_by_age", {"stage": policy.stages[cand_idx].key, "days": ladder.ref_days}))
        else:
            cand_idx = _first_after(policy, -1, overdue_now)
    else:
        cand_idx = _first_after(policy, cur_idx, overdue_now)
    return cur_idx, cand_idx


def _late_start(snap: CustomerSnapshot, policy: Policy, cand_idx: int, ladder: _Ladder) -> Reason | None:
    """A new case of a policy that starts at the first stage, whose debt is already old enough
    for a later stage: said, since the ladder will take longer than its days say."""
    cand = policy.stages[cand_idx]
    later = [s for s in policy.stages[cand_idx + 1:] if s.enabled and s.after_due_days is not None
             and s.after_due_days > 0 and ladder.ref_days >= s.after_due_days]
    if not later:
        return None
    return Reason("late_start", {
        "stage": cand.key, "days": ladder.ref_days, "spacing": policy.min_spacing_days,
        "first_seen": None if snap.first_seen is None else snap.first_seen.isoformat()})


def _entered(state: CaseState, stage: Stage, today: date) -> CaseState:
    """The case having entered ``stage`` today: its calls counted afresh, and a stage that sets a
    deadline (a warning) waiting for the day it is sent."""
    new_state = replace(
        state, stage_key=stage.key, stage_entered=today,
        history=state.history + (StageEntry(stage.key, today),),
        calls_unanswered=0, last_call_outcome=None)
    if stage.deadline_days is not None:
        new_state = replace(new_state, deadline_stage=stage.key, warning_sent=None, warning_deadline=None)
    return new_state


def _after(policy: Policy, idx: int, state: CaseState, ladder: _Ladder, cal: BusinessCalendar) -> NextStep | None:
    """The stage after the one at ``idx``, and the earliest day it may come."""
    after_idx = _first_after(policy, idx, bool(ladder.overdue))
    if after_idx is None:
        return None
    after = policy.stages[after_idx]
    earliest, why, waits = _earliest(policy, state, after, ladder, cal)
    return NextStep(after.key, cal.next_business_day(earliest), why, tuple(r.code for r in waits))


def _finish(snap: CustomerSnapshot, ladder: _Ladder, kind: str, state: CaseState, today: date,
            fp: str, reasons: list[Reason], nxt: NextStep | None, cycle_started: bool,
            actions: tuple[PlannedAction, ...] = (), held: tuple[PlannedAction, ...] = (),
            invoice_ids: tuple[Any, ...] | None = None) -> Decision:
    overdue_now = bool(ladder.overdue)
    totals = ladder.totals if overdue_now else ladder.upcoming_totals
    if invoice_ids is None:
        invoice_ids = tuple(it.invoice_id for it in (ladder.overdue if overdue_now else ladder.upcoming))
    return Decision(
        snap.customer_id, kind, state, today, fp, actions=actions, reasons=tuple(reasons),
        next_step=nxt, cycle_started=cycle_started, held=held,
        overdue=tuple(Money(totals[c], c) for c in sorted(totals)), invoice_ids=invoice_ids)

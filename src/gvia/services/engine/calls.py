"""Phone calls: the call task's script, and logging what a call achieved.

A call stage opens a task for the customer's collector (see
:func:`gvia.store.engine_store.save_decisions`) with the numbers to call, the open items and
:data:`CALL_SCRIPT`. The outcome moves the case (:func:`gvia.core.escalation.record_call_outcome`):

* ``promised`` — a promise to pay by a date: the case pauses through that date (a pause of
  kind "promise" whose reason carries the amount); the day after, if it is not paid, the
  ladder moves on. Closes the call task.
* ``disputed`` — the named invoices leave the ladder (a pause of kind "dispute"). Closes it.
* ``refused`` / ``wrong-number`` — settle the call stage; the ladder moves on. Closes it.
* ``no-answer`` — counted; after the policy's ``call_attempts`` unanswered calls the ladder
  moves on and the task closes; until then it stays open, due the next business day.
* ``call-back`` — the customer asked to be called at a time: the case pauses through that
  day and the task is due then.

Every call is a line on the customer's timeline and in the audit. A call may also tell why the
customer has not paid: ``nonpayment`` sets the case's reason (issue 17).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction

from gvia.core.errors import FieldProblem, GviaError, InvalidAmount, UnknownCurrency, ValidationFailed, Worded
from gvia.core.escalation import CALL_OUTCOMES, call_settled, record_call_outcome
from gvia.core.money import Money, normalize_currency, parse_amount
from gvia.services import audit, clock
from gvia.services.arrangements import suggestions
from gvia.services.arrangements.disputes import open_dispute
from gvia.services.arrangements.promises import record_promise
from gvia.services.context import Ctx
from gvia.services.engine import policies
from gvia.services.engine.cases import case_state, save_state
from gvia.services.engine.nonpayment import reason_checked, set_reason
from gvia.services.ledger import books as ledger
from gvia.services.locality import org_calendar
from gvia.store.models import Activity, Case, Customer, Invoice, Pause, Task

CALL_SCRIPT = {
    "en": (
        "Say who you are and that you are calling to find a solution together, not to argue.",
        "Ask what happened: is anything wrong with the invoices, the goods or the work?",
        "Ask when they intend to catch up, and write down the date and the amount.",
        "If paying at once is hard, offer a payment plan or, within your limits, a discount for paying now.",
        "Ask how they feel about the work delivered, and whether anything should change.",
        "Agree on the next step and confirm it in writing.",
    ),
    "he": (
        "הציגו את עצמכם ואמרו שאתם מתקשרים כדי למצוא פתרון יחד, לא כדי להתווכח.",
        "שאלו מה קרה: האם יש בעיה בחשבוניות, בסחורה או בעבודה?",
        "שאלו מתי בכוונתם להסדיר את החוב, ורשמו תאריך וסכום.",
        "אם קשה לשלם מיד, הציעו הסדר תשלומים או, במסגרת הסמכות שלכם, הנחה על תשלום מיידי.",
        "שאלו איך הם מרגישים לגבי העבודה שסופקה והאם משהו צריך להשתנות.",
        "סכמו את הצעד הבא ואשרו אותו בכתב.",
    ),
}


@dataclass
class CallLogged:
    outcome: str
    case_moved_on: bool          # the call stage is settled: the next stage may come
    pause: Pause | None
    task: Task | None
    unanswered: int


def _outcome(text: str) -> str:
    key = text.strip().lower().replace("-", "_")
    if key not in CALL_OUTCOMES:
        raise ValidationFailed([FieldProblem(None, "outcome", text, "not an outcome", code="one_of",
                                             params={"choices": tuple(o.replace("_", "-") for o in CALL_OUTCOMES)})])
    return key


def log_call(ctx: Ctx, customer_ref: str, outcome: str, *, promise_date: date | None = None,
             amount: str | None = None, currency: str | None = None, invoice_numbers: tuple[str, ...] = (),
             reason: str = "", at: datetime | None = None, note: str = "",
             now: datetime | None = None, replace_promise: bool = False, nonpayment: str = "") -> CallLogged:
    """Record a call and what it means for the case (see the module docstring). A promise made on
    the call replaces an open one only with ``replace_promise`` (else refused, nothing logged:
    :func:`gvia.services.arrangements.promises.record_promise`). ``nonpayment``: why the customer
    has not paid, as learnt on the call (a code of :data:`gvia.core.nonpayment.REASONS`), recorded
    as the case's reason with the call's note by :func:`gvia.services.engine.nonpayment.set_reason`
    (source ``call``) in the same transaction: a bad reason logs nothing."""
    ctx.require("collector", "logging a call")
    now = now or clock.now_utc()
    today = clock.org_today(ctx.org, now)
    key = _outcome(outcome)
    customer = ledger.get_customer(ctx, customer_ref)
    money, call_back_on = _checked(ctx, customer, key, today, promise_date, amount, currency, invoice_numbers, at)
    if nonpayment:
        reason_checked(nonpayment, "nonpayment")

    with transaction.atomic():
        case = Case.objects.select_for_update().filter(customer=customer).first()
        _version, policy = policies.policy_for_customer(ctx, customer)
        state = record_call_outcome(case_state(case), key)
        if case is not None:
            save_state(case, state)
        settled = call_settled(state, policy)
        if key == "promised":
            # A real promise (kept or broken against the payments that come in), pausing the case.
            assert promise_date is not None   # _checked refuses a promise without its date
            promise = record_promise(ctx, customer.ref, str(money.amount) if money else None, promise_date,
                                     source="call", currency=money.currency if money else None, note=note, now=now,
                                     replace_open=replace_promise)
            pause = promise.pause
        elif key == "disputed":
            dispute = open_dispute(ctx, customer.ref, list(invoice_numbers), "other",
                                   note=reason or note or "disputed on a call", now=now)
            pause = dispute.pause
        elif key == "call_back":
            assert at is not None   # _checked refuses a call-back without the time agreed
            pause = Pause.objects.create(
                organization=ctx.org, customer=customer, kind=Pause.Kind.CALL_BACK, until=call_back_on,
                reason=f"asked to be called back on {at.isoformat(timespec='minutes')}"
                       + (f" — {note}" if note else ""), created_by=ctx.actor)
        else:
            pause = None
        task = _note_on_task(ctx, customer, key, note, settled, state.calls_unanswered, call_back_on, today, now)
        text = _said(key, money, promise_date, invoice_numbers, reason, state.calls_unanswered, at)
        logged = Activity.objects.create(
            organization=ctx.org, customer=customer, kind=Activity.Kind.CALL, date=today, at=now,
            text=f"Call: {text}" + (f" — {note}" if note else ""), actor=ctx.actor,
            data={"outcome": key, "note": note, "pause": pause.id if pause else None,
                  "task": task.id if task else None, "unanswered": state.calls_unanswered,
                  "said": {"code": text.code, "params": dict(text.params)}})
        if note and key != "promised":   # a promise in the note's words, for a person to confirm (issue 16)
            suggestions.suggest(ctx, customer, note, today, "call", logged)
        if nonpayment:                   # why they have not paid, as said on the call (issue 17)
            set_reason(ctx, customer.ref, nonpayment, note, source="call", now=now)
        audit.record(ctx, "call.logged", customer, outcome=key, note=note,
                     promise_date=promise_date.isoformat() if promise_date else None,
                     amount=str(money) if money else None, invoices=list(invoice_numbers))
    return CallLogged(outcome=key, case_moved_on=settled, pause=pause, task=task, unanswered=state.calls_unanswered)


def _checked(ctx: Ctx, customer: Customer, key: str, today: date, promise_date: date | None, amount: str | None,
             currency: str | None, invoice_numbers: tuple[str, ...],
             at: datetime | None) -> tuple[Money | None, date | None]:
    """What the outcome needs, checked before anything is written: ``(the promised amount, the
    call-back day)``; ValidationFailed listing every problem."""
    problems: list[FieldProblem] = []
    money = None
    if key == "promised":
        if promise_date is None:
            problems.append(FieldProblem(None, "promise-date", "", "a promise needs the date it will be paid by",
                                         code="promise_needs_date"))
        elif promise_date < today:
            problems.append(FieldProblem(None, "promise-date", promise_date.isoformat(),
                                         f"is before today ({today.isoformat()})", code="before_today",
                                         params={"today": today}))
        if amount:
            try:
                money = Money.of(parse_amount(amount), normalize_currency(currency or ctx.org.default_currency))
            except UnknownCurrency as exc:
                problems.append(FieldProblem(None, "currency", currency or "", str(exc), code="unknown_currency"))
            except InvalidAmount as exc:
                problems.append(FieldProblem(None, "amount", amount, str(exc), code="not_an_amount"))
    if key == "disputed":
        if not invoice_numbers:
            problems.append(FieldProblem(None, "invoice", "", "name the disputed invoice(s) with --invoice",
                                         code="call_dispute_needs_invoice"))
        found = dict(Invoice.objects.filter(customer=customer, kind=Invoice.Kind.INVOICE,
                                            number__in=list(invoice_numbers)).values_list("number", "id"))
        for n in invoice_numbers:
            if n not in found:
                problems.append(FieldProblem(None, "invoice", n, f"is not an invoice of {customer.ref}",
                                             code="not_an_invoice_of", params={"ref": customer.ref}))
    call_back_on = None
    if key == "call_back":
        if at is None:
            problems.append(FieldProblem(None, "at", "", "a call-back needs the time agreed (--at)",
                                         code="call_back_needs_time"))
        else:
            call_back_on = clock.org_today(ctx.org, at)
    if problems:
        raise ValidationFailed(problems)
    return money, call_back_on


def _note_on_task(ctx: Ctx, customer: Customer, key: str, note: str, settled: bool, unanswered: int,
                  call_back_on: date | None, today: date, now: datetime) -> Task | None:
    """The call on the customer's open call task, if there is one: a call-back moves it to the
    agreed day, an unanswered call to the next business day until the stage is settled; any
    other outcome (or a settled stage) closes it."""
    task = (Task.objects.select_for_update().filter(organization=ctx.org, customer=customer, kind=Task.Kind.CALL,
                                                    open=True).order_by("-created_at", "-id").first())
    if task is None:
        return None
    data = dict(task.data or {})
    data["calls"] = list(data.get("calls", [])) + [
        {"at": now.isoformat(timespec="seconds"), "outcome": key, "note": note, "by": ctx.actor}]
    task.data = data
    if key == "call_back":
        assert call_back_on is not None   # _checked gives the day of every call-back
        task.due_date = call_back_on
    elif key == "no_answer" and not settled:
        task.due_date = org_calendar(ctx.org).next_business_day(today + timedelta(days=1))
    fields = ["data", "due_date"]
    if key not in ("call_back", "no_answer") or settled:
        task.open = False
        task.closed_at = now
        task.outcome = key if key != "no_answer" else f"no_answer x{unanswered}"
        fields += ["open", "closed_at", "outcome"]
    task.save(update_fields=fields)
    return task


def said_of(data: Mapping[str, object] | None) -> tuple[str, dict[str, object]] | None:
    """What a logged call achieved, read back from its activity's data (``said``, kept by
    :func:`log_call`): its code and its values typed again — a day as a ``date``, a moment as a
    ``datetime``, an amount as ``Money`` — so each edge words them as its reader writes them (the
    customer page's timeline, the lawyer's case file). None for a call logged before calls kept
    it, or whose values do not read."""
    said = (data or {}).get("said")
    if not isinstance(said, dict) or not said.get("code"):
        return None
    params = dict(said.get("params") or {})
    try:
        if params.get("day"):
            params["day"] = date.fromisoformat(str(params["day"]))
        if params.get("at"):
            params["at"] = datetime.fromisoformat(str(params["at"]))
        if "amount" in params:
            params["amount"] = Money.of(Decimal(str(params["amount"])), str(params.pop("currency", "")))
    except (ValueError, InvalidOperation, GviaError):
        return None
    return str(said["code"]), params


def _said(key: str, money: Money | None, promise_date: date | None, invoice_numbers: tuple[str, ...], reason: str,
          unanswered: int, at: datetime | None) -> Worded:
    """What the call achieved, for the timeline: a code and values kept with the activity
    (``data["said"]``, worded by the customer page: ``problem.<code>``), its English the stored
    line's (after "Call: "), for the log. The values are kept as JSON keeps them (a day and a
    moment in ISO form, an amount and its currency as text) and typed again where they are worded."""
    by = promise_date.isoformat() if promise_date else ""
    if key == "promised" and money:
        return Worded(f"promised to pay {money.amount} {money.currency} by {by}", code="call_promised_amount",
                      amount=str(money.amount), currency=money.currency, day=by)
    if key == "promised":
        return Worded(f"promised to pay by {by}", code="call_promised", day=by)
    if key == "disputed":
        return Worded(f"disputed invoice(s) {', '.join(invoice_numbers)}" + (f": {reason}" if reason else ""),
                      code="call_disputed", invoices=list(invoice_numbers))
    if key == "refused":
        return Worded("refused to pay", code="call_refused")
    if key == "no_answer":
        return Worded(f"no answer ({unanswered} unanswered)", code="call_no_answer", n=unanswered)
    if key == "wrong_number":
        return Worded("wrong number", code="call_wrong_number")
    moment = at.isoformat(timespec="minutes") if at else ""
    return Worded(f"call back on {moment}", code="call_call_back", at=moment)

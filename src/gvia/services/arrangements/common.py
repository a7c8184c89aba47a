"""What the arrangement use cases share: the organization's limits and grace periods, reading
amounts typed by a person, the money a customer has paid, the Pause rows that make the engine
honour an arrangement, the customer's timeline, and :func:`describe_arrangements` for
``gvia explain``.

The rules themselves are in :mod:`gvia.core.promises`, :mod:`gvia.core.plans`,
:mod:`gvia.core.settlements` and :mod:`gvia.core.disputes`; the use cases are in
:mod:`gvia.services.arrangements.promises`, :mod:`~gvia.services.arrangements.plans`, :mod:`~gvia.services.arrangements.settlements`,
:mod:`~gvia.services.arrangements.disputes` and :mod:`~gvia.services.arrangements.writeoffs`; the daily check is
:func:`gvia.services.arrangements.daily.apply_arrangements`.

Settings (``Organization.settings``, all optional)
==================================================

=============================== ========= ===============================================
key                             default   meaning
=============================== ========= ===============================================
``promise_grace_days``          3         a promise pauses the case through due + this
``plan_grace_days``             7         an installment is missed this long after its date
``plan_default_after_missed``   2         missed installments (at once) that end a plan
``plan_max_months``             6         longest plan a collector may agree alone
``plan_min_installment``        ILS 500   smallest installment a collector may agree alone,
                                          per currency: ``{"ILS": "500", "GBP": "100"}``
``plan_max_installments``       none      most installments a collector may agree alone
``dispute_max_open_days``       14        an open dispute older than this reminds its owner
``limitation_warn_months``      6         flag a debt this long before limitation
``limitation_years``            law       years of limitation, overriding the country's
=============================== ========= ===============================================

Money paid (:func:`received`)
=============================

What counts as paid towards an arrangement is the same as what the ledger counts: cleared
payments (a pending post-dated cheque is not money yet, a bounced one never was), each worth
its amount plus the tax withheld at source, on its value date when it has one (the day the
money is there), else its date. A payment that names an invoice outside the arrangement does
not count towards it. A plan or a settlement is built from the balance in the books when it
is agreed, so only payments that were not yet in the books then count towards it
(:func:`counted`); a promise counts the payments dated from the day it was made.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Iterable, Mapping

from gvia.core.errors import FieldProblem, InvalidAmount, NotFound, UnknownCurrency, ValidationFailed
from gvia.core.formatting import format_date, format_money
from gvia.core.money import Money, normalize_currency, parse_amount
from gvia.core.plans import PlanLimits
from gvia.store.ledger_store import chunks
from gvia.store.models import Activity, Customer, Invoice, Organization, Pause, Payment

from gvia.services.context import Ctx
from gvia.services.ledger.books import unapplied_totals

__all__ = [
    "ArrangementSettings", "arrangement_settings", "parse_money", "parse_day", "received",
    "Received", "counted", "last_payment_id", "customer_currency", "open_balance", "disputed_invoice_ids", "open_pause", "end_pause", "timeline",
    "describe_arrangements",
]


# --- settings ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArrangementSettings:
    promise_grace_days: int = 3
    plan_grace_days: int = 7
    plan_default_after_missed: int = 2
    plan_limits: PlanLimits = field(default_factory=lambda: PlanLimits(6, {"ILS": Money.of(500, "ILS")}))
    dispute_max_open_days: int = 14
    limitation_warn_months: int = 6
    limitation_years: int | None = None


def arrangement_settings(org: Organization) -> ArrangementSettings:
    """The organization's arrangement settings (table in the module docstring), checked."""
    cfg = org.settings or {}
    problems: list[FieldProblem] = []

    def whole(key: str, default: int | None, lo: int, hi: int) -> int | None:
        value = cfg.get(key, default)
        if value is None:
            return None
        try:
            n = int(str(value).strip())
        except ValueError:
            problems.append(FieldProblem(None, key, str(value), "must be a whole number"))
            return default
        if not lo <= n <= hi:
            problems.append(FieldProblem(None, key, str(value), f"must be between {lo} and {hi}"))
            return default
        return n

    minimum: dict[str, Money] = {}
    raw_min = cfg.get("plan_min_installment", {"ILS": "500"})
    if not isinstance(raw_min, Mapping):
        problems.append(FieldProblem(None, "plan_min_installment", str(raw_min),
                                     'must map currencies to amounts, e.g. {"ILS": "500"}'))
    else:
        for code, amount in raw_min.items():
            try:
                minimum[normalize_currency(str(code))] = Money.of(parse_amount(str(amount)),
                                                                  normalize_currency(str(code)))
            except (InvalidAmount, UnknownCurrency) as exc:
                problems.append(FieldProblem(None, f"plan_min_installment.{code}", str(amount), str(exc)))
    out = ArrangementSettings(
        promise_grace_days=whole("promise_grace_days", 3, 0, 60),
        plan_grace_days=whole("plan_grace_days", 7, 0, 60),
        plan_default_after_missed=whole("plan_default_after_missed", 2, 1, 24),
        plan_limits=PlanLimits(whole("plan_max_months", 6, 1, 120), minimum,
                               whole("plan_max_installments", None, 1, 520)),
        dispute_max_open_days=whole("dispute_max_open_days", 14, 0, 365),
        limitation_warn_months=whole("limitation_warn_months", 6, 0, 60),
        limitation_years=whole("limitation_years", None, 1, 50),
    )
    if problems:
        raise ValidationFailed(problems, "the organization's arrangement settings are not valid")
    return out


# --- input -------------------------------------------------------------------------------------


def parse_money(text: str, currency: str, field_name: str = "amount") -> Money:
    """An amount typed by a person, exact to the currency's minor unit (never rounded)."""
    try:
        code = normalize_currency(currency)
        value = parse_amount(str(text))
        money = Money.of(value, code)
    except (InvalidAmount, UnknownCurrency) as exc:
        raise ValidationFailed([FieldProblem(None, field_name, str(text), str(exc))],
                               f"{field_name}: {exc}; nothing was changed") from None
    if money.amount != value:
        raise ValidationFailed([FieldProblem(None, field_name, str(text),
                                             f"has more decimals than {code} allows")],
                               f"{field_name} {text} has more decimals than {code} allows; nothing "
                               "was changed")
    return money


def parse_day(value: date | str, field_name: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationFailed([FieldProblem(None, field_name, str(value), "not a date (YYYY-MM-DD)")],
                               f"{field_name}: {value!r} is not a date (YYYY-MM-DD)") from None


# --- money received ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    """One cleared payment as arrangements count it."""

    day: date
    amount: Money
    invoice_id: int | None
    payment_id: int


def received(customer_ids: Iterable[int]) -> dict[int, list[Received]]:
    """Cleared payments of the customers, oldest first (rules in the module docstring)."""
    out: dict[int, list[Received]] = defaultdict(list)
    ids = sorted(set(customer_ids))
    for part in chunks(ids):
        rows = (Payment.objects.filter(customer_id__in=list(part), status=Payment.Status.CLEARED)
                .values_list("id", "customer_id", "date", "value_date", "amount_minor", "withholding_minor",
                             "currency", "invoice_id"))
        for pid, cid, d, vd, amount, wh, cur, inv in rows:
            day = vd or d
            if not isinstance(day, date):
                day = date.fromisoformat(str(day))
            out[cid].append(Received(day, Money.from_minor(amount + wh, cur), inv, pid))
    for items in out.values():
        items.sort(key=lambda r: (r.day, r.payment_id))
    return out


def counted(payments: Iterable[Received], currency: str, *, after_payment_id: int = 0,
            invoice_ids: Iterable[int] | None = None) -> list[tuple[date, Money]]:
    """The payments that count towards an arrangement in ``currency``: those not yet in the
    books when it was agreed (id above ``after_payment_id``: the ones before are already in
    the balance it was built from); with ``invoice_ids``, a payment that names another invoice
    does not count."""
    allowed = set(invoice_ids) if invoice_ids is not None else None
    out = []
    for r in payments:
        if r.amount.currency != currency or r.payment_id <= after_payment_id:
            continue
        if allowed is not None and r.invoice_id is not None and r.invoice_id not in allowed:
            continue
        out.append((r.day, r.amount))
    return out


def last_payment_id(customer: Customer) -> int:
    """The id of the customer's latest payment row (0 when none): the cut for :func:`counted`."""
    return Payment.objects.filter(customer=customer).order_by("-id").values_list("id", flat=True).first() or 0


def open_balance(ctx: Ctx, customer: Customer, currency: str) -> tuple[Money, list[int]]:
    """What the customer owes in ``currency`` that an arrangement may cover, and the invoices
    it is made of: open invoices not under an open dispute, less unapplied credit."""
    disputed = disputed_invoice_ids(customer)
    total = Money.zero(currency)
    ids: list[int] = []
    for iid, open_minor in (Invoice.objects.filter(customer=customer, kind=Invoice.Kind.INVOICE, currency=currency)
                            .exclude(open_minor=0).order_by("due_date", "id").values_list("id", "open_minor")):
        if iid in disputed:
            continue
        total += Money.from_minor(open_minor, currency)
        ids.append(iid)
    credit = unapplied_totals(ctx, customer.id).get_or_zero(currency)
    return total - credit, ids


def disputed_invoice_ids(customer: Customer) -> set[int]:
    """Invoices of the customer taken off the ladder by an active dispute pause."""
    out: set[int] = set()
    for invoices in Pause.objects.filter(customer=customer, kind=Pause.Kind.DISPUTE, active=True).values_list(
            "invoices", flat=True):
        out.update(int(i) for i in invoices or [])
    return out


# --- records by id -----------------------------------------------------------------------------


def owned(ctx: Ctx, model, raw_id: int | str, what: str, *, lock: bool = False, related: tuple[str, ...] = ("customer",)):
    """The organization's ``model`` row with id ``raw_id`` (locked for update with ``lock``), or
    NotFound naming ``what`` ("payment plan", "dispute", …): another organization's id is not found."""
    try:
        row_id = int(raw_id)
    except (TypeError, ValueError):
        raise NotFound(f"no {what} {raw_id!r}") from None
    qs = model.objects.select_for_update() if lock else model.objects
    row = qs.filter(organization=ctx.org, id=row_id).select_related(*related).first()
    if row is None:
        raise NotFound(f"no {what} {raw_id}")
    return row


# --- pauses and the timeline -------------------------------------------------------------------


def open_pause(ctx: Ctx, customer: Customer, kind: str, until: date | None, reason: str,
               source_id: int | None = None, invoices: Iterable[int] = ()) -> Pause:
    """A pause the engine honours (see :mod:`gvia.store.engine_store`): the whole case through
    ``until`` for a promise, plan or settlement; only ``invoices`` for a dispute."""
    return Pause.objects.create(organization=ctx.org, customer=customer, kind=kind, until=until,
                                reason=reason[:500], invoices=sorted(set(invoices)), source_id=source_id,
                                created_by=ctx.actor)


def end_pause(pause_id: int | None) -> None:
    """End a pause (the ladder resumes where it stood on the next run)."""
    if pause_id is not None:
        Pause.objects.filter(id=pause_id, active=True).update(active=False)


def timeline(org: Organization, customer_id: int, kind: str, today: date, now: datetime, text: str,
             actor: str, **data) -> Activity:
    """A line on the customer's timeline."""
    return Activity.objects.create(organization=org, customer_id=customer_id, kind=kind, date=today, at=now,
                                   text=text, actor=actor, data=data)


# --- explain -----------------------------------------------------------------------------------

_T = {
    "en": {
        "promise": "Promise to pay {amount} by {due} ({source}); paid so far {paid}; the case is paused "
                   "through {until}.",
        "plan": "Payment plan {id}: {count} {frequency} installments of the {total} balance; paid {paid}; "
                "{next}; the case is paused while it runs.",
        "plan_next": "next {amount} due {due}",
        "plan_missed": "{n} installment(s) missed (the plan ends at {limit})",
        "plan_none": "nothing more due",
        "settlement_offered": "Settlement offer {id}: {agreed} of {debt} by {deadline}, awaiting an owner's "
                              "approval.",
        "settlement_approved": "Settlement {id}: {agreed} of {debt} by {deadline} (approved by {by}); paid "
                               "so far {paid}; the case is paused until then.",
        "dispute": "Dispute {id} on invoice(s) {invoices} ({reason}) open since {opened}: these invoices "
                   "are off the ladder until it is resolved.",
        "writeoff": "Write-off {id} of {amount} on invoice {invoice} awaits an owner's approval.",
        "frequency": {"weekly": "weekly", "biweekly": "fortnightly", "monthly": "monthly"},
        "source": {"call": "on a call", "email": "by e-mail", "portal": "on the customer page",
                   "manual": "entered by hand"},
        "reason": {"service_not_as_expected": "service not as expected", "wrong_amount": "wrong amount",
                   "not_received": "not received", "already_paid": "already paid", "other": "other"},
    },
    "he": {
        "promise": "הבטחת תשלום של {amount} עד {due} ({source}); שולם עד כה {paid}; התהליך מושהה עד {until}.",
        "plan": "הסדר תשלומים {id}: {count} תשלומים ({frequency}) על יתרה של {total}; שולם {paid}; {next}; "
                "התהליך מושהה כל עוד ההסדר בתוקף.",
        "plan_next": "התשלום הבא {amount} ב-{due}",
        "plan_missed": "{n} תשלומים לא שולמו (ההסדר מבוטל ב-{limit})",
        "plan_none": "לא נותר תשלום",
        "settlement_offered": "הצעת פשרה {id}: {agreed} מתוך {debt} עד {deadline}, ממתינה לאישור בעלים.",
        "settlement_approved": "פשרה {id}: {agreed} מתוך {debt} עד {deadline} (אושרה על ידי {by}); שולם עד "
                               "כה {paid}; התהליך מושהה עד אז.",
        "dispute": "מחלוקת {id} על חשבוניות {invoices} ({reason}) פתוחה מאז {opened}: חשבוניות אלה מחוץ "
                   "למדרג עד שתוכרע.",
        "writeoff": "מחיקת חוב {id} של {amount} בחשבונית {invoice} ממתינה לאישור בעלים.",
        "frequency": {"weekly": "שבועי", "biweekly": "דו-שבועי", "monthly": "חודשי"},
        "source": {"call": "בשיחה", "email": "בדוא\"ל", "portal": "בדף הלקוח", "manual": "הוזן ידנית"},
        "reason": {"service_not_as_expected": "השירות לא כמצופה", "wrong_amount": "סכום שגוי",
                   "not_received": "לא התקבל", "already_paid": "כבר שולם", "other": "אחר"},
    },
}


def describe_arrangements(ctx: Ctx, customer: Customer, today: date, lang: str = "en") -> list[str]:
    """The arrangements in force for ``customer`` on ``today``, one sentence each, in ``lang``
    ("he" or "en"): open promises still within their grace period, the active plan, a
    settlement offered or approved whose deadline has not passed, open disputes and write-offs
    awaiting approval. Empty when there is none."""
    from gvia.store.models import Dispute, PaymentPlan, Promise, Settlement, WriteOff

    from gvia.services.letters.content import locale_for

    lang = "he" if lang == "he" else "en"
    t = _T[lang]
    locale = "he" if lang == "he" else (locale_for(ctx.org) if locale_for(ctx.org).startswith("en") else "en-GB")

    def money(minor: int, cur: str) -> str:
        return format_money(Money.from_minor(minor, cur), locale)

    def day(d: date) -> str:
        return format_date(d, locale)

    lines: list[str] = []
    for p in Promise.objects.filter(customer=customer, status=Promise.Status.OPEN, pause_until__gte=today).order_by(
            "due", "id"):
        lines.append(t["promise"].format(amount=money(p.amount_minor, p.currency), due=day(p.due),
                                         source=t["source"].get(p.source, p.source),
                                         paid=money(p.paid_minor, p.currency),
                                         until=day(p.pause_until)))
    for plan in PaymentPlan.objects.filter(customer=customer, status=PaymentPlan.Status.ACTIVE).order_by("id"):
        rows = list(plan.installments.order_by("due", "number"))
        nxt = next((r for r in rows if r.status != "paid"), None)
        if plan.missed:
            what = t["plan_missed"].format(n=plan.missed, limit=plan.default_after_missed)
        elif nxt is not None:
            what = t["plan_next"].format(amount=money(nxt.amount_minor - nxt.paid_minor, plan.currency),
                                         due=day(nxt.due))
        else:
            what = t["plan_none"]
        lines.append(t["plan"].format(id=plan.id, count=len(rows), frequency=t["frequency"][plan.frequency],
                                      total=money(plan.total_minor, plan.currency),
                                      paid=money(plan.paid_minor, plan.currency), next=what))
    for s in Settlement.objects.filter(customer=customer, deadline__gte=today, status__in=(
            Settlement.Status.OFFERED, Settlement.Status.APPROVED)).order_by("id"):
        key = "settlement_offered" if s.status == Settlement.Status.OFFERED else "settlement_approved"
        lines.append(t[key].format(id=s.id, agreed=money(s.agreed_minor, s.currency),
                                   debt=money(s.debt_minor, s.currency), deadline=day(s.deadline),
                                   by=s.approved_by, paid=money(s.paid_minor, s.currency)))
    for d in Dispute.objects.filter(customer=customer, status=Dispute.Status.OPEN).order_by("id"):
        numbers = ", ".join(sorted(d.invoices.values_list("number", flat=True)))
        lines.append(t["dispute"].format(id=d.id, invoices=numbers, reason=t["reason"].get(d.reason, d.reason),
                                         opened=day(d.opened_on)))
    for w in WriteOff.objects.filter(customer=customer, status=WriteOff.Status.REQUESTED).select_related("invoice"):
        lines.append(t["writeoff"].format(id=w.id, amount=money(w.amount_minor, w.currency),
                                          invoice=w.invoice.number))
    return lines



def customer_currency(ctx: Ctx, customer: Customer, currency: str | None = None) -> str:
    """The currency an arrangement is in: ``currency`` when given, else the one currency of the
    customer's open invoices, else the organization's. Refused when the customer owes in
    several currencies and none is named (amounts of two currencies are never added)."""
    if currency:
        try:
            return normalize_currency(currency)
        except UnknownCurrency as exc:
            raise ValidationFailed([FieldProblem(None, "currency", currency, str(exc))],
                                   f"{exc}; nothing was changed") from None
    found = sorted(set(Invoice.objects.filter(customer=customer, kind=Invoice.Kind.INVOICE).exclude(open_minor=0)
                       .values_list("currency", flat=True).distinct()))
    if len(found) > 1:
        raise ValidationFailed([FieldProblem(None, "currency", "", f"the customer owes in {', '.join(found)}; "
                                             "name one with --currency")],
                               f"{customer.ref} owes in several currencies ({', '.join(found)}): name one with "
                               "--currency; nothing was changed")
    return found[0] if found else ctx.org.default_currency

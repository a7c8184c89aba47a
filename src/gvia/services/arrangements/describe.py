"""The arrangements in force for a customer, one sentence each, for ``gvia explain`` and the customer page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import F, Prefetch, prefetch_related_objects

from gvia.core.formatting import format_date, format_money
from gvia.core.money import Money
from gvia.services.context import Ctx
from gvia.services.locality import locale_for
from gvia.store import prepared
from gvia.store.models import Customer, Dispute, PaymentPlan, PlanInstallment, Promise, Settlement, WriteOff

_T: dict[str, dict[str, Any]] = {
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


@dataclass(frozen=True)
class Records:
    """A customer's records that both these sentences and the customer page's case card list, read
    once (:func:`records_of`): the active payment plans (with their instalments, by due day), the
    settlements offered or approved (by id) and the open disputes (with their invoices, the oldest
    opened first)."""
    plans: list[PaymentPlan]
    settlements: list[Settlement]
    disputes: list[Dispute]


def records_of(customer: Customer) -> Records:
    """The :class:`Records` of ``customer`` (the organization's: the caller found it so); the
    queries compiled once in the process (:mod:`gvia.store.prepared`: the customer page reads
    them on every visit)."""
    plans = prepared.models(("records.plans",), PaymentPlan, lambda cid: PaymentPlan.objects.filter(
        customer_id=cid, status=PaymentPlan.Status.ACTIVE).order_by("id"), customer.id)
    prefetch_related_objects(plans, Prefetch("installments",
                                             queryset=PlanInstallment.objects.order_by("due", "number")))
    disputes = prepared.models(("records.disputes",), Dispute, lambda cid: Dispute.objects.filter(
        customer_id=cid, status=Dispute.Status.OPEN).order_by("opened_on", "id"), customer.id)
    prefetch_related_objects(disputes, "invoices")
    return Records(
        plans=plans,
        settlements=prepared.models(("records.settlements",), Settlement, lambda cid: Settlement.objects.filter(
            customer_id=cid, status__in=(Settlement.Status.OFFERED, Settlement.Status.APPROVED)).order_by("id"),
            customer.id),
        disputes=disputes)


def describe_arrangements(ctx: Ctx, customer: Customer, today: date, lang: str = "en",
                          records: Records | None = None) -> list[str]:
    """The arrangements in force for ``customer`` on ``today``, one sentence each, in ``lang``
    ("he" or "en"): open promises still within their grace period, the active plan, a
    settlement offered or approved whose deadline has not passed, open disputes and write-offs
    awaiting approval. Empty when there is none. ``records``: the customer's, when the caller has
    read them (:func:`records_of`)."""
    records = records if records is not None else records_of(customer)
    lang = "he" if lang == "he" else "en"
    t = _T[lang]
    locale = "he" if lang == "he" else (locale_for(ctx.org) if locale_for(ctx.org).startswith("en") else "en-GB")

    def money(minor: int, cur: str) -> str:
        return format_money(Money.from_minor(minor, cur), locale)

    def day(d: date) -> str:
        return format_date(d, locale)

    lines: list[str] = []
    for p in prepared.models(("describe.promises", today), Promise, lambda cid: Promise.objects.filter(
            customer_id=cid, status=Promise.Status.OPEN, pause_until__gte=today).order_by("due", "id"), customer.id):
        lines.append(t["promise"].format(amount=money(p.amount_minor, p.currency), due=day(p.due),
                                         source=t["source"].get(p.source, p.source),
                                         paid=money(p.paid_minor, p.currency),
                                         until=day(p.pause_until)))
    for plan in records.plans:
        rows = list(plan.installments.all())
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
    for s in (s for s in records.settlements if s.deadline >= today):
        key = "settlement_offered" if s.status == Settlement.Status.OFFERED else "settlement_approved"
        lines.append(t[key].format(id=s.id, agreed=money(s.agreed_minor, s.currency),
                                   debt=money(s.debt_minor, s.currency), deadline=day(s.deadline),
                                   by=s.approved_by, paid=money(s.paid_minor, s.currency)))
    for d in sorted(records.disputes, key=lambda d: d.id):
        numbers = ", ".join(sorted(i.number for i in d.invoices.all()))
        lines.append(t["dispute"].format(id=d.id, invoices=numbers, reason=t["reason"].get(d.reason, d.reason),
                                         opened=day(d.opened_on)))
    for w in prepared.models(("describe.writeoffs",), WriteOff, lambda cid: WriteOff.objects.filter(
            customer_id=cid, status=WriteOff.Status.REQUESTED).annotate(invoice_number=F("invoice__number")),
            customer.id):
        lines.append(t["writeoff"].format(id=w.id, amount=money(w.amount_minor, w.currency),
                                          invoice=w.invoice_number))  # type: ignore[attr-defined]  # the annotation
    return lines

"""Suggested promises (issue 16): a promise read in what a customer wrote, for a person to confirm.

:func:`suggest` runs :func:`gvia.core.promise_text.suggest_promise` on a reply read from the
reply mailbox, a call's note or the customer page's free text, and keeps what it finds as a
:class:`SuggestedPromise` with the quoted sentence — nothing is promised yet. :func:`confirm`
makes the promise through :func:`gvia.services.arrangements.promises.record_promise` (the one
way a promise is recorded: its checks, its pause, its timeline line), with the amount and date a
person may correct; a suggestion without a date needs one (``suggestion_needs_date``); without
an amount it promises the open balance. :func:`dismiss` sets it aside. Both are audited.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction

from gvia.core.errors import Refused, RefusedFor
from gvia.core.money import Money, is_currency
from gvia.core.promise_text import suggest_promise
from gvia.services import audit, clock
from gvia.services.arrangements.paid import customer_currency
from gvia.services.arrangements.promises import record_promise
from gvia.services.context import Ctx
from gvia.services.lookup import owned
from gvia.store.models import Activity, Customer, Promise
from gvia.store.models_inbound import SuggestedPromise

#: The promise's source for each place a suggestion is read in.
PROMISE_SOURCE: dict[str, str] = {SuggestedPromise.Source.REPLY: Promise.Source.EMAIL,
                                  SuggestedPromise.Source.CALL: Promise.Source.CALL,
                                  SuggestedPromise.Source.PORTAL: Promise.Source.PORTAL}


def suggest(ctx: Ctx, customer: Customer, text: str, message_date: date, source: str,
            activity: Activity | None = None) -> SuggestedPromise | None:
    """A suggested promise from ``text`` written on ``message_date``, or None when it holds none."""
    found = suggest_promise(text, message_date)
    if found is None:
        return None
    minor = None
    currency = found.currency or ""
    if found.amount is not None:
        code = currency or _currency(ctx, customer)
        if is_currency(code):
            money = Money.of(found.amount, code)
            minor, currency = money.minor, money.currency
    row = SuggestedPromise.objects.create(
        organization=ctx.org, customer=customer, source=source, sentence=found.sentence[:2000],
        message_date=message_date, due=found.due, amount_minor=minor, currency=currency, activity=activity)
    audit.record(ctx, "promise.suggested", row, customer=customer.ref, source=source,
                 due=found.due.isoformat() if found.due else None,
                 amount=str(Money.from_minor(minor, currency).amount) if minor is not None else None)
    return row


def _currency(ctx: Ctx, customer: Customer) -> str:
    """An amount without a currency is in the customer's (that of their open invoices), else the
    organization's."""
    try:
        return customer_currency(ctx, customer)
    except Refused:          # owes in several currencies: the organization's, a person corrects it
        return ctx.org.default_currency


def pending(ctx: Ctx, customer: Customer | None = None):
    """The suggestions waiting for a person, oldest first."""
    ctx.require("viewer", "reading suggested promises")
    qs = SuggestedPromise.objects.filter(organization=ctx.org, status=SuggestedPromise.Status.PENDING)
    if customer is not None:
        qs = qs.filter(customer=customer)
    return qs.select_related("customer").order_by("created_at", "id")


def amount_of(row: SuggestedPromise) -> Money | None:
    return Money.from_minor(row.amount_minor, row.currency) if row.amount_minor is not None else None


def _pending(ctx: Ctx, suggestion_id: int | str) -> SuggestedPromise:
    """The organization's suggestion, locked; refused once decided."""
    row = owned(ctx, SuggestedPromise, suggestion_id, "suggested promise", lock=True)
    if row.status != SuggestedPromise.Status.PENDING:
        raise RefusedFor("suggestion_decided", f"suggestion {row.id} is {row.status}", suggestion=row.id)
    return row


def confirm(ctx: Ctx, suggestion_id: int | str, amount: str | None = None, due: date | str | None = None,
            now: datetime | None = None, replace_open: bool = False) -> Promise:
    """Make the suggested promise (a person's ``amount``/``due`` correct what was read)."""
    ctx.require("collector", "confirming a suggested promise")
    now = now or clock.now_utc()
    with transaction.atomic():
        row = _pending(ctx, suggestion_id)
        when = due or row.due
        if not when:
            raise RefusedFor("suggestion_needs_date", f"suggestion {row.id} names no date", suggestion=row.id)
        money = amount_of(row)
        if amount in (None, "") and money is not None:
            amount = str(money.amount)
        promise = record_promise(ctx, row.customer.ref, amount or None, when,
                                 source=PROMISE_SOURCE.get(row.source, Promise.Source.MANUAL),
                                 currency=(money.currency if money else None), note=row.sentence[:500], now=now,
                                 replace_open=replace_open)
        row.status, row.promise, row.decided_by, row.decided_at = (SuggestedPromise.Status.CONFIRMED, promise,
                                                                   ctx.actor, now)
        row.save(update_fields=["status", "promise", "decided_by", "decided_at"])
        audit.record(ctx, "promise.suggestion_confirmed", row, customer=row.customer.ref, promise=promise.id)
    return promise


def dismiss(ctx: Ctx, suggestion_id: int | str, now: datetime | None = None) -> SuggestedPromise:
    ctx.require("collector", "dismissing a suggested promise")
    now = now or clock.now_utc()
    with transaction.atomic():
        row = _pending(ctx, suggestion_id)
        row.status, row.decided_by, row.decided_at = SuggestedPromise.Status.DISMISSED, ctx.actor, now
        row.save(update_fields=["status", "decided_by", "decided_at"])
        audit.record(ctx, "promise.suggestion_dismissed", row, customer=row.customer.ref)
    return row

"""A payment a person records by hand (the web's customer page), outside an import.

The payment is stored as an import would store it — the same identity (a reference makes the
key ``ref:<customer>:<reference>``, so the bank file imported later finds it instead of adding it
twice), the same status rule (a cheque dated after today is pending until its value date) — and
the ledger is recomputed for the customer (:func:`gvia.services.ledger.books.recompute`).

Refusals are coded problems (``FieldProblem.code`` such as ``payment_not_positive``, worded by the
edges' ``problem.<code>``; the English ``message`` is for logs and tests only).
"""

from __future__ import annotations

import uuid
from datetime import date

from django.db import transaction

from gvia.core.errors import FieldProblem, NotFound, ValidationFailed
from gvia.core.money import Money
from gvia.services import audit
from gvia.services.context import Ctx
from gvia.services.ledger.books import recompute
from gvia.store.models import Customer, Invoice, Payment

METHODS = tuple(Payment.Method.values)


#: The English of each problem, for logs and tests (the pages word ``problem.payment_<code>``).
ENGLISH = {"not_positive": "the amount must be more than zero", "after_today": "a payment is not received after today",
           "unknown_method": "not a way of paying", "cheque_number_needed": "a cheque needs its number",
           "value_date_before": "the cheque's date is before the day it was received",
           "not_this_customers_invoice": "not an invoice of this customer",
           "reference_known": "a payment with this reference is already recorded"}


def _problem(field: str, value: object, code: str) -> FieldProblem:
    return FieldProblem(None, field, "" if value is None else str(value), ENGLISH[code], place="payment field",
                        code=f"payment_{code}")


@transaction.atomic
def record_payment(ctx: Ctx, customer_ref: str, amount: Money, day: date, today: date, method: str = "transfer",
                   reference: str = "", cheque_number: str = "", value_date: date | None = None,
                   invoice_number: str = "") -> Payment:
    """Record one payment received from the customer on ``day``; ``today`` is the business date
    (a payment cannot be received after it). A cheque needs its number; a cheque whose value date
    is after today is pending (post-dated). ``invoice_number``: the invoice the payment names (it
    must be the customer's)."""
    ctx.require("collector", "recording a payment")
    customer = Customer.objects.filter(organization=ctx.org, ref=customer_ref).first()
    if customer is None:
        raise NotFound(f"no customer {customer_ref!r}")
    reference, cheque_number, invoice_number = reference.strip(), cheque_number.strip(), invoice_number.strip()
    problems = []
    if amount.amount <= 0:
        problems.append(_problem("amount", amount.amount, "not_positive"))
    if day > today:
        problems.append(_problem("date", day, "after_today"))
    if method not in METHODS:
        problems.append(_problem("method", method, "unknown_method"))
    if method == "cheque" and not cheque_number:
        problems.append(_problem("cheque_number", "", "cheque_number_needed"))
    if value_date is not None and value_date < day:
        problems.append(_problem("value_date", value_date, "value_date_before"))
    invoice = None
    if invoice_number:
        invoice = Invoice.objects.filter(organization=ctx.org, customer=customer, kind=Invoice.Kind.INVOICE,
                                         number=invoice_number).first()
        if invoice is None:
            problems.append(_problem("invoice_number", invoice_number, "not_this_customers_invoice"))
    key = f"ref:{customer.ref}:{reference}" if reference else f"manual:{uuid.uuid4()}"
    if reference and Payment.objects.filter(organization=ctx.org, import_key=key).exists():
        problems.append(_problem("reference", reference, "reference_known"))
    if problems:
        raise ValidationFailed(problems)
    pending = method == "cheque" and value_date is not None and value_date > today
    payment = Payment.objects.create(
        organization=ctx.org, customer=customer, date=day, value_date=value_date, amount_minor=amount.minor,
        currency=amount.currency, method=method, cheque_number=cheque_number if method == "cheque" else "",
        reference=reference, invoice=invoice, import_key=key, source=f"by hand: {ctx.actor}",
        status=Payment.Status.PENDING if pending else Payment.Status.CLEARED)
    recompute(ctx, [customer.id])
    audit.record(ctx, "payment.recorded", payment, customer=customer.ref, amount=str(amount), method=method,
                 date=day.isoformat(), reference=reference, invoice=invoice_number)
    return payment

"""A payment recorded by hand and a cheque marked bounced, from the customer page (issue 13:
the day without the command line). The rules are the services': a payment is stored as an
import stores it (:func:`gvia.services.ledger.payments.record_payment`), a bounce reverses the
cheque's allocations (:func:`gvia.services.ledger.books.bounce_cheque`, ``gvia cheque bounce``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from gvia.core.errors import GviaError, NotFound, ValidationFailed
from gvia.core.money import Money
from gvia.services.ledger import books
from gvia.services.ledger import payments as payments_service
from gvia.store.models import Payment

from .. import display, i18n, queries
from ..access import member_required
from ..day_forms import PaymentForm, word_problems
from ..request import GviaRequest
from .common import done, today
from .customers import _customer

CHEQUES_SHOWN = 50


def _currencies(request: GviaRequest, customer) -> list[str]:
    default = request.ctx.org.default_currency
    return [default] + [c for c in queries.open_currencies(customer) if c != default]


@require_http_methods(["GET", "POST"])
@member_required("collector")
def record_payment(request: GviaRequest, pk: int) -> HttpResponse:
    """The payment form (GET), and recording it (POST): back to the customer's payments, or the
    form again with the service's reasons next to the fields (400)."""
    customer = _customer(request, pk)
    day = today(request)
    kwargs = {"currencies": _currencies(request, customer), "invoice_numbers": queries.open_invoice_numbers(customer),
              "auto_id": "pay_%s"}
    status = 200
    if request.method == "POST":
        form = PaymentForm(request.POST, **kwargs)
        if form.is_valid():
            d = form.cleaned_data
            try:
                payment = payments_service.record_payment(
                    request.ctx, customer.ref, Money.of(d["amount"], d["currency"]), d["date"], day,
                    method=d["method"], reference=d["reference"], cheque_number=d["cheque_number"],
                    value_date=d["value_date"], invoice_number=d["invoice_number"] or "")
            except NotFound:
                raise Http404("no such customer")
            except ValidationFailed as exc:
                word_problems(form, exc)
            except GviaError as exc:
                form.add_error(None, str(exc))
            else:
                done(request, "payment.recorded",
                     amount=display.money_text(Money.from_minor(payment.amount_minor, payment.currency)),
                     name=customer.name)
                return redirect(reverse("customer_detail", args=[customer.id]) + "#payments")
        status = 400
    else:
        form = PaymentForm(initial={"date": day, "currency": request.ctx.org.default_currency, "method": "transfer"},
                           **kwargs)
    found = (Payment.objects.filter(organization=request.ctx.org, customer=customer, method=Payment.Method.CHEQUE)
               .exclude(status=Payment.Status.BOUNCED).order_by("-date", "-id")[:CHEQUES_SHOWN])
    cheques = [{"id": p.id, "date": p.date, "number": p.cheque_number, "status": p.status,
                "amount": Money.from_minor(p.amount_minor, p.currency)} for p in found]
    return render(request, "gvia/day/payment.html", {"c": customer, "form": form, "cheques": cheques}, status=status)


@require_POST
@member_required("collector")
def bounce_cheque(request: GviaRequest, pk: int, payment: int) -> HttpResponse:
    """Mark one of the customer's cheques bounced: its invoices are open again."""
    customer = _customer(request, pk)
    cheque = get_object_or_404(Payment, organization=request.ctx.org, customer=customer, pk=payment,
                               method=Payment.Method.CHEQUE)
    back = redirect(reverse("record_payment", args=[customer.id]))
    if cheque.status == Payment.Status.BOUNCED:
        messages.error(request, i18n.text("payment.bounce.already", request.access.lang, number=cheque.cheque_number))
        return back
    try:
        books.bounce_cheque(request.ctx, cheque.cheque_number, customer.ref)
    except GviaError:
        messages.error(request, i18n.text("payment.bounce.refused", request.access.lang,
                                          number=cheque.cheque_number))
        return back
    done(request, "payment.bounced", number=cheque.cheque_number, name=customer.name)
    return redirect(reverse("customer_detail", args=[customer.id]) + "#payments")

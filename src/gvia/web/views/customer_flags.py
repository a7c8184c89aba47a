"""Two facts a person records about a customer from its page (issue 17): why they have not paid
(the case's reason for non-payment, :mod:`gvia.services.engine.nonpayment`) and a credit hold
(:mod:`gvia.services.ledger.credit_hold`: talk about the debt before selling more)."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_POST

from gvia.core.errors import GviaError
from gvia.services.engine import nonpayment
from gvia.services.ledger import credit_hold

from .. import forms
from ..access import member_required
from ..request import GviaRequest
from .case_actions import _back, _invalid, _refused
from .common import done
from .customers import _customer


@require_POST
@member_required("collector")
def set_reason(request: GviaRequest, pk: int) -> HttpResponse:
    customer = _customer(request, pk)
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        return _invalid(request, customer, "reason", form)
    try:
        nonpayment.set_reason(request.ctx, customer.ref, form.cleaned_data["reason"], form.cleaned_data["note"])
    except GviaError as exc:
        return _refused(request, customer, "reason", form, exc)
    done(request, "reason.recorded")
    return _back(request, customer, "case")


@require_POST
@member_required("collector")
def credit_hold_change(request: GviaRequest, pk: int) -> HttpResponse:
    customer = _customer(request, pk)
    form = forms.CreditHoldForm(request.POST)
    if not form.is_valid():
        return _invalid(request, customer, "credit_hold", form)
    try:
        if form.cleaned_data["lift"]:
            credit_hold.lift_hold(request.ctx, customer.ref)
            done(request, "credit_hold.lifted")
        else:
            credit_hold.set_hold(request.ctx, customer.ref, form.cleaned_data["reason"])
            done(request, "credit_hold.set")
    except GviaError as exc:
        return _refused(request, customer, "credit_hold", form, exc)
    return _back(request, customer, "case")

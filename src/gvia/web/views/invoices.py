"""The invoice page: amounts, status, what covered it, its credit notes and documents."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from gvia.core import aging
from gvia.core.errors import GviaError
from gvia.services.ledger import allocation_numbers
from gvia.store.models import Invoice

from .. import queries
from ..access import member_required
from ..request import GviaRequest
from .common import done, report_error, today


@require_GET
@member_required("viewer")
def invoice_detail(request: GviaRequest, pk: int) -> HttpResponse:
    invoice = queries.invoice_of(request.ctx, pk)
    if invoice is None:
        raise Http404("no such invoice")
    day = today(request)
    flagged = _may_need_allocation(invoice, day) and any(
        f.invoice_id == invoice.id
        for f in allocation_numbers.flagged(request.ctx, day, customer_id=invoice.customer_id))
    return render(request, "gvia/invoices/detail.html", {
        "inv": invoice, "d": queries.invoice_detail(request.ctx, invoice, day), "allocation_flagged": flagged})


def _may_need_allocation(invoice: Invoice, day: date) -> bool:
    """Whether the invoice meets the plain conditions of :func:`allocation_numbers.flagged`'s query (an
    open invoice in shekels, overdue, without a number and nobody confirmed going on without one):
    only then is the customer's list read, where the rule itself decides (most invoices shown are paid)."""
    return (invoice.kind == Invoice.Kind.INVOICE and invoice.currency == "ILS" and invoice.open_minor != 0
            and invoice.allocation_number == "" and not invoice.allocation_confirmed_without
            and invoice.due_date < aging.overdue_bound(day))


@require_POST
@member_required("collector")
def invoice_allocation(request: GviaRequest, pk: int) -> HttpResponse:
    """Record the invoice's allocation number (``number``), or confirm that its case goes on
    without one (``confirm_without``): either lifts the hold it caused."""
    invoice = get_object_or_404(Invoice, organization=request.ctx.org, pk=pk)
    try:
        if request.POST.get("confirm_without"):
            allocation_numbers.confirm_without(request.ctx, invoice.number)
            done(request, "invoice.allocation_confirmed")
        else:
            allocation_numbers.set_number(request.ctx, invoice.number, request.POST.get("number", ""))
            done(request, "invoice.allocation_saved")
    except GviaError as exc:
        report_error(request, exc)
    return redirect(reverse("invoice_detail", args=[invoice.id]))

"""The invoice page: amounts, status, what covered it, its credit notes and documents."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from gvia.store.models import Invoice

from .. import queries
from ..access import member_required
from ..request import GviaRequest
from .common import today


@require_GET
@member_required("viewer")
def invoice_detail(request: GviaRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(Invoice.objects.select_related("customer"), organization=request.ctx.org, pk=pk)
    return render(request, "gvia/invoices/detail.html", {
        "inv": invoice, "d": queries.invoice_detail(request.ctx, invoice, today(request))})

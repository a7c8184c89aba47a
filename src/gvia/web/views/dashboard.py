"""The dashboard: what is overdue, per currency, and how old it is."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .. import panels, queries
from ..access import member_required
from .common import today


@member_required("viewer")
def dashboard(request: HttpRequest) -> HttpResponse:
    day = today(request)
    data = queries.dashboard(request.ctx, day)
    return render(request, "gvia/dashboard.html", {
        "day": day,
        "data": data,
        "currencies": list(data.aging.currencies),
        "panels": panels.collect(request.ctx, day),
    })

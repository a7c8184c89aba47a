"""The dashboard: what is overdue, per currency, and how old it is; then the panels (what waits
today, the last daily run, customers at risk, the trend). Its figures are kept while nothing
changes (:mod:`gvia.web.cached`): a pass over every open invoice is not made on every visit."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from .. import cached, dashboard_panels, queries
from ..access import member_required
from ..request import GviaRequest
from .common import today


@member_required("viewer")
def dashboard(request: GviaRequest) -> HttpResponse:
    day = today(request)
    ctx = request.ctx
    with cached.one_version(ctx):
        data = cached.remember(ctx, "dashboard", day, lambda: queries.dashboard(ctx, day))
        shown = dashboard_panels.collect(ctx, day)
    return render(request, "gvia/dashboard.html", {
        "day": day,
        "data": data,
        "currencies": list(data.aging.currencies),
        "panels": shown,
    })

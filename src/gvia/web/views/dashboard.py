"""The dashboard: what is overdue, per currency, and how old it is; then the panels (what waits
today, the last daily run, customers at risk, the trend). Its figures are kept while nothing
changes (:mod:`gvia.web.cached`): a pass over every open invoice is not made on every visit, nor
are its charts drawn again."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

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
        currencies = list(data.aging.currencies)
        # the aging per currency, its charts and tables, written once while the figures are the same
        aging = cached.remember_html(ctx, "dashboard_aging", day, lambda: render_to_string(
            "gvia/dashboard_aging.html", {"data": data, "currencies": currencies}))
    return render(request, "gvia/dashboard.html", {
        "day": day,
        "data": data,
        "currencies": currencies,
        "aging": aging,
        "panels": shown,
    })

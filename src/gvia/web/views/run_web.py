"""Run the daily run from the web (issue 13): an owner first sees what it will do — a dry run of
the same service (:func:`gvia.services.engine.daily_run.run` with ``dry_run=True``, ``gvia run
--dry-run``): which stages customers enter, which messages and call tasks it plans, how many wait
for approval — then runs it."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from gvia.core.errors import GviaError
from gvia.services.engine import daily_run

from .. import i18n, navigation
from ..access import member_required
from ..ladder import stage_names
from ..request import GviaRequest
from .common import done

navigation.add(navigation.NavItem("run_now", "nav.run", "run", role="owner"), before="settings_org")


def summary(report: daily_run.RunReport, names: dict) -> dict:
    """What a run's report says it does, counted for the page: the stages entered, the messages
    planned (by document and channel), those awaiting approval, the call tasks, the customers held back."""
    stages: Counter = Counter()
    planned: Counter = Counter()
    approval = calls = 0
    for d in report.decisions:
        if not d.changes_state:
            continue
        if d.kind == "enter_stage" and d.state.stage_key:
            stages[d.state.stage_key] += 1
        for x in d.actions:
            if x.channel == "call_task":
                calls += 1
                continue
            planned[(x.document, x.channel)] += 1
            approval += 1 if x.needs_approval else 0
    return {
        "customers": report.customers,
        "stages": [(names.get(k, k), n) for k, n in sorted(stages.items())],
        "planned": [(f"doc.{doc}", f"channel.{ch}", n) for (doc, ch), n in sorted(planned.items())],
        "messages": sum(planned.values()), "approval": approval, "calls": calls,
        "held_back": sum(int(h.get("customers", 0)) for h in report.held_back),
        "held": len(report.held),
    }


@require_GET
@member_required("owner")
def run_now(request: GviaRequest) -> HttpResponse:
    """What the run would do now (nothing is changed), and the button that runs it."""
    try:
        report = daily_run.run(request.ctx, dry_run=True)
    except GviaError:
        messages.error(request, i18n.text("run.failed", request.access.lang))
        return render(request, "gvia/day/run.html", {"s": None}, status=409)
    return render(request, "gvia/day/run.html",
                  {"s": summary(report, stage_names(request.ctx, request.access.lang)), "day": report.run_date})


@require_POST
@member_required("owner")
def run_do(request: GviaRequest) -> HttpResponse:
    """Run it; what it did is said on the worklist it filled."""
    try:
        report = daily_run.run(request.ctx)
    except GviaError:
        messages.error(request, i18n.text("run.failed", request.access.lang))
        return redirect(reverse("run_now"))
    s = summary(report, {})
    done(request, "run.done", customers=report.customers, messages=s["messages"], approval=s["approval"],
         calls=s["calls"])
    return redirect(reverse("worklist"))

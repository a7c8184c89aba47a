"""The worklist: the collector's day on one page (the sections are
:mod:`gvia.services.engine.worklist`'s, shown through :mod:`gvia.web.day`).

``/worklist/`` shows the first rows of every section that has something; ``?show=<section>``
one section page by page; ``?mine=1`` only the calls given to the user (and nobody's);
``?show=chase_first&group=<group>`` who to chase first in one group (at risk, a promise due
today, quick wins). The
actions on it post to the call and message URLs (:mod:`.case_actions`, :mod:`.messages`) with
htmx, which swap the card or row in place; without JavaScript they post and come back here.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import cached, navigation
from .. import day as collectors_day
from ..access import member_required
from ..ladder import kept_stage_names
from ..request import GviaRequest
from .common import today

navigation.add(navigation.NavItem("worklist", "nav.worklist", "worklist"), before="customer_list")


def _page(request: GviaRequest) -> int:
    try:
        return max(1, int(request.GET.get("page") or 1))
    except ValueError:
        return 1


@require_GET
@member_required("viewer")
def worklist(request: GviaRequest) -> HttpResponse:
    day = today(request)
    mine = request.GET.get("mine") == "1"
    mine_user = request.user if mine else None
    show = request.GET.get("show", "")
    sections = collectors_day.sections()
    context = {"day": day, "mine": mine, "sections": sections}
    with cached.one_version(request.ctx):       # the data version read once for all the page keeps
        names = kept_stage_names(request.ctx, request.access.lang, day)
        if show in sections or show in collectors_day.LENSES:
            section = collectors_day.section(request.ctx, show, day, names, _page(request), collectors_day.PAGE_ROWS,
                                             mine_user=mine_user, group=request.GET.get("group", ""))
            context.update(show=show, section=section)
            return render(request, "gvia/worklist/section.html", context)
        work = collectors_day.collectors_day(request.ctx, day, names, mine_user=mine_user)
    # the sections shown, in order: those with something
    context.update(work=work, shown=[work.sections[name] for name in sections if work.sections[name].total])
    return render(request, "gvia/worklist/day.html", context)

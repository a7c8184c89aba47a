"""Approvals a person can do fast (issue 13): ``/approvals/`` lists the messages awaiting approval
in groups of the same stage and document, each row with the customer, the amount and days
overdue, where it goes and the document
(:func:`gvia.services.engine.approval_groups.groups`). A group is approved at once
(``/approvals/group/``) once one preview of it was opened: ``/approvals/preview/<id>/`` shows what
the customer will receive — the e-mail as the dispatcher composes it (its subject, its text, its
attachments), the text message, or the letter's PDF (:mod:`gvia.web.received`, which the outbox's
message page shows too) — and records in the session that the group was previewed; the service
refuses a group not previewed (``preview_first``). With htmx the groups are swapped in place, so
the counts change without reloading the page.
"""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from gvia.core.errors import GviaError
from gvia.services.engine import approval_groups
from gvia.store.models import OutboxMessage

from .. import i18n, navigation, pdfs, words
from ..access import member_required
from ..ladder import stage_names
from ..received import as_received
from ..request import GviaRequest
from .common import today

SESSION_KEY = "gvia_previewed_groups"
REFUSED = "approvals.refused"        # the catalog's prefix of this page's refusals (approvals.refused.<code>)

navigation.add(navigation.NavItem("approvals", "nav.approvals", "approvals"), before="outbox")


def previewed(request: GviaRequest) -> set[str]:
    return set(request.session.get(SESSION_KEY, []))


def _context(request: GviaRequest, note: str = "", error: str = "") -> dict:
    names = stage_names(request.ctx, request.access.lang)
    found = approval_groups.groups(request.ctx, today(request))
    seen = previewed(request)
    return {"groups": [(g, names.get(g.stage_key, g.stage_key), g.key in seen) for g in found],
            "total": sum(len(g.rows) for g in found), "note": note, "error": error}


@require_GET
@member_required("viewer")
def approvals_page(request: GviaRequest) -> HttpResponse:
    return render(request, "gvia/approvals/page.html", _context(request))


@require_GET
@member_required("viewer")
def approval_preview(request: GviaRequest, pk: int) -> HttpResponse:
    msg = get_object_or_404(OutboxMessage.objects.select_related("customer"), organization=request.ctx.org, pk=pk)
    shown = as_received(msg, request.ctx.org, today(request))      # the e-mail, the text or the PDF
    if shown.error is not None:
        return pdfs.refused(request, shown.error, msg.customer)
    seen = previewed(request) | {approval_groups.group_key(msg.stage_key, msg.document)}
    request.session[SESSION_KEY] = sorted(seen)
    return render(request, "gvia/approvals/preview.html", {"m": msg, **shown.context()})


@require_POST
@member_required("collector")
def approve_group(request: GviaRequest) -> HttpResponse:
    lang = request.access.lang
    stage, document = request.POST.get("stage", ""), request.POST.get("document", "")
    note = error = ""
    try:
        result = approval_groups.approve_group(request.ctx, stage, document, previewed(request))
    except GviaError as exc:
        error = words.refusal_text(exc, lang, REFUSED)
    else:
        note = i18n.text("approvals.group_done", lang, n=len(result.approved), refused=len(result.refused))
    if request.htmx:
        return render(request, "gvia/approvals/_groups.html", _context(request, note, error))
    if error:
        flash.error(request, error)
    else:
        flash.success(request, note)
    return redirect("approvals")

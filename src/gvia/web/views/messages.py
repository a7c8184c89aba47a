"""The outbox: every message gvia planned, where it stands, and the decisions people make about
them — approve or reject one that waits for approval (an owner's decision when its stage asks
for approval: :func:`gvia.services.engine.approvals.stage_needs_owner`), say whether a failed or
uncertain one reached the customer (:func:`gvia.services.sending.outbox.resolve`), and see it as the
customer will (the PDF of its documents, rendered as it would go out today).

Every decision posts to its own URL. With htmx (the worklist) the answer is the message's row
in its new state, swapped in place; without it, a redirect back to the page it came from.
"""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from gvia.core import message_log
from gvia.core.errors import GviaError, NotFound
from gvia.services.engine import approvals, holds
from gvia.services.sending import outbox
from gvia.services.sending.compose import PAPER
from gvia.store.models import OutboxMessage

from .. import cached, forms, i18n, navigation, outbox_rows, pdfs, words
from .. import day as collectors_day
from ..access import forbidden, member_required
from ..ladder import kept_stage_names
from ..received import Received, as_received
from ..request import GviaRequest
from .common import done, safe_next, today

#: The service that changes a waiting message's free text, once it exists.
EDIT_FREE_TEXT = getattr(approvals, "edit_free_text", None)
PER_PAGE = 50
STATUSES = tuple(OutboxMessage.Status.values)
#: a message in these has not left yet: its page shows it as it would leave today
TO_LEAVE = frozenset({OutboxMessage.Status.AWAITING_APPROVAL, OutboxMessage.Status.QUEUED,
                      OutboxMessage.Status.HELD, OutboxMessage.Status.FAILED})

navigation.add(navigation.NavItem("outbox", "nav.outbox", "outbox"), before="import_start")


def _message(request: GviaRequest, pk: int) -> OutboxMessage:
    return get_object_or_404(OutboxMessage.objects.select_related("customer", "policy_version"),
                             organization=request.ctx.org, pk=pk)


def stage_names_for(request: GviaRequest) -> dict[str, str]:
    """The ladders' stage names in the reader's language, kept per data version."""
    return kept_stage_names(request.ctx, request.access.lang, today(request))


def message_row(request: GviaRequest, msg: OutboxMessage) -> collectors_day.MessageRow:
    return collectors_day.message_row(msg, stage_names_for(request))


def can_decide(request: GviaRequest, msg: OutboxMessage) -> bool:
    return request.access.can_change and (request.access.is_owner or not approvals.stage_needs_owner(msg))


@require_GET
@member_required("viewer")
def outbox_list(request: GviaRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    qs = OutboxMessage.objects.filter(organization=request.ctx.org)
    if status in STATUSES:
        qs = qs.filter(status=status)
    else:
        status = ""
    try:
        page = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        page = 1
    names = stage_names_for(request)
    rows = [collectors_day.message_row(m, names) for m in
            collectors_day.message_rows(qs).order_by("-id")[(page - 1) * PER_PAGE:page * PER_PAGE]]
    # counting every message on every visit is the page's dearest query (PostgreSQL): kept while
    # nothing changes; a status's count also changes by the dispatcher alone (no audit record),
    # so that one is kept only for a short while. The data version is read again here, not once
    # for the names and the count: the first page ever sets the shipped ladder up (an audit record)
    total = cached.remember(request.ctx, f"outbox_count:{status}", today(request), qs.count,
                            ttl=cached.SHORT_TTL if status else cached.TTL)
    return render(request, "gvia/outbox/list.html", {
        "rows": rows, "rows_html": outbox_rows.rows_html(rows), "status": status, "statuses": STATUSES, "page": page,
        "total": total, "pages": max(1, -(-total // PER_PAGE))})


def composes(msg: OutboxMessage) -> bool:
    """Whether showing ``msg`` as the customer will receive it means composing it now: an e-mail
    or a text that has not left (a letter on paper, or a message that has left, is its PDF)."""
    return msg.status in TO_LEAVE and msg.channel not in PAPER


def _received(request: GviaRequest, msg: OutboxMessage) -> dict:
    """The values of ``gvia/outbox/_received_panel.html``: what the customer will receive (the
    e-mail as composed, the text, or the PDF; one home with the approvals' preview) and, when it
    cannot be composed, why."""
    shown = (as_received(msg, request.ctx.org, today(request)) if msg.status in TO_LEAVE
             else Received(pdf_url=reverse("message_pdf", args=[msg.id])))
    return {**shown.context(),
            "not_composed": words.error_texts(shown.error, request.access.lang) if shown.error is not None else []}


def _detail(request: GviaRequest, msg: OutboxMessage, received: dict | None) -> HttpResponse:
    """The message page; ``received``: the panel's values, or None when it is composed apart (the
    panel then loads itself from :func:`message_received`)."""
    return render(request, "gvia/outbox/detail.html", {
        "m": msg, "row": message_row(request, msg), "can_decide": can_decide(request, msg),
        "log": [(message_log.when(e), words.said_text(message_log.said(e), request.access.lang)) for e in msg.log],
        "reject_form": forms.DecisionForm(auto_id="reject_%s"),
        "text_form": forms.FreeTextForm(initial={"free_text": msg.free_text}, auto_id="text_%s"),
        "can_edit_text": EDIT_FREE_TEXT is not None, "received_later": received is None, **(received or {})})


@require_GET
@member_required("viewer")
def message_detail(request: GviaRequest, pk: int) -> HttpResponse:
    """The message, its state and the decisions on it. A message still to be composed is shown as the
    customer will receive it by :func:`message_received`, which the page loads as soon as it is
    shown: composing it reads the customer's ledger and the law's figures, and the page's own facts
    and buttons need not wait for that."""
    msg = _message(request, pk)
    return _detail(request, msg, None if composes(msg) else _received(request, msg))


@require_GET
@member_required("viewer")
def message_received(request: GviaRequest, pk: int) -> HttpResponse:
    """What the customer will receive: the panel the message page loads (htmx); without
    JavaScript, the message page with the panel in it."""
    msg = _message(request, pk)
    received = _received(request, msg)
    if request.htmx and not request.htmx.boosted:
        return render(request, "gvia/outbox/_received_panel.html", {"m": msg, **received})
    return _detail(request, msg, received)


@require_GET
@member_required("viewer")
@xframe_options_sameorigin
def message_pdf(request: GviaRequest, pk: int) -> HttpResponse:
    """The message's documents as the customer would get them today; inline, or
    ``?download=1`` as a file."""
    msg = _message(request, pk)
    try:
        data = pdfs.message_pdf(request.ctx, msg, today(request))
    except GviaError as exc:      # nothing to write about, or the letter lacks what the law asks
        return pdfs.refused(request, exc, msg.customer)
    download = request.GET.get("download") == "1"
    response = HttpResponse(data, content_type="application/pdf")
    name = pdfs.file_name(msg.document, msg.customer.ref, str(msg.id))
    response["Content-Disposition"] = f'{"attachment" if download else "inline"}; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _answer(request: GviaRequest, msg: OutboxMessage, note_key: str = "", error: str = "") -> HttpResponse:
    """The message's row in place (htmx), or back to where the person was."""
    if request.htmx:
        msg.refresh_from_db()
        return render(request, "gvia/outbox/_row.html", {
            "row": message_row(request, msg), "m": msg, "can_decide": can_decide(request, msg),
            "note_key": note_key, "error": error, "inplace": True})
    if error:
        flash.error(request, error)
    elif note_key:
        done(request, note_key, name=msg.customer.name)
    return redirect(safe_next(request, reverse("message_detail", args=[msg.id])))


def _decide(request: GviaRequest, pk: int, decide, note_key: str) -> HttpResponse:
    msg = _message(request, pk)
    if msg.status == OutboxMessage.Status.AWAITING_APPROVAL and not can_decide(request, msg):
        return forbidden(request, "needs_owner")
    try:
        decide(msg)
    except NotFound:
        raise Http404("no such message")
    except holds.HeldForDetails as exc:       # what to fill in first, in the reader's words
        lang = request.access.lang
        missing = "; ".join(i18n.text(f"held.{c}", lang) if i18n.has(f"held.{c}") else c for c in exc.codes)
        return _answer(request, msg, error=i18n.text("message.held", lang, missing=missing))
    except GviaError as exc:                   # a coded refusal in the reader's words
        return _answer(request, msg, error=words.refusal_text(exc, request.access.lang))
    return _answer(request, msg, note_key)


@require_POST
@member_required("collector")
def message_approve(request: GviaRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, lambda m: approvals.approve(request.ctx, m.id), "message.approved")


@require_POST
@member_required("collector")
def message_reject(request: GviaRequest, pk: int) -> HttpResponse:
    form = forms.DecisionForm(request.POST)
    reason = form.cleaned_data["reason"].strip() if form.is_valid() else ""
    return _decide(request, pk, lambda m: approvals.reject(request.ctx, m.id, reason), "message.rejected")


@require_POST
@member_required("collector")
def message_free_text(request: GviaRequest, pk: int) -> HttpResponse:
    """Change the free text of a waiting message (then approve it, with ``approve=1``)."""
    if EDIT_FREE_TEXT is None:
        raise Http404("editing a message is not available")
    form = forms.FreeTextForm(request.POST)
    text = form.cleaned_data["free_text"] if form.is_valid() else ""

    def edit(m):
        EDIT_FREE_TEXT(request.ctx, m.id, text)
        if request.POST.get("approve") == "1":
            approvals.approve(request.ctx, m.id)

    key = "message.approved" if request.POST.get("approve") == "1" else "message.text_saved"
    return _decide(request, pk, edit, key)


@require_POST
@member_required("collector")
def message_resolve(request: GviaRequest, pk: int) -> HttpResponse:
    sent = request.POST.get("sent") == "1"
    return _decide(request, pk, lambda m: outbox.resolve(request.ctx, m.id, sent),
                   "message.marked_sent" if sent else "message.marked_not_sent")

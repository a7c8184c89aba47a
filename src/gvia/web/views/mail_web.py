"""Paper letters (issue 13: the day without the command line): the letters waiting to be printed,
printed as one batch PDF (:func:`gvia.services.letters.print_batch.render_due`, ``gvia letters
batch``), then each printed letter's registered-mail number and its posting and delivery days
(:func:`gvia.services.sending.outbox.record_registered`, ``gvia mail registered``): the legal
clocks run from the days recorded, and the engine reads them on its next run."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from gvia.core.errors import GviaError, NotFound, ValidationFailed
from gvia.core.policy import PAPER_CHANNELS
from gvia.services.letters import print_batch
from gvia.services.sending import outbox
from gvia.store.models import OutboxMessage

from .. import i18n, navigation
from ..access import member_required
from ..day_forms import RegisteredForm, word_problems
from ..request import GviaRequest
from .common import done, today

navigation.add(navigation.NavItem("letters_post", "nav.letters", "letters", role="viewer"), before="import_start")

SHOWN = 200
#: The words of record_registered's problems, by the field each is about.
PROBLEM_KEYS = {"number": "mail.problem.number", "posted": "mail.problem.posted_after_today",
                "delivered": "mail.problem.delivered_before_posted"}


def _context(request: GviaRequest, bound: dict | None = None) -> dict:
    """The letters to print today, and the printed registered letters whose delivery is not recorded
    yet (a plain letter has no number to record: printed, it is done)."""
    day = today(request)
    org = request.ctx.org
    paper = list(PAPER_CHANNELS)
    to_print = list(OutboxMessage.objects.filter(organization=org, channel__in=paper,
                                                 status=OutboxMessage.Status.QUEUED, planned_for__lte=day)
                    .select_related("customer").order_by("planned_for", "id")[:SHOWN])
    printed = list(OutboxMessage.objects.filter(organization=org, channel="registered_letter",
                                                status=OutboxMessage.Status.SENT, delivered_date__isnull=True)
                   .select_related("customer").order_by("sent_at", "id")[:SHOWN])
    awaiting = OutboxMessage.objects.filter(organization=org, channel__in=paper,
                                            status=OutboxMessage.Status.AWAITING_APPROVAL).count()
    bound = bound or {}
    rows = [{"m": m, "form": bound.get(m.id) or RegisteredForm(
        initial={"number": m.registered_number, "posted": m.posted_date or day, "delivered": m.delivered_date},
        auto_id=f"r{m.id}_%s")} for m in printed]
    shown = {m.id for m in printed}
    # a refused form of a message the list does not hold (not a printed letter): its reasons above the lists
    other_errors = [e for mid, f in bound.items() if mid not in shown for errs in f.errors.values() for e in errs]
    return {"day": day, "to_print": to_print, "printed": rows, "awaiting": awaiting, "other_errors": other_errors}


@require_GET
@member_required("viewer")
def letters_post(request: GviaRequest) -> HttpResponse:
    return render(request, "gvia/day/letters.html", _context(request))


@require_POST
@member_required("collector")
def letters_print(request: GviaRequest) -> HttpResponse:
    """Print the day's letters: the batch PDF as a download; what could not be printed is said on
    the letters page (the letters it holds are marked printed)."""
    day = today(request)
    lang = request.access.lang
    with tempfile.TemporaryDirectory(prefix="gvia-batch-") as folder:
        try:
            result = print_batch.render_due(request.ctx, day, Path(folder))
        except GviaError:
            messages.error(request, i18n.text("letters.print_failed", lang))
            return redirect(reverse("letters_post"))
        others = result.cancelled + result.waiting + result.failed
        if others:
            messages.warning(request, i18n.text("letters.not_printed", lang, cancelled=result.cancelled,
                                                waiting=result.waiting, failed=result.failed))
        if result.batch_path is None:
            messages.info(request, i18n.text("letters.nothing_printed", lang))
            return redirect(reverse("letters_post"))
        data = result.batch_path.read_bytes()
    done(request, "letters.printed", n=result.letters)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="print-batch-{day.isoformat()}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@member_required("collector")
def letter_registered(request: GviaRequest, pk: int) -> HttpResponse:
    """Record a printed letter's registered-mail number, its posting day and (when known) its delivery."""
    msg = OutboxMessage.objects.filter(organization=request.ctx.org, pk=pk).first()
    if msg is None:
        raise Http404("no such letter")
    form = RegisteredForm(request.POST, auto_id=f"r{msg.id}_%s")
    if form.is_valid():
        d = form.cleaned_data
        try:
            outbox.record_registered(request.ctx, msg.id, d["number"], d["posted"], d["delivered"])
        except NotFound:
            raise Http404("no such letter")
        except ValidationFailed as exc:
            word_problems(form, exc, PROBLEM_KEYS)
        except GviaError:           # not a letter, or not printed yet
            form.add_error(None, i18n.text("mail.problem.not_printed", request.access.lang))
        else:
            done(request, "mail.recorded", number=d["number"].strip(), name=msg.customer.name)
            return redirect(reverse("letters_post") + "#printed")
    return render(request, "gvia/day/letters.html", _context(request, {msg.id: form}), status=400)

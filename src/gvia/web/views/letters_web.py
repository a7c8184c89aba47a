"""A letter on demand from the customer page (issue 13): choose the document and its language,
preview it (the PDF ``gvia letter`` writes, :func:`gvia.services.letters.on_demand.letter_pdf`),
download it, or send it through the outbox under the engine's approval rules
(:func:`gvia.services.letters.on_demand.request_send`)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from gvia.core.errors import GviaError, NotFound, ValidationFailed
from gvia.services.letters import on_demand

from .. import i18n, pdfs, words
from ..access import member_required
from ..day_forms import LetterForm
from ..request import GviaRequest
from .common import done, today
from .customers import _customer


def _page(request: GviaRequest, customer, form, status: int = 200, chosen: dict | None = None) -> HttpResponse:
    query = urlencode({"document": chosen["document"], "language": chosen["language"]}) if chosen else ""
    return render(request, "gvia/day/letter.html",
                  {"c": customer, "form": form, "channels": on_demand.CHANNELS, "chosen": chosen,
                   "query": query}, status=status)


def _initial(request: GviaRequest, customer) -> dict:
    return {"document": "reminder", "language": customer.language or request.ctx.org.default_language}


@require_GET
@member_required("viewer")
def letter_page(request: GviaRequest, pk: int) -> HttpResponse:
    """The choice of document and language; once chosen (``?document=&language=``), its preview
    with the download and, for a collector, the sending form."""
    customer = _customer(request, pk)
    if "document" not in request.GET:
        return _page(request, customer, LetterForm(initial=_initial(request, customer), auto_id="letter_%s"))
    form = LetterForm(request.GET, auto_id="letter_%s")
    if not form.is_valid():
        return _page(request, customer, form, status=400)
    return _page(request, customer, form, chosen=form.cleaned_data)


@require_GET
@member_required("viewer")
def letter_pdf(request: GviaRequest, pk: int) -> HttpResponse:
    """The chosen document as a PDF: shown in the browser, or a download with ``?download=1``; a
    letter that cannot be produced: the page saying what is missing (409)."""
    customer = _customer(request, pk)
    form = LetterForm(request.GET, auto_id="letter_%s")
    if not form.is_valid():
        return _page(request, customer, form, status=400)
    d = form.cleaned_data
    day = today(request)
    try:
        data = on_demand.letter_pdf(request.ctx, customer.ref, d["document"], day, d["language"])
    except NotFound:
        raise Http404("no such customer")
    except GviaError as exc:
        return pdfs.refused(request, exc, customer)
    download = request.GET.get("download") == "1"
    response = HttpResponse(data, content_type="application/pdf")
    name = pdfs.file_name(d["document"], customer.ref, day.isoformat())
    response["Content-Disposition"] = f'{"attachment" if download else "inline"}; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@member_required("collector")
def letter_send(request: GviaRequest, pk: int) -> HttpResponse:
    """Put the letter in the outbox (e-mail, letter or registered letter): it waits for approval
    as the ladder's messages do; refused with the reason on the page (400), or, for a letter that
    cannot be produced, the page listing what it lacks (409, as its preview)."""
    customer = _customer(request, pk)
    form = LetterForm(request.POST, auto_id="letter_%s")
    channel = request.POST.get("channel", "")
    if not form.is_valid():
        return _page(request, customer, form, status=400)
    d = form.cleaned_data
    lang = request.access.lang
    try:
        msg = on_demand.request_send(request.ctx, customer.ref, d["document"], channel, d["language"])
    except NotFound:
        raise Http404("no such customer")
    except ValidationFailed as exc:       # what the letter lacks: the same page as the preview's refusal
        return pdfs.refused(request, exc, customer)
    except GviaError as exc:
        code = getattr(exc, "code", "")
        form.add_error(None, words.refusal_text(exc, lang) if code and i18n.has(f"refusal.{code}")
                       else i18n.text("letter.refused.other", lang))
        return _page(request, customer, form, status=400, chosen=d)
    done(request, "letter.waiting" if msg.status == msg.Status.AWAITING_APPROVAL else "letter.queued",
         document=i18n.Key(f"doc.{msg.document}").text(lang), name=customer.name)
    return redirect(reverse("customer_detail", args=[customer.id]) + "#timeline")

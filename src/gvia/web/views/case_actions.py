"""What a person does about a customer's case, from the customer page and the worklist: log a
call, record a promise, agree a payment plan (after its preview), offer a settlement (an owner
approves it), open or resolve a dispute, pause or resume, add a note or a reply, and the PDFs
(the statement, the case file, the plan and settlement agreements).

Each action parses its form and calls one service, which checks the rules and audits. Without
JavaScript a form posts and the page reloads (a refused form comes back with its errors next
to the fields, status 400). The worklist's call cards post with htmx and get back the card's
new state in place (:func:`log_call`).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib import messages as django_messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from gvia.core.errors import GviaError, NotFound, Refused, ValidationFailed
from gvia.services.arrangements import disputes, plans, promises, settlements
from gvia.services.engine import activities, calls, pauses
from gvia.services.letters import casefile
from gvia.services.letters import content as letters
from gvia.services.sending import outbox
from gvia.store.models import Customer

from .. import forms, i18n, pdfs, previews, queries, words
from ..access import member_required
from ..request import GviaRequest
from .common import done, requested_as_of, safe_next, today
from .customers import _customer, render_detail


def _back(request: GviaRequest, customer: Customer, anchor: str = "case") -> HttpResponse:
    return redirect(safe_next(request, reverse("customer_detail", args=[customer.id]) + f"#{anchor}"))


def _refused(request: GviaRequest, customer: Customer, name: str, form, exc: GviaError,
             anchor: str = "case") -> HttpResponse:
    """The customer page again with the action's form open and the service's reasons on it;
    for an action without a form of its own (``form`` None), the reasons as a message."""
    if isinstance(exc, NotFound):
        raise Http404(str(exc))
    if form is None:
        for line in words.error_texts(exc, request.access.lang):
            django_messages.error(request, line)
        return _back(request, customer, anchor)
    if not form.is_bound:   # the form as the page shows it (a plan's cancel button): errors need cleaned_data
        form.full_clean()
        form.cleaned_data = {}
    if isinstance(exc, ValidationFailed):
        forms.apply_problems(form, exc)
    else:
        form.add_error(None, words.refusal_text(exc, request.access.lang))
    return render_detail(request, customer, bound={name: form}, status=400)


def _invalid(request: GviaRequest, customer: Customer, name: str, form) -> HttpResponse:
    return render_detail(request, customer, bound={name: form}, status=400)


# --- calls -----------------------------------------------------------------------------------------

def call_moment(request: GviaRequest, naive):
    """A date and time typed on the page, in the organization's time zone."""
    return naive.replace(tzinfo=ZoneInfo(request.ctx.org.time_zone or "UTC")) if naive else None


@require_POST
@member_required("collector")
def log_call(request: GviaRequest, pk: int) -> HttpResponse:
    customer = _customer(request, pk)
    form = forms.CallForm(request.POST, invoice_numbers=queries.open_invoice_numbers(customer))
    result = None
    if form.is_valid():
        d = form.cleaned_data
        try:
            result = calls.log_call(request.ctx, customer.ref, d["outcome"], promise_date=d["promise_date"],
                                    amount=d["amount"].strip() or None, invoice_numbers=tuple(d["invoices"]),
                                    reason=d["reason"].strip(), at=call_moment(request, d["call_back_at"]),
                                    note=d["note"].strip(), replace_promise=d["replace_promise"],
                                    nonpayment=d["nonpayment"])
        except NotFound as exc:
            raise Http404(str(exc))
        except ValidationFailed as exc:
            forms.apply_problems(form, exc)
        except Refused as exc:
            form.add_error(None, words.refusal_text(exc, request.access.lang))
    if request.htmx:
        # the worklist's call card, in place: what happened, or the form with its errors
        return render(request, "gvia/worklist/_call_result.html", {
            "customer": customer, "form": form, "result": result, "task_id": request.POST.get("task", ""),
            "numbers": queries.open_invoice_numbers(customer)})
    if result is None:
        return render_detail(request, customer, bound={"call": form}, status=400)
    done(request, f"call.logged.{result.outcome}", name=customer.name)
    return _back(request, customer, "timeline")


# --- promises, plans, settlements --------------------------------------------------------------

@require_POST
@member_required("collector")
def record_promise(request: GviaRequest, pk: int) -> HttpResponse:
    customer = _customer(request, pk)
    form = forms.PromiseForm(request.POST, currencies=queries.open_currencies(customer))
    if not form.is_valid():
        return _invalid(request, customer, "promise", form)
    d = form.cleaned_data
    try:
        p = promises.record_promise(request.ctx, customer.ref, d["amount"].strip() or None, d["due"], "manual",
                                    currency=d["currency"] or None, note=d["note"], replace_open=d["replace_open"])
    except GviaError as exc:
        return _refused(request, customer, "promise", form, exc)
    done(request, "promise.recorded", due=p.due, until=p.pause_until)
    return _back(request, customer)


@require_POST
@member_required("collector")
def plan(request: GviaRequest, pk: int) -> HttpResponse:
    """``action=preview``: the installments the plan would have, nothing written (also in place
    with htmx); ``action=agree``: the plan is agreed."""
    customer = _customer(request, pk)
    form = forms.PlanForm(request.POST, currencies=queries.open_currencies(customer))
    if not form.is_valid():
        if request.htmx:
            return render(request, "gvia/customers/_plan_preview.html", {"form": form, "c": customer})
        return _invalid(request, customer, "plan", form)
    if request.POST.get("action") != "agree":
        preview, status = None, 200
        try:
            preview = previews.plan_preview(request.ctx, customer.ref, **form.terms())
        except NotFound as exc:
            raise Http404(str(exc))
        except ValidationFailed as exc:
            forms.apply_problems(form, exc)
            status = 400
        except Refused as exc:
            form.add_error(None, words.refusal_text(exc, request.access.lang))
            status = 400
        if request.htmx:
            return render(request, "gvia/customers/_plan_preview.html", {"form": form, "c": customer,
                                                                         "preview": preview})
        return render_detail(request, customer, bound={"plan": form}, status=status,
                             extra={"plan_preview": preview})
    try:
        created = plans.create_plan(request.ctx, customer.ref, **form.terms())
    except GviaError as exc:
        if request.htmx:
            if isinstance(exc, ValidationFailed):
                forms.apply_problems(form, exc)
            else:
                form.add_error(None, words.refusal_text(exc, request.access.lang))
            return render(request, "gvia/customers/_plan_preview.html", {"form": form, "c": customer})
        return _refused(request, customer, "plan", form, exc)
    done(request, "plan.agreed", n=len(created.installments))
    if request.htmx:              # the whole page changes (the case, the timeline): load it again
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return _back(request, customer)


@require_POST
@member_required("collector")
def plan_cancel(request: GviaRequest, pk: int, plan_id: int) -> HttpResponse:
    customer = _customer(request, pk)
    form = forms.DecisionForm(request.POST)
    form.is_valid()
    try:
        p = plans.get_plan(request.ctx, plan_id)
        if p.customer_id != customer.id:
            raise NotFound(f"no payment plan {plan_id} of {customer.ref}")
        plans.cancel_plan(request.ctx, plan_id, form.cleaned_data.get("reason", ""))
    except GviaError as exc:
        return _refused(request, customer, "plan", forms.PlanForm(currencies=queries.open_currencies(customer)), exc)
    done(request, "plan.cancelled")
    return _back(request, customer)


@require_GET
@member_required("viewer")
def agreement_pdf(request: GviaRequest, pk: int, document: str, item: int) -> HttpResponse:
    """The agreement of a payment plan or the offer of a settlement of this customer, as a PDF."""
    customer = _customer(request, pk)
    if document not in ("payment_plan", "settlement"):
        raise Http404("no such agreement")
    try:
        owner = (plans.get_plan(request.ctx, item) if document == "payment_plan"
                 else settlements.get_settlement(request.ctx, item))
        if owner.customer_id != customer.id:
            raise NotFound(f"no {document} {item} of {customer.ref}")
        pdf = letters.arrangement_pdf(request.ctx, document, item)
    except NotFound as exc:
        raise Http404(str(exc))
    except GviaError as exc:
        return pdfs.refused(request, exc, customer)
    return _pdf(pdf, pdfs.file_name(document, customer.ref, str(item)), request.GET.get("download") == "1")


@require_POST
@member_required("collector")
def offer_settlement(request: GviaRequest, pk: int) -> HttpResponse:
    customer = _customer(request, pk)
    form = forms.SettlementForm(request.POST, currencies=queries.open_currencies(customer))
    if not form.is_valid():
        return _invalid(request, customer, "settlement", form)
    d = form.cleaned_data
    try:
        settlements.offer_settlement(request.ctx, customer.ref, d["amount"].strip(), d["deadline"], d["reason"],
                                     currency=d["currency"] or None, waives_interest=d["waives_interest"])
    except GviaError as exc:
        return _refused(request, customer, "settlement", form, exc)
    done(request, "settlement.offered")
    return _back(request, customer)


@require_POST
@member_required("owner")
def decide_settlement(request: GviaRequest, pk: int, item: int, decision: str) -> HttpResponse:
    customer = _customer(request, pk)
    form = forms.DecisionForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("reason", "")
    try:
        if settlements.get_settlement(request.ctx, item).customer_id != customer.id:
            raise NotFound(f"no settlement {item} of {customer.ref}")
        if decision not in ("approve", "reject"):
            raise NotFound(f"no decision {decision!r}")
        if decision == "approve":
            settlements.approve_settlement(request.ctx, item, reason)
        else:
            settlements.reject_settlement(request.ctx, item, reason)
    except GviaError as exc:
        offer_form = forms.SettlementForm(currencies=queries.open_currencies(customer))
        return _refused(request, customer, "settlement", offer_form, exc)
    done(request, "settlement.approved" if decision == "approve" else "settlement.rejected")
    return _back(request, customer)


# --- disputes, pauses, notes -----------------------------------------------------------------------

@require_POST
@member_required("collector")
def open_dispute(request: GviaRequest, pk: int) -> HttpResponse:
    customer = _customer(request, pk)
    form = forms.DisputeForm(request.POST, invoice_numbers=queries.open_invoice_numbers(customer))
    if not form.is_valid():
        return _invalid(request, customer, "dispute", form)
    d = form.cleaned_data
    try:
        disputes.open_dispute(request.ctx, customer.ref, d["invoices"], d["reason"], d["note"])
    except GviaError as exc:
        return _refused(request, customer, "dispute", form, exc)
    done(request, "dispute.opened", invoices=", ".join(d["invoices"]))
    return _back(request, customer)


@require_POST
@member_required("collector")
def resolve_dispute(request: GviaRequest, pk: int, item: int) -> HttpResponse:
    customer = _customer(request, pk)
    form = forms.DisputeResolveForm(request.POST)
    if not form.is_valid():
        return _invalid(request, customer, "dispute_resolve", form)
    outcome = form.cleaned_data["outcome"]
    try:
        if disputes.get_dispute(request.ctx, item).customer_id != customer.id:
            raise NotFound(f"no dispute {item} of {customer.ref}")
        if outcome == "rejected":
            disputes.resolve_dispute(request.ctx, item, "rejected", note=form.cleaned_data["note"])
        else:
            disputes.resolve_dispute(request.ctx, item, "valid", outcome.removeprefix("valid_"),
                                     note=form.cleaned_data["note"])
    except GviaError as exc:
        return _refused(request, customer, "dispute_resolve", form, exc)
    done(request, "dispute.resolved")
    return _back(request, customer)


@require_POST
@member_required("collector")
def pause(request: GviaRequest, pk: int) -> HttpResponse:
    customer = _customer(request, pk)
    form = forms.PauseForm(request.POST)
    if not form.is_valid():
        return _invalid(request, customer, "pause", form)
    try:
        pauses.pause(request.ctx, customer.ref, form.cleaned_data["until"], form.cleaned_data["reason"])
    except GviaError as exc:
        return _refused(request, customer, "pause", form, exc)
    done(request, "pause.created", until=form.cleaned_data["until"])
    return _back(request, customer)


@require_POST
@member_required("collector")
def lift_pause(request: GviaRequest, pk: int, item: int) -> HttpResponse:
    customer = _customer(request, pk)
    if not any(p.id == item for p in pauses.active_pauses(request.ctx, customer.ref, today(request))):
        raise Http404("no such pause")
    try:
        pauses.lift(request.ctx, item)
    except GviaError as exc:
        return _refused(request, customer, "pause", None, exc)
    done(request, "pause.lifted")
    return _back(request, customer)


@require_POST
@member_required("collector")
def add_note(request: GviaRequest, pk: int) -> HttpResponse:
    customer = _customer(request, pk)
    form = forms.NoteForm(request.POST)
    if not form.is_valid():
        return _invalid(request, customer, "note", form)
    try:
        activities.add(request.ctx, customer.ref, form.cleaned_data["kind"], form.cleaned_data["text"])
    except GviaError as exc:
        return _refused(request, customer, "note", form, exc)
    done(request, f"note.added.{form.cleaned_data['kind']}")
    return _back(request, customer, "timeline")


@require_POST
@member_required("collector")
def send_now(request: GviaRequest, pk: int) -> HttpResponse:
    """A reminder now, outside the ladder (:func:`gvia.services.sending.outbox.send_now`)."""
    customer = _customer(request, pk)
    try:
        if request.POST.get("confirm") != "1":    # the button asks first: a bare post sends nothing
            outbox.check_send_now(request.ctx, customer.ref)      # ... and says at once why it could not
            django_messages.error(request, i18n.text("send_now.confirm_first", request.access.lang))
            return _back(request, customer, "actions")
        outbox.send_now(request.ctx, customer.ref)
    except GviaError as exc:
        return _refused(request, customer, "note", None, exc, "timeline")
    done(request, "reminder.planned")
    return _back(request, customer, "timeline")


# --- documents -------------------------------------------------------------------------------------

def _pdf(data: bytes, name: str, download: bool) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'{"attachment" if download else "inline"}; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@member_required("viewer")
def statement_pdf(request: GviaRequest, pk: int) -> HttpResponse:
    customer = _customer(request, pk)
    as_of = requested_as_of(request)
    try:
        data = pdfs.statement_pdf(request.ctx, customer, as_of)
    except GviaError as exc:
        return pdfs.refused(request, exc, customer)
    return _pdf(data, pdfs.file_name("statement", customer.ref, as_of.isoformat()), True)


@require_POST
@member_required("collector")
def build_casefile(request: GviaRequest, pk: int) -> HttpResponse:
    """The case file for a lawyer or the Execution Office (building it is audited)."""
    customer = _customer(request, pk)
    form = forms.CaseFileForm(request.POST)
    if not form.is_valid():
        return _invalid(request, customer, "casefile", form)
    as_of = form.cleaned_data["as_of"] or today(request)
    try:
        data = casefile.build(request.ctx, customer.ref, as_of, form.cleaned_data["language"] or None)
    except GviaError as exc:
        return _refused(request, customer, "casefile", form, exc)
    return _pdf(data, pdfs.file_name("casefile", customer.ref, as_of.isoformat()), True)


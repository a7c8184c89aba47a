"""The customer list, the customer page (with its collection case and the forms of its actions, which
post to :mod:`.case_actions`), the statement of account and the customer's documents."""

from __future__ import annotations

import re
from datetime import date

from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from gvia.core.cells import csv_writer
from gvia.core.errors import GviaError, NotFound, ValidationFailed
from gvia.services import files as documents
from gvia.services.arrangements.describe import records_of
from gvia.services.engine import payment_record, prediction
from gvia.services.engine import signals as early_warning
from gvia.services.ledger import allocation_numbers
from gvia.services.ledger import books as ledger_service
from gvia.services.ledger import customers as customers_service
from gvia.services.legal import suppliers_law
from gvia.services.portal import requests as portal_requests
from gvia.services.sending import texts
from gvia.store.models import Address, Customer, Invoice, Policy

from .. import forms, queries, signal_words, timeline
from ..access import member_required
from ..case_view import case_view
from ..request import GviaRequest
from .common import done, report_error, requested_as_of, today

TIMELINE_SHORT, TIMELINE_ALL = 60, 1000
#: The customer page's actions with a form of their own, in order (the call has its buttons).
ACTION_NAMES = ("promise", "plan", "settlement", "dispute", "pause", "note", "reason", "credit_hold", "casefile",
                "details")


def _customer(request: GviaRequest, pk: int) -> Customer:
    """The customer, only when it belongs to the current organization (else 404); its organization
    is the request's own (not read again)."""
    customer = queries.customer_of(request.ctx, pk)
    if customer is None:
        raise Http404("no such customer")
    return customer


@require_GET
@member_required("viewer")
def customer_list(request: GviaRequest) -> HttpResponse:
    f = queries.CustomerFilter.from_query(request.GET, request.ctx.org.default_currency)
    result = queries.customer_page(request.ctx, f, today(request))
    context = {"f": f, "result": result}
    if request.htmx and not request.htmx.boosted:
        return render(request, "gvia/customers/_results.html", context)
    context.update(currencies=queries.currencies_in_use(request.ctx), ranges=list(queries.overdue_ranges()),
                   sorts=queries.SORTS)
    return render(request, "gvia/customers/list.html", context)


@require_GET
@member_required("viewer")
def customer_detail(request: GviaRequest, pk: int) -> HttpResponse:
    return render_detail(request, _customer(request, pk))


FORM_INVOICES = 200     # the newest invoices the page lists, and a document may be attached to


def _invoices_for_form(customer: Customer):
    return Invoice.objects.filter(customer=customer, organization_id=customer.organization_id).order_by(
        "-issue_date", "-id").only("id", "number")[:FORM_INVOICES]


def action_form(name: str, customer: Customer, day: date, numbers: list[str] | None = None):
    """A fresh form of one of the customer page's actions, with sensible first values;
    ``numbers``: the customer's open invoices (read when needed and not given)."""
    if name in ("call", "dispute") and numbers is None:
        numbers = queries.open_invoice_numbers(customer)
    if name in ("promise", "plan", "settlement"):
        currencies = queries.open_currencies(customer)
    if name == "call":
        return forms.CallForm(invoice_numbers=numbers, auto_id="call_%s")
    if name == "promise":
        return forms.PromiseForm(currencies=currencies, auto_id="promise_%s")
    if name == "plan":
        return forms.PlanForm(currencies=currencies, initial={"first": day}, auto_id="plan_%s")
    if name == "settlement":
        return forms.SettlementForm(currencies=currencies, auto_id="settlement_%s")
    if name == "dispute":
        return forms.DisputeForm(invoice_numbers=numbers, auto_id="dispute_%s")
    if name == "pause":
        return forms.PauseForm(auto_id="pause_%s")
    if name == "note":
        return forms.NoteForm(auto_id="note_%s")
    if name == "reason":
        case = getattr(customer, "case", None)
        return forms.ReasonForm(initial={"reason": getattr(case, "nonpayment_reason", "") or None},
                                auto_id="reason_%s")
    if name == "credit_hold":
        return forms.CreditHoldForm(initial={"reason": customer.credit_hold_reason}, auto_id="credit_hold_%s")
    if name == "casefile":
        return forms.CaseFileForm(initial={"as_of": day}, auto_id="casefile_%s")
    if name == "details":
        return forms.CustomerDetailsForm(initial=details_initial(customer), policies=policy_names(customer),
                                         auto_id="details_%s")
    raise KeyError(name)


def details_initial(customer: Customer) -> dict:
    """The customer details form's first values: the customer's and its first address's."""
    initial = {name: getattr(customer, name) for name in customers_service.CUSTOMER_FIELDS}
    address = Address.objects.filter(customer=customer).order_by("id").first()
    initial.update({name: getattr(address, name) if address else "" for name in customers_service.ADDRESS_FIELDS})
    initial.update(do_not_chase=customer.do_not_chase, do_not_chase_reason=customer.do_not_chase_reason,
                   vat_exempt=customer.vat_exempt, large_business=customer.large_business,
                   policy=customer.policy.name if customer.policy_id and customer.policy else "")
    return initial


def policy_names(customer: Customer) -> list[str]:
    """The organization's ladders a customer may be given, by name."""
    return list(Policy.objects.filter(organization_id=customer.organization_id).order_by("name")
                .values_list("name", flat=True))


@require_POST
@member_required("collector")
def edit_details(request: GviaRequest, pk: int) -> HttpResponse:
    """Change the customer's details (:func:`gvia.services.ledger.customers.update_customer`):
    its name, kind, number, e-mail, phone, language, the agreement on file, its address, "do not
    chase" with its reason, and its ladder."""
    customer = _customer(request, pk)
    form = forms.CustomerDetailsForm(request.POST, policies=policy_names(customer), auto_id="details_%s")
    if form.is_valid():
        try:
            changed = customers_service.update_customer(request.ctx, customer.ref, dict(form.cleaned_data))
        except ValidationFailed as exc:
            forms.apply_problems(form, exc)
        except GviaError as exc:
            form.add_error(None, str(exc))
        else:
            done(request, "customer.details_saved" if changed else "settings.unchanged")
            return redirect(reverse("customer_detail", args=[customer.id]))
    return render_detail(request, customer, status=400, bound={"details": form})


def render_detail(request: GviaRequest, customer: Customer, doc_form=None, status: int = 200,
                  bound: dict | None = None, extra: dict | None = None, open_action: str = "") -> HttpResponse:
    """The customer page; ``bound``: action forms posted and refused (shown open, with errors);
    ``open_action``: an action whose form is shown open (fresh).

    The other actions' forms are not rendered with the page: each one's folded section loads its
    form when it is opened (htmx, :func:`customer_action`), or, without JavaScript, links to the
    page with that form open."""
    day = today(request)
    limit = TIMELINE_ALL if request.GET.get("timeline") == "all" else TIMELINE_SHORT
    records = records_of(customer)      # the case card's, and the invoices' (open disputes): read once
    detail = queries.customer_detail(request.ctx, customer, day, limit=FORM_INVOICES, disputes=records.disputes)
    entries = timeline.timeline(request.ctx, customer, limit + 1, _timeline_given(request, detail, limit + 1))
    # the customer's open invoices, from the page's list when it holds them all (None: it does not)
    open_invoices = queries.open_invoices_of(detail)
    numbers = queries.open_invoice_numbers(customer, detail=detail)
    history = early_warning.history_of(request.ctx, customer.id, day)   # read once: the score and the record
    shown = dict(bound or {})
    if open_action and open_action not in shown:
        shown[open_action] = action_form(open_action, customer, day, numbers)
    if doc_form is None:
        # the invoices a document may be attached to: the page's own list when it holds them all
        few = detail.invoices_total == len(detail.invoices)
        doc_form = forms.DocumentForm(invoices=detail.invoices if few else _invoices_for_form(customer))
    context = {
        "d": detail,
        "case": case_view(request.ctx, customer, day, request.access.lang, records, open_invoices),
        "entries": entries[:limit],
        "more": len(entries) > limit,
        "doc_form": doc_form,
        "actions": shown,
        "action_names": ACTION_NAMES,
        "open_numbers": numbers,
        "open_action": next(iter(shown), ""),
        "plan_preview": None,
        # both flag open invoices only: nothing to ask when the customer has none
        "allocation_flags": allocation_numbers.flagged(request.ctx, day, customer_id=customer.id) if numbers else [],
        "suppliers_law_flags": suppliers_law.flagged(request.ctx, day, customer_id=customer.id) if numbers else [],
        "risk": signal_words.customer_risk(request.ctx, customer, day, request.access.lang, history),
        "record": payment_record.of_customer(request.ctx, customer.id, day, history),
        "predicted": _predicted(request, customer, day, detail, history),
        "text_opt_out": texts.opt_out_of(customer, detail.contacts),    # no more SMS/WhatsApp to their mobile
        "portal_requests": [portal_requests.request_row(q) for q in portal_requests.pending(request.ctx, customer)],
    }
    context.update(extra or {})
    return render(request, "gvia/customers/detail.html", context, status=status)


def _predicted(request: GviaRequest, customer: Customer, day: date, detail: queries.CustomerDetail, history) -> dict:
    """The predicted payment date of each open invoice the page lists (issue 17), by invoice id. The
    organization's lateness is kept an hour per organization and day (one grouped query, 20-65 ms at
    a million invoices on a loaded machine; it moves little within a day)."""
    shown = [(i.id, i.number, i.due_date, i.open) for i in detail.invoices
             if i.kind == "invoice" and i.open.amount and i.issue_date <= day]
    if not shown:
        return {}
    ctx = request.ctx
    org = cache.get_or_set(f"gvia:web:lateness_pool:{ctx.org.id}:{day.isoformat()}",
                           lambda: prediction.organization_pool(ctx, day), 3600)
    return {p.invoice_id: p.prediction for p in prediction.of_customer(ctx, customer.id, day, history, shown, org)}


def _timeline_given(request: GviaRequest, detail: queries.CustomerDetail, n: int) -> dict:
    """The timeline's entries the page's own lists hold already (read once, shown twice): the
    documents (all of them), the newest ``n`` invoices and payments when the lists reach that far."""
    given = {"documents": timeline.document_entries(request.ctx, detail.documents)}
    if len(detail.invoice_records) >= n or detail.invoices_total == len(detail.invoice_records):
        given["invoices"] = timeline.invoice_entries(detail.invoice_records[:n])
    if len(detail.payment_records) >= n or detail.payments_total == len(detail.payment_records):
        given["payments"] = timeline.payment_entries(detail.payment_records[:n])
    return given


@require_GET
@member_required("collector")
def customer_action(request: GviaRequest, pk: int, name: str) -> HttpResponse:
    """One action's form: the fragment a folded section of the customer page loads when it is
    opened (htmx), else the whole page with that form open."""
    if name not in ACTION_NAMES:
        raise Http404("no such action")
    customer = _customer(request, pk)
    if not request.htmx:
        return render_detail(request, customer, open_action=name)
    return render(request, "gvia/customers/_action_form.html",
                  {"c": customer, "name": name, "form": action_form(name, customer, today(request)),
                   "plan_preview": None})


@require_POST
@member_required("collector")
def document_upload(request: GviaRequest, pk: int) -> HttpResponse:
    customer = _customer(request, pk)
    form = forms.DocumentForm(request.POST, request.FILES, invoices=_invoices_for_form(customer))
    if not form.is_valid():
        return render_detail(request, customer, form, status=400)
    invoice = None
    if form.cleaned_data["invoice"]:
        invoice = get_object_or_404(Invoice, organization=request.ctx.org, customer=customer,
                                    pk=form.cleaned_data["invoice"])
    upload = form.cleaned_data["file"]
    try:
        documents.upload_document(request.ctx, customer, form.cleaned_data["kind"], upload, upload.name,
                                  content_type=getattr(upload, "content_type", "") or "", invoice=invoice)
    except GviaError as exc:
        report_error(request, exc)
        return render_detail(request, customer, form, status=400)
    done(request, "customer.document_added", name=upload.name)
    return redirect(reverse("customer_detail", args=[customer.id]) + "#documents")


@require_GET
@member_required("viewer")
def document_download(request: GviaRequest, pk: int) -> FileResponse:
    try:
        doc = documents.get_document(request.ctx, pk)
        handle = documents.open_document(request.ctx, doc)
    except NotFound:
        raise Http404("no such document")
    response = FileResponse(handle, as_attachment=True, filename=doc.file_name,
                            content_type="application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@member_required("viewer")
def customer_statement(request: GviaRequest, pk: int) -> HttpResponse:
    customer = _customer(request, pk)
    as_of = requested_as_of(request)
    st, due_dates = ledger_service.statement_of(customer, as_of)
    if request.GET.get("format") == "csv":
        return _statement_csv(customer, st)
    currencies = sorted({ln.currency for ln in st.lines} | set(st.closing))
    return render(request, "gvia/customers/statement.html",
                  {"c": customer, "st": st, "currencies": currencies, "due_dates": due_dates})


def _statement_csv(customer: Customer, st) -> HttpResponse:
    """The statement as CSV (UTF-8 with BOM so Excel in Hebrew opens it right)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"statement-{customer.ref}-{st.as_of.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{re.sub(r"[^A-Za-z0-9._-]", "_", name)}"'
    response.write("\ufeff")
    w = csv_writer(response)       # a formula in a name or number is neutralised (gvia.core.cells)
    w.writerow(["date", "kind", "reference", "description", "currency", "debit", "credit", "balance", "pending"])
    for ln in st.lines:
        w.writerow([ln.date.isoformat(), ln.kind, ln.reference, ln.description, ln.currency,
                    ln.debit.amount if ln.debit else "", ln.credit.amount if ln.credit else "",
                    ln.balance.amount, "yes" if ln.pending else ""])
    return response

"""A customer's contacts from the web (issue 13: edit a customer without the command line): the
list with each contact's form, a form to add one, and removing one. The checks are the service's
(:mod:`gvia.services.ledger.contacts`)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from gvia.core.errors import NotFound, ValidationFailed
from gvia.services.ledger import contacts as contacts_service
from gvia.store.models import Contact, Customer

from ..access import member_required
from ..day_forms import ContactForm, word_problems
from ..request import GviaRequest
from .common import done
from .customers import _customer

FIELDS = (*contacts_service.TEXT_FIELDS, *contacts_service.FLAGS)


def _page(request: GviaRequest, customer: Customer, bound: dict | None = None, status: int = 200) -> HttpResponse:
    """The contacts with their forms; ``bound``: the form posted and refused, by contact id (0: the new one)."""
    bound = bound or {}
    rows = [{"contact": ct, "form": bound.get(ct.id) or ContactForm(
                initial={n: getattr(ct, n) for n in FIELDS}, auto_id=f"ct{ct.id}_%s")}
            for ct in Contact.objects.filter(customer=customer).order_by("-is_primary", "id")]
    new = bound.get(0) or ContactForm(auto_id="ctnew_%s")
    return render(request, "gvia/day/contacts.html", {"c": customer, "rows": rows, "new": new}, status=status)


def _save(request: GviaRequest, customer: Customer, contact_id: int | None) -> HttpResponse:
    form = ContactForm(request.POST, auto_id=f"ct{contact_id}_%s" if contact_id else "ctnew_%s")
    if form.is_valid():
        try:
            contacts_service.save_contact(request.ctx, customer.ref, form.cleaned_data, contact_id)
        except NotFound:
            raise Http404("no such contact")
        except ValidationFailed as exc:
            word_problems(form, exc)
        else:
            done(request, "contact.saved", name=customer.name)
            return redirect(reverse("customer_contacts", args=[customer.id]))
    return _page(request, customer, {contact_id or 0: form}, status=400)


@require_http_methods(["GET", "POST"])
@member_required("collector")
def customer_contacts(request: GviaRequest, pk: int) -> HttpResponse:
    """The contacts (GET); a new contact (POST)."""
    customer = _customer(request, pk)
    if request.method == "POST":
        return _save(request, customer, None)
    return _page(request, customer)


@require_POST
@member_required("collector")
def contact_change(request: GviaRequest, pk: int, contact: int) -> HttpResponse:
    customer = _customer(request, pk)
    if not Contact.objects.filter(customer=customer, id=contact).exists():
        raise Http404("no such contact")
    return _save(request, customer, contact)


@require_POST
@member_required("collector")
def contact_remove(request: GviaRequest, pk: int, contact: int) -> HttpResponse:
    customer = _customer(request, pk)
    try:
        contacts_service.remove_contact(request.ctx, customer.ref, contact)
    except NotFound:
        raise Http404("no such contact")
    done(request, "contact.removed", name=customer.name)
    return redirect(reverse("customer_contacts", args=[customer.id]))

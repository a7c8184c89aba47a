"""A customer's contacts, changed by a person (the web's customer page; the customers import
creates the first one): add, change, remove. Each is checked as an import checks it (one e-mail
address, a phone in E.164 form with the organization's country as the default region), at most one
is the primary contact, and every change is audited.

Refusals are coded problems (``FieldProblem.code`` such as ``contact_email``, worded by the edges'
``problem.<code>``; the English ``message`` is for logs and tests only).
"""

from __future__ import annotations

from django.db import transaction

from gvia.core.errors import FieldProblem, NotFound, NotFoundFor, ValidationFailed
from gvia.imports.values import BadValue, parse_email, parse_phone
from gvia.services import audit
from gvia.services.context import Ctx
from gvia.store.models import Contact, Customer

TEXT_FIELDS = ("name", "role", "email", "phone")
#: The English of each problem, for logs and tests (the pages word ``problem.contact_<code>``).
ENGLISH = {"email": "not one e-mail address", "phone": "not a phone number", "too_long": "too long",
           "empty": "a contact needs a name, an e-mail address or a phone"}
FLAGS = ("is_primary", "is_billing", "cc")


def _problem(field: str, value: str, code: str) -> FieldProblem:
    return FieldProblem(None, field, value, ENGLISH[code], place="contact field", code=f"contact_{code}")


def _customer(ctx: Ctx, customer_ref: str) -> Customer:
    customer = Customer.objects.select_for_update().filter(organization=ctx.org, ref=customer_ref).first()
    if customer is None:
        raise NotFound(f"no customer {customer_ref!r}")
    return customer


def _checked(ctx: Ctx, values: dict) -> dict:
    out: dict = {}
    problems: list[FieldProblem] = []
    for name in TEXT_FIELDS:
        text = " ".join(str(values.get(name) or "").split())
        if text and name == "email":
            try:
                text = parse_email(text)
            except BadValue:
                problems.append(_problem(name, text, "email"))
        elif text and name == "phone":
            try:
                text = parse_phone(text, ctx.org.country)
            except BadValue:
                problems.append(_problem(name, text, "phone"))
        limit = getattr(Contact._meta.get_field(name), "max_length", None)
        if limit and len(text) > limit:
            problems.append(_problem(name, text, "too_long"))
        out[name] = text
    if not problems and not (out["name"] or out["email"] or out["phone"]):
        problems.append(_problem("name", "", "empty"))
    if problems:
        raise ValidationFailed(problems)
    out.update({flag: bool(values.get(flag)) for flag in FLAGS})
    return out


@transaction.atomic
def save_contact(ctx: Ctx, customer_ref: str, values: dict, contact_id: int | None = None) -> Contact:
    """Add a contact (``contact_id`` None) or change one of the customer's; a contact made primary
    takes the mark from any other."""
    ctx.require("collector", "changing a customer's contacts")
    customer = _customer(ctx, customer_ref)
    checked = _checked(ctx, values)
    if contact_id is None:
        contact = Contact(customer=customer)
        before: dict = {}
    else:
        found = Contact.objects.filter(customer=customer, id=contact_id).first()
        if found is None:
            raise NotFoundFor("contact_unknown", f"no contact {contact_id} of {customer_ref!r}")
        contact = found
        before = {n: getattr(contact, n) for n in (*TEXT_FIELDS, *FLAGS)}
    for name, value in checked.items():
        setattr(contact, name, value)
    contact.save()
    if contact.is_primary:
        Contact.objects.filter(customer=customer, is_primary=True).exclude(id=contact.id).update(is_primary=False)
    changes = {n: [before.get(n, ""), v] for n, v in checked.items() if before.get(n, "" if n in TEXT_FIELDS
                                                                                     else False) != v}
    if changes:
        audit.record(ctx, "contact.added" if contact_id is None else "contact.changed", customer,
                     ref=customer.ref, contact=contact.id, changes=changes)
    return contact


@transaction.atomic
def remove_contact(ctx: Ctx, customer_ref: str, contact_id: int) -> None:
    ctx.require("collector", "changing a customer's contacts")
    customer = _customer(ctx, customer_ref)
    contact = Contact.objects.filter(customer=customer, id=contact_id).first()
    if contact is None:
        raise NotFoundFor("contact_unknown", f"no contact {contact_id} of {customer_ref!r}")
    audit.record(ctx, "contact.removed", customer, ref=customer.ref, contact=contact.id,
                 removed={n: getattr(contact, n) for n in TEXT_FIELDS})
    contact.delete()

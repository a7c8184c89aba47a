"""``/contacts``: a customer's contacts — listed (paged; filter ``customer_id``), one, added,
changed and removed through :mod:`gvia.services.ledger.contacts` (its checks: one e-mail address,
a phone in E.164 form, one primary contact; audited)."""

from __future__ import annotations

from typing import Any

from ninja import Field, Query, Router, Schema, Status

from gvia.core.errors import NotFoundFor
from gvia.services.ledger import contacts
from gvia.store.models import Contact

from ..common import MAX_ID, Id, KeyCtx, Page, ShortText, Text, ctx_of, paged
from .customers import customer_of

router = Router()


class ContactOut(Schema):
    id: int
    customer_id: int
    name: str
    role: str
    email: str
    phone: str
    is_primary: bool
    is_billing: bool
    cc: bool


class ContactPage(Schema):
    items: list[ContactOut]
    next_after: int | None


class ContactFilter(Page):
    customer_id: int | None = Field(None, ge=1, le=MAX_ID)


class ContactIn(Schema):
    name: Text = ""
    role: ShortText = ""
    email: Text = ""
    phone: ShortText = ""
    is_primary: bool = False
    is_billing: bool = False
    cc: bool = Field(False, description="Copied on messages")


class NewContact(ContactIn):
    customer_id: int = Field(ge=1, le=MAX_ID)


def contact_of(ctx: KeyCtx, contact_id: int) -> Contact:
    contact = Contact.objects.filter(customer__organization=ctx.org, id=contact_id).select_related("customer").first()
    if contact is None:
        raise NotFoundFor("contact_unknown", f"no contact {contact_id}", id=contact_id)
    return contact


def _json(c: Contact) -> dict:
    return {"id": c.id, "customer_id": c.customer_id, "name": c.name, "role": c.role, "email": c.email,
            "phone": c.phone, "is_primary": c.is_primary, "is_billing": c.is_billing, "cc": c.cc}


@router.get("/", response=ContactPage, summary="List contacts")
def list_contacts(request, filters: Query[ContactFilter]) -> Any:
    ctx = ctx_of(request)
    qs = Contact.objects.filter(customer__organization=ctx.org)
    if filters.customer_id is not None:
        qs = qs.filter(customer_id=filters.customer_id)
    return paged(qs, filters, lambda rows: [_json(c) for c in rows])


@router.get("/{int:contact_id}", response=ContactOut, summary="One contact")
def get_contact(request, contact_id: Id) -> Any:
    return _json(contact_of(ctx_of(request), contact_id))


@router.post("/", response={201: ContactOut}, summary="Add a contact to a customer (write)")
def add_contact(request, body: NewContact) -> Any:
    ctx = ctx_of(request, "write")
    customer = customer_of(ctx, body.customer_id)
    values = body.dict()
    values.pop("customer_id")
    return Status(201, _json(contacts.save_contact(ctx, customer.ref, values)))


@router.put("/{int:contact_id}", response=ContactOut, summary="Change a contact (write)")
def change_contact(request, contact_id: Id, body: ContactIn) -> Any:
    ctx = ctx_of(request, "write")
    contact = contact_of(ctx, contact_id)
    return _json(contacts.save_contact(ctx, contact.customer.ref, body.dict(), contact_id=contact.id))


@router.delete("/{int:contact_id}", response={204: None}, summary="Remove a contact (write)")
def remove_contact(request, contact_id: Id) -> Any:
    ctx = ctx_of(request, "write")
    contact = contact_of(ctx, contact_id)
    contacts.remove_contact(ctx, contact.customer.ref, contact.id)
    return Status(204, None)

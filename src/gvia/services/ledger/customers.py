"""Customers: the list with open and overdue amounts; a customer's details changed by a person."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.db.models import BigIntegerField, Case, F, Min, Sum, When

from gvia import locale
from gvia.core import aging
from gvia.core.customer_kinds import CUSTOMER_KINDS
from gvia.core.errors import FieldProblem, NotFoundFor, RefusedFor, ValidationFailed
from gvia.core.money import Money
from gvia.imports.values import BadValue, parse_email, parse_phone, parse_tax_id
from gvia.services import audit
from gvia.services.context import Ctx
from gvia.services.engine import policies
from gvia.store.models import Address, Customer, Invoice


def balances(ctx: Ctx, as_of: date, customer_ids: list[int] | None = None, ordered: bool = False):
    """Per customer and currency, in one grouped query: ``open`` and ``overdue`` (minor units) and
    the ``oldest`` overdue due date on ``as_of`` (the customer list, the REST API's customers);
    ``ordered``: by customer, then currency."""
    qs = Invoice.objects.filter(organization=ctx.org, kind=Invoice.Kind.INVOICE).exclude(open_minor=0)
    if customer_ids is not None:
        qs = qs.filter(customer_id__in=customer_ids)
    bound = aging.overdue_bound(as_of)
    return (qs.values("customer_id", "currency")
            .annotate(open=Sum("open_minor"),
                      overdue=Sum(Case(When(due_date__lt=bound, then=F("open_minor")), default=0,
                                       output_field=BigIntegerField())),
                      oldest=Min(Case(When(due_date__lt=bound, then=F("due_date")), default=None)))
            .order_by(*(("customer_id", "currency") if ordered else ())))


def list_customers(ctx: Ctx, as_of: date, overdue_only: bool = False, limit: int | None = None) -> list[dict]:
    """One entry per customer: open and overdue per currency (decimal strings), oldest days overdue."""
    rows = balances(ctx, as_of)
    per: dict[int, dict] = defaultdict(lambda: {"open": {}, "overdue": {}, "oldest": None})
    for r in rows:
        e = per[r["customer_id"]]
        e["open"][r["currency"]] = str(Money.from_minor(r["open"], r["currency"]).amount)
        if r["overdue"]:
            e["overdue"][r["currency"]] = str(Money.from_minor(r["overdue"], r["currency"]).amount)
        if r["oldest"] is not None:
            oldest = r["oldest"] if isinstance(r["oldest"], date) else date.fromisoformat(str(r["oldest"]))
            e["oldest"] = min(e["oldest"], oldest) if e["oldest"] else oldest
    qs = Customer.objects.filter(organization=ctx.org).order_by("ref").values(
        "id", "ref", "name", "do_not_chase", "credit_hold", "credit_hold_reason", "credit_hold_since")
    if overdue_only:
        ids = [cid for cid, e in per.items() if e["overdue"]]
        qs = qs.filter(id__in=ids) if len(ids) < 900 else qs
    out = []
    for c in qs.iterator(chunk_size=5000):
        e = per.get(c["id"], {"open": {}, "overdue": {}, "oldest": None})
        if overdue_only and not e["overdue"]:
            continue
        out.append({"ref": c["ref"], "name": c["name"], "open": e["open"], "overdue": e["overdue"],
                    "oldest_days_overdue": (as_of - e["oldest"]).days if e["oldest"] else None,
                    "do_not_chase": c["do_not_chase"],
                    "credit_hold": ({"reason": c["credit_hold_reason"], "since": c["credit_hold_since"].isoformat()
                                     if c["credit_hold_since"] else None} if c["credit_hold"] else None)})
        if limit and len(out) >= limit:
            break
    return out


# --- a customer's details --------------------------------------------------------------------

#: What a person may change on the customer page: the customer's own fields, and its first
#: address (the one letters print).
CUSTOMER_FIELDS = ("name", "kind", "tax_id", "email", "phone", "language", "claim_basis")
ADDRESS_FIELDS = ("line1", "line2", "city", "postal_code")
#: How the customer is chased: "do not chase" and its reason, and the ladder assigned to them
#: (a policy's name; "" for the organization's default, :func:`gvia.services.engine.policies.assign`).
CHASE_FIELDS = ("do_not_chase", "do_not_chase_reason", "policy")
#: Israel: an exempt dealer (עוסק פטור) deducts no VAT, so needs no allocation number (gvia.core.allocation)
TAX_FIELDS = ("vat_exempt",)
#: Israel's suppliers' payment law: a large buyer's later agreed payment day yields to the law's
#: (gvia.core.suppliers_law)
LAW_FIELDS = ("large_business",)


def _checked_customer(ctx: Ctx, values: dict) -> dict:
    """The values as the customer keeps them (the import's own checks: an Israeli number's
    check digit, one e-mail address, a phone in E.164 form); every problem raised together."""
    out: dict = {}
    problems: list[FieldProblem] = []
    readers = {"tax_id": lambda t: parse_tax_id(t, ctx.org.country), "email": parse_email,
               "phone": lambda t: parse_phone(t, ctx.org.country)}
    for name, value in values.items():
        text = " ".join(str(value or "").split()) if name != "claim_basis" else str(value or "").strip()
        if name == "name" and not text:
            problems.append(FieldProblem(None, name, "", "needs a name", place="customer field",
                                         code="customer_needs_name"))
            continue
        if name == "kind" and text not in CUSTOMER_KINDS:
            problems.append(FieldProblem(None, name, text, "not a kind", place="customer field", code="one_of",
                                         params={"choices": tuple(CUSTOMER_KINDS)}))
            continue
        if name == "language" and text not in locale.languages("documents"):
            problems.append(FieldProblem(None, name, text, "not a language", place="customer field", code="one_of",
                                         params={"choices": tuple(locale.languages("documents"))}))
            continue
        if text and name in readers:
            try:
                text = readers[name](text)
            except BadValue as exc:
                problems.append(FieldProblem(None, name, text, str(exc), place="customer field", code=exc.code,
                                             params=exc.params))
                continue
        limit = getattr(Customer._meta.get_field(name) if name in CUSTOMER_FIELDS
                        else Address._meta.get_field(name), "max_length", None)
        if limit and len(text) > limit:
            problems.append(FieldProblem(None, name, text, f"at most {limit} characters", place="customer field",
                                         code="setting_too_long", params={"most": limit}))
            continue
        out[name] = text
    if problems:
        raise ValidationFailed(problems)
    return out


def _update_address(ctx: Ctx, customer: Customer, given: dict) -> dict[str, list[str]]:
    """The customer's first address with ``given`` lines: created when there is none, removed
    when every line is emptied; the first line is needed otherwise."""
    address = Address.objects.filter(customer=customer).order_by("id").first()
    merged = {n: given.get(n, getattr(address, n) if address else "") for n in ADDRESS_FIELDS}
    if not any(merged.values()):
        if address is not None:
            address.delete()
            return {n: [getattr(address, n), ""] for n in ADDRESS_FIELDS if getattr(address, n)}
        return {}
    if not merged["line1"]:
        raise ValidationFailed([FieldProblem(None, "line1", "", "needs its first line", place="customer field",
                                             code="address_needs_line1")])
    if address is None:
        address = Address(customer=customer, country=ctx.org.country)
    moved = {n: [getattr(address, n), v] for n, v in merged.items() if getattr(address, n) != v}
    if moved:
        for n, v in merged.items():
            setattr(address, n, v)
        address.save()
    return moved


@transaction.atomic
def update_customer(ctx: Ctx, customer_ref: str, values: dict) -> list[str]:
    """Change a customer's details (:data:`CUSTOMER_FIELDS`) and its first address
    (:data:`ADDRESS_FIELDS`; created when there is none, with a first line). Collector or
    owner; what changes is checked as an import checks it; audited. Returns the names of the
    fields that changed."""
    ctx.require("collector", "changing a customer's details")
    unknown = sorted(set(values) - set(CUSTOMER_FIELDS) - set(ADDRESS_FIELDS) - set(CHASE_FIELDS) - set(TAX_FIELDS)
                    - set(LAW_FIELDS))
    if unknown:
        raise RefusedFor("fields_not_changed_here", f"customer fields not changed: {', '.join(unknown)}",
                         fields=tuple(unknown))
    customer = Customer.objects.select_for_update().filter(organization=ctx.org, ref=customer_ref).first()
    if customer is None:
        raise NotFoundFor("no_customer", f"no customer {customer_ref!r}", ref=customer_ref)
    # only what changes is checked: a number stored before its check existed does not block the rest
    values = {n: v for n, v in values.items() if n not in CUSTOMER_FIELDS or (v or "") != getattr(customer, n)}
    chase = {n: values.pop(n) for n in CHASE_FIELDS if n in values}
    flags = {n: values.pop(n) for n in (*TAX_FIELDS, *LAW_FIELDS) if n in values}
    values = _checked_customer(ctx, values)
    changed: dict[str, list] = {}
    for name, flag in flags.items():
        if flag is not None and bool(flag) != getattr(customer, name):
            changed[name] = [getattr(customer, name), bool(flag)]
            setattr(customer, name, bool(flag))
    for name in CUSTOMER_FIELDS:
        if name in values and getattr(customer, name) != values[name]:
            changed[name] = [getattr(customer, name), values[name]]
            setattr(customer, name, values[name])
    if changed:
        customer.save(update_fields=[*changed, "updated_at"])
    given = {n: values[n] for n in ADDRESS_FIELDS if n in values}
    if given:
        changed.update(_update_address(ctx, customer, given))
    changed.update(_update_chase(ctx, customer, chase))
    if changed:
        audit.record(ctx, "customer.updated", customer, ref=customer.ref, changes=changed)
    return list(changed)


def _update_chase(ctx: Ctx, customer: Customer, chase: dict) -> dict[str, list]:
    """\"Do not chase\" (with its reason: kept only while on) and the assigned ladder
    (:func:`gvia.services.engine.policies.assign`), as changed."""
    changed: dict[str, list] = {}
    hold = bool(chase.get("do_not_chase", customer.do_not_chase))
    reason = " ".join(str(chase.get("do_not_chase_reason", customer.do_not_chase_reason) or "").split())
    reason = reason[:Customer._meta.get_field("do_not_chase_reason").max_length or 300] if hold else ""
    for name, value in (("do_not_chase", hold), ("do_not_chase_reason", reason)):
        if getattr(customer, name) != value:
            changed[name] = [getattr(customer, name), value]
            setattr(customer, name, value)
    if changed:
        customer.save(update_fields=[*changed, "updated_at"])
    if "policy" in chase:
        before = customer.policy.name if customer.policy_id and customer.policy else ""
        wanted = str(chase["policy"] or "")
        if wanted != before:
            policies.assign(ctx, customer.ref, wanted or None)
            changed["policy"] = [before, wanted]
    return changed

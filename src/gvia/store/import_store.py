"""The database side of imports: compare file rows with what is stored, then bulk-write.

``plan_*`` read the current state in a few bulk queries and work out what a file changes (new,
updated, unchanged, closed) and any cross-row problems (a number twice, a credit note for an
unknown invoice, an invoice that moved customer). ``apply_plan`` writes it through
:mod:`gvia.store.bulk` (``executemany`` on SQLite, COPY on PostgreSQL); a large first import
rebuilds the invoice table's secondary indexes once after the insert instead of updating them
row by row, and dates and timestamps go to the database as ISO text (no adapter call per value).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from operator import itemgetter
from typing import Callable, Iterable, Iterator

from django.db import connection
from django.db.models import Max

from gvia.core import customer_kinds
from gvia.core.errors import FieldProblem, ValidationFailed
from gvia.core.money import Money

from . import bulk
from .ledger_store import chunks, customers_with_activity
from .models import Address, Contact, Customer, Invoice, Organization, Payment

BATCH = 20000


def _fmt(minor: int, cur: str) -> str:
    return str(Money.from_minor(minor, cur).amount)


@dataclass
class NewCustomer:
    ref: str
    name: str
    tax_id: str = ""
    email: str = ""
    phone: str = ""
    language: str = ""
    kind: str = ""              # "": the file does not say (a new customer is then a business)
    contact_name: str = ""
    address: str = ""
    claim_basis: str = ""
    vat_exempt: bool | None = None   # an exempt dealer (עוסק פטור); None: the file does not say
    large_business: bool | None = None  # a large buyer (the suppliers' payment law); None: not said


@dataclass
class Plan:
    kind: str
    source: str
    problems: list[FieldProblem] = field(default_factory=list)
    new_customers: dict[str, NewCustomer] = field(default_factory=dict)
    customer_updates: list[tuple[int, dict]] = field(default_factory=list)
    address_updates: list[tuple[int, str]] = field(default_factory=list)     # (customer id, the one line)
    contact_updates: list[tuple[int, dict]] = field(default_factory=list)    # (customer id, contact fields)
    inserts: list = field(default_factory=list)   # invoices: the InvoiceRows; payments: (key, row, status, invoice id)
    updates: list[tuple[int, dict]] = field(default_factory=list)
    closes: list[tuple[int, int, int]] = field(default_factory=list)  # (invoice id, customer id, new settled)
    digests: list[tuple[int, int]] = field(default_factory=list)  # (row digest, invoice id): unchanged, checked
    row_digests: dict[int, int] = field(default_factory=dict)  # row number -> its digest (the rows inserted)
    unchanged: int = 0
    changes: list[str] = field(default_factory=list)
    closed_numbers: list[str] = field(default_factory=list)
    touched_customers: set[int] = field(default_factory=set)
    inserted: int = 0   # rows written as they were read (write_first_invoices), not kept in ``inserts``
    customer_ids: dict[str, int] = field(default_factory=dict)
    rows: int = 0

    def fill_report(self, report) -> None:
        report.created = (len(self.inserts) + self.inserted
                          + (len(self.new_customers) if self.kind == "customers" else 0))
        report.updated = len(self.updates) + (len(self.customer_updates) if self.kind == "customers" else 0)
        report.unchanged = self.unchanged
        report.closed = len(self.closes)
        report.customers_created = len(self.new_customers)
        report.changes = self.changes
        report.closed_numbers = self.closed_numbers


def _val(v) -> str:
    return "" if v is None else str(v)


def _customer_from_row(r) -> NewCustomer:
    """The customer a row describes (a CustomerRow, or the .customer of an invoice/payment row)."""
    c = getattr(r, "customer", r)
    return NewCustomer(
        ref=c.ref, name=_val(c.name) or c.ref, tax_id=_val(c.tax_id), email=_val(c.email), phone=_val(c.phone),
        language=_val(c.language), kind=_val(c.type), contact_name=_val(c.contact_name),
        address=_val(c.address), claim_basis=_val(c.claim_basis), vat_exempt=getattr(c, "vat_exempt", None),
        large_business=getattr(c, "large_business", None))


def _existing_customers(org: Organization) -> dict[str, int]:
    return dict(Customer.objects.filter(organization=org).values_list("ref", "id").iterator(chunk_size=20000))


# --- customers -------------------------------------------------------------------------------

_CUSTOMER_COLUMNS = ("name", "tax_id", "email", "phone", "language", "kind", "claim_basis")


def plan_customers(org: Organization, rows: list, source: str) -> Plan:
    """New customers, and every field a row carries changed on existing ones: the customer's own
    fields, its address (the first one: the file's one address line replaces its lines) and its
    primary contact (name; e-mail and phone where the contact carried the customer's old ones,
    since messages go to the contacts first). An empty cell changes nothing."""
    plan = Plan("customers", source, rows=len(rows))
    existing = {c.ref: c for c in Customer.objects.filter(organization=org).only(
        "id", "ref", "vat_exempt", "large_business", *_CUSTOMER_COLUMNS)}
    addresses: dict[int, Address] = {}
    for a in Address.objects.filter(customer__organization=org).order_by("-id"):
        addresses[a.customer_id] = a          # the first (lowest id) wins
    contacts: dict[int, Contact] = {}
    for ct in Contact.objects.filter(customer__organization=org, is_primary=True).order_by("-id"):
        contacts[ct.customer_id] = ct
    seen: dict[str, int] = {}
    for r in rows:
        if r.ref in seen:
            plan.problems.append(FieldProblem(r.row, "customer_ref", r.ref,
                                              f"customer reference appears twice (rows {seen[r.ref]} and {r.row})",
                                              source, code="import_customer_twice", params={"first": seen[r.ref]}))
            continue
        seen[r.ref] = r.row
        nc = _customer_from_row(r)
        cur = existing.get(r.ref)
        if cur is None:
            plan.new_customers[r.ref] = nc
            continue
        described: list[str] = []
        diff = {}
        for fname in _CUSTOMER_COLUMNS:
            new = getattr(nc, fname)
            if new and new != getattr(cur, fname):
                diff[fname] = new
                described.append(f"{fname} {getattr(cur, fname)!r} → {new!r}")
        if nc.vat_exempt is not None and nc.vat_exempt != cur.vat_exempt:
            diff["vat_exempt"] = nc.vat_exempt
            described.append(f"vat_exempt {cur.vat_exempt!r} → {nc.vat_exempt!r}")
        if nc.large_business is not None and nc.large_business != cur.large_business:
            diff["large_business"] = nc.large_business
            described.append(f"large_business {cur.large_business!r} → {nc.large_business!r}")
        address = addresses.get(cur.id)
        if nc.address and (address is None or nc.address[:200] not in (address.line1, str(address))):
            plan.address_updates.append((cur.id, nc.address[:200]))
            described.append(f"address {str(address) if address else ''!r} → {nc.address!r}")
        contact = _contact_change(cur, contacts.get(cur.id), nc, diff)
        if contact is not None:
            plan.contact_updates.append((cur.id, contact))
            if "name" in contact and contacts.get(cur.id) is not None:
                described.append(f"contact {contacts[cur.id].name!r} → {contact['name']!r}")
        if diff or described:
            plan.customer_updates.append((cur.id, diff))
            plan.changes.append(f"customer {cur.ref}: " + ", ".join(described))
        else:
            plan.unchanged += 1
    return plan


def _contact_change(cur: Customer, contact: Contact | None, nc: NewCustomer, diff: dict) -> dict | None:
    """What the primary contact takes from the row: its name; the e-mail and phone where they
    were the customer's (or empty). None when nothing changes."""
    if contact is None:
        if not (nc.contact_name or diff.get("email") or diff.get("phone")):
            return None
        return {"name": (nc.contact_name or nc.name or cur.name)[:200], "email": diff.get("email", cur.email),
                "phone": diff.get("phone", cur.phone)}
    change: dict = {}
    if nc.contact_name and nc.contact_name[:200] != contact.name:
        change["name"] = nc.contact_name[:200]
    for fname in ("email", "phone"):
        if fname in diff and getattr(contact, fname) in ("", getattr(cur, fname)):
            change[fname] = diff[fname]
    return change or None


# --- invoices --------------------------------------------------------------------------------

_INV_FIELDS = ("customer_id", "issue_date", "due_date", "amount_minor", "currency", "settled_outside_minor",
               "po_number", "description")


_ROW, _CUSTOMER, _NUMBER, _KIND = (itemgetter(i) for i in range(4))   # InvoiceRow's first fields


def _twice(kind: str, number: str, first: int, second: int, source: str) -> FieldProblem:
    return FieldProblem(
        second, "invoice_number", number,
        f"{'credit note' if kind == 'credit_note' else 'invoice'} number appears twice in the file "
        f"(rows {first} and {second})", source,
        code="import_credit_note_twice" if kind == "credit_note" else "import_invoice_twice",
        params={"first": first})


def _check_numbers(rows: list, seen: dict[str, dict[str, int]], problems: list, source: str) -> None:
    """A number twice in the file (per kind); ``seen`` keeps each number's first row."""
    if set(map(_KIND, rows)) == {"invoice"}:   # the usual batch: one look at all its numbers
        first = dict(zip(map(_NUMBER, rows), map(_ROW, rows)))
        invoices = seen["invoice"]
        if len(first) == len(rows) and invoices.keys().isdisjoint(first):
            invoices.update(first)
            return
    for r in rows:
        first_row = seen[r.kind].setdefault(r.invoice_number, r.row)
        if first_row != r.row:
            problems.append(_twice(r.kind, r.invoice_number, first_row, r.row, source))


def _check_credit_notes(rows: list, file_invoices, existing, problems: list, source: str) -> None:
    """A credit note for an invoice neither in the file nor in gvia."""
    for r in rows:
        if r.kind == "credit_note" and r.applies_to:
            if r.applies_to not in file_invoices and ("invoice", r.applies_to) not in existing:
                problems.append(FieldProblem(r.row, "applies_to", r.applies_to,
                                             "credit note for an unknown invoice", source,
                                             code="import_credit_note_unknown_invoice"))


def stored_digests(org: Organization) -> dict[int, int]:
    """The digest of the row each invoice was last imported from -> the invoice's id (see
    :mod:`gvia.imports.digests`): what a re-import can skip."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT source_digest, id FROM {Invoice._meta.db_table} "
                    "WHERE organization_id = %s AND source_digest IS NOT NULL", [org.id])
        return dict(cur.fetchall())


# Up to this many rows to compare, the stored invoices are read by the numbers the rows name;
# beyond it, all of them at once.
_LOOKUP_BY_NUMBER_UP_TO = 50_000
_STORED = ("kind", "number", "id", "customer_id", "issue_date", "due_date", "amount_minor", "currency",
           "settled_outside_minor", "po_number", "description", "allocation_number", "amount_before_vat_minor",
           "source_digest")


def _stored_invoices(org: Organization, rows: list, unchanged: dict[int, int]) -> dict[tuple[str, str], tuple]:
    """(kind, number) -> the stored fields the rows are compared with: of every invoice, or,
    when most of the file was skipped as unchanged, of those the rows name (their numbers and
    the invoices their credit notes apply to)."""
    q = Invoice.objects.filter(organization=org).values_list(*_STORED)
    if not unchanged or len(rows) > _LOOKUP_BY_NUMBER_UP_TO:
        return {(kind, number): tuple(rest) for kind, number, *rest in q.iterator(chunk_size=20000)}
    numbers = sorted(set(map(_NUMBER, rows)) | {r.applies_to for r in rows if r.applies_to})
    found: dict[tuple[str, str], tuple] = {}
    for part in chunks(numbers):
        for kind, number, *rest in q.filter(kind__in=("invoice", "credit_note"), number__in=list(part)):
            found[(kind, number)] = tuple(rest)
    return found


def plan_invoices(org: Organization, rows: list, source: str, full: bool = False, *,
                  digests: list | None = None, unchanged: dict[int, int] | None = None) -> Plan:
    """What the file's ``rows`` change. ``digests``: each row's digest (imports/digests.py), kept
    with the invoice it is written to or checked against; ``unchanged``: invoice id -> row number
    of the file's rows skipped as unchanged (imports/batches.read_changed), which the rows are
    checked against too (a number twice) and which ``full`` does not close."""
    unchanged = unchanged or {}
    plan = Plan("invoices", source, rows=len(rows) + len(unchanged))
    customers = _existing_customers(org)
    plan.customer_ids = customers
    existing = _stored_invoices(org, rows, unchanged)
    # first row of each number, per kind (the invoices' dict is also the file's invoice numbers)
    seen: dict[str, dict[str, int]] = {"invoice": {}, "credit_note": {}}
    _check_numbers(rows, seen, plan.problems, source)
    file_invoice_numbers = seen["invoice"]
    _check_credit_notes(rows, file_invoice_numbers, existing, plan.problems, source)
    if unchanged:
        _check_skipped_twice(rows, existing, unchanged, plan.problems, source)
    if plan.problems:
        return plan
    new_customers = plan.new_customers
    row_digest = plan.row_digests = dict(zip(map(_ROW, rows), digests)) if digests else {}
    plan.unchanged = len(unchanged)
    for r in rows:
        ref = r.customer.ref
        cid = customers.get(ref)
        if cid is None and ref not in new_customers:
            new_customers[ref] = _customer_from_row(r)
        old = existing.get((r.kind, r.invoice_number)) if existing else None
        if old is None:
            plan.inserts.append(r)
            continue
        amount = r.amount_minor
        settled = 0 if r.open_minor is None else amount - r.open_minor
        (iid, old_cid, issue, due, old_amount, cur, old_settled, po, desc, alloc, before, old_digest) = old
        if cid is not None and old_cid != cid:
            plan.problems.append(FieldProblem(r.row, "customer_ref", r.customer_ref,
                                              f"invoice {r.invoice_number} belongs to another customer in gvia",
                                              source, code="import_invoice_of_another_customer",
                                              params={"number": r.invoice_number}))
            continue
        if r.open_minor is None:
            settled = old_settled
        new = {"issue_date": r.issue_date, "due_date": r.due_date, "amount_minor": amount,
               "currency": r.currency, "settled_outside_minor": settled,
               "po_number": _val(r.po_number), "description": _val(r.description)}
        oldv = {"issue_date": _d(issue), "due_date": _d(due), "amount_minor": old_amount, "currency": cur,
                "settled_outside_minor": old_settled, "po_number": po, "description": desc,
                "allocation_number": alloc, "amount_before_vat_minor": before}
        # a file without the allocation number (or the amount before VAT) keeps the stored one
        if r.allocation_number is not None:
            new["allocation_number"] = r.allocation_number
        if r.before_vat_minor is not None:
            new["amount_before_vat_minor"] = r.before_vat_minor
        diff = {k: v for k, v in new.items() if v != oldv[k]}
        digest = row_digest.get(r.row)
        if diff:
            plan.updates.append((iid, dict(diff, source_digest=digest)))
            plan.touched_customers.add(old_cid)
            plan.changes.append(f"invoice {r.invoice_number}: " + ", ".join(
                _describe(k, oldv[k], v, new["currency"]) for k, v in diff.items()))
        else:
            plan.unchanged += 1
            if digest is not None and digest != old_digest:
                plan.digests.append((digest, iid))
    if full:
        _plan_closes(org, plan, file_invoice_numbers, unchanged)
    return plan


def _check_skipped_twice(rows: list, existing: dict, unchanged: dict[int, int], problems: list,
                         source: str) -> None:
    """A row with the number of a row skipped as unchanged: the number is twice in the file."""
    for r in rows:
        old = existing.get((r.kind, r.invoice_number))
        first_row = unchanged.get(old[0]) if old else None
        if first_row is not None:
            first, second = sorted((first_row, r.row))
            problems.append(_twice(r.kind, r.invoice_number, first, second, source))


def _plan_closes(org: Organization, plan: Plan, file_numbers: dict[str, int], unchanged: dict[int, int]) -> None:
    """``--full``: every open invoice the file no longer has is settled outside gvia."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT id, customer_id, number, settled_outside_minor, open_minor "
                    f"FROM {Invoice._meta.db_table} WHERE organization_id = %s AND kind = 'invoice' "
                    "AND open_minor <> 0", [org.id])
        for iid, cid, number, settled, open_minor in cur.fetchall():
            if iid not in unchanged and number not in file_numbers:
                plan.closes.append((iid, cid, settled + open_minor))
                plan.closed_numbers.append(number)
                plan.touched_customers.add(cid)
    plan.closed_numbers.sort()


def _describe(k: str, old, new, cur: str) -> str:
    label = {"settled_outside_minor": "settled outside gvia", "amount_minor": "amount",
             "amount_before_vat_minor": "amount before VAT"}.get(k, k.replace("_", " "))
    if k.endswith("_minor"):
        return f"{label} {_fmt(old, cur)} → {_fmt(new, cur)}"
    return f"{label} {old} → {new}"


def _d(v) -> date:
    return v if isinstance(v, date) else date.fromisoformat(str(v))


# --- payments --------------------------------------------------------------------------------

def payment_key(r, position: int) -> str:
    """Identity of a payment row across re-imports: its reference, else customer+date+amount+position."""
    if r.reference:
        return f"ref:{r.customer_ref}:{r.reference}"
    return f"row:{r.customer_ref}:{r.date.isoformat()}:{r.amount.currency}:{r.amount.minor}:{position}"


def plan_payments(org: Organization, rows: list, source: str, today: date, create_customers: bool = False) -> Plan:
    """The payments a file adds or changes. A payment from a customer gvia does not know is a
    problem of its row (a typo in the reference would otherwise make a phantom customer while the
    real one keeps being chased), unless ``create_customers`` says to create them."""
    plan = Plan("payments", source, rows=len(rows))
    customers = _existing_customers(org)
    plan.customer_ids = customers
    numbers = {r.invoice_number for r in rows if r.invoice_number}
    invoice_ids: dict[str, tuple[int, int]] = {}
    nums = sorted(numbers)
    for i in range(0, len(nums), 500):
        for number, iid, cid in Invoice.objects.filter(organization=org, kind="invoice", number__in=nums[i:i + 500]
                                                       ).values_list("number", "id", "customer_id"):
            invoice_ids[number] = (iid, cid)
    existing = {k: (pid, cid, amount, wh, cur, st, d, vd) for k, pid, cid, amount, wh, cur, st, d, vd in
                Payment.objects.filter(organization=org).values_list(
                    "import_key", "id", "customer_id", "amount_minor", "withholding_minor", "currency", "status",
                    "date", "value_date").iterator(chunk_size=20000)}
    positions: Counter = Counter()
    seen: dict[str, int] = {}
    for r in rows:
        if r.invoice_number and r.invoice_number not in invoice_ids:
            plan.problems.append(FieldProblem(r.row, "invoice_number", r.invoice_number,
                                              "payment names an invoice gvia does not know", source,
                                              code="import_payment_unknown_invoice"))
            continue
        if r.invoice_number:
            iid, inv_cid = invoice_ids[r.invoice_number]
            named_cid = customers.get(r.customer_ref)
            if named_cid is not None and named_cid != inv_cid:
                plan.problems.append(FieldProblem(r.row, "invoice_number", r.invoice_number,
                                                  f"invoice belongs to another customer, not {r.customer_ref}", source,
                                                  code="import_payment_invoice_of_another_customer",
                                                  params={"customer": r.customer_ref}))
                continue
        base = (r.customer_ref, r.date, r.amount.currency, r.amount.minor)
        positions[base] += 1
        key = payment_key(r, positions[base])
        if key in seen:
            plan.problems.append(FieldProblem(r.row, "reference", r.reference,
                                              "payment reference appears twice for this customer "
                                              f"(rows {seen[key]} and {r.row})",
                                              source, code="import_payment_twice", params={"first": seen[key]}))
            continue
        seen[key] = r.row
        if r.customer_ref not in customers and r.customer_ref not in plan.new_customers:
            if not create_customers:
                plan.problems.append(FieldProblem(r.row, "customer_ref", r.customer_ref,
                                                  "payment from a customer gvia does not know (check the "
                                                  "reference, or ask for new customers to be created)", source,
                                                  code="import_payment_unknown_customer"))
                continue
            plan.new_customers[r.customer_ref] = _customer_from_row(r)
        status = "cleared"
        if r.method == "cheque" and r.value_date and r.value_date > today:
            status = "pending"
        old = existing.get(key)
        if old is None:
            named = invoice_ids.get(r.invoice_number, (None,))[0] if r.invoice_number else None
            plan.inserts.append((key, r, status, named))
            continue
        pid, cid, amount, wh, cur, old_status, d, vd = old
        if old_status == "bounced":
            status = "bounced"  # a bounce recorded in gvia stands until a person says otherwise
        diff = {}
        if amount != r.amount.minor or cur != r.amount.currency:
            diff["amount_minor"] = r.amount.minor
            diff["currency"] = r.amount.currency
        if wh != r.withholding.minor:
            diff["withholding_minor"] = r.withholding.minor
        if _d(d) != r.date:
            diff["date"] = r.date
        if (vd and _d(vd)) != r.value_date:
            diff["value_date"] = r.value_date
        if status != old_status:
            diff["status"] = status
        if diff:
            plan.updates.append((pid, diff))
            plan.touched_customers.add(cid)
            plan.changes.append(f"payment {r.reference or key}: " + ", ".join(f"{k} → {v}" for k, v in diff.items()))
        else:
            plan.unchanged += 1
    return plan


# --- writing ---------------------------------------------------------------------------------

def _create_customers(org: Organization, new: dict[str, NewCustomer], ids: dict[str, int]) -> None:
    """Insert the new customers, their primary contact and address, in bulk; add their ids to ``ids``."""
    if not new:
        return
    now = bulk.timestamp(datetime.now(timezone.utc))
    table = Customer._meta.db_table
    rows = [(org.id, c.ref, c.name[:300], c.tax_id, customer_kinds.known(c.kind),
             c.language or org.default_language, "[]", False, "", c.email, c.phone, c.claim_basis[:500], now, now,
             bool(c.vat_exempt), bool(c.large_business))
            for c in new.values()]
    # ids only grow, so reading back the rows above the highest id before the insert reads ours
    high = Customer.objects.aggregate(m=Max("id"))["m"] or 0
    bulk.insert(table, ("organization_id", "ref", "name", "tax_id", "kind", "language", "tags", "do_not_chase",
                        "do_not_chase_reason", "email", "phone", "claim_basis", "created_at", "updated_at",
                        "vat_exempt", "large_business"), rows)
    ids.update(Customer.objects.filter(organization=org, id__gt=high).values_list("ref", "id")
               .iterator(chunk_size=20000))
    contacts, addresses = [], []
    for c in new.values():
        cid = ids[c.ref]
        if c.email or c.phone or c.contact_name:
            contacts.append((cid, (c.contact_name or c.name)[:200], "", c.email, c.phone, True, True, False))
        if c.address:
            addresses.append((cid, "billing", c.address[:200], "", "", "", org.country))
    bulk.insert(Contact._meta.db_table, ("customer_id", "name", "role", "email", "phone", "is_primary", "is_billing",
                                         "cc"), contacts)
    bulk.insert(Address._meta.db_table, ("customer_id", "kind", "line1", "line2", "city", "postal_code", "country"),
                addresses)


def _apply_addresses(org: Organization, updates: list[tuple[int, str]]) -> None:
    """The file's address line replaces the lines of the customer's first address (one is made
    when there is none)."""
    for cid, line in updates:
        address = Address.objects.filter(customer_id=cid).order_by("id").first()
        if address is None:
            Address.objects.create(customer_id=cid, kind="billing", line1=line, country=org.country)
        else:
            Address.objects.filter(id=address.id).update(line1=line, line2="", city="", postal_code="")


def _apply_contacts(updates: list[tuple[int, dict]]) -> None:
    for cid, fields in updates:
        contact = Contact.objects.filter(customer_id=cid, is_primary=True).order_by("id").first()
        if contact is None:
            Contact.objects.create(customer_id=cid, is_primary=True, is_billing=True, **fields)
        else:
            Contact.objects.filter(id=contact.id).update(**fields)


def _update_rows(model, updates: list[tuple[int, dict]]) -> None:
    table = model._meta.db_table
    by_fields: dict[tuple[str, ...], list[tuple]] = defaultdict(list)
    for pk, diff in updates:
        cols = tuple(sorted(diff))
        by_fields[cols].append(tuple(diff[c] for c in cols) + (pk,))
    with connection.cursor() as cur:
        for cols, params in by_fields.items():
            sets = ", ".join(f"{c} = %s" for c in cols)
            cur.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", params)


def apply_plan(org: Organization, plan: Plan, progress: Callable | None = None) -> set[int]:
    """Write the plan. Returns the ids of customers whose ledger must be re-derived."""
    if len(plan.inserts) + len(plan.new_customers) < bulk.REBUILD_INDEXES_FROM:
        return _apply_plan(org, plan, progress)
    with bulk.large_write():
        return _apply_plan(org, plan, progress)


def _apply_plan(org: Organization, plan: Plan, progress: Callable | None) -> set[int]:
    _create_customers(org, plan.new_customers, plan.customer_ids)
    now = datetime.now(timezone.utc)
    touched = set(plan.touched_customers)
    if plan.kind == "customers":
        for cid, diff in plan.customer_updates:
            if diff:
                Customer.objects.filter(id=cid).update(**diff, updated_at=now)
        _apply_addresses(org, plan.address_updates)
        _apply_contacts(plan.contact_updates)
        return set()
    if plan.kind == "invoices":
        _insert_invoices(org, plan, now, progress)
        touched.update(plan.customer_ids[ref] for ref in {r.customer.ref for r in plan.inserts})
        stamp = bulk.timestamp(now)   # as the ORM writes it (no '+00:00' on SQLite)
        _update_rows(Invoice, [(pk, dict(d, updated_at=stamp)) for pk, d in plan.updates])
        with connection.cursor() as cur:
            # closed: a row for it again is compared afresh (imports/digests.py)
            cur.executemany(f"UPDATE {Invoice._meta.db_table} SET settled_outside_minor = %s, updated_at = %s, "
                            "source_digest = NULL WHERE id = %s", [(s, stamp, iid) for iid, _cid, s in plan.closes])
            cur.executemany(f"UPDATE {Invoice._meta.db_table} SET source_digest = %s WHERE id = %s", plan.digests)
        # Invoices whose own fields changed: open before allocation is amount − settled outside.
        changed_ids = [pk for pk, _ in plan.updates] + [iid for iid, _c, _s in plan.closes]
        with connection.cursor() as cur:
            for part in chunks(changed_ids):
                marks = ",".join(["%s"] * len(part))
                cur.execute(f"UPDATE {Invoice._meta.db_table} SET open_minor = amount_minor - settled_outside_minor "
                            f"WHERE id IN ({marks}) AND kind = 'invoice'", list(part))
        return touched
    _insert_payments(org, plan, now, progress)
    touched.update(plan.customer_ids[r.customer_ref] for _k, r, _s, _i in plan.inserts)
    _update_rows(Payment, plan.updates)
    return touched


# what each invoice row has of its own; the rest is the same for the whole file (_InvoiceWriter.constants)
_INVOICE_COLUMNS = ("customer_id", "number", "issue_date", "due_date", "amount_minor", "currency",
                    "settled_outside_minor", "open_minor", "po_number", "description", "allocation_number",
                    "amount_before_vat_minor", "source_digest")
_CREDIT_NOTE_COLUMNS = _INVOICE_COLUMNS + ("kind", "applies_to_id")


class _IsoDates(dict):
    """``dates[d] -> 'YYYY-MM-DD'``, remembered: a file repeats its dates, and text is what both
    databases take without a per-value adapter call. (A dict whose misses fill it: a hit is a
    plain subscript, no Python call per value.)"""

    def __missing__(self, d: date) -> str:
        s = self[d] = d.isoformat()
        return s


def _insert_invoices(org: Organization, plan: Plan, now: datetime, progress) -> None:
    write = _InvoiceWriter(org, plan.customer_ids, plan.source, now)
    invoices = [r for r in plan.inserts if r.kind == "invoice"]
    credits = [r for r in plan.inserts if r.kind != "invoice"]
    digest = plan.row_digests.get
    with bulk.indexes_rebuilt_after(Invoice._meta.db_table, len(plan.inserts)):
        for i in range(0, len(invoices), BATCH):
            part = invoices[i:i + BATCH]
            write.invoices(part, [digest(r.row) for r in part])
            if progress:
                progress("write", len(part), len(plan.inserts))
        if credits:
            write.credit_notes(credits, [digest(r.row) for r in credits])
            if progress:
                progress("write", len(credits), len(plan.inserts))


class _InvoiceWriter:
    """Inserts InvoiceRows (invoices, then credit notes, whose invoices must be in by then)."""

    def __init__(self, org: Organization, customer_ids: dict[str, int], source: str, now: datetime) -> None:
        self.org, self.ids = org, customer_ids
        stamp = bulk.timestamp(now)  # what Django writes for it (see bulk.timestamp)
        self.constants = {"organization_id": org.id, "external_id": "", "source": source, "created_at": stamp,
                          "allocation_confirmed_without": False,
                          "updated_at": stamp}
        self.iso = _IsoDates()

    def invoices(self, rows: list, digests: list) -> None:
        """Rows of kind invoice (they apply to nothing), with each row's digest (or None)."""
        ids, iso = self.ids, self.iso
        bulk.insert(Invoice._meta.db_table, _INVOICE_COLUMNS, [
            (ids[customer.ref], number, iso[issue], iso[due], amount, currency,
             0 if open_ is None else amount - open_, amount if open_ is None else open_, po or "", desc or "",
             alloc or "", before, digest)
            for (_row, customer, number, _kind, issue, due, currency, amount, open_, _applies, po, desc, alloc,
                 before), digest in zip(rows, digests)],
            {**self.constants, "kind": "invoice", "applies_to_id": None})

    def credit_notes(self, rows: list, digests: list) -> None:
        ids, iso = self.ids, self.iso
        wanted = sorted({r.applies_to for r in rows if r.applies_to})
        targets: dict[str, int] = {}
        for part in chunks(wanted):
            targets.update(Invoice.objects.filter(organization=self.org, kind="invoice", number__in=list(part))
                           .values_list("number", "id"))
        bulk.insert(Invoice._meta.db_table, _CREDIT_NOTE_COLUMNS, [
            (ids[customer.ref], number, iso[issue], iso[due], amount, currency,
             0 if open_ is None else amount - open_, 0, po or "", desc or "", alloc or "", before, digest, kind,
             targets.get(applies) if applies else None)
            for (_row, customer, number, kind, issue, due, currency, amount, open_, applies, po, desc, alloc,
                 before), digest in zip(rows, digests)],
            self.constants)


@contextmanager
def _customer_indexes_rebuilt_after(rows: int) -> Iterator[None]:
    """:func:`gvia.store.bulk.indexes_rebuilt_after` for the customer, contact and address
    tables, which a first import fills with up to ``rows`` customers."""
    with ExitStack() as stack:
        for model in (Customer, Contact, Address):
            stack.enter_context(bulk.indexes_rebuilt_after(model._meta.db_table, rows))
        yield


def write_first_invoices(org: Organization, batches: Iterable[tuple[list, list, int, list, list]], source: str,
                         *, expected_rows: int, max_problems: int, progress=None) -> tuple[Plan, set[int]]:
    """A large invoice file into an organization that has no invoices yet, written batch by
    batch as it is parsed (``batches`` as :func:`gvia.imports.batches.read_changed` yields
    them, with each row's digest), inside the caller's transaction.

    The checks are those of ``parse_file`` + :func:`plan_invoices`, and so are the problems:
    after the last batch, any bad row, number twice or credit note for an unknown invoice
    raises ValidationFailed — the caller's transaction then takes back everything written.
    (With no invoices in gvia there is nothing to update or close.) Returns the plan (for the
    report) and the ids of the customers written to."""
    plan = Plan("invoices", source)
    ids = plan.customer_ids = _existing_customers(org)
    seen: dict[str, dict[str, int]] = {"invoice": {}, "credit_note": {}}
    bad_rows: list[FieldProblem] = []
    credits: list = []
    credit_digests: list = []
    touched: set[int] = set()
    write = _InvoiceWriter(org, ids, source, datetime.now(timezone.utc))
    # an organization with no customers yet gets all of them from this file (up to one a row)
    new_customers = 0 if ids else expected_rows
    with bulk.large_write(), _customer_indexes_rebuilt_after(new_customers), \
            bulk.indexes_rebuilt_after(Invoice._meta.db_table, expected_rows):
        for rows, problems, _bad, digests, _unchanged in batches:
            plan.rows += len(rows)
            for found in problems:   # per bad row, as parse_file keeps them
                if len(bad_rows) < max_problems:
                    bad_rows.extend(found)
            if progress:
                progress("read", len(rows) + len(problems), None)
            if bad_rows:
                continue  # read on, to report every bad row; write nothing more
            _check_numbers(rows, seen, plan.problems, source)
            only_invoices = set(map(_KIND, rows)) <= {"invoice"}
            if not only_invoices:   # credit notes: checked and written at the end
                credits.extend(r for r in rows if r.kind != "invoice")
                credit_digests.extend(d for r, d in zip(rows, digests) if r.kind != "invoice")
                digests = [d for r, d in zip(rows, digests) if r.kind == "invoice"]
            if plan.problems:
                continue
            # the rows of one customer share one CustomerRow (see RowParser): each is looked at once
            customers = list(map(_CUSTOMER, rows))
            refs: dict[str, object] = {}
            for c in dict(zip(map(id, customers), customers)).values():
                refs.setdefault(c.ref, c)   # a reference's first row describes it, as in plan_invoices
            new = {ref: _customer_from_row(c) for ref, c in refs.items() if ref not in ids}
            _create_customers(org, new, ids)
            plan.new_customers.update(new)
            write.invoices(rows if only_invoices else [r for r in rows if r.kind == "invoice"], digests)
            touched.update(map(ids.__getitem__, refs))
            plan.inserted += len(rows)
            if progress:
                progress("write", len(rows), None)
        if bad_rows:
            raise ValidationFailed(bad_rows, f"{source}: {len(bad_rows)} problem(s)", code="file_problems",
                                   file=source)
        if not plan.rows:
            raise ValidationFailed([FieldProblem(None, "", "", "no data rows", source, code="file_no_rows")],
                                   f"{source}: nothing to import", code="file_nothing", file=source)
        _check_credit_notes(credits, seen["invoice"], {}, plan.problems, source)
        if plan.problems:
            raise ValidationFailed(plan.problems[:max_problems], f"{source}: {len(plan.problems)} problem(s)",
                                   code="file_problems", file=source, n=len(plan.problems))
        if credits:   # each looks its invoice up by number: let the planner see the new rows first
            bulk.refresh_statistics([Invoice._meta.db_table])
            write.credit_notes(credits, credit_digests)
    return plan, touched


_PAYMENT_COLUMNS = ("organization_id", "customer_id", "date", "value_date", "amount_minor", "currency", "method",
                    "cheque_number", "cheque_bank", "reference", "withholding_minor", "withholding_certificate",
                    "status", "invoice_id", "rate", "import_key", "source", "created_at")


def _insert_payments(org: Organization, plan: Plan, now: datetime, progress) -> None:
    table = Payment._meta.db_table
    ids = plan.customer_ids
    stamp = bulk.timestamp(now)
    for i in range(0, len(plan.inserts), BATCH):
        part = plan.inserts[i:i + BATCH]
        bulk.insert(table, _PAYMENT_COLUMNS, [
            (org.id, ids[r.customer_ref], r.date, r.value_date, r.amount.minor, r.amount.currency, r.method,
             _val(r.cheque_number), _val(r.cheque_bank), _val(r.reference), r.withholding.minor,
             _val(r.withholding_certificate), status, inv_id, r.rate, key, plan.source, stamp)
            for key, r, status, inv_id in part])
        if progress:
            progress("write", len(part), len(plan.inserts))


def refresh_statistics() -> None:
    bulk.refresh_statistics([Customer._meta.db_table, Invoice._meta.db_table, Payment._meta.db_table])


def customers_needing_allocation(touched: set[int], kind: str, org_id: int | None = None) -> list[int]:
    """Of the touched customers, those the allocator must see (see
    :func:`gvia.store.ledger_store.customers_with_activity`: payments, write-offs, credit notes
    with credit left, allocations already recorded).

    For the others the allocator's answer is open = amount − settled outside, which the insert
    (or the update) already wrote; skipping them keeps a million-invoice import fast.
    """
    if kind == "payments":
        return sorted(touched)
    return sorted(customers_with_activity(touched, org_id))

"""Disputes: the customer contests invoices; only those leave the ladder until it is resolved.

* ``gvia dispute open CUSTOMER_REF --invoice N [--invoice N …] --reason R [--note T]``: the
  reason is one of :data:`gvia.core.disputes.REASONS` ("other" needs a note); every invoice
  must be an invoice of that customer and not already in an open dispute. The dispute gets an
  owner (``--owner`` e-mail, else the acting user, else the customer's collector) and a Pause
  of kind "dispute" naming the invoices: the engine takes exactly those off the ladder, the
  others go on.
* ``gvia dispute resolve ID --valid --credit-note`` - the customer was right and a credit note
  settles it: gvia records one credit note per disputed invoice for what is open on it
  (numbered ``--credit-note-number`` or ``D<dispute>-<invoice>``; importing the accounting
  system's credit note with the same number later updates it instead of doubling it).
* ``gvia dispute resolve ID --valid --write-off`` - settled by writing the open amount off:
  an approved write-off per invoice, so **owners only**.
* ``gvia dispute resolve ID --rejected`` - the invoices go back on the ladder where they were.

Either way the pause ends, the ledger is recomputed, and the timeline and audit say who decided
what. A dispute open longer than ``dispute_max_open_days`` reminds its owner: the daily run
opens a follow-up task (key ``dispute:<id>:overdue``) assigned to them
(:func:`remind_overdue`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from gvia.core import disputes as core
from gvia.core.errors import FieldProblem, RefusedFor, ValidationFailed
from gvia.core.money import Money
from gvia.services import audit, clock
from gvia.services.arrangements.limits import arrangement_settings
from gvia.services.arrangements.writeoffs import write_off_now
from gvia.services.context import Ctx
from gvia.services.engine.activities import timeline
from gvia.services.engine.pauses import end_pause, open_pause
from gvia.services.ledger import books as ledger
from gvia.services.lookup import owned
from gvia.services.webhooks import events as webhook_events
from gvia.store.models import Activity, Customer, Dispute, Invoice, Membership, Pause, Task, WriteOff

__all__ = ["open_dispute", "resolve_dispute", "get_dispute", "list_disputes", "remind_overdue", "to_core"]


def to_core(d: Dispute, numbers: list[str] | None = None) -> core.Dispute:
    numbers = numbers if numbers is not None else sorted(d.invoices.values_list("number", flat=True))
    return core.Dispute(tuple(numbers), d.reason, d.opened_on, d.note, d.status, d.resolution or None,
                        d.resolved_on)


def _owner(ctx: Ctx, customer, owner_email: str | None):
    if owner_email:
        user = get_user_model().objects.filter(email__iexact=owner_email).first()
        if user is None or not Membership.objects.filter(user=user, organization=ctx.org).exists():
            raise ValidationFailed([FieldProblem(None, "owner", owner_email, "not a user", code="not_a_user_of",
                                                 params={"org": ctx.org.name})])
        return user
    if getattr(ctx.user, "pk", None):
        return ctx.user
    return customer.collector


def open_dispute(ctx: Ctx, customer_ref: str, invoice_numbers: list[str] | tuple[str, ...], reason: str,
                 note: str = "", owner_email: str | None = None, now: datetime | None = None) -> Dispute:
    """Open a dispute on invoices of one customer (rules in the module docstring)."""
    ctx.require("collector", "opening a dispute")
    now = now or clock.now_utc()
    today = clock.org_today(ctx.org, now)
    customer = ledger.get_customer(ctx, customer_ref)
    checked = core.open_dispute(list(invoice_numbers), reason, today, note)   # refuses bad reason, none, twice
    found = {inv.number: inv for inv in Invoice.objects.filter(customer=customer, kind=Invoice.Kind.INVOICE,
                                                               number__in=list(checked.invoices))}
    problems = [FieldProblem(None, "invoice", n, f"is not an invoice of {customer.ref}",
                             code="not_an_invoice_of", params={"ref": customer.ref})
                for n in checked.invoices if n not in found]
    if problems:
        raise ValidationFailed(problems)
    owner = _owner(ctx, customer, owner_email)
    with transaction.atomic():
        invoices = [found[n] for n in checked.invoices]
        Customer.objects.select_for_update().filter(id=customer.id).first()   # one dispute change at a time
        busy = Dispute.objects.filter(customer=customer, status=Dispute.Status.OPEN, invoices__in=invoices).distinct()
        for other in busy:
            taken = sorted(set(other.invoices.values_list("number", flat=True)) & set(checked.invoices))
            raise RefusedFor("dispute_invoices_taken",
                             f"invoice(s) {', '.join(taken)} are already in open dispute {other.id}",
                             invoices=tuple(taken), dispute=other.id)
        d = Dispute.objects.create(organization=ctx.org, customer=customer, reason=checked.reason,
                                   note=checked.note.strip(), owner=owner, opened_on=today,
                                   remind_after_days=arrangement_settings(ctx.org).dispute_max_open_days,
                                   created_by=ctx.actor)
        d.invoices.set(invoices)
        numbers = ", ".join(checked.invoices)
        d.pause = open_pause(ctx, customer, Pause.Kind.DISPUTE, None, f"dispute {d.id} on {numbers}: {checked.reason}",
                             source_id=d.id, invoices=[inv.id for inv in invoices])
        d.save(update_fields=["pause"])
        timeline(ctx.org, customer.id, Activity.Kind.DISPUTE, today, now,
                 f"Dispute {d.id} opened on invoice(s) {numbers}: {checked.reason}"
                 + (f" — {checked.note.strip()}" if checked.note.strip() else "")
                 + f"; owner {getattr(owner, 'email', '') or 'none'}", ctx.actor, dispute=d.id, status=d.status,
                 invoices=list(checked.invoices), event="dispute.opened", reason=checked.reason,
                 note=checked.note.strip())
        audit.record(ctx, "dispute.opened", d, customer=customer.ref, invoices=list(checked.invoices),
                     reason=checked.reason, note=checked.note.strip(), owner=getattr(owner, "email", ""))
        webhook_events.emit(ctx.org, "dispute.opened", f"dispute:{d.id}", {
            "customer": webhook_events.customer_data(customer), "dispute": d.id,
            "invoices": list(checked.invoices), "reason": checked.reason}, now)
    return d


def get_dispute(ctx: Ctx, dispute_id: int | str, lock: bool = False) -> Dispute:
    return owned(ctx, Dispute, dispute_id, "dispute", lock=lock)


def resolve_dispute(ctx: Ctx, dispute_id: int | str, outcome: str, resolution: str | None = None,
                    credit_note_number: str | None = None, note: str = "", now: datetime | None = None) -> Dispute:
    """End a dispute as ``valid`` (``resolution`` credit_note or write_off) or ``rejected``
    (rules in the module docstring)."""
    ctx.require("collector", "resolving a dispute")
    if outcome == core.VALID and resolution == "write_off":
        ctx.require("owner", "resolving a dispute with a write-off")
    now = now or clock.now_utc()
    today = clock.org_today(ctx.org, now)
    with transaction.atomic():
        d = get_dispute(ctx, dispute_id, lock=True)
        invoices = list(d.invoices.order_by("due_date", "id"))
        numbers = [inv.number for inv in invoices]
        done = core.resolve(to_core(d, sorted(numbers)), outcome, today, resolution)   # refuses what is not allowed
        ledger.recompute(ctx, [d.customer_id])
        opened = {inv.id: inv.open_minor for inv in Invoice.objects.filter(id__in=[i.id for i in invoices])}
        details: dict = {}
        if done.state == core.VALID and done.resolution == "credit_note":
            created = []
            for inv in invoices:
                amount = opened.get(inv.id, 0)
                if amount <= 0:
                    continue
                number = (credit_note_number if credit_note_number and len(invoices) == 1
                          else f"{credit_note_number or f'D{d.id}'}-{inv.number}")
                if Invoice.objects.filter(organization=ctx.org, kind=Invoice.Kind.CREDIT_NOTE, number=number).exists():
                    raise RefusedFor("credit_note_exists", f"credit note {number} exists", number=number)
                created.append(Invoice.objects.create(
                    organization=ctx.org, customer_id=d.customer_id, number=number, kind=Invoice.Kind.CREDIT_NOTE,
                    applies_to=inv, issue_date=today, due_date=today, amount_minor=amount, currency=inv.currency,
                    description=f"Dispute {d.id}: {d.reason}", source=f"gvia dispute {d.id}"))
            details["credit_notes"] = [c.number for c in created]
        elif done.state == core.VALID:
            written = write_off_now(ctx.org, d.customer_id, [(inv, opened.get(inv.id, 0)) for inv in invoices],
                                    f"dispute {d.id} found valid: {d.reason}"
                                    + (f" — {note.strip()}" if note.strip() else ""),
                                    ctx.actor, today, WriteOff.Origin.DISPUTE, dispute=d)
            details["write_offs"] = [w.id for w in written]
        ledger.recompute(ctx, [d.customer_id])
        d.status = done.state
        d.resolution = done.resolution or ""
        d.resolution_note = note.strip()
        d.resolved_on = today
        d.resolved_by = ctx.actor
        d.save(update_fields=["status", "resolution", "resolution_note", "resolved_on", "resolved_by"])
        end_pause(d.pause_id)
        Task.objects.filter(organization=ctx.org, key=f"dispute:{d.id}:overdue", open=True).update(
            open=False, closed_at=now, outcome=done.state)
        event: dict[str, Any] = {"invoices": list(numbers)}
        if done.state == core.REJECTED:
            event["event"] = "dispute.rejected"
            what = f"rejected: invoice(s) {', '.join(numbers)} go back on the ladder where they were"
        elif done.resolution == "credit_note":
            event["event"] = "dispute.credit_note"
            what = "valid, settled by credit note(s) " + (", ".join(details["credit_notes"]) or "(nothing was open)")
        else:
            total = sum(opened.get(inv.id, 0) for inv in invoices)
            if invoices:
                written_off = Money.from_minor(total, invoices[0].currency)
                event.update(event="dispute.written_off", amount=str(written_off.amount), currency=written_off.currency)
            what = f"valid, {Money.from_minor(total, invoices[0].currency)} written off" if invoices else "valid"
        timeline(ctx.org, d.customer_id, Activity.Kind.DISPUTE, today, now,
                 f"Dispute {d.id} {what}" + (f" — {note.strip()}" if note.strip() else ""), ctx.actor,
                 dispute=d.id, status=d.status, resolution=d.resolution, note=note.strip(), **event, **details)
        audit.record(ctx, "dispute.resolved", d, outcome=d.status, resolution=d.resolution, note=note.strip(),
                     **details)
    return d


def list_disputes(ctx: Ctx, status: str | None = "open") -> list[dict]:
    """Disputes with their invoices (``status`` open, valid, rejected; None or "all": every one)."""
    ctx.require("viewer", "listing disputes")
    qs = Dispute.objects.filter(organization=ctx.org).select_related("customer", "owner").order_by("opened_on", "id")
    if status and status != "all":
        if status not in Dispute.Status.values:
            raise ValidationFailed([FieldProblem(None, "status", status, "not a status", code="one_of",
                                                 params={"choices": (*Dispute.Status.values, "all")})])
        qs = qs.filter(status=status)
    return [{"id": d.id, "customer": d.customer.ref, "invoices": sorted(d.invoices.values_list("number", flat=True)),
             "reason": d.reason, "note": d.note, "status": d.status, "resolution": d.resolution,
             "opened_on": d.opened_on.isoformat(), "resolved_on": d.resolved_on.isoformat() if d.resolved_on else None,
             "owner": getattr(d.owner, "email", "") or ""} for d in qs]


def remind_overdue(ctx: Ctx, today: date, now: datetime) -> int:
    """Open a follow-up task for the owner of every dispute open longer than it may be
    (:func:`gvia.core.disputes.overdue_dispute`); once per dispute. Returns the tasks opened."""
    opened = 0
    for d in Dispute.objects.filter(organization=ctx.org, status=Dispute.Status.OPEN, reminded_on__isnull=True):
        if not core.overdue_dispute(d.opened_on, today, d.remind_after_days):
            continue
        numbers = sorted(d.invoices.values_list("number", flat=True))
        _task, created = Task.objects.get_or_create(
            organization=ctx.org, key=f"dispute:{d.id}:overdue",
            defaults={"customer_id": d.customer_id, "kind": Task.Kind.FOLLOW_UP, "due_date": today,
                      "assigned_to": d.owner, "data": {"dispute": d.id, "invoices": numbers, "reason": d.reason,
                                                       "opened_on": d.opened_on.isoformat()}})
        d.reminded_on = today
        d.save(update_fields=["reminded_on"])
        if created:
            opened += 1
            timeline(ctx.org, d.customer_id, Activity.Kind.DISPUTE, today, now,
                     f"Dispute {d.id} on {', '.join(numbers)} has been open since {d.opened_on.isoformat()} "
                     f"(more than {d.remind_after_days} days): its owner is reminded", "system", dispute=d.id,
                     event="dispute.reminder", invoices=list(numbers), opened=d.opened_on.isoformat(),
                     days=d.remind_after_days)
    return opened

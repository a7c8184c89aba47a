"""One message from the reply mailbox, placed on its case once (see :mod:`gvia.services.mailbox`).

What it is, in this order: a delivery status notification with failed recipients is a
**bounce**; another delivery report (delayed, delivered) is a **report**; a message with the
headers or subject of an automatic answer (:func:`gvia.core.reply_text.auto_reply_reason`) is an
**auto_reply**; anything else is a **reply**.

Which customer: the first of the Message-IDs it refers to (In-Reply-To, References, a bounce's
original message) that gvia sent (``OutboxMessage.message_id``) names the case (``thread``);
else the sender's address — a bounce's failed address — belongs to one customer (its e-mail or
a contact's, case-insensitive: ``address``); two customers sharing it, or none, leave it
**unmatched** for a person (:mod:`.unmatched`).

Once: the organization's Message-ID (or, without one, the folder, UIDVALIDITY and UID) is
unique in :class:`InboundMail`; a message read again is skipped (:func:`place` returns None).
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import Q

from gvia.channels.imap import InboundMessage
from gvia.core.reply_text import auto_reply_reason, own_text
from gvia.services import audit, clock
from gvia.services.context import Ctx
from gvia.services.engine.activities import record_reply, timeline
from gvia.store.models import Activity, Contact, Customer, OutboxMessage, Task
from gvia.store.models_inbound import FailingAddress, InboundMail


def kind_of(msg: InboundMessage) -> tuple[str, str]:
    """(kind, why): bounce | report | auto_reply (with the reason's code) | reply."""
    if msg.failed:
        return InboundMail.Kind.BOUNCE, ""
    if msg.is_report:
        return InboundMail.Kind.REPORT, ""
    reason = auto_reply_reason(msg.auto_headers, msg.subject)
    if reason:
        return InboundMail.Kind.AUTO_REPLY, reason
    return InboundMail.Kind.REPLY, ""


def customers_at(ctx: Ctx, address: str) -> list[int]:
    """The ids of the organization's customers whose e-mail, or a contact's, is ``address``."""
    if not address:
        return []
    ids = set(Customer.objects.filter(organization=ctx.org, email__iexact=address).values_list("id", flat=True))
    ids |= set(Contact.objects.filter(customer__organization=ctx.org, email__iexact=address)
               .values_list("customer_id", flat=True))
    return sorted(ids)


def match(ctx: Ctx, msg: InboundMessage, kind: str) -> tuple[Customer | None, str, OutboxMessage | None]:
    """(customer, matched_by thread | address | "", gvia's message it answers)."""
    if msg.answers:
        sent = {m.message_id: m for m in OutboxMessage.objects.filter(organization=ctx.org,
                                                                       message_id__in=list(msg.answers))
                .select_related("customer")}
        for mid in msg.answers:
            if mid in sent:
                return sent[mid].customer, "thread", sent[mid]
    addresses = [f.address for f in msg.failed] if kind == InboundMail.Kind.BOUNCE else [msg.from_addr]
    found = sorted({cid for a in addresses for cid in customers_at(ctx, a)})
    if len(found) == 1:
        return Customer.objects.get(id=found[0]), "address", None
    return None, "", None


def already_read(ctx: Ctx, msg: InboundMessage, folder: str, uidvalidity: int) -> bool:
    same = Q(folder=folder, uidvalidity=uidvalidity, uid=msg.uid)
    if msg.message_id:
        same |= Q(message_id=msg.message_id)
    return InboundMail.objects.filter(Q(organization=ctx.org) & same).exists()


def place(ctx: Ctx, msg: InboundMessage, folder: str, uidvalidity: int, now: datetime | None = None
          ) -> InboundMail | None:
    """Record ``msg`` and act on it; None when it was read before."""
    now = now or clock.now_utc()
    if already_read(ctx, msg, folder, uidvalidity):
        return None
    kind, why = kind_of(msg)
    customer, matched_by, answers = match(ctx, msg, kind)
    at = min(msg.date, now) if msg.date else now
    try:
        with transaction.atomic():
            row = InboundMail.objects.create(
                organization=ctx.org, customer=customer, folder=folder, uidvalidity=uidvalidity, uid=msg.uid,
                message_id=msg.message_id[:300], kind=kind,
                status=InboundMail.Status.MATCHED if customer else InboundMail.Status.UNMATCHED,
                matched_by=matched_by, answers=answers, from_addr=msg.from_addr[:254],
                from_name=msg.from_name[:200], subject=msg.subject[:500], sent_at=msg.date, read_at=now,
                text=own_text(msg.text),
                data={k: v for k, v in {
                    "auto_reply": why, "too_large": msg.too_large,
                    "failed": [{"address": f.address, "status": f.status, "diagnostic": f.diagnostic}
                               for f in msg.failed]}.items() if v})
            if kind == InboundMail.Kind.BOUNCE:
                mark_failing(ctx, row, msg, customer, now)
            if customer is not None:
                act_on(ctx, row, customer, at, now)
            audit.record(ctx, "mailbox.read", row, kind=kind, status=row.status, matched_by=matched_by,
                         customer=customer.ref if customer else None)
    except IntegrityError:       # read at the same moment by another worker: once is enough
        return None
    return row


def unplaced(ctx: Ctx, msg: InboundMessage, folder: str, uidvalidity: int, now: datetime, error: str
             ) -> InboundMail | None:
    """A message :func:`place` failed on: kept in the unmatched list for a person, with the error's
    name, so that the messages after it are read."""
    if already_read(ctx, msg, folder, uidvalidity):
        return None
    return InboundMail.objects.create(
        organization=ctx.org, folder=folder, uidvalidity=uidvalidity, uid=msg.uid, message_id=msg.message_id[:300],
        kind=InboundMail.Kind.REPLY, status=InboundMail.Status.UNMATCHED, from_addr=msg.from_addr[:254],
        from_name=msg.from_name[:200], subject=msg.subject[:500], sent_at=msg.date, read_at=now,
        text=own_text(msg.text), data={"error": error[:100]})


def act_on(ctx: Ctx, row: InboundMail, customer: Customer, at: datetime, now: datetime) -> None:
    """What the message does to its customer's case (also when a person assigns it)."""
    day = clock.org_today(ctx.org, at)
    words = row.text or row.subject
    if row.kind == InboundMail.Kind.REPLY:
        activity = record_reply(ctx, customer, words, at, {
            "source": "email", "from": row.from_addr, "inbound": row.id, "subject": row.subject,
            **({"answers": row.answers_id} if row.answers_id else {})})
        row.activity = activity
        row.save(update_fields=["activity"])
        return
    event = {InboundMail.Kind.AUTO_REPLY: "mail.auto_reply", InboundMail.Kind.BOUNCE: "mail.bounce",
             InboundMail.Kind.REPORT: "mail.report"}[InboundMail.Kind(row.kind)]
    row.activity = timeline(ctx.org, customer.id, Activity.Kind.SYSTEM, day, at, words, ctx.actor, event=event,
                            inbound=row.id, note=words[:500], **{"from": row.from_addr},
                            **({"failed": [f["address"] for f in row.data.get("failed", [])]}
                               if row.kind == InboundMail.Kind.BOUNCE else {}))
    row.save(update_fields=["activity"])


def mark_failing(ctx: Ctx, row: InboundMail, msg: InboundMessage, customer: Customer | None, now: datetime) -> None:
    """Each failed address is marked failing, and a task asks a person to find a working contact."""
    today = clock.org_today(ctx.org, now)
    for failed in msg.failed:
        FailingAddress.objects.update_or_create(
            organization=ctx.org, address=failed.address[:254],
            defaults={"customer": customer, "status": failed.status[:20], "diagnostic": failed.diagnostic[:500],
                      "since": now, "inbound": row, "active": True})
        audit.record(ctx, "mailbox.address_failing", row, address=failed.address, status=failed.status,
                     customer=customer.ref if customer else None)
    if customer is not None:
        ask_for_contact(ctx, row, customer, today)


def ask_for_contact(ctx: Ctx, row: InboundMail, customer: Customer, today: date) -> None:
    """A task per failed address of a bounce: find the customer a working contact."""
    for failed in row.data.get("failed", []):
        FailingAddress.objects.filter(organization=ctx.org, address=failed["address"][:254],
                                      customer__isnull=True).update(customer=customer)
        data = {"reason": "address_failing", "address": failed["address"], "status": failed.get("status", ""),
                "inbound": row.id}
        task, created = Task.objects.get_or_create(
            organization=ctx.org, key=f"bounce:{failed['address'][:180]}",
            defaults={"customer": customer, "kind": Task.Kind.FOLLOW_UP, "due_date": today, "data": data})
        if not created and not task.open:       # it bounced again after a person said it works
            Task.objects.filter(id=task.id).update(open=True, outcome="", closed_at=None, due_date=today,
                                                   customer=customer, data=data)


def failing_addresses(ctx: Ctx) -> list[FailingAddress]:
    ctx.require("viewer", "reading the failing addresses")
    return list(FailingAddress.objects.filter(organization=ctx.org, active=True).select_related("customer")
                .order_by("-since"))


def address_works(ctx: Ctx, address: str) -> int:
    """A person says mail to ``address`` works again: messages go to it again, and the task to
    find a working contact is closed. Returns how many markings were lifted (0: it was not
    marked failing)."""
    ctx.require("collector", "marking an address as working")
    address = address.strip().lower()
    lifted = FailingAddress.objects.filter(organization=ctx.org, address=address, active=True).update(active=False)
    Task.objects.filter(organization=ctx.org, key=f"bounce:{address[:180]}", open=True).update(
        open=False, outcome="address_works", closed_at=clock.now_utc())
    if lifted:
        audit.record(ctx, "mailbox.address_works", None, address=address)
    return lifted

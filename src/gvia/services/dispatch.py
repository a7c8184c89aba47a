"""The dispatcher: sends what the outbox holds, exactly once or visibly uncertain.

Life of a message: ``queued`` → claimed (``sending``, with a lease, committed) → sent through
the channel → recorded (``sent`` with the server's reply and the raw message kept as proof).
- A temporary failure (4xx, timeout, refused or dropped connection before the end of DATA) puts
  it back to ``queued`` with a backoff; after MAX_ATTEMPTS it is ``failed``.
- A permanent failure (5xx, invalid address) makes it ``failed`` and opens a task.
- If the process dies while a message is ``sending``, nobody knows whether the server got it:
  when its lease runs out it becomes ``uncertain`` and a task asks a person. It is never
  re-sent or dropped silently.
Claims use ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL so several workers share the
outbox; on SQLite one worker runs at a time (an operating-system file lock, see worker.py).
Before sending, the dispatcher checks the message still makes sense (something is still
overdue, the customer is not on hold): a reminder to a customer who has paid is cancelled.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import Q

from gvia.channels.mime import build, recipients
from gvia.channels.smtp import Accepted, PermanentFailure, SendError, TemporaryFailure, Uncertain
from gvia.store.models import Activity, Customer, Invoice, Organization, OutboxMessage, Task

from . import clock
from .mailconfig import mail_from, sender_for

LEASE = timedelta(minutes=10)
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1),
           timedelta(hours=4), timedelta(hours=12))
MAX_ATTEMPTS = 7
EMAIL_CHANNELS = ("email",)
PAPER_CHANNELS = ("letter", "registered_letter")

Checkpoint = Callable[[str], None]


def _noop(_: str) -> None:
    return None


@dataclass
class DispatchReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    uncertain: int = 0
    cancelled: int = 0
    recovered_uncertain: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("sent", "retried", "failed", "uncertain", "cancelled",
                                              "recovered_uncertain")}


# --- tasks and timeline ----------------------------------------------------------------------

def open_task(msg: OutboxMessage, kind: str, text: str, today: date) -> None:
    Task.objects.get_or_create(
        organization_id=msg.organization_id, key=f"{kind}:{msg.id}",
        defaults={"customer_id": msg.customer_id, "kind": kind, "due_date": today, "message": msg,
                  "data": {"text": text, "subject": msg.subject, "channel": msg.channel}})


def _activity(msg: OutboxMessage, now: datetime, text: str, **data) -> None:
    org = Organization.objects.only("time_zone").get(id=msg.organization_id)
    Activity.objects.create(organization_id=msg.organization_id, customer_id=msg.customer_id,
                            kind=Activity.Kind.MESSAGE_OUT if msg.channel in EMAIL_CHANNELS else Activity.Kind.LETTER,
                            date=clock.org_today(org, now), at=now, text=text,
                            data={"message": msg.id, "channel": msg.channel, "document": msg.document, **data},
                            actor="system")


# --- recovering from crashes -----------------------------------------------------------------

def recover_stale(now: datetime, everything: bool = False) -> int:
    """Messages left ``sending`` by a dead worker become ``uncertain`` (lease over, or all of them
    when ``everything`` — on SQLite the worker holding the file lock is the only one)."""
    qs = OutboxMessage.objects.filter(status=OutboxMessage.Status.SENDING)
    if not everything:
        qs = qs.filter(lease_until__lt=now)
    count = 0
    for msg in qs:
        with transaction.atomic():
            n = OutboxMessage.objects.filter(id=msg.id, status=OutboxMessage.Status.SENDING).update(
                status=OutboxMessage.Status.UNCERTAIN, updated_at=now,
                last_error=(msg.last_error + "\n" if msg.last_error else "")
                + f"worker {msg.worker or '?'} stopped while sending; the server may or may not have the message")
            if n:
                msg.refresh_from_db()
                org = Organization.objects.only("time_zone").get(id=msg.organization_id)
                open_task(msg, Task.Kind.UNCERTAIN_MESSAGE,
                          "The worker stopped while sending this message. Check whether the customer received "
                          "it, then mark it sent or not sent.", clock.org_today(org, now))
                count += 1
    return count


# --- claiming --------------------------------------------------------------------------------

def claim_next(now: datetime, worker_id: str, org_ids: list[int] | None = None) -> OutboxMessage | None:
    """Take the next due message for this worker (committed as ``sending`` with a lease)."""
    with transaction.atomic():
        qs = (OutboxMessage.objects.select_for_update(skip_locked=True)
              .filter(status=OutboxMessage.Status.QUEUED)
              .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
              .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
              .order_by("id"))
        if org_ids is not None:
            qs = qs.filter(organization_id__in=org_ids)
        msg = qs.first()
        if msg is None:
            return None
        n = OutboxMessage.objects.filter(id=msg.id, status=OutboxMessage.Status.QUEUED).update(
            status=OutboxMessage.Status.SENDING, attempts=msg.attempts + 1, lease_until=now + LEASE,
            worker=worker_id, updated_at=now)
        if not n:
            return None
        msg.refresh_from_db()
        return msg


def still_wanted(msg: OutboxMessage, today: date) -> str | None:
    """Why the message should not go out any more, or None when it should."""
    customer = Customer.objects.only("do_not_chase", "do_not_chase_reason").get(id=msg.customer_id)
    if customer.do_not_chase:
        return f"customer is on hold ({customer.do_not_chase_reason or 'do not chase'})"
    if msg.idempotency_key.startswith("manual:"):
        return None
    if not msg.stage_key:
        return None
    overdue = Invoice.objects.filter(customer_id=msg.customer_id, kind=Invoice.Kind.INVOICE,
                                     due_date__lt=today).exclude(open_minor=0).exists()
    courtesy = msg.stage_key == "courtesy"
    if not overdue and not courtesy:
        return "nothing is overdue any more"
    return None


# --- sending one message ---------------------------------------------------------------------

def raw_dir(org_id: int) -> Path:
    d = Path(django_settings.STORAGE_ROOT) / "outbox" / str(org_id)
    d.mkdir(parents=True, exist_ok=True)
    return d


def _store_raw(msg: OutboxMessage, data: bytes, suffix: str) -> str:
    path = raw_dir(msg.organization_id) / f"{msg.id}-{msg.attempts}{suffix}"
    path.write_bytes(data)
    return str(path.relative_to(django_settings.STORAGE_ROOT))


def _fail(msg: OutboxMessage, now: datetime, exc: SendError, today: date, report: DispatchReport) -> None:
    note = f"attempt {msg.attempts}: {exc}"
    log = (msg.last_error + "\n" if msg.last_error else "") + note
    if isinstance(exc, Uncertain):
        OutboxMessage.objects.filter(id=msg.id).update(status=OutboxMessage.Status.UNCERTAIN, last_error=log,
                                                       updated_at=now)
        open_task(msg, Task.Kind.UNCERTAIN_MESSAGE, f"The server may or may not have accepted it: {exc}", today)
        report.uncertain += 1
    elif isinstance(exc, TemporaryFailure) and msg.attempts < MAX_ATTEMPTS:
        delay = BACKOFF[min(msg.attempts - 1, len(BACKOFF) - 1)]
        OutboxMessage.objects.filter(id=msg.id).update(status=OutboxMessage.Status.QUEUED, last_error=log,
                                                       next_attempt_at=now + delay, updated_at=now)
        report.retried += 1
    else:
        OutboxMessage.objects.filter(id=msg.id).update(status=OutboxMessage.Status.FAILED, last_error=log,
                                                       updated_at=now)
        open_task(msg, Task.Kind.FAILED_MESSAGE, f"Sending failed: {exc}", today)
        report.failed += 1


def send_one(msg: OutboxMessage, now: datetime, sender, composer, checkpoint: Checkpoint,
             report: DispatchReport) -> None:
    org = Organization.objects.get(id=msg.organization_id)
    today = clock.org_today(org, now)
    why_not = still_wanted(msg, today)
    if why_not:
        OutboxMessage.objects.filter(id=msg.id).update(status=OutboxMessage.Status.CANCELLED,
                                                       last_error=f"cancelled before sending: {why_not}",
                                                       updated_at=now)
        report.cancelled += 1
        return
    try:
        composed = composer(msg, org, today)
    except Exception as exc:  # a message that cannot be composed must not stop the run
        _fail(msg, now, PermanentFailure(f"could not compose the message: {exc}"), today, report)
        report.errors.append(f"message {msg.id}: {exc}")
        return
    if msg.channel in PAPER_CHANNELS:
        rel = _store_raw(msg, composed.pdf, ".pdf")
        checkpoint("before_record")
        with transaction.atomic():
            OutboxMessage.objects.filter(id=msg.id).update(
                status=OutboxMessage.Status.SENT, sent_at=now, raw_path=rel, updated_at=now,
                server_reply="letter produced for the print batch; record the posting with `gvia mail registered`")
            _activity(msg, now, f"{msg.document} letter produced for posting", path=rel)
        report.sent += 1
        return
    if msg.channel not in EMAIL_CHANNELS:
        _fail(msg, now, PermanentFailure(f"no provider is configured for the {msg.channel} channel"), today, report)
        return
    email = composed.email
    if not email.to:
        _fail(msg, now, PermanentFailure("the customer has no e-mail address"), today, report)
        return
    mime = build(email)
    rel = _store_raw(msg, mime.as_bytes(), ".eml")
    OutboxMessage.objects.filter(id=msg.id).update(raw_path=rel, message_id=email.message_id,
                                                   subject=email.subject[:500], to_addrs=email.to,
                                                   cc_addrs=email.cc)
    checkpoint("before_send")
    try:
        accepted: Accepted = sender.send(mime, email.from_addr, recipients(email), checkpoint)
    except SendError as exc:
        _fail(msg, now, exc, today, report)
        return
    checkpoint("accepted")
    checkpoint("before_record")
    with transaction.atomic():
        OutboxMessage.objects.filter(id=msg.id, status__in=[OutboxMessage.Status.SENDING,
                                                            OutboxMessage.Status.UNCERTAIN]).update(
            status=OutboxMessage.Status.SENT, sent_at=now, server_reply=accepted.reply, updated_at=now)
        _activity(msg, now, email.subject, to=email.to, cc=email.cc, reply=accepted.reply)
    report.sent += 1


def dispatch_due(now_fn: Callable[[], datetime], worker_id: str, composer=None, checkpoint: Checkpoint = _noop,
                 limit: int | None = None, should_stop: Callable[[], bool] = lambda: False,
                 eligible: Callable[[datetime], list[int]] | None = None) -> DispatchReport:
    """Send due messages until none is left (or ``limit``/``should_stop``)."""
    from .compose import compose_message
    from .sending_window import eligible_orgs

    composer = composer or compose_message
    eligible = eligible or eligible_orgs
    report = DispatchReport()
    senders: dict[int, object] = {}
    last_rate: dict[int, float] = {}
    try:
        while not should_stop() and (limit is None or report.sent + report.failed + report.uncertain
                                     + report.retried + report.cancelled < limit):
            now = now_fn()
            org_ids = eligible(now)
            if not org_ids:
                break
            msg = claim_next(now, worker_id, org_ids)
            if msg is None:
                break
            checkpoint("claimed")
            sender = senders.get(msg.organization_id)
            if sender is None:
                sender = senders[msg.organization_id] = sender_for(Organization.objects.get(id=msg.organization_id))
            _respect_rate(msg.organization_id, last_rate)
            send_one(msg, now, sender, composer, checkpoint, report)
    finally:
        for s in senders.values():
            s.close()
    return report


def _respect_rate(org_id: int, last: dict[int, float]) -> None:
    """Per-organization send-rate limit (settings.send_rate_per_minute; 0 = none)."""
    org = Organization.objects.only("settings").get(id=org_id)
    per_minute = int((org.settings or {}).get("send_rate_per_minute") or 0)
    if per_minute <= 0:
        return
    gap = 60.0 / per_minute
    wait = last.get(org_id, 0.0) + gap - time.monotonic()
    if wait > 0:
        time.sleep(wait)
    last[org_id] = time.monotonic()


# --- a person's decisions on the outbox ------------------------------------------------------

def resolve_uncertain(ctx, message_id: int, sent: bool) -> OutboxMessage:
    """A person says whether an uncertain (or failed) message reached the customer."""
    from gvia.core.errors import NotFound, Refused

    from . import audit

    ctx.require("collector", "resolving a message")
    with transaction.atomic():
        msg = OutboxMessage.objects.select_for_update().filter(organization=ctx.org, id=message_id).first()
        if msg is None:
            raise NotFound(f"no message {message_id}")
        if msg.status not in (OutboxMessage.Status.UNCERTAIN, OutboxMessage.Status.FAILED):
            raise Refused(f"message {message_id} is {msg.status}; only uncertain or failed messages are resolved")
        now = clock.now_utc()
        if sent:
            msg.status = OutboxMessage.Status.SENT
            msg.sent_at = msg.sent_at or now
            msg.server_reply = (msg.server_reply + "\n" if msg.server_reply else "") + f"marked sent by {ctx.actor}"
        else:
            msg.status = OutboxMessage.Status.QUEUED
            msg.next_attempt_at = now
            msg.last_error = (msg.last_error + "\n" if msg.last_error else "") + f"marked not sent by {ctx.actor}; queued again"
        msg.save()
        Task.objects.filter(message=msg, open=True).update(open=False, closed_at=now,
                                                           outcome="sent" if sent else "not_sent")
        audit.record(ctx, "outbox.resolved", msg, sent=sent)
        return msg

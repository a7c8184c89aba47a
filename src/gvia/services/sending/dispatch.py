"""The dispatcher: sends what the outbox holds, exactly once or visibly uncertain.

Life of a message: ``queued`` → claimed (``sending`` with a lease and this worker's name,
committed) → checked and composed → the raw message appended to the proof log →
``send_started_at`` set (committed) → handed to the channel → recorded (``sent``, with the
server's reply).

- A temporary failure (4xx, timeout, refused or dropped connection before the end of DATA)
  puts it back to ``queued`` with a backoff; after :data:`MAX_ATTEMPTS` it is ``failed``.
- A permanent failure (5xx, invalid address, nothing to compose) makes it ``failed`` and
  opens a task.
- A dead worker leaves its message ``sending``. If ``send_started_at`` is empty nothing left
  the machine, and the message goes back to ``queued``; otherwise nobody knows whether the
  server got it, and it becomes ``uncertain`` with a task for a person. It is never re-sent
  or dropped silently. (On SQLite the one worker holding the file lock recovers every
  ``sending`` message when it starts; on PostgreSQL a message is recovered when its lease
  has run out.)

Claims take a batch (:data:`BATCH`) at a time with ``SELECT … FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so several workers share the outbox; on SQLite one worker runs at a time (an
operating-system file lock, see worker.py). A worker told to stop gives back the claimed
messages it has not started. The facts the check below needs are read for the whole batch.
Before sending, the dispatcher checks that the message still makes sense: a reminder to a
customer who has paid, who is on "do not chase", or whose cycle has ended is cancelled; one
to a customer who is paused (a promise, a call-back, a reply a person has not read yet) waits
until the pause is over.

Paper letters are not the dispatcher's: they wait ``queued`` for a person to print the day's
batch (:mod:`gvia.services.letters.print_batch`). Short texts (``sms``, ``whatsapp``) go the same way
through their provider (:func:`send_text`, :mod:`gvia.services.sending.texts`): the request is the
proof, ``send_started_at`` is set before it leaves, a reply lost after the request was written is
uncertain; a number that opted out cancels the message; a channel without a provider fails with
a task.

Named checkpoints (for crash tests and tracing): ``claimed``, ``before_send``, ``data_sent``
(inside the channel, after the end of the message was written), ``accepted``,
``before_record``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import BinaryIO, Callable

from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import F, Max, Q

from gvia.channels.catcher import CatcherSender
from gvia.channels.mime import build, recipients
from gvia.channels.sms.base import TextOut
from gvia.channels.sms.http import OptedOut
from gvia.channels.smtp import Accepted, PermanentFailure, SendError, SmtpSender, TemporaryFailure, Uncertain
from gvia.core import aging
from gvia.core.demand import threatens_proceedings
from gvia.core.errors import GviaError, Worded
from gvia.core.limitation import time_barred
from gvia.core.message_log import added
from gvia.core.policy import DEADLINE_DOCUMENTS, PAPER_CHANNELS, TEXT_CHANNELS
from gvia.policies import default_policy
from gvia.services import clock, settings
from gvia.services.arrangements.plans import reminder_still_wanted
from gvia.services.engine.cases import note_warning_sent
from gvia.services.engine.policies import parse
from gvia.services.legal import limitation
from gvia.services.sending import texts
from gvia.services.sending.compose import compose_message, composing
from gvia.services.sending.journal import Journal
from gvia.services.sending.mailconfig import sender_for
from gvia.services.sending.window import eligible_orgs, sending_hours
from gvia.services.webhooks import events as webhook_events
from gvia.store.models import Activity, Case, Customer, Invoice, Organization, OutboxMessage, Pause, PolicyVersion, Task
from gvia.store.models_portal_requests import ASKED_KINDS, PortalRequest

# A claim is held for LEASE and renewed by its worker while it works (every RENEW_AFTER): a
# killed worker's claims come back to the others about a minute later, never while it lives.
LEASE = timedelta(minutes=1)
RENEW_AFTER = LEASE / 4
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1),
           timedelta(hours=4), timedelta(hours=12))
MAX_ATTEMPTS = 7
EMAIL_CHANNELS = ("email",)
MESSAGE_CHANNELS = EMAIL_CHANNELS + tuple(sorted(TEXT_CHANNELS))    # a "message sent" on the timeline
CHECKPOINTS = ("claimed", "before_send", "data_sent", "accepted", "before_record")

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
    deferred: int = 0
    recovered_uncertain: int = 0
    requeued: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("sent", "retried", "failed", "uncertain", "cancelled", "deferred",
                                              "recovered_uncertain", "requeued")}

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed + self.uncertain + self.cancelled + self.deferred


# --- tasks and timeline ----------------------------------------------------------------------

def open_task(msg: OutboxMessage, kind: str, text: str, today: date) -> None:
    Task.objects.get_or_create(
        organization_id=msg.organization_id, key=f"{kind}:{msg.id}",
        defaults={"customer_id": msg.customer_id, "kind": kind, "due_date": today, "message": msg,
                  "data": {"text": text, "subject": msg.subject, "channel": msg.channel}})


def _activity(msg: OutboxMessage, org: Organization, now: datetime, text: str, **data) -> None:
    Activity.objects.create(organization_id=msg.organization_id, customer_id=msg.customer_id,
                            kind=Activity.Kind.MESSAGE_OUT if msg.channel in MESSAGE_CHANNELS else Activity.Kind.LETTER,
                            date=clock.org_today(org, now), at=now, text=text,
                            data={"message": msg.id, "channel": msg.channel, "document": msg.document,
                                  "stage": msg.stage_key, **data},
                            actor="system")


# --- recovering from crashes -----------------------------------------------------------------

@dataclass
class Recovered:
    requeued: int = 0
    uncertain: int = 0


def recover_stale(now: datetime, everything: bool = False) -> Recovered:
    """Messages left ``sending`` by a dead worker: back to ``queued`` when nothing left the
    machine, else ``uncertain`` with a task. Only those whose lease ran out, or all of them when
    ``everything`` (on SQLite the worker holding the file lock is the only one)."""
    qs = OutboxMessage.objects.filter(status=OutboxMessage.Status.SENDING)
    if not everything:
        qs = qs.filter(lease_until__lt=now)
    out = Recovered()
    for msg in qs:
        who = msg.worker or "?"
        with transaction.atomic():
            if msg.send_started_at is None:
                n = OutboxMessage.objects.filter(id=msg.id, status=OutboxMessage.Status.SENDING,
                                                 send_started_at__isnull=True).update(
                    status=OutboxMessage.Status.QUEUED, updated_at=now, lease_until=None,
                    log=added(msg.log, now, Worded(f"worker {who} stopped before sending; queued again",
                                                   "outbox_worker_stopped_before", worker=who)))
                out.requeued += n
                continue
            n = OutboxMessage.objects.filter(id=msg.id, status=OutboxMessage.Status.SENDING).update(
                status=OutboxMessage.Status.UNCERTAIN, updated_at=now,
                log=added(msg.log, now, Worded(f"worker {who} stopped while sending; the server may or may not "
                                               "have the message", "outbox_worker_stopped_sending", worker=who)))
            if n:
                org = Organization.objects.only("time_zone").get(id=msg.organization_id)
                open_task(msg, Task.Kind.UNCERTAIN_MESSAGE,
                          "The worker stopped while sending this message. Check whether the customer received "
                          "it, then mark it sent or not sent.", clock.org_today(org, now))
                out.uncertain += 1
    return out


# --- claiming --------------------------------------------------------------------------------

BATCH = 25


def claim_batch(now: datetime, worker_id: str, org_ids: list[int] | None = None,
                size: int = BATCH) -> list[OutboxMessage]:
    """Take up to ``size`` due messages for this worker, committed as ``sending`` with a lease
    (``SKIP LOCKED``: several workers on PostgreSQL never take the same message)."""
    with transaction.atomic():
        qs = (OutboxMessage.objects.select_for_update(skip_locked=True)
              .filter(status=OutboxMessage.Status.QUEUED)
              .exclude(channel__in=sorted(PAPER_CHANNELS))
              .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
              .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
              .order_by("id"))
        if org_ids is not None:
            qs = qs.filter(organization_id__in=org_ids)
        msgs = list(qs[:size])
        if not msgs:
            return []
        ids = [m.id for m in msgs]
        OutboxMessage.objects.filter(id__in=ids, status=OutboxMessage.Status.QUEUED).update(
            status=OutboxMessage.Status.SENDING, attempts=F("attempts") + 1, lease_until=now + LEASE,
            worker=worker_id, send_started_at=None, updated_at=now)
        claimed = dict(OutboxMessage.objects.filter(id__in=ids, status=OutboxMessage.Status.SENDING,
                                                    worker=worker_id).values_list("id", "attempts"))
    out = []
    for m in msgs:
        if m.id in claimed:
            m.status, m.attempts, m.lease_until, m.worker, m.send_started_at = (
                OutboxMessage.Status.SENDING, claimed[m.id], now + LEASE, worker_id, None)
            out.append(m)
    return out


def renew(worker_id: str, now: datetime) -> int:
    """This worker is alive: every message it holds keeps its claim for another :data:`LEASE`."""
    return OutboxMessage.objects.filter(status=OutboxMessage.Status.SENDING, worker=worker_id).update(
        lease_until=now + LEASE)


def release_unstarted(worker_id: str, now: datetime) -> int:
    """Give back every message this worker claimed and did not start (it is stopping, however it
    stops): the other workers take them at once instead of waiting for the lease to run out."""
    return OutboxMessage.objects.filter(status=OutboxMessage.Status.SENDING, worker=worker_id,
                                        send_started_at__isnull=True).update(
        status=OutboxMessage.Status.QUEUED, attempts=F("attempts") - 1, lease_until=None, updated_at=now)


def release(msgs: list[OutboxMessage], now: datetime) -> int:
    """Give back claimed messages this worker will not handle (it is stopping): nothing of them
    left the machine."""
    if not msgs:
        return 0
    return OutboxMessage.objects.filter(id__in=[m.id for m in msgs], status=OutboxMessage.Status.SENDING,
                                        worker=msgs[0].worker, send_started_at__isnull=True).update(
        status=OutboxMessage.Status.QUEUED, attempts=F("attempts") - 1, lease_until=None, updated_at=now)


# --- does it still make sense? ---------------------------------------------------------------

@dataclass(frozen=True)
class Verdict:
    cancel: Worded | str = ""             # why it must not go out any more
    wait_until: datetime | None = None
    wait_reason: Worded | str = ""


def cancelled(why: Worded | str) -> Worded:
    """The log entry of a message cancelled before it went out (sent or printed), and why."""
    return Worded(f"cancelled before sending: {why}", "outbox_cancelled", why=why)


SEND = Verdict()


def _next_window(org: Organization, day: date) -> datetime:
    """The start of the sending hours on ``day`` (local), as UTC."""
    start, _end = sending_hours(org)
    return datetime.combine(day, start, tzinfo=clock.org_zone(org)).astimezone(timezone.utc)


@dataclass
class Facts:
    """What :func:`still_wanted` looks at, read for a batch of messages in a few queries."""

    hold: dict[int, str] = field(default_factory=dict)                     # customer -> do-not-chase reason
    cases: dict[int, tuple[int, bool]] = field(default_factory=dict)       # customer -> (cycle, active)
    pauses: dict[int, list[tuple]] = field(default_factory=dict)           # customer -> (kind, reason, until, invoices)
    invoices: dict[int, list[tuple[int, date]]] = field(default_factory=dict)  # customer -> open (id, due)
    replies: dict[int, tuple[date, datetime]] = field(default_factory=dict)    # customer -> last reply (date, at)
    #: customer -> the latest promise or plan they asked for on their page that waits for a person (at, kind)
    asked: dict[int, tuple[datetime, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, customer_ids) -> "Facts":
        ids = sorted(set(customer_ids))
        f = cls()
        f.hold = {cid: reason or "" for cid, reason in Customer.objects.filter(
            id__in=ids, do_not_chase=True).values_list("id", "do_not_chase_reason")}
        f.cases = {cid: (cycle, active) for cid, cycle, active in
                   Case.objects.filter(customer_id__in=ids).values_list("customer_id", "cycle", "active")}
        for cid, *rest in Pause.objects.filter(customer_id__in=ids, active=True).values_list(
                "customer_id", "kind", "reason", "until", "invoices"):
            f.pauses.setdefault(cid, []).append(tuple(rest))
        for cid, iid, due in (Invoice.objects.filter(customer_id__in=ids, kind=Invoice.Kind.INVOICE)
                              .exclude(open_minor=0).values_list("customer_id", "id", "due_date")):
            f.invoices.setdefault(cid, []).append((iid, due))
        f.replies = {cid: (d, at) for cid, d, at in Activity.objects.filter(
            customer_id__in=ids, kind=Activity.Kind.MESSAGE_IN).values_list("customer_id").annotate(
            d=Max("date"), at=Max("at")).values_list("customer_id", "d", "at")}
        for cid, at, kind in PortalRequest.objects.filter(
                customer_id__in=ids, status=PortalRequest.Status.PENDING, kind__in=ASKED_KINDS).order_by(
                "at").values_list("customer_id", "at", "kind"):
            f.asked[cid] = (at, kind)
        return f


def still_wanted(msg: OutboxMessage, org: Organization, today: date, reply_pause_days: int | None = None,
                 facts: Facts | None = None) -> Verdict:
    """Whether the message should go out now, be cancelled, or wait for a pause to end."""
    f = facts or Facts.load([msg.customer_id])
    cid = msg.customer_id
    if cid in f.hold:
        held = f.hold[cid]
        return Verdict(cancel=Worded(f"customer is on 'do not chase' ({held or 'no reason given'})",
                                     "outbox_why_do_not_chase" if held else "outbox_why_do_not_chase_plain",
                                     reason=held))
    if msg.idempotency_key.startswith("plan:"):
        reason = reminder_still_wanted(msg.idempotency_key)
        return Verdict(cancel=reason) if reason else SEND
    if msg.idempotency_key.startswith("manual:") or not msg.stage_key:
        return SEND
    case = f.cases.get(cid)
    if case is not None and (case[0] != msg.cycle or not case[1]):
        return Verdict(cancel=Worded(f"the collection cycle {msg.cycle} it belongs to has ended",
                                     "outbox_why_cycle_ended", cycle=msg.cycle))
    off_ladder: set[int] = set()
    resume: date | None = None
    why = ""
    for kind, reason, until, invoices in f.pauses.get(cid, ()):
        if until is not None and until < today:
            continue
        if kind == Pause.Kind.DISPUTE or invoices:
            off_ladder.update(int(i) for i in invoices or [])
            continue
        end = (until or today) + timedelta(days=1)   # open-ended: look again tomorrow
        if resume is None or end > resume:
            resume, why = end, Worded(f"paused ({kind}: {reason})",
                                       "outbox_why_paused" if reason else "outbox_why_paused_plain",
                                       pause_kind=kind, reason=reason or "")
    courtesy = msg.stage_key == "courtesy"
    if not any(iid not in off_ladder and (courtesy or aging.is_overdue(due, today))
               for iid, due in f.invoices.get(cid, ())):
        return Verdict(cancel=Worded("nothing is open", "outbox_why_nothing_open") if courtesy
                       else Worded("nothing is overdue any more", "outbox_why_nothing_overdue"))
    if threatens_proceedings(msg.document):
        # a threat of proceedings never demands a time-barred debt (gvia.core.demand): with nothing
        # else overdue, the letter has nothing to demand
        overdue = [(iid, due) for iid, due in f.invoices.get(cid, ())
                   if iid not in off_ladder and aging.is_overdue(due, today)]
        ends = limitation.invoice_ends(org, overdue, today)
        if overdue and all(iid in ends and time_barred(ends[iid].end, today) for iid, _ in overdue):
            return Verdict(cancel=Worded(f"every overdue invoice is past its limitation date: a {msg.document} "
                                         "threatens proceedings and does not demand a time-barred debt",
                                         "outbox_why_time_barred", doc_kind=msg.document))
    # the customer's answers (a reply; a promise or a plan asked for on their page, still waiting
    # for a person): no automatic message overtakes a person's reading of them, for the reply days;
    # a message a person approved after the answer came has been seen
    answers: list[tuple[date, datetime | None, Worded]] = []
    reply = f.replies.get(cid)
    if reply is not None:
        replied, replied_at = reply
        answers.append((replied, replied_at, Worded(f"the customer replied on {replied.isoformat()}; a person reads "
                                                    "it first", "outbox_why_replied", day=replied)))
    asked = f.asked.get(cid)
    if asked is not None:
        asked_at, kind = asked
        asked_on = clock.org_today(org, asked_at)
        answers.append((asked_on, asked_at, Worded(f"the customer asked for a {kind} on their page on "
                                                   f"{asked_on.isoformat()}; a person answers first",
                                                   "outbox_why_asked", request_kind=kind, day=asked_on)))
    days = reply_pause_days or 0
    for day, at, said in answers:
        if days and day <= today <= day + timedelta(days=days) \
                and not (msg.approved_at and at and msg.approved_at > at):
            end = day + timedelta(days=days + 1)
            if resume is None or end > resume:
                resume, why = end, said
    if resume is not None:
        return Verdict(wait_until=_next_window(org, resume), wait_reason=why)
    return SEND


# --- sending one message ---------------------------------------------------------------------

class ProofLog:
    """The raw messages as sent, kept as proof: appended to one file per worker process,
    organization and month (``outbox/<org>/<yyyy-mm>/<worker>.eml-log``); the message's
    ``raw_path`` says where: ``<file>#<offset>+<length>``. Appending to an open file costs
    nothing next to creating a file per message. Only this process writes its file, so a crash
    mid-write leaves unreferenced bytes at its end, never a wrong proof.

    Beside each file, :meth:`note` keeps the journal of what became of each message (handed to
    the server, accepted, not delivered, uncertain): the record a database put back from a backup
    is reconciled with (:mod:`gvia.services.sending.journal`)."""

    def __init__(self, worker_id: str):
        self.worker = "".join(c if c.isalnum() or c in "-._" else "_" for c in worker_id)
        self.files: dict[Path, BinaryIO] = {}
        self.journal = Journal(self.worker)

    def note(self, event: str, msg: OutboxMessage, now: datetime, **details) -> None:
        self.journal.note(event, msg, now, **details)

    def append(self, msg: OutboxMessage, data: bytes, now: datetime) -> str:
        root = Path(django_settings.STORAGE_ROOT)
        path = root / "outbox" / str(msg.organization_id) / now.strftime("%Y-%m") / f"{self.worker}.eml-log"
        f = self.files.get(path)
        if f is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            f = self.files[path] = open(path, "ab")
        offset = f.tell()
        f.write(data)
        f.flush()
        return f"{path.relative_to(root)}#{offset}+{len(data)}"

    def close(self) -> None:
        for f in self.files.values():
            f.close()
        self.files.clear()
        self.journal.close()


def read_raw(raw_path: str) -> bytes:
    """The message as sent, from its ``raw_path`` (a proof-log slice, or a whole file)."""
    root = Path(django_settings.STORAGE_ROOT)
    name, _, where = raw_path.partition("#")
    path = (root / name).resolve()
    if root.resolve() not in path.parents:
        # the dispatcher writes raw_path itself: only a damaged or forged record reaches this guard
        raise ValueError(f"{raw_path!r} is outside the storage root")  # not shown: a damaged record
    if not where:
        return path.read_bytes()
    offset, _, length = where.partition("+")
    with open(path, "rb") as f:
        f.seek(int(offset))
        return f.read(int(length))


def _fail(msg: OutboxMessage, now: datetime, exc: SendError, today: date, report: DispatchReport) -> None:
    reply = why_not_sent(exc)
    code = "outbox_attempt_uncertain" if isinstance(exc, Uncertain) else "outbox_attempt_failed"
    log = added(msg.log, now, Worded(f"attempt {msg.attempts}: {exc}", code, attempt=msg.attempts, reply=reply))
    mine = OutboxMessage.objects.filter(id=msg.id, status=OutboxMessage.Status.SENDING)
    if isinstance(exc, Uncertain):
        mine.update(status=OutboxMessage.Status.UNCERTAIN, log=log, updated_at=now)
        open_task(msg, Task.Kind.UNCERTAIN_MESSAGE, f"The server may or may not have accepted it: {exc}", today)
        report.uncertain += 1
    elif isinstance(exc, TemporaryFailure) and msg.attempts < MAX_ATTEMPTS:
        delay = BACKOFF[min(msg.attempts - 1, len(BACKOFF) - 1)]
        mine.update(status=OutboxMessage.Status.QUEUED, log=log, next_attempt_at=now + delay,
                    send_started_at=None, updated_at=now)
        report.retried += 1
    else:
        with transaction.atomic():
            if mine.update(status=OutboxMessage.Status.FAILED, log=log, updated_at=now):
                webhook_events.emit(msg.organization, "message.failed", f"message:{msg.id}", {
                    "customer": webhook_events.customer_data(msg.customer), "message": msg.id,
                    "channel": msg.channel, "document": msg.document, "stage": msg.stage_key,
                    "attempts": msg.attempts}, now)
            open_task(msg, Task.Kind.FAILED_MESSAGE, f"Sending failed: {exc}", today)
        report.failed += 1


def why_not_sent(exc: SendError) -> Worded | str:
    """What the failure says: gvia's own reason (worded), else what the server or provider said."""
    first = exc.args[0] if exc.args else ""
    return first if isinstance(first, Worded) else str(exc)


def _not_sent(msg: OutboxMessage, now: datetime, exc: SendError, today: date, report: DispatchReport,
              proof: ProofLog) -> None:
    """The channel raised: the journal says what became of the message, then the outbox (:func:`_fail`)."""
    proof.note("uncertain" if isinstance(exc, Uncertain) else "not_delivered", msg, now, error=str(exc)[:500])
    _fail(msg, now, exc, today, report)


def _record_sent(msg: OutboxMessage, org: Organization, now: datetime, today: date, reply: str, text: str,
                 **data) -> None:
    with transaction.atomic():
        done = OutboxMessage.objects.filter(id=msg.id, status=OutboxMessage.Status.SENDING).update(
            status=OutboxMessage.Status.SENT, sent_at=now, server_reply=reply, updated_at=now)
        if not done:   # a lease ran out meanwhile and it was marked uncertain: we know better now
            OutboxMessage.objects.filter(id=msg.id, status=OutboxMessage.Status.UNCERTAIN).update(
                status=OutboxMessage.Status.SENT, sent_at=now, server_reply=reply, updated_at=now)
            Task.objects.filter(message_id=msg.id, kind=Task.Kind.UNCERTAIN_MESSAGE, open=True).update(
                open=False, closed_at=now, outcome="sent")
        _activity(msg, org, now, text, **data)
    start_warning_clock(msg, today, now)


def start_warning_clock(msg: OutboxMessage, sent_on: date, now: datetime) -> bool:
    """An e-mail-only warning (its stage sends no paper): its deadline and notice period run from
    the day it was sent. A warning on paper waits for its posting (`gvia mail registered`)."""
    if msg.channel not in EMAIL_CHANNELS or msg.document not in DEADLINE_DOCUMENTS:
        return False
    if OutboxMessage.objects.filter(customer_id=msg.customer_id, cycle=msg.cycle, stage_key=msg.stage_key,
                                    channel__in=sorted(PAPER_CHANNELS)).exclude(
            status__in=[OutboxMessage.Status.CANCELLED, OutboxMessage.Status.REJECTED]).exists():
        return False
    return note_warning_sent(msg.customer_id, msg.cycle, msg.stage_key, sent_on, now, how="by e-mail")


def send_one(msg: OutboxMessage, now: datetime, org: Organization, sender, composer, checkpoint: Checkpoint,
             report: DispatchReport, proof: ProofLog, reply_pause_days: int | None = None,
             facts: Facts | None = None,
             text_sender: Callable[[int, str], texts.TextSender | GviaError | None] | None = None,
             ) -> None:
    today = clock.org_today(org, now)
    verdict = still_wanted(msg, org, today, reply_pause_days, facts)
    mine = OutboxMessage.objects.filter(id=msg.id, status=OutboxMessage.Status.SENDING, worker=msg.worker)
    if verdict.cancel:
        mine.update(status=OutboxMessage.Status.CANCELLED, updated_at=now,
                    log=added(msg.log, now, cancelled(verdict.cancel)))
        report.cancelled += 1
        return
    if verdict.wait_until is not None:
        mine.update(status=OutboxMessage.Status.QUEUED, attempts=msg.attempts - 1, next_attempt_at=verdict.wait_until,
                    updated_at=now, log=added(msg.log, now, Worded(
                        f"waits until {verdict.wait_until.isoformat()}: {verdict.wait_reason}", "outbox_waits",
                        until=verdict.wait_until, why=verdict.wait_reason)))
        report.deferred += 1
        return
    if msg.channel in TEXT_CHANNELS:
        found = text_sender(msg.organization_id, msg.channel) if text_sender else texts.sender_for(org, msg.channel)
        if isinstance(found, GviaError):
            _fail(msg, now, PermanentFailure(Worded(f"the {msg.channel} provider's settings cannot be read: {found}",
                                                    "outbox_provider_unreadable", via=msg.channel, why=found)),
                  today, report)
            return
        send_text(msg, now, org, found, checkpoint, report, proof)
        return
    try:
        composed = composer(msg, org, today)
    except Exception as exc:  # a message that cannot be composed must not stop the run
        _fail(msg, now, PermanentFailure(Worded(f"could not compose the message: {exc}", "outbox_not_composed",
                                                why=exc if isinstance(exc, GviaError) else str(exc))), today, report)
        report.errors.append(f"message {msg.id}: {exc}")
        return
    if msg.channel not in EMAIL_CHANNELS:
        _fail(msg, now, PermanentFailure(Worded(f"no provider is configured for the {msg.channel} channel",
                                                "outbox_no_provider", via=msg.channel)), today, report)
        return
    email = composed.email
    if not email.to:
        _fail(msg, now, PermanentFailure(Worded("the customer has no e-mail address", "outbox_no_email")), today,
              report)
        return
    if email.date is None:
        email = replace(email, date=now)
    try:
        mime = build(email)
        raw = mime.as_bytes()
    except Exception as exc:  # a message that cannot be written must not stop the run
        _fail(msg, now, PermanentFailure(Worded(f"could not build the message: {exc}", "outbox_not_built",
                                                why=str(exc))), today, report)
        return
    rel = proof.append(msg, raw, now)
    checkpoint("before_send")
    # From here the message may leave the machine: say so first, in the journal (outside the
    # database, so a restored backup learns it too) and in the database, with the proof of what
    # is sent (a crash after this makes it uncertain, never re-sent). The update also proves the
    # claim is still ours.
    what = {"raw_path": rel, "message_id": email.message_id, "subject": email.subject[:500], "to": email.to,
            "cc": email.cc}
    proof.note("started", msg, now, **what)
    if not mine.filter(send_started_at__isnull=True).update(
            send_started_at=now, raw_path=rel, message_id=email.message_id, subject=email.subject[:500],
            to_addrs=email.to, cc_addrs=email.cc):
        # its journal keeps "started": whoever holds it now may be sending it (cautious after a restore)
        report.errors.append(f"message {msg.id}: no longer held by this worker; left alone")
        return
    try:
        accepted: Accepted = sender.send(mime, email.from_addr, recipients(email), checkpoint, raw=raw)
    except SendError as exc:
        _not_sent(msg, now, exc, today, report, proof)
        return
    checkpoint("accepted")
    checkpoint("before_record")
    try:    # the sent-mail record first: a database restored from an older backup learns it from there
        proof.note("sent", msg, now, reply=accepted.reply, **what)
    except OSError as exc:
        report.errors.append(f"message {msg.id}: sent, but its journal line was not written: {exc}")
    _record_sent(msg, org, now, today, accepted.reply, email.subject, to=email.to, cc=email.cc,
                 server_reply=accepted.reply)
    report.sent += 1


def send_text(msg: OutboxMessage, now: datetime, org: Organization, sender: texts.TextSender | None,
              checkpoint: Checkpoint, report: DispatchReport, proof: ProofLog) -> None:
    """Send one SMS or WhatsApp message the way :func:`send_one` sends an e-mail (the module doc)."""
    today = clock.org_today(org, now)
    mine = OutboxMessage.objects.filter(id=msg.id, status=OutboxMessage.Status.SENDING, worker=msg.worker)
    if sender is None:
        _fail(msg, now, PermanentFailure(Worded(f"no provider is configured for the {msg.channel} channel",
                                                "outbox_no_provider", via=msg.channel)), today, report)
        return
    try:
        composed = texts.compose_text(msg, org, today)
    except Exception as exc:  # a message that cannot be composed must not stop the run
        _fail(msg, now, PermanentFailure(Worded(f"could not compose the message: {exc!r}", "outbox_not_composed",
                                                why=exc if isinstance(exc, GviaError) else repr(exc))), today, report)
        return
    if texts.opted_out(msg.organization_id, composed.to):
        mine.update(status=OutboxMessage.Status.CANCELLED, updated_at=now,
                    log=added(msg.log, now, cancelled(Worded(f"{composed.to} asked for no more texts",
                                                             "outbox_why_no_more_texts", to=composed.to))))
        report.cancelled += 1
        return
    out = TextOut(to=composed.to, text=composed.text, reference=f"gvia-{msg.id}", template=composed.template,
                  template_language=composed.language, params=composed.params,
                  status_callback=texts.hook_url(org, sender.provider) if sender.provider == "twilio" else "")
    prepared = sender.prepare(out)
    rel = proof.append(msg, prepared.proof, now)
    checkpoint("before_send")
    subject = composed.text[:500]
    what = {"raw_path": rel, "message_id": f"gvia-{msg.id}", "subject": subject, "to": [composed.to], "cc": []}
    proof.note("started", msg, now, **what)
    if not mine.filter(send_started_at__isnull=True).update(
            send_started_at=now, raw_path=rel, message_id=f"gvia-{msg.id}", subject=subject,
            to_addrs=[composed.to], cc_addrs=[]):
        report.errors.append(f"message {msg.id}: no longer held by this worker; left alone")
        return
    try:
        sent = sender.send(prepared, checkpoint)
    except OptedOut as exc:
        proof.note("not_delivered", msg, now, error=str(exc)[:500])
        texts.record_opt_out(org, composed.to, "provider", now, provider=sender.provider, channel=msg.channel)
        mine.update(status=OutboxMessage.Status.CANCELLED, updated_at=now,
                    log=added(msg.log, now, cancelled(Worded(f"the provider refuses: {exc}", "outbox_why_opted_out",
                                                             reply=str(exc)))))
        report.cancelled += 1
        return
    except SendError as exc:
        _not_sent(msg, now, exc, today, report, proof)
        return
    checkpoint("accepted")
    checkpoint("before_record")
    known_as = (sent.provider_id or f"gvia-{msg.id}")[:300]      # the provider's id: its reports name it
    what["message_id"] = known_as
    try:
        proof.note("sent", msg, now, reply=sent.reply, **what)
    except OSError as exc:
        report.errors.append(f"message {msg.id}: sent, but its journal line was not written: {exc}")
    with transaction.atomic():
        _record_sent(msg, org, now, today, sent.reply, composed.text, to=[composed.to], server_reply=sent.reply,
                     provider=sender.provider, provider_id=sent.provider_id)
        OutboxMessage.objects.filter(id=msg.id).update(message_id=known_as)
    msg.message_id = known_as
    texts.reports_before_record(msg, sender.provider, now)
    report.sent += 1


# --- the loop --------------------------------------------------------------------------------

class OrgCache:
    """Organizations, their senders, send rates, sending windows and reply pauses, cached for one
    pass over the outbox (the dispatcher's, or the print batch's)."""

    def __init__(self, eligible: Callable[[datetime], list[int]]):
        self.eligible_fn = eligible
        self.orgs: dict[int, Organization] = {}
        self.senders: dict[int, SmtpSender | CatcherSender] = {}
        self.text_senders: dict[tuple[int, str], texts.TextSender | GviaError | None] = {}
        self.last_sent: dict[int, float] = {}
        self.reply_pause: dict[int | None, int] = {}
        self._window: tuple[datetime, list[int]] | None = None

    def eligible(self, now: datetime) -> list[int]:
        minute = now.replace(second=0, microsecond=0)
        if self._window is None or self._window[0] != minute:
            self._window = (minute, self.eligible_fn(now))
        return self._window[1]

    def org(self, org_id: int) -> Organization:
        if org_id not in self.orgs:
            self.orgs[org_id] = Organization.objects.get(id=org_id)
        return self.orgs[org_id]

    def sender(self, org_id: int) -> SmtpSender | CatcherSender:
        if org_id not in self.senders:
            self.senders[org_id] = sender_for(self.org(org_id))
        return self.senders[org_id]

    def text_sender(self, org_id: int, channel: str) -> texts.TextSender | GviaError | None:
        """The organization's adapter for ``channel``; the error when its settings cannot be read
        (a secret sealed with another installation's key): that organization's texts fail with a
        task, the others' go on."""
        if (org_id, channel) not in self.text_senders:
            try:
                found: texts.TextSender | GviaError | None = texts.sender_for(self.org(org_id), channel)
            except GviaError as exc:
                found = exc
            self.text_senders[(org_id, channel)] = found
        return self.text_senders[(org_id, channel)]

    def reply_pause_days(self, msg: OutboxMessage) -> int:
        """Days a reply pauses automatic messages: the organization's setting, else the policy's
        that planned the message, else the country's shipped ladder's."""
        own = settings.value(self.org(msg.organization_id), "reply_pause_days")
        if own is not None:
            return own
        key = msg.policy_version_id
        if key not in self.reply_pause:


            version = PolicyVersion.objects.select_related("policy").filter(id=key).first() if key else None
            checked = parse(version) if version else default_policy(self.org(msg.organization_id).country)
            self.reply_pause[key] = checked.reply_pause_days
        return self.reply_pause[key]

    def respect_rate(self, org_id: int) -> None:
        """Per-organization send-rate limit (settings.send_rate_per_minute; 0 = none)."""
        per_minute = settings.value(self.org(org_id), "send_rate_per_minute")
        if per_minute <= 0:
            return
        wait = self.last_sent.get(org_id, -1e9) + 60.0 / per_minute - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self.last_sent[org_id] = time.monotonic()

    def close(self) -> None:
        for s in self.senders.values():
            s.close()
        for t in self.text_senders.values():
            if t is not None and not isinstance(t, GviaError):
                t.close()


def dispatch_due(now_fn: Callable[[], datetime], worker_id: str, composer=None, checkpoint: Checkpoint = _noop,
                 limit: int | None = None, should_stop: Callable[[], bool] = lambda: False,
                 eligible: Callable[[datetime], list[int]] | None = None, batch: int = BATCH) -> DispatchReport:
    """Send due messages until none is left (or ``limit`` handled, or ``should_stop()``).

    Messages are claimed a batch at a time and what :func:`still_wanted` needs is read for the
    whole batch; each message is still checked, sent and recorded on its own."""

    if composer is None:
        composer = compose_message
    orgs = OrgCache(eligible or eligible_orgs)
    proof = ProofLog(worker_id)
    report = DispatchReport()
    try:
        while not should_stop() and (limit is None or report.handled < limit):
            now = now_fn()
            org_ids = orgs.eligible(now)
            if not org_ids:
                break
            size = batch if limit is None else max(1, min(batch, limit - report.handled))
            msgs = claim_batch(now, worker_id, org_ids, size)
            if not msgs:
                break
            renewed_at = now
            facts = Facts.load(m.customer_id for m in msgs)
            with composing(msgs):      # what composing the batch reads, read once for it
                for i, msg in enumerate(msgs):
                    if should_stop():
                        release(msgs[i:], now_fn())
                        break
                    checkpoint("claimed")
                    if now_fn() - renewed_at >= RENEW_AFTER:     # still alive: keep the batch's claims
                        renewed_at = now_fn()
                        renew(worker_id, renewed_at)
                    orgs.respect_rate(msg.organization_id)
                    send_one(msg, now_fn(), orgs.org(msg.organization_id), orgs.sender(msg.organization_id),
                             composer, checkpoint, report, proof, orgs.reply_pause_days(msg), facts, orgs.text_sender)
    finally:
        try:      # stopping for any reason: what this worker claimed and did not start goes back
            release_unstarted(worker_id, now_fn())
        except Exception as exc:  # noqa: BLE001 — the database itself may be what failed; the lease runs out
            report.errors.append(f"could not give back the claimed messages: {exc}")
        orgs.close()
        proof.close()
    return report

"""The outbox's journal, and the reconciliation that keeps a restored database from sending twice.

The proof log (:class:`gvia.services.sending.dispatch.ProofLog`) keeps each message's raw bytes
as it left. Beside each proof-log file the same process appends one JSON line per event to
``outbox/<org>/<yyyy-mm>/<process>.journal`` under the storage root — outside the database, so
that a database put back from a backup (``gvia restore``, ``pg_restore``) cannot forget them:

* ``started`` — the message is being handed to the mail server (written after its
  ``send_started_at`` is committed, just before the hand-over): it may have left from here on;
* ``sent`` — the server accepted it (the sent-mail record), written before the database
  records it; ``marked_sent`` — a person said it reached the customer;
* ``uncertain`` — the server may or may not have it; ``not_delivered`` — it certainly did not
  leave (a refusal, or a dropped connection before the end of the message); ``marked_not_sent``
  — a person said it did not arrive and queued it again.

Each line carries the message's organization and idempotency key (the cause that made it, the
same in every copy of the database), its id and customer, what the message was, and the wall
clock (``t``) that orders events across files.

:func:`reconcile` reads the lines written since the last reconciliation (its marks, a row per
journal file in ``OutboxJournalMark``, are kept in the database: a database put back from a
backup has the backup's marks, so everything journalled after the backup's moment is read
again) and makes the database agree with the last event of each message:

* last event ``sent`` or ``marked_sent``: the message is marked sent, whatever the database said
  (queued, awaiting approval, sending, failed, uncertain) — never queued again;
* last event ``started`` or ``uncertain``: unless the database already has it sent, failed,
  uncertain, cancelled or rejected, it becomes ``uncertain`` with a task for a person;
* a message the database does not have at all (planned after the backup's moment) is written
  back with what the journal says, so the daily run, planning it again under the same
  idempotency key, finds it there instead of sending it a second time.

A message another worker is sending right now (``sending`` with a live lease, PostgreSQL) is
left to that worker, and its file's mark stays before that line so the next reconciliation
reads it again. It runs when a worker starts (before stale messages are recovered) and after
``gvia restore``.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings as django_settings
from django.db import transaction
from django.utils.dateparse import parse_datetime

from gvia.core.errors import Worded
from gvia.core.message_log import added
from gvia.services import clock
from gvia.store.models import (
    Activity,
    AuditRecord,
    Customer,
    Organization,
    OutboxJournalMark,
    OutboxMessage,
    PolicyVersion,
    Task,
)

SUFFIX = ".journal"
SENT_EVENTS = ("sent", "marked_sent")
MAYBE_EVENTS = ("started", "uncertain")
# the database already says something at least as cautious as "it may have left"
SETTLED = (OutboxMessage.Status.SENT, OutboxMessage.Status.UNCERTAIN, OutboxMessage.Status.FAILED,
           OutboxMessage.Status.CANCELLED, OutboxMessage.Status.REJECTED)


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-._" else "_" for c in name)


def process_name() -> str:
    return _safe(f"{socket.gethostname()}:{os.getpid()}")


def _root() -> Path:
    return Path(django_settings.STORAGE_ROOT)


def journal_path(org_id: int, now: datetime, writer: str) -> Path:
    return _root() / "outbox" / str(org_id) / now.strftime("%Y-%m") / f"{_safe(writer)}{SUFFIX}"


def describe(msg: OutboxMessage) -> dict:
    """What the journal keeps of a message: enough to write it back into a database that lost it."""
    return {
        "org": msg.organization_id, "key": msg.idempotency_key, "id": msg.id, "customer": msg.customer_id,
        "cycle": msg.cycle, "stage": msg.stage_key, "channel": msg.channel, "document": msg.document,
        "language": msg.language, "planned_for": msg.planned_for.isoformat() if msg.planned_for else None,
        "needs_approval": msg.needs_approval, "approved_by": msg.approved_by,
        "policy_version": msg.policy_version_id, "attempt": msg.attempts,
    }


class Journal:
    """One process's journal files (one per organization and month), appended line by line: each
    line is one ``write`` to a file opened for appending, so lines of two threads never mix."""

    def __init__(self, writer: str | None = None):
        self.writer = writer or process_name()
        self.files: dict[Path, int] = {}

    def note(self, event: str, msg: OutboxMessage, now: datetime, **details) -> None:
        path = journal_path(msg.organization_id, now, self.writer)
        fd = self.files.get(path)
        if fd is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = self.files[path] = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        line = {"ev": event, "t": time.time(), "at": now.isoformat(), "process": self.writer, **describe(msg),
                **details}
        os.write(fd, (json.dumps(line, ensure_ascii=False, default=str) + "\n").encode())

    def close(self) -> None:
        for fd in self.files.values():
            os.close(fd)
        self.files.clear()


def note_once(event: str, msg: OutboxMessage, now: datetime, **details) -> None:
    """Journal one event from a process that does not send (a person's decision)."""
    journal = Journal()
    try:
        journal.note(event, msg, now, **details)
    finally:
        journal.close()


# --- reading it back --------------------------------------------------------------------------

@dataclass
class Reconciled:
    marked_sent: list[int] = field(default_factory=list)
    marked_uncertain: list[int] = field(default_factory=list)
    written_back: list[int] = field(default_factory=list)
    unknown: int = 0             # events of customers or organizations this database does not hold
    events: int = 0
    by_org: dict[int, dict[str, list[int]]] = field(default_factory=dict)

    def add(self, what: str, msg: OutboxMessage) -> None:
        getattr(self, what).append(msg.id)
        self.by_org.setdefault(msg.organization_id, {}).setdefault(what, []).append(msg.id)

    @property
    def changed(self) -> bool:
        return bool(self.marked_sent or self.marked_uncertain or self.written_back)

    def __str__(self) -> str:       # the worker's log line
        return (f"{len(self.marked_sent)} marked sent, {len(self.marked_uncertain)} marked uncertain "
                f"({len(self.written_back)} of them written back) from the outbox journal")


@dataclass
class _Event:
    data: dict
    file: str
    start: int              # the line's first byte in its file


def _read_new(marks: dict[str, int]) -> tuple[list[_Event], dict[str, int]]:
    """Every complete line written after each file's mark, and each file's end (what was read)."""
    root = _root()
    events: list[_Event] = []
    ends: dict[str, int] = {}
    base = root / "outbox"
    if not base.exists():
        return events, ends
    for path in sorted(base.glob(f"*/*/*{SUFFIX}")):
        rel = str(path.relative_to(root))
        start = marks.get(rel, 0)
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            continue
        if start > size:         # not the file the mark was made on: read it whole
            start = 0
        with open(path, "rb") as f:
            f.seek(start)
            data = f.read(size - start)
        end = data.rfind(b"\n") + 1        # a line still being written is read next time
        pos = 0
        for raw in data[:end].splitlines(keepends=True):
            try:
                line = json.loads(raw)
            except ValueError:
                line = None
            if isinstance(line, dict) and line.get("ev") and line.get("key") and line.get("org"):
                events.append(_Event(line, rel, start + pos))
            pos += len(raw)
        ends[rel] = start + end
    return events, ends


def _when(value: str | None, default: datetime) -> datetime:
    return (parse_datetime(value) if value else None) or default


def _task(msg: OutboxMessage, text: str, now: datetime) -> None:
    org = Organization.objects.only("time_zone").get(id=msg.organization_id)
    from gvia.services.sending.dispatch import open_task

    open_task(msg, Task.Kind.UNCERTAIN_MESSAGE, text, clock.org_today(org, now))


def _write_back(ev: dict, status: str, now: datetime) -> OutboxMessage | None:
    """The message the database lost, as the journal describes it (None when its customer is not
    in this database)."""
    customer = ev.get("customer")
    if not isinstance(customer, int) or not Customer.objects.filter(id=customer, organization_id=ev["org"]).exists():
        return None
    version = ev.get("policy_version")
    if version and not PolicyVersion.objects.filter(id=version).exists():
        version = None
    planned = ev.get("planned_for")
    return OutboxMessage.objects.create(
        organization_id=ev["org"], customer_id=ev["customer"], idempotency_key=ev["key"], cycle=ev.get("cycle") or 0,
        stage_key=ev.get("stage") or "", channel=ev.get("channel") or "email", document=ev.get("document") or "",
        language=ev.get("language") or "he", status=status, needs_approval=bool(ev.get("needs_approval")),
        approved_by=ev.get("approved_by") or "", planned_for=date.fromisoformat(planned) if planned else now.date(),
        attempts=ev.get("attempt") or 1, policy_version_id=version,
        send_started_at=_when(ev.get("at"), now), worker=str(ev.get("process") or "")[:100],
        log=added([], now, Worded(f"written back from the outbox journal after the database lost it (message "
                                  f"{ev.get('id')} before)", "outbox_written_back", before=ev.get("id") or "")))


def _mark_sent(msg: OutboxMessage | None, ev: dict, now: datetime, out: Reconciled) -> None:
    at = _when(ev.get("at"), now)
    details = {k: ev[k] for k in ("raw_path", "message_id", "subject") if ev.get(k)}
    if ev.get("to"):
        details["to_addrs"] = ev["to"]
    if ev.get("cc"):
        details["cc_addrs"] = ev["cc"]
    how = "the mail server accepted it" if ev["ev"] == "sent" else f"{ev.get('by') or 'a person'} marked it sent"
    note = Worded(f"marked sent from the outbox journal: {how} at {at.isoformat()}, after the database's last record "
                  "of it", "outbox_journal_sent" if ev["ev"] == "sent" else "outbox_journal_marked_sent", at=at,
                  by=ev.get("by") or "")
    if msg is None:
        msg = _write_back(ev, OutboxMessage.Status.SENT, now)
        if msg is None:
            out.unknown += 1
            return
        out.add("written_back", msg)
    OutboxMessage.objects.filter(id=msg.id).update(
        status=OutboxMessage.Status.SENT, sent_at=at, updated_at=now, lease_until=None,
        server_reply=((msg.server_reply + "\n") if msg.server_reply else "") + (ev.get("reply") or how),
        log=added(msg.log, now, note), **details)
    Task.objects.filter(message_id=msg.id, open=True).update(open=False, closed_at=now, outcome="sent")
    msg.refresh_from_db()
    org = Organization.objects.get(id=msg.organization_id)
    from gvia.services.sending.dispatch import MESSAGE_CHANNELS, start_warning_clock

    Activity.objects.create(
        organization_id=msg.organization_id, customer_id=msg.customer_id,
        kind=Activity.Kind.MESSAGE_OUT if msg.channel in MESSAGE_CHANNELS else Activity.Kind.LETTER,
        date=clock.org_today(org, at), at=at, text=msg.subject or msg.document, actor="system",
        data={"message": msg.id, "channel": msg.channel, "document": msg.document, "stage": msg.stage_key,
              "to": msg.to_addrs, "server_reply": msg.server_reply, "reconciled": True})
    start_warning_clock(msg, clock.org_today(org, at), now)
    out.add("marked_sent", msg)


def _mark_uncertain(msg: OutboxMessage | None, ev: dict, now: datetime, out: Reconciled) -> None:
    at = _when(ev.get("at"), now)
    note = Worded(f"the outbox journal shows it was handed to the mail server at {at.isoformat()}, after the "
                  "database's last record of it: it may have reached the customer", "outbox_journal_uncertain", at=at)
    if msg is None:
        msg = _write_back(ev, OutboxMessage.Status.UNCERTAIN, now)
        if msg is None:
            out.unknown += 1
            return
        out.add("written_back", msg)
    details = {k: ev[k] for k in ("raw_path", "message_id", "subject") if ev.get(k)}
    OutboxMessage.objects.filter(id=msg.id).update(
        status=OutboxMessage.Status.UNCERTAIN, updated_at=now, lease_until=None,
        send_started_at=msg.send_started_at or at,
        log=added(msg.log, now, note), **details)
    msg.refresh_from_db()
    _task(msg, "The outbox journal shows this message was being sent after the database's last record of it "
               "(a restored backup, or a crash). Check whether the customer received it, then mark it sent or "
               "not sent.", now)
    out.add("marked_uncertain", msg)


def reconcile(now: datetime | None = None, everything: bool = False) -> Reconciled:
    """Make the outbox agree with its journal (see the module doc). ``everything``: no other
    worker is running (the SQLite file lock, or a restore), so no ``sending`` message is live."""
    now = now or clock.now_utc()
    out = Reconciled()
    with transaction.atomic():
        marks = dict(OutboxJournalMark.objects.values_list("path", "offset"))
        events, ends = _read_new(marks)
        out.events = len(events)
        latest: dict[tuple[int, str], _Event] = {}
        for e in sorted(events, key=lambda e: (float(e.data.get("t") or 0), e.file, e.start)):
            latest[(int(e.data["org"]), str(e.data["key"]))] = e
        by_org: dict[int, list[tuple[str, _Event]]] = defaultdict(list)
        for (org_id, key), e in latest.items():
            if e.data["ev"] in SENT_EVENTS + MAYBE_EVENTS:
                by_org[org_id].append((key, e))
        hold: dict[str, int] = {}
        orgs = set(Organization.objects.filter(id__in=list(by_org)).values_list("id", flat=True))
        for org_id, items in by_org.items():
            if org_id not in orgs:
                out.unknown += len(items)
                continue
            rows = {m.idempotency_key: m for m in OutboxMessage.objects.filter(
                organization_id=org_id, idempotency_key__in=[k for k, _ in items])}
            for key, e in items:
                ev, msg = e.data, rows.get(key)
                if msg is not None and ev.get("customer") and msg.customer_id != ev["customer"]:
                    out.unknown += 1          # not this database's message
                    continue
                if msg is not None and msg.status == OutboxMessage.Status.SENDING and not everything \
                        and msg.lease_until and msg.lease_until >= now:
                    hold[e.file] = min(hold.get(e.file, e.start), e.start)    # its worker is at it
                    continue
                if ev["ev"] in SENT_EVENTS:
                    if msg is None or msg.status != OutboxMessage.Status.SENT:
                        _mark_sent(msg, ev, now, out)
                elif msg is None or msg.status not in SETTLED:
                    _mark_uncertain(msg, ev, now, out)
        for rel, end in ends.items():
            offset = min(end, hold.get(rel, end))
            if marks.get(rel) != offset:
                OutboxJournalMark.objects.update_or_create(path=rel, defaults={"offset": offset})
        for org_id, ids in sorted(out.by_org.items()):
            AuditRecord.objects.create(organization_id=org_id, actor="system", action="outbox.reconciled",
                                       object_type="outboxmessage", details=ids, at=clock.now_utc())
    return out

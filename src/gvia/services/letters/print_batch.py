"""The day's paper letters: rendered in parallel, kept as proof, laid out for window envelopes.

Paper messages (channels ``letter`` and ``registered_letter``) wait in the outbox as ``queued``
(the dispatcher sends only e-mail) until a person prints them with :func:`render_due`
(``gvia letters batch``), which, for the organization and the day:

1. claims the due queued paper messages (``sending``, as the dispatcher claims, so that two
   runs never take the same message; if the run dies, the dispatcher's recovery queues them
   again, since nothing left the building);
2. checks each is still wanted, with the dispatcher's rules (paid, on hold, paused,
   disputed, the cycle ended): cancelled, or put back to wait, as the dispatcher would;
3. renders each letter with the documents it attaches (one envelope) on all cores, and
   keeps each envelope's PDF as proof under the storage root, exactly as printed;
4. writes one PDF per letter and one print batch into the folder: every letter in turn,
   laid out for window envelopes, then a posting list with a column for the
   registered-mail numbers;
5. marks the letters sent (printed) with an activity on each customer's timeline, in one
   transaction.

A letter that cannot be produced (nothing left to claim, a letterhead missing what a formal
letter needs) is marked failed with a task for a person, as the dispatcher does. Posting is
recorded afterwards with ``gvia mail registered`` (the legal clocks run from the posting date).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from django.db import transaction
from django.db.models import Q

from gvia.core.errors import GviaError, Worded
from gvia.core.message_log import added
from gvia.documents import Posting, assemble_print_batch, render_many
from gvia.documents.batch import posting_for
from gvia.services import audit, clock
from gvia.services.context import Ctx
from gvia.services.files import storage_root
from gvia.services.letters.content import letterhead_for
from gvia.services.sending.compose import merge_pdfs, message_contexts
from gvia.services.sending.dispatch import LEASE, Facts, OrgCache, cancelled, open_task, still_wanted
from gvia.store.models import Activity, OutboxMessage, Task

PAPER = ("letter", "registered_letter")
WORKER = "letters-batch"


@dataclass
class BatchResult:
    letters: int = 0                  # letters printed (marked sent)
    cancelled: int = 0
    waiting: int = 0
    failed: int = 0
    batch_path: Path | None = None
    files: list[Path] = field(default_factory=list)
    problems: list[Worded] = field(default_factory=list)     # each message not printed, and why


def _claim(ctx: Ctx, day: date, now, worker: str) -> list[OutboxMessage]:
    """Take the due paper messages for this run (``SKIP LOCKED`` on PostgreSQL)."""
    with transaction.atomic():
        ids = list(OutboxMessage.objects.select_for_update(skip_locked=True)
                   .filter(organization=ctx.org, channel__in=PAPER, status=OutboxMessage.Status.QUEUED,
                           planned_for__lte=day)
                   .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
                   .order_by("id").values_list("id", flat=True))
        OutboxMessage.objects.filter(id__in=ids, status=OutboxMessage.Status.QUEUED).update(
            status=OutboxMessage.Status.SENDING, worker=worker, lease_until=now + LEASE, send_started_at=None,
            updated_at=now)
    return list(OutboxMessage.objects.filter(id__in=ids, status=OutboxMessage.Status.SENDING, worker=worker)
                .select_related("customer", "policy_version").order_by("id"))


def _release(msg: OutboxMessage, worker: str, now, **changes) -> None:
    OutboxMessage.objects.filter(id=msg.id, status=OutboxMessage.Status.SENDING, worker=worker).update(
        updated_at=now, lease_until=None, **changes)


def _fail(msg: OutboxMessage, worker: str, now, day: date, why: GviaError, result: BatchResult) -> None:
    _release(msg, worker, now, status=OutboxMessage.Status.FAILED,
             log=added(msg.log, now, Worded(f"could not be printed: {why}", "outbox_not_printed", why=why)))
    open_task(msg, Task.Kind.FAILED_MESSAGE, f"The letter could not be produced: {why}", day)
    result.failed += 1
    result.problems.append(Worded(f"message {msg.id} ({msg.customer.ref}, {msg.document}): {why}", "batch_not_printed",
                                  message=msg.id, customer=msg.customer.ref, doc_kind=msg.document, why=why))


def render_due(ctx: Ctx, day: date, out_dir: Path, processes: int | None = None,
               progress: Callable | None = None, now=None, duplex: bool = False) -> BatchResult:
    """Print the day's paper letters (see the module doc). ``progress(phase, advance, total)``."""
    ctx.require("collector", "printing letters")
    now = now or clock.now_utc()
    worker = f"{WORKER}:{os.getpid()}"
    result = BatchResult()
    claimed = _claim(ctx, day, now, worker)
    try:
        return _print(ctx, day, Path(out_dir), processes, progress, now, duplex, worker, claimed, result)
    finally:
        # whatever this run did not finish goes back to the queue (nothing of it left the building)
        OutboxMessage.objects.filter(id__in=[m.id for m in claimed], status=OutboxMessage.Status.SENDING,
                                     worker=worker).update(status=OutboxMessage.Status.QUEUED, lease_until=None,
                                                           updated_at=now)


def _print(ctx: Ctx, day: date, out_dir: Path, processes: int | None, progress: Callable | None, now,
           duplex: bool, worker: str, claimed: list[OutboxMessage], result: BatchResult) -> BatchResult:

    facts = Facts.load([m.customer_id for m in claimed])
    orgs = OrgCache(lambda _now: [])
    envelopes: list[tuple[OutboxMessage, list]] = []
    for msg in claimed:
        verdict = still_wanted(msg, ctx.org, day, orgs.reply_pause_days(msg), facts)
        if verdict.cancel:
            _release(msg, worker, now, status=OutboxMessage.Status.CANCELLED,
                     log=added(msg.log, now, cancelled(verdict.cancel)))
            result.cancelled += 1
            continue
        if verdict.wait_until is not None:
            _release(msg, worker, now, status=OutboxMessage.Status.QUEUED, next_attempt_at=verdict.wait_until)
            result.waiting += 1
            result.problems.append(Worded(f"message {msg.id} ({msg.customer.ref}) waits: {verdict.wait_reason}",
                                          "batch_waits", message=msg.id, customer=msg.customer.ref,
                                          why=verdict.wait_reason))
            continue
        try:
            envelopes.append((msg, message_contexts(ctx, msg, msg.customer, day)))
        except GviaError as exc:
            _fail(msg, worker, now, day, exc, result)

    flat = [c for _msg, cs in envelopes for c in cs]
    pdfs = render_many(flat, processes=processes, errors="return",
                       progress=(lambda _n: progress("render", 1, len(flat))) if progress else None) if flat else []
    batch: list[tuple[OutboxMessage, bytes, Posting]] = []
    at = 0
    for msg, cs in envelopes:
        parts, at = pdfs[at:at + len(cs)], at + len(cs)
        bad = next((p for p in parts if isinstance(p, GviaError)), None)
        if bad is not None:
            _fail(msg, worker, now, day, bad, result)
            continue
        batch.append((msg, merge_pdfs([p for p in parts if isinstance(p, bytes)]), posting_for(cs[0])))   # all are
    if not batch:
        return result

    out_dir.mkdir(parents=True, exist_ok=True)
    proof_dir = storage_root() / "letters" / str(ctx.org.id)
    proof_dir.mkdir(parents=True, exist_ok=True)
    stored: dict[int, str] = {}
    for msg, pdf, _ps in batch:
        name = f"{day.isoformat()}-{msg.customer.ref}-{msg.document}-{msg.id}.pdf"
        (out_dir / name).write_bytes(pdf)
        (proof_dir / name).write_bytes(pdf)
        stored[msg.id] = str((proof_dir / name).relative_to(storage_root()))
        result.files.append(out_dir / name)
    result.batch_path = out_dir / f"print-batch-{day.isoformat()}.pdf"
    result.batch_path.write_bytes(assemble_print_batch([(ps, pdf) for _m, pdf, ps in batch],
                                                       letterhead_for(ctx.org), day, duplex=duplex))

    with transaction.atomic():
        for msg, _pdf, _ps in batch:
            done = OutboxMessage.objects.filter(id=msg.id, status=OutboxMessage.Status.SENDING, worker=worker).update(
                status=OutboxMessage.Status.SENT, sent_at=now, raw_path=stored[msg.id], updated_at=now,
                lease_until=None, server_reply=f"printed in the batch of {day.isoformat()}; record its posting with "
                                               f"`gvia mail registered {msg.id} --number N`")
            if not done:    # taken back meanwhile (a recovery after a very long run): not ours to mark
                result.problems.append(Worded(f"message {msg.id} ({msg.customer.ref}) was taken back while printing; "
                                              "it is in the batch but not marked sent: check it before posting",
                                              "batch_taken_back", message=msg.id, customer=msg.customer.ref))
                continue
            result.letters += 1
            Activity.objects.create(
                organization=ctx.org, customer=msg.customer, kind=Activity.Kind.LETTER, date=day, at=now,
                actor=ctx.actor, text=f"{msg.document} printed for posting (batch of {day.isoformat()})",
                data={"message": msg.id, "channel": msg.channel, "document": msg.document,
                      "stage": msg.stage_key, "batch": day.isoformat(), "path": stored[msg.id],
                      "event": "letter.printed"})
        audit.record(ctx, "letters.printed", None, day=day.isoformat(), letters=result.letters,
                     cancelled=result.cancelled, waiting=result.waiting, failed=result.failed)
    return result

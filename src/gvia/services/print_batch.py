"""The day's paper letters: rendered in parallel, kept as proof, laid out for window envelopes.

Paper messages (channels ``letter`` and ``registered_letter``) wait in the outbox as ``queued``
until a person prints them: :func:`render_due` renders every due one across all cores, stores
each PDF under the storage root (the proof of what was sent), writes them and one print batch
(with a posting list) into a folder, and marks them sent. Posting (the registered-mail number,
the delivery confirmation) is recorded afterwards with ``gvia mail registered``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from django.conf import settings as django_settings
from django.db import transaction

from gvia.core.errors import GviaError
from gvia.store.models import Activity, Customer, OutboxMessage

from . import audit, clock
from .context import Ctx
from .letters import letter_context, statement_context

PAPER = ("letter", "registered_letter")


@dataclass
class BatchResult:
    letters: int = 0
    batch_path: Path | None = None
    files: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def due_paper_messages(ctx: Ctx, day: date) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(organization=ctx.org, channel__in=PAPER,
                                             status=OutboxMessage.Status.QUEUED, planned_for__lte=day)
                .select_related("customer").order_by("id"))


def _context(ctx: Ctx, msg: OutboxMessage, day: date):
    lang = msg.language or msg.customer.language
    if msg.document == "statement":
        return statement_context(ctx, msg.customer, day, lang)
    return letter_context(ctx, msg.customer, msg.document, day, language=lang,
                          registered=msg.channel == "registered_letter", reference=f"{msg.customer.ref}-{msg.id}",
                          free_text=msg.free_text)


def render_due(ctx: Ctx, day: date, out_dir: Path, processes: int | None = None,
               progress: Callable | None = None) -> BatchResult:
    from gvia.documents import print_batch, render_many

    ctx.require("collector", "printing letters")
    result = BatchResult()
    messages = due_paper_messages(ctx, day)
    contexts, kept = [], []
    for msg in messages:
        try:
            contexts.append(_context(ctx, msg, day))
            kept.append(msg)
        except GviaError as exc:
            result.problems.append(f"message {msg.id} ({msg.customer.ref}, {msg.document}): {exc}")
    if not kept:
        return result
    total = len(contexts)
    pdfs = render_many(contexts, processes=processes, errors="return",
                       progress=(lambda n: progress("render", n, total)) if progress else None)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    store = Path(django_settings.STORAGE_ROOT) / "letters" / str(ctx.org.id)
    store.mkdir(parents=True, exist_ok=True)
    now = clock.now_utc()
    letter_ctxs = []
    with transaction.atomic():
        for msg, lc, pdf in zip(kept, contexts, pdfs):
            if isinstance(pdf, Exception):
                result.problems.append(f"message {msg.id} ({msg.customer.ref}): {pdf}")
                continue
            name = f"{day.isoformat()}-{msg.customer.ref}-{msg.document}-{msg.id}.pdf"
            (out_dir / name).write_bytes(pdf)
            (store / name).write_bytes(pdf)
            result.files.append(out_dir / name)
            rel = str((store / name).relative_to(django_settings.STORAGE_ROOT))
            n = OutboxMessage.objects.filter(id=msg.id, status=OutboxMessage.Status.QUEUED).update(
                status=OutboxMessage.Status.SENT, sent_at=now, raw_path=rel, updated_at=now,
                server_reply=f"printed in the batch of {day.isoformat()}; record the posting with "
                             f"`gvia mail registered {msg.id} --number N`")
            if n:
                Activity.objects.create(organization=ctx.org, customer=msg.customer, kind=Activity.Kind.LETTER,
                                        date=day, at=now, actor=ctx.actor, text=f"{msg.document} printed for posting",
                                        data={"message": msg.id, "channel": msg.channel, "path": rel})
                result.letters += 1
                if hasattr(lc, "invoices"):
                    letter_ctxs.append(lc)
        audit.record(ctx, "letters.printed", None, day=day.isoformat(), letters=result.letters)
    if letter_ctxs:
        batch = print_batch(letter_ctxs, when=day)
        result.batch_path = out_dir / f"print-batch-{day.isoformat()}.pdf"
        result.batch_path.write_bytes(batch)
    return result

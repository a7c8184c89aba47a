"""The reply mailbox's settings, checking them, and polling it (see :mod:`gvia.services.mailbox`).

:func:`poll` reads what arrived since the last UID read (all of the folder again when its
``UIDVALIDITY`` changed: nothing is placed twice, :mod:`.placing`), places each message and
moves :class:`MailboxState` on — message by message, so a failure halfway loses nothing and
repeats nothing. A message that cannot be placed (a fault of gvia's own) waits in the unmatched
list with what went wrong, and the next is read; a full disk or an unreachable database stops
the poll, to be tried again. A mailbox that cannot be read leaves its error's code on the state (shown by
``gvia mailbox status`` and the settings page) and is tried again at the next poll.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable

from django.db import transaction

from gvia.channels.imap import MailboxError, MailboxSettings, check, read_new
from gvia.core.errors import FieldProblem, RefusedFor, ValidationFailed
from gvia.services import clock, settings
from gvia.services.context import Ctx
from gvia.services.faults import WAIT_CODES, classify
from gvia.services.mailbox.placing import place, unplaced
from gvia.store.models import Organization
from gvia.store.models_inbound import MailboxState

KEYS = ("host", "port", "user", "password", "folder", "security", "poll_minutes")
BATCH = 200          # messages read a poll at most; the rest at the next


def mailbox_settings(org: Organization) -> MailboxSettings | None:
    """The reply mailbox of ``org``, or None when none is set (``mailbox.host`` empty)."""
    v = settings.values(org, [f"mailbox.{k}" for k in KEYS])
    if not v["mailbox.host"]:
        return None
    security = v["mailbox.security"]
    port = v["mailbox.port"] or (993 if security == "ssl" else 143)
    return MailboxSettings(host=v["mailbox.host"], port=int(port), user=v["mailbox.user"],
                           password=v["mailbox.password"], folder=v["mailbox.folder"] or "INBOX", security=security)


def set_mailbox(ctx: Ctx, values: dict[str, str]) -> None:
    """Set several ``mailbox.*`` settings at once (keys without the prefix); all or nothing."""
    ctx.require("owner", "changing the settings")
    unknown = [k for k in values if k not in KEYS]
    if unknown:
        raise ValidationFailed([FieldProblem(None, k, k, "unknown mailbox setting", code="one_of",
                                             params={"choices": KEYS}) for k in unknown])
    with transaction.atomic():
        for key, value in values.items():
            if value in (None, ""):
                settings.unset_setting(ctx, f"mailbox.{key}")
            else:
                settings.set_setting(ctx, f"mailbox.{key}", str(value))


def check_mailbox(ctx: Ctx) -> int:
    """Log in and open the folder: the number of messages in it. Refused with the failure's code
    (``mailbox_not_set``, ``mailbox_connect``, ``mailbox_login``, ``mailbox_folder``)."""
    ctx.require("owner", "checking the reply mailbox")
    config = mailbox_settings(ctx.org)
    if config is None:
        raise RefusedFor("mailbox_not_set", "no reply mailbox is set")
    try:
        return check(config)
    except MailboxError as exc:
        raise RefusedFor(f"mailbox_{exc.code}", exc.detail, said=exc.detail[:300]) from None


@dataclass
class PollReport:
    read: int = 0
    placed: dict[str, int] = field(default_factory=dict)     # kind -> count
    unmatched: int = 0
    skipped: int = 0                                          # read before
    error: str = ""                                           # connect | login | folder | not_set


def state_of(org: Organization) -> MailboxState:
    return MailboxState.objects.get_or_create(organization=org)[0]


def last_state(org: Organization) -> MailboxState | None:
    """The state of the organization's last poll, None before the first (read only: a page that
    shows it writes nothing)."""
    return MailboxState.objects.filter(organization=org).first()


def poll(ctx: Ctx, now: datetime | None = None, read: Callable = read_new) -> PollReport:
    """Read and place the new messages of the organization's reply mailbox."""
    now = now or clock.now_utc()
    report = PollReport()
    config = mailbox_settings(ctx.org)
    state = state_of(ctx.org)
    if config is None:
        report.error = "not_set"
        return report
    known = state.uidvalidity if state.folder == config.folder else None
    try:
        batch = read(config, state.last_uid if known is not None else 0, known, limit=BATCH)
    except MailboxError as exc:
        report.error = exc.code
        MailboxState.objects.filter(id=state.id).update(polled_at=now, error_code=exc.code,
                                                        error_detail=exc.detail[:500])
        return report
    if known != batch.uidvalidity:
        MailboxState.objects.filter(id=state.id).update(folder=config.folder, uidvalidity=batch.uidvalidity,
                                                        last_uid=0)
    for msg in batch.messages:
        report.read += 1
        try:
            row = place(ctx, msg, config.folder, batch.uidvalidity, now)
        except Exception as exc:  # noqa: BLE001 — one message gvia cannot place must not hold up the next
            fault = classify(exc)
            if fault is not None and fault.code in WAIT_CODES:
                raise                     # the disk or the database: the worker waits and tries again
            row = unplaced(ctx, msg, config.folder, batch.uidvalidity, now, type(exc).__name__)
        if row is None:
            report.skipped += 1
        else:
            report.placed[row.kind] = report.placed.get(row.kind, 0) + 1
            report.unmatched += row.customer_id is None
        MailboxState.objects.filter(id=state.id).update(last_uid=msg.uid)
    MailboxState.objects.filter(id=state.id).update(polled_at=now, error_code="", error_detail="")
    return report


def due_for_poll(now: datetime) -> list[Organization]:
    """Organizations with a reply mailbox whose ``mailbox.poll_minutes`` have passed since the last poll."""
    due = []
    for org in Organization.objects.all().order_by("id"):
        try:
            if mailbox_settings(org) is None:
                continue
            minutes = settings.value(org, "mailbox.poll_minutes")
        except ValidationFailed:
            continue
        last = MailboxState.objects.filter(organization=org).values_list("polled_at", flat=True).first()
        if last is None or now - last >= timedelta(minutes=minutes):
            due.append(org)
    return due


def poll_due(now: datetime, log: Callable[[str], None] = lambda _: None) -> int:
    """The worker's part: poll every organization that is due; one failing does not stop the
    others. Returns how many were polled."""
    done = 0
    for org in due_for_poll(now):
        try:
            report = poll(Ctx(org, None, "owner"), now)
        except Exception as exc:  # noqa: BLE001 — logged, and tried again at the next poll
            log(f"reply mailbox of {org.slug}: {exc}")
            continue
        done += 1
        if report.error:
            log(f"reply mailbox of {org.slug} could not be read: {report.error}")
        elif report.read:
            kinds = ", ".join(f"{k} {n}" for k, n in sorted(report.placed.items()))
            log(f"reply mailbox of {org.slug}: {report.read} read ({kinds or 'all read before'}; "
                f"unmatched {report.unmatched})")
    return done

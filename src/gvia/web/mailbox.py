"""The local mail catcher's messages, as the customer would see them (the demo's mailbox).

With no SMTP server configured, gvia writes every e-mail it sends to a file under
``settings.MAIL_CATCHER_DIR`` (:mod:`gvia.channels.catcher`). Every organization of the install
shares that folder, so a message is shown only to the organization that sent it: an outbox
message's e-mail carries its id (``X-Gvia-Message``), which must be one of the organization's,
and the test message of the mail settings carries the organization's sender address. Mail for
people (an invitation, a password-reset link: :mod:`gvia.services.sending.people`) signs its
reader in, and is never shown here, whoever sent it.

Messages are named by their file name (checked against the folder's own listing, never used as
a path as given). The newest :data:`LISTED` files are looked at.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesHeaderParser, BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

from django.conf import settings

from gvia.channels.catcher import read_messages
from gvia.core.errors import NotFound
from gvia.services.context import Ctx
from gvia.services.sending.mailconfig import mail_from
from gvia.services.sending.people import PERSON_MAIL
from gvia.store.models import OutboxMessage

LISTED = 300


@dataclass(frozen=True)
class Caught:
    name: str                 # the file name: the message's handle in URLs
    subject: str
    sender: str
    to: str
    date: datetime | None
    customer_id: int | None


@dataclass(frozen=True)
class Part:
    index: int
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class Opened:
    caught: Caught
    text: str
    html: str
    attachments: list[Part]


def _folder() -> Path:
    return Path(settings.MAIL_CATCHER_DIR)


def _headers(path: Path) -> Message:
    with open(path, "rb") as f:
        return BytesHeaderParser(policy=policy.default).parse(f)


def _when(value) -> datetime | None:
    try:
        return parsedate_to_datetime(str(value)) if value else None
    except (TypeError, ValueError):
        return None


def _ours(ctx: Ctx, found: list[tuple[Path, Message]]) -> list[tuple[Path, Message, int | None]]:
    ids = {}
    for path, h in found:
        raw = str(h.get("X-Gvia-Message", "") or "").strip()
        if raw.isdigit():
            ids[path] = int(raw)
    owners = dict(OutboxMessage.objects.filter(organization=ctx.org, id__in=set(ids.values()))
                  .values_list("id", "customer_id"))
    sender = mail_from(ctx.org).lower()
    out: list[tuple[Path, Message, int | None]] = []
    for path, h in found:
        if h.get(PERSON_MAIL):       # an invitation or a password link: its addressee's only
            continue
        if path in ids:
            if ids[path] in owners:
                out.append((path, h, owners[ids[path]]))
        elif sender and sender in str(h.get("From", "")).lower():
            out.append((path, h, None))
    return out


def _caught(path: Path, h, customer_id: int | None) -> Caught:
    return Caught(path.name, str(h.get("Subject", "") or ""), str(h.get("From", "") or ""),
                  str(h.get("To", "") or ""), _when(h.get("Date")), customer_id)


def caught_messages(ctx: Ctx) -> list[Caught]:
    """The organization's caught messages, newest first."""
    found = [(p, _headers(p)) for p in read_messages(_folder())[:LISTED]]
    return [_caught(p, h, cid) for p, h, cid in _ours(ctx, found)]


def _path(ctx: Ctx, name: str) -> tuple[Path, int | None]:
    for p in read_messages(_folder())[:LISTED]:
        if p.name == name:
            mine = _ours(ctx, [(p, _headers(p))])
            if mine:
                return p, mine[0][2]
            break
    raise NotFound(f"no caught message {name!r}")


def _parse(path: Path) -> EmailMessage:
    with open(path, "rb") as f:
        return BytesParser(policy=policy.default).parse(f)


def open_message(ctx: Ctx, name: str) -> Opened:
    path, customer_id = _path(ctx, name)
    msg = _parse(path)
    text_part = msg.get_body(preferencelist=("plain",))
    html_part = msg.get_body(preferencelist=("html",))
    parts = [Part(i, a.get_filename() or f"attachment-{i + 1}", a.get_content_type(),
                  len(a.get_payload(decode=True) or b""))
             for i, a in enumerate(msg.iter_attachments())]
    return Opened(_caught(path, msg, customer_id), text_part.get_content() if text_part else "",
                  html_part.get_content() if html_part else "", parts)


def attachment(ctx: Ctx, name: str, index: int) -> tuple[str, str, bytes]:
    """(file name, content type, bytes) of one attachment of a caught message."""
    path, _ = _path(ctx, name)
    for i, a in enumerate(_parse(path).iter_attachments()):
        if i == index:
            payload = a.get_payload(decode=True)     # bytes (or None when empty) for a decoded attachment
            return a.get_filename() or f"attachment-{i + 1}", a.get_content_type(), \
                payload if isinstance(payload, bytes) else b""
    raise NotFound(f"message {name!r} has no attachment {index}")

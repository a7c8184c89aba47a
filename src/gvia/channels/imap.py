"""Reading the reply mailbox over IMAP (imap-tools): the messages that arrived since the last
one read, each parsed into what gvia needs to place it.

:func:`read_new` logs in (TLS on connect, STARTTLS, or none — loopback tests only), selects the
folder, reads its ``UIDVALIDITY`` and fetches the messages whose UID is above ``after_uid``
(all of them when the folder's ``UIDVALIDITY`` changed), at most ``limit`` a time, leaving them
unread (``\\Seen`` untouched) and in place. A message larger than ``max_bytes`` is not
downloaded: it is returned with ``too_large`` set, so it is still recorded once.

:func:`parse_message` turns one message into an :class:`InboundMessage`: its Message-ID, the
ids it answers (``In-Reply-To``, ``References``), sender, subject, date, plain text (or the
HTML's text), the headers that mark an automatic answer (RFC 3834), and — for a delivery status
notification (``multipart/report; report-type=delivery-status``, RFC 3464) — the recipients
that failed and the Message-ID of the message that bounced.

Failures are :class:`MailboxError` with a code (``connect``, ``login``, ``folder``) and the
server's words as detail, for the edges to word.
"""

from __future__ import annotations

import email
import email.errors
import email.header
import html
import re
import socket
import ssl
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email import policy
from email.message import Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from typing import Iterator

from imap_tools import AND, MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.errors import MailboxFolderSelectError, MailboxFolderStatusError, MailboxLoginError

TEXT_LIMIT = 20_000        # characters of a body kept


@dataclass(frozen=True)
class MailboxSettings:
    host: str
    port: int
    user: str
    password: str
    folder: str = "INBOX"
    security: str = "ssl"        # ssl | starttls | none
    timeout: float = 30.0


class MailboxError(Exception):
    """The mailbox could not be read: ``code`` connect | login | folder; ``detail`` what the
    server or the network said."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code, self.detail = code, detail


@dataclass(frozen=True)
class FailedRecipient:
    address: str
    status: str           # e.g. 5.1.1
    diagnostic: str


@dataclass(frozen=True)
class InboundMessage:
    uid: int
    message_id: str
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    from_addr: str
    from_name: str
    subject: str
    date: datetime | None
    text: str
    auto_headers: dict[str, str] = field(default_factory=dict)
    failed: tuple[FailedRecipient, ...] = ()
    bounced_message_id: str = ""
    is_report: bool = False       # a delivery status notification (failed or not)
    too_large: bool = False

    @property
    def answers(self) -> tuple[str, ...]:
        """The Message-IDs this message refers to, the one it answers first."""
        seen: list[str] = []
        for mid in (*self.in_reply_to, *reversed(self.references),
                    *((self.bounced_message_id,) if self.bounced_message_id else ())):
            if mid and mid not in seen:
                seen.append(mid)
        return tuple(seen)


@dataclass(frozen=True)
class Batch:
    uidvalidity: int
    messages: list[InboundMessage]


_IDS = re.compile(r"<[^<>\s]+>")
AUTO_HEADERS = ("auto-submitted", "x-autoreply", "x-autorespond", "precedence")


def _ids(value: str | None) -> tuple[str, ...]:
    return tuple(_IDS.findall(str(value or "")))


def _html_text(markup: str) -> str:
    markup = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", "", markup)
    markup = re.sub(r"(?is)<blockquote\b.*?</blockquote>", "\n", markup)  # quoted history
    markup = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>|</tr>", "\n", markup)
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def _part_text(part: Message) -> str:
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001 — a damaged part reads as empty, the rest of the message stands
        return ""
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:
        return payload.decode("utf-8", errors="replace")


def _body(msg: Message) -> str:
    plain = markup = ""
    for part in msg.walk():
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        ctype = part.get_content_type()
        if ctype == "text/plain" and not plain:
            plain = _part_text(part)
        elif ctype == "text/html" and not markup:
            markup = _part_text(part)
    return (plain or _html_text(markup)).strip()[:TEXT_LIMIT]


def _header_blocks(part: Message) -> list[Message]:
    """The header blocks of a message/delivery-status part (one per message and per recipient)."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return [p for p in payload if isinstance(p, Message)]
    text = payload if isinstance(payload, str) else _part_text(part)
    return [email.message_from_string(block) for block in re.split(r"\r?\n\r?\n", text) if block.strip()]


def _report(msg: Message) -> tuple[bool, tuple[FailedRecipient, ...], str]:
    if msg.get_content_type() != "multipart/report" or msg.get_param("report-type") != "delivery-status":
        return False, (), ""
    failed: list[FailedRecipient] = []
    original = ""
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype == "message/delivery-status":
            for block in _header_blocks(part):
                recipient = str(block.get("Final-Recipient") or block.get("Original-Recipient") or "")
                if str(block.get("Action", "")).strip().lower() != "failed" or not recipient:
                    continue
                address = recipient.split(";", 1)[-1].strip().strip("<>")
                failed.append(FailedRecipient(address.lower(), str(block.get("Status", "")).strip(),
                                              " ".join(str(block.get("Diagnostic-Code", "")).split())[:500]))
        elif ctype in ("message/rfc822", "text/rfc822-headers") and not original:
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                original = (_ids(inner[0].get("Message-ID")) or ("",))[0]
            else:
                headers = email.message_from_string(inner if isinstance(inner, str) else _part_text(part))
                original = (_ids(headers.get("Message-ID")) or ("",))[0]
    return True, tuple(failed), original


def _header_text(value: object) -> str:
    """A header's text: RFC 2047 encoded words decoded; raw 8-bit UTF-8 (which some mailers
    send) read as UTF-8."""
    if isinstance(value, email.header.Header):     # compat32's raw 8-bit header: its bytes, as UTF-8
        parts = email.header.decode_header(value)
        return "".join(p.decode(c if c and c != "unknown-8bit" else "utf-8", "replace") if isinstance(p, bytes)
                       else p for p, c in parts)
    text = str(value or "")
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    try:
        return str(email.header.make_header(email.header.decode_header(text)))
    except (UnicodeDecodeError, LookupError, email.errors.HeaderParseError):
        return text


def parse_message(raw: bytes | Message, uid: int) -> InboundMessage:
    """What gvia needs of one message (see the module's docstring)."""
    msg = email.message_from_bytes(raw, policy=policy.compat32) if isinstance(raw, bytes) else raw
    name, addr = parseaddr(_header_text(msg.get("From", "")))
    if not addr:
        found = getaddresses([str(msg.get("Sender", ""))])
        addr = found[0][1] if found else ""
    try:
        when = parsedate_to_datetime(str(msg["Date"])) if msg.get("Date") else None
        if when is not None and when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
    except (TypeError, ValueError):
        when = None
    subject = _header_text(msg.get("Subject", ""))
    is_report, failed, original = _report(msg)
    return InboundMessage(
        uid=uid, message_id=(_ids(msg.get("Message-ID")) or ("",))[0], in_reply_to=_ids(msg.get("In-Reply-To")),
        references=_ids(msg.get("References")), from_addr=addr.strip().lower(), from_name=name.strip(),
        subject=" ".join(subject.split())[:500], date=when, text="" if is_report else _body(msg),
        auto_headers={h: str(msg[h]) for h in AUTO_HEADERS if msg.get(h)}, failed=failed,
        bounced_message_id=original, is_report=is_report)


def _open(settings: MailboxSettings) -> MailBox | MailBoxStartTls | MailBoxUnencrypted:
    try:
        if settings.security == "ssl":
            return MailBox(settings.host, settings.port, timeout=settings.timeout,
                           ssl_context=ssl.create_default_context())
        if settings.security == "starttls":
            return MailBoxStartTls(settings.host, settings.port, timeout=settings.timeout,
                                   ssl_context=ssl.create_default_context())
        return MailBoxUnencrypted(settings.host, settings.port, timeout=settings.timeout)
    except (OSError, ssl.SSLError, socket.timeout) as exc:
        raise MailboxError("connect", str(exc) or type(exc).__name__) from None


@contextmanager
def _session(settings: MailboxSettings, status_items: list[str]
             ) -> Iterator[tuple[MailBox | MailBoxStartTls | MailBoxUnencrypted, dict[str, int]]]:
    """Connected, logged in, the folder selected: the box and the folder's ``status_items``;
    logged out afterwards. What fails is a MailboxError (connect, login, folder)."""
    box = _open(settings)
    try:
        try:
            box.login(settings.user, settings.password, initial_folder=None)
        except MailboxLoginError as exc:
            raise MailboxError("login", str(exc)) from None
        try:
            box.folder.set(settings.folder)
            status = box.folder.status(settings.folder, status_items)
        except (MailboxFolderSelectError, MailboxFolderStatusError) as exc:
            raise MailboxError("folder", str(exc)) from None
        yield box, status
    except (OSError, socket.timeout) as exc:
        raise MailboxError("connect", str(exc) or type(exc).__name__) from None
    finally:
        try:
            box.logout()
        except Exception:  # noqa: BLE001 — the connection may already be gone; what was read stands
            pass


def read_new(settings: MailboxSettings, after_uid: int, known_uidvalidity: int | None, limit: int = 200,
             max_bytes: int = 25 * 1024 * 1024) -> Batch:
    """The messages of the folder above ``after_uid`` (every one when ``known_uidvalidity`` is not
    the folder's), in UID order, at most ``limit``."""
    with _session(settings, ["UIDVALIDITY"]) as (box, status):
        uidvalidity = int(status["UIDVALIDITY"])
        start = after_uid if known_uidvalidity == uidvalidity else 0
        # UID n:* always names the last message, even below n: keep only those above
        uids = [int(u) for u in box.uids(AND(uid=f"{start + 1}:*")) if int(u) > start]
        uids = sorted(uids)[:limit]
        if not uids:
            return Batch(uidvalidity, [])
        sizes = _sizes(box, uids)
        small = [u for u in uids if sizes.get(u, 0) <= max_bytes]
        messages = {u: InboundMessage(u, "", (), (), "", "", "", None, "", too_large=True)
                    for u in uids if u not in small}
        if small:
            for m in box.fetch(uid_list=[str(u) for u in small], mark_seen=False, bulk=False):
                messages[int(m.uid or 0)] = parse_message(m.obj, int(m.uid or 0))
        return Batch(uidvalidity, [messages[u] for u in sorted(messages)])


def _sizes(box: MailBox | MailBoxStartTls | MailBoxUnencrypted, uids: list[int]) -> dict[int, int]:
    typ, data = box.client.uid("FETCH", ",".join(str(u) for u in uids), "(RFC822.SIZE)")
    sizes: dict[int, int] = {}
    for item in data or []:
        line = item.decode() if isinstance(item, bytes) else ""
        m_uid, m_size = re.search(r"UID (\d+)", line), re.search(r"RFC822\.SIZE (\d+)", line)
        if m_uid and m_size:
            sizes[int(m_uid.group(1))] = int(m_size.group(1))
    return sizes


def check(settings: MailboxSettings) -> int:
    """Log in and select the folder; the number of messages in it. Raises MailboxError."""
    with _session(settings, ["MESSAGES"]) as (_box, status):
        return int(status["MESSAGES"])

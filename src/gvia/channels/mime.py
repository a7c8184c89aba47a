"""Building a proper e-mail: text and HTML alternatives, encoded Hebrew headers, attachments.

Non-ASCII headers (the subject, the sender's display name) are RFC 2047 encoded words and
attachment file names RFC 2231 parameters; we add the display name, Reply-To, and a
Message-ID on the organization's domain so replies can be matched later. Bodies are UTF-8,
quoted-printable when ASCII and base64 otherwise (see :func:`transfer_encoding`).
"""

from __future__ import annotations

import base64
import quopri
from dataclasses import dataclass, field
from datetime import datetime
from email import encoders
from email.header import Header
from email.message import Message
from email.mime.application import MIMEApplication
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.policy import Compat32
from email.utils import format_datetime, formataddr, make_msgid
from typing import cast


class _WirePolicy(Compat32):
    """compat32 with CRLF line ends that leaves a header with no space in it on one line (a
    long Message-ID folded onto the next line comes back with a leading space from some
    parsers)."""

    def fold_binary(self, name, value):
        if isinstance(value, str) and value.isascii() and len(name) + len(value) < 996 \
                and not any(c in value for c in " \t\r\n"):
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


_WIRE = _WirePolicy(linesep="\r\n")


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str = "application/pdf"


@dataclass(frozen=True)
class OutgoingEmail:
    from_name: str
    from_addr: str
    to: list[str]
    subject: str
    text: str
    html: str = ""
    cc: list[str] = field(default_factory=list)
    reply_to: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    message_id: str = ""
    date: datetime | None = None
    headers: dict[str, str] = field(default_factory=dict)


def domain_of(addr: str) -> str:
    return addr.rpartition("@")[2] or "gvia.local"


def new_message_id(idempotency_key: str, from_addr: str) -> str:
    """A Message-ID on the sender's domain whose left part carries a readable, unique cause."""
    safe = "".join(c if c.isalnum() or c in ".-" else "." for c in idempotency_key)[:80]
    return make_msgid(idstring=safe, domain=domain_of(from_addr))


def _one_line(value: str) -> str:
    """A header value never spans lines: line breaks in it become spaces (no header injection)."""
    return " ".join(value.splitlines()).strip() if ("\r" in value or "\n" in value) else value


def _header(value: str) -> str | Header:
    """ASCII as is; anything else as RFC 2047 encoded words (UTF-8, base64)."""
    value = _one_line(value)
    return value if value.isascii() else Header(value, "utf-8", maxlinelen=76)


def _text_part(text: str, subtype: str) -> Message:
    part = Message()
    body = text.encode("utf-8")
    cte = transfer_encoding(text)
    if cte == "base64":
        payload = base64.encodebytes(body).decode("ascii")
    else:
        payload = quopri.encodestring(body).decode("ascii")
    part["Content-Type"] = f'text/{subtype}; charset="utf-8"'
    part["Content-Transfer-Encoding"] = cte
    part.set_payload(payload)
    return part


def build(mail: OutgoingEmail) -> Message:
    """The message, ready to send (``.as_bytes()`` gives the wire form, CRLF line ends).

    Built with the standard library's compat32 message and :class:`email.header.Header`: the
    modern policy re-parses and refolds every non-ASCII header on output, which costs several
    milliseconds per message; this writes the same RFC 2047 / RFC 2231 encodings directly."""
    mixed = MIMEMultipart("mixed", policy=_WIRE) if mail.attachments else None
    alt = MIMEMultipart("alternative", policy=_WIRE) if mail.html else None
    text = _text_part(mail.text, "plain")
    body: Message
    if alt is not None:
        alt.attach(text)
        alt.attach(_text_part(mail.html, "html"))
        body = alt
    else:
        body = text
    if mixed is not None:
        mixed.attach(body)
        for a in mail.attachments:
            maintype, _, subtype = a.mime_type.partition("/")
            part = MIMEApplication(a.content, subtype, policy=_WIRE) if maintype == "application" else \
                MIMEBase(maintype, subtype, policy=_WIRE)
            if maintype != "application":
                part.set_payload(a.content)
                encoders.encode_base64(part)
            name = a.filename if a.filename.isascii() else ("utf-8", "", a.filename)
            part.add_header("Content-Disposition", "attachment", filename=name)
            mixed.attach(part)
        msg: Message = mixed
    else:
        msg = body
        msg.policy = _WIRE
    # compat32 messages take a header value as str or email.header.Header (typeshed says str)
    headers = cast("Message[str, str | Header]", msg)
    if "MIME-Version" not in headers:
        headers["MIME-Version"] = "1.0"
    from_name = _header(mail.from_name)
    headers["From"] = formataddr((from_name if isinstance(from_name, str) else from_name.encode(),
                                  _one_line(mail.from_addr))) if mail.from_name else _one_line(mail.from_addr)
    headers["To"] = _one_line(", ".join(mail.to))
    if mail.cc:
        headers["Cc"] = _one_line(", ".join(mail.cc))
    if mail.reply_to:
        headers["Reply-To"] = _one_line(mail.reply_to)
    headers["Subject"] = _header(mail.subject)
    headers["Message-ID"] = _one_line(mail.message_id) or make_msgid(domain=domain_of(mail.from_addr))
    if mail.date is not None:
        headers["Date"] = format_datetime(mail.date)
    for k, v in mail.headers.items():
        headers[k] = _header(v)
    return msg


def transfer_encoding(text: str) -> str:
    """quoted-printable for (mostly) ASCII text, readable on the wire; base64 for text with
    Hebrew (or any other non-ASCII script), where quoted-printable would triple every byte and
    costs milliseconds per message to produce."""
    return "quoted-printable" if text.isascii() else "base64"


def recipients(mail: OutgoingEmail) -> list[str]:
    return list(dict.fromkeys([*mail.to, *mail.cc]))

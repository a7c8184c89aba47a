"""Building a proper e-mail: text and HTML alternatives, encoded Hebrew headers, attachments.

The standard library encodes non-ASCII subjects (RFC 2047) and attachment file names
(RFC 2231) itself when the SMTP policy is used; we add the display name, Reply-To, and a
Message-ID on the organization's domain so replies can be matched later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from datetime import datetime


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


def build(mail: OutgoingEmail) -> EmailMessage:
    msg = EmailMessage(policy=SMTP)
    local, _, dom = mail.from_addr.partition("@")
    msg["From"] = Address(display_name=mail.from_name, username=local, domain=dom)
    msg["To"] = ", ".join(mail.to)
    if mail.cc:
        msg["Cc"] = ", ".join(mail.cc)
    if mail.reply_to:
        msg["Reply-To"] = mail.reply_to
    msg["Subject"] = mail.subject
    msg["Message-ID"] = mail.message_id or make_msgid(domain=domain_of(mail.from_addr))
    if mail.date is not None:
        msg["Date"] = format_datetime(mail.date)
    for k, v in mail.headers.items():
        msg[k] = v
    msg.set_content(mail.text, charset="utf-8", cte="quoted-printable")
    if mail.html:
        msg.add_alternative(mail.html, subtype="html", charset="utf-8", cte="quoted-printable")
    for a in mail.attachments:
        maintype, _, subtype = a.mime_type.partition("/")
        msg.add_attachment(a.content, maintype=maintype, subtype=subtype, filename=a.filename)
    return msg


def recipients(mail: OutgoingEmail) -> list[str]:
    return list(dict.fromkeys([*mail.to, *mail.cc]))

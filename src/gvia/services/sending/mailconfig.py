"""Where e-mail goes: the organization's SMTP settings, the environment, or the local catcher."""

from __future__ import annotations

import re

from django.conf import settings as django_settings

from gvia.channels.catcher import CatcherSender
from gvia.channels.mime import OutgoingEmail, build, new_message_id
from gvia.channels.smtp import SendError, SmtpSender, SmtpSettings
from gvia.core.errors import RefusedFor
from gvia.services import audit, clock, settings

SMTP_KEYS = ("smtp.host", "smtp.port", "smtp.user", "smtp.password", "smtp.security", "smtp.timeout")


def smtp_settings(org) -> SmtpSettings | None:
    """The organization's SMTP settings (``smtp.*``, else GVIA_SMTP_* from the environment: see
    :mod:`gvia.services.settings`); None without a host. The port, when not set, is the one of
    the connection's security: 465 for ssl, 587 for starttls, else 25."""
    cfg = settings.values(org, SMTP_KEYS)
    if not cfg["smtp.host"]:
        return None
    security = cfg["smtp.security"]
    default_port = 465 if security == "ssl" else 587 if security == "starttls" else 25
    return SmtpSettings(
        host=cfg["smtp.host"], port=cfg["smtp.port"] or default_port, user=cfg["smtp.user"],
        password=cfg["smtp.password"], security=security, timeout=float(cfg["smtp.timeout"]),
        mail_from=mail_from(org))


def mail_from(org) -> str:
    """The ``smtp.mail_from`` setting, else the organization's e-mail, else an address of its own."""
    return settings.value(org, "smtp.mail_from") or org.email or f"billing@{org.slug}.gvia.local"


def sender_for(org) -> SmtpSender | CatcherSender:
    """An object with .send(msg, envelope_from, rcpts, checkpoint) and .close()."""
    st = smtp_settings(org)
    if st is None:
        return CatcherSender(django_settings.MAIL_CATCHER_DIR)
    return SmtpSender(st)


def send_test(ctx, address: str, now=None) -> str:
    """Send a short test message to ``address`` the way real messages go (SMTP, or the local
    catcher when none is configured). Returns the server's reply; raises Refused on failure."""


    ctx.require("owner", "testing the mail settings")
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", address or ""):
        raise RefusedFor("not_an_email", f"{address!r} is not an e-mail address", value=address or "")
    now = now or clock.now_utc()
    sender_addr = mail_from(ctx.org)
    # the words are the documents catalog's; imported here because gvia.documents loads Typst
    from gvia.documents.wording import languages, texts

    t = texts(ctx.org.default_language if ctx.org.default_language in languages() else "en")
    mail = OutgoingEmail(
        from_name=ctx.org.name, from_addr=sender_addr, to=[address],
        subject=t("mail_test.subject"), text=t("mail_test.text"),
        message_id=new_message_id(f"test:{now.isoformat()}", sender_addr), date=now)
    sender = sender_for(ctx.org)
    try:
        reply = sender.send(build(mail), sender_addr, [address]).reply
    except SendError as exc:
        raise RefusedFor("mail_test_not_sent", f"the test message was not sent: {exc}", reason=str(exc)) from None
    finally:
        sender.close()
    audit.record(ctx, "mail.test", None, to=address, reply=reply,
                 via="catcher" if smtp_settings(ctx.org) is None else "smtp")
    return reply

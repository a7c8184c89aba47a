"""Where e-mail goes: the organization's SMTP settings, the environment, or the local catcher."""

from __future__ import annotations

import os
import re

from django.conf import settings as django_settings

from gvia.channels.catcher import CatcherSender
from gvia.channels.mime import OutgoingEmail, build, new_message_id
from gvia.channels.smtp import SendError, SmtpSender, SmtpSettings
from gvia.core.errors import Refused
from gvia.services import audit, clock
from gvia.services.sealed import unseal

SECURITY = ("none", "starttls", "ssl")


def smtp_settings(org) -> SmtpSettings | None:
    """The organization's SMTP settings (``settings.smtp``), else GVIA_SMTP_* from the environment."""
    cfg = dict((org.settings or {}).get("smtp") or {})
    env = os.environ
    host = cfg.get("host") or env.get("GVIA_SMTP_HOST", "")
    if not host:
        return None
    security = (cfg.get("security") or env.get("GVIA_SMTP_SECURITY", "none")).lower()
    if security not in SECURITY:
        raise Refused(f"SMTP security must be one of {', '.join(SECURITY)}, not {security!r}")
    default_port = 465 if security == "ssl" else 587 if security == "starttls" else 25
    port = int(cfg.get("port") or env.get("GVIA_SMTP_PORT") or default_port)
    return SmtpSettings(
        host=host, port=port, user=cfg.get("user") or env.get("GVIA_SMTP_USER", ""),
        password=unseal(cfg.get("password"), "the SMTP password (smtp.password)") or env.get("GVIA_SMTP_PASSWORD", ""),
        security=security,
        timeout=float(cfg.get("timeout") or 30), mail_from=mail_from(org))


def mail_from(org) -> str:
    cfg = (org.settings or {}).get("smtp") or {}
    return cfg.get("mail_from") or os.environ.get("GVIA_MAIL_FROM") or org.email or f"billing@{org.slug}.gvia.local"


def sender_for(org):
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
        raise Refused(f"{address!r} is not an e-mail address")
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
        raise Refused(f"the test message was not sent: {exc}") from None
    finally:
        sender.close()
    audit.record(ctx, "mail.test", None, to=address, reply=reply,
                 via="catcher" if smtp_settings(ctx.org) is None else "smtp")
    return reply

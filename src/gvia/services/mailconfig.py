"""Where e-mail goes: the organization's SMTP settings, the environment, or the local catcher."""

from __future__ import annotations

import os

from django.conf import settings as django_settings

from gvia.channels.catcher import CatcherSender
from gvia.channels.smtp import SmtpSender, SmtpSettings
from gvia.core.errors import Refused

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
    port = int(cfg.get("port") or env.get("GVIA_SMTP_PORT") or (465 if security == "ssl" else 587 if security == "starttls" else 25))
    return SmtpSettings(
        host=host, port=port, user=cfg.get("user") or env.get("GVIA_SMTP_USER", ""),
        password=cfg.get("password") or env.get("GVIA_SMTP_PASSWORD", ""), security=security,
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

"""Mail for people — invitations and password-reset links — on the same path as customer messages.

An organization's people get their mail the way its customers do
(:func:`gvia.services.sending.mailconfig.sender_for`): the organization's SMTP settings, else
``GVIA_SMTP_*`` from the environment, else the local mail catcher. A user of no organization (an
operator) gets it through the environment's SMTP server or the catcher. A failure is raised as
:class:`MailNotSent` for the page to show the person who asked, never swallowed.

Such a message carries a link that signs its reader in, so it is marked (``X-Gvia-Person-Mail``)
and the catcher's mailbox page never shows it to an organization (:mod:`gvia.web.mailbox`): it
is read by its addressee, in their mail program or, on a machine without a mail server, in the
catcher's folder.

:class:`DjangoBackend` is Django's ``EMAIL_BACKEND``: any e-mail Django itself sends takes the
same path (the environment's server or the catcher), never ``localhost:25`` by surprise.
"""

from __future__ import annotations

import uuid

from django.core.mail.backends.base import BaseEmailBackend

from gvia.channels.mime import OutgoingEmail, build, new_message_id
from gvia.channels.smtp import SendError
from gvia.core.errors import Refused
from gvia.services import audit, clock
from gvia.services.context import Ctx
from gvia.store.models import Membership, Organization

PERSON_MAIL = "X-Gvia-Person-Mail"


class MailNotSent(Refused):
    """The mail server (or the catcher) did not take the message; ``reason`` says why."""

    def __init__(self, to: str, reason: str):
        super().__init__(f"the e-mail to {to} was not sent: {reason}")
        self.to, self.reason = to, reason


def _installation() -> Organization:
    """No organization: its settings are all defaults, so the environment's (or the catcher)."""
    return Organization(name="gvia", slug="gvia", settings={})


def organization_of(user) -> Organization | None:
    """The organization whose mail path a user's own mail takes: their first organization."""
    m = (Membership.objects.filter(user=user).select_related("organization")
         .order_by("organization_id").first()) if getattr(user, "pk", None) else None
    return m.organization if m else None


def send(org: Organization | None, to: str, subject: str, text: str, kind: str) -> str:
    """Send one message to a person through ``org``'s mail path; the server's reply, or
    :class:`MailNotSent`."""
    from gvia.services.sending.mailconfig import mail_from, sender_for

    via = org or _installation()
    try:
        sender = sender_for(via)
        from_addr = mail_from(via)
    except Refused as exc:          # settings that cannot be used
        raise MailNotSent(to, str(exc)) from None
    now = clock.now_utc()
    mail = OutgoingEmail(from_name=via.name, from_addr=from_addr, to=[to], subject=subject, text=text,
                         message_id=new_message_id(f"{kind}.{uuid.uuid4().hex[:12]}", from_addr), date=now,
                         headers={PERSON_MAIL: kind})
    try:
        return sender.send(build(mail), from_addr, [to]).reply
    except (SendError, OSError) as exc:
        raise MailNotSent(to, str(exc) or type(exc).__name__) from None
    finally:
        sender.close()


def send_invitation(ctx: Ctx, email: str, subject: str, text: str) -> str:
    """The invitation of a new member, through the organization's own mail path; recorded in the
    audit whether it went or not (then :class:`MailNotSent` is raised)."""
    try:
        reply = send(ctx.org, email, subject, text, "invitation")
    except MailNotSent as exc:
        audit.record(ctx, "member.invitation_not_sent", None, email=email, reason=exc.reason)
        raise
    audit.record(ctx, "member.invitation_sent", None, email=email, reply=reply)
    return reply


class DjangoBackend(BaseEmailBackend):
    """Django's own e-mail (if any part of Django sends one) on gvia's path for no organization."""

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            for to in message.recipients():
                try:
                    send(None, to, message.subject, message.body, "django")
                except MailNotSent:
                    if not self.fail_silently:
                        raise
                    continue
                sent += 1
        return sent

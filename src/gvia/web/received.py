"""What the customer will receive, shown where a person decides on a message (issue 13): the
approvals' preview (``/approvals/preview/<id>/``) and the outbox's message page
(``/outbox/<id>/``) both show it from here, one home.

- an e-mail: as the dispatcher composes it now (:func:`gvia.services.sending.compose.compose_message`
  — the same composition it sends): its recipients, subject, text and attachments, each
  attachment openable as the PDF the customer gets;
- an SMS or WhatsApp message: its text as it would leave now (:func:`gvia.services.sending.texts.compose_text`);
- a letter on paper: its PDF.

A message that cannot be composed (a letter lacking what the law asks, nothing to write about)
gives the error instead; each page says so in its own way (the preview refuses, the message
page lists the problems above the PDF).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse

from gvia.core.errors import GviaError
from gvia.core.policy import TEXT_CHANNELS
from gvia.core.texting import segments
from gvia.services.sending import texts
from gvia.services.sending.compose import PAPER, compose_message
from gvia.store.models import Organization, OutboxMessage


@dataclass
class Received:
    """The template's values of ``gvia/outbox/_received.html``."""

    pdf_url: str
    email: object | None = None                  # an EmailMessage, as composed
    attachments: list[str] = field(default_factory=list)
    text: object | None = None                   # a composed text message
    segments: int = 0
    error: GviaError | None = None

    def context(self) -> dict:
        return {"email": self.email, "attachments": self.attachments, "text": self.text,
                "segments": self.segments, "pdf_url": self.pdf_url}


def as_received(msg: OutboxMessage, org: Organization, today: date) -> Received:
    """What ``msg`` would bring the customer if it left today (rules in the module docstring)."""
    shown = Received(pdf_url=reverse("message_pdf", args=[msg.id]))
    try:
        if msg.channel in TEXT_CHANNELS:
            shown.text = text = texts.compose_text(msg, org, today)
            shown.segments = segments(text.text).count
        elif msg.channel not in PAPER:
            email = compose_message(msg, org, today, files=False).email   # the files' names; each opens apart
            if email is not None:              # None only for a channel that sends no e-mail
                shown.email, shown.attachments = email, [a.filename for a in email.attachments]
    except GviaError as exc:
        shown.error = exc
    return shown

"""E-mails about the customer's page that are not collection letters (issue 16): the confirmation
that the billing contact changed, sent to the old address and to the new one once a person
confirmed the contact the customer proposed (:mod:`gvia.services.portal.requests`).

They travel through the outbox like every message (exactly once by their idempotency key; the
dispatcher's sending hours and do-not-chase rule apply), addressed to the message's own
``to_addrs`` rather than the customer's billing contacts; the words are the ``portal`` catalog's
(``notice.<document>.subject`` / ``.body``) in the customer's language, filled with the
organization's and the customer's names and the new address.
"""

from __future__ import annotations

from datetime import date

from gvia import locale
from gvia.channels.mime import OutgoingEmail, new_message_id
from gvia.services.sending.mailconfig import mail_from
from gvia.store.models import Customer, Organization, OutboxMessage

__all__ = ["DOCUMENTS", "is_notice", "notice_email"]

#: The outbox documents composed here.
DOCUMENTS = ("portal_contact_changed",)


def is_notice(document: str) -> bool:
    return document in DOCUMENTS


def _words(key: str, lang: str, **values: str) -> str:
    catalog = locale.domain("portal")
    lang = lang if lang in catalog.languages else locale.DEFAULT
    text = catalog.text(key, lang) or catalog.text(key, locale.SOURCE) or key
    return text.format(**values)


def notice_email(msg: OutboxMessage, org: Organization, today: date) -> OutgoingEmail:
    """The e-mail of notice ``msg`` (one of :data:`DOCUMENTS`), to its ``to_addrs``."""
    customer = Customer.objects.get(id=msg.customer_id)
    reasons = dict((r[0], r[1]) for r in (msg.reasons or []) if isinstance(r, (list, tuple)) and len(r) == 2)
    facts = reasons.get(msg.document, {})
    values = {"organization": org.name, "customer": customer.name, "new": str(facts.get("new", "")),
              "day": today.isoformat()}
    sender = mail_from(org)
    return OutgoingEmail(from_name=org.name, from_addr=sender, to=list(msg.to_addrs or []),
                         reply_to=org.email or sender,
                         subject=_words(f"notice.{msg.document}.subject", msg.language, **values),
                         text=_words(f"notice.{msg.document}.body", msg.language, **values),
                         message_id=new_message_id(msg.idempotency_key, sender),
                         headers={"X-Gvia-Message": str(msg.id)})

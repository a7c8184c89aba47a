"""Which charges an Israeli consumer debt notice listed (issue 15): one row per notice message.

A :class:`DebtNotice` ties an outbox message that sends the ``debt_notice`` document to the
invoices (charges) it lists, as the daily run planned it. The day it was sent is the message's
own record — the day it left by e-mail (``sent_at`` in the organization's time zone), or, on
paper, the posting day recorded for it (``posted_date``) — so nothing here can drift from what
the outbox says. Plain data; the rule is :mod:`gvia.core.debt_notice`, read by
:mod:`gvia.services.engine.debt_notices`.
"""

from __future__ import annotations

from django.db import models

from gvia.store.models import Customer, Organization, OutboxMessage


class DebtNotice(models.Model):
    """The charges one debt-notice message lists."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="debt_notices")
    message = models.OneToOneField(OutboxMessage, on_delete=models.CASCADE, related_name="debt_notice")
    invoice_ids = models.JSONField(default=list, help_text="The invoices (charges) the notice lists")
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["organization", "customer"], name="debt_notice_customer_idx")]

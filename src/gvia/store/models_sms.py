"""SMS and WhatsApp (issue 16): the numbers that asked for no more texts, and what the providers
told gvia (replies, delivery reports), each kept once.

The texts themselves are :class:`gvia.store.models.OutboxMessage` rows on the ``sms`` and
``whatsapp`` channels (see :mod:`gvia.services.sending.texts`).
"""

from __future__ import annotations

from django.db import models

from gvia.store.models import Customer, Organization, OutboxMessage


class TextOptOut(models.Model):
    """A mobile number (E.164) that gets no more SMS or WhatsApp from this organization: it
    answered "הסר"/STOP, the provider reported it opted out, or a person recorded it. Lifted
    only by a person (``gvia sms opt-in``)."""

    class Source(models.TextChoices):
        REPLY = "reply", "Reply"
        PROVIDER = "provider", "Provider"
        PERSON = "person", "Person"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    phone = models.CharField(max_length=20)
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices)
    provider = models.CharField(max_length=20, blank=True)
    channel = models.CharField(max_length=20, blank=True)
    text = models.CharField(max_length=500, blank=True, help_text="The reply that asked for it, as received")
    by = models.CharField(max_length=254, blank=True)
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "phone"], name="text_opt_out_unique")]


class TextEvent(models.Model):
    """One thing a provider reported through its webhook: a reply (``inbound``) or a delivery
    report (``status``). Unique per provider, kind, provider id and status, so a callback sent
    again (providers retry) changes nothing twice."""

    class Kind(models.TextChoices):
        INBOUND = "inbound", "Reply"
        STATUS = "status", "Delivery report"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    provider = models.CharField(max_length=20)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    provider_id = models.CharField(max_length=200)
    status = models.CharField(max_length=30, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    text = models.TextField(blank=True)
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    message = models.ForeignKey(OutboxMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "provider", "kind", "provider_id", "status"],
                                               name="text_event_unique")]
        indexes = [models.Index(fields=["message", "-at"], name="text_event_message_idx")]

"""Webhooks (issue 18): the addresses an organization's other programs gave to be told of events,
the events themselves (one per fact), and each event's delivery to each address with its tries.

The endpoint's secret signs every delivery (:func:`gvia.core.webhooks.signature`); it is stored
sealed (:mod:`gvia.services.sealed`) and shown once, when the endpoint is added. An event is
unique per organization and *fact* (``fact``: ``promise:12``, ``stage:40:2:warning_letter`` …),
the database's own guarantee that one fact never gives two events; its ``event_id`` (a UUID) is
what receivers deduplicate by. A delivery is unique per event and endpoint.
"""

from __future__ import annotations

from django.db import models

from gvia.store.models import Organization


class WebhookEndpoint(models.Model):
    """An address to POST events to, with the kinds it wants (empty: every kind)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    url = models.URLField(max_length=2000)
    kinds = models.JSONField(default=list, blank=True, help_text="Event kinds it wants; empty: all")
    sealed_secret = models.TextField(help_text="The signing secret, sealed")
    active = models.BooleanField(default=True)
    created_by = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField()

    def wants(self, kind: str) -> bool:
        return self.active and (not self.kinds or kind in self.kinds)


class WebhookEvent(models.Model):
    """Something that happened, once per fact, with the payload every endpoint receives."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    event_id = models.UUIDField(unique=True)
    kind = models.CharField(max_length=40)
    fact = models.CharField(max_length=200, help_text="What happened, as a key: one event per fact")
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "fact"], name="webhook_event_fact_unique")]


class WebhookDelivery(models.Model):
    """One event to one endpoint: pending until a 2xx answer, tried again with backoff, given up
    after :data:`gvia.core.webhooks.MAX_ATTEMPTS` tries."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Given up"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.IntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status = models.IntegerField(null=True, blank=True, help_text="The HTTP status of the last answer")
    last_error = models.CharField(max_length=60, blank=True, help_text="A code: no_answer, refused, http_status")
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "endpoint"], name="webhook_delivery_unique")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due_idx")]

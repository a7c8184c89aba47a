"""Sync with the invoicing services (issue 18): an organization's account at one (Morning), its
credentials — the secret ones sealed (:mod:`gvia.services.sealed`) — and where its sync stands:
when it was last tried and last succeeded, why the last try failed (a code), and the day up to
which documents were read (the next sync reads from a week before it: documents change after
they are issued — a transaction invoice closed, a receipt added)."""

from __future__ import annotations

from django.db import models

from gvia.store.models import Organization


class SyncAccount(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    provider = models.CharField(max_length=20)
    fields = models.JSONField(default=dict, blank=True, help_text="Settings that are not secret")
    sealed_secrets = models.TextField(blank=True, help_text="The secret credentials, a sealed JSON object")
    active = models.BooleanField(default=True)
    read_through = models.DateField(null=True, blank=True, help_text="Documents were read up to this day")
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=60, blank=True, help_text="A code: why the last try failed")
    last_counts = models.JSONField(default=dict, blank=True, help_text="What the last sync brought")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "provider"], name="sync_account_unique")]

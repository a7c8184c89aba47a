"""The REST API's keys (issue 18): who may call ``/api/v1`` for which organization.

An :class:`ApiKey` belongs to one organization and has one scope — ``read`` (GET), ``write``
(changes to the books and the case) or ``admin`` (also the organization's keys) — each including
the ones before it. The key itself is shown once when it is made and never stored: the row keeps
its SHA-256 digest (a random 256-bit secret needs no slow hash; a lookup by digest is one index
probe) and its public prefix, by which people tell their keys apart. Revoked keys stay, for the
audit trail. Plain data; the rules are in :mod:`gvia.services.apikeys`.
"""

from __future__ import annotations

from django.db import models

from gvia.store.models import Organization


class ApiKey(models.Model):
    """One API key of one organization."""

    class Scope(models.TextChoices):
        READ = "read", "Read"
        WRITE = "write", "Read and write"
        ADMIN = "admin", "Read, write and manage keys"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100, help_text="What the key is for, as its maker named it")
    prefix = models.CharField(max_length=16, unique=True, help_text="The key's public start, shown in lists")
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the whole key (hex)")
    scope = models.CharField(max_length=8, choices=Scope.choices, default=Scope.READ)
    created_by = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.CharField(max_length=254, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "revoked_at"], name="api_key_org_idx")]

    def __str__(self) -> str:
        return f"API key {self.prefix} ({self.scope}) of organization {self.organization_id}"

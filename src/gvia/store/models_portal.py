"""The customer's page (issue 16): the links that open it.

A :class:`PortalLink` is one issued link to one customer's page: its random ``token_id`` (the
token in the URL is that id signed with the server's secret, :mod:`gvia.services.portal.links`),
the day it stops opening, when it was revoked, and who or what issued it (a message, a letter, a
person). Plain data; the rules are in the service.
"""

from __future__ import annotations

from django.db import models

from gvia.store.models import Customer, Organization


class PortalLink(models.Model):
    """One link to one customer's page."""

    class Issuer(models.TextChoices):
        MESSAGE = "message", "A message"
        LETTER = "letter", "A letter"
        PERSON = "person", "A person"
        SYSTEM = "system", "gvia"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="portal_links")
    token_id = models.CharField(max_length=64, unique=True, help_text="Random; the URL carries it signed")
    issued_on = models.DateField()
    expires_on = models.DateField(help_text="The last day the link opens the page")
    revoked_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.CharField(max_length=10, choices=Issuer.choices, default=Issuer.PERSON)
    issued_ref = models.CharField(max_length=254, blank=True,
                                  help_text="The message's id, the letter's, or the person's e-mail")
    last_opened_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["customer", "issued_by", "issued_ref"], name="portal_link_issuer_idx")]

    def __str__(self) -> str:
        return f"portal link {self.id} of customer {self.customer_id} until {self.expires_on}"

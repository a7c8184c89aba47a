"""What a customer did or asked for on their own page (issue 16): one row per action.

A :class:`PortalRequest` records each action taken through a link to the customer's page
("tell us what happened", a promise, a plan request, a dispute, a proposed billing contact):
what was asked (``data``), whether it was taken at once (``done``) or waits for a person
(``pending``, then ``approved`` or ``rejected``), what it became (``result_id``: the promise,
plan, dispute, contact or timeline line) and the uploads it carried. The rows are also what the
page's rate limits count (per link, per hour and per day). Plain data; the rules are in
:mod:`gvia.services.portal.actions` and :mod:`gvia.services.portal.requests`.
"""

from __future__ import annotations

from django.db import models

from gvia.store.models import Customer, Organization


class PortalRequest(models.Model):
    """One action of a customer on their page."""

    class Kind(models.TextChoices):
        TOLD = "told", "Told us what happened"
        PROMISE = "promise", "Promise to pay"
        PLAN = "plan", "Payment plan request"
        DISPUTE = "dispute", "Dispute"
        CONTACT = "contact", "New billing contact"

    class Status(models.TextChoices):
        DONE = "done", "Taken at once"
        PENDING = "pending", "Waiting for a person"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="portal_requests")
    link_id = models.BigIntegerField(null=True, blank=True, help_text="The page link it came through")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    data = models.JSONField(default=dict, blank=True, help_text="What the customer asked for, as values")
    waits_for = models.JSONField(default=list, blank=True, help_text="Codes: why it waits for a person")
    result_id = models.BigIntegerField(null=True, blank=True,
                                       help_text="The promise, plan, dispute, contact or activity it became")
    uploads = models.IntegerField(default=0)
    at = models.DateTimeField(help_text="When the customer acted")
    decided_by = models.CharField(max_length=254, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [models.Index(fields=["link_id", "at"], name="portal_request_link_idx"),
                   models.Index(fields=["organization", "status", "at"], name="portal_request_status_idx")]

    def __str__(self) -> str:
        return f"portal request {self.id} ({self.kind}, {self.status}) of customer {self.customer_id}"


#: what a customer asks for on their page that holds the ladder and its automatic messages while it
#: waits for a person, for the reply days (gvia.core.escalation's ``request_pending``; the
#: dispatcher's ``still_wanted``)
ASKED_KINDS = (PortalRequest.Kind.PROMISE, PortalRequest.Kind.PLAN)

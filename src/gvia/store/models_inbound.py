"""The reply mailbox (issue 16): what gvia read from it, where it stands in the mailbox, the
addresses that bounced, and the promises suggested by what customers wrote.

* :class:`MailboxState` — per organization, the folder's ``UIDVALIDITY`` and the last UID read,
  when it was last polled and what went wrong then (a code);
* :class:`InboundMail` — one message read, recorded once: unique per organization by its
  Message-ID, and by folder + UIDVALIDITY + UID (a message without a Message-ID);
* :class:`FailingAddress` — an address a delivery status notification said fails;
* :class:`SuggestedPromise` — a sentence that reads as a promise (``gvia.core.promise_text``),
  waiting for a person to confirm (a promise is then made through the promise service) or
  dismiss.

Written by :mod:`gvia.services.mailbox` and :mod:`gvia.services.arrangements.suggestions`.
"""

from __future__ import annotations

from django.db import models

from gvia.store.models import Activity, Customer, Organization, OutboxMessage, Promise


class MailboxState(models.Model):
    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="+")
    folder = models.CharField(max_length=200, default="INBOX")
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    polled_at = models.DateTimeField(null=True, blank=True)
    error_code = models.CharField(max_length=40, blank=True, help_text="connect | login | folder; empty: read")
    error_detail = models.CharField(max_length=500, blank=True)


class InboundMail(models.Model):
    """One message read from the reply mailbox."""

    class Kind(models.TextChoices):
        REPLY = "reply", "Reply"
        AUTO_REPLY = "auto_reply", "Automatic reply"
        BOUNCE = "bounce", "Delivery failure"
        REPORT = "report", "Delivery report"

    class Status(models.TextChoices):
        MATCHED = "matched", "Matched to a customer"
        UNMATCHED = "unmatched", "From nobody known"
        ASSIGNED = "assigned", "Assigned by a person"
        DISMISSED = "dismissed", "Dismissed"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    folder = models.CharField(max_length=200)
    uidvalidity = models.BigIntegerField()
    uid = models.BigIntegerField()
    message_id = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices)
    matched_by = models.CharField(max_length=12, blank=True, help_text="thread | address | person")
    answers = models.ForeignKey(OutboxMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                help_text="gvia's message it answers (In-Reply-To / References)")
    from_addr = models.CharField(max_length=254, blank=True)
    from_name = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField()
    text = models.TextField(blank=True, help_text="The writer's own words, quoted history removed")
    activity = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "message_id"], condition=~models.Q(message_id=""),
                                    name="inbound_message_id_unique"),
            models.UniqueConstraint(fields=["organization", "folder", "uidvalidity", "uid"],
                                    name="inbound_uid_unique"),
        ]
        indexes = [models.Index(fields=["organization", "status"], name="inbound_status_idx")]


class FailingAddress(models.Model):
    """An address mail to which failed (a bounce), until a person says it works again."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    address = models.CharField(max_length=254)
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, blank=True, help_text="The report's status code, e.g. 5.1.1")
    diagnostic = models.CharField(max_length=500, blank=True)
    since = models.DateTimeField()
    inbound = models.ForeignKey(InboundMail, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "address"], name="failing_address_unique")]


class SuggestedPromise(models.Model):
    """A promise gvia read in what a customer wrote, for a person to confirm or dismiss."""

    class Source(models.TextChoices):
        REPLY = "reply", "Reply"
        CALL = "call", "Call note"
        PORTAL = "portal", "Customer page"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a person"
        CONFIRMED = "confirmed", "Confirmed"
        DISMISSED = "dismissed", "Dismissed"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices)
    sentence = models.TextField()
    message_date = models.DateField()
    due = models.DateField(null=True, blank=True)
    amount_minor = models.BigIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    activity = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    promise = models.ForeignKey(Promise, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.CharField(max_length=254, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "status"], name="suggested_promise_status_idx")]

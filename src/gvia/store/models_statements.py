"""Bank statements and their matches (issue 18).

A :class:`BankStatement` is one imported file; a :class:`BankLine` one booked line, unique per
organization by its identity (``key``, :func:`gvia.imports.statements.line_keys`), so a statement
imported twice or overlapping an earlier one adds nothing twice. A :class:`BankMatch` is what the
matcher (``core/matching.py``) or a person said a credit line is, with its confidence and reasons;
applied, it recorded payments (``BankMatchPayment.created``) or linked the line to payments already
recorded (money counted once) or to a gateway's transactions (their ``payout_id``). A payment
accounts for one bank line at most (the unique ``payment``). Undoing a match deletes what it
recorded and unlinks the rest.
"""

from __future__ import annotations

from django.db import models

from gvia.store.models import Customer, Organization, Payment


class BankStatement(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    format = models.CharField(max_length=10)
    bank = models.CharField(max_length=20, blank=True)
    lines_read = models.IntegerField(default=0)
    lines_new = models.IntegerField(default=0)
    imported_by = models.CharField(max_length=254, blank=True)
    imported_at = models.DateTimeField()


class BankLine(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Waiting"
        APPLIED = "applied", "Recorded as payments"
        LINKED = "linked", "Linked to what was recorded"
        DEBIT = "debit", "Money out"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    statement = models.ForeignKey(BankStatement, on_delete=models.CASCADE, related_name="lines")
    key = models.CharField(max_length=40)
    position = models.IntegerField()
    account = models.CharField(max_length=64, blank=True)
    booking_date = models.DateField()
    value_date = models.DateField(null=True, blank=True)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    text = models.TextField(blank=True)
    reference = models.CharField(max_length=140, blank=True)
    end_to_end_id = models.CharField(max_length=140, blank=True)
    payer_name = models.CharField(max_length=200, blank=True)
    payer_account = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "key"], name="bank_line_key_unique")]
        indexes = [models.Index(fields=["organization", "status"], name="bank_line_status_idx")]


class BankMatch(models.Model):
    class Status(models.TextChoices):
        SUGGESTED = "suggested", "Waiting for a person"
        APPLIED = "applied", "Applied"
        REJECTED = "rejected", "Rejected"
        UNDONE = "undone", "Undone"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    line = models.ForeignKey(BankLine, on_delete=models.CASCADE, related_name="matches")
    kind = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    confidence = models.SmallIntegerField()
    reasons = models.JSONField(default=list, help_text="[{code, params}, …] as core/matching.py gives them")
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    plan = models.JSONField(default=dict, help_text="{allocations: [[invoice id, minor]], recorded: [payment ids], "
                                                    "gateway: [gateway transaction ids]}")
    auto = models.BooleanField(default=False, help_text="Applied without a person")
    decided_by = models.CharField(max_length=254, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "status"], name="bank_match_status_idx")]


class BankMatchPayment(models.Model):
    """A payment an applied match recorded (``created``) or linked its line to."""

    match = models.ForeignKey(BankMatch, on_delete=models.CASCADE, related_name="payments")
    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="+")
    created = models.BooleanField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["payment"], name="bank_match_payment_once")]

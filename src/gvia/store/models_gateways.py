"""Payment gateways (issue 16): an organization's account at a gateway, the payment pages gvia
created there (checkouts), the transactions they brought, and every notification received.

Credentials are never stored in clear: the secret ones are one sealed JSON text
(:mod:`gvia.services.sealed`); the others (ids, page codes) are plain. A transaction is unique
per organization, gateway and the gateway's transaction id — the database's own guarantee that
a payment is recorded once however often the gateway notifies; its ``payout_id`` is filled when
the bank's payout from the gateway is matched (issue 18).
"""

from __future__ import annotations

from django.db import models

from gvia.store.models import Customer, Organization, Payment


class GatewayAccount(models.Model):
    """The organization's credentials at one gateway; ``notify_token`` names the organization in
    the gateway's notification address without revealing anything else."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    gateway = models.CharField(max_length=20)
    fields = models.JSONField(default=dict, blank=True, help_text="Credentials that are not secret")
    sealed_secrets = models.TextField(blank=True, help_text="The secret credentials, a sealed JSON object")
    notify_token = models.CharField(max_length=64, unique=True)
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "gateway"], name="gateway_account_unique")]


class GatewayCheckout(models.Model):
    """A payment page created at a gateway for some of a customer's invoices."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        PAID = "paid", "Paid"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(GatewayAccount, on_delete=models.PROTECT, related_name="checkouts")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    gateway_ref = models.CharField(max_length=200, help_text="The gateway's id of the page")
    sealed_secret = models.TextField(blank=True, help_text="What only the gateway and gvia know of it, sealed")
    reference = models.CharField(max_length=100, help_text="The case's payment reference")
    invoices = models.JSONField(default=list, help_text="[[invoice id, open minor units at creation], …]")
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    url = models.URLField(max_length=2000)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "gateway_ref"], name="gateway_checkout_ref_unique")]


class GatewayTransaction(models.Model):
    """Money a gateway took for a checkout, recorded as the customer's payments (``payments``)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    gateway = models.CharField(max_length=20)
    transaction_id = models.CharField(max_length=200)
    checkout = models.ForeignKey(GatewayCheckout, on_delete=models.PROTECT, related_name="transactions")
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    received_on = models.DateField()
    payout_id = models.CharField(max_length=200, blank=True, help_text="The gateway's payout to the bank (issue 18)")
    payments = models.ManyToManyField(Payment, related_name="gateway_transactions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "gateway", "transaction_id"],
                                               name="gateway_transaction_unique")]
        indexes = [models.Index(fields=["organization", "payout_id"], name="gateway_txn_payout_idx")]


class GatewayNotification(models.Model):
    """Every notification received at a gateway address, with what became of it — a forged or
    replayed one too (``outcome``), for whoever checks the gateway's traffic."""

    class Outcome(models.TextChoices):
        RECORDED = "recorded", "Payment recorded"
        REPLAYED = "replayed", "Already recorded"
        FORGED = "forged", "Refused: not from the gateway"
        STALE = "stale", "Refused: too old"
        IGNORED = "ignored", "Not a payment"
        REFUSED = "refused", "Refused"

    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    gateway = models.CharField(max_length=20)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    code = models.CharField(max_length=60, blank=True)
    event_id = models.CharField(max_length=200, blank=True)
    transaction_id = models.CharField(max_length=200, blank=True)
    body_sha256 = models.CharField(max_length=64)
    size = models.IntegerField()
    received_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["organization", "received_at"], name="gateway_notice_org_idx")]

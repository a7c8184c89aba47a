"""The records gvia keeps. Plain data: no business rule lives in a model, save() or a signal.

Money is stored as integer minor units (``*_minor``) next to an ISO 4217 ``currency``.
Every record that belongs to a business carries ``organization`` so every query is scoped.
Derived columns (``Invoice.open_minor``, ``Allocation``) are recomputed by the ledger service
from the pure core; they exist so reports over a million invoices are one indexed query.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Organization(models.Model):
    """The business that uses gvia (the creditor)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    tax_id = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    bank_details = models.TextField(blank=True, help_text="How customers pay: bank, branch, account")
    payment_link = models.URLField(blank=True)
    country = models.CharField(max_length=2, default="IL")
    default_currency = models.CharField(max_length=3, default="ILS")
    default_language = models.CharField(max_length=2, default="he")
    time_zone = models.CharField(max_length=64, default="Asia/Jerusalem")
    signatory_name = models.CharField(max_length=200, blank=True)
    signatory_title = models.CharField(max_length=200, blank=True)
    accent_color = models.CharField(max_length=7, default="#1f4e79")
    logo_path = models.CharField(max_length=500, blank=True)
    settings = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        COLLECTOR = "collector", "Collector"
        VIEWER = "viewer", "Viewer"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.COLLECTOR)
    language = models.CharField(max_length=2, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"


class Customer(models.Model):
    """The debtor."""

    class Kind(models.TextChoices):
        BUSINESS = "business", "Business"
        CONSUMER = "consumer", "Consumer"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="customers")
    ref = models.CharField(max_length=64, help_text="The business's own customer reference")
    name = models.CharField(max_length=300)
    tax_id = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.BUSINESS)
    language = models.CharField(max_length=2, default="he")
    tags = models.JSONField(default=list, blank=True)
    collector = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    do_not_chase = models.BooleanField(default=False)
    do_not_chase_reason = models.CharField(max_length=300, blank=True)
    email = models.CharField(max_length=254, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    first_seen = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "ref"], name="customer_ref_unique")]
        indexes = [models.Index(fields=["organization", "name"], name="customer_name_idx")]

    def __str__(self) -> str:
        return f"{self.ref} {self.name}"


class Contact(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=100, blank=True)
    email = models.CharField(max_length=254, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_primary = models.BooleanField(default=False)
    is_billing = models.BooleanField(default=False)
    cc = models.BooleanField(default=False, help_text="Copy this contact on messages")

    def __str__(self) -> str:
        return self.name or self.email or self.phone


class Address(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField(max_length=20, default="billing")
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, default="IL")

    def __str__(self) -> str:
        return ", ".join(p for p in (self.line1, self.line2, self.city) if p)


class Invoice(models.Model):
    """A debt document. Credit notes are invoices of kind credit_note with a positive amount."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", "Invoice"
        CREDIT_NOTE = "credit_note", "Credit note"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invoices")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="invoices")
    number = models.CharField(max_length=64)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.INVOICE)
    applies_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_notes")
    issue_date = models.DateField()
    due_date = models.DateField()
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    settled_outside_minor = models.BigIntegerField(default=0, help_text="Settled outside gvia (imported open amount, --full)")
    open_minor = models.BigIntegerField(default=0, help_text="Derived by the ledger service")
    po_number = models.CharField(max_length=64, blank=True)
    description = models.CharField(max_length=500, blank=True)
    external_id = models.CharField(max_length=100, blank=True)
    source = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind", "number"], name="invoice_number_unique"),
        ]
        indexes = [
            models.Index(fields=["customer", "due_date"], name="invoice_customer_due_idx"),
            models.Index(
                fields=["organization", "currency", "due_date"], name="invoice_open_due_idx",
                condition=~Q(open_minor=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}"


class Payment(models.Model):
    class Method(models.TextChoices):
        TRANSFER = "transfer", "Bank transfer"
        CARD = "card", "Card"
        CASH = "cash", "Cash"
        CHEQUE = "cheque", "Cheque"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        CLEARED = "cleared", "Cleared"
        PENDING = "pending", "Pending (post-dated cheque)"
        BOUNCED = "bounced", "Bounced"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="payments")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="payments")
    date = models.DateField()
    value_date = models.DateField(null=True, blank=True)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.TRANSFER)
    cheque_number = models.CharField(max_length=40, blank=True)
    cheque_bank = models.CharField(max_length=100, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    withholding_minor = models.BigIntegerField(default=0, help_text="Tax withheld at source; counts as paid")
    withholding_certificate = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CLEARED)
    invoice = models.ForeignKey(Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="named_payments")
    rate = models.DecimalField(max_digits=20, decimal_places=8, null=True, blank=True)
    import_key = models.CharField(max_length=200, help_text="Identifies the row on re-import")
    source = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "import_key"], name="payment_import_key_unique")]
        indexes = [
            models.Index(fields=["customer", "date"], name="payment_customer_date_idx"),
            models.Index(fields=["organization", "cheque_number"], name="payment_cheque_idx"),
        ]


class Allocation(models.Model):
    """Derived: which payment or credit note covers which invoice. Rebuilt by the ledger service."""

    class Source(models.TextChoices):
        PAYMENT = "payment", "Payment"
        CREDIT_NOTE = "credit_note", "Credit note"
        TOLERANCE = "tolerance", "Small difference settled"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="allocations")
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="allocations")
    source = models.CharField(max_length=12, choices=Source.choices)
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.CASCADE, related_name="allocations")
    credit_note = models.ForeignKey(Invoice, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    amount_minor = models.BigIntegerField(help_text="In the invoice's currency")
    source_amount_minor = models.BigIntegerField(help_text="In the payment's currency")
    source_currency = models.CharField(max_length=3)
    rate = models.DecimalField(max_digits=20, decimal_places=8, null=True, blank=True)
    pending = models.BooleanField(default=False)


class Document(models.Model):
    """A file attached to a customer or an invoice, stored under the storage root."""

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", "Signed agreement"
        INVOICE_COPY = "invoice_copy", "Invoice copy"
        DELIVERY_PROOF = "delivery_proof", "Delivery proof"
        LETTER = "letter", "Letter sent"
        OTHER = "other", "Other"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="documents")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="documents")
    invoice = models.ForeignKey(Invoice, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    file_name = models.CharField(max_length=255)
    path = models.CharField(max_length=500, help_text="Relative to the storage root")
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    content_type = models.CharField(max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)


class ImportRun(models.Model):
    """One file imported: what it changed. The latest one dates the ledger (stale-data guard)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="imports")
    kind = models.CharField(max_length=12)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.IntegerField(default=0)
    created = models.IntegerField(default=0)
    updated = models.IntegerField(default=0)
    unchanged = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField()


class MappingPreset(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="mapping_presets")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=12)
    columns = models.JSONField(default=dict)
    date_format = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "kind", "name"], name="preset_unique")]


class AuditRecord(models.Model):
    """Who did what and when, for every change made through gvia."""

    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="audit")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor = models.CharField(max_length=254, help_text="E-mail of the acting user, or 'system'")
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["organization", "at"], name="audit_org_at_idx")]


class UnappliedCredit(models.Model):
    """Derived: a customer's money not applied to any invoice (overpayment, leftover credit note)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="unapplied_credit")
    currency = models.CharField(max_length=3)
    amount_minor = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["customer", "currency"], name="unapplied_unique")]

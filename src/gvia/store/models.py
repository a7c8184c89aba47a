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
    # how customers pay by transfer: the one home of the bank details every letter and e-mail prints
    bank_name = models.CharField(max_length=120, blank=True)
    bank_branch = models.CharField(max_length=40, blank=True)
    bank_account = models.CharField(max_length=60, blank=True)
    bank_iban = models.CharField(max_length=42, blank=True)
    bank_beneficiary = models.CharField(max_length=200, blank=True)
    bank_swift = models.CharField(max_length=11, blank=True)
    bank_sort_code = models.CharField(max_length=8, blank=True)
    bank_details = models.TextField(blank=True, help_text="Other payment instructions, printed as written "
                                                          "after the bank fields")
    payment_link = models.URLField(blank=True)
    country = models.CharField(max_length=2, default="IL")
    default_currency = models.CharField(max_length=3, default="ILS")
    default_language = models.CharField(max_length=2, default="he")
    time_zone = models.CharField(max_length=64, default="Asia/Jerusalem")
    signatory_name = models.CharField(max_length=200, blank=True)
    signatory_title = models.CharField(max_length=200, blank=True)
    # The same details for English letters from a business whose own are in Hebrew (empty: the above)
    name_en = models.CharField(max_length=200, blank=True, db_default="", help_text="The name English letters print")
    address_en = models.TextField(blank=True, db_default="", help_text="The address English letters print")
    signatory_name_en = models.CharField(max_length=200, blank=True, db_default="")
    signatory_title_en = models.CharField(max_length=200, blank=True, db_default="")
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
        """The list is :data:`gvia.core.customer_kinds.CUSTOMER_KINDS` (what each means there)."""

        BUSINESS = "business", "Business"
        SOLE_TRADER = "sole_trader", "Sole trader"
        CONSUMER = "consumer", "Consumer"
        PUBLIC_BODY = "public_body", "Public body"

    # No index of its own: the unique (organization, ref) index starts with it and serves every
    # lookup by organization alone (a first import then builds one index less).
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="customers",
                                     db_index=False)
    ref = models.CharField(max_length=64, help_text="The business's own customer reference")
    name = models.CharField(max_length=300)
    tax_id = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.BUSINESS)
    # Israel: an exempt dealer (עוסק פטור) deducts no VAT, so needs no allocation number
    # (core/allocation.py); the kind alone says sole_trader for licensed and exempt dealers alike.
    vat_exempt = models.BooleanField(default=False, db_default=False)
    # Israel's suppliers' payment law: a large buyer's agreed payment day later than the law's
    # yields to it (core/suppliers_law.py); a person or the import marks it (migration 0027).
    large_business = models.BooleanField(default=False, db_default=False)
    language = models.CharField(max_length=2, default="he")
    tags = models.JSONField(default=list, blank=True)
    collector = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    do_not_chase = models.BooleanField(default=False)
    do_not_chase_reason = models.CharField(max_length=300, blank=True)
    # Credit hold (issue 17): talk about the debt before selling more; set and lifted by a person
    # (services/ledger/credit_hold.py), suggested by the policy's [credit_hold] rule.
    credit_hold = models.BooleanField(default=False, db_default=False)
    credit_hold_reason = models.CharField(max_length=300, blank=True, db_default="")
    credit_hold_since = models.DateField(null=True, blank=True)
    credit_hold_by = models.CharField(max_length=254, blank=True, db_default="")
    email = models.CharField(max_length=254, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    claim_basis = models.CharField(
        max_length=500, blank=True, db_default="",
        help_text="The written agreement on file the debt rests on (empty: the organization's claim_basis)")
    first_seen = models.DateField(null=True, blank=True)
    policy = models.ForeignKey("Policy", null=True, blank=True, on_delete=models.SET_NULL, related_name="customers")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "ref"], name="customer_ref_unique")]
        indexes = [models.Index(fields=["organization", "name"], name="customer_name_idx"),
                   # the customer list's search: an e-mail by prefix, a phone or a tax id by equality
                   models.Index(fields=["organization", "email"], name="customer_email_idx"),
                   models.Index(fields=["organization", "phone"], name="customer_phone_idx"),
                   models.Index(fields=["organization", "tax_id"], name="customer_tax_id_idx")]

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

    class Meta:
        # the customer list's search finds a customer by a contact's e-mail (prefix) or phone
        indexes = [models.Index(fields=["email"], name="contact_email_idx"),
                   models.Index(fields=["phone"], name="contact_phone_idx")]

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

    # No single-column indexes on these two: the unique (organization, kind, number) and the
    # (customer, due_date) indexes serve those lookups, and fewer indexes keep bulk imports fast.
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invoices",
                                     db_index=False)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="invoices", db_index=False)
    number = models.CharField(max_length=64)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.INVOICE)
    # Only credit notes have one: indexed by the partial invoice_applies_to_idx below, not by an
    # index with an entry for every invoice.
    applies_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_notes",
                                   db_index=False)
    issue_date = models.DateField()
    due_date = models.DateField()
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    settled_outside_minor = models.BigIntegerField(default=0,
                                                   help_text="Settled outside gvia (imported open amount, --full)")
    open_minor = models.BigIntegerField(default=0, help_text="Derived by the ledger service")
    po_number = models.CharField(max_length=64, blank=True)
    # Israel's allocation number (מספר הקצאה, "חשבוניות ישראל"): without it a business customer
    # cannot deduct the VAT of an invoice above the threshold (core/allocation.py). Blank: none
    # known. The amount before VAT, when the import says it (else computed from the VAT rate).
    allocation_number = models.CharField(max_length=32, blank=True, default="", db_default="")
    amount_before_vat_minor = models.BigIntegerField(null=True, blank=True)
    # A person confirmed that the case may go on although the invoice has no allocation number.
    allocation_confirmed_without = models.BooleanField(default=False, db_default=False)
    description = models.CharField(max_length=500, blank=True)
    external_id = models.CharField(max_length=100, blank=True)
    source = models.CharField(max_length=200, blank=True)
    # The digest of the file row this invoice was last imported or checked from (imports/digests.py):
    # a re-import skips a row whose digest is here. Null: none (entered otherwise, or changed since).
    source_digest = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind", "number"], name="invoice_number_unique"),
        ]
        indexes = [
            models.Index(fields=["customer", "due_date"], name="invoice_customer_due_idx"),
            # Open invoices only: serves aging, the customer list's balances and the daily run's
            # snapshot from the index alone (it covers every column those queries read).
            models.Index(
                fields=["organization", "kind", "currency", "due_date", "customer", "open_minor"],
                name="invoice_open_cover_idx", condition=~Q(open_minor=0),
            ),
            # Credit notes by the invoice they apply to (the foreign key's checks and lookups);
            # the invoices, which apply to nothing, are not in it.
            models.Index(fields=["applies_to"], name="invoice_applies_to_idx",
                         condition=Q(applies_to__isnull=False)),
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

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="payments",
                                     db_index=False)  # served by the unique (organization, import_key)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="payments",
                                 db_index=False)  # served by (customer, date)
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

    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="audit")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor = models.CharField(max_length=254, help_text="E-mail of the acting user, or 'system'")
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["organization", "at"], name="audit_org_at_idx"),
                   models.Index(fields=["organization", "object_type", "object_id"], name="audit_object_idx")]


class UnappliedCredit(models.Model):
    """Derived: a customer's money not applied to any invoice (overpayment, leftover credit note)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="unapplied_credit")
    currency = models.CharField(max_length=3)
    amount_minor = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["customer", "currency"], name="unapplied_unique")]


# --- escalation engine -------------------------------------------------------------------------

class Policy(models.Model):
    """A named escalation ladder of an organization. Its content lives in versions."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="policies")
    name = models.CharField(max_length=100)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="policy_name_unique")]

    def __str__(self) -> str:
        return self.name


class PolicyVersion(models.Model):
    """One version of a policy's TOML text. Changing a policy makes a new version."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="versions")
    version = models.IntegerField()
    text = models.TextField()
    fingerprint = models.CharField(max_length=64)
    created_by = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["policy", "version"], name="policy_version_unique")]


class RiskWeights(models.Model):
    """One version of an organization's early-warning weights (a risk TOML, checked by
    :func:`gvia.core.signals.load_weights`). Loading a changed text makes a new version; the
    latest is in use, the shipped ``gvia/policies/risk.toml`` when there is none."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    version = models.IntegerField()
    text = models.TextField()
    fingerprint = models.CharField(max_length=64)
    created_by = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "version"], name="risk_weights_version_unique")]


class Case(models.Model):
    """One customer's collection process: the stage it stands at, its cycle, and the core's state."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="cases")
    customer = models.OneToOneField(Customer, on_delete=models.CASCADE, related_name="case")
    policy = models.ForeignKey(Policy, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    cycle = models.IntegerField(default=0)
    stage_key = models.CharField(max_length=40, blank=True)
    stage_entered = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=False, help_text="In a cycle (something overdue)")
    state = models.JSONField(default=dict, blank=True, help_text="The core's CaseState, serialized")
    next_step = models.CharField(max_length=40, blank=True)
    next_date = models.DateField(null=True, blank=True)
    last_decided = models.DateField(null=True, blank=True)
    # Why the customer has not paid (issue 17): one of gvia.core.nonpayment.REASONS, from a call,
    # a reply, the customer's page or a person (services/engine/nonpayment.py); empty: not known.
    nonpayment_reason = models.CharField(max_length=30, blank=True, db_default="")
    nonpayment_note = models.CharField(max_length=500, blank=True, db_default="")
    nonpayment_on = models.DateField(null=True, blank=True)
    nonpayment_source = models.CharField(max_length=20, blank=True, db_default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "stage_key"], name="case_stage_idx")]


class Pause(models.Model):
    """A reason not to chase a customer (or some invoices) until a date."""

    class Kind(models.TextChoices):
        MANUAL = "manual", "Manual"
        PROMISE = "promise", "Promise to pay"
        PLAN = "plan", "Payment plan"
        DISPUTE = "dispute", "Dispute"
        SETTLEMENT = "settlement", "Settlement offer"
        CALL_BACK = "call_back", "Call back"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.MANUAL)
    reason = models.CharField(max_length=500)
    until = models.DateField(null=True, blank=True)
    invoices = models.JSONField(default=list, blank=True, help_text="Invoice ids; empty = the whole case")
    active = models.BooleanField(default=True)
    source_id = models.BigIntegerField(null=True, blank=True, help_text="The promise/plan/dispute it comes from")
    created_by = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class Activity(models.Model):
    """Anything that happened with a customer: the timeline."""

    class Kind(models.TextChoices):
        MESSAGE_OUT = "message_out", "Message sent"
        MESSAGE_IN = "message_in", "Reply received"
        CALL = "call", "Call"
        NOTE = "note", "Note"
        STAGE = "stage", "Stage"
        PAUSE = "pause", "Pause"
        LETTER = "letter", "Letter"
        PROMISE = "promise", "Promise"
        PLAN = "plan", "Payment plan"
        DISPUTE = "dispute", "Dispute"
        SETTLEMENT = "settlement", "Settlement"
        WRITEOFF = "writeoff", "Write-off"
        PORTAL = "portal", "Customer page"
        SYSTEM = "system", "System"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    date = models.DateField()
    at = models.DateTimeField()
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    actor = models.CharField(max_length=254, blank=True)

    class Meta:
        indexes = [models.Index(fields=["customer", "-at"], name="activity_customer_at_idx")]


class RunRecord(models.Model):
    """One daily run: when, which policy versions, what it did and what it held back."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="runs")
    run_date = models.DateField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    dry_run = models.BooleanField(default=False)
    policy_versions = models.JSONField(default=list, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    held_back = models.JSONField(default=list, blank=True)
    actor = models.CharField(max_length=254, blank=True)


class OutboxMessage(models.Model):
    """A message to send, written in the same transaction as the decision that caused it.

    ``idempotency_key`` is built from that cause (a stage of a cycle of a case; an installment
    reminder; a person's "send now") and is unique per organization, so nothing is planned twice.
    ``sending`` → the worker holds it; a crash there leaves it to be marked ``uncertain``.
    """

    class Status(models.TextChoices):
        AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
        QUEUED = "queued", "Queued"
        HELD = "held", "Held back"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        UNCERTAIN = "uncertain", "Uncertain"
        REJECTED = "rejected", "Rejected"
        CANCELLED = "cancelled", "Cancelled"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="outbox")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="messages")
    idempotency_key = models.CharField(max_length=200)
    cycle = models.IntegerField(default=0)
    stage_key = models.CharField(max_length=40, blank=True)
    channel = models.CharField(max_length=20)
    document = models.CharField(max_length=40, blank=True)
    attach = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=2, default="he")
    status = models.CharField(max_length=20, choices=Status.choices)
    needs_approval = models.BooleanField(default=False)
    approved_by = models.CharField(max_length=254, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    planned_for = models.DateField()
    not_before = models.DateTimeField(null=True, blank=True)
    attempts = models.IntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    send_started_at = models.DateTimeField(
        null=True, blank=True, help_text="Set (committed) just before the message leaves; null = it has not")
    worker = models.CharField(max_length=100, blank=True)
    log = models.JSONField(default=list, blank=True, help_text="What became of it, entry by entry: codes and "
                           "values the reader's language words (gvia.core.message_log)")
    to_addrs = models.JSONField(default=list, blank=True)
    cc_addrs = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=500, blank=True)
    message_id = models.CharField(max_length=300, blank=True)
    raw_path = models.CharField(max_length=500, blank=True, help_text="The message as sent (proof)")
    server_reply = models.TextField(blank=True, help_text="The SMTP server's reply (proof)")
    sent_at = models.DateTimeField(null=True, blank=True)
    registered_number = models.CharField(max_length=60, blank=True)
    posted_date = models.DateField(null=True, blank=True)
    delivered_date = models.DateField(null=True, blank=True)
    free_text = models.TextField(blank=True)
    reasons = models.JSONField(default=list, blank=True)
    policy_version = models.ForeignKey(PolicyVersion, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")
    run = models.ForeignKey(RunRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "idempotency_key"], name="outbox_idempotency_unique"),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx"),
            models.Index(fields=["customer", "-created_at"], name="outbox_customer_idx"),
            models.Index(fields=["organization", "status", "planned_for"], name="outbox_org_status_idx"),
            # a reply or a provider's status names the message it is about by its Message-ID
            # (mailbox/placing.match, sending/texts.record_events): the sent ones only
            models.Index(fields=["organization", "message_id"], name="outbox_message_id_idx",
                         condition=~models.Q(message_id="")),
        ]


class OutboxJournalMark(models.Model):
    """How far the outbox journal file ``path`` (relative to the storage root) was reconciled
    with the outbox (gvia.services.sending.journal). Kept in the database so that a database put
    back from a backup reads again everything journalled after the backup's moment."""

    path = models.CharField(max_length=500, unique=True)
    offset = models.BigIntegerField(default=0)


class Task(models.Model):
    """Work for a person: a call to make, a message to approve, a failure to look at."""

    class Kind(models.TextChoices):
        CALL = "call", "Call"
        APPROVAL = "approval", "Approval"
        FAILED_MESSAGE = "failed_message", "Failed message"
        UNCERTAIN_MESSAGE = "uncertain_message", "Uncertain message"
        REPLY = "reply", "Reply to read"
        FOLLOW_UP = "follow_up", "Follow-up"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="tasks")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=200, help_text="What caused it; unique per organization")
    due_date = models.DateField()
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    message = models.ForeignKey(OutboxMessage, null=True, blank=True, on_delete=models.CASCADE, related_name="tasks")
    data = models.JSONField(default=dict, blank=True)
    open = models.BooleanField(default=True)
    outcome = models.CharField(max_length=40, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "key"], name="task_key_unique")]
        indexes = [models.Index(fields=["organization", "open", "due_date"], name="task_open_idx")]


class AgingSnapshot(models.Model):
    """That day's aging per currency, left by the daily run for the trend charts."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    currency = models.CharField(max_length=3)
    buckets = models.JSONField(default=dict)
    overdue_minor = models.BigIntegerField(default=0)
    open_minor = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "date", "currency"],
                                               name="aging_snapshot_unique")]


# --- arrangements: promises, plans, settlements, disputes, write-offs, interest, rates -------
# The rules live in gvia.core (promises, plans, settlements, disputes, interest, rates); these
# records keep what was agreed and where it stands. The services in gvia.services.arrangements.promises,
# plans, settlements, disputes, writeoffs, interest and rates write them; the daily run brings
# them up to date (gvia.services.arrangements.daily).


class Promise(models.Model):
    """The customer's promise to pay ``amount`` by ``due``; pauses the case through ``pause_until``."""

    class Source(models.TextChoices):
        CALL = "call", "Call"
        EMAIL = "email", "E-mail"
        PORTAL = "portal", "Customer page"
        MANUAL = "manual", "Entered by hand"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        KEPT = "kept", "Kept"
        PARTIALLY_KEPT = "partially_kept", "Partially kept"
        BROKEN = "broken", "Broken"
        CANCELLED = "cancelled", "Cancelled"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="promises")
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    due = models.DateField()
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    made_on = models.DateField()
    grace_days = models.IntegerField(default=0)
    pause_until = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    paid_minor = models.BigIntegerField(default=0, help_text="Counted towards the promise so far")
    payments_known_through = models.BigIntegerField(
        default=0, help_text="The last payment id in the books when made: those do not count towards it")
    kept_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    pause = models.ForeignKey(Pause, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "status"], name="promise_status_idx")]


class PaymentPlan(models.Model):
    """Installments agreed with the customer for (part of) the open balance."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "Weekly"
        BIWEEKLY = "biweekly", "Every two weeks"
        MONTHLY = "monthly", "Monthly"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        DEFAULTED = "defaulted", "Defaulted"
        CANCELLED = "cancelled", "Cancelled"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="payment_plans")
    total_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    installments_count = models.IntegerField()
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    first_date = models.DateField()
    down_payment_minor = models.BigIntegerField(default=0)
    cheques = models.BooleanField(default=False, help_text="Paid by a series of post-dated cheques")
    grace_days = models.IntegerField(default=7)
    default_after_missed = models.IntegerField(default=2)
    agreed_on = models.DateField()
    invoices = models.JSONField(default=list, blank=True, help_text="Ids of the invoices the plan covers")
    payments_known_through = models.BigIntegerField(
        default=0, help_text="The last payment id in the books when agreed: those are in the balance already")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    paid_minor = models.BigIntegerField(default=0)
    missed = models.IntegerField(default=0)
    limits_exceeded = models.JSONField(default=list, blank=True,
                                       help_text="How the plan goes beyond what a collector may agree")
    approved_by = models.CharField(max_length=254, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=300, blank=True)
    pause = models.ForeignKey(Pause, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The plan signed by the customer, on file (``gvia plan sign``): a written, signed acknowledgment
    # of the debts it covers, which restarts their limitation period (gvia.core.limitation).
    signed_agreement = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+", help_text="The plan as signed by the customer")
    signed_on = models.DateField(null=True, blank=True, help_text="The day the customer signed it")
    created_by = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "status"], name="plan_status_idx")]


class PlanInstallment(models.Model):
    """One amount of a plan. ``number`` 0 is the down payment."""

    class Status(models.TextChoices):
        UPCOMING = "upcoming", "Upcoming"
        DUE = "due", "Due"
        PARTIAL = "partial", "Partly paid"
        PAID = "paid", "Paid"
        MISSED = "missed", "Missed"

    plan = models.ForeignKey(PaymentPlan, on_delete=models.CASCADE, related_name="installments")
    number = models.IntegerField()
    kind = models.CharField(max_length=12, default="installment")
    due = models.DateField()
    scheduled = models.DateField(null=True, blank=True, help_text="The date before it moved off a day off")
    amount_minor = models.BigIntegerField()
    cheque = models.BooleanField(default=False)
    cheque_number = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPCOMING)
    paid_minor = models.BigIntegerField(default=0)
    paid_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_installment_unique")]


class Settlement(models.Model):
    """Pay ``agreed`` of ``debt`` by ``deadline`` and the rest is written off; an owner approves."""

    class Status(models.TextChoices):
        OFFERED = "offered", "Offered (awaiting approval)"
        APPROVED = "approved", "Approved"
        PAID = "paid", "Paid in time"
        LAPSED = "lapsed", "Lapsed"
        REJECTED = "rejected", "Rejected"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="settlements")
    debt_minor = models.BigIntegerField()
    agreed_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    deadline = models.DateField()
    offered_on = models.DateField()
    invoices = models.JSONField(default=list, blank=True, help_text="Ids of the invoices the debt is made of")
    payments_known_through = models.BigIntegerField(
        default=0, help_text="The last payment id in the books when offered: those are in the debt already")
    waives_interest = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OFFERED)
    reason = models.TextField(blank=True)
    approved_by = models.CharField(max_length=254, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    paid_minor = models.BigIntegerField(default=0)
    paid_on = models.DateField(null=True, blank=True)
    written_off_minor = models.BigIntegerField(default=0)
    closed_on = models.DateField(null=True, blank=True)
    pause = models.ForeignKey(Pause, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "status"], name="settlement_status_idx")]


class Dispute(models.Model):
    """The customer contests invoices; only those leave the ladder while it is open."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        VALID = "valid", "Valid"
        REJECTED = "rejected", "Rejected"

    class Resolution(models.TextChoices):
        CREDIT_NOTE = "credit_note", "Credit note"
        WRITE_OFF = "write_off", "Write-off"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="disputes")
    invoices = models.ManyToManyField(Invoice, related_name="disputes")
    reason = models.CharField(max_length=30)
    note = models.TextField(blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.CharField(max_length=12, choices=Resolution.choices, blank=True)
    resolution_note = models.TextField(blank=True)
    opened_on = models.DateField()
    resolved_on = models.DateField(null=True, blank=True)
    resolved_by = models.CharField(max_length=254, blank=True)
    remind_after_days = models.IntegerField(default=14)
    reminded_on = models.DateField(null=True, blank=True)
    pause = models.ForeignKey(Pause, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "status"], name="dispute_status_idx")]


class WriteOff(models.Model):
    """Part of an invoice given up, with a reason and the person who approved it. An approved
    write-off reduces the invoice's open amount through the ledger (never a deletion)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    class Origin(models.TextChoices):
        MANUAL = "manual", "Requested by hand"
        SETTLEMENT = "settlement", "Settlement paid"
        DISPUTE = "dispute", "Valid dispute"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="write_offs")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="write_offs")
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    reason = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.MANUAL)
    settlement = models.ForeignKey(Settlement, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="write_offs")
    dispute = models.ForeignKey(Dispute, null=True, blank=True, on_delete=models.SET_NULL, related_name="write_offs")
    requested_by = models.CharField(max_length=254, blank=True)
    requested_on = models.DateField()
    approved_by = models.CharField(max_length=254, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["customer", "status"], name="writeoff_customer_idx")]


class InterestRule(models.Model):
    """The interest and fees rule of an organization (``customer`` empty) or a customer's
    override: a JSON object checked by :func:`gvia.core.interest.parse_interest_rule`."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    rule = models.JSONField(default=dict)
    set_by = models.CharField(max_length=254, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "customer"], name="interest_rule_customer_unique"),
            models.UniqueConstraint(fields=["organization"], condition=Q(customer__isnull=True),
                                    name="interest_rule_org_unique"),
        ]


class RateImport(models.Model):
    """A rate or index table imported with ``gvia rates import``: its checked CSV text, laid over
    the shipped table of the same name (later imports over earlier ones)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=60)
    kind = models.CharField(max_length=8)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    text = models.TextField()
    rows = models.IntegerField(default=0)
    imported_by = models.CharField(max_length=254, blank=True)
    imported_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["organization", "name"], name="rate_import_name_idx")]


from gvia.store.models_api import ApiKey  # noqa: E402, F401 — the REST API's keys (issue 18), a module of their own
from gvia.store.models_debt_notice import DebtNotice  # noqa: E402, F401 — the consumer debt notices (issue 15), a module of their own
from gvia.store.models_gateways import GatewayAccount  # noqa: E402, F401 — payment gateways (issue 16), a module of their own
from gvia.store.models_inbound import FailingAddress, InboundMail, MailboxState, SuggestedPromise  # noqa: E402, F401 — the reply mailbox and suggested promises (issue 16), a module of their own
from gvia.store.models_portal import PortalLink  # noqa: E402, F401 — the customer page's links (issue 16), a module of their own
from gvia.store.models_portal_requests import PortalRequest  # noqa: E402, F401 — what customers do on their page (issue 16), a module of their own
from gvia.store.models_sms import TextEvent, TextOptOut  # noqa: E402, F401 — SMS and WhatsApp: opt-outs, provider reports (issue 16), a module of their own
from gvia.store.models_statements import BankLine  # noqa: E402, F401 — bank statements and their matches (issue 18), a module of their own
from gvia.store.models_sync import SyncAccount  # noqa: E402, F401 — sync with the invoicing services (issue 18), a module of their own
from gvia.store.models_webhooks import WebhookDelivery, WebhookEndpoint, WebhookEvent  # noqa: E402, F401 — webhooks (issue 18), a module of their own

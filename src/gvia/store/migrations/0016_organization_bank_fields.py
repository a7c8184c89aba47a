"""The organization's bank details, structured (issue 13): bank, branch, account, IBAN, beneficiary
(and SWIFT/BIC, sort code) as fields of their own. The free text of bank_details moves into them
when every line is a 'Label: value' line the letters knew (Bank, Branch, Account, IBAN, ... in
Hebrew or English, as gvia.services.letters.content.bank_from_text read it); text that is not is
kept in bank_details, printed as written after the fields. A settings['bank'] value still there
(migration 0012 moved those) is moved the same way, and its key deleted."""

from django.db import migrations, models

# the labels gvia.services.letters.content read (a copy: a migration does not follow the code)
LABELS = {
    "bank": "bank_name", "בנק": "bank_name", "branch": "bank_branch", "סניף": "bank_branch",
    "account": "bank_account", "account number": "bank_account", "account no": "bank_account",
    "חשבון": "bank_account", "מספר חשבון": "bank_account", "מס׳ חשבון": "bank_account", "מס' חשבון": "bank_account",
    "account name": "bank_beneficiary", "beneficiary": "bank_beneficiary", "name": "bank_beneficiary",
    "שם המוטב": "bank_beneficiary", "מוטב": "bank_beneficiary", "שם החשבון": "bank_beneficiary",
    "iban": "bank_iban", "swift": "bank_swift", "bic": "bank_swift", "swift/bic": "bank_swift",
    "sort code": "bank_sort_code",
}
LIMITS = {"bank_name": 120, "bank_branch": 40, "bank_account": 60, "bank_iban": 42, "bank_beneficiary": 200,
          "bank_swift": 11, "bank_sort_code": 8}


def parse(text):
    """{field: value} when every line is a known label with a value that fits, else None."""
    lines = [ln.strip() for ln in (text or "").splitlines() if ln.strip()]
    if not lines:
        return None
    fields = {}
    for ln in lines:
        label, sep, value = ln.partition(":")
        key = LABELS.get(label.strip().lower().rstrip(".")) if sep else None
        value = value.strip()
        if key is None or not value or key in fields or len(value) > LIMITS[key]:
            return None
        fields[key] = value
    return fields


def forwards(apps, schema_editor):
    Organization = apps.get_model("gvia", "Organization")
    for org in Organization.objects.all():
        changed = []
        hidden = (org.settings or {}).get("bank")
        if hidden is not None:
            text = hidden if isinstance(hidden, str) else "\n".join(f"{k}: {v}" for k, v in dict(hidden).items())
            if not org.bank_details.strip():
                org.bank_details = text
            org.settings = {k: v for k, v in org.settings.items() if k != "bank"}
            changed += ["bank_details", "settings"]
        fields = parse(org.bank_details)
        if fields:
            for name, value in fields.items():
                setattr(org, name, value)
            org.bank_details = ""
            changed += [*fields, "bank_details"]
        if changed:
            org.save(update_fields=sorted(set(changed)))


def backwards(apps, schema_editor):
    Organization = apps.get_model("gvia", "Organization")
    words = {"bank_name": "Bank", "bank_branch": "Branch", "bank_account": "Account", "bank_iban": "IBAN",
             "bank_beneficiary": "Beneficiary", "bank_swift": "SWIFT", "bank_sort_code": "Sort code"}
    for org in Organization.objects.all():
        lines = [f"{label}: {getattr(org, name)}" for name, label in words.items() if getattr(org, name)]
        if lines:
            org.bank_details = "\n".join(lines + ([org.bank_details] if org.bank_details.strip() else []))
            org.save(update_fields=["bank_details"])


class Migration(migrations.Migration):

    dependencies = [
        ("gvia", "0015_invoice_allocation_number"),
    ]

    operations = [
        migrations.AddField(model_name="organization", name="bank_name",
                            field=models.CharField(blank=True, max_length=120)),
        migrations.AddField(model_name="organization", name="bank_branch",
                            field=models.CharField(blank=True, max_length=40)),
        migrations.AddField(model_name="organization", name="bank_account",
                            field=models.CharField(blank=True, max_length=60)),
        migrations.AddField(model_name="organization", name="bank_iban",
                            field=models.CharField(blank=True, max_length=42)),
        migrations.AddField(model_name="organization", name="bank_beneficiary",
                            field=models.CharField(blank=True, max_length=200)),
        migrations.AddField(model_name="organization", name="bank_swift",
                            field=models.CharField(blank=True, max_length=11)),
        migrations.AddField(model_name="organization", name="bank_sort_code",
                            field=models.CharField(blank=True, max_length=8)),
        migrations.AlterField(model_name="organization", name="bank_details",
                              field=models.TextField(blank=True, help_text="Other payment instructions, printed as "
                                                                           "written after the bank fields")),
        migrations.RunPython(forwards, backwards),
    ]

"""Customer kinds, a customer's claim basis, the organization's details for English letters.

- Customer.kind may be ``sole_trader`` and ``public_body`` too (gvia.core.customer_kinds), so
  the column holds up to 20 characters.
- Customer.claim_basis: the written agreement on file the debt rests on (empty: the
  organization's ``claim_basis`` setting).
- Organization.name_en, address_en, signatory_name_en, signatory_title_en: what English letters
  print when the business's own name, address and signatory are in Hebrew.
- The bank details live in Organization.bank_details only: a ``bank`` entry left in the
  organization's settings (the demo wrote one) is written there as "Label: value" lines, which
  the letters read back into their fields, and removed from the settings.

The columns are added with ALTER TABLE ... ADD COLUMN on both databases, with an empty default
kept in the database (db_default), instead of Django's AddField: on SQLite that remakes the whole
table, which would drop gvia_customer's full-text triggers (0009) and copy every customer. SQLite
does not enforce a varchar's length, so the wider kind is a change of the state only there.
"""

from django.db import migrations, models

# (table, column, SQL type) of the new columns, each NOT NULL with the empty text as its default
COLUMNS = (
    ("gvia_customer", "claim_basis", "varchar(500)"),
    ("gvia_organization", "name_en", "varchar(200)"),
    ("gvia_organization", "address_en", "text"),
    ("gvia_organization", "signatory_name_en", "varchar(200)"),
    ("gvia_organization", "signatory_title_en", "varchar(200)"),
)

# settings["bank"]'s keys and the labels gvia.services.letters.content.bank_from_text reads
BANK_LABELS = (("bank", "Bank"), ("branch", "Branch"), ("account", "Account"), ("beneficiary", "Beneficiary"),
               ("iban", "IBAN"), ("swift", "SWIFT"), ("sort_code", "Sort code"),
               ("routing_number", "Routing number"))


def add_columns(apps, schema_editor) -> None:
    for table, column, sql_type in COLUMNS:
        schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN {column} {sql_type} DEFAULT '' NOT NULL")
    if schema_editor.connection.vendor != "sqlite":
        schema_editor.execute("ALTER TABLE gvia_customer ALTER COLUMN kind TYPE varchar(20)")


def drop_columns(apps, schema_editor) -> None:
    Customer = apps.get_model("gvia", "Customer")
    Customer.objects.exclude(kind__in=("business", "consumer")).update(kind="business")
    if schema_editor.connection.vendor != "sqlite":
        schema_editor.execute("ALTER TABLE gvia_customer ALTER COLUMN kind TYPE varchar(10)")
    for table, column, _sql_type in reversed(COLUMNS):
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN {column}")


def bank_setting_to_field(apps, schema_editor) -> None:
    Organization = apps.get_model("gvia", "Organization")
    for org in Organization.objects.all():
        cfg = dict(org.settings or {})
        bank = cfg.pop("bank", None)
        if bank is None:
            continue
        if isinstance(bank, dict) and not org.bank_details.strip():
            lines = [f"{label}: {bank[key]}" for key, label in BANK_LABELS if str(bank.get(key) or "").strip()]
            lines += [str(x) for x in bank.get("lines") or ()]
            org.bank_details = "\n".join(lines)
        org.settings = cfg
        org.save(update_fields=["settings", "bank_details"])


class Migration(migrations.Migration):

    dependencies = [
        ("gvia", "0011_members_are_not_staff"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="customer",
                    name="claim_basis",
                    field=models.CharField(blank=True, db_default="", help_text=(
                        "The written agreement on file the debt rests on (empty: the organization's claim_basis)"),
                        max_length=500),
                ),
                migrations.AddField(
                    model_name="organization",
                    name="name_en",
                    field=models.CharField(blank=True, db_default="", help_text="The name English letters print",
                                           max_length=200),
                ),
                migrations.AddField(
                    model_name="organization",
                    name="address_en",
                    field=models.TextField(blank=True, db_default="", help_text="The address English letters print"),
                ),
                migrations.AddField(
                    model_name="organization",
                    name="signatory_name_en",
                    field=models.CharField(blank=True, db_default="", max_length=200),
                ),
                migrations.AddField(
                    model_name="organization",
                    name="signatory_title_en",
                    field=models.CharField(blank=True, db_default="", max_length=200),
                ),
                migrations.AlterField(
                    model_name="customer",
                    name="kind",
                    field=models.CharField(choices=[("business", "Business"), ("sole_trader", "Sole trader"),
                                                    ("consumer", "Consumer"), ("public_body", "Public body")],
                                           default="business", max_length=20),
                ),
            ],
            database_operations=[migrations.RunPython(add_columns, drop_columns)],
        ),
        migrations.RunPython(bank_setting_to_field, migrations.RunPython.noop),
    ]

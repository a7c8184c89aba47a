"""Invoice.allocation_number (Israel's מספר הקצאה), amount_before_vat_minor and
allocation_confirmed_without (a person confirmed that the case goes on without the number): see
gvia.core.allocation.

The columns are added with ALTER TABLE ... ADD COLUMN on both databases, their defaults kept in
the database (db_default), instead of Django's AddField: on SQLite that remakes the whole table,
copying every invoice and dropping the table's statistics that 0010 refreshed (as 0012 explains
for the customers).
"""

from django.db import migrations, models


def add_columns(apps, schema_editor) -> None:
    false = "0" if schema_editor.connection.vendor == "sqlite" else "false"
    for sql in ("ALTER TABLE gvia_invoice ADD COLUMN allocation_number varchar(32) DEFAULT '' NOT NULL",
                "ALTER TABLE gvia_invoice ADD COLUMN amount_before_vat_minor bigint NULL",
                f"ALTER TABLE gvia_invoice ADD COLUMN allocation_confirmed_without boolean DEFAULT {false} NOT NULL"):
        schema_editor.execute(sql)


def drop_columns(apps, schema_editor) -> None:
    for column in ("allocation_number", "amount_before_vat_minor", "allocation_confirmed_without"):
        schema_editor.execute(f"ALTER TABLE gvia_invoice DROP COLUMN {column}")


class Migration(migrations.Migration):

    dependencies = [
        ("gvia", "0014_plan_signed_agreement"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="invoice",
                    name="allocation_confirmed_without",
                    field=models.BooleanField(db_default=False, default=False),
                ),
                migrations.AddField(
                    model_name="invoice",
                    name="allocation_number",
                    field=models.CharField(blank=True, db_default="", default="", max_length=32),
                ),
                migrations.AddField(
                    model_name="invoice",
                    name="amount_before_vat_minor",
                    field=models.BigIntegerField(blank=True, null=True),
                ),
            ],
            database_operations=[migrations.RunPython(add_columns, drop_columns)],
        ),
    ]

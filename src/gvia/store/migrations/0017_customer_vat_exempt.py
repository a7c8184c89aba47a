"""Customer.vat_exempt: an exempt dealer (Israel's עוסק פטור), who deducts no VAT and so needs no
allocation number (gvia.core.allocation).

The column is added with ALTER TABLE ... ADD COLUMN on both databases, with its default kept in
the database (db_default), instead of Django's AddField: on SQLite that remakes the whole table,
which would drop gvia_customer's full-text triggers (0009) and copy every customer (as 0012 does).
"""

from django.db import migrations, models


def add_column(apps, schema_editor) -> None:
    false = "0" if schema_editor.connection.vendor == "sqlite" else "false"
    schema_editor.execute(f"ALTER TABLE gvia_customer ADD COLUMN vat_exempt boolean DEFAULT {false} NOT NULL")


def drop_column(apps, schema_editor) -> None:
    schema_editor.execute("ALTER TABLE gvia_customer DROP COLUMN vat_exempt")


class Migration(migrations.Migration):

    dependencies = [
        ("gvia", "0016_organization_bank_fields"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="customer",
                    name="vat_exempt",
                    field=models.BooleanField(db_default=False, default=False),
                ),
            ],
            database_operations=[migrations.RunPython(add_column, drop_column)],
        ),
    ]

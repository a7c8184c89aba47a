"""The suppliers' payment law (issue 15): a customer's ``large_business`` — a large buyer's agreed
payment day later than the law's yields to it (gvia.core.suppliers_law).

The column is added with ALTER TABLE ... ADD COLUMN on both databases, its default kept in the
database (db_default), instead of Django's AddField: on SQLite that remakes the whole table, which
would drop gvia_customer's full-text triggers (0009), as 0024 explains.
"""

from django.db import migrations, models


def add_column(apps, schema_editor) -> None:
    false = "DEFAULT 0" if schema_editor.connection.vendor == "sqlite" else "DEFAULT false"
    schema_editor.execute(f"ALTER TABLE gvia_customer ADD COLUMN large_business boolean {false} NOT NULL")


def drop_column(apps, schema_editor) -> None:
    schema_editor.execute("ALTER TABLE gvia_customer DROP COLUMN large_business")


class Migration(migrations.Migration):

    dependencies = [
        ('gvia', '0026_debt_notice'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(model_name='customer', name='large_business',
                                    field=models.BooleanField(db_default=False, default=False)),
            ],
            database_operations=[migrations.RunPython(add_column, drop_column)],
        ),
    ]

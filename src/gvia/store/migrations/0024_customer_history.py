"""A customer's credit hold (a flag, its reason, since when, set by whom) and a case's reason for
non-payment (one of gvia.core.nonpayment.REASONS, its note, day and source) (issue 17).

The columns are added with ALTER TABLE ... ADD COLUMN on both databases, their defaults kept in
the database (db_default), instead of Django's AddField: on SQLite that remakes the whole table,
which would drop gvia_customer's full-text triggers (0009) and copy every customer and case (as
0017 explains).
"""

from django.db import migrations, models

TEXT = "DEFAULT '' NOT NULL"
COLUMNS = (
    ("gvia_customer", "credit_hold", "boolean {false} NOT NULL"),
    ("gvia_customer", "credit_hold_reason", f"varchar(300) {TEXT}"),
    ("gvia_customer", "credit_hold_since", "date NULL"),
    ("gvia_customer", "credit_hold_by", f"varchar(254) {TEXT}"),
    ("gvia_case", "nonpayment_reason", f"varchar(30) {TEXT}"),
    ("gvia_case", "nonpayment_note", f"varchar(500) {TEXT}"),
    ("gvia_case", "nonpayment_on", "date NULL"),
    ("gvia_case", "nonpayment_source", f"varchar(20) {TEXT}"),
)


def add_columns(apps, schema_editor) -> None:
    false = "DEFAULT 0" if schema_editor.connection.vendor == "sqlite" else "DEFAULT false"
    for table, column, kind in COLUMNS:
        schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind.format(false=false)}")


def drop_columns(apps, schema_editor) -> None:
    for table, column, _kind in reversed(COLUMNS):
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN {column}")


class Migration(migrations.Migration):

    dependencies = [
        ('gvia', '0023_bank_statements'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(model_name='customer', name='credit_hold',
                                    field=models.BooleanField(db_default=False, default=False)),
                migrations.AddField(model_name='customer', name='credit_hold_reason',
                                    field=models.CharField(blank=True, db_default='', max_length=300)),
                migrations.AddField(model_name='customer', name='credit_hold_since',
                                    field=models.DateField(blank=True, null=True)),
                migrations.AddField(model_name='customer', name='credit_hold_by',
                                    field=models.CharField(blank=True, db_default='', max_length=254)),
                migrations.AddField(model_name='case', name='nonpayment_reason',
                                    field=models.CharField(blank=True, db_default='', max_length=30)),
                migrations.AddField(model_name='case', name='nonpayment_note',
                                    field=models.CharField(blank=True, db_default='', max_length=500)),
                migrations.AddField(model_name='case', name='nonpayment_on',
                                    field=models.DateField(blank=True, null=True)),
                migrations.AddField(model_name='case', name='nonpayment_source',
                                    field=models.CharField(blank=True, db_default='', max_length=20)),
            ],
            database_operations=[migrations.RunPython(add_columns, drop_columns)],
        ),
    ]

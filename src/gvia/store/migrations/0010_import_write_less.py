"""Fewer index entries for a large first import to write.

- Invoice.applies_to: the foreign key's automatic index held an entry for every invoice, though
  only credit notes apply to one. It becomes a partial index, ``invoice_applies_to_idx``
  (WHERE applies_to_id IS NOT NULL), which serves every lookup by applies_to (an equality on it
  implies NOT NULL, on SQLite and on PostgreSQL).
- Customer.organization: its own index is dropped; the unique (organization, ref) index starts
  with the same column and serves every lookup by organization alone.

The two foreign keys only lose their index, so the database side drops that index by itself
(found by introspection, whatever name it was given) instead of Django's AlterField: on SQLite
that remakes the whole table, which would drop gvia_customer's full-text triggers (0009) and
copy every invoice.
"""

from django.db import migrations, models

# (model, column) whose automatic foreign-key index goes
FK_INDEXES = (("customer", "organization_id"), ("invoice", "applies_to_id"))


def _fk_index_names(schema_editor, table: str, column: str) -> list[str]:
    """The plain (not unique, not primary key) single-column indexes on ``column``, but not a
    named index of the model's Meta (invoice_applies_to_idx covers the same column)."""
    connection = schema_editor.connection
    with connection.cursor() as cur:
        constraints = connection.introspection.get_constraints(cur, table)
    return sorted(name for name, c in constraints.items()
                  if c["index"] and not c["unique"] and not c["primary_key"] and c["columns"] == [column]
                  and name != "invoice_applies_to_idx")


def drop_fk_indexes(apps, schema_editor) -> None:
    for model_name, column in FK_INDEXES:
        model = apps.get_model("gvia", model_name)
        for name in _fk_index_names(schema_editor, model._meta.db_table, column):
            schema_editor.execute(schema_editor._delete_index_sql(model, name))


def create_fk_indexes(apps, schema_editor) -> None:
    for model_name, column in FK_INDEXES:
        model = apps.get_model("gvia", model_name)
        if not _fk_index_names(schema_editor, model._meta.db_table, column):
            field = next(f for f in model._meta.local_fields if f.column == column)
            schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))


def refresh_statistics(apps, schema_editor) -> None:
    from gvia.store.bulk import refresh_statistics

    refresh_statistics(("gvia_customer", "gvia_invoice"))


class Migration(migrations.Migration):

    dependencies = [
        ("gvia", "0009_search_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="customer",
                    name="organization",
                    field=models.ForeignKey(db_index=False, on_delete=models.deletion.CASCADE,
                                            related_name="customers", to="gvia.organization"),
                ),
                migrations.AlterField(
                    model_name="invoice",
                    name="applies_to",
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=models.deletion.PROTECT,
                                            related_name="credit_notes", to="gvia.invoice"),
                ),
            ],
            database_operations=[migrations.RunPython(drop_fk_indexes, create_fk_indexes)],
        ),
        migrations.AddIndex(
            model_name="invoice",
            index=models.Index(condition=models.Q(("applies_to__isnull", False)), fields=["applies_to"],
                               name="invoice_applies_to_idx"),
        ),
        migrations.RunPython(refresh_statistics, migrations.RunPython.noop),
    ]

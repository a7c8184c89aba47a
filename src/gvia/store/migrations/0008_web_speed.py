"""Indexes for the customer list's search: customers by e-mail, phone and tax id, contacts by
e-mail and phone (gvia.web.queries.search).

The tables' planner statistics are refreshed after: an index the statistics do not know yet
looks to SQLite's planner as good as any other on the same leading column, and it would read
the customer list through the tax id index and sort it instead of walking the name index."""

from django.db import migrations, models


def refresh_statistics(apps, schema_editor) -> None:
    from gvia.store.bulk import refresh_statistics

    refresh_statistics(("gvia_customer", "gvia_contact"))


class Migration(migrations.Migration):

    dependencies = [
        ("gvia", "0006_outbox_status_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(fields=["organization", "email"], name="customer_email_idx"),
        ),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(fields=["organization", "phone"], name="customer_phone_idx"),
        ),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(fields=["organization", "tax_id"], name="customer_tax_id_idx"),
        ),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(fields=["email"], name="contact_email_idx"),
        ),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(fields=["phone"], name="contact_phone_idx"),
        ),
        migrations.RunPython(refresh_statistics, migrations.RunPython.noop),
    ]

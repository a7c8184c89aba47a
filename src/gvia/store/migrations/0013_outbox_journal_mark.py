"""The outbox journal's reconciliation marks (gvia.services.sending.journal): how far each journal
file was read, kept in the database so that a database put back from a backup reads again what
was journalled after the backup's moment."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("gvia", "0012_customer_kinds_claim_basis_org_english"),
    ]

    operations = [
        migrations.CreateModel(
            name="OutboxJournalMark",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("path", models.CharField(max_length=500, unique=True)),
                ("offset", models.BigIntegerField(default=0)),
            ],
        ),
    ]

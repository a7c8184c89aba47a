"""The digest of the file row each invoice was last imported from (issue 18: a daily full
re-import skips the rows that have not changed; gvia.imports.digests)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('gvia', '0031_webhooks'),
    ]

    operations = [
        migrations.AddField(
            model_name='invoice',
            name='source_digest',
            field=models.BigIntegerField(blank=True, null=True),
        ),
    ]
